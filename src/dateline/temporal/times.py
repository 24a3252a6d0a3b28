"""Rules for times of day: clock times ("10:35 a.m.", "noon", "8 o'clock") and parts of the day
("this morning", "Tuesday night", "late afternoon"), valued per TIMEX3 as ``1998-02-06T10:35`` or
``1998-02-06TMO``.

A clock time with no day in its own extent gets the day mentioned right next to it ("at
10:35 a.m. Friday"), else the reference date: :func:`place_clock_time` does that once every
mention is known.
"""

from __future__ import annotations

import re
from datetime import date

from .base import Timex
from .lexicon import PARTS_OF_DAY, parse_number
from .patterns import MONTH, PART, WEEKDAY, YEAR, Result, rule
from .resolve import Context, resolve_day_word

__all__ = ["DAY_PLACEHOLDER", "clock", "part_of_day", "place_clock_time"]

DAY_PLACEHOLDER = "DAY"
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_NARRATIVE_REACH = 100  # characters: how far back a named day still sets the day of a bare time


@rule(
    "clock",
    rf"\b(?:(?P<mod>around|approximately|shortly\s+(?:before|after))\s+)?"
    rf"(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)"
    rf"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?![\d:])|(?P<noon>noon|midnight|midday)"
    rf"|(?P<hw>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{{1,2}})(?:\s+o['’]clock)?"
    rf"(?:\s+in\s+the\s+(?P<hpart>morning|afternoon|evening)|(?<=clock)))"
    rf"(?:\s+(?P<tz>[ECMP][SD]?T|GMT|UTC|local\s+time)\b)?"
    rf"(?:,?\s+(?:on\s+)?(?P<day>{WEEKDAY}|today|yesterday|tomorrow|{MONTH}\s*\d{{1,2}}\b(?:\s*,\s*{YEAR}\b)?))?",
    trigger=r"[ap]\.?m\b|\d:\d\d|noon|midnight|midday|o['’]clock|in\s+the\s+(?:morning|afternoon|evening)",
)
def clock(m: re.Match[str], ctx: Context) -> Result:
    if m["noon"]:
        hh, mm = (12, 0) if m["noon"].lower() != "midnight" else (24, 0)
    elif m["hw"]:
        hh = int(parse_number(m["hw"]) or 0)
        mm = 0
        if not 0 < hh <= 12:
            return None
        part = (m["hpart"] or "").lower()
        if part in ("afternoon", "evening") and hh < 12:
            hh += 12  # "4 in the afternoon" is 16:00
        elif part == "morning" and hh == 12:
            hh = 0
    elif m["h24"]:
        hh, mm = int(m["h24"]), int(m["mi24"])
        before = ctx.text[max(0, m.start() - 3) : m.start()]
        if re.search(r"\d[:.]?$", before):
            return None
    else:
        hh, mm = int(m["h"]), int(m["mi"] or 0)
        if hh > 12 or hh == 0:
            return None
        pm = m["ap"].lower().startswith("p")
        hh = (hh % 12) + (12 if pm else 0)
    if m["day"]:
        d = resolve_day_word(ctx, m["day"], m.start(), m.end()) or ctx.ref
        return "TIME", f"{d.isoformat()}T{hh:02d}:{mm:02d}"
    # No day given: the day is the one named next to it ("at 10:35 a.m. Friday"), else the reference.
    return "TIME", f"{DAY_PLACEHOLDER}T{hh:02d}:{mm:02d}"


@rule(
    "part_of_day",
    rf"\b(?:(?P<mod>early|late|mid)[-\s]*)?(?P<part>{PART})\b(?:\s+(?P<day>today|yesterday|tomorrow|{WEEKDAY}))?",
    trigger=r"morning|afternoon|evening|night",
    priority=8,
)
def part_of_day(m: re.Match[str], ctx: Context) -> Result:
    # Only "mid-afternoon yesterday" and "late morning": a bare "morning" is too often generic.
    if not (m["mod"] or m["day"]):
        before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
        if (
            not re.search(r"\b(?:in|during|by|until|overnight|the)\s+(?:the\s+)?$", before)
            or m["part"].lower() == "night"
        ):
            return None
        start = m.start()
        if before.endswith("the "):
            start -= 4
        return "TIME", f"{DAY_PLACEHOLDER}T{PARTS_OF_DAY[m['part'].lower()]}", start, m.end()
    d = resolve_day_word(ctx, m["day"], m.start(), m.end()) if m["day"] else None
    return "TIME", f"{d.isoformat() if d else DAY_PLACEHOLDER}T{PARTS_OF_DAY[m['part'].lower()]}"


def place_clock_time(timexes: list[Timex], i: int, reference: date) -> Timex:
    """Give a bare clock time the day named next to it, else one named shortly before, else the reference."""
    t = timexes[i]
    day = reference.isoformat()
    for j in (i + 1, i - 1):
        if 0 <= j < len(timexes) and _DAY_VALUE.match(timexes[j].value[:10]):
            gap = timexes[j].start - t.end if j > i else t.start - timexes[j].end
            if 0 <= gap <= 25:
                day = timexes[j].value[:10]  # a date, or the day of a time ("4 in the morning (4 a.m. Thursday)")
                break
    else:
        # A narrative time ("crashed Friday. Dealers bought in the morning") belongs to a day named
        # just before it; one further back is more often an aside ("serviced on April 16") than the scene.
        last = next((x for x in reversed(timexes[:i]) if _DAY_VALUE.match(x.value[:10])), None)
        if last is not None and t.start - last.end <= _NARRATIVE_REACH:
            day = last.value[:10]
    return Timex(t.start, t.end, t.text, t.type, day + t.value[len(DAY_PLACEHOLDER) :])
