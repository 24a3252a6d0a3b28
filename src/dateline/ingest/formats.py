"""The input formats by name, and how a path's format is told from its extension or layout."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Article
from .errors import IngestError
from .html import read_html
from .jsonl import newstls_files, read_jsonl
from .seed import read_seed

__all__ = ["FORMATS", "Reader", "detect_format", "format_of_file", "is_newstls", "walk"]


@dataclass(frozen=True)
class Reader:
    """One input format: the extensions it claims and how to read one file of it.

    ``list_files`` is set when the format is a folder layout of its own
    (news-tls); otherwise a folder is walked and every file read.
    """

    name: str
    suffixes: tuple[str, ...]
    read_file: Callable[[Path], Iterator[Article | IngestError]]
    list_files: Callable[[Path], list[Path]] | None = None


FORMATS: dict[str, Reader] = {
    "seed": Reader("seed", (".txt",), read_seed),
    "jsonl": Reader("jsonl", (".jsonl",), read_jsonl),
    "newstls": Reader("newstls", (".jsonl",), read_jsonl, list_files=newstls_files),
    "html": Reader("html", (".html", ".htm"), read_html),
}

# newstls is a layout, not an extension: a lone .jsonl file is plain jsonl.
_BY_SUFFIX = {s: r.name for r in FORMATS.values() if r.list_files is None for s in r.suffixes}
_EXPECTED = ".txt (seed), .jsonl (jsonl), .html/.htm (html) or a <topic>/articles.jsonl folder (newstls)"
_IGNORED_STEMS = {"README", "LICENSE", "LICENCE", "COPYING", "SOURCES"}


def format_of_file(path: Path) -> str | None:
    """The format a file's extension names, or None."""
    return _BY_SUFFIX.get(path.suffix.lower())


def is_newstls(folder: Path) -> bool:
    """Whether ``folder`` is a news-tls dataset (``<topic>/articles.jsonl``) or one topic of it."""
    return folder.is_dir() and bool(newstls_files(folder))


def _ignored(name: str) -> bool:
    # Notes that travel with a corpus (README.txt, LICENSE, SOURCES.tsv) are not articles.
    return name.startswith(".") or name.lower().endswith(".md") or name.split(".")[0].upper() in _IGNORED_STEMS


def walk(root: Path) -> Iterator[Path]:
    """Every file under ``root`` in sorted order, minus hidden files, READMEs, licences and ``*.md``."""
    found: list[tuple[str, ...]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = Path(folder).relative_to(root).parts
        found.extend((*rel, f) for f in files if not _ignored(f))
    # Sorted by path components, so a folder's files stay together wherever it sits.
    for parts in sorted(found):
        yield root.joinpath(*parts)


def detect_format(path: str | os.PathLike[str]) -> str:
    """The name of the format ``path`` holds; raises IngestError when it cannot tell.

    A ``.txt`` file or folder of them is ``seed``; a ``.jsonl`` file or folder
    of them ``jsonl``; a folder with ``articles.jsonl`` or
    ``<topic>/articles.jsonl`` ``newstls``; ``.html``/``.htm`` ``html``. A
    folder mixing extensions has no single format (``read_articles`` then
    reads each file by its extension), so it raises and says so.
    """
    p = Path(path)
    if not p.exists():
        raise IngestError(str(p), None, "no such file or folder", kind="not found")
    if p.is_file():
        name = format_of_file(p)
        if name is None:
            raise IngestError(
                str(p),
                None,
                f"cannot tell the input format from the extension {p.suffix or '(none)'!r}; "
                f"expected {_EXPECTED}, or name the format explicitly",
                kind="unknown file type",
            )
        return name
    if is_newstls(p):
        return "newstls"
    kinds = Counter(name for f in walk(p) if (name := format_of_file(f)))
    if not kinds:
        raise IngestError(str(p), None, f"no articles found under {p} (expected {_EXPECTED})", kind="empty")
    if len(kinds) > 1:
        mix = ", ".join(f"{n} {k}" for k, n in kinds.most_common())
        raise IngestError(
            str(p),
            None,
            f"the folder mixes formats ({mix} files); read_articles reads each file by its extension, "
            "or name one format explicitly",
            kind="mixed formats",
        )
    return next(iter(kinds))
