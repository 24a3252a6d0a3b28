"""Dateline: turn a pile of dated news articles into a dated, sourced timeline of the key events.

The data flows one way, and so does this package:
ingest (:mod:`dateline.ingest`) -> annotate (:mod:`dateline.annotate`, with
the tagger of :mod:`dateline.temporal`) -> build (:mod:`dateline.build`) ->
export (:mod:`dateline.export`). Benchmarks live in :mod:`dateline.evaluate`.
"""

__version__ = "0.1.0"

from .annotate import AnnotationCache, Annotator, PunktSplitter, SyntokSplitter, annotate_all  # noqa: E402
from .build import (  # noqa: E402
    METHODS,
    BuildOptions,
    CentroidSummarizer,
    MentionRanker,
    PublicationRanker,
    TimelineBuilder,
    build_timeline,
    get_builder,
)
from .corpus import Corpus, CorpusStats, MemoryCorpus, corpus_timeline  # noqa: E402
from .export import EXPORTERS, render  # noqa: E402
from .store import Store, is_store  # noqa: E402
from .ingest import FORMATS, IngestError, IngestReport, read_articles  # noqa: E402
from .model import (  # noqa: E402
    AnnotatedArticle,
    Article,
    DateMention,
    Precision,
    Sentence,
    SentenceRef,
    Timeline,
    TimelineEntry,
)
from .temporal import DateTagger, Timex, get_tagger  # noqa: E402

__all__ = [
    "__version__",
    # data model
    "Article",
    "Sentence",
    "DateMention",
    "AnnotatedArticle",
    "Precision",
    "SentenceRef",
    "TimelineEntry",
    "Timeline",
    # ingest
    "read_articles",
    "FORMATS",
    "IngestError",
    "IngestReport",
    # annotate
    "Annotator",
    "AnnotationCache",
    "PunktSplitter",
    "SyntokSplitter",
    "annotate_all",
    "DateTagger",
    "Timex",
    "get_tagger",
    # build
    "build_timeline",
    "get_builder",
    "BuildOptions",
    "TimelineBuilder",
    "MentionRanker",
    "PublicationRanker",
    "CentroidSummarizer",
    "METHODS",
    # corpus
    "Corpus",
    "CorpusStats",
    "MemoryCorpus",
    "corpus_timeline",
    "Store",
    "is_store",
    # export
    "render",
    "EXPORTERS",
]
