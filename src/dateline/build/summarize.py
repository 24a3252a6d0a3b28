"""Summarizers: the sentences that best say what happened on each date.

A summarizer walks the ranked dates, picks up to ``k`` sentences for each
and skips dates it has nothing new to say about, until the timeline has
``limit`` dates. Redundancy is checked against the whole timeline, not only
within a date, so the same news reported on two dates appears once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

import numpy as np

from .evidence import Candidate, Evidence

__all__ = ["Summarizer", "CentroidSummarizer", "SUMMARIZERS"]


class Summarizer(Protocol):
    """Chooses sentences for ranked dates."""

    name: str

    def summarize(
        self, evidence: Evidence, ranked: Iterable[date], k: int, limit: int
    ) -> list[tuple[date, list[Candidate]]]: ...


class CentroidSummarizer:
    """Picks, for each date, the sentences closest to the TF-IDF centroid of what was said about it.

    A sentence is skipped when its cosine similarity to any sentence already
    in the timeline reaches ``redundancy`` (near-duplicates across outlets).
    """

    name = "centroid"

    def __init__(self, redundancy: float = 0.5):
        self.redundancy = redundancy

    def summarize(
        self, evidence: Evidence, ranked: Iterable[date], k: int, limit: int
    ) -> list[tuple[date, list[Candidate]]]:
        """Up to ``k`` sentences for each of the first ``limit`` dates that have any to give."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        keys: dict[tuple[int, int], int] = {}
        texts: list[str] = []
        for ev in evidence.dates.values():
            for c in ev.candidates:
                key = (c.article, c.sentence)
                if key not in keys:
                    keys[key] = len(texts)
                    texts.append(evidence.sentence_text(c))
        if not texts or limit <= 0 or k <= 0:
            return []
        try:
            vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
        except ValueError:  # only stop words: nothing to compare, fall back to order
            vectors = None

        chosen_rows: list[int] = []
        result: list[tuple[date, list[Candidate]]] = []
        for d in ranked:
            if len(result) >= limit:
                break
            ev = evidence.dates.get(d)
            if ev is None or not ev.candidates:
                continue
            unique: dict[int, Candidate] = {}
            for c in ev.candidates:
                unique.setdefault(keys[(c.article, c.sentence)], c)
            rows = list(unique)
            if vectors is None:
                order = rows
            else:
                block = vectors[rows]
                centroid = np.asarray(block.mean(axis=0)).ravel()
                scores = block @ centroid
                order = [rows[i] for i in np.argsort(-scores, kind="stable")]
            picked: list[Candidate] = []
            for row in order:
                if len(picked) >= k:
                    break
                if vectors is not None and chosen_rows:
                    similarity = (vectors[chosen_rows] @ vectors[row].T).toarray().max()
                    if similarity >= self.redundancy:
                        continue
                elif row in chosen_rows:
                    continue
                picked.append(unique[row])
                chosen_rows.append(row)
            if picked:
                result.append((d, picked))
        return result


SUMMARIZERS: dict[str, type] = {cls.name: cls for cls in (CentroidSummarizer,)}
