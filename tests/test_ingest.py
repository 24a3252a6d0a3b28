"""Ingestion: every format reads its fixture, every bad record is named, nothing is lost silently."""

from __future__ import annotations

import importlib.abc
import json
import pickle
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from dateline.ingest import FORMATS, IngestError, IngestReport, detect_format, read_articles
from dateline.model import article_id

DATA = Path(__file__).resolve().parent / "data" / "ingest"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
T17 = SHARED / "data" / "t17"

CEASEFIRE = (
    "ceasefire",
    date(2020, 1, 19),
    None,
    "Ceasefire talks open in Berlin",
    "https://news.example.org/2020/ceasefire-talks",
    "Example News",
)


def _fields(article):
    stamp = article.timestamp.isoformat() if article.timestamp else None
    return (article.name, article.published, stamp, article.title, article.url, article.source)


# path under tests/data/ingest, input_format, expected (name, published, timestamp, title, url, source) in order
@pytest.mark.parametrize(
    "path, input_format, expected",
    [
        (
            "seeds",
            None,
            [
                ("berlin", date(2020, 1, 17), None, None, None, None),
                ("1", date(2019, 11, 26), None, None, None, None),
                ("1", date(2019, 11, 27), None, None, None, None),
                ("windows", date(2019, 11, 25), None, None, None, None),
            ],
        ),
        ("seeds/berlin.txt", "seed", [("berlin", date(2020, 1, 17), None, None, None, None)]),
        (
            "articles.jsonl",
            None,
            [
                ("cnn/1", date(2011, 8, 3), None, "Missile misses warship", "https://example.org/cnn/1", "cnn"),
                ("cnn/2", date(2011, 8, 4), "2011-08-04T00:00:00", None, None, "cnn"),
                ("bbc/7", date(2019, 11, 26), "2019-11-26T10:00:00+01:00", None, None, None),
                ("bbc/8", date(2019, 11, 26), "2019-11-26T23:30:00+00:00", None, None, None),
            ],
        ),
        (
            "newstls",
            None,
            [
                ("alpha_cnn/1", date(2011, 2, 15), None, None, None, "alpha_cnn"),
                ("alpha_cnn/2", date(2011, 2, 17), None, None, None, "alpha_cnn"),
                ("beta_bbc/9", date(2010, 1, 13), None, None, None, "beta_bbc"),
            ],
        ),
        ("newstls/beta", None, [("beta_bbc/9", date(2010, 1, 13), None, None, None, "beta_bbc")]),
        ("newstls/beta/articles.jsonl", "newstls", [("beta_bbc/9", date(2010, 1, 13), None, None, None, "beta_bbc")]),
        ("html", None, [CEASEFIRE]),
        ("html/ceasefire.html", "html", [CEASEFIRE]),
        # A mixed folder: each file by its extension; LICENSE, SOURCES.txt and *.md are not articles.
        (
            "mixed",
            None,
            [
                ("a", date(2020, 1, 18), None, None, None, None),
                ("m/1", date(2020, 1, 19), "2020-01-19T08:00:00+02:00", None, None, None),
                ("c", *CEASEFIRE[1:]),
            ],
        ),
    ],
)
def test_reads_fixture(path, input_format, expected):
    report = IngestReport()
    articles = list(read_articles(DATA / path, input_format=input_format, report=report))
    assert [_fields(a) for a in articles] == expected
    assert (report.read, report.duplicates, report.skipped) == (len(expected), 0, [])
    for a in articles:
        assert a.id == article_id(a.text, a.source)
        assert a.origin.startswith(str(DATA / path))


@pytest.mark.parametrize(
    "path, origin, text",
    [
        (
            "seeds/berlin.txt",
            "seeds/berlin.txt",
            "Ministers will meet in Berlin on Sunday to discuss the ceasefire in Libya.\n\n"
            "The talks were announced on January 16.",
        ),
        # The BOM goes, CRLF becomes LF: the same article saved on Windows hashes the same.
        ("seeds/windows.txt", "seeds/windows.txt", "Saved on Windows with a byte-order mark.\nSecond line."),
        ("articles.jsonl", "articles.jsonl:1", "A missile fell into the sea near the frigate."),
        ("newstls/beta", "newstls/beta/articles.jsonl:1", "An earthquake struck near the capital."),
    ],
)
def test_text_and_origin(path, origin, text):
    first = next(read_articles(DATA / path))
    assert first.text == text
    assert first.origin == str(DATA / origin)


