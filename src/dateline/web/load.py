"""Opening what ``dateline serve`` is pointed at: an embedded store, or files of articles."""

from __future__ import annotations

import os
from pathlib import Path

from ..annotate import AnnotationCache, Annotator, annotate_all
from ..corpus import Corpus, MemoryCorpus
from ..ingest import IngestReport, read_articles

__all__ = ["load_corpus", "StoreUnavailable"]


class StoreUnavailable(RuntimeError):
    """The path is (or looks like) a store, but ``dateline.store`` cannot be imported."""


# File names a store is saved under; used only to give a clear error when the
# store module is missing, never to decide how to read a file that exists.
_STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".dateline")


def load_corpus(
    path: str | os.PathLike[str],
    *,
    input_format: str | None = None,
    on_error: str = "fail",
    cache: AnnotationCache | None = None,
    annotator: Annotator | None = None,
    processes: int = 1,
    progress: bool = False,
    report: IngestReport | None = None,
) -> Corpus:
    """The corpus at ``path``: a ``dateline.store`` store (its pending articles annotated), else its files annotated in memory."""
    path = Path(path)
    try:
        from ..store import Store, is_store  # lazily: the store is optional for a folder of files
    except ImportError as e:
        if path.suffix.lower() in _STORE_SUFFIXES:
            raise StoreUnavailable(f"{path} looks like a store but dateline.store cannot be imported ({e})") from None
    else:
        if is_store(path):
            store = Store.open(path)
            # Articles added since the last annotation are annotated now, once, into the store.
            store.annotate(annotator, processes=processes, progress=progress)
            return store
    articles = read_articles(path, input_format=input_format, on_error=on_error, report=report)
    annotated = annotate_all(articles, annotator, cache=cache, processes=processes, progress=progress)
    return MemoryCorpus(annotated)
