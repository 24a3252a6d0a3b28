"""Date rankers: which dates of a corpus matter most.

A ranker scores every date of an :class:`Evidence`; the builder walks the
ranking until it has as many dated entries as asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .evidence import Evidence, hindsight_weight

__all__ = ["RANKERS", "DateRanker", "MentionRanker", "PublicationRanker"]


class DateRanker(Protocol):
    """Scores dates; higher is more important."""

    name: str

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]: ...


def _sorted(scores: dict[date, float]) -> list[tuple[date, float]]:
    # Ties go to the earlier date so results are deterministic.
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class MentionRanker:
    """Ranks a date by the articles that mention it, weighted by hindsight, then by publications on it.

    Counting articles rather than mentions keeps one article that repeats a
    date ten times from outweighing ten articles that each name it once.
    An article naming a date days or weeks after it happened is stronger
    evidence than one reporting it that day ("on Monday"): the date is still
    worth recalling, which is what makes a timeline entry. Such an article
    counts ``1 + ln(1 + days later)``, with the days capped at
    ``hindsight_days`` so that a landmark recalled a month later and one
    recalled years later weigh alike. Only dates of the story get this weight:
    a date from before the coverage began ("the jet entered service in
    2005") is background, whenever it is recalled, and counts 1. An article
    published on a date is weaker evidence than one naming it (most days have
    news; few are talked about), so it counts ``publication_weight``.
    With a query, every article's count is further multiplied by its
    relevance to the query (:attr:`Evidence.relevance`, query terms per word
    over the median article's) raised to ``relevance_exponent``: the dates named by
    an article that mentions the story in passing are mostly another
    story's (on Timeline17, date F1 +.009; see BENCHMARKS.md). ``relevance_exponent=0``
    counts every article alike.
    """

    name = "mentions"

    def __init__(self, publication_weight: float = 0.25, hindsight_days: int = 30, relevance_exponent: float = 0.5):
        self.publication_weight = publication_weight
        self.hindsight_days = hindsight_days
        self.relevance_exponent = relevance_exponent

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]:
        """Hindsight- and relevance-weighted mentioning articles, plus weighted publications, plus a tiny tie-break on mentions."""
        scores = {}
        first = evidence.first_published
        weight = [r**self.relevance_exponent for r in evidence.relevance]
        for d, ev in evidence.dates.items():
            # News of a day is published that day and the next, so the story may begin a day before its
            # first article (a difference, not first - 1 day: 0001-01-01 has no day before).
            if first and (first - d).days <= 1:
                score = sum(hindsight_weight(lag, self.hindsight_days) * weight[i] for i, lag in ev.hindsight.items())
            else:
                score = sum(weight[i] for i in ev.mentioning)
            score += self.publication_weight * sum(weight[i] for i in ev.published - ev.mentioning)
            if score > 0:
                scores[d] = score + ev.mentions / (1000.0 * (1 + ev.mentions))
        return _sorted(scores)


class PublicationRanker:
    """Ranks a date by how many articles were published on it (a news-volume baseline)."""

    name = "publications"

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]:
        """Articles published on each date."""
        return _sorted({d: float(len(ev.published)) for d, ev in evidence.dates.items() if ev.published})


RANKERS: dict[str, type] = {cls.name: cls for cls in (MentionRanker, PublicationRanker)}
