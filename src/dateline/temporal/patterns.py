"""The rule type and the regex building blocks shared by every family of rules.

A :class:`Rule` pairs a compiled pattern (which proposes a candidate extent) with a handler
(which normalises it or rejects it); the families live in :mod:`.absolute`, :mod:`.deictic`,
:mod:`.durations`, :mod:`.sets` and :mod:`.times`, and :mod:`.rules` runs them all.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .resolve import Context

__all__ = [
    "EDGE",
    "MONTH",
    "MONTH_FULL",
    "PART",
    "RELATIVE_TRIGGER",
    "SPELLED_YEAR",
    "UNIT",
    "UNIT_TRIGGER",
    "WEEKDAY",
    "YEAR",
    "F",
    "Result",
    "Rule",
    "caseless",
    "rule",
]

F = re.IGNORECASE

MONTH_FULL = r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_ABBR = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
MONTH_ABBR_NODOT = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
MONTH = rf"(?:{MONTH_FULL}|{MONTH_ABBR}|{MONTH_ABBR_NODOT})\b\.?"
WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
TEENS_TENS = (
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
SPELLED_YEAR = (
    rf"(?:nineteen[-\s]+{TEENS_TENS}(?:[-\s]+{DIGIT_WORD})?|nineteen[-\s]+(?:oh|o)[-\s]+{DIGIT_WORD}|"
    rf"two\s+thousand(?:\s+and)?(?:[-\s]+(?:{TEENS_TENS}(?:[-\s]+{DIGIT_WORD})?|{DIGIT_WORD}))?)"
)
EDGE = r"(?:early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)"
UNIT = r"(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade)s?|centur(?:y|ies)"
PART = r"(?:morning|afternoon|evening|night)"
RELATIVE_TRIGGER = (
    r"\b(?:this|last|next|past|previous|coming|current|following|that|same|preceding|prior|latest|the)\s+"
    r"(?:week|month|year|decade|century|spring|summer|fall|autumn|winter|season|day)"
)
UNIT_TRIGGER = r"\b(?:(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade)s?\b|centur)"


# A handler returns (type, value), or (type, value, start, end) to move the extent, or None to reject.
Result = tuple[str, str] | tuple[str, str, int, int] | None


@dataclass(frozen=True)
class Rule:
    """A pattern proposing candidate extents and the handler that normalises (or rejects) each one."""

    name: str
    pattern: re.Pattern[str]
    handle: Callable[[re.Match[str], Context], Result]
    priority: int = 5  # lower wins between candidates of equal length
    anchored: bool = False  # value depends on the previous mention: recomputed in text order
    trigger: re.Pattern[str] | None = None  # a cheap pattern the full one cannot match without
    before: int = 60  # how far a full match may reach before its trigger ...
    after: int = 45  # ... and after it
    moves_anchor: bool = True  # False when the value looks back from the anchor ("a year ago")

    def finditer(
        self,
        text: str,
        hits: dict[re.Pattern[str], list[tuple[int, int]]] | None = None,
        starts: dict[re.Pattern[str], list[int]] | None = None,
    ) -> Iterator[re.Match[str]]:
        """The pattern's matches, searched only in windows around trigger hits (for speed).

        ``hits`` caches each trigger's hits in ``text``, so rules sharing a trigger scan once.
        ``starts``, where it has this pattern, lists every offset a match of it may start at
        (:class:`.triggers.PrefixIndex`): the pattern is then tried there only, with the
        same matches as a scan.
        """
        offsets = None if starts is None else starts.get(self.pattern)
        if self.trigger is None:
            yield from self._scan(text, 0, len(text), offsets)
            return
        spans = None if hits is None else hits.get(self.trigger)
        if spans is None:
            spans = [t.span() for t in self.trigger.finditer(text)]
            if hits is not None:
                hits[self.trigger] = spans
        lo = hi = -1
        for ts, te in spans:
            s, e = max(0, ts - self.before), te + self.after
            if s > hi:
                if hi > lo:
                    yield from self._scan(text, lo, hi, offsets)
                lo = s
            hi = max(hi, e)
        if hi > lo:
            yield from self._scan(text, lo, min(hi, len(text)), offsets)

    def _scan(self, text: str, lo: int, hi: int, offsets: list[int] | None) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text, lo, hi)``, tried only at ``offsets`` when given."""
        if offsets is None:
            yield from self.pattern.finditer(text, lo, hi)
            return
        match = self.pattern.match
        pos = lo
        for i in range(bisect_left(offsets, lo), len(offsets)):
            s = offsets[i]
            if s >= hi:
                break
            if s >= pos and (m := match(text, s, hi)) is not None:
                yield m
                pos = m.end()  # never empty: an empty match would have put "" among the prefixes


