"""``read_articles``: one stream of articles from a file or a folder, whatever its format."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..model import Article
from .errors import IgnoredFile, IngestError, IngestReport
from .files import shown
from .formats import FORMATS, Reader, detect_format, format_of_file, is_newstls, unknown_type, walk

__all__ = ["read_articles"]

_ON_ERROR = ("fail", "skip")
# An article with no text has nothing in it to lose, and real corpora carry a
# few (Timeline17 has 25): it is skipped and reported even under "fail".
NEVER_FATAL = frozenset({"empty text"})
_Plan = Iterator[tuple[Path, Reader] | IngestError | IgnoredFile]


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
    file is read in that format. Any file may be gzip-compressed. Hidden
    files, ``README*``, ``LICENSE*``, ``SOURCES*``, ``*.md`` and news-tls's
    reference files are not read and are named in ``report.ignored``; any
    other file of unknown type, or that is not a regular file, is an error,
    never silently passed over. Articles with the same id (same text and
    source) are yielded once and counted in ``report.duplicates``.
    ``on_error="fail"`` raises the first :class:`IngestError`; ``"skip"``
    records it in ``report.skipped`` and goes on. Records with empty text
    are always skipped and recorded, never fatal (:data:`NEVER_FATAL`). A
    path with no articles at all raises ``IngestError``. Limits on record
    size, nesting and dates are in :mod:`dateline.ingest.limits`.
    """
    if on_error not in _ON_ERROR:
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    if input_format is not None and input_format not in FORMATS:
        raise ValueError(f"unknown input format {input_format!r}; choose one of {', '.join(FORMATS)}")
    root = Path(path)
    if not os.path.lexists(root):
        raise IngestError(shown(root), None, "no such file or folder", kind="not found")
    if not root.exists():
        raise IngestError(shown(root), None, "a broken symbolic link: it points to nothing", kind="not found")
    if not root.is_dir() and input_format is None:
        input_format = detect_format(root)  # raises at once on an unknown extension
    return _stream(root, _plan(root, input_format), on_error, report if report is not None else IngestReport())


def _plan(root: Path, input_format: str | None) -> _Plan:
    """Which files to read, each with its reader; the errors for those that cannot be; the files passed over."""
    if input_format is None and is_newstls(root):
        input_format = "newstls"
    fixed = FORMATS[input_format] if input_format else None
    if not root.is_dir():
        assert fixed is not None
        yield root, fixed
        return
    if fixed is not None and fixed.plan is not None:
        for item in fixed.plan(root):
            yield (item, fixed) if isinstance(item, Path) else item
        return
    for file in walk(root):
        if isinstance(file, IgnoredFile) or fixed is not None:
            yield file if isinstance(file, IgnoredFile) else (file, fixed)  # type: ignore[misc]
            continue
        name = format_of_file(file)
        yield (file, FORMATS[name]) if name is not None else unknown_type(file)


def _stream(root: Path, plan: _Plan, on_error: str, report: IngestReport) -> Iterator[Article]:
    seen: set[str] = set()
    anything = False
    for step in plan:
        if isinstance(step, IgnoredFile):
            report.ignored.append(step)
            continue
        items = step[1].read_file(step[0]) if isinstance(step, tuple) else (step,)
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
        ignored = (
            f"; ignored {len(report.ignored)}: {', '.join(map(str, report.ignored[:3]))}" if report.ignored else ""
        )
        raise IngestError(
            shown(root),
            None,
            f"no articles found under {shown(root)} (expected .txt, .jsonl, .html/.htm files, any of them .gz, "
            f"or <topic>/articles.jsonl{ignored})",
            kind="empty",
        )
