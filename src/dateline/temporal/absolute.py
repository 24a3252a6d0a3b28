"""Rules for dates that name their calendar position: ISO and numeric dates, month names, years,
decades, centuries, seasons of a given year, fiscal years and holidays.

A month or day without a year ("January 5", "in April", "Christmas") takes the year the
clause's tense points to (:func:`.resolve.pick_year`), unless the day is an event's name ("the
Sept. 11 attacks", :data:`.lexicon.EVENT_DAYS`).
"""

from __future__ import annotations

import re

from .lexicon import EVENT_DAYS, HOLIDAYS, MONTHS, ORDINAL_DAY, ORDINAL_WORDS, SEASONS, month_value
from .patterns import EDGE, MONTH, MONTH_FULL, SPELLED_YEAR, UNIT, WEEKDAY, YEAR, F, Result, rule
from .resolve import Context, day_of, pick_year, safe_date, spelled_year

__all__ = [
    "century",
    "day_month",
    "decade",
    "fiscal",
    "holiday",
    "iso",
    "month",
    "month_day",
    "month_year",
    "numeric",
    "season_year",
    "spelled",
    "year",
]


# "June 25 last year", "25 June this year": the year named relative to the reference.
_REL_YEAR = r"(?P<rel>last|this|next)\s+year"
_REL_OFFSET = {"last": -1, "this": 0, "next": 1}


def _relative_year(m: re.Match[str], ctx: Context) -> int:
    return ctx.ref.year + _REL_OFFSET[m["rel"].lower()]


# A day used as an event's name: "the Sept. 11 attacks", "Sept. 11-style", "the attacks of September 11th".
_EVENT_AFTER = re.compile(
    r"\s*(?:-style\b\s*)?(?:terror(?:ist)?\s+)?(?:attacks?|bombings?|hijack(?:ers?|ings?)|commission)\b", re.I
)
_EVENT_BEFORE = re.compile(r"\b(?:attacks?|bombings?|events|aftermath|wake)\s+of\s+(?:the\s+)?$|\bpost-\s*$", re.I)


def _year(m: re.Match[str], ctx: Context, mon: int, day: int) -> int:
    """The year of a day-and-month match: written, relative ("last year"), an event's, or picked by tense."""
    if m["year"]:
        return int(m["year"])
    if m["rel"]:
        return _relative_year(m, ctx)
    event = EVENT_DAYS.get((mon, day))
    if (
        event
        and event < ctx.ref.year
        and (_EVENT_AFTER.match(ctx.text, m.end()) or _EVENT_BEFORE.search(ctx.text, max(0, m.start() - 30), m.start()))
    ):
        return event
    return pick_year(ctx, m.start(), m.end(), lambda y: (y, mon, day))


@rule(
    "iso",
    trigger=r"\d-\d\d-\d",
    pattern=r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::\d{2})?)?\b(?!-)",
)
def iso(m: re.Match[str], ctx: Context) -> Result:
    d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None
    if m["H"]:
        return "TIME", f"{d.isoformat()}T{m['H']}:{m['M']}"
    return "DATE", d.isoformat()


@rule(
    "numeric",
    trigger=r"\d[/.]\d{1,2}[/.]\d",
    pattern=r"(?<![\d/.,])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)",
)
def numeric(m: re.Match[str], ctx: Context) -> Result:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if m["sep"] == "/" else (b, a)  # US order with slashes, European with dots
    d = safe_date(y, month, day) or (safe_date(y, b, a) if m["sep"] == "/" else None)
    return ("DATE", d.isoformat()) if d else None


