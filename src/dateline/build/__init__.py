"""Building timelines from annotated articles: evidence per date, date rankers, summarizers."""

from .builder import METHODS, BuildOptions, TimelineBuilder, auto_length, build_timeline, get_builder
from .evidence import Candidate, DateEvidence, Evidence, EvidenceCollector, Query, collect_evidence
from .rank import RANKERS, DateRanker, MentionRanker, PublicationRanker
from .summarize import SUMMARIZERS, CentroidSummarizer, Summarizer
from .vectors import tfidf_vectors

__all__ = [
    "METHODS",
    "BuildOptions",
    "TimelineBuilder",
    "auto_length",
    "build_timeline",
    "get_builder",
    "Candidate",
    "DateEvidence",
    "Evidence",
    "EvidenceCollector",
    "Query",
    "collect_evidence",
    "RANKERS",
    "DateRanker",
    "MentionRanker",
    "PublicationRanker",
    "SUMMARIZERS",
    "CentroidSummarizer",
    "Summarizer",
    "tfidf_vectors",
]
