"""The news-tls dataset layout: ``<dataset>/<topic>/articles.jsonl`` (or its gzip and preprocessed forms).

news-tls (Gholipour Ghalandari & Ifrim, 2020) distributes each topic as a
folder holding the articles (``articles.jsonl``, or
``articles.preprocessed.jsonl.gz``: the same records with tokenised
sentences added), the reference timelines (``timelines.jsonl``) and the
query terms (``keywords.json``). The references are what a system is scored
against and are never read. Every other file is named in the report as
ignored, with its reason; a topic folder with no articles file is an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from .errors import IgnoredFile, IngestError
from .files import shown

__all__ = ["ARTICLE_FILES", "REFERENCE_FILES", "articles_file", "is_newstls", "newstls_plan", "note_reason"]

# In order of preference: a topic holding several reads the first (they hold the same articles).
ARTICLE_FILES = ("articles.jsonl", "articles.jsonl.gz", "articles.preprocessed.jsonl", "articles.preprocessed.jsonl.gz")
REFERENCE_FILES = ("timelines.jsonl", "keywords.json")
_NOTE_STEMS = {"README", "LICENSE", "LICENCE", "COPYING", "SOURCES"}
_REFERENCE = "news-tls reference, never read"

# A plan item: a file to read, a folder or file that cannot be read (the error), or one passed over.
Planned = Path | IngestError | IgnoredFile


def note_reason(name: str) -> str | None:
    """Why a file of this name holds no article (hidden file, README, licence, ``*.md``), or None."""
    if name.startswith("."):
        return "hidden"
    # Notes that travel with a corpus (README.txt, LICENSE, SOURCES.tsv) are not articles.
    if name.lower().endswith(".md") or name.split(".")[0].upper() in _NOTE_STEMS:
        return "a note, not an article"
    return None


def articles_file(folder: Path) -> Path | None:
    """The articles file of a news-tls topic folder, or None."""
    for name in ARTICLE_FILES:
        if os.path.lexists(folder / name) and not (folder / name).is_dir():
            return folder / name
    return None


def _is_topic(folder: Path) -> bool:
    return articles_file(folder) is not None or any((folder / name).is_file() for name in REFERENCE_FILES)


def _subfolders(root: Path) -> list[Path]:
    try:
        return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def is_newstls(folder: Path) -> bool:
    """Whether ``folder`` is a news-tls dataset (``<topic>/articles.jsonl``) or one topic of it."""
    if not folder.is_dir():
        return False
    return _is_topic(folder) or any(_is_topic(p) for p in _subfolders(folder))


def newstls_plan(root: Path) -> Iterator[Planned]:
    """What to do with everything in a news-tls dataset or topic folder, in sorted order."""
    if _is_topic(root):
        yield from _topic(root)
        return
    for entry in _entries(root):
        if entry.is_dir() and not entry.name.startswith("."):
            yield from _topic(entry)
        else:
            yield _loose(entry, "a dataset reads <topic>/articles.jsonl only")


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _loose(entry: Path, layout: str) -> IgnoredFile:
    shown_path = shown(entry) + ("/" if entry.is_dir() else "")
    note = note_reason(entry.name)
    if note is not None:
        return IgnoredFile(shown_path, note)
    return IgnoredFile(shown_path, f"outside the news-tls layout: {layout}")


def _topic(folder: Path) -> Iterator[Planned]:
    chosen = articles_file(folder)
    if chosen is None:
        found = [e.name + ("/" if e.is_dir() else "") for e in _entries(folder)]
        listing = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        yield IngestError(
            shown(folder),
            None,
            f"no articles file in this news-tls topic folder (expected {' or '.join(ARTICLE_FILES)}; "
            f"found {listing or 'nothing'}); rename the file or move the folder out",
            kind="no articles file",
        )
        return
    for entry in _entries(folder):
        if entry == chosen:
            yield entry
        elif entry.name in ARTICLE_FILES:
            yield IgnoredFile(shown(entry), f"another copy of the topic's articles ({chosen.name} is read)")
        elif entry.name in REFERENCE_FILES:
            yield IgnoredFile(shown(entry), _REFERENCE)
        else:
            yield _loose(entry, f"a topic reads its {chosen.name} only")
