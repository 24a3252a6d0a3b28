"""``read_articles``: one stream of articles from a file or a folder, whatever its format."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..model import Article
from .errors import IngestError, IngestReport
from .formats import FORMATS, Reader, detect_format, format_of_file, is_newstls, walk

__all__ = ["read_articles"]

_ON_ERROR = ("fail", "skip")
# An article with no text has nothing in it to lose, and real corpora carry a
# few (Timeline17 has 25): it is skipped and reported even under "fail".
NEVER_FATAL = frozenset({"empty text"})
_Plan = Iterator[tuple[Path, Reader | IngestError]]


def read_articles(
    path: str | os.PathLike[str],
    *,
    input_format: str | None = None,
    on_error: str = "fail",
    report: IngestReport | None = None,
) -> Iterator[Article]:
    """Stream the articles under ``path`` (a file or a folder, read recursively in sorted order).

    Without ``input_format`` a file is read by its extension, a news-tls
    folder as ``newstls``, and any other folder file by file, each by its
    extension (so a folder may mix seeds, JSONL and HTML); with it, every
    file is read in that format. Hidden files, ``README*``, ``LICENSE*``,
    ``SOURCES*`` and ``*.md`` are ignored; any other file of unknown type is
    an error, never silently passed over. Articles with the same id (same
    text and source) are yielded once and counted in ``report.duplicates``.
    ``on_error="fail"`` raises the first :class:`IngestError`; ``"skip"``
    records it in ``report.skipped`` and goes on. Records with empty text
    are always skipped and recorded, never fatal (:data:`NEVER_FATAL`). A path with no articles at
    all raises ``IngestError``.
    """
    if on_error not in _ON_ERROR:
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    if input_format is not None and input_format not in FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; choose one of {', '.join(FORMATS)}")
    root = Path(path)
    if not root.exists():
        raise IngestError(str(root), None, "no such file or folder", kind="not found")
    if root.is_file() and input_format is None:
        input_format = detect_format(root)  # raises at once on an unknown extension
    return _stream(root, _plan(root, input_format), on_error, report if report is not None else IngestReport())


def _plan(root: Path, input_format: str | None) -> _Plan:
    """Which files to read, each with its reader (or the error saying why it cannot be read)."""
    if input_format is None and is_newstls(root):
        input_format = "newstls"
    fixed = FORMATS[input_format] if input_format else None
    if root.is_file():
        assert fixed is not None
        yield root, fixed
        return
    if fixed is not None and fixed.list_files is not None:
        for file in fixed.list_files(root):
            yield file, fixed
        return
    for file in walk(root):
        if fixed is not None:
            yield file, fixed
            continue
        name = format_of_file(file)
        if name is not None:
            yield file, FORMATS[name]
        else:
            yield (
                file,
                IngestError(
                    str(file),
                    None,
                    f"unknown file type {file.suffix or '(no extension)'!r}: expected .txt, .jsonl, .html or .htm "
                    "(move the file out of the folder or name the input format)",
                    kind="unknown file type",
                ),
            )


def _stream(root: Path, plan: _Plan, on_error: str, report: IngestReport) -> Iterator[Article]:
    seen: set[str] = set()
    anything = False
    for file, reader in plan:
        items = reader.read_file(file) if isinstance(reader, Reader) else (reader,)
        for item in items:
            anything = True
            if isinstance(item, IngestError):
                if on_error == "fail" and item.kind not in NEVER_FATAL:
                    raise item
                report.skipped.append(item)
            elif item.id in seen:
                report.duplicates += 1
            else:
                seen.add(item.id)
                report.read += 1
                yield item
    if not anything:
        raise IngestError(
            str(root),
            None,
            f"no articles found under {root} (expected .txt, .jsonl, .html/.htm files or <topic>/articles.jsonl)",
            kind="empty",
        )
