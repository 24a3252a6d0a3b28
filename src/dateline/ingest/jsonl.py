"""JSON Lines articles in the news-tls layout: ``{"id", "time", "text", "title"?, "url"?, "source"?}``.

Read as they come from the field, not only as the format says: gzip (by
its magic bytes, whatever the name), lines ended by CR, LF or CRLF, several
records on one line (a JSON array, objects run together or separated by
U+2028 or NEL), integer ids (news-tls's Entities files). Other keys are
ignored, so news-tls's ``articles.preprocessed.jsonl.gz`` (the same records
with their tokenised ``sentences`` added) reads as it is. Every record is
either an article or an :class:`IngestError` naming the file and line.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..model import Article
from . import limits
from .encoding import decode_utf8
from .errors import IngestError
from .files import READ_ERRORS, clean_text, open_input, read_error_reason, shown

__all__ = ["check_published", "nesting_depth", "parse_time", "read_jsonl"]

_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\Z",
    re.ASCII,
)
_OPTIONAL = ("title", "url", "source")
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_DECODER = json.JSONDecoder()
# Between records on one line: JSON's whitespace and the line separators some
# writers use instead of a newline (U+2028, U+2029, NEL), a BOM left mid-file.
_BETWEEN = re.compile(r"[ \t\u2028\u2029\x85\x0b\x0c\ufeff]*")
# Where the next record may start after a broken one: after a separator, or at
# a '{' that follows a '}' (objects run together).
_RESYNC = re.compile(r"[\u2028\u2029\x85]|(?<=\})[ \t]*(?=\{)")
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" makes of bytes that are not UTF-8
_UTF16_BOMS = ("\udcff\udcfe", "\udcfe\udcff")
_EOL = ("\n", "\r")
# For nesting_depth: JSON strings (whose brackets do not nest), anything but a
# bracket, and an innermost pair.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")


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


def check_published(published: date) -> str | None:
    """Why ``published`` cannot be a publication date (outside the limits), or None when it can."""
    if limits.EARLIEST_PUBLISHED <= published <= limits.LATEST_PUBLISHED:
        return None
    return (
        f"publication date {published.isoformat()} is outside {limits.EARLIEST_PUBLISHED.isoformat()} to "
        f"{limits.LATEST_PUBLISHED.isoformat()} (the dates Dateline can reason around); correct it"
    )


def nesting_depth(text: str, cap: int) -> int:
    """How deeply the JSON ``text`` nests arrays and objects, counted up to ``cap + 1``.

    Written by hand because json has no depth limit of its own: its
    recursive parser fails with a RecursionError at a depth that depends on
    the caller's stack. Strings are blanked, then innermost pairs peeled off
    one level per pass (each pass is one C-speed regex substitution).
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    while brackets and depth <= cap:
        peeled = _PAIR.sub("", brackets)
        if peeled == brackets:  # unbalanced (bad JSON): every opener left may nest
            return depth + brackets.count("[") + brackets.count("{")
        brackets, depth = peeled, depth + 1
    return depth


def read_jsonl(path: Path) -> Iterator[Article | IngestError]:
    """Read a JSON Lines file (gzip or not): one article or one error per record."""
    try:
        with open_input(path) as stream:
            yield from _lines(stream, shown(path))
    except IngestError as e:
        yield e


def _lines(stream: BinaryIO, where: str) -> Iterator[Article | IngestError]:
    cap = limits.MAX_RECORD_BYTES
    # Decoded leniently and split on CR, LF and CRLF (newline=""): a bad byte
    # then costs its line only, and bytes are counted back exactly for messages.
    text = io.TextIOWrapper(stream, encoding="utf-8", errors="surrogateescape", newline="")
    number = offset = 0
    while True:
        try:
            line = text.readline(cap + 1)
            if not line:
                return
            start, number, size = offset, number + 1, _size(line)
            too_long = len(line) > cap and not line.endswith(_EOL)
            rest = line
            while too_long and rest and not rest.endswith(_EOL):
                rest = text.readline(cap + 1)  # the rest of the long line, never held whole
                size += _size(rest)
        except READ_ERRORS as e:
            yield IngestError(where, number + 1, f"cannot read on: {read_error_reason(e)}", kind="unreadable")
            return
        offset += size
        body = line.rstrip("\r\n")
        if too_long or size - (len(line) - len(body)) > cap:  # bytes, less the line break
            yield IngestError(
                where,
                number,
                f"the line holds more than {cap:,} bytes (limits.MAX_RECORD_BYTES, the most one record may hold); "
                "split the record or correct the line breaks",
                kind="too large",
            )
            continue
        if number == 1:
            if body.startswith(_UTF16_BOMS):
                yield IngestError(
                    where, 1, "the file is UTF-16 (byte-order mark at byte 0); re-save it as UTF-8", kind="bad encoding"
                )
                return
            body = body.removeprefix("\ufeff")
        if not body.isascii() and _UNDECODABLE.search(body):
            error = decode_utf8(line.encode("utf-8", "surrogateescape"), where, offset=start, line=number)
            if isinstance(error, IngestError):
                yield error
                continue
        if body.strip():
            yield from _values(body, where, number)


