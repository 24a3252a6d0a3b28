"""Bytes to text, strictly UTF-8, with an error that says where and what to do."""

from __future__ import annotations

import codecs

from .errors import IngestError

__all__ = ["decode_utf8"]


def decode_utf8(data: bytes, path: str, *, offset: int = 0, line: int | None = None) -> str | IngestError:
    """Decode ``data`` as UTF-8 (a leading BOM is dropped) or return the error to report.

    ``offset`` is where ``data`` starts in the file and ``line`` its line
    number, so the message points into the file rather than into the chunk;
    with ``line=None`` the line is counted from the newlines before the bad byte.
    """
    start = 0
    if data.startswith(codecs.BOM_UTF8):
        start = len(codecs.BOM_UTF8)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and offset == 0:
        return IngestError(
            path, 1, "the file is UTF-16 (byte-order mark at byte 0); re-save it as UTF-8", kind="bad encoding"
        )
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as e:
        bad = start + e.start
        where = line if line is not None else data.count(b"\n", 0, bad) + 1
        byte = data[bad : bad + 1].hex()
        return IngestError(
            path,
            where,
            f"not valid UTF-8 at byte offset {offset + bad} (byte 0x{byte}); re-save the file as UTF-8",
            kind="bad encoding",
        )
