"""The input formats by name, and how a path's format is told from its extension or layout."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Article
from .errors import IgnoredFile, IngestError
from .files import shown
from .html import read_html
from .jsonl import read_jsonl
from .newstls import REFERENCE_FILES, Planned, is_newstls, newstls_plan, note_reason
from .seed import read_seed

__all__ = ["FORMATS", "Reader", "detect_format", "format_of_file", "is_newstls", "walk"]


@dataclass(frozen=True)
class Reader:
    """One input format: the extensions it claims and how to read one file of it.

    ``plan`` is set when the format is a folder layout of its own
    (news-tls): it says which files to read and names the rest; otherwise a
    folder is walked and every file read.
    """

    name: str
    suffixes: tuple[str, ...]
    read_file: Callable[[Path], Iterator[Article | IngestError]]
    plan: Callable[[Path], Iterator[Planned]] | None = None


# Any of these may also be gzip-compressed (``.jsonl.gz``); gzip is told by its magic bytes when read.
FORMATS: dict[str, Reader] = {
    "seed": Reader("seed", (".txt",), read_seed),
    "jsonl": Reader("jsonl", (".jsonl", ".ndjson"), read_jsonl),
    "newstls": Reader("newstls", (".jsonl",), read_jsonl, plan=newstls_plan),
    "html": Reader("html", (".html", ".htm"), read_html),
}

# newstls is a layout, not an extension: a lone .jsonl file is plain jsonl.
_BY_SUFFIX = {s: r.name for r in FORMATS.values() if r.plan is None for s in r.suffixes}
_EXPECTED = (
    ".txt (seed), .jsonl or .ndjson (jsonl), .html/.htm (html), any of them .gz, "
    "or a <topic>/articles.jsonl folder (newstls)"
)
_COMPRESSED = (".gz", ".bz2", ".xz", ".zst", ".zip", ".7z", ".tgz")


def format_of_file(path: Path) -> str | None:
    """The format a file's extension names (``.jsonl.gz`` is jsonl), or None."""
    name = path.name.lower().removesuffix(".gz")
    return _BY_SUFFIX.get(os.path.splitext(name)[1])


def unknown_type(path: Path) -> IngestError:
    """The error for a file whose extension names no format."""
    suffix = "".join(path.suffixes[-2:]) or "(no extension)"
    hint = (
        "decompress it, or name it .jsonl.gz / .txt.gz / .html.gz if it is gzip"
        if path.suffix.lower() in _COMPRESSED
        else "move the file out of the folder or name the input format"
    )
    return IngestError(
        shown(path),
        None,
        f"unknown file type {suffix!r}: expected {_EXPECTED} ({hint})",
        kind="unknown file type",
    )


def walk(root: Path) -> Iterator[Path | IgnoredFile]:
    """Every file under ``root`` in sorted order; hidden files, notes and news-tls references come as IgnoredFile."""
    found: list[tuple[tuple[str, ...], str | None]] = []
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root).parts
        for d in dirs:
            if d.startswith("."):
                found.append(((*rel, d), "hidden folder"))
            elif os.path.islink(os.path.join(folder, d)):
                found.append(((*rel, d), "a link to a folder, not followed"))
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d))]
        for f in files:
            reason = note_reason(f) or ("news-tls reference, never read" if f in REFERENCE_FILES else None)
            found.append(((*rel, f), reason))
    # Sorted by path components, so a folder's files stay together wherever it sits.
    for parts, reason in sorted(found, key=lambda item: item[0]):
        path = root.joinpath(*parts)
        yield path if reason is None else IgnoredFile(shown(path), reason)


def detect_format(path: str | os.PathLike[str]) -> str:
    """The name of the format ``path`` holds; raises IngestError when it cannot tell.

    A ``.txt`` file or folder of them is ``seed``; a ``.jsonl`` (``.ndjson``,
    either ``.gz``) file or folder of them ``jsonl``; a folder with
    ``articles.jsonl`` or ``<topic>/articles.jsonl`` (or their gzip or
    preprocessed forms) ``newstls``; ``.html``/``.htm`` ``html``. A folder
    mixing extensions has no single format (``read_articles`` then reads
    each file by its extension), so it raises and says so.
    """
    p = Path(path)
    if not os.path.lexists(p):
        raise IngestError(shown(p), None, "no such file or folder", kind="not found")
    if not p.is_dir():
        name = format_of_file(p)
        if name is None:
            raise IngestError(
                shown(p),
                None,
                f"cannot tell the input format from the extension {p.suffix or '(none)'!r}; "
                f"expected {_EXPECTED}, or name the format explicitly",
                kind="unknown file type",
            )
        return name
    if is_newstls(p):
        return "newstls"
    kinds = Counter(name for f in walk(p) if isinstance(f, Path) and (name := format_of_file(f)))
    if not kinds:
        raise IngestError(shown(p), None, f"no articles found under {shown(p)} (expected {_EXPECTED})", kind="empty")
    if len(kinds) > 1:
        mix = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        raise IngestError(
            shown(p),
            None,
            f"the folder mixes formats ({mix} files); read_articles reads each file by its extension, "
            "or name one format explicitly",
            kind="mixed formats",
        )
    return next(iter(kinds))
