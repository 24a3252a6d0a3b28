"""Exports cannot run script: generated XSS payloads in every untrusted field, rendered by real renderers.

Markdown is rendered by markdown-it-py (CommonMark, raw HTML on) and Python-Markdown (plain
and with its ``extra`` extensions, which add attribute lists); the HTML page and the HTML
fragments TimelineJS renders (JSON and sheet) are parsed. Every element must be one the
export writes itself, every attribute one it sets, every link http(s).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest

from dateline.export import render
from dateline.model import Precision, SentenceRef, Timeline, TimelineEntry
from dateline.text import readable

markdown = pytest.importorskip("markdown")
markdown_it = pytest.importorskip("markdown_it")

SCRIPTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "<details open ontoggle=alert(1)>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<!-- --><script>alert(1)</script>",
    '<div markdown="1">[x](javascript:alert(1))</div>',
]
LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1) ",
    "<javascript:alert(1)>",
    "&#106;avascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]
# Ways Markdown builds a link, an image, raw HTML or attributes around a payload.
WRAPPERS = [
    "{}",
    "[x]({})",
    "![x]({})",
    "\\[x\\]({})",
    "\\\\[x\\\\]({})",
    "[x][r]\n\n[r]: {}",
    "\n\n{}",
    "\n    {}",
    "# [x]({})",
    "1. [x]({})",
    "> {}",
    "`` {} ``",
    'x{{: onclick="{}"}}',
    "*x*{{: onmouseover={}}}",
    "<{}>",
    "-LRB- {} -RRB-",
]
DECODED = [
    # Entities and PTB escapes are decoded for display: what they decode to must stay text.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&lt;img src=x onerror=alert(1)&gt;",
    "-LSB- x -RSB- -LRB- javascript:alert(1) -RRB-",
    "\\<script\\>alert(1)\\</script\\>",
    "]]><script>alert(1)</script>",
    # Underscores inside words stay bare; elsewhere they would emphasise.
    "bpoil_bbc _x_ __y__ a__b trail_ *z* **w** `c`",
]
PAYLOADS = sorted({w.format(p) for w in WRAPPERS for p in SCRIPTS + LINKS} | set(DECODED))
URLS = sorted(
    set(LINKS)
    | set(PAYLOADS)
    | {
        "https://a.test/\n\n<img src=x onerror=alert(1)>",
        "https://a.test/>)<img src=x onerror=alert(1)>",
        'https://a.test/"onmouseover="alert(1)',
        "https://a.test/) [x](javascript:alert(1)",
        'https://a.test/ "title" onmouseover=alert(1)',
        "https://a.test/\\",
        "https://a.test/`<img src=x onerror=alert(1)>`",
        "https://a.test/_x_*y*[z]",
    }
)
FIELDS = [
    "text",
    "title",
    "url",
    "source",
    "article_name",
    "article_id",
    "query",
    "meta_title",
    "generator",
    "articles",
]


def _timeline(field: str, payloads: list[str]) -> Timeline:
    entries = []
    meta: dict[str, object] = {"articles": 3, "generator": "dateline test", "query": ["libya"]}
    for i, payload in enumerate(payloads):
        values = {
            "text": "Rebels took the town.",
            "article_id": "abc123",
            "article_name": "cnn/1",
            "source": "CNN",
            "title": "A title",
            "url": "https://example.test/a",
        }
        if field in values:
            values[field] = payload
        ref = SentenceRef(
            values["text"],
            values["article_id"],
            4,
            10,
            90,
            date(2011, 3, 2),
            article_name=values["article_name"],
            source=values["source"],
            title=values["title"],
            url=values["url"],
        )
        entries.append(
            TimelineEntry(
                date(2011, 1, 1).replace(day=1 + i % 28, month=1 + i // 28 % 12), Precision.DAY, (ref,), 2, 1.0
            )
        )
    if field == "query":
        meta["query"] = payloads
    elif field == "meta_title":
        meta["title"] = "\n".join(payloads)
    elif field in ("generator", "articles"):
        meta[field] = " ".join(payloads)
    return Timeline(tuple(sorted(entries, key=lambda e: e.date)), meta)


def _payloads(field: str) -> list[str]:
    return URLS if field == "url" else PAYLOADS


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    handle_comment = handle_data  # a comment is not ours either: flagged below


def _elements(fragment: str) -> Elements:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser


def _unsafe(fragment: str, allowed: dict[str, set[str]]) -> list[str]:
    """Elements, attributes and links in ``fragment`` that the export did not mean to write."""
    found = []
    for tag, attrs in _elements(fragment).tags:
        if tag not in allowed:
            found.append(f"<{tag}>")
            continue
        for name, value in attrs:
            if name not in allowed[tag] or (name in ("href", "src") and not re.match(r"https?://", value or "")):
                found.append(f"<{tag} {name}={value!r}>")
    if "<!--" in fragment:
        found.append("<!-- -->")
    return found


MARKDOWN_TAGS = {t: set() for t in ("h1", "h2", "p", "em", "ul", "li", "code", "br")} | {"a": {"href"}}
RENDERERS = {
    "markdown-it": lambda md: markdown_it.MarkdownIt("commonmark").render(md),
    "python-markdown": lambda md: markdown.markdown(md),
    "python-markdown-extra": lambda md: markdown.markdown(md, extensions=["extra"]),
}


def test_the_checks_catch_what_they_look_for():
    assert _unsafe('<p>x</p><img src=x onerror="alert(1)">', MARKDOWN_TAGS) == ["<img>"]
    assert _unsafe('<a href="javascript:alert(1)">x</a>', MARKDOWN_TAGS) == ["<a href='javascript:alert(1)'>"]
    assert _unsafe('<li onclick="alert(1)">x</li>', MARKDOWN_TAGS) == ["<li onclick='alert(1)'>"]
    # The escaping this file tests is what makes the difference: unescaped, the payloads run.
    raw = "\n".join(f"- {p}" for p in PAYLOADS)
    for name, md in RENDERERS.items():
        assert _unsafe(md(raw), MARKDOWN_TAGS), name


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
@pytest.mark.parametrize("field", FIELDS)
def test_markdown_is_inert_when_rendered(field, renderer):
    md = render(_timeline(field, _payloads(field)), "markdown")
    out = RENDERERS[renderer](md)
    assert not _unsafe(out, MARKDOWN_TAGS)
    values = [v or "" for _, attrs in _elements(out).tags for _, v in attrs]
    assert not [v for v in values if re.match(r"(?i)\s*(?:javascript|vbscript|data):", v)]


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_markdown_shows_the_text_as_written(renderer):
    """Escaping is invisible once rendered: each line reads as the (decoded) sentence."""
    md = render(_timeline("text", PAYLOADS), "markdown")
    items = re.findall(r"<li>(.*?)<br />", RENDERERS[renderer](md).replace("<br>", "<br />"), flags=re.S)
    shown = [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]
    expected = [" ".join(readable(p).split()) for p in PAYLOADS]
    by_date = [ref.text for e in _timeline("text", PAYLOADS).entries for ref in e.sentences]
    assert shown == [" ".join(readable(t).split()) for t in by_date]
    assert sorted(shown) == sorted(expected)


@pytest.mark.parametrize("url", ["https://a.test/x?a=1&b=2#frag", "http://a.test/p_(1)/[2]/é"])
def test_markdown_links_keep_http_urls(url):
    md = render(_timeline("url", [url]), "markdown")
    for name, renderer in RENDERERS.items():
        hrefs = [v for tag, attrs in _elements(renderer(md)).tags if tag == "a" for k, v in attrs if k == "href"]
        assert len(hrefs) == 1, name
        assert hrefs[0].startswith(url.split("(")[0][:14])
    assert "a=1&b=2#frag" in md or "%28" in md


HTML_TAGS = {
    "html": {"lang"},
    "head": set(),
    "meta": {"charset", "name", "content"},
    "title": set(),
    "style": set(),
    "body": set(),
    "h1": set(),
    "p": {"class"},
    "section": {"id"},
    "h2": set(),
    "time": {"datetime"},
    "span": {"class"},
    "blockquote": set(),
    "cite": set(),
    "a": {"href", "rel"},
}
TIMELINEJS_TAGS = {"p": set(), "br": set(), "small": set(), "a": {"href", "rel"}}


@pytest.mark.parametrize("field", FIELDS)
def test_html_page_is_inert(field):
    page = render(_timeline(field, _payloads(field)), "html")
    assert not _unsafe(page, HTML_TAGS)
    # One <style> only: ours.
    assert [t for t, _ in _elements(page).tags].count("style") == 1


def _fragments(doc: dict) -> list[str]:
    parts = [doc["title"]["text"]["headline"], doc["title"]["text"]["text"]]
    for event in doc["events"]:
        parts += [event["text"]["headline"], event["text"]["text"], event["display_date"], event["unique_id"]]
    return parts


@pytest.mark.parametrize("field", FIELDS)
def test_timelinejs_fragments_are_inert(field):
    doc = json.loads(render(_timeline(field, _payloads(field)), "timelinejs"))
    for fragment in _fragments(doc):
        assert not _unsafe(fragment, TIMELINEJS_TAGS), fragment
    # Headlines are text: no element at all.
    assert not [t for e in doc["events"] for t in _elements(e["text"]["headline"]).tags]


FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("field", FIELDS)
def test_timelinejs_sheet_is_inert(field):
    payloads = _payloads(field) + ['=HYPERLINK("http://evil.test")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
    rows = list(csv.DictReader(io.StringIO(render(_timeline(field, payloads), "timelinejs-csv"))))
    for row in rows:
        for column in ("Headline", "Text"):
            assert not _unsafe(row[column], TIMELINEJS_TAGS), row[column]
        assert not [c for c in row.values() if c.startswith(FORMULA)]
