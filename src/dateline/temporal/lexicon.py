"""Words, numbers and calendar arithmetic shared by the rule-based tagger.

Kept apart from the rule families (:mod:`.absolute`, :mod:`.deictic`, ...) so the tables
(month names, spelled numbers, units) can be read and extended on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

# Month names are matched case-sensitively ("May", never the verb "may").
MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("January", "Jan"),
        ("February", "Feb"),
        ("March", "Mar"),
        ("April", "Apr"),
        ("May",),
        ("June", "Jun"),
        ("July", "Jul"),
        ("August", "Aug"),
        ("September", "Sept", "Sep"),
        ("October", "Oct"),
        ("November", "Nov"),
        ("December", "Dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n.lower()] = _i

WEEKDAYS = {
    name: i
    for i, name in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], start=1)
}

SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}  # a month inside each season

PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
    "overnight": "NI",
}

_UNITS_1 = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS_1)}
NUMBER_WORDS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})
NUMBER_WORDS.update(
    {
        "a": 1,
        "an": 1,
        "one": 1,
        "a couple of": 2,
        "a couple": 2,
        "couple of": 2,
        "a dozen": 12,
        "dozen": 12,
        "a hundred": 100,
        "hundred": 100,
        "a thousand": 1000,
        "thousand": 1000,
    }
)
FUZZY_NUMBERS = {"a few", "few", "several", "some", "many", "a number of", "numerous", "a handful of"}

ORDINAL_WORDS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
ORDINAL_WORDS["thirtieth"] = 30
for _i, _w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"], start=1
):
    ORDINAL_WORDS[f"twenty-{_w}"] = 20 + _i
    ORDINAL_WORDS[f"twenty {_w}"] = 20 + _i
ORDINAL_WORDS["thirty-first"] = ORDINAL_WORDS["thirty first"] = 31


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


_SPELLED_1_99 = rf"(?:(?:{_alt(_TENS)})(?:[-\s](?:{_alt(_UNITS_1[1:10])}))?|{_alt(_UNITS_1[1:])})"
# A spelled or written cardinal, as it appears before a unit ("twenty-four", "2 1/2", "a few").
NUMBER = (
    rf"(?:\d+(?:\.\d+)?(?:\s+1/2|\s+and\s+a\s+half)?|{_SPELLED_1_99}(?:\s+and\s+a\s+half)?|"
    rf"(?:a|one)\s+(?:hundred|thousand)|{_SPELLED_1_99}\s+(?:hundred|thousand)|"
    rf"{_alt(FUZZY_NUMBERS)}|a\s+couple(?:\s+of)?|a\s+dozen|an?)"
)
ORDINAL_DAY = rf"(?:[12]?\d|3[01])(?:st|nd|rd|th)?|{_alt(ORDINAL_WORDS)}"

UNIT_CODES = {
    "second": ("S", True),
    "minute": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "night": ("D", False),
    "week": ("W", False),
    "weekend": ("WE", False),
    "month": ("M", False),
    "quarter": ("Q", False),
    "year": ("Y", False),
    "decade": ("DE", False),
    "century": ("CE", False),
}


def unit_of(word: str) -> str:
    """The singular unit for a unit word: ``years`` -> ``year``, ``centuries`` -> ``century``."""
    w = word.lower()
    if w.startswith("centur"):
        return "century"
    return w[:-1] if w.endswith("s") else w


def parse_number(text: str) -> float | None:
    """The value of a cardinal phrase, or None for a vague one (``several``, ``a few``)."""
    t = re.sub(r"\s+", " ", text.lower().strip())
    if t in FUZZY_NUMBERS:
        return None
    half = 0.0
    for suffix in (" and a half", " 1/2"):
        if t.endswith(suffix):
            t, half = t[: -len(suffix)], 0.5
    if t in NUMBER_WORDS:
        return NUMBER_WORDS[t] + half
    try:
        return float(t) + half
    except ValueError:
        pass
    total = 0
    for part in re.split(r"[-\s]+", t):
        if part in ("and",):
            continue
        if part in ("hundred", "thousand"):
            total = max(total, 1) * (100 if part == "hundred" else 1000)
        elif part in NUMBER_WORDS:
            total += NUMBER_WORDS[part]
        else:
            return None
    return total + half


def duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration value: ``P3Y``, ``PT24H``, ``PXW``; decades and centuries in years."""
    code, is_time = UNIT_CODES[unit]
    if unit == "decade":
        return f"P{_fmt(n * 10)}Y" if n is not None else "PXDE"
    if unit == "century":
        return f"P{_fmt(n * 100)}Y" if n is not None else "PXCE"
    if unit == "weekend":
        return "P2D" if n == 1 else (f"P{_fmt(n)}WE" if n is not None else "PXWE")
    if n is not None and n != int(n):
        # Halves move down one unit, as the gold does: 2 1/2 years -> P2Y6M.
        whole, frac = int(n), n - int(n)
        lower = {
            "Y": ("M", 12),
            "M": ("D", 30) if not is_time else ("S", 60),
            "W": ("D", 7),
            "D": ("H", 24),
            "H": ("M", 60),
        }.get(code)
        if lower:
            sub_code, k = lower
            sub_is_time = is_time or (code == "D")
            head = f"{whole}{code}" if whole else ""
            if is_time:
                return f"PT{head}{int(frac * k)}{sub_code}"
            if sub_is_time:
                return f"P{head}T{int(frac * k)}{sub_code}"
            return f"P{head}{int(frac * k)}{sub_code}"
    num = _fmt(n) if n is not None else "X"
    return f"PT{num}{code}" if is_time else f"P{num}{code}"


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else str(n)


