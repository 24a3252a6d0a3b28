"""Knight Lab TimelineJS: its JSON format and its Google-Sheets template as CSV.

TimelineJS renders ``text.headline`` and ``text.text`` as HTML, so article
text is HTML-escaped and only http(s) links are written. The CSV has exactly
the columns of the TimelineJS Google-Sheets template (``Year`` ... ``Background``,
as in TimelineJS3's ``src/js/core/__tests__/women_in_computing.csv``), so it can
be pasted into a copy of the template.

A timeline longer than :data:`MAX_EVENTS` keeps its best-scored dates: a
TimelineJS slide show is read one slide at a time and past a hundred slides
nobody reaches the end (and TimelineJS reads a sheet only up to row 1000,
``A1:R1000`` in its ``ConfigFactory.js``).
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from ..model import Precision, SentenceRef, Timeline, TimelineEntry
from .wording import summary, title

__all__ = ["MAX_EVENTS", "SHEET_COLUMNS", "safe_url", "timelinejs_events", "to_timelinejs", "to_timelinejs_csv"]

MAX_EVENTS = 100
HEADLINE_CHARS = 90
SHEET_COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_COARSE_FIRST = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


def _capped(timeline: Timeline, limit: int) -> list[TimelineEntry]:
    """The ``limit`` best-scored entries (all of them when fewer), in date order."""
    entries = list(timeline.entries)
    if len(entries) > limit:
        entries = sorted(entries, key=lambda e: (-e.score, e.date))[:limit]
    # A month or a year is drawn before the days inside it that start on the same date.
    return sorted(entries, key=lambda e: (e.date, _COARSE_FIRST[e.precision]))


def _headline(entry: TimelineEntry) -> str:
    if not entry.sentences:
        return entry.label
    text = entry.sentences[0].display
    if len(text) <= HEADLINE_CHARS:
        return text
    cut = text[:HEADLINE_CHARS].rsplit(" ", 1)[0]
    return cut + "…"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (a ``javascript:`` URL never becomes a link)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _cite(ref: SentenceRef) -> str:
    name = html.escape(ref.title or ref.article_name or ref.article_id)
    link = safe_url(ref.url)
    if link:
        name = f'<a href="{html.escape(link, quote=True)}" rel="noopener noreferrer">{name}</a>'
    source = f"{html.escape(ref.source)}, " if ref.source else ""
    return f"{source}{name}, {ref.published.isoformat()}"


def _event_text(entry: TimelineEntry) -> str:
    n = entry.corroboration
    parts = [f"<p>{html.escape(ref.display)}<br><small>— {_cite(ref)}</small></p>" for ref in entry.sentences]
    parts.append(f"<p><small>{n} article{'s refer' if n != 1 else ' refers'} to this date.</small></p>")
    return "".join(parts)


def _date_fields(entry: TimelineEntry) -> dict[str, int]:
    d = entry.date
    fields = {"year": d.year}
    if entry.precision in (Precision.MONTH, Precision.DAY):
        fields["month"] = d.month
    if entry.precision is Precision.DAY:
        fields["day"] = d.day
    return fields


def _title(timeline: Timeline) -> tuple[str, str]:
    return html.escape(title(timeline)), html.escape(summary(timeline))


def timelinejs_events(timeline: Timeline, limit: int = MAX_EVENTS) -> list[dict[str, Any]]:
    """The TimelineJS ``events`` (slides) of ``timeline``, at most ``limit``."""
    return [
        {
            "start_date": {**_date_fields(e), "display_date": e.label},
            "display_date": e.label,
            "text": {"headline": html.escape(_headline(e)), "text": _event_text(e)},
            "unique_id": f"date-{e.label}",
            "autolink": False,
        }
        for e in _capped(timeline, limit)
    ]


def to_timelinejs(timeline: Timeline) -> str:
    """TimelineJS JSON (``{"title", "events"}``), at most :data:`MAX_EVENTS` events."""
    headline, about = _title(timeline)
    doc = {"title": {"text": {"headline": headline, "text": f"<p>{about}</p>"}}, "events": timelinejs_events(timeline)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_timelinejs_csv(timeline: Timeline) -> str:
    """Rows for the TimelineJS Google-Sheets template: its header, a title row, one row per event."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHEET_COLUMNS)
    headline, about = _title(timeline)
    title = dict.fromkeys(SHEET_COLUMNS, "")
    title.update({"Headline": headline, "Text": f"<p>{about}</p>", "Type": "title"})
    writer.writerow([_cell(title[c]) for c in SHEET_COLUMNS])
    for entry in _capped(timeline, MAX_EVENTS):
        row: dict[str, str | int] = dict.fromkeys(SHEET_COLUMNS, "")
        fields = _date_fields(entry)
        row.update(
            {
                "Year": fields["year"],
                "Month": fields.get("month", ""),
                "Day": fields.get("day", ""),
                "Display Date": entry.label,
                "Headline": html.escape(_headline(entry)),
                "Text": _event_text(entry),
            }
        )
        writer.writerow([_cell(row[c]) for c in SHEET_COLUMNS])
    return out.getvalue()
