"""Resolving underspecified expressions: the tense of the clause and the year it points to.

"January 5", "Friday" or "in April" name a date only once a year (or week) is chosen. News
mostly reports the past, so the nearest occurrence before the publication date is the default;
a future marker in the clause ("will", "is scheduled to", "as early as") turns it forward,
but only within about six months of the reference, because tense cues are noisy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, timedelta

from .lexicon import MONTHS, ORDINAL_WORDS, WEEKDAYS, parse_number, weekday_near

__all__ = [
    "Context",
    "clause_tense",
    "day_of",
    "direction",
    "pick_year",
    "resolve_day_word",
    "safe_date",
    "spelled_year",
]

_F = re.IGNORECASE


@dataclass
class Context:
    """What a rule handler may consult: the text, the reference date, the anchor and tense."""

    text: str
    ref: date
    anchor: str | None = None  # the last calendar value seen, for "a year earlier" and kin
    keep_anchor: bool = False  # set by a handler whose value looks back from the anchor
    _tense: dict[int, tuple[str | None, int]] = field(default_factory=dict)

    def tense(self, start: int, end: int) -> str | None:
        """``past``, ``future`` or None: the nearest tense marker in the sentence around a span."""
        return self.tense_at(start, end)[0]

    def tense_at(self, start: int, end: int) -> tuple[str | None, int]:
        """The tense and how many characters away its marker is."""
        if start not in self._tense:
            self._tense[start] = clause_tense(self.text, start, end)
        return self._tense[start]


# --- tense -----------------------------------------------------------------------------------
# A period after a title, "vs" or an initial ("Mr. Bush", "Roe vs. Wade", "U.S. officials") ends no sentence.
_ABBREVIATION = (
    r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bJr)(?<!\bSen)(?<!\bRep)(?<!\bGen)(?<!\bGov)"
    r"(?<!\bvs)(?<!\b[A-Z])"
)
_SENT_END = re.compile(rf"(?:{_ABBREVIATION}[.!?][\"'”’)]*\s+|\n\s*\n)(?=[\"'“‘(]?[A-Z])")
# Irregular past forms (regular ones end in -ed); forms that are also common nouns or
# adjectives ("saw", "left", "rose", "bit", "felt", "found", "lead") are left out.
_IRREGULAR_PAST = (
    "began|became|brought|bought|broke|built|came|caught|chose|drew|fell|fled|flew|fought|"
    "forgot|froze|gave|got|grew|held|hid|hung|kept|knew|led|lost|made|meant|met|overtook|paid|"
    "ran|rode|sank|sent|shook|shot|sold|sought|spent|spoke|stole|stood|struck|swept|swore|"
    "threw|took|tore|went|withdrew|woke|won|wore|wrote"
)
# Future markers include a copula right before the date ("the vote is on Friday", "talks are
# Monday"): narration of the past would say "was".
_TENSE = re.compile(
    r"(?P<f>\b(?:will|shall|won't|wo\s*n't|going\s+to|plans?\s+to|planning\s+to|intends?\s+to|"
    r"expects?\s+to|(?:(?:is|are|was|were|be)\s+(?:due|likely)|set|poised)\s+(?:to|for)|(?:is|are)\s+to|"
    r"expected|slated|(?:is|are)(?=\s+(?:on\s+)?$)|"
    r"scheduled|to\s+be\s+held|would|upcoming|as\s+(?:soon|early)\s+as|until|postponed|plann?(?:ed|ing)\s+to)\b|'ll\b)"
    r"(?:\s+(?:not|be|have|also|likely|probably|then|soon|still|again)\b)*(?:\s+\w+)?"
    r"|(?P<p>\b(?:said|says|told|was|were|had|did|ago|" + _IRREGULAR_PAST + "|"
    r"(?!(?:hundred|need|indeed|speed|proceed|exceed|succeed|seed|feed|bleed|breed|united|limited|"
    r"based|related|armed|concerned|interested|detailed|supposed|red|bed|shed|wed|ted|fred)\b)"
    r"[a-z]{2,}ed)\b)",
    _F,
)


_QUOTE = re.compile(r"``|''|[\"“”]")


def clause_tense(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The tense of the nearest marker in the sentence around a span, and its distance."""
    lo = max(0, start - 300)
    left = text[lo:start]
    cut = 0
    for m in _SENT_END.finditer(left):
        cut = m.end()
    left = left[cut:]
    right = text[end : end + 300]
    m_end = _SENT_END.search(right)
    if m_end:
        right = right[: m_end.start() + 1]
    # Reported speech has its own tense: a date inside a quotation follows the quoted verb
    # ("will leave at 4 a.m. Thursday,'' Castro said"), one outside it the narration.
    cut = 0
    for quote in _QUOTE.finditer(left):
        cut = quote.end()
    left = left[cut:]
    closing = _QUOTE.search(right)
    if closing:
        right = right[: closing.start()]
    best: tuple[int, str] | None = None
    for m in _TENSE.finditer(left):
        d = len(left) - m.end()
        if best is None or d <= best[0]:
            best = (d, "future" if m.group("f") else "past")
    for m in _TENSE.finditer(right):
        d = m.start()
        if best is None or d < best[0]:
            best = (d, "future" if m.group("f") else "past")
        break
    return (best[1], best[0]) if best else (None, 10**6)


