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
    """Ranks a date by how many distinct articles mention it, then by how often it is mentioned.

    Counting articles rather than mentions keeps one article that repeats a
    date ten times from outweighing ten articles that each name it once.
    """

    name = "mentions"

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]:
        """Distinct mentioning articles, with total mentions as a small tie-breaker."""
        scores = {}
        for d, ev in evidence.dates.items():
            if ev.mentioning:
                scores[d] = len(ev.mentioning) + ev.mentions / (1000.0 * (1 + ev.mentions))
        return _sorted(scores)


class PublicationRanker:
    """Ranks a date by how many articles were published on it (a news-volume baseline)."""

    name = "publications"

    def rank(self, evidence: Evidence) -> list[tuple[date, float]]:
        """Articles published on each date."""
        return _sorted({d: float(len(ev.published)) for d, ev in evidence.dates.items() if ev.published})


RANKERS: dict[str, type] = {cls.name: cls for cls in (MentionRanker, PublicationRanker)}
