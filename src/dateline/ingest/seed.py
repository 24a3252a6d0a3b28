"""The seed format: one ``.txt`` per article, starting `` date YYYY-MM-DD`` then the body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from ..model import Article
from .encoding import decode_utf8
from .errors import IngestError
from .files import read_capped, shown
from .jsonl import check_published

__all__ = ["read_seed"]

_HEADER = re.compile(r"\A\s*date[ \t]+(\S*)")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def read_seed(path: Path) -> Iterator[Article | IngestError]:
    """Read one seed file: the article, or the error saying why it cannot be read."""
    where = shown(path)
    data = read_capped(path)
    if isinstance(data, IngestError):
        yield data
        return
    text = decode_utf8(data, where)
    if isinstance(text, IngestError):
        yield text
        return
    header = _HEADER.match(text)
    if header is None:
        reason = "missing ' date YYYY-MM-DD' header at the start of the file"
        yield IngestError(where, 1, reason, kind="missing date")
        return
    value = header.group(1)
    published = _parse_day(value)
    if published is None:
        yield IngestError(
            where,
            1,
            f"unparsable date {value!r} in the ' date YYYY-MM-DD' header (expected e.g. 2020-01-17)",
            kind="bad date",
        )
        return
    out_of_range = check_published(published)
    if out_of_range is not None:
        yield IngestError(where, 1, out_of_range, kind="bad date")
        return
    # Same article saved on Windows or on Unix must hash to the same id.
    body = text[header.end() :].replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        yield IngestError(where, 1, "empty body: nothing follows the date header", kind="empty text")
        return
    yield Article.create(body, published, name=shown(path.stem), origin=where)


def _parse_day(value: str) -> date | None:
    if not _DAY.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2020-02-30 looks right but is not a day
        return None