@rule(
    "month_day",
    rf"\b(?:(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?)?(?P<mon>{MONTH})\s*"
    rf"(?P<day>{ORDINAL_DAY})(?:-(?P<day2>\d{{1,2}}))?(?!\d|:\d|\s*(?:%|percent|per\s*cent))(?!-\d)"
    rf"(?:(?:\s*,\s*|\s+)(?:(?P<year>{YEAR})(?!\d)|{_REL_YEAR}))?\b",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def month_day(m: re.Match[str], ctx: Context) -> Result:
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    day = day_of(m["day"])
    if not day or day > 31:
        return None
    if m["day"].isalpha() and not m["mon"].istitle():
        return None
    if m["day2"] and not day < int(m["day2"]) <= 31:
        return None  # "March 5-2" is a score, not a range
    d = safe_date(_year(m, ctx, mon, day), mon, day)
    if d is None:
        return None
    start = m.start("wd") if m["wd"] and not m["mod"] else m.start()
    if not m["mod"] and not m["wd"]:
        start = m.start("mon")
    # A range ("the November 12-13 summit") is dated by its first day.
    end = m.end("day") if m["day2"] and not (m["year"] or m["rel"]) else m.end()
    return "DATE", d.isoformat(), start, end


@rule(
    "day_month",
    rf"\b(?:(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?|(?:the\s+)?(?P<dw>{ORDINAL_DAY})\s+of\s+)(?P<mon>{MONTH})"
    rf"(?:(?:\s*,\s*|\s+)(?:(?P<year>{YEAR})(?!\d)|{_REL_YEAR}))?\b",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def day_month(m: re.Match[str], ctx: Context) -> Result:
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    day = day_of(m["dd"] or m["dw"])
    if not day or day > 31:
        return None
    start = m.start("dd") if m["dd"] else m.start("dw")
    d = safe_date(_year(m, ctx, mon, day), mon, day)
    return ("DATE", d.isoformat(), start, m.end()) if d else None


@rule(
    "month_year",
    rf"\b(?:{EDGE}[-\s]+)?(?P<mon>{MONTH})(?:\s*,\s*|\s+)(?:of\s+)?(?:(?P<year>{YEAR})\b|{_REL_YEAR}\b)",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def month_year(m: re.Match[str], ctx: Context) -> Result:
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    if m["year"]:
        return "DATE", month_value(int(m["year"]), mon)
    return "DATE", month_value(_relative_year(m, ctx), mon)


_MONTH_TRIGGER = re.compile(
    r"(?:\b(?:in|since|until|till|by|through|during|before|after|from|to|of|and|or|early|late|mid|"
    r"last|next|this|between|throughout|for|on)\s+|-)$",
    F,
)


@rule(
    "month",
    rf"\b(?:(?P<mod>last|next|this|this\s+past|this\s+coming|early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)"
    rf"[-\s]+)?(?P<mon>{MONTH_FULL}|(?-i:Sept)\.)(?!\w)(?![-\s]*\d)",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    priority=6,
)
def month(m: re.Match[str], ctx: Context) -> Result:
    name = m["mon"].rstrip(".")
    mon = MONTHS[name.lower()]
    if not m["mod"]:
        before = ctx.text[max(0, m.start() - 15) : m.start()]
        # Months that double as words or first names need a temporal trigger before them.
        if name in ("May", "March", "April", "June", "August") and not _MONTH_TRIGGER.search(before):
            return None
        after = ctx.text[m.end() : m.end() + 2]
        if name in ("April", "June", "August", "May") and re.match(r"\s[A-Z]", after):
            return None
    mod = (m["mod"] or "").lower()
    if mod.startswith("last") or mod == "this past":
        year = ctx.ref.year if mon < ctx.ref.month else ctx.ref.year - 1
    elif mod.startswith("next") or mod == "this coming":
        year = ctx.ref.year if mon > ctx.ref.month else ctx.ref.year + 1
    elif mod == "this":
        year = ctx.ref.year
    else:
        year = pick_year(ctx, m.start(), m.end(), lambda y: (y, mon))
    return "DATE", month_value(year, mon)


@rule(
    "season_year",
    rf"\b(?:(?:early|late|mid)[-\s]+)?(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)(?:\s+of)?\s+"
    rf"(?P<year>{YEAR}|{SPELLED_YEAR})\b",
    trigger=r"spring|summer|fall|autumn|winter",
)
def season_year(m: re.Match[str], ctx: Context) -> Result:
    year = int(m["year"]) if m["year"].isdigit() else spelled_year(m["year"])
    return ("DATE", f"{year}-{SEASONS[m['season'].lower()]}") if year else None


@rule("fiscal", rf"\bfiscal(?:\s+year)?\s+(?P<year>{YEAR})\b", keywords=("fiscal",), before=1)
def fiscal(m: re.Match[str], ctx: Context) -> Result:
    return "DATE", m["year"]


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|people|persons|men|women|children|soldiers|troops|members|students|"
    r"workers|employees|votes|shares|units|cars|homes|acres|miles|kilometers|km|feet|meters|tons|pounds|"
    r"dollars|yen|euros|hours|GMT|UTC|local\s+time|[ECMP][SD]T|-\d|\s+to\s+\d)\b",
    F,
)


_NOT_YEAR_BEFORE = re.compile(
    r"(?:[$£€#]|\b(?:No|Nos|number|numbers|room|flight|highway|route|page|pages|article|resolution|"
    r"paragraph|section|chapter|channel|model|version|at|about|some|nearly|almost|over|than|to|of\s+the|"
    r"around|approximately|up)\s*\.?\s*)$",
    F,
)


@rule(
    "year",
    rf"(?:\b(?P<mod>{EDGE}|the\s+year|year-end|year['’]s\s+end|(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+of)[-\s]+"
    rf"|(?<![$£€#\d.,/:'’-]))(?P<year>{YEAR})(?![\d%]|,\d|\.\d|[-/]\d|:\d)",
    trigger=r"\d{4}",
    priority=6,
)
def year(m: re.Match[str], ctx: Context) -> Result:
    year = m["year"]
    if not m["mod"]:
        before = ctx.text[max(0, m.start() - 20) : m.start()]
        after = ctx.text[m.end() : m.end() + 20]
        if _NOT_YEAR_AFTER.match(after):
            return None
        if _NOT_YEAR_BEFORE.search(before) and not re.search(r"\b(?:in|since|by|of|until|from)\s+$", before, F):
            return None
        # A lone 4-digit number far from "now" is more likely a count than a year.
        if abs(int(year) - ctx.ref.year) > 150:
            return None
    return "DATE", year


@rule(
    "spelled_year",
    rf"\b(?:(?P<the>the\s+year)\s+)?(?P<sy>{SPELLED_YEAR})\b(?![-\s]+(?:{UNIT}))",
    trigger=r"nineteen|two thousand",
)
def spelled(m: re.Match[str], ctx: Context) -> Result:
    year = spelled_year(m["sy"])
    if year is None or (not m["the"] and m["sy"].lower().startswith("two thousand") and year == 2000):
        return None
    return "DATE", str(year)


_DECADE_WORDS = {
    w: i
    for i, w in enumerate(
        ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"], start=2
    )
}


@rule(
    "decade",
    r"(?:(?P<the>the)\s+)?(?:(?P<mod>early|late|mid)[-\s]+)?"
    r"(?:(?P<c>1[5-9]|20)(?P<d>\d)0['’]?s|['’](?P<d2>\d)0['’]?s|(?P<w>twenties|thirties|forties|fifties|sixties|"
    r"seventies|eighties|nineties))\b",
    trigger=r"0['’]?s\b|ties\b",
)
def decade(m: re.Match[str], ctx: Context) -> Result:
    if m["w"]:
        if not m["the"]:
            return None  # "in his forties" is an age
        return "DATE", f"19{_DECADE_WORDS[m['w'].lower()]}"
    if m["d2"]:
        return "DATE", f"19{m['d2']}"
    return "DATE", f"{m['c']}{m['d']}"


@rule(
    "century",
    r"\b(?:the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|twenty-first))[-\s]+century\b",
    trigger=r"century",
)
def century(m: re.Match[str], ctx: Context) -> Result:
    n = int(m["n"]) if m["n"] else ORDINAL_WORDS.get(m["w"].lower())
    if not n:
        return None
    return "DATE", f"{n - 1:02d}"


@rule(
    "holiday",
    rf"\b(?:(?P<mod>last|next|this)\s+)?(?P<h>christmas\s+eve|christmas\s+day|christmas|new\s+year['’]s\s+eve|new\s+year['’]s\s+day|"
    rf"independence\s+day|halloween|valentine['’]s\s+day|thanksgiving\s+day|thanksgiving|easter\s+sunday|easter)\b"
    rf"(?:,?\s+(?P<year>{YEAR})\b)?",
    trigger=r"christmas|year['’]s|independence|halloween|valentine|thanksgiving|easter",
)
def holiday(m: re.Match[str], ctx: Context) -> Result:
    if not m["h"][0].isupper():
        return None
    key = re.sub(r"\s+", " ", m["h"].lower().replace("’", "'"))
    fn = HOLIDAYS[key]
    if m["year"]:
        return "DATE", fn(int(m["year"])).isoformat()
    mod = (m["mod"] or "").lower()
    if mod == "last":
        year = ctx.ref.year if fn(ctx.ref.year) < ctx.ref else ctx.ref.year - 1
        return "DATE", fn(year).isoformat()
    if mod == "next":
        year = ctx.ref.year if fn(ctx.ref.year) > ctx.ref else ctx.ref.year + 1
        return "DATE", fn(year).isoformat()
    year = pick_year(ctx, m.start(), m.end(), lambda y: (y, fn(y).month, fn(y).day))
    return "DATE", fn(year).isoformat()
