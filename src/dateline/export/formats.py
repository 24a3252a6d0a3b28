"""Text renderings of a timeline: JSON, Markdown, TILSE, news-tls JSONL, TimelineJS and HTML.

Every renderer is a function ``Timeline -> str`` registered in
:data:`EXPORTERS` under the name ``--format`` uses.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from ..model import SentenceRef, Timeline
from .html import to_html
from .timelinejs import to_timelinejs, to_timelinejs_csv

__all__ = ["EXPORTERS", "render", "to_json", "to_markdown", "to_newstls", "to_tilse"]

TILSE_SEPARATOR = "-" * 32


def to_json(timeline: Timeline) -> str:
    """The documented JSON schema (``dateline.timeline/1``; see docs/json-schema.md)."""
    return json.dumps(timeline.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    # Article text is untrusted and Markdown viewers pass raw HTML through:
    # escape it so a "<script>" in an article stays text.
    return html.escape(text, quote=False).replace("[", "\\[").replace("]", "\\]")


def _citation(ref: SentenceRef) -> str:
    name = _md(ref.article_name or ref.article_id)
    label = f"{name}, sentence {ref.sentence_index + 1}, published {ref.published.isoformat()}"
    if ref.source:
        label = f"{_md(ref.source)}: {label}"
    if ref.url and ref.url.startswith(("http://", "https://")):
        return f"[{label}](<{ref.url.replace('>', '%3E')}>)"
    return label


def to_markdown(timeline: Timeline) -> str:
    """A readable timeline: one heading per date, each sentence followed by its source."""
    meta = timeline.meta
    title = "Timeline"
    if meta.get("query"):
        title += " of " + _md(", ".join(meta["query"]))
    lines = [f"# {title}", ""]
    if timeline.entries:
        first, last = timeline.entries[0].label, timeline.entries[-1].label
        lines += [
            f"{len(timeline.entries)} dates from {first} to {last}, "
            f"built from {meta.get('articles', '?')} articles by {meta.get('generator', 'dateline')}.",
            "",
        ]
    else:
        lines += ["No dated events were found.", ""]
    for entry in timeline.entries:
        n = entry.corroboration
        lines.append(f"## {entry.label}")
        lines.append(f"*{n} article{'s refer' if n != 1 else ' refers'} to this date.*")
        lines.append("")
        for ref in entry.sentences:
            lines.append(f"- {_md(ref.text)}  ")
            lines.append(f"  — {_citation(ref)} (article id `{ref.article_id}`)")
        lines.append("")
    return "\n".join(lines)


def to_tilse(timeline: Timeline) -> str:
    """TILSE's text format: a date line, one sentence per line, then 32 dashes."""
    out = []
    for entry in timeline.entries:
        out.append(entry.date.isoformat())
        out.extend(" ".join(ref.text.split()) for ref in entry.sentences)
        out.append(TILSE_SEPARATOR)
    return "\n".join(out) + ("\n" if out else "")


def to_newstls(timeline: Timeline) -> str:
    """news-tls's ``timelines.jsonl`` line: ``[["YYYY-MM-DDT00:00:00", [sentences]], ...]``."""
    rows = [[f"{e.date.isoformat()}T00:00:00", [ref.text for ref in e.sentences]] for e in timeline.entries]
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
