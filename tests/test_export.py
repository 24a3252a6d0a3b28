import json
import re
from datetime import date

import pytest

from dateline.export import EXPORTERS, render
from dateline.model import Precision, SentenceRef, Timeline, TimelineEntry

EVIL = "Rebels <script>alert(1)</script> took <img src=x onerror=alert(2)> [the town](javascript:alert(3))."


@pytest.fixture
def timeline():
    ref = SentenceRef(
        EVIL, "abc123", 4, 10, 90, date(2011, 3, 2), article_name="cnn/1", source="CNN", url="https://example.test/a"
    )
    plain = SentenceRef("NATO took command.", "def456", 0, 0, 18, date(2011, 3, 31), article_name="bbc/2")
    return Timeline(
        (
            TimelineEntry(date(2011, 3, 1), Precision.DAY, (ref,), corroboration=3, score=3.0),
            TimelineEntry(date(2011, 3, 31), Precision.DAY, (plain,), corroboration=1, score=1.0),
        ),
        {"method": "datewise", "articles": 2, "query": ["libya"]},
    )


def test_json_is_the_documented_schema(timeline):
    data = json.loads(render(timeline, "json"))
    assert data["schema"] == "dateline.timeline/1"
    assert list(data["entries"][0]) == ["date", "precision", "corroboration", "score", "sentences"]
    assert list(data["entries"][0]["sentences"][0]) == [
        "text",
        "article_id",
        "article_name",
        "sentence_index",
        "start",
        "end",
        "published",
        "source",
        "title",
        "url",
        "display",
    ]
    assert Timeline.from_dict(data).entries == timeline.entries


def test_markdown_cites_sources_and_escapes_html(timeline):
    md = render(timeline, "markdown")
    assert "## 2011-03-01" in md and "## 2011-03-31" in md
    # sentence_index as is: one numbering (from 0) in every format
    assert "CNN: cnn/1, sentence 4, published 2011-03-02" in md
    assert "`abc123`" in md
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    # brackets are escaped, so no Markdown link can form around article text
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert "\\[the town\\](javascript:" in md


def test_tilse_format(timeline):
    text = render(timeline, "tilse")
    assert text.splitlines() == [
        "2011-03-01",
        " ".join(EVIL.split()),
        "-" * 32,
        "2011-03-31",
        "NATO took command.",
        "-" * 32,
    ]


def test_tilse_format_reads_back_with_tilse(timeline, tmp_path):
    tilse_timelines = pytest.importorskip("tilse.data.timelines")
    path = tmp_path / "tl.txt"
    path.write_text(render(timeline, "tilse"), encoding="utf-8")
    with open(path, encoding="utf-8") as f:
        back = tilse_timelines.Timeline.from_file(f)
    assert sorted(back.get_dates()) == [date(2011, 3, 1), date(2011, 3, 31)]


def test_newstls_format(timeline):
    rows = json.loads(render(timeline, "newstls"))
    assert rows == [["2011-03-01T00:00:00", [" ".join(EVIL.split())]], ["2011-03-31T00:00:00", ["NATO took command."]]]


def test_unknown_format(timeline):
    with pytest.raises(ValueError, match="markdown"):
        render(timeline, "pdf")


def test_every_format_renders_an_empty_timeline():
    for fmt in EXPORTERS:
        assert isinstance(render(Timeline(()), fmt), str)


PTB = SentenceRef(
    "BP 's cap of $ 75m -LRB- # 50m -RRB- , `` a ridiculous spectacle '' \\/ AT&amp;T .",
    "ptb1",
    6,
    0,
    80,
    date(2010, 6, 2),
    article_name="guardian/1",
)
READABLE = "BP's cap of $75m (#50m), \u201ca ridiculous spectacle\u201d / AT&T."


def test_display_decodes_ptb_escapes_and_entities_and_text_stays_exact():
    assert PTB.display == READABLE
    data = PTB.to_dict()
    assert data["text"] == PTB.text and data["display"] == READABLE
    assert SentenceRef.from_dict(data) == PTB


@pytest.mark.parametrize("fmt", ["markdown", "html", "timelinejs", "timelinejs-csv"])
def test_human_formats_show_readable_text(fmt):
    out = render(Timeline((TimelineEntry(date(2010, 6, 1), Precision.DAY, (PTB,), 1, 1.0),), {"articles": 1}), fmt)
    assert "-LRB-" not in out and "``" not in out and "\\/" not in out and "&amp;amp;" not in out
    assert "75m (#50m)" in out and "spectacle\u201d" in out


@pytest.mark.parametrize("fmt", ["tilse", "newstls", "json"])
def test_benchmark_formats_keep_the_tokenised_text(fmt):
    out = render(Timeline((TimelineEntry(date(2010, 6, 1), Precision.DAY, (PTB,), 1, 1.0),), {"articles": 1}), fmt)
    assert "-LRB- # 50m -RRB-" in out


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_sentence_numbers_are_the_json_sentence_index(fmt):
    out = render(Timeline((TimelineEntry(date(2010, 6, 1), Precision.DAY, (PTB,), 1, 1.0),), {"articles": 1}), fmt)
    assert "sentence 6" in out and "sentence 7" not in out


@pytest.mark.parametrize("fmt", ["markdown", "html", "timelinejs", "timelinejs-csv"])
def test_counts_take_the_right_plural(fmt):
    one = Timeline((TimelineEntry(date(2010, 6, 1), Precision.DAY, (PTB,), 1, 1.0),), {"articles": 1})
    out = render(one, fmt)
    assert "1 date from" in out and "built from 1 article by" in out
    assert "1 dates" not in out and "1 articles" not in out


@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("markdown", "# Libya's war, 2011"),
        ("html", "<title>Libya&#x27;s war, 2011</title>"),
        ("timelinejs", '"headline": "Libya&#x27;s war, 2011"'),
        ("timelinejs-csv", "Libya&#x27;s war, 2011"),
    ],
)
def test_a_title_replaces_the_default_heading(timeline, fmt, expected):
    titled = Timeline(timeline.entries, {**timeline.meta, "title": "Libya's war, 2011"})
    out = render(titled, fmt)
    assert expected in out
    assert "Timeline of libya" not in out