def test_timezone_is_kept_and_published_is_local():
    by_name = {a.name: a for a in read_articles(DATA / "articles.jsonl")}
    assert by_name["bbc/7"].timestamp.utcoffset() == timedelta(hours=1)
    assert by_name["bbc/8"].timestamp.utcoffset() == timedelta(0)
    assert by_name["cnn/2"].timestamp.tzinfo is None  # no zone given, none invented
    assert by_name["cnn/1"].timestamp is None  # a bare date has no time of day


def test_ids_are_stable_across_reads_and_paths():
    folder = [a.id for a in read_articles(DATA / "seeds")]
    again = [a.id for a in read_articles(DATA / "seeds")]
    alone = next(read_articles(DATA / "seeds" / "berlin.txt")).id
    assert folder == again and alone == folder[0]
    assert len(set(folder)) == len(folder)


def test_same_name_in_two_folders_gets_two_ids():
    a = next(read_articles(DATA / "seeds" / "outlet_a" / "1.txt"))
    b = next(read_articles(DATA / "seeds" / "outlet_b" / "1.txt"))
    assert a.name == b.name == "1"
    assert a.id != b.id


def test_duplicates_collapse():
    report = IngestReport()
    articles = list(read_articles(DATA / "duplicates.jsonl", report=report))
    # r/3 repeats r/1 (same text, same source); a/3 has the same text from another source.
    assert [a.name for a in articles] == ["r/1", "r/2", "a/3"]
    assert (report.read, report.duplicates) == (3, 1)
    assert report.summary() == "read 3 articles, 1 duplicate collapsed"


def test_newstls_never_reads_reference_timelines():
    report = IngestReport()
    texts = [a.text for a in read_articles(DATA / "newstls", on_error="skip", report=report)]
    assert report.skipped == []
    assert not any("Reference sentence" in t or "Never read" in t for t in texts)


def test_streams_in_sorted_order_and_fails_at_the_bad_file(tmp_path):
    (tmp_path / "b.txt").write_text("no header here", encoding="utf-8")
    (tmp_path / "a.txt").write_text(" date 2020-01-01 First.", encoding="utf-8")
    stream = read_articles(tmp_path)
    assert next(stream).text == "First."
    with pytest.raises(IngestError, match=r"b\.txt:1: missing"):
        next(stream)