# --- calendar values -----------------------------------------------------------------------


def month_value(year: int, month: int) -> str:
    """TIMEX3 month value: ``2019-11``."""
    return f"{year:04d}-{month:02d}"


def week_value(d: date) -> str:
    """TIMEX3 ISO-week value of the week holding ``d``: ``2019-W48``."""
    iso = d.isocalendar()
    return f"{iso[0]:04d}-W{iso[1]:02d}"


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def quarter_of(d: date) -> int:
    """The calendar quarter (1-4) holding ``d``."""
    return (d.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, delta: int) -> tuple[int, int]:
    """(year, quarter) moved by ``delta`` quarters."""
    index = year * 4 + (quarter - 1) + delta
    return index // 4, index % 4 + 1


def weekday_near(reference: date, weekday: int, direction: str) -> date:
    """The given ISO weekday nearest ``reference``: ``past`` on/before it, ``future`` on/after,
    ``before`` strictly before, ``after`` strictly after."""
    diff = weekday - reference.isoweekday()
    if direction == "past":
        return reference + timedelta(days=diff if diff <= 0 else diff - 7)
    if direction == "future":
        return reference + timedelta(days=diff if diff >= 0 else diff + 7)
    if direction == "before":
        return reference + timedelta(days=diff if diff < 0 else diff - 7)
    return reference + timedelta(days=diff if diff > 0 else diff + 7)


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month = (h + m - 7 * n + 114) // 31
    day = (h + m - 7 * n + 114) % 31 + 1
    return date(year, month, day)


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


HOLIDAYS = {
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas day": lambda y: date(y, 12, 25),
    "christmas": lambda y: date(y, 12, 25),
    "new year's eve": lambda y: date(y, 12, 31),
    "new year's day": lambda y: date(y, 1, 1),
    "independence day": lambda y: date(y, 7, 4),
    "halloween": lambda y: date(y, 10, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "thanksgiving day": thanksgiving,
    "thanksgiving": thanksgiving,
    "easter sunday": easter,
    "easter": easter,
}

# Days that are an event's name ("the Sept. 11 attacks", "the July 7 bombings"): written as that
# name without a year, they mean the event, not the same day of the year the tense points to
# (a 2008 article on "the attacks of Sept. 11" is not about September 11, 2008). Only events the
# press names by their day for years after belong here.
EVENT_DAYS: dict[tuple[int, int], int] = {(9, 11): 2001, (7, 7): 2005}
