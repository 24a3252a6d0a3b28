"""Building timelines from annotated articles: evidence per date, date rankers, summarizers."""

from .builder import METHODS, BuildOptions, TimelineBuilder, auto_length, build_timeline, get_builder
from .dedup import DEDUPERS, Deduper, EventDeduper
from .evidence import Candidate, DateEvidence, Evidence, EvidenceCollector, Query, collect_evidence
from .furniture import find_comments, find_furniture, find_templates
from .rank import RANKERS, DateRanker, MentionRanker, PublicationRanker
from .summarize import SUMMARIZERS, CentroidSummarizer, Summarizer
from .vectors import tfidf_vectors

__all__ = [
    "DEDUPERS",
    "METHODS",
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
    "auto_length",
    "build_timeline",
    "collect_evidence",
    "find_comments",
    "find_furniture",
    "find_templates",
    "get_builder",
    "tfidf_vectors",
]
