"""Date rankers: which dates of a corpus matter most.

A ranker scores every date of an :class:`Evidence`; the builder walks the
ranking until it has as many dated entries as asked for.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from .evidence import Evidence

__all__ = ["DateRanker", "MentionRanker", "PublicationRanker", "RANKERS"]


class DateRanker(Protocol):
    """Scores dates; higher is more important."""

    name: str

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]: ...


def _sorted(scores: dict[date, float]) -> list[tuple[date, float]]:
    # Ties go to the earlier date so results are deterministic.
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


class MentionRanker:
    """Ranks a date by how many distinct articles mention it, then by publications on it.

    Counting articles rather than mentions keeps one article that repeats a
    date ten times from outweighing ten articles that each name it once. An
    article published on a date is weaker evidence than one naming it (most
    days have news; few are talked about), so it counts ``publication_weight``.
    """

    name = "mentions"

    def __init__(self, publication_weight: float = 0.25):
        self.publication_weight = publication_weight

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]:
        """Distinct mentioning articles, plus weighted publications, plus a tiny tie-break on mentions."""
        scores = {}
        for d, ev in evidence.dates.items():
            score = len(ev.mentioning) + self.publication_weight * len(ev.published - ev.mentioning)
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
