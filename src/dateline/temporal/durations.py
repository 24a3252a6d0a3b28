"""Rules for durations: "three years", "the past two weeks", "a 90-day", "for months".

TimeML durations are ``P``-values (``P3Y``, ``PT2H``, ``PXM`` for an unspecified number);
"a day" after a quantity ("$5 a day") is a frequency, so it is typed SET.
"""

from __future__ import annotations

import re

from .lexicon import NUMBER, duration_value, parse_number, unit_of
from .patterns import UNIT, UNIT_TRIGGER, F, Result, rule
from .resolve import Context

__all__ = ["bare_units", "duration"]


_MONEY_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|percent|cents?|dollars?|times|shares|barrels|tons|"
    r"people|visitors|passengers|units|calls|interviews|sessions|meals|hours|miles|pounds))\b[^.;]{0,25}$",
    F,
)


@rule(
    "duration",
    rf"\b(?:(?P<the>the)\s+)?(?:(?P<rel>past|last|next|first|final|previous|coming|following|latest|recent|initial|"
    rf"remaining|same|year-earlier|year-ago|last\s+full|first\s+full)\s+)?"
    rf"(?:(?P<mod>about|almost|nearly|roughly|approximately|some|more\s+than|over|under|less\s+than|at\s+least|"
    rf"at\s+most|up\s+to|only|just|fully|a\s+full|another|an\s+additional|barely|no\s+more\s+than|"
    rf"no\s+less\s+than|well\s+over|upwards\s+of|nearly\s+a|almost\s+a)\s+)?"
    rf"(?P<num>{NUMBER})(?:\s+(?:more|additional|straight|consecutive|full|long))?(?P<sep>[\s-]+)"
    rf"(?P<unit>{UNIT})(?P<long>-long)?\b(?![-\s]+old\b)(?!-\w)(?:\s+or\s+so)?",
    trigger=UNIT_TRIGGER,
    priority=6,
    after=25,
)
def duration(m: re.Match[str], ctx: Context) -> Result:
    unit = unit_of(m["unit"])
    num = m["num"].lower()
    n = parse_number(num)
    if num in ("a", "an", "one") and unit == "quarter":
        return None  # "a quarter of the votes"
    if num in ("a", "an") and unit == "second":
        return None  # "a second attack"
    if m["the"] and not m["rel"] and num in ("a", "an"):
        return None
    if unit == "night":
        unit = "day"
    if unit == "quarter" and m["sep"] == "-" and m["unit"].lower().endswith("s"):
        return None  # "three-quarters of its food"
    start = m.start()
    if m["the"] and (m["sep"] == "-" or m["long"]):
        start = m.start("rel") if m["rel"] else (m.start("mod") if m["mod"] else m.start("num"))
    if m["the"] is None and m["mod"] and m["mod"].lower() in ("about", "only", "just", "barely"):
        start = m.start("num")  # the gold leaves these focus words out of durations
    if (
        num in ("a", "an", "one", "per")
        and unit in ("day", "week", "month", "year", "hour")
        and not (m["rel"] or m["the"] or m["mod"])
    ):
        before = ctx.text[max(0, m.start() - 45) : m.start()]
        if num in ("a", "an") and _MONEY_BEFORE.search(before):
            return "SET", duration_value(1, unit), start, m.end()
    if unit == "quarter" and n is not None:
        return "DURATION", f"P{int(n * 3)}M" if n == int(n) else f"P{n}Q", start, m.end()
    return "DURATION", duration_value(n, unit), start, m.end()


@rule(
    "bare_units",
    r"\b(?:for|within|in|over|after|during|take|took|takes|taking|spent|spend|lasted|last|of)\s+"
    r"(?P<x>(?:the\s+)?(?:(?P<rel>recent|coming|past|next|last|early|first|final)\s+)?"
    r"(?P<unit>years|months|weeks|days|hours|minutes|decades|centuries))\b(?!\s+(?:ago|old|earlier|later))",
    priority=7,
    trigger=r"\b(?:years|months|weeks|days|hours|minutes|decades|centuries)\b",
    before=40,
    after=30,
)
def bare_units(m: re.Match[str], ctx: Context) -> Result:
    if m["x"].lower().startswith("the") and not m["rel"] and m["unit"].lower() not in ("years", "decades", "centuries"):
        return None
    if (
        m["unit"].lower() in ("hours", "minutes", "days")
        and not m["rel"]
        and ctx.text[m.start() : m.start("x")].lower().startswith("of")
    ):
        return None
    unit = unit_of(m["unit"])
    return "DURATION", duration_value(None, unit), m.start("x"), m.end("x")
