"""The timeline-summarization benchmark: news-tls protocol, tilse scoring, news-tls averaging."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("tilse", reason="tilse 0.2.1 is needed: pip install 'dateline[eval]'")

from tilse.data.timelines import GroundTruth as TilseGroundTruth
from tilse.data.timelines import Timeline as TilseTimeline
from tilse.evaluation.rouge import TimelineRougeEvaluator

from dateline.evaluate.tls import (
    TLSBenchmark,
    articles_in_window,
    average_summary_length,
    default_time_span_extension,
    detect_protocol,
    input_window,
    load_tasks,
    read_reference_timelines,
    run_tls_benchmark,
)
from dateline.evaluate.tls_metrics import (
    ALIGN_M1,
    MEASURES,
    METRICS,
    PRF,
    TLSScorer,
    TLSScores,
    average_scores,
    date_scores,
    perl_rouge_problem,
)
from dateline.model import Article, Precision, SentenceRef, Timeline, TimelineEntry

DATA = Path(__file__).parent / "data" / "tls"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
T17 = SHARED / "data" / "t17"

needs_t17 = pytest.mark.skipif(not T17.is_dir(), reason=f"Timeline17 not found at {T17} (../shared/data/t17)")
BACKENDS = [
    "reimpl",
    pytest.param(
        "perl",
        marks=pytest.mark.skipif(perl_rouge_problem() is not None, reason=f"Perl ROUGE: {perl_rouge_problem()}"),
    ),
]


def _golden(name: str) -> dict[date, tuple[str, ...]]:
    (timeline,) = read_reference_timelines(DATA / "golden" / f"{name}.jsonl")
    return timeline


def _tilse_direct(name: str) -> TilseTimeline:
    # Built the way news-tls does, independently of our loader: {date: [sentence, ...]}.
    items = json.loads((DATA / "golden" / f"{name}.jsonl").read_text(encoding="utf-8"))
    return TilseTimeline({date.fromisoformat(t[:10]): s for t, s in items})


def _as_our_timeline(mapping: dict[date, tuple[str, ...]]) -> Timeline:
    entries = []
    for d, sentences in mapping.items():
        refs = tuple(
            SentenceRef(text=s, article_id="a", sentence_index=i, start=0, end=len(s), published=d)
            for i, s in enumerate(sentences)
        )
        entries.append(TimelineEntry(date=d, precision=Precision.DAY, sentences=refs))
    return Timeline(entries=tuple(entries))


def _prf_values(scores: TLSScores) -> list[float]:
    values = [scores.date.precision, scores.date.recall, scores.date.f1]
    for by_measure in scores.rouge.values():
        for prf in by_measure.values():
            values += [prf.precision, prf.recall, prf.f1]
    return values


# --- golden: our scoring path == tilse called directly ------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("as_model", [False, True], ids=["mapping", "model-timeline"])
def test_scores_match_tilse_called_directly(backend, as_model):
    prediction = _golden("prediction")
    ours = TLSScorer(backend).score(_as_our_timeline(prediction) if as_model else prediction, _golden("reference"))

    evaluator = TimelineRougeEvaluator(
        measures=["rouge_1", "rouge_2"], rouge_computation="original" if backend == "perl" else "reimpl"
    )
    pred, ref = _tilse_direct("prediction"), _tilse_direct("reference")
    truth = TilseGroundTruth([ref])
    for metric in METRICS:
        direct = getattr(evaluator, f"evaluate_{metric}")(pred, truth)
        for measure in MEASURES:
            got = ours.rouge[metric][measure]
            want = direct[measure]
            assert got.precision == pytest.approx(want["precision"], abs=1e-9)
            assert got.recall == pytest.approx(want["recall"], abs=1e-9)
            assert got.f1 == pytest.approx(want["f_score"], abs=1e-9)
    # news-tls evaluate_dates on this pair: 2 shared of 4 predicted and 4 reference dates.
    assert ours.date == PRF(0.5, 0.5, 0.5)
    # The fixture is not trivial: partial overlap everywhere.
    assert 0 < ours.f1(ALIGN_M1, "rouge_1") < 1
    assert 0 < ours.f1("agreement", "rouge_2") < ours.f1("concat", "rouge_1") < 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_scores_match_pinned_tilse_numbers(backend):
    # expected.json: tilse 0.2.1 called directly on the same pair when the fixture was made, so a
    # drift in the ROUGE environment (perl, stemmer, stopword list) shows up here.
    expected = json.loads((DATA / "golden" / "expected.json").read_text(encoding="utf-8"))[backend]
    ours = TLSScorer(backend).score(_golden("prediction"), _golden("reference"))
    for metric in METRICS:
        for measure in MEASURES:
            want = expected[metric][measure]
            got = ours.rouge[metric][measure]
            assert (got.precision, got.recall, got.f1) == pytest.approx(
                (want["precision"], want["recall"], want["f_score"]), abs=1e-9
            )


@pytest.mark.parametrize("backend", BACKENDS)
def test_reference_as_prediction_scores_one(backend):
    reference = _golden("reference")
    scores = TLSScorer(backend).score(reference, reference)
    assert _prf_values(scores) == pytest.approx([1.0] * len(_prf_values(scores)), abs=1e-12)


@pytest.mark.slow
@needs_t17
def test_truth_check_on_every_timeline17_reference():
    scorer = TLSScorer("reimpl")
    tasks = load_tasks(T17)
    assert len(tasks) == 19
    for task in tasks:
        values = _prf_values(scorer.score(task.reference, task.reference))
        assert values == pytest.approx([1.0] * len(values), abs=1e-12), task.name


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "prediction",
    [{}, {date(2011, 1, 1): ()}, {date(2011, 1, 1): (". ,",)}],
    ids=["no-dates", "no-sentences", "no-countable-token"],
)
def test_empty_prediction_scores_zero_instead_of_crashing(backend, prediction):
    scores = TLSScorer(backend).score(prediction, _golden("reference"))
    for metric in METRICS:
        for measure in MEASURES:
            assert scores.rouge[metric][measure].recall == 0
            assert scores.rouge[metric][measure].f1 == 0
    assert scores.date.f1 == 0


@pytest.mark.parametrize(
    "predicted, reference, expected",
    [
        ([1, 2, 3, 4], [1, 2, 3, 4], PRF(1.0, 1.0, 1.0)),
        ([1, 2], [1, 2, 3, 4], PRF(1.0, 0.5, 2 / 3)),
        ([1, 5, 6, 7], [1, 2], PRF(0.25, 0.5, 1 / 3)),
        ([5], [1, 2], PRF(0.0, 0.0, 0.0)),
        ([], [1, 2], PRF(0.0, 0.0, 0.0)),
    ],
)
def test_date_scores(predicted, reference, expected):
    as_tl = lambda days: {date(2020, 1, d): ("x",) for d in days}  # noqa: E731
    got = date_scores(as_tl(predicted), as_tl(reference))
    assert got.to_dict() == pytest.approx(expected.to_dict())


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="reimpl"):
        TLSScorer("rouge-score")


# --- averaging ----------------------------------------------------------------------------------


def _scores(p: float, r: float) -> TLSScores:
    prf = PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return TLSScores(rouge={m: dict.fromkeys(MEASURES, prf) for m in METRICS}, date=prf)


@pytest.mark.parametrize(
    "tasks, precision, recall, f1",
    [
        # Mean of per-task F1 would be 0 here; news-tls reports F1(0.5, 0.5) = 0.5.
        ([(1.0, 0.0), (0.0, 1.0)], 0.5, 0.5, 0.5),
        ([(0.4, 0.2), (0.2, 0.4), (0.3, 0.3)], 0.3, 0.3, 0.3),
        ([(0.6, 0.2)], 0.6, 0.2, 0.3),
        ([(0.0, 0.0), (0.0, 0.0)], 0.0, 0.0, 0.0),
    ],
)
def test_average_is_f1_of_mean_precision_and_recall(tasks, precision, recall, f1):
    average = average_scores([_scores(p, r) for p, r in tasks])
    for prf in [average.date] + [average.rouge[m][x] for m in METRICS for x in MEASURES]:
        assert (prf.precision, prf.recall, prf.f1) == pytest.approx((precision, recall, f1))


def test_average_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        average_scores([])


def test_scores_round_trip_through_dict():
    scores = TLSScorer("reimpl").score(_golden("prediction"), _golden("reference"))
    assert TLSScores.from_dict(json.loads(json.dumps(scores.to_dict()))) == scores


# --- protocol -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lengths, k",
    [([2, 3], 2), ([3, 4], 4), ([1, 2, 2], 2), ([1, 1, 2], 1), ([1], 1), ([5, 1, 1, 1], 2)],
)
def test_k_is_python_round_of_mean_sentences_per_date(lengths, k):
    reference = {date(2020, 1, i + 1): ("s",) * n for i, n in enumerate(lengths)}
    assert average_summary_length(reference) == k


def test_tasks_follow_the_news_tls_protocol():
    tasks = load_tasks(DATA / "dataset")
    # Topics sorted by name; the blank line and the `[]` line of beta are not tasks.
    assert [t.name for t in tasks] == ["alpha/0", "beta/0", "beta/1"]
    beta0, beta1 = tasks[1], tasks[2]
    # The repeated 2020-03-04 keeps its last summary (2 sentences): k = round(5 / 3) = 2.
    assert beta0.reference[date(2020, 3, 4)] == (
        "Engineers order the Riverton dam drained .",
        "Schools close downstream .",
    )
    assert (beta0.max_dates, beta0.max_sentences) == (3, 2)
    assert list(beta0.reference) == sorted(beta0.reference)
    # 2 and 3 sentences: mean 2.5 rounds to 2 (banker's rounding).
    assert (beta1.max_dates, beta1.max_sentences) == (2, 2)
    assert (beta0.start, beta0.end) == (date(2020, 3, 2), date(2020, 3, 5))
    assert beta0.keywords == ("dam", "riverton")


def test_time_span_extension_widens_the_window():
    (task,) = load_tasks(DATA / "dataset", topics=["alpha"], time_span_extension=7)
    assert (task.start, task.end) == (date(2021, 5, 25), date(2021, 6, 10))


def test_unknown_topic_is_an_error():
    with pytest.raises(ValueError, match="gamma"):
        load_tasks(DATA / "dataset", topics=["gamma"])


@pytest.mark.parametrize("name, days", [("entities", 7), ("t17", 0), ("crisis", 0), ("dataset", 0)])
def test_default_extension_is_seven_days_only_for_entities(name, days):
    assert default_time_span_extension(Path("/data") / name) == days


@pytest.mark.parametrize(
    ("first_line", "protocol"),
    [
        ('[["2001-02-12 00:00:00", ["Skilling becomes CEO."]]]', "entities"),
        ('[["2010-04-20T00:00:00", ["The rig explodes."]]]', "t17"),
        ('[["2010-04-20", ["The rig explodes."]]]', "t17"),
    ],
)
def test_the_protocol_is_told_by_the_timelines_date_form(tmp_path, first_line, protocol):
    topic = tmp_path / "any-name" / "topic"
    topic.mkdir(parents=True)
    # Crisis files hold empty lines: the first non-empty one tells.
    (topic / "timelines.jsonl").write_text("\n" + first_line + "\n", encoding="utf-8")
    assert detect_protocol(tmp_path / "any-name") == protocol
    assert default_time_span_extension(tmp_path / "any-name") == (7 if protocol == "entities" else 0)


def test_an_entities_reference_reads_like_a_t17_one(tmp_path):
    path = tmp_path / "timelines.jsonl"
    path.write_text('[["2001-02-12 00:00:00", ["a"]], ["2001-08-14 00:00:00", ["b", "c"]]]\n', encoding="utf-8")
    assert read_reference_timelines(path) == [{date(2001, 2, 12): ("a",), date(2001, 8, 14): ("b", "c")}]


@pytest.mark.parametrize(
    "extension, start, end",
    [(0, date(2020, 3, 2), date(2020, 3, 9)), (7, date(2020, 2, 24), date(2020, 3, 16))],
)
def test_input_window(extension, start, end):
    assert input_window([date(2020, 3, 9), date(2020, 3, 2), date(2020, 3, 5)], extension) == (start, end)


@pytest.mark.parametrize(
    "reference, window",
    [
        ([date(1, 1, 3), date(1, 2, 1)], (date.min, date(1, 2, 8))),
        ([date(9999, 12, 1), date(9999, 12, 28)], (date(9999, 11, 24), date.max)),
        ([date.min, date.max], (date.min, date.max)),
    ],
)
def test_input_window_stops_at_the_calendar_ends(reference, window):
    assert input_window(reference, 7) == window


def test_articles_in_window_keeps_both_bounds_and_nothing_outside():
    days = [date(2020, 3, d) for d in (6, 1, 2, 5, 3)]
    articles = [Article.create(f"text {d}", d) for d in days]
    kept = articles_in_window(articles, date(2020, 3, 2), date(2020, 3, 5))
    assert [a.published for a in kept] == [date(2020, 3, 2), date(2020, 3, 5), date(2020, 3, 3)]


# --- the runner -------------------------------------------------------------------------------


def _has_ingest() -> bool:
    try:
        from dateline.ingest import read_articles  # noqa: F401
    except ImportError:
        return False
    return True


def _has_builder() -> bool:
    try:
        from dateline import build_timeline  # noqa: F401
    except ImportError:
        return False
    return True


def first_sentence_per_day(articles, task):
    """A trivial predictor: each window day's first article's first line, capped at L days."""
    days: dict[date, tuple[str, ...]] = {}
    for article in sorted(articles, key=lambda a: a.published):
        days.setdefault(article.published, (article.text.splitlines()[0],))
    return dict(list(days.items())[: task.max_dates])


@pytest.mark.skipif(not _has_ingest(), reason="dateline.ingest.read_articles is not available yet")
def test_run_with_a_trivial_predictor_on_the_fixture_dataset():
    bench = run_tls_benchmark(DATA / "dataset", rouge="reimpl", predictor=first_sentence_per_day, progress=False)
    assert isinstance(bench, TLSBenchmark)
    assert [r.task.name for r in bench.results] == ["alpha/0", "beta/0", "beta/1"]
    # Window of beta/0 is [03-02, 03-05]: two of beta's five articles.
    assert [r.articles for r in bench.results] == [2, 2, 2]
    assert list(bench.results[1].prediction) == [date(2020, 3, 2), date(2020, 3, 5)]
    assert [(t.topic, t.articles, t.tasks) for t in bench.topics] == [("alpha", 2, 1), ("beta", 5, 2)]
    assert bench.average == average_scores([r.scores for r in bench.results])
    markdown = bench.to_markdown()
    assert "| beta | 1 | 2 | 2 |" in markdown and "**average** (3 tasks)" in markdown
    assert json.loads(json.dumps(bench.to_dict()))["tasks"][2]["k"] == 2


@pytest.mark.slow
@needs_t17
@pytest.mark.skipif(not (_has_builder() and _has_ingest()), reason="dateline.build_timeline is not available yet")
def test_end_to_end_smoke_on_one_topic(tmp_path):
    started = time.perf_counter()
    bench = run_tls_benchmark(
        T17, topics=["mj"], rouge="reimpl", max_articles=60, progress=False, cache_dir=tmp_path / "cache"
    )
    assert time.perf_counter() - started < 60
    (result,) = bench.results
    assert (result.task.max_dates, result.task.max_sentences, result.articles) == (38, 2, 60)
    assert 0 < len(result.prediction) <= 38
    for value in _prf_values(bench.average):
        assert 0.0 <= value <= 1.0
    assert "| mj | 0 | 38 | 2 |" in bench.to_markdown()
    assert bench.to_dict()["topics"][0]["peak_rss_mb"] > 0


def test_eval_tls_off_a_terminal_draws_no_bar(run, tmp_path):
    # A tqdm bar redrawn with carriage returns is noise in a log: off a TTY, progress is plain lines.
    result = run("eval", "tls", DATA / "dataset", "--rouge", "reimpl", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr and "it/s" not in result.stderr and "article/s" not in result.stderr
    assert "[tls] alpha/0:" in result.stderr


def test_a_task_asks_for_its_budget_keywords_and_window():
    (task,) = load_tasks(DATA / "dataset", topics=["alpha"])
    options = task.options()
    assert (options.dates, options.sentences) == (task.max_dates, task.max_sentences)
    assert (options.query, options.start, options.end) == (list(task.keywords), task.start, task.end)
