"""The words the human formats share: the timeline's title, its one-line summary, plurals."""

from __future__ import annotations

from ..model import Timeline
from ..text import plural

__all__ = ["plural", "summary", "title"]


def title(timeline: Timeline) -> str:
    """``meta["title"]`` (``dateline build --title``), else ``Timeline`` or ``Timeline of QUERY``."""
    meta = timeline.meta
    if meta.get("title"):
        return str(meta["title"])
    if meta.get("query"):
        return "Timeline of " + ", ".join(str(q) for q in meta["query"])
    return "Timeline"


def summary(timeline: Timeline) -> str:
    """``6 dates from 2009-06-01 to 2010-05-04, built from 8 articles by dateline 0.1.0.``"""
    meta = timeline.meta
    entries = timeline.entries
    made = f"built from {plural(meta.get('articles', '?'), 'article')} by {meta.get('generator', 'dateline')}."
    if not entries:
        return f"No dated events were found, {made}"
    return f"{plural(len(entries), 'date')} from {entries[0].label} to {entries[-1].label}, {made}"