# file name, content, expected line, expected text in the reason, expected kind
@pytest.mark.parametrize(
    "name, content, line, reason, kind",
    [
        (
            "nohead.txt",
            b"Pompeo will attend the conference.",
            1,
            "missing ' date YYYY-MM-DD' header at the start of the file",
            "missing date",
        ),
        (
            "baddate.txt",
            b" date 2020-13-45 Body.",
            1,
            "unparsable date '2020-13-45' in the ' date YYYY-MM-DD' header (expected e.g. 2020-01-17)",
            "bad date",
        ),
        ("words.txt", b"date January 17 Body.", 1, "unparsable date 'January'", "bad date"),
        (
            "latin1.txt",
            b" date 2020-01-17 ok\nCaf\xe9 au lait",
            2,
            "not valid UTF-8 at byte offset 23 (byte 0xe9); re-save the file as UTF-8",
            "bad encoding",
        ),
        ("utf16.txt", " date 2020-01-17 x".encode("utf-16"), 1, "UTF-16", "bad encoding"),
        (
            "badjson.jsonl",
            b'{"time": "2011-08-03", "text": "ok"}\n{"time": "2011-08-03", "text": }\n',
            2,
            "bad JSON: Expecting value (column",
            "bad JSON",
        ),
        # A JSON array on a line is read as its elements, each of which must be an article.
        ("list.jsonl", b"\n[1, 2]\n", 2, "got a number (element 1 of the array)", "not an object"),
        ("scalar.jsonl", b"\n\n7\n", 3, "expected a JSON object per line, got a number", "not an object"),
        ("notime.jsonl", b'{"id": "x", "text": "Body."}\n', 1, "missing 'time' field", "missing date"),
        ("notext.jsonl", b'{"id": "x", "time": "2011-08-03"}\n', 1, "missing 'text' field", "missing text"),
        (
            "badtime.jsonl",
            b'{"time": "03/08/2011", "text": "Body."}\n',
            1,
            "unparsable time '03/08/2011' (expected ISO 8601",
            "bad date",
        ),
        ("badday.jsonl", b'{"time": "2011-02-30", "text": "Body."}\n', 1, "unparsable time '2011-02-30'", "bad date"),
        (
            "inttime.jsonl",
            b'{"time": 20110803, "text": "Body."}\n',
            1,
            "'time' must be a string, got a number",
            "wrong type",
        ),
        (
            "listtitle.jsonl",
            b'{"time": "2011-08-03", "text": "Body.", "title": ["a"]}\n',
            1,
            "'title' must be a string or null, got an array",
            "wrong type",
        ),
        (
            "enc.jsonl",
            b'{"time": "2011-08-03", "text": "ok"}\n{"time": "2011-08-03", "text": "\xff"}\n',
            2,
            "not valid UTF-8 at byte offset 69 (byte 0xff)",
            "bad encoding",
        ),
        (
            "nodate.html",
            b"<html><head><title>T</title></head><body><article><p>"
            + b"A long paragraph of news. " * 20
            + b"</p></article></body></html>",
            None,
            "no publication date found in the page; ",
            "missing date",
        ),
        (
            "blank.html",
            b'<html><head><meta property="article:published_time" content="2020-01-19"></head><body></body></html>',
            None,
            "no main text found in the page",
            "no main text",
        ),
    ],
)
def test_errors_name_file_line_and_reason(tmp_path, name, content, line, reason, kind):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        list(read_articles(path))
    e = info.value
    assert (e.path, e.line, e.kind) == (str(path), line, kind)
    assert reason in e.reason
    prefix = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(e) == prefix + e.reason


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b" date 2020-01-17  \n\n ", "empty body"),
        (
            "emptytext.jsonl",
            b'{"time": "2011-08-03", "text": "  "}\n{"time": "2011-08-03", "text": "ok"}\n',
            "empty text",
        ),
    ],
)
def test_empty_text_is_skipped_and_reported_even_when_failing(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    report = IngestReport()
    articles = list(read_articles(path, report=report))
    assert len(articles) == report.read == content.count(b'"ok"')
    (error,) = report.skipped
    assert (error.path, error.line, error.kind) == (str(path), 1, "empty text")
    assert str(error).startswith(f"{path}:1: ") and reason in str(error)
    assert "skipped 1 (1 empty text)" in report.summary()


def test_skip_continues_and_counts_by_reason(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2020-01-01 Good one.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("no header", encoding="utf-8")
    (tmp_path / "c.txt").write_text("no header either", encoding="utf-8")
    (tmp_path / "d.jsonl").write_bytes(
        b'{"time": "2020-01-02", "text": "Good two."}\n{bad\n{"time": "2020-01-03", "text": "Good two."}\n'
    )
    (tmp_path / "e.csv").write_text("a,b\n", encoding="utf-8")
    report = IngestReport()
    articles = list(read_articles(tmp_path, on_error="skip", report=report))
    assert [a.text for a in articles] == ["Good one.", "Good two."]
    assert report.by_reason() == {"missing date": 2, "bad JSON": 1, "unknown file type": 1}
    assert [str(e).split(": ")[0] for e in report.skipped] == [
        f"{tmp_path}/b.txt:1",
        f"{tmp_path}/c.txt:1",
        f"{tmp_path}/d.jsonl:2",
        f"{tmp_path}/e.csv",
    ]
    assert report.summary() == (
        "read 2 articles, skipped 4 (2 missing date, 1 bad JSON, 1 unknown file type), 1 duplicate collapsed"
    )


def test_ignored_and_unknown_files(tmp_path):
    (tmp_path / "a.txt").write_text(" date 2020-01-01 Article.", encoding="utf-8")
    for name in ("README", "README.txt", "LICENSE", "SOURCES.tsv", "notes.md", ".hidden.txt"):
        (tmp_path / name).write_text("not an article", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("not an article", encoding="utf-8")
    assert [a.name for a in read_articles(tmp_path)] == ["a"]
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(IngestError, match=r"photo\.jpg: unknown file type '\.jpg'"):
        list(read_articles(tmp_path))


def test_explicit_format_reads_any_extension(tmp_path):
    path = tmp_path / "story.text"
    path.write_text(" date 2020-01-01 Body.", encoding="utf-8")
    assert [a.published for a in read_articles(path, input_format="seed")] == [date(2020, 1, 1)]
    with pytest.raises(IngestError, match=r"cannot tell the input format from the extension '\.text'"):
        read_articles(path)


@pytest.mark.parametrize("make", ["empty", "only_readme", "empty_file"])
def test_no_articles_is_an_error(tmp_path, make):
    if make == "only_readme":
        (tmp_path / "README.md").write_text("hi", encoding="utf-8")
    if make == "empty_file":
        (tmp_path / "a.jsonl").write_text("\n\n", encoding="utf-8")
    with pytest.raises(IngestError, match=f"no articles found under {tmp_path}"):
        list(read_articles(tmp_path, on_error="skip"))


def test_missing_path_and_bad_arguments(tmp_path):
    with pytest.raises(IngestError, match="no such file or folder"):
        read_articles(tmp_path / "nope")
    with pytest.raises(ValueError, match="on_error"):
        read_articles(DATA / "seeds", on_error="ignore")
    with pytest.raises(ValueError, match="unknown input format 'csv'"):
        read_articles(DATA / "seeds", input_format="csv")


@pytest.mark.parametrize(
    "path, expected",
    [
        ("seeds", "seed"),
        ("seeds/berlin.txt", "seed"),
        ("articles.jsonl", "jsonl"),
        ("newstls", "newstls"),
        ("newstls/alpha", "newstls"),
        ("html", "html"),
        ("html/ceasefire.html", "html"),
    ],
)
def test_detect_format(path, expected):
    assert detect_format(DATA / path) == expected
    assert expected in FORMATS


@pytest.mark.parametrize(
    "path, message",
    [
        ("mixed", "the folder mixes formats (1 seed, 1 jsonl, 1 html files)"),
        ("newstls/alpha/keywords.json", "cannot tell the input format from the extension '.json'"),
        ("nope", "no such file or folder"),
    ],
)
def test_detect_format_says_why_it_cannot_tell(path, message):
    with pytest.raises(IngestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        detect_format(DATA / path)


def test_folder_of_jsonl_is_jsonl(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"time": "2020-01-01", "text": "x"}\n', encoding="utf-8")
    assert detect_format(tmp_path) == "jsonl"


def test_error_without_line_and_pickling():
    e = IngestError("a/b.html", None, "no main text", kind="no main text")
    assert str(e) == "a/b.html: no main text"
    copy = pickle.loads(pickle.dumps(IngestError("a.jsonl", 3, "bad JSON: x", kind="bad JSON")))
    assert (str(copy), copy.kind) == ("a.jsonl:3: bad JSON: x", "bad JSON")


def test_report_summary_singular_and_empty():
    assert IngestReport().summary() == "read 0 articles"
    assert IngestReport(read=1).summary() == "read 1 article"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seeds not found at {SEEDS}")
@pytest.mark.parametrize(
    "stem, published",
    [("000_028eee75ba93bdb3", date(2020, 1, 17)), ("004_998827260db387d9", date(2019, 11, 26))],
)
def test_shared_seeds(stem, published):
    (article,) = read_articles(SEEDS / f"{stem}.txt")
    assert article.published == published
    assert article.name == stem
    assert not article.text.startswith("date") and article.text == article.text.strip()


@pytest.mark.skipif(not (T17 / "libya" / "articles.jsonl").is_file(), reason=f"Timeline17 not found at {T17}")
def test_t17_libya():
    # 777 records: 773 articles and 4 with an empty "text" (lines 38, 39, 431, 607 as distributed).
    report = IngestReport()
    articles = list(read_articles(T17 / "libya" / "articles.jsonl", on_error="skip", report=report))
    assert len(articles) == report.read == 773
    assert report.read + len(report.skipped) + report.duplicates == 777
    assert report.by_reason() == {"empty text": 4}
    assert {a.source for a in articles} == {"LibyaWar_cnn", "LibyaWar_reuters"}
    # Empty records are never fatal: the default mode reads the same articles and reports them.
    report = IngestReport()
    assert len(list(read_articles(T17 / "libya" / "articles.jsonl", report=report))) == 773
    assert str(report.skipped[0]).startswith(f"{T17 / 'libya' / 'articles.jsonl'}:38: empty text")


def test_the_html_reader_dependencies_are_declared():
    # lxml 6 moved lxml.html.clean (which trafilatura's jusText imports) into its own package.
    from importlib.metadata import requires

    assert any(r.lower().replace("-", "_").startswith("lxml_html_clean") for r in requires("dateline"))


class _BrokenTrafilatura(importlib.abc.MetaPathFinder):
    """Makes ``import trafilatura`` fail as it does on lxml 6 without lxml_html_clean."""

    def find_spec(self, name, path, target=None):
        if name == "trafilatura":
            raise ImportError(
                "lxml.html.clean module is now a separate project lxml_html_clean.\n"
                "Install lxml[html-clean] or lxml_html_clean directly."
            )
        return None


def test_a_missing_html_dependency_is_one_line(monkeypatch):
    monkeypatch.delitem(sys.modules, "trafilatura", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenTrafilatura(), *sys.meta_path])
    with pytest.raises(IngestError) as e:
        list(read_articles(DATA / "html" / "ceasefire.html"))
    assert "\n" not in str(e.value)
    assert str(e.value).startswith(f"{DATA / 'html' / 'ceasefire.html'}: cannot read HTML: lxml.html.clean")
    assert "pip install 'trafilatura' 'lxml_html_clean'" in str(e.value)


def test_an_extraction_failure_is_one_line(monkeypatch):
    # What trafilatura's parsers raise on hostile markup (none of our generated pages reaches it).
    import trafilatura

    def fail(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded\nwhile calling a Python object")

    monkeypatch.setattr(trafilatura, "bare_extraction", fail)
    report = IngestReport()
    assert list(read_articles(DATA / "html", on_error="skip", report=report)) == []
    (error,) = report.skipped
    assert error.kind == "bad HTML" and "\n" not in str(error)
    assert str(error).startswith(f"{DATA / 'html' / 'ceasefire.html'}: cannot extract the page: RecursionError")


# news-tls's own files: Entities numbers its articles (integer ids), and the dataset ships
# articles.preprocessed.jsonl.gz; each read as a dataset, a topic or the file itself.
@pytest.mark.parametrize(
    "path, names, date_named",
    [
        ("entities", ["31883", "31884", "40012"], "1999-07-08"),
        ("entities/Acme_Corp", ["31883", "31884", "40012"], "1999-07-08"),
        ("entities/Acme_Corp/articles.jsonl", ["31883", "31884", "40012"], "1999-07-08"),
        ("preprocessed", ["7001", "7002"], "2010-01-12"),
        ("entities_gz", ["7001", "7002"], "2010-01-12"),
        ("entities_gz/Quake", ["7001", "7002"], "2010-01-12"),
        ("entities_gz/Quake/articles.preprocessed.jsonl.gz", ["7001", "7002"], "2010-01-12"),
    ],
)
def test_build_reads_newstls_entities_and_preprocessed_gz_files(run, path, names, date_named):
    assert [a.name for a in read_articles(DATA / path)] == names
    built = run("build", DATA / path, "--no-cache", "--format", "json")
    assert built.exit_code == 0, built.output
    assert built.stderr.startswith(f"read {len(names)} articles")
    timeline = json.loads(built.stdout)
    assert date_named in [e["date"] for e in timeline["entries"]]
    assert {s["article_name"] for e in timeline["entries"] for s in e["sentences"]} <= set(names)
