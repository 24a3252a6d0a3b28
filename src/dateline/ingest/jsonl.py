"""JSON Lines articles in the news-tls layout: ``{"id", "time", "text", "title"?, "url"?, "source"?}``.

Also the news-tls dataset folder (``<topic>/articles.jsonl``), whose
``timelines.jsonl`` and ``keywords.json`` are never read: they are the
references a system is scored against.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..model import Article
from .encoding import decode_utf8
from .errors import IngestError

__all__ = ["newstls_files", "parse_time", "read_jsonl"]

_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\Z"
)
_OPTIONAL = ("id", "title", "url", "source")
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def parse_time(value: str) -> tuple[date, datetime | None]:
    """The publication date and full timestamp of an ISO 8601 ``time``; raises ValueError.

    ``published`` is the date in the timestamp's own zone (10:00+01:00 on
    the 26th is the 26th, whatever the reader's zone). A bare date has no
    timestamp: inventing midnight would claim a time nobody gave.
    """
    value = value.strip()
    if not _TIME.match(value):
        raise ValueError(value)
    if len(value) == 10:
        return date.fromisoformat(value), None
    stamp = datetime.fromisoformat(value)
    return stamp.date(), stamp


def read_jsonl(path: Path) -> Iterator[Article | IngestError]:
    """Read a JSON Lines file: one article or one error per non-blank line."""
    where = str(path)
    try:
        handle = path.open("rb")
    except OSError as e:
        yield IngestError(where, None, f"cannot read the file: {e.strerror or e}", kind="unreadable")
        return
    offset = 0
    with handle:
        # Bytes, not text mode: a bad byte then costs one line, not the rest of the file.
        for number, raw in enumerate(handle, start=1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            line = decode_utf8(raw, where, offset=start, line=number)
            if isinstance(line, IngestError):
                yield line
                continue
            yield _record(line, where, number)


def _record(line: str, where: str, number: int) -> Article | IngestError:
    def error(reason: str, kind: str) -> IngestError:
        return IngestError(where, number, reason, kind=kind)

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return error(f"bad JSON: {e.msg} (column {e.colno})", "bad JSON")
    if not isinstance(obj, dict):
        return error(f"expected a JSON object per line, got {_kind(obj)}", "not an object")
    for key in ("time", "text"):
        if key not in obj:
            return error(f"missing {key!r} field", "missing date" if key == "time" else "missing text")
    for key in ("time", "text"):
        if not isinstance(obj[key], str):
            return error(f"{key!r} must be a string, got {_kind(obj[key])}", "wrong type")
    for key in _OPTIONAL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return error(f"{key!r} must be a string or null, got {_kind(obj[key])}", "wrong type")
    try:
        published, stamp = parse_time(obj["time"])
    except ValueError:
        return error(
            f"unparsable time {obj['time']!r} (expected ISO 8601: 2011-08-03, 2011-08-03T10:00:00 "
            "or 2011-08-03T10:00:00+01:00)",
            "bad date",
        )
    text: str = obj["text"]
    if not text.strip():
        return error("empty text", "empty text")
    return Article.create(
        text,
        published,
        name=obj.get("id"),
        title=obj.get("title"),
        url=obj.get("url"),
        source=obj.get("source"),
        timestamp=stamp,
        origin=f"{where}:{number}",
    )


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def newstls_files(root: Path) -> list[Path]:
    """The ``articles.jsonl`` files of a news-tls dataset folder, one topic folder or a file."""
    if root.is_file():
        return [root]
    if (root / "articles.jsonl").is_file():
        return [root / "articles.jsonl"]
    return sorted(
        p / "articles.jsonl" for p in root.iterdir() if not p.name.startswith(".") and (p / "articles.jsonl").is_file()
    )
