"""Saved web pages: main text, title and publication date extracted by trafilatura (offline)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from ..model import Article
from .errors import IngestError
from .files import clean_text, read_capped, shown
from .jsonl import check_published

__all__ = ["read_html"]


def read_html(path: Path) -> Iterator[Article | IngestError]:
    """Read one saved ``.html``/``.htm`` page: the article, or the error saying why not."""
    where = shown(path)
    try:
        # Imported here: trafilatura is slow to import and only HTML input needs it.
        import trafilatura
    except ImportError as e:  # lxml 6 moved its HTML cleaner out: lxml_html_clean must be installed
        # lxml's own message spans two lines; an error is one line.
        reason = " ".join(str(e).split())
        yield IngestError(
            where, None, f"cannot read HTML: {reason} (pip install 'trafilatura' 'lxml_html_clean')", kind="unreadable"
        )
        return
    data = read_capped(path)
    if isinstance(data, IngestError):
        yield data
        return
    try:
        doc = trafilatura.bare_extraction(
            data,  # bytes: trafilatura finds the page's own encoding
            with_metadata=True,
            include_comments=False,
            date_extraction_params={
                "original_date": True,
                # Markup only (meta tags, <time>, JSON-LD, URL): a date merely
                # mentioned in the body is not the publication date.
                "extensive_search": False,
                "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
            },
        )
    except (RecursionError, ValueError, TypeError, LookupError) as e:  # what its parsers raise on hostile markup
        detail = " ".join(str(e).split())  # an error is one line, whatever the parser's message
        yield IngestError(where, None, f"cannot extract the page: {type(e).__name__}: {detail}", kind="bad HTML")
        return
    # trafilatura returns a Document (or None) unless asked for a dict, which we never do.
    text = (doc.text or "").strip() if doc is not None else ""  # type: ignore[union-attr]
    if not text:
        yield IngestError(
            where,
            None,
            "no main text found in the page (an index, a login wall or an empty page?)",
            kind="no main text",
        )
        return
    assert doc is not None and not isinstance(doc, dict)  # a page without text returned above
    published = _day(doc.date)
    if published is None:
        yield IngestError(
            where,
            None,
            'no publication date found in the page; add <meta property="article:published_time" '
            "content=\"YYYY-MM-DD\"> to it, or save the text as a seed .txt starting ' date YYYY-MM-DD'",
            kind="missing date",
        )
        return
    out_of_range = check_published(published)
    if out_of_range is not None:
        yield IngestError(where, None, out_of_range, kind="bad date")
        return

    def field(value: str | None) -> str | None:
        return clean_text(value) if value else None

    yield Article.create(
        clean_text(text),
        published,
        name=shown(path.stem),
        title=field(doc.title),
        url=field(doc.url),
        source=field(doc.sitename or doc.hostname),
        origin=where,
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
