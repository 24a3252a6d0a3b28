"""Exporting timelines."""

from .formats import EXPORTERS, render, to_json, to_markdown, to_newstls, to_tilse
from .html import to_html
from .timelinejs import MAX_EVENTS, SHEET_COLUMNS, safe_url, to_timelinejs, to_timelinejs_csv

__all__ = [
    "EXPORTERS",
    "MAX_EVENTS",
    "SHEET_COLUMNS",
    "render",
    "safe_url",
    "to_html",
    "to_json",
    "to_markdown",
    "to_newstls",
    "to_tilse",
    "to_timelinejs",
    "to_timelinejs_csv",
]