# --- resolution helpers ------------------------------------------------------------------------


def pick_year(ctx: Context, start: int, end: int, key: Callable[[int], tuple[int, ...]]) -> int:
    """The year that places an underspecified date (``key(year)``) nearest the reference, in the
    direction the clause's tense points to."""
    ref_key = (ctx.ref.year, ctx.ref.month, ctx.ref.day)
    # Only years the calendar holds: around a reference in year 1 or 9999 there is no year 0 or 10000.
    cands = [y for y in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1) if MINYEAR <= y <= MAXYEAR]
    past = [y for y in cands if key(y) <= ref_key[: len(key(y))]]
    future = [y for y in cands if key(y) >= ref_key[: len(key(y))]]

    def distance(y: int) -> int:
        k = key(y)
        d = date(k[0], k[1] if len(k) > 1 else 7, min(k[2], 28) if len(k) > 2 else 15)
        return abs((d - ctx.ref).days)

    # The tense decides only within about six months of the reference (HeidelTime's window);
    # beyond that, or with no tense, the nearest occurrence wins, a day ahead counting as
    # _FUTURE_COST days behind: news reports what happened far more than what is coming, so an
    # undated "Feb. 24" in September is the February past, while "Jan. 5" in late December is
    # still the one ahead.
    tense, gap = ctx.tense_at(start, end)
    window = _TENSE_WINDOW if len(key(ctx.ref.year)) > 2 else _TENSE_WINDOW_MONTHS
    if gap <= _NEAR_MARKER:
        window = 366
    if tense == "past" and past and distance(max(past)) <= window:
        return max(past)
    if tense == "future" and future and distance(min(future)) <= window:
        return min(future)
    return min(cands, key=lambda y: (distance(y) * (_FUTURE_COST if y in future and y not in past else 1), y))


_TENSE_WINDOW = 190  # days: how far the tense may move a day from its nearest occurrence ...
_TENSE_WINDOW_MONTHS = 300  # ... and a month, whose tense markers are more reliable
_FUTURE_COST = 2
_NEAR_MARKER = 10  # characters: a tense marker this close ("ended on March 15") always decides


def direction(ctx: Context, start: int, end: int) -> str:
    """``future`` when the clause is in the future, else ``past`` (news reports what happened)."""
    return "future" if ctx.tense(start, end) == "future" else "past"


def safe_date(y: int, m: int, d: int) -> date | None:
    """The date, or None when it does not exist (February 30)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def day_of(word: str) -> int | None:
    """Day of month from ``24``, ``24th`` or ``twenty-fourth``."""
    w = re.sub(r"\s+", " ", word.lower())
    if w in ORDINAL_WORDS:
        return ORDINAL_WORDS[w]
    digits = re.match(r"\d+", w)
    return int(digits.group()) if digits else None


def spelled_year(text: str) -> int | None:
    """``nineteen ninety-six`` -> 1996, ``two thousand and one`` -> 2001."""
    t = re.sub(r"[-\s]+", " ", text.lower()).replace(" and", "")
    if t.startswith("nineteen "):
        rest = t[len("nineteen ") :].replace("oh ", "").replace("o ", "")
        n = parse_number(rest)
        return 1900 + int(n) if n is not None else None
    if t.startswith("two thousand"):
        rest = t[len("two thousand") :].strip()
        n = parse_number(rest) if rest else 0
        return 2000 + int(n) if n is not None else None
    return None


def resolve_day_word(ctx: Context, word: str, start: int, end: int) -> date | None:
    """A date for ``today``/``yesterday``/``tomorrow``, a weekday or ``Month Day``."""
    w = word.lower()
    if w in ("today", "tonight"):
        return ctx.ref
    if w == "yesterday":
        return ctx.ref - timedelta(days=1)
    if w == "tomorrow":
        return ctx.ref + timedelta(days=1)
    if w in WEEKDAYS:
        return weekday_near(ctx.ref, WEEKDAYS[w], direction(ctx, start, end))
    m = re.match(r"(\w+)\.?\s*(\d{1,2})(?:\s*,\s*(\d{4}))?", word)
    if m and m.group(1).lower() in MONTHS:
        mon, day = MONTHS[m.group(1).lower()], int(m.group(2))
        year = int(m.group(3)) if m.group(3) else pick_year(ctx, start, end, lambda y: (y, mon, day))
        return safe_date(year, mon, day)
    return None
