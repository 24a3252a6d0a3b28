"""The rule type and the regex building blocks shared by every family of rules.

A :class:`Rule` pairs a compiled pattern (which proposes a candidate extent) with a handler
(which normalises it or rejects it); the families live in :mod:`.absolute`, :mod:`.deictic`,
:mod:`.durations`, :mod:`.sets` and :mod:`.times`, and :mod:`.rules` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .resolve import Context

__all__ = [
    "Result",
    "Rule",
    "rule",
    "F",
    "MONTH_FULL",
    "MONTH",
    "WEEKDAY",
    "YEAR",
    "SPELLED_YEAR",
    "EDGE",
    "UNIT",
    "PART",
    "RELATIVE_TRIGGER",
    "UNIT_TRIGGER",
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

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The pattern's matches, searched only in windows around trigger hits (for speed)."""
        if self.trigger is None:
            yield from self.pattern.finditer(text)
            return
        lo = hi = -1
        for t in self.trigger.finditer(text):
            s, e = max(0, t.start() - self.before), t.end() + self.after
            if s > hi:
                if hi > lo:
                    yield from self.pattern.finditer(text, lo, hi)
                lo = s
            hi = max(hi, e)
        if hi > lo:
            yield from self.pattern.finditer(text, lo, min(hi, len(text)))




def _cased(trigger: str) -> str:
    """A trigger matching its words in lower case or capitalised, without re.IGNORECASE.

    Case-insensitive alternations are several times slower in ``re``; triggers only
    pre-select windows (the full patterns stay case-insensitive), so all-caps text
    is the one thing given up.
    """
    return re.sub(r"(?<![\\\w\[])([a-z])(?=[a-z])", lambda m: f"[{m[1]}{m[1].upper()}]", trigger)



def rule(
    name: str,
    pattern: str,
    priority: int = 5,
    anchored: bool = False,
    trigger: str | None = None,
    before: int = 60,
    after: int = 45,
    moves_anchor: bool = True,
) -> Callable[[Callable[[re.Match[str], Context], Result]], Rule]:
    """Decorator: turn a handler into a :class:`Rule` with a case-insensitive ``pattern``."""

    def make(fn: Callable[[re.Match[str], Context], Result]) -> Rule:
        compiled_trigger = re.compile(_cased(trigger)) if trigger else None
        return Rule(name, re.compile(pattern, F), fn, priority, anchored, compiled_trigger, before, after, moves_anchor)

    return make
