"""Opening what ``dateline serve`` is pointed at: an embedded store, or files of articles."""

from __future__ import annotations

import os
from pathlib import Path

from ..annotate import AnnotationCache, Annotator, annotate_all
from ..corpus import Corpus, MemoryCorpus
from ..ingest import IngestReport, read_articles
from ..store import Store, is_store
from .live import WATCH_INTERVAL, LiveCorpus

__all__ = ["live_corpus", "load_corpus"]


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
    from ..columnar.layout import is_columnar

    if is_columnar(path):
        from ..columnar import ParquetCorpus  # needs the scale extra (DuckDB)

        return ParquetCorpus(path, annotator=annotator)
    if is_store(path):
        # The annotator decides which annotations are served and what annotating the rest means.
        store = Store.open(path, annotator=annotator)
        # Articles added since the last annotation are annotated now, once, into the store.
        store.annotate(annotator, processes=processes, progress=progress)
        return store
    articles = read_articles(path, input_format=input_format, on_error=on_error, report=report)
    annotated = annotate_all(articles, annotator, cache=cache, processes=processes, progress=progress)
    return MemoryCorpus(annotated)


def live_corpus(
    path: str | os.PathLike[str],
    *,
    input_format: str | None = None,
    on_error: str = "fail",
    cache: AnnotationCache | None = None,
    annotator: Annotator | None = None,
    processes: int = 1,
    report: IngestReport | None = None,
    interval: float = WATCH_INTERVAL,
) -> LiveCorpus:
    """The corpus at ``path``, annotated on a thread from now on: what ``serve`` answers from before it is ready.

    Files are read now (a bad record raises :class:`~dateline.ingest.IngestError`
    here, before anything listens); annotating them, or a store's pending
    articles, is left to the :class:`LiveCorpus`. A store is then watched for
    articles ingested while it is served, every ``interval`` seconds. A
    columnar (Parquet) corpus is annotated already: it is served as it is.
    The corpus opened here is the :class:`LiveCorpus`'s: closing it closes the corpus.
    """
    path = Path(path)
    from ..columnar.layout import is_columnar

    if is_columnar(path):
        from ..columnar import ParquetCorpus  # needs the scale extra (DuckDB)

        # Annotated already and read in place: served at once, nothing to watch.
        return LiveCorpus(ParquetCorpus(path, annotator=annotator), processes=processes, owns=True)
    if is_store(path):
        return LiveCorpus(Store.open(path, annotator=annotator), processes=processes, interval=interval, owns=True)
    articles = list(read_articles(path, input_format=input_format, on_error=on_error, report=report))
    return LiveCorpus.annotating(articles, annotator, cache=cache, processes=processes)
