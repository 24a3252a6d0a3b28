"""Dateline: turn a pile of dated news articles into a dated, sourced timeline of the key events.

The data flows one way, and so does this package:
ingest (:mod:`dateline.ingest`) -> annotate (:mod:`dateline.annotate`, with
the tagger of :mod:`dateline.temporal`) -> build (:mod:`dateline.timeline`) ->
export (:mod:`dateline.export`). Benchmarks live in :mod:`dateline.evaluate`.
"""

from ._version import __version__
from .annotate import AnnotationCache, Annotator, PunktSplitter, SyntokSplitter, annotate_all, annotation_key
from .corpus import Corpus, CorpusStats, MemoryCorpus, corpus_timeline
from .export import EXPORTERS, render
from .ingest import FORMATS, IngestError, IngestReport, read_articles
from .language import detect_language
from .model import (
    AnnotatedArticle,
    Article,
    ArticleFacts,
    DateMention,
    EntryEvidence,
    Period,
    Precision,
    Sentence,
    SentenceRef,
    Sentences,
    Timeline,
    TimelineEntry,
)
from .store import Store, is_store
from .temporal import DateTagger, Timex, get_tagger
from .text import readable
from .timeline import (
    METHODS,
    BuildOptions,
    CentroidSummarizer,
    EventDeduper,
    MentionRanker,
    PublicationRanker,
    TimelineBuilder,
    build_timeline,
    get_builder,
)

__all__ = [
    "__version__",
    # data model
    "Article",
    "Sentence",
    "Sentences",
    "DateMention",
    "AnnotatedArticle",
    "ArticleFacts",
    "Precision",
    "Period",
    "SentenceRef",
    "TimelineEntry",
    "EntryEvidence",
    "Timeline",
    # ingest
    "read_articles",
    "FORMATS",
    "IngestError",
    "IngestReport",
    "detect_language",
    # annotate
    "Annotator",
    "AnnotationCache",
    "PunktSplitter",
    "SyntokSplitter",
    "annotate_all",
    "annotation_key",
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
    "EventDeduper",
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
    "readable",
]