def _size(line: str) -> int:
    return len(line) if line.isascii() else len(line.encode("utf-8", "surrogateescape"))


def _values(body: str, where: str, number: int) -> Iterator[Article | IngestError]:
    """Every record on one line: usually one object, or an array of them, or several run together."""
    cap = limits.MAX_NESTING
    if body.count("[") + body.count("{") > cap and nesting_depth(body, cap) > cap:
        yield _too_deep(where, number)
        return
    pos, count = _skip(body, 0), 0
    while pos < len(body):
        count += 1
        try:
            value, end = _DECODER.raw_decode(body, pos)
        except RecursionError:
            yield _too_deep(where, number)
            return
        except ValueError as e:  # JSONDecodeError, or an integer of over 4,300 digits
            where_on_line = f" (record {count} on the line)" if count > 1 else ""
            detail = f"{e.msg} (column {e.colno})" if isinstance(e, json.JSONDecodeError) else str(e)
            yield IngestError(where, number, f"bad JSON{where_on_line}: {detail}", kind="bad JSON")
            resync = _RESYNC.search(body, max(getattr(e, "pos", pos), pos + 1))
            if resync is None:
                return
            pos = _skip(body, resync.end())
            continue
        if isinstance(value, list):  # a JSON array of articles on one line
            for i, item in enumerate(value, start=1):
                yield _record(item, where, number, f" (element {i} of the array)")
        else:
            yield _record(value, where, number, f" (record {count} on the line)" if count > 1 else "")
        pos = _skip(body, end)


def _skip(body: str, pos: int) -> int:
    """Where the next record starts: past the whitespace and separators at ``pos``."""
    between = _BETWEEN.match(body, pos)
    return between.end() if between else pos


def _too_deep(where: str, number: int) -> IngestError:
    return IngestError(
        where,
        number,
        f"JSON nested more than {limits.MAX_NESTING} levels deep (limits.MAX_NESTING); an article is an object of strings",
        kind="too deep",
    )


def _record(obj: Any, where: str, number: int, note: str = "") -> Article | IngestError:
    def error(reason: str, kind: str) -> IngestError:
        return IngestError(where, number, reason + note, kind=kind)

    if not isinstance(obj, dict):
        return error(f"expected a JSON object per line, got {_kind(obj)}", "not an object")
    for key in ("time", "text"):
        if key not in obj:
            return error(f"missing {key!r} field", "missing date" if key == "time" else "missing text")
    for key in ("time", "text"):
        if not isinstance(obj[key], str):
            return error(f"{key!r} must be a string, got {_kind(obj[key])}", "wrong type")
    name = obj.get("id")
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)  # news-tls's Entities files number their articles: an integer id is an id
    elif name is not None and not isinstance(name, str):
        return error(f"'id' must be a string, an integer or null, got {_kind(name)}", "wrong type")
    for key in _OPTIONAL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return error(f"{key!r} must be a string or null, got {_kind(obj[key])}", "wrong type")
    when = clean_text(obj["time"])
    try:
        published, stamp = parse_time(when)
    except ValueError:
        return error(
            f"unparsable time {when!r} (expected ISO 8601: 2011-08-03, 2011-08-03T10:00:00 "
            "or 2011-08-03T10:00:00+01:00)",
            "bad date",
        )
    out_of_range = check_published(published)
    if out_of_range is not None:
        return error(out_of_range, "bad date")
    text = clean_text(obj["text"])
    if not text.strip():
        return error("empty text", "empty text")
    optional = {key: clean_text(obj[key]) if obj.get(key) is not None else None for key in _OPTIONAL}
    return Article.create(
        text,
        published,
        name=clean_text(name) if name is not None else None,
        timestamp=stamp,
        origin=f"{where}:{number}",
        **optional,
    )


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)
