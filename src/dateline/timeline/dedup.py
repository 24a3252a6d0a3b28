"""One event, one date: reports of the same event chosen under several dates keep only the best-supported.

A summarizer picks each date's lines against that date's own evidence and
skips near-copies of lines already chosen, but an event is also reported in
other words under a neighbouring date (the AF447 bodies under June 5 and 6:
an undated lead speaks for its publication day and the day before) or
recalled under a date its article names wrongly ("the oil has been flowing
since April 22, when the Deepwater Horizon blew up" beside April 20's
explosion). This is the field's CLUST idea applied after selection: lines of
different dates are linked when they report the same event, and each group
of linked lines stays under one date, the one most of its lines were chosen
for (ties: the date more articles corroborate, then the better ranked).

Lines are linked when both are undated leads of one article, which tell one
day's news. Word similarity can link them too (``similarity``), but it is
off by default: within one story the story's own words dominate, so TF-IDF
cosine links distinct events more readily than two reports of one (on the
bundled AF447 example, .44 between "wreckage confirmed" on June 1 and
"bodies located" on June 6, .24 between the two reports of the bodies).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

from .evidence import PUBLICATION_DAYS, Candidate, Evidence, When, mention_when
from .vectors import tfidf_vectors

__all__ = ["DEDUPERS", "Deduper", "EventDeduper"]

Chosen = list[tuple[When, list[Candidate]]]


class Deduper(Protocol):
    """Removes lines that repeat an event already told under another date."""

    name: str

    def dedupe(self, evidence: Evidence, chosen: Chosen, scores: Mapping[When, float]) -> Chosen: ...


class EventDeduper:
    """Links lines of different dates that report one event and keeps each event under one date.

    An undated lead (whose date is a guess: its publication day or the day
    before) and another line of its article chosen for the other of those
    days are one day's news; with ``similarity`` set, so are lines whose
    cosine similarity (TF-IDF over the chosen lines) reaches it. The line
    goes where the other names its date, else where more articles
    corroborate. A chronology entry ("April 22 - The rig sinks") is never
    moved off the date it heads. Dates left with no line drop out.
    """

    name = "event"

    def __init__(self, similarity: float | None = None, vectorize: Callable[[Sequence[str]], Any] = tfidf_vectors):
        self.similarity = similarity
        self.vectorize = vectorize

    def dedupe(self, evidence: Evidence, chosen: Chosen, scores: Mapping[When, float]) -> Chosen:
        """``chosen`` without the lines that tell, under another date, an event kept elsewhere."""
        lines = [(d, c) for d, cs in chosen for c in cs]
        if len(lines) < 2:
            return chosen
        support = {d: (evidence.dates[d].corroboration, scores.get(d, 0.0)) for d, _ in chosen}
        drop: set[int] = set()
        # An undated lead speaks for its publication day or the day before (a guess): when a line of
        # its article is chosen for the other day too, it goes where that line is if that line names
        # its date, or where more articles corroborate.
        for i, (di, ci) in enumerate(lines):
            if ci.explicit:
                continue
            for j, (dj, cj) in enumerate(lines):
                if (
                    j != i
                    and j not in drop
                    and dj != di
                    and cj.article == ci.article
                    and isinstance(dj, date)
                    and isinstance(di, date)
                    and abs((dj - di).days) < PUBLICATION_DAYS
                    and (cj.explicit or support[dj] > support[di])
                ):
                    drop.add(i)
                    break
        if self.similarity is not None:
            drop |= self._similar_drop(evidence, lines, support, drop)
        kept: Chosen = []
        position = 0
        for d, cs in chosen:
            left = [c for k, c in enumerate(cs, start=position) if k not in drop]
            position += len(cs)
            if left:
                kept.append((d, left))
        return kept

    def _similar_drop(
        self, evidence: Evidence, lines: list[tuple[When, Candidate]], support: Mapping[When, Any], drop: set[int]
    ) -> set[int]:
        """Lines as similar as ``similarity`` to a kept line of a better-supported date."""
        try:
            vectors = self.vectorize([evidence.sentence_text(c) for _, c in lines])
        except ValueError:  # only stop words: nothing to compare
            return set()
        sims = (vectors @ vectors.T).toarray()
        threshold = self.similarity if self.similarity is not None else 1.0
        more: set[int] = set()
        for i, (di, _) in enumerate(lines):
            if any(
                j not in drop and j not in more and dj != di and support[dj] > support[di] and sims[i, j] >= threshold
                for j, (dj, _) in enumerate(lines)
            ) and not _heads(evidence, lines[i]):
                more.add(i)
        return more


def _heads(evidence: Evidence, line: tuple[When, Candidate]) -> bool:
    """True when the line is a chronology entry headed by its own date ("April 22 - The rig sinks")."""
    d, c = line
    start = evidence.ref(c).start
    return any(
        mention_when(m) == d and m.sentence == c.sentence and m.start <= start + 1
        for m in evidence.articles[c.article].mentions
    )


DEDUPERS: dict[str, type] = {cls.name: cls for cls in (EventDeduper,)}
