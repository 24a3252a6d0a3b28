"""Dateline's own rule-based TIMEX3 tagger for English news (pure Python, regexes only).

Why by hand: the general date parsers on PyPI are wrong for this job. ``dateparser``,
``parsedatetime`` and ``ctparse`` fire on the verbs "may" and "march", fill a day into bare
years, know no tense ("met on December 28" in a January article is last year) and give no
precision; HeidelTime gets this right but is Java and GPL, so it can only be a benchmark, never
a product dependency. The rules follow the TimeML/TempEval-3 conventions of the TimeBank
and AQUAINT gold (extents: "last week" includes "last", "on Monday" excludes "on"; values such
as ``2019-11-24``, ``2019-W48``, ``1989-Q3``, ``P3Y``, ``XXXX-WXX-1``, ``PRESENT_REF``).

How it works: the rules of each family (:mod:`.absolute`, :mod:`.deictic`, :mod:`.durations`,
:mod:`.sets`, :mod:`.times`) propose candidate spans; the longest non-overlapping ones win;
each is normalised against the reference (publication) date, using the tense of the clause for
underspecified expressions ("January 5", "Friday", "in April") and the last date mentioned for
anaphoric ones ("a year earlier", "the following month"). This module is that engine.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from datetime import date

from . import absolute, deictic, durations, sets, times
from .base import Timex
from .patterns import Rule
from .resolve import Context
from .triggers import PrefixIndex, TriggerIndex

__all__ = ["RULES", "RuleTagger"]


# Every rule, in the order that breaks ties between candidates of equal length and priority
# (the candidate sort is stable).
RULES: tuple[Rule, ...] = (
    absolute.iso,
    absolute.numeric,
    absolute.month_day,
    absolute.day_month,
    absolute.month_year,
    absolute.month,
    deictic.weekday,
    deictic.day_word,
    deictic.relative,
    absolute.season_year,
    deictic.season,
    deictic.quarter,
    absolute.fiscal,
    absolute.year,
    absolute.spelled,
    absolute.decade,
    absolute.century,
    deictic.ago,
    deictic.vague_ago,
    durations.duration,
    durations.bare_units,
    deictic.fuzzy,
    sets.set_every,
    sets.set_adverb,
    sets.set_weekdays,
    times.clock,
    times.part_of_day,
    absolute.holiday,
    deictic.year_end,
    deictic.year_ago,
)

# Every rule's trigger hits, and where each full pattern may start, each from one pass over
# the text (a scan per trigger and per pattern was most of the tagging time).
_TRIGGERS = TriggerIndex(r.trigger for r in RULES if r.trigger is not None)
_STARTS = PrefixIndex((r.pattern for r in RULES), fold=True)

_CALENDAR_VALUE = re.compile(r"\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|H[12]|W\d{2}))?$")


class _Spans:
    """The spans already taken, for a logarithmic rather than linear overlap test.

    Taken spans never overlap one another, so sorted by start their ends never decrease,
    and the last span starting before ``end`` is the only one that can reach past ``start``.
    A reversed span (a handler's moved extent) would break that: then every span is checked.

    They are kept sorted in blocks of at most ``2 * BLOCK``: inserting into one flat list
    moves half of it each time, which made a 50 MB article (a million dates) quadratic.
    """

    BLOCK = 256

    def __init__(self) -> None:
        self.blocks: list[list[tuple[int, int]]] = []
        self.firsts: list[tuple[int, int]] = []  # each block's first span, to find a block by bisection
        self.ordered = True

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``start < e and s < end`` for some taken span ``(s, e)``."""
        if not self.ordered:
            return any(start < e and s < end for block in self.blocks for s, e in block)
        b = bisect_left(self.firsts, (end,)) - 1  # the last block starting before `end`
        if b < 0:
            return False
        block = self.blocks[b]
        return block[bisect_left(block, (end,)) - 1][1] > start

    def add(self, start: int, end: int) -> None:
        span = (start, end)
        self.ordered = self.ordered and start <= end
        if not self.blocks:
            self.blocks.append([span])
            self.firsts.append(span)
            return
        b = max(bisect_right(self.firsts, span) - 1, 0)
        block = self.blocks[b]
        insort(block, span)
        self.firsts[b] = block[0]
        if len(block) > 2 * self.BLOCK:
            self.blocks[b : b + 1] = [block[: self.BLOCK], block[self.BLOCK :]]
            self.firsts[b : b + 1] = [block[0], block[self.BLOCK]]


class RuleTagger:
    """Rule-based TIMEX3 tagger for English news: DATE, TIME, DURATION and SET."""

    name = "rules"
    version = "6"

    def tag(self, text: str, reference: date) -> list[Timex]:
        """Temporal expressions in ``text``, normalised against ``reference`` (the publication date)."""
        return [t for t, _ in self.explain(text, reference)]

    def explain(self, text: str, reference: date) -> list[tuple[Timex, str]]:
        """Like :meth:`tag`, with the name of the rule behind each mention (for error analysis)."""
        ctx = Context(text, reference)
        candidates = []
        hits = _TRIGGERS.spans(text)  # trigger hits, shared by rules
        starts = _STARTS.starts(text)
        for rule in RULES:
            for m in rule.finditer(text, hits, starts):
                if m.end() > m.start():
                    candidates.append((m.start(), m.end(), rule, m))
        candidates.sort(key=lambda c: (c[0] - c[1], c[2].priority, c[0]))
        taken: list[tuple[int, int, Rule, re.Match[str], str, str]] = []
        spans = _Spans()
        for start, end, rule, m in candidates:
            if spans.overlaps(start, end):
                continue
            result = rule.handle(m, ctx)
            if result is None:
                continue
            typ, value = result[0], result[1]
            if len(result) == 4:
                start, end = result[2], result[3]
                if spans.overlaps(start, end):
                    continue
            while end > start and text[end - 1] in " ,":
                end -= 1
            spans.add(start, end)
            taken.append((start, end, rule, m, typ, value))
        taken.sort(key=lambda t: t[0])
        out: list[tuple[Timex, str]] = []
        for start, end, rule, m, typ, value in taken:
            ctx.keep_anchor = False
            if rule.anchored:
                result = rule.handle(m, ctx)
                if result is not None:
                    typ, value = result[0], result[1]
            if typ == "DATE" and _CALENDAR_VALUE.match(value) and rule.moves_anchor and not ctx.keep_anchor:
                ctx.anchor = value
            out.append((Timex(start, end, text[start:end], typ, value), rule.name))
        found = [t for t, _ in out]
        return [
            (times.place_clock_time(found, i, reference) if t.value.startswith(times.DAY_PLACEHOLDER) else t, name)
            for i, (t, name) in enumerate(out)
        ]
