"""Summarizers: the sentences that best say what happened on each date.

A summarizer walks the ranked dates, picks up to ``k`` sentences for each
and skips dates it has nothing new to say about, until the timeline has
``limit`` dates. Redundancy is checked against the whole timeline, not only
within a date, so the same news reported on two dates appears once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from .evidence import Candidate, Evidence, When, hindsight_weight
from .vectors import tfidf_vectors

__all__ = ["SUMMARIZERS", "CentroidSummarizer", "Summarizer"]

# Dates considered beyond the timeline's length, at the least (see CentroidSummarizer.summarize).
POOL_MARGIN = 20


class Summarizer(Protocol):
    """Chooses sentences for ranked dates."""

    name: str

    def summarize(
        self, evidence: Evidence, ranked: Iterable[When], k: int, limit: int
    ) -> list[tuple[When, list[Candidate]]]: ...


class CentroidSummarizer:
    """Picks, for each date, the sentences that together best match what was said about that date.

    Everything said about a date (every candidate, eligible or not) makes its
    centroid, in the vectors of ``vectorize`` (L2-normalised sparse rows, by
    default TF-IDF over Porter stems, :func:`dateline.timeline.vectors.tfidf_vectors`). As in the date
    ranker, what was still said about a date days later is what the date is
    remembered for: a sentence from an article published ``lag`` days after
    the date weighs ``1 + hindsight * ln(1 + min(lag, hindsight_days))`` in
    the centroid (on Timeline17 it adds .001 R1 and .0012 R2;
    see BENCHMARKS.md). The centroid of every eligible sentence of the build
    stands for the story (the query's topic) and can be mixed in with
    ``topic_weight``; it is off by default, since it pulls each date towards
    the story's general vocabulary and away from what happened that day
    (on Timeline17 it costs .003 R1; see BENCHMARKS.md). Sentences are added
    greedily so that the date's summary as a whole, not each sentence alone,
    is closest to that target (news-tls's CentroidOpt
    idea). A sentence is skipped when its cosine similarity to any sentence
    already in the timeline reaches ``redundancy`` (near-duplicates across
    outlets and across dates).
    """

    name = "centroid"

    def __init__(
        self,
        redundancy: float = 0.5,
        topic_weight: float = 0.0,
        whole_summary: bool = True,
        hindsight: float = 0.5,
        hindsight_days: int = 30,
        vectorize: Callable[[Sequence[str]], Any] = tfidf_vectors,
    ):
        self.redundancy = redundancy
        self.topic_weight = topic_weight
        self.whole_summary = whole_summary
        self.hindsight = hindsight
        self.hindsight_days = hindsight_days
        self.vectorize = vectorize

    def summarize(
        self, evidence: Evidence, ranked: Iterable[When], k: int, limit: int
    ) -> list[tuple[When, list[Candidate]]]:
        """Up to ``k`` sentences for each of the first ``limit`` dates that have any to give."""
        if limit <= 0 or k <= 0:
            return []
        # Only the best-ranked dates can make the timeline, so only their
        # sentences are vectorised (a large corpus has thousands of dates).
        # A date is passed over only when all its sentences repeat earlier
        # ones, so a pool of a few times ``limit`` nearly always suffices;
        # when it does not, the pool grows and the walk starts again.
        dates = [
            d for d in ranked if (ev := evidence.dates.get(d)) is not None and any(c.eligible for c in ev.candidates)
        ]
        pool = max(3 * limit, limit + POOL_MARGIN)
        while True:
            result = self._summarize(evidence, dates[:pool], k, limit)
            if len(result) >= limit or pool >= len(dates):
                return result
            pool *= 2

    def _summarize(
        self, evidence: Evidence, dates: list[When], k: int, limit: int
    ) -> list[tuple[When, list[Candidate]]]:
        keys: dict[tuple[int, int], int] = {}
        texts: list[str] = []
        eligible_rows: set[int] = set()
        for d in dates:
            for c in evidence.dates[d].candidates:
                key = (c.article, c.sentence)
                if key not in keys:
                    keys[key] = len(texts)
                    texts.append(evidence.sentence_text(c))
                if c.eligible:
                    eligible_rows.add(keys[key])
        if not eligible_rows:
            return []
        try:
            vectors = self.vectorize(texts)
        except ValueError:  # only stop words: nothing to compare, fall back to order
            vectors = None
        topic = _unit(np.asarray(vectors[sorted(eligible_rows)].mean(axis=0)).ravel()) if vectors is not None else None

        chosen = _Chosen(vectors)
        result: list[tuple[When, list[Candidate]]] = []
        for d in dates:
            if len(result) >= limit:
                break
            ev = evidence.dates[d]
            unique: dict[int, Candidate] = {}
            for c in ev.candidates:
                unique.setdefault(keys[(c.article, c.sentence)], c)
            rows = [r for r, c in unique.items() if c.eligible and not c.dependent]
            # A line that needs its neighbour ("They were acting on a threat ...") only when nothing else
            # can tell the date (dropping such dates costs T17 date F1 .003, see BENCHMARKS.md).
            rows = rows or [r for r, c in unique.items() if c.eligible]
            if vectors is None:
                picked = [r for r in rows if not chosen.has(r)][:k]
            else:
                said = list(unique)
                weights = np.array([self._weight(evidence, d, unique[r]) for r in said])
                target = _unit(np.asarray(vectors[said].multiply(weights[:, None]).sum(axis=0)).ravel())
                if topic is not None and self.topic_weight:
                    target = target + self.topic_weight * topic
                picked = self._pick(vectors, rows, target, k, chosen)
            for r in picked:
                chosen.add(r)
            if picked:
                result.append((d, [unique[r] for r in picked]))
        return result

    def _weight(self, evidence: Evidence, d: When, c: Candidate) -> float:
        """A candidate's weight in its date's centroid: more, the later its article recalls the date."""
        lag: int = (evidence.articles[c.article].article.published - evidence.dates[d].end).days
        return hindsight_weight(lag, self.hindsight_days, self.hindsight)

    def _pick(self, vectors: Any, rows: list[int], target: np.ndarray, k: int, chosen: _Chosen) -> list[int]:
        """Greedy: add the sentence that brings the summary's direction closest to ``target``."""
        block = vectors[rows]  # rows are L2-normalised (the contract of ``vectorize``)
        to_target = block @ target
        summary = np.zeros(vectors.shape[1])
        picked: list[int] = []
        available = np.ones(len(rows), dtype=bool)
        while len(picked) < k and available.any():
            if self.whole_summary and picked:
                # cos(summary + s, target) for every s at once: |summary + s|^2 = |summary|^2 + 2 summary.s + 1
                norms = np.sqrt(np.maximum(summary @ summary + 2 * (block @ summary) + 1.0, 1e-12))
                scores = (summary @ target + to_target) / norms
            else:
                scores = to_target
            scores = np.where(available, scores, -np.inf)
            for i in np.argsort(-scores, kind="stable"):
                if not available[i]:
                    break
                available[i] = False
                if chosen.redundant(rows[i], self.redundancy, picked):
                    continue
                picked.append(rows[i])
                summary = summary + block[i].toarray().ravel()
                break
        return picked


def _unit(v: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(v)
    return v / norm if norm else v


class _Chosen:
    """The sentences already in the timeline, for redundancy checks."""

    def __init__(self, vectors: Any) -> None:
        self.vectors = vectors
        self.rows: list[int] = []

    def has(self, row: int) -> bool:
        return row in self.rows

    def add(self, row: int) -> None:
        self.rows.append(row)

    def redundant(self, row: int, threshold: float, pending: Sequence[int] = ()) -> bool:
        """True when ``row`` is (nearly) a sentence already chosen or pending."""
        others = self.rows + list(pending)
        if row in others:
            return True
        if self.vectors is None or not others:
            return False
        return bool((self.vectors[others] @ self.vectors[row].T).toarray().max() >= threshold)


SUMMARIZERS: dict[str, type] = {cls.name: cls for cls in (CentroidSummarizer,)}
