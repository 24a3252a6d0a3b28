"""Text renderings of a timeline: JSON, Markdown, TILSE, news-tls JSONL, TimelineJS and HTML.

Every renderer is a function ``Timeline -> str`` registered in
:data:`EXPORTERS` under the name ``--format`` uses.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import date
from urllib.parse import quote

from ..model import SentenceRef, Timeline
from .html import to_html
from .timelinejs import safe_url, to_timelinejs, to_timelinejs_csv
from .wording import summary, title

__all__ = ["EXPORTERS", "md_url", "render", "to_json", "to_markdown", "to_newstls", "to_tilse"]

TILSE_SEPARATOR = "-" * 32


def to_json(timeline: Timeline) -> str:
    """The documented JSON schema (``dateline.timeline/1``; see docs/json-schema.md)."""
    return json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2) + "\n"


# Markdown is published (static sites, GitHub, CMSs) and renderers pass raw HTML through,
# so every untrusted field is made inert for CommonMark and Python-Markdown alike: "<", ">"
# and "&" become entities (both renderers decode them as text, neither reads a tag), and a
# backslash goes before what builds links and images ("[", "]": a "(" or "!" alone builds
# nothing), emphasis, code spans and Python-Markdown's attribute lists ("{: onclick=...}"),
# and before the backslash itself. Only characters in Python-Markdown's escape set get one:
# elsewhere it would show the backslash. No library escapes Markdown for both renderers.
# An underscore inside a word ("bpoil_bbc") emphasises nothing in either renderer: left bare.
_MD_SPECIAL = re.compile(r"([\\`*{}\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
# A heading mark, a list marker or an ordered-list number starting the text would make a
# heading or a nested list of the list item holding it.
_MD_LEADING = re.compile(r"^(?:([-+#])|(\d+)([.)]))")
_PLAIN_ID = re.compile(r"[\w.-]+")
# Characters kept in a link's address: RFC 3986's reserved and unreserved ones, less those
# that end or open Markdown syntax ("(", ")", "[", "]", "*", "'"); all else is percent-encoded.
_URL_SAFE = "/:?#@!$&+,;=%-._~"


def _md(text: object) -> str:
    one_line = " ".join(str(text).split())
    escaped = html.escape(_MD_SPECIAL.sub(r"\\\1", one_line), quote=False)
    return _MD_LEADING.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped)


def _md_code(text: str) -> str:
    # A code span cannot escape a backtick: only plain ids (content hashes) go into one.
    return f"`{text}`" if _PLAIN_ID.fullmatch(text) else _md(text)


def md_url(url: str | None) -> str | None:
    """``url`` fit for a Markdown link: http(s) only, everything but plain URL characters percent-encoded."""
    link = safe_url(url)
    return quote(link, safe=_URL_SAFE) if link else None


def _citation(ref: SentenceRef) -> str:
    name = _md(ref.article_name or ref.article_id)
    label = f"{name}, sentence {ref.sentence_index}, published {ref.published.isoformat()}"
    if ref.source:
        label = f"{_md(ref.source)}: {label}"
    link = md_url(ref.url)
    return f"[{label}]({link})" if link else label


def to_markdown(timeline: Timeline) -> str:
    """A readable timeline: one heading per date, each sentence followed by its source."""
    lines = [f"# {_md(title(timeline))}", "", _md(summary(timeline)), ""]
    for entry in timeline.entries:
        n = entry.corroboration
        lines.append(f"## {entry.label}")
        lines.append(f"*{n} article{'s refer' if n != 1 else ' refers'} to this date.*")
        lines.append("")
        for ref in entry.sentences:
            lines.append(f"- {_md(ref.display)}  ")
            lines.append(f"  — {_citation(ref)} (article id {_md_code(ref.article_id)})")
        lines.append("")
    return "\n".join(lines)


def _by_day(timeline: Timeline) -> dict[date, list[str]]:
    """Each entry's sentences under its date, for the formats that know only days.

    A month or a year is written as its first day (``2011-03`` as
    2011-03-01, ``1985`` as 1985-01-01), merged after the lines of a day
    entry of that date, as tilse itself keys a timeline's summaries by day.
    """
    days: dict[date, list[str]] = {}
    for entry in timeline.entries:
        days.setdefault(entry.date, []).extend(ref.text for ref in entry.sentences)
    return days


def to_tilse(timeline: Timeline) -> str:
    """TILSE's text format: a date line, one sentence per line, then 32 dashes (months and years at their first day)."""
    out = []
    for day, texts in _by_day(timeline).items():
        out.append(day.isoformat())
        out.extend(" ".join(text.split()) for text in texts)
        out.append(TILSE_SEPARATOR)
    return "\n".join(out) + ("\n" if out else "")


def to_newstls(timeline: Timeline) -> str:
    """news-tls's ``timelines.jsonl`` line: ``[["YYYY-MM-DDT00:00:00", [sentences]], ...]`` (months and years at their first day)."""
    rows = [[f"{day.isoformat()}T00:00:00", texts] for day, texts in _by_day(timeline).items()]
    return json.dumps(rows, ensure_ascii=False) + "\n"


EXPORTERS: dict[str, Callable[[Timeline], str]] = {
    "json": to_json,
    "markdown": to_markdown,
    "tilse": to_tilse,
    "newstls": to_newstls,
    "timelinejs": to_timelinejs,
    "timelinejs-csv": to_timelinejs_csv,
    "html": to_html,
}


def render(timeline: Timeline, fmt: str = "json") -> str:
    """``timeline`` in format ``fmt`` (a key of :data:`EXPORTERS`)."""
    try:
        return EXPORTERS[fmt](timeline)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(EXPORTERS)}") from None
