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
    ]
    assert Timeline.from_dict(data).entries == timeline.entries


def test_markdown_cites_sources_and_escapes_html(timeline):
    md = render(timeline, "markdown")
    assert "## 2011-03-01" in md and "## 2011-03-31" in md
    assert "CNN: cnn/1, sentence 5, published 2011-03-02" in md
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
