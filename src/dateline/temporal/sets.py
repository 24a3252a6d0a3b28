"""Rules for sets (recurring times): "every Monday", "each year", "weekly", "twice a month"."""

from __future__ import annotations

import re

from .lexicon import MONTHS, NUMBER, PARTS_OF_DAY, SEASONS, UNIT_CODES, WEEKDAYS, duration_value, parse_number
from .patterns import MONTH_FULL, PART, WEEKDAY, Result, rule
from .resolve import Context

__all__ = ["set_adverb", "set_every", "set_weekdays"]


_SET_UNITS = {
    "day": "P1D",
    "night": "P1D",
    "week": "P1W",
    "weekend": "P1W",
    "month": "P1M",
    "year": "P1Y",
    "quarter": "P3M",
    "hour": "PT1H",
    "minute": "PT1M",
    "morning": "XXXX-XX-XXTMO",
    "afternoon": "XXXX-XX-XXTAF",
    "evening": "XXXX-XX-XXTEV",
}


@rule(
    "set_every",
    rf"\b(?:every|each)\s+(?:(?P<other>other)\s+|single\s+|(?P<n>{NUMBER})\s+)?(?P<u>day|night|week|weekend|month|year|"
    rf"quarter|hour|minute|morning|afternoon|evening|spring|summer|fall|autumn|winter|{WEEKDAY}|{MONTH_FULL})s?\b",
    keywords=("every", "each"),
    before=1,
    after=80,
)
def set_every(m: re.Match[str], ctx: Context) -> Result:
    u = m["u"].lower()
    if (m["n"] or m["other"]) and u in UNIT_CODES and u not in ("night", "weekend", "quarter"):
        # "every two weeks" / "every other week": the period is the whole span, P2W.
        n = 2 if m["other"] else parse_number(m["n"])
        return "SET", duration_value(n, u)
    if m["n"]:
        return None
    if u in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[u]}"
    if u in MONTHS and m["u"][0].isupper():
        return "SET", f"XXXX-{MONTHS[u]:02d}"
    if u in SEASONS:
        return "SET", f"XXXX-{SEASONS[u]}"
    return "SET", _SET_UNITS[u]


@rule(
    "set_adverb",
    r"\b(?:(?P<w>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually|semi-annually)"
    r"|(?P<freq>once|twice|three\s+times|several\s+times|\d+\s+times)\s+(?:a|an|per|each|every)\s+"
    r"(?P<u>day|week|month|year|quarter|hour|minute))\b(?!-)",
    trigger=r"daily|weekly|monthly|annually|yearly|hourly|nightly|semi|once|twice|times",
    before=15,
    after=30,
)
def set_adverb(m: re.Match[str], ctx: Context) -> Result:
    if m["u"]:
        return "SET", _SET_UNITS[m["u"].lower()]
    w = m["w"].lower()
    return "SET", {
        "daily": "P1D",
        "nightly": "P1D",
        "weekly": "P1W",
        "biweekly": "P2W",
        "monthly": "P1M",
        "hourly": "PT1H",
        "semiannually": "P6M",
        "semi-annually": "P6M",
    }.get(w, "P1Y")


@rule(
    "set_weekdays",
    rf"\b(?P<wd>{WEEKDAY})(?:s|\s+(?P<part>{PART})s)\b",
    trigger=r"(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",
    before=0,
    after=20,
)
def set_weekdays(m: re.Match[str], ctx: Context) -> Result:
    # A plural weekday recurs: "on Mondays" is every Monday, "Tuesday nights" every Tuesday night.
    value = f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}"
    return "SET", value + (f"T{PARTS_OF_DAY[m['part'].lower()]}" if m["part"] else "")
