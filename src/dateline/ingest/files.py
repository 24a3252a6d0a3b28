"""Opening input files safely: regular files only, gzip by its magic bytes, bounded reads, printable names."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..text import clean_text  # lives beside the model, which cleans Article.create's text with it
from . import limits
from .errors import IngestError

__all__ = ["READ_ERRORS", "clean_text", "open_input", "read_capped", "read_error_reason", "shown"]

# What reading a damaged gzip stream (or a failing disk) raises part-way through.
READ_ERRORS = (OSError, EOFError, zlib.error)

# Other compressions we do not read: say so rather than report their bytes as bad UTF-8.
_MAGIC = (
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"PK\x03\x04", "zip"),
)


def shown(path: str | os.PathLike[str]) -> str:
    """``path`` as printable text: bytes of a non-UTF-8 file name become U+FFFD.

    The file is still opened by its real name; this is what goes into
    messages, origins and names, which are encoded as UTF-8 (store, cache,
    output) and would fail on the surrogates Python decodes such names to.
    """
    return clean_text(str(path))


def _file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@contextmanager
def open_input(path: Path) -> Iterator[BinaryIO]:
    """The bytes of a regular file, decompressed when they are gzip; raises IngestError.

    Opened without blocking and checked on the open descriptor, so a FIFO
    or a device (a symlink to /dev/zero) is refused, never read, whatever
    its name. Gzip is told by its magic bytes, not the name, so a
    compressed file named ``.jsonl`` reads like any other.
    """
    where = shown(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise IngestError(where, None, f"cannot read the file: {e.strerror or e}", kind="unreadable") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise IngestError(
                where,
                None,
                f"not a regular file ({_file_type(mode)}); only regular files are read: copy it into one, or move it away",
                kind="not a regular file",
            )
        os.set_blocking(fd, True)
        raw = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with raw:
        try:
            head = raw.peek(8)[:8]
        except OSError as e:
            raise IngestError(where, None, f"cannot read the file: {e.strerror or e}", kind="unreadable") from None
        if head.startswith(b"\x1f\x8b"):
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
            return
        for magic, name in _MAGIC:
            if head.startswith(magic):
                raise IngestError(
                    where,
                    None,
                    f"the file is {name}-compressed; decompress it first (gzip is read as it is)",
                    kind="unsupported compression",
                )
        yield raw


def read_capped(path: Path) -> bytes | IngestError:
    """A whole file's bytes (decompressed), at most ``limits.MAX_RECORD_BYTES``, or the error to report."""
    where = shown(path)
    cap = limits.MAX_RECORD_BYTES
    try:
        with open_input(path) as stream:
            data = stream.read(cap + 1)
    except IngestError as e:
        return e
    except READ_ERRORS as e:
        return IngestError(where, None, f"cannot read the file: {read_error_reason(e)}", kind="unreadable")
    if len(data) > cap:
        return IngestError(
            where,
            None,
            f"the file is larger than the {cap:,}-byte limit for one article (limits.MAX_RECORD_BYTES); split it",
            kind="too large",
        )
    return data


def read_error_reason(e: BaseException) -> str:
    """A one-line reason for an error raised while reading a (compressed) file."""
    if isinstance(e, EOFError):
        return "the compressed data ends early (truncated gzip)"
    if isinstance(e, (zlib.error, gzip.BadGzipFile)):
        return f"corrupt gzip data ({e})"
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return str(e)
