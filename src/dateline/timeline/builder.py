"""The timeline builder: rank dates, summarise each, keep provenance.

A *method* is a named pair of strategies (a date ranker and a summarizer),
the shape of news-tls's ``DatewiseTimelineGenerator``; ``--method`` picks
one from :data:`METHODS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .._version import __version__
from ..annotate import AnnotationCache, Annotator, annotate_all
from ..heap import gc_paused
from ..model import AnnotatedArticle, Article, EntryEvidence, Timeline, TimelineEntry
from .dedup import Deduper, EventDeduper
from .evidence import Candidate, DateEvidence, Evidence, EvidenceCollector, Query, When, check_precision
from .rank import DateRanker, MentionRanker, PublicationRanker
from .summarize import CentroidSummarizer, Summarizer

__all__ = ["METHODS", "BuildOptions", "TimelineBuilder", "auto_length", "build_timeline", "get_builder"]

DEFAULT_SENTENCES = 2
MAX_AUTO_DATES = 30


@dataclass(frozen=True)
class BuildOptions:
    """What to build: the budget (``dates`` x ``sentences``), the query, the date window, and
    whether entries are days only (``precision="day"``) or may be months and years (``"any"``)."""

    dates: int | None = None
    sentences: int | None = None
    query: str | Sequence[str] | None = None
    start: date | None = None
    end: date | None = None
    precision: str = "day"

    def __post_init__(self) -> None:
        check_precision(self.precision)
        for name in ("dates", "sentences"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the window starts ({self.start}) after it ends ({self.end})")


def auto_length(n_articles: int, ranked_mentioning: Sequence[int]) -> int:
    """How many dates a timeline gets when the user does not say.

    Dates that at least two articles mention (one, in a corpus of fewer than
    ten articles), at most ``2·sqrt(articles)`` (but 5 in any case) and :data:`MAX_AUTO_DATES`,
    and at least one when any date is known.
    """
    floor = 2 if n_articles >= 10 else 1
    corroborated = sum(1 for n in ranked_mentioning if n >= floor)
    cap = min(MAX_AUTO_DATES, max(5, round(2 * math.sqrt(n_articles))))
    return max(min(corroborated, cap), 1 if ranked_mentioning else 0)


@dataclass(frozen=True)
class TimelineBuilder:
    """Composes the evidence stage, a date ranker and a summarizer into a timeline."""

    name: str
    ranker: DateRanker
    summarizer: Summarizer
    collector: EvidenceCollector = field(default_factory=EvidenceCollector)
    deduper: Deduper | None = field(default_factory=EventDeduper)

    def build(self, annotated: Sequence[AnnotatedArticle], options: BuildOptions = BuildOptions()) -> Timeline:
        """A timeline of ``annotated`` articles under ``options``."""
        # A build makes a few hundred thousand acyclic objects (candidate lines, sets of articles).
        with gc_paused():
            return self._build(annotated, options)

    def _build(self, annotated: Sequence[AnnotatedArticle], options: BuildOptions) -> Timeline:
        query = Query.parse(options.query)
        evidence = self.collector.collect(
            annotated, query=query, start=options.start, end=options.end, precision=options.precision
        )
        ranking = self.ranker.rank(evidence)
        limit = (
            options.dates
            if options.dates is not None
            else auto_length(len(evidence.articles), [len(evidence.dates[d].mentioning) for d, _ in ranking])
        )
        k = options.sentences or DEFAULT_SENTENCES
        scores = dict(ranking)
        chosen = self._choose(evidence, [d for d, _ in ranking], scores, k, limit)
        # The best-ranked date that could have been an entry and was left out: what each entry's score is measured against.
        kept = {d for d, _ in chosen}
        runner_up = next(
            (score for d, score in ranking if d not in kept and any(c.eligible for c in evidence.dates[d].candidates)),
            None,
        )
        entries = sorted(
            (
                TimelineEntry(
                    date=evidence.dates[d].date,
                    precision=evidence.dates[d].precision,
                    sentences=tuple(evidence.ref(c) for c in candidates),
                    corroboration=evidence.dates[d].corroboration,
                    score=scores[d],
                    evidence=_why(evidence, evidence.dates[d], scores[d], runner_up),
                )
                for d, candidates in chosen
            ),
            key=lambda e: (e.date, _COARSE_FIRST[e.precision.value]),
        )
        meta = {
            "generator": f"dateline {__version__}",
            "method": self.name,
            "articles": len(annotated),
            "articles_matching_query": len(evidence.articles),
            "dates_requested": options.dates,
            "dates": len(entries),
            "sentences_per_date": k,
            "query": list(query.terms) if query else None,
            "from": options.start.isoformat() if options.start else None,
            "to": options.end.isoformat() if options.end else None,
            "precision": options.precision,
        }
        return Timeline(entries=tuple(entries), meta=meta)

    def _choose(
        self, evidence: Evidence, ranked: list[When], scores: dict[When, float], k: int, limit: int
    ) -> list[tuple[When, list[Candidate]]]:
        """The summarizer's dates and lines, each event once (the deduper's), refilled up to ``limit`` dates."""
        chosen = self.summarizer.summarize(evidence, iter(ranked), k, limit)
        if self.deduper is None:
            return chosen
        kept = self.deduper.dedupe(evidence, chosen, scores)
        # Dates the deduper emptied are replaced by the next ranked ones, a few rounds at most.
        asked = limit
        for _ in range(3):
            if len(kept) >= limit or len(chosen) < asked:
                break
            asked += limit - len(kept)
            chosen = self.summarizer.summarize(evidence, iter(ranked), k, asked)
            kept = self.deduper.dedupe(evidence, chosen, scores)
        return kept[:limit] if len(kept) > limit else kept


_COARSE_FIRST = {"year": 0, "month": 1, "day": 2}


def _why(evidence: Evidence, ev: DateEvidence, score: float, runner_up: float | None) -> EntryEvidence:
    """What made ``ev``'s date an entry: its articles, how long they kept naming it, its lead over the next date."""
    latest = max((evidence.articles[i].article.published for i in ev.mentioning), default=None)
    return EntryEvidence(
        articles=len(ev.mentioning),
        published_on=len(ev.published),
        latest_mention=latest,
        lag_days=max((latest - ev.end).days, 0) if latest else None,
        score_ratio=score / runner_up if runner_up else None,
    )


METHODS: dict[str, Callable[[], TimelineBuilder]] = {
    "datewise": lambda: TimelineBuilder("datewise", MentionRanker(), CentroidSummarizer()),
    "pubcount": lambda: TimelineBuilder("pubcount", PublicationRanker(), CentroidSummarizer()),
}


def get_builder(method: str = "datewise") -> TimelineBuilder:
    """The builder registered as ``method``; ValueError listing the known ones otherwise."""
    try:
        return METHODS[method]()
    except KeyError:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(sorted(METHODS))}") from None


def build_timeline(
    articles: Iterable[Article],
    *,
    dates: int | None = None,
    sentences: int | None = None,
    query: str | Sequence[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    precision: str = "day",
    method: str = "datewise",
    annotator: Annotator | None = None,
    cache: AnnotationCache | None = None,
    processes: int = 1,
    progress: bool = False,
) -> Timeline:
    """Annotate ``articles`` (reusing ``cache``) and build their timeline with ``method``."""
    builder = get_builder(method)
    options = BuildOptions(dates=dates, sentences=sentences, query=query, start=start, end=end, precision=precision)
    annotated = list(annotate_all(articles, annotator, cache=cache, processes=processes, progress=progress))
    return builder.build(annotated, options)