# The letters that re.IGNORECASE also matches besides their two ASCII cases.
_OTHER_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def caseless(*words: str) -> str:
    """A trigger for ``words`` in any case, as a case-insensitive pattern would see them.

    For rules whose matches must all be kept, all-caps included. Spelled without
    re.IGNORECASE (each branch starts with one literal letter) for ``re``'s fast skip.
    """

    def letters(w: str) -> str:
        return "".join(f"[{c}{c.upper()}{_OTHER_CASES.get(c, '')}]" if c.isalpha() else re.escape(c) for c in w)

    return "|".join(first + letters(w[1:]) for w in words for first in w[0] + w[0].upper() + _OTHER_CASES.get(w[0], ""))


def _cased(trigger: str) -> str:
    """A trigger matching its words in lower case or capitalised, without re.IGNORECASE.

    Case-insensitive alternations are several times slower in ``re``; triggers only
    pre-select windows (the full patterns stay case-insensitive), so all-caps text
    is the one thing given up. The result is spelled out by :func:`_branches` so that
    every top-level branch starts with a literal letter, which lets ``re`` skip ahead
    to the possible first characters instead of trying the whole trigger everywhere.
    """
    return "|".join(_branches(trigger))


def _cased_letters(trigger: str) -> str:
    return re.sub(r"(?<![\\\w\[])([a-z])(?=[a-z])", lambda m: f"[{m[1]}{m[1].upper()}]", trigger)


def _structure(pattern: str) -> Iterator[tuple[int, str, int]]:
    """``(index, char, depth)`` of each ``(``, ``)`` and ``|`` outside escapes and character classes.

    ``depth`` is the group nesting around the character (a ``)`` reports the depth it closes to).
    """
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c in "()|":
            depth += (c == "(") - (c == ")")
            yield i, c, depth
        i += 1


def _split_top(pattern: str) -> list[str]:
    """``pattern``'s top-level alternatives (outside groups and character classes)."""
    cuts = [i for i, c, depth in _structure(pattern) if c == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)])]


def _group_end(pattern: str) -> int:
    """Index just past the group that opens at ``pattern[0]``."""
    for i, c, depth in _structure(pattern):
        if c == ")" and depth == 0:
            return i + 1
    raise ValueError(f"unbalanced group in trigger {pattern!r}")


def _branches(pattern: str, bounded: bool = False) -> list[str]:
    """The branches of :func:`_cased`'s trigger, each one starting with a literal where possible.

    Exact rewrites only: ``(?:a|b)c`` is ``ac|bc`` (alternation is ordered choice over the
    whole continuation), ``[xX]y`` is ``xy|Xy`` (only one can match at a given place), and a
    leading ``\\b`` before a letter ``x`` is ``x(?<!\\w.)`` (no word character before it).
    """
    out: list[str] = []
    for alt in _split_top(pattern):
        b = bounded
        if alt.startswith("\\b("):
            b, alt = True, alt[2:]
        if alt.startswith("(?:"):
            end = _group_end(alt)
            if not re.match(r"[*+?{]", alt[end : end + 1]):
                out += _branches("|".join(a + alt[end:] for a in _split_top(alt[3 : end - 1])), b)
                continue
        cased = _cased_letters(alt)
        if re.match(r"[a-z]", alt):
            both = cased.startswith(f"[{alt[0]}{alt[0].upper()}]")
            guard = r"(?<!\w.)" if b else ""
            rest = cased[4:] if both else cased[1:]
            out += [f"{c}{guard}{rest}" for c in ((alt[0], alt[0].upper()) if both else alt[0])]
            continue
        out.append(("\\b" if b else "") + cased)
    return out


def rule(
    name: str,
    pattern: str,
    priority: int = 5,
    anchored: bool = False,
    trigger: str | None = None,
    before: int = 60,
    after: int = 45,
    moves_anchor: bool = True,
    keywords: tuple[str, ...] = (),
) -> Callable[[Callable[[re.Match[str], Context], Result]], Rule]:
    """Decorator: turn a handler into a :class:`Rule` with a case-insensitive ``pattern``.

    ``trigger`` pre-selects windows in lower case or capitalised text; ``keywords``
    (words every match contains) do so in any case, all-caps included.
    """

    def make(fn: Callable[[re.Match[str], Context], Result]) -> Rule:
        @functools.wraps(fn)
        def guarded(m: re.Match[str], ctx: Context) -> Result:
            try:
                return fn(m, ctx)
            except OverflowError:  # the date would fall before year 1 or after 9999: the rule gives no date
                return None

        compiled_trigger: re.Pattern[str] | None
        if keywords:
            compiled_trigger = re.compile(caseless(*keywords))
        else:
            compiled_trigger = re.compile(_cased(trigger)) if trigger else None
        return Rule(
            name, re.compile(pattern, F), guarded, priority, anchored, compiled_trigger, before, after, moves_anchor
        )

    return make
