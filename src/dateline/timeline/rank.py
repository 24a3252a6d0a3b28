"""Date rankers: which dates of a corpus matter most.

A ranker scores every date of an :class:`Evidence`; the builder walks the
ranking until it has as many dated entries as asked for.
"""

from __future__ import annotations

import bisect
import math
from datetime import date
from typing import Protocol

from ..model import Period
from .evidence import Evidence, When, hindsight_weight

__all__ = ["RANKERS", "DateRanker", "MentionRanker", "PublicationRanker", "crowding"]


class DateRanker(Protocol):
    """Scores dates; higher is more important."""

    name: str

    def rank(self, evidence: Evidence) -> list[tuple[When, float]]: ...


def _order(when: When) -> tuple[date, int]:
    # A year before its first month before its first day.
    return (when.start, 0 if when.precision.value == "year" else 1) if isinstance(when, Period) else (when, 2)


def _sorted(scores: dict[When, float]) -> list[tuple[When, float]]:
    # Ties go to the earlier date so results are deterministic.
    return sorted(scores.items(), key=lambda item: (-item[1], _order(item[0])))


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

    How much hindsight says depends on how continuously the story is covered
    (:attr:`Evidence.coverage`, the share of its days with an article). A crisis
    has news every day, and the days still recalled later are the ones that
    mattered; a person or a company is covered over years only when something
    happens, so coverage itself marks the events, and a date recalled years
    later is as often background (a birth, an old lawsuit). Likewise, in such a
    corpus an article names many dates that are not its subject's: a date named
    in a sentence where no query term occurs counts less. Both weights are
    ``coverage ** coverage_exponent``: hindsight's ``ln`` factor, and the count
    of an article naming the date only outside the query's sentences. On
    Timeline17 (coverage .5 to 1) this changes little; on the Entities
    biographies (.04 to .16) it is what makes the ranking theirs (see
    BENCHMARKS.md). ``coverage_exponent=0`` weighs every corpus as a crisis.

    The corpus's last days have had no time to be recalled: nothing was
    published after them. With ``newest``, what a date's mentions score is multiplied by
    hindsight's full weight over the weight its remaining days allow (the
    last day's by ``1 + ln(1 + hindsight_days)`` at full coverage, a date a
    month before the end by 1), so a developing story's latest events can
    make the timeline (Gaddafi's death, the last day of Timeline17's Libya).
    Nor have their articles had time to name them: what a paper published on
    the corpus's last day reports is that day's news. So (``newest_publications``) within
    ``hindsight_days`` of the end, an article published on a date and not
    naming it counts more than ``publication_weight``: ``publication_weight +
    (1 - publication_weight) * fresh * coverage ** coverage_exponent``, where
    ``fresh`` is 1 on the last day and 0 a full window before it
    (``1 - ln(1 + days left) / ln(1 + hindsight_days)``), and is lifted with
    the mentions. In a story covered every day, the last day's articles count
    as if they named it; in a biography, where an article is seldom the news of
    its own day, hardly more than before. On Timeline17 R1 +.0013 and R2 +.0012
    (``reimpl``), date F1 unchanged, Entities a hair higher (see BENCHMARKS.md);
    Libya's default timeline now ends on Gaddafi's death.

    Where the coverage is thick, every day is named: a campaign's weeks, a
    trial's, a war's first days, each by many articles. An article published
    then is one voice of many, and the quiet months' milestones stand out
    from fewer. So each article's count (for the dates it names and for its
    own day) is divided by how much denser the coverage is around its
    publication than over the whole corpus, raised to ``density_exponent``:
    the articles published per day within ``density_window`` of the corpus's
    span before and after it, over the corpus's articles per day, when above
    1 (an article of quiet coverage counts in full). Both constants were
    chosen by leave-one-topic-out over the 23 development topics; date F1
    on Entities .2579 to .2869 (.2804 held out) and on Timeline17 .5843 to
    .5957, ROUGE up on both (see BENCHMARKS.md). ``density_exponent=0`` counts every article alike.
    """

    name = "mentions"

    def __init__(
        self,
        publication_weight: float = 0.25,
        hindsight_days: int = 30,
        relevance_exponent: float = 0.5,
        coverage_exponent: float = 0.5,
        newest: bool = True,
        newest_publications: bool = True,
        density_window: float = 0.07,
        density_exponent: float = 0.75,
    ):
        self.density_window = density_window
        self.density_exponent = density_exponent
        self.newest = newest
        self.newest_publications = newest_publications
        self.publication_weight = publication_weight
        self.hindsight_days = hindsight_days
        self.relevance_exponent = relevance_exponent
        self.coverage_exponent = coverage_exponent

    def rank(self, evidence: Evidence) -> list[tuple[When, float]]:
        """Hindsight- and relevance-weighted mentioning articles, plus weighted publications, plus a tiny tie-break on mentions."""
        scores = {}
        first = evidence.first_published
        weight = [r**self.relevance_exponent for r in evidence.relevance]
        if self.density_exponent:
            weight = [w / c**self.density_exponent for w, c in zip(weight, crowding(evidence, self.density_window))]
        continuity = evidence.coverage**self.coverage_exponent if evidence.articles else 1.0
        last = max((a.article.published for a in evidence.articles), default=None)
        full = hindsight_weight(self.hindsight_days, self.hindsight_days, continuity)
        for d, ev in evidence.dates.items():
            # An article naming the date only outside the query's sentences counts ``continuity``.
            counted = {i: weight[i] * (1.0 if i in ev.about else continuity) for i in ev.mentioning}
            publications = sum(weight[i] for i in ev.published - ev.mentioning)
            # News of a day is published that day and the next, so the story may begin a day before its
            # first article (a difference, not first - 1 day: 0001-01-01 has no day before).
            if first and (first - ev.end).days <= 1:
                score = sum(
                    hindsight_weight(lag, self.hindsight_days, continuity) * counted[i]
                    for i, lag in ev.hindsight.items()
                )
                if self.newest and last is not None:
                    days_left = (last - ev.end).days
                    if (
                        self.newest_publications and 0 <= days_left < self.hindsight_days
                    ):  # the day's own articles are all its news so far
                        fresh = 1.0 - math.log1p(days_left) / math.log1p(self.hindsight_days)
                        score += (
                            self.publication_weight + (1.0 - self.publication_weight) * fresh * continuity
                        ) * publications
                        publications = 0.0
                    score *= full / hindsight_weight(days_left, self.hindsight_days, continuity)
            else:
                score = sum(counted.values())
            score += self.publication_weight * publications
            if score > 0:
                scores[d] = score + ev.mentions / (1000.0 * (1 + ev.mentions))
        return _sorted(scores)


def crowding(evidence: Evidence, window: float) -> list[float]:
    """For each article, how much denser the coverage is around its publication than over the corpus (at least 1).

    The articles published per day from ``window`` of the corpus's span
    before an article's day to as many days after, over the corpus's
    articles per day.
    """
    published = sorted(a.article.published.toordinal() for a in evidence.articles)
    if not published:
        return []
    span = published[-1] - published[0] + 1
    rate = len(published) / span  # articles per day over the corpus
    radius = max(1, round(window * span))  # days before and after
    out = []
    for a in evidence.articles:
        day = a.article.published.toordinal()
        near = bisect.bisect_right(published, day + radius) - bisect.bisect_left(published, day - radius)
        out.append(max(1.0, near / (2 * radius + 1) / rate))
    return out


class PublicationRanker:
    """Ranks a date by how many articles were published on it (a news-volume baseline)."""

    name = "publications"

    def rank(self, evidence: Evidence) -> list[tuple[When, float]]:
        """Articles published on each date."""
        return _sorted({d: float(len(ev.published)) for d, ev in evidence.dates.items() if ev.published})


RANKERS: dict[str, type] = {cls.name: cls for cls in (MentionRanker, PublicationRanker)}
