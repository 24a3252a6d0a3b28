"""Building timelines from annotated articles: evidence per date, date rankers, summarizers."""

from .builder import METHODS, BuildOptions, TimelineBuilder, auto_length, build_timeline, get_builder
from .dedup import DEDUPERS, Deduper, EventDeduper
from .evidence import (
    PRECISIONS,
    Candidate,
    DateEvidence,
    Evidence,
    EvidenceCollector,
    Query,
    When,
    collect_evidence,
    mention_when,
)
from .furniture import find_comments, find_furniture, find_templates
from .rank import RANKERS, DateRanker, MentionRanker, PublicationRanker
from .summarize import SUMMARIZERS, CentroidSummarizer, Summarizer
from .vectors import tfidf_vectors

__all__ = [
    "DEDUPERS",
    "METHODS",
    "PRECISIONS",
    "RANKERS",
    "SUMMARIZERS",
    "BuildOptions",
    "Candidate",
    "CentroidSummarizer",
    "DateEvidence",
    "DateRanker",
    "Deduper",
    "EventDeduper",
    "Evidence",
    "EvidenceCollector",
    "MentionRanker",
    "PublicationRanker",
    "Query",
    "Summarizer",
    "TimelineBuilder",
    "When",
    "auto_length",
    "build_timeline",
    "collect_evidence",
    "find_comments",
    "find_furniture",
    "find_templates",
    "get_builder",
    "mention_when",
    "tfidf_vectors",
]
