"""Dateline's own rule-based TIMEX3 tagger for English news (pure Python, regexes only).

Why by hand: the general date parsers on PyPI are wrong for this job. ``dateparser``,
``parsedatetime`` and ``ctparse`` fire on the verbs "may" and "march", fill a day into bare
years, know no tense ("met on December 28" in a January article is last year) and give no
precision; HeidelTime gets this right but is Java and GPL, so it can only be a benchmark, never
a product dependency. This module follows the TimeML/TempEval-3 conventions of the TimeBank
and AQUAINT gold (extents: "last week" includes "last", "on Monday" excludes "on"; values such
as ``2019-11-24``, ``2019-W48``, ``1989-Q3``, ``P3Y``, ``XXXX-WXX-1``, ``PRESENT_REF``).

How it works: a dozen compiled patterns propose candidate spans; the longest non-overlapping
ones win; each is normalised against the reference (publication) date, using the tense of the
clause for underspecified expressions ("January 5", "Friday", "in April") and the last date
mentioned for anaphoric ones ("a year earlier", "the following month").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .base import Timex, value_to_date
from .lexicon import (
    HOLIDAYS,
    MONTHS,
    NUMBER,
    ORDINAL_DAY,
    ORDINAL_WORDS,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAYS,
    add_months,
    duration_value,
    month_value,
    parse_number,
    quarter_of,
    shift_quarter,
    unit_of,
    week_value,
    weekday_near,
)
from .resolve import (
    Context,
    day_of,
    direction,
    pick_year,
    resolve_day_word,
    safe_date,
    spelled_year,
)

__all__ = ["RuleTagger"]

_F = re.IGNORECASE

# --- building blocks -----------------------------------------------------------------------
_MONTH_FULL = r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ABBR = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
_MONTH_ABBR_NODOT = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_MONTH = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}|{_MONTH_ABBR_NODOT})\b\.?"
_WEEKDAY = r"(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_TEENS_TENS = (
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
_DIGIT_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPELLED_YEAR = (
    rf"(?:nineteen[-\s]+{_TEENS_TENS}(?:[-\s]+{_DIGIT_WORD})?|nineteen[-\s]+(?:oh|o)[-\s]+{_DIGIT_WORD}|"
    rf"two\s+thousand(?:\s+and)?(?:[-\s]+(?:{_TEENS_TENS}(?:[-\s]+{_DIGIT_WORD})?|{_DIGIT_WORD}))?)"
)
_EDGE = r"(?:early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)"
_UNIT = r"(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade)s?|centur(?:y|ies)"
_PART = r"(?:morning|afternoon|evening|night)"
_RELATIVE_TRIGGER = (
    r"\b(?:this|last|next|past|previous|coming|current|following|that|same|preceding|prior|latest|the)\s+"
    r"(?:week|month|year|decade|century|spring|summer|fall|autumn|winter|season|day)"
)
_UNIT_TRIGGER = r"\b(?:(?:second|minute|hour|day|night|week|weekend|month|quarter|year|decade)s?\b|centur)"


# --- rules ---------------------------------------------------------------------------------------
Result = tuple[str, str] | tuple[str, str, int, int] | None


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handle: Callable[[re.Match[str], Context], Result]
    priority: int = 5  # lower wins between candidates of equal length
    anchored: bool = False  # value depends on the previous mention: recomputed in text order
    trigger: re.Pattern[str] | None = None  # a cheap pattern the full one cannot match without
    before: int = 60  # how far a full match may reach before its trigger ...
    after: int = 45  # ... and after it

    def finditer(self, text: str):
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


_RULES: list[_Rule] = []


def _cased(trigger: str) -> str:
    """A trigger matching its words in lower case or capitalised, without re.IGNORECASE.

    Case-insensitive alternations are several times slower in ``re``; triggers only
    pre-select windows (the full patterns stay case-insensitive), so all-caps text
    is the one thing given up.
    """
    return re.sub(r"(?<![\\\w\[])([a-z])(?=[a-z])", lambda m: f"[{m[1]}{m[1].upper()}]", trigger)


def _rule(
    name: str,
    pattern: str,
    priority: int = 5,
    anchored: bool = False,
    trigger: str | None = None,
    before: int = 60,
    after: int = 45,
):
    def register(fn):
        compiled_trigger = re.compile(_cased(trigger)) if trigger else None
        _RULES.append(_Rule(name, re.compile(pattern, _F), fn, priority, anchored, compiled_trigger, before, after))
        return fn

    return register


@_rule(
    "iso",
    trigger=r"\d-\d\d-\d",
    pattern=r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::\d{2})?)?\b(?!-)",
)
def _iso(m, ctx):
    d = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None
    if m["H"]:
        return "TIME", f"{d.isoformat()}T{m['H']}:{m['M']}"
    return "DATE", d.isoformat()


@_rule(
    "numeric",
    trigger=r"\d[/.]\d{1,2}[/.]\d",
    pattern=r"(?<![\d/.,])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)",
)
def _numeric(m, ctx):
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if m["sep"] == "/" else (b, a)  # US order with slashes, European with dots
    d = safe_date(y, month, day) or (safe_date(y, b, a) if m["sep"] == "/" else None)
    return ("DATE", d.isoformat()) if d else None


@_rule(
    "month_day",
    rf"\b(?:(?:(?P<mod>early|late|earlier|later)\s+)?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?)?(?P<mon>{_MONTH})\s*"
    rf"(?P<day>{ORDINAL_DAY})(?!\d|:\d|\s*(?:%|percent|per\s*cent))(?!-\d)"
    rf"(?:(?:\s*,\s*|\s+)(?P<year>{_YEAR})(?!\d))?\b",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def _month_day(m, ctx):
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    day = day_of(m["day"])
    if not day or day > 31:
        return None
    if m["day"].isalpha() and not m["mon"].istitle():
        return None
    if m["year"]:
        d = safe_date(int(m["year"]), mon, day)
    else:
        d = safe_date(pick_year(ctx, m.start(), m.end(), lambda y: (y, mon, day)), mon, day)
    if d is None:
        return None
    start = m.start("wd") if m["wd"] and not m["mod"] else m.start()
    if not m["mod"] and not m["wd"]:
        start = m.start("mon")
    return "DATE", d.isoformat(), start, m.end()


@_rule(
    "day_month",
    rf"\b(?:(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?|(?:the\s+)?(?P<dw>{ORDINAL_DAY})\s+of\s+)(?P<mon>{_MONTH})"
    rf"(?:(?:\s*,\s*|\s+)(?P<year>{_YEAR})(?!\d))?\b",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def _day_month(m, ctx):
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    day = day_of(m["dd"] or m["dw"])
    if not day or day > 31:
        return None
    start = m.start("dd") if m["dd"] else m.start("dw")
    year = int(m["year"]) if m["year"] else pick_year(ctx, m.start(), m.end(), lambda y: (y, mon, day))
    d = safe_date(year, mon, day)
    return ("DATE", d.isoformat(), start, m.end()) if d else None


@_rule(
    "month_year",
    rf"\b(?:{_EDGE}[-\s]+)?(?P<mon>{_MONTH})(?:\s*,\s*|\s+)(?:of\s+)?(?:(?P<year>{_YEAR})\b|(?P<rel>last|this|next)\s+year\b)",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
)
def _month_year(m, ctx):
    mon = MONTHS[m["mon"].rstrip(".").lower()]
    if m["year"]:
        return "DATE", month_value(int(m["year"]), mon)
    year = ctx.ref.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    return "DATE", month_value(year, mon)


_MONTH_TRIGGER = re.compile(
    r"(?:\b(?:in|since|until|till|by|through|during|before|after|from|to|of|and|or|early|late|mid|"
    r"last|next|this|between|throughout|for|on)\s+|-)$",
    _F,
)


@_rule(
    "month",
    rf"\b(?:(?P<mod>last|next|this|this\s+past|this\s+coming|early|late|mid|the\s+(?:end|beginning|start|middle)\s+of)"
    rf"[-\s]+)?(?P<mon>{_MONTH_FULL}|(?-i:Sept)\.)(?!\w)(?![-\s]*\d)",
    trigger=r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    priority=6,
)
def _month(m, ctx):
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


@_rule(
    "weekday",
    rf"\b(?:(?P<mod>last|next|this|this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+next|"
    rf"early|late|earlier|later|(?:the\s+)?day\s+before|(?:the\s+)?day\s+after)\s+)?"
    rf"(?:(?P<mod2>early|late)\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?\b(?!\s*,?\s*(?:{_MONTH}|\d))"
    r"(?!\s+(?-i:Times|Telegraph|Express|Mirror|Herald|Post|Mail|Tribune|Observer|Independent|Agreement|Accord))",
    trigger=r"(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",
)
def _weekday(m, ctx):
    wd = WEEKDAYS[m["wd"].lower()]
    mod = re.sub(r"\s+", " ", (m["mod"] or "").lower())
    if mod in ("last", "this past", "the previous"):
        d = weekday_near(ctx.ref, wd, "before")
    elif mod in ("next", "this coming", "the next", "the following"):
        d = weekday_near(ctx.ref, wd, "after")
    elif mod == "this":
        d = ctx.ref + timedelta(days=wd - ctx.ref.isoweekday())
    else:
        d = weekday_near(ctx.ref, wd, direction(ctx, m.start(), m.end()))
    if mod.endswith("day before"):
        d -= timedelta(days=1)
    elif mod.endswith("day after"):
        d += timedelta(days=1)
    if m["part"]:
        return "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}"
    return "DATE", d.isoformat()


@_rule(
    "day_word",
    rf"\b(?:(?P<mod>early|late|earlier|later|mid)[-\s]*)?(?:(?P<pre>(?:the\s+)?day\s+(?:before|after))\s+)?"
    rf"(?P<w>today|yesterday|tomorrow|tonight|this|last)(?:\s+(?P<part>{_PART}))?\b",
    trigger=r"today|yesterday|tomorrow|tonight|(?:this|last)\s+(?:morning|afternoon|evening|night)",
)
def _day_word(m, ctx):
    w = m["w"].lower()
    part = (m["part"] or "").lower()
    if w in ("this", "last"):
        if not part:
            return None
        d = ctx.ref - timedelta(days=1) if w == "last" else ctx.ref
    else:
        d = resolve_day_word(ctx, w, m.start(), m.end())
    if m["pre"]:
        d += timedelta(days=-1 if "before" in m["pre"].lower() else 1)
    if w == "tonight":
        part = "tonight"
    if part:
        return "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}"
    return "DATE", d.isoformat()


@_rule(
    "relative",
    r"\b(?:(?P<mod>early|late|earlier|later|mid|sometime|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)[-\s]+)?"
    r"(?P<rel>this\s+past|this\s+coming|this|last|next|past|previous|coming|current|following|that(?:\s+same)?|the\s+(?:past|last|previous|coming|next|"
    r"current|following|same|preceding|prior|latest)|the)\s+"
    r"(?P<unit>week|month|year|weekend|decade|century|spring|summer|fall|autumn|winter|season|day)\b(?!-\w)",
    trigger=_RELATIVE_TRIGGER,
    anchored=True,
    before=50,
    after=5,
)
def _relative(m, ctx):
    raw = re.sub(r"\s+", " ", m["rel"].lower())
    rel = {"this past": "last", "this coming": "next", "that same": "same"}.get(raw, raw)
    anaphoric = rel.startswith("the ") and rel != "the"
    rel = rel[4:] if anaphoric else rel
    unit = m["unit"].lower()
    step = {
        "last": -1,
        "past": -1,
        "previous": -1,
        "preceding": -1,
        "prior": -1,
        "next": 1,
        "coming": 1,
        "following": 1,
    }.get(rel, 0)
    base = ctx.ref
    if (
        rel in ("that", "same", "following", "preceding", "prior")
        or (rel in ("previous", "next") and anaphoric)
        or unit == "day"
    ):
        anchor = value_to_date(ctx.anchor) if ctx.anchor else None
        if anchor is not None:
            base = anchor[0]
    before = ctx.text[max(0, m.start() - 12) : m.start()].lower()
    after = ctx.text[m.end() : m.end() + 12].lower()
    if unit == "day":
        if rel not in ("that", "same", "following", "next", "previous", "preceding", "prior"):
            return None
        return "DATE", (base + timedelta(days=step)).isoformat()
    if rel == "the":
        if unit == "year" and (
            re.match(r"\s+(?:end|begin|earlier|ago|ended|ending|to\s+date)", after) or before.endswith("for ")
        ):
            return "DURATION", "P1Y"
        if unit in ("week", "decade", "century", "season") or (
            unit in SEASONS and not re.search(r"\b(?:in|during|over|by|until|since|through|this|of|into)\s+$", before)
        ):
            return None
        if unit == "fall" and after.startswith(" of"):
            return None
        if unit in ("month", "year") and not m["mod"]:
            return None  # bare "the month"/"the year" is anaphoric more often than not
    if unit == "week":
        return "DATE", week_value(base + timedelta(weeks=step))
    if unit == "weekend":
        d = base + timedelta(weeks=step)
        if rel == "the" or step == 0:
            if direction(ctx, m.start(), m.end()) == "past" and d.isoweekday() < 6:
                d -= timedelta(weeks=1)
        return "DATE", f"{week_value(d)}-WE"
    if unit == "month":
        y, mo = add_months(base.year, base.month, step)
        return "DATE", month_value(y, mo)
    if unit == "year":
        if rel in ("past", "last") and m["rel"].lower().startswith("the") and re.match(r"\s+or\s+so", after):
            return "DURATION", "P1Y"
        return "DATE", f"{base.year + step:04d}"
    if unit == "decade":
        return "DATE", f"{(base.year // 10 + step):03d}"
    if unit == "century":
        return "DATE", f"{(base.year // 100 + step):02d}"
    if unit == "season":
        return None
    season = SEASONS[unit]
    order = ["WI", "SP", "SU", "FA"]
    current = order[(base.month % 12) // 3]
    year = base.year
    if step < 0:
        year = year if order.index(season) < order.index(current) else year - 1
    elif step > 0:
        year = year if order.index(season) > order.index(current) else year + 1
    elif rel == "the":
        year = pick_year(ctx, m.start(), m.end(), lambda y: (y, {"WI": 1, "SP": 4, "SU": 7, "FA": 10}[season]))
    return "DATE", f"{year}-{season}"


@_rule(
    "season_year",
    rf"\b(?:(?:early|late|mid)[-\s]+)?(?:the\s+)?(?P<season>spring|summer|fall|autumn|winter)(?:\s+of)?\s+"
    rf"(?P<year>{_YEAR}|{_SPELLED_YEAR})\b",
    trigger=r"spring|summer|fall|autumn|winter",
)
def _season_year(m, ctx):
    year = int(m["year"]) if m["year"].isdigit() else spelled_year(m["year"])
    return ("DATE", f"{year}-{SEASONS[m['season'].lower()]}") if year else None


@_rule(
    "season",
    r"\b(?:(?:the\s+)?(?P<mod>early|late|mid)[-\s]+)?(?P<season>spring|summer|autumn|winter)\b(?![-'’]\w)",
    priority=7,
)
def _season(m, ctx):
    before = ctx.text[max(0, m.start() - 16) : m.start()].lower()
    if not m["mod"] and not re.search(
        r"\b(?:in|during|over|by|until|since|through|this|of|into)\s+(?:the\s+)?$", before
    ):
        return None
    season = SEASONS[m["season"].lower()]
    year = pick_year(ctx, m.start(), m.end(), lambda y: (y, {"WI": 1, "SP": 4, "SU": 7, "FA": 10}[season]))
    return "DATE", f"{year}-{season}"


_ORD_Q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": 4}


@_rule(
    "quarter",
    rf"\b(?:(?P<the>the|that|this|(?P<ry>this|last|next)\s+year['’]s)\s+)?(?:(?P<y1>{_YEAR})\s+)?"
    r"(?P<rel>(?:(?:latest|current|previous|preceding|last|next|past|comparable|same|corresponding|year-ago|"
    r"year-earlier|fiscal|most\s+recent|first|second|third|fourth|1st|2nd|3rd|4th)(?:[\s-]+|(?=quarter)))*)"
    rf"(?:(?P<y2>{_YEAR})\s+)?(?P<unit>quarter|half|period)\b(?!s)"
    rf"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y3>{_YEAR})\b)?(?:\s+(?P<ago>a\s+year\s+(?:ago|earlier)|last\s+year))?",
    trigger=r"quarter|half|period",
    anchored=True,
)
def _quarter(m, ctx):
    words = re.findall(r"year-ago|year-earlier|most|recent|[a-z0-9]+", (m["rel"] or "").lower())
    unit = m["unit"].lower()
    explicit_year = m["y1"] or m["y2"] or m["y3"]
    if m["ry"]:
        explicit_year = str(ctx.ref.year + {"this": 0, "last": -1, "next": 1}[m["ry"].lower()])
    if (m["the"] or "").lower() == "that" and ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor) and not words:
        return "DATE", ctx.anchor
    if (m["the"] or "").lower() == "this" and not words and unit == "quarter":
        return "DATE", f"{ctx.ref.year}-Q{quarter_of(ctx.ref)}"
    ordinal = next((_ORD_Q[w] for w in words if w in _ORD_Q and w != "last"), None)
    back = (
        any(w in ("year-ago", "year-earlier") for w in words)
        or bool(m["ago"])
        or ("comparable" in words or "corresponding" in words)
        and unit != "half"
    )
    if unit == "period" and not (back or explicit_year or "latest" in words or ("recent" in words)):
        return None
    if not (m["the"] or ordinal or explicit_year or words):
        return None
    if unit == "half":
        if ordinal is None and "last" not in words and "second" not in words:
            return None
        half = 1 if ordinal == 1 else 2
        if explicit_year:
            return "DATE", f"{explicit_year}-H{half}"
        year = (
            ctx.ref.year
            if (half == 1 or ctx.ref.month > 6 or ctx.tense(m.start(), m.end()) == "future")
            else ctx.ref.year - 1
        )
        return "DATE", f"{year}-H{half}"
    if unit == "quarter" and not (m["the"] or ordinal or explicit_year or words) and m.start() == m.start("unit"):
        return None
    # The quarter just reported: news on earnings talks about the last completed quarter.
    last_y, last_q = shift_quarter(ctx.ref.year, quarter_of(ctx.ref), -1)
    anchor_q = None
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        anchor_q = (int(ctx.anchor[:4]), int(ctx.anchor[-1]))
    if explicit_year:
        year = int(explicit_year)
        q = ordinal or (anchor_q[1] if anchor_q else last_q)
    elif ordinal:
        q = ordinal
        year = ctx.ref.year
        if (q - 1) * 3 + 1 > ctx.ref.month and ctx.tense(m.start(), m.end()) != "future" and "next" not in words:
            year -= 1
    elif "current" in words:
        year, q = ctx.ref.year, quarter_of(ctx.ref)
    elif "next" in words:
        year, q = shift_quarter(ctx.ref.year, quarter_of(ctx.ref), 1)
    elif back and anchor_q:
        year, q = anchor_q
    elif any(w in words for w in ("previous", "preceding")) and anchor_q:
        year, q = shift_quarter(*anchor_q, -1)
    else:
        year, q = last_y, last_q
    if back:
        year -= 1
        ctx.keep_anchor = True
    return "DATE", f"{year}-Q{q}"


@_rule("fiscal", rf"\bfiscal(?:\s+year)?\s+(?P<year>{_YEAR})\b")
def _fiscal(m, ctx):
    return "DATE", m["year"]


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|people|persons|men|women|children|soldiers|troops|members|students|"
    r"workers|employees|votes|shares|units|cars|homes|acres|miles|kilometers|km|feet|meters|tons|pounds|"
    r"dollars|yen|euros|hours|GMT|UTC|local\s+time|[ECMP][SD]T|-\d|\s+to\s+\d)\b",
    _F,
)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:[$£€#]|\b(?:No|Nos|number|numbers|room|flight|highway|route|page|pages|article|resolution|"
    r"paragraph|section|chapter|channel|model|version|at|about|some|nearly|almost|over|than|to|of\s+the|"
    r"around|approximately|up)\s*\.?\s*)$",
    _F,
)


@_rule(
    "year",
    rf"(?:\b(?P<mod>{_EDGE}|the\s+year|year-end|year['’]s\s+end|(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+of)[-\s]+"
    rf"|(?<![$£€#\d.,/:'’-]))(?P<year>{_YEAR})(?![\d%]|,\d|\.\d|[-/]\d|:\d)",
    trigger=r"\d{4}",
    priority=6,
)
def _year(m, ctx):
    year = m["year"]
    if not m["mod"]:
        before = ctx.text[max(0, m.start() - 20) : m.start()]
        after = ctx.text[m.end() : m.end() + 20]
        if _NOT_YEAR_AFTER.match(after):
            return None
        if _NOT_YEAR_BEFORE.search(before) and not re.search(r"\b(?:in|since|by|of|until|from)\s+$", before, _F):
            return None
        # A lone 4-digit number far from "now" is more likely a count than a year.
        if abs(int(year) - ctx.ref.year) > 150:
            return None
    return "DATE", year


@_rule(
    "spelled_year",
    rf"\b(?:(?P<the>the\s+year)\s+)?(?P<sy>{_SPELLED_YEAR})\b(?![-\s]+(?:{_UNIT}))",
    trigger=r"nineteen|two thousand",
)
def _spelled_year_rule(m, ctx):
    year = spelled_year(m["sy"])
    if year is None or (not m["the"] and m["sy"].lower().startswith("two thousand") and year == 2000):
        return None
    return "DATE", str(year)


_DECADE_WORDS = {
    w: i for i, w in enumerate("twenties thirties forties fifties sixties seventies eighties nineties".split(), start=2)
}


@_rule(
    "decade",
    r"(?:(?P<the>the)\s+)?(?:(?P<mod>early|late|mid)[-\s]+)?"
    r"(?:(?P<c>1[5-9]|20)(?P<d>\d)0['’]?s|['’](?P<d2>\d)0['’]?s|(?P<w>twenties|thirties|forties|fifties|sixties|"
    r"seventies|eighties|nineties))\b",
    trigger=r"0['’]?s\b|ties\b",
)
def _decade(m, ctx):
    if m["w"]:
        if not m["the"]:
            return None  # "in his forties" is an age
        return "DATE", f"19{_DECADE_WORDS[m['w'].lower()]}"
    if m["d2"]:
        return "DATE", f"19{m['d2']}"
    return "DATE", f"{m['c']}{m['d']}"


@_rule(
    "century",
    r"\b(?:the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<w>first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
    r"nineteenth|twentieth|twenty-first))[-\s]+century\b",
    trigger=r"century",
)
def _century(m, ctx):
    n = int(m["n"]) if m["n"] else ORDINAL_WORDS.get(m["w"].lower())
    if not n:
        return None
    return "DATE", f"{n - 1:02d}"


@_rule(
    "ago",
    rf"\b(?:(?P<mod>about|almost|nearly|some|roughly|approximately|more\s+than|over|less\s+than|just|only|exactly|"
    rf"at\s+least)\s+)?(?P<num>{NUMBER})\s+(?P<unit>{_UNIT})\s+(?:or\s+so\s+)?"
    r"(?P<dir>ago|earlier|later|before|after|from\s+now|hence|previously)\b",
    trigger=_UNIT_TRIGGER,
    anchored=True,
    after=25,
)
def _ago(m, ctx):
    direction = m["dir"].lower()
    after = ctx.text[m.end() : m.end() + 3]
    if direction in ("before", "after") and not re.match(r"\s*(?:[,.;:!?)]|$)", after):
        return None
    unit = unit_of(m["unit"])
    if direction not in ("ago", "from now", "hence") and unit not in ("year", "quarter", "month", "decade", "century"):
        return None  # TimeML: "three days later" is the duration "three days" plus a signal
    n = parse_number(m["num"])
    sign = 1 if direction in ("later", "after", "from now", "hence") else -1
    if n is None:
        return "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF"
    base = ctx.ref
    anchor_q = None
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor) and unit in ("year", "quarter"):
        anchor_q = (int(ctx.anchor[:4]), int(ctx.anchor[-1]))
    if direction not in ("ago", "from now", "hence"):
        anchor = value_to_date(ctx.anchor) if ctx.anchor else None
        if anchor is not None:
            base = anchor[0]
    if anchor_q and n == int(n):
        y, q = shift_quarter(*anchor_q, sign * int(n) * (4 if unit == "year" else 1))
        return "DATE", f"{y}-Q{q}"
    k = sign * n
    if unit in ("second", "minute", "hour"):
        return "DATE", base.isoformat()
    if unit in ("day", "night"):
        return "DATE", (base + timedelta(days=int(k))).isoformat()
    if unit in ("week", "weekend"):
        return "DATE", week_value(base + timedelta(weeks=int(k)))
    if unit == "month":
        y, mo = add_months(base.year, base.month, int(k))
        return "DATE", month_value(y, mo)
    if unit == "quarter":
        y, q = shift_quarter(base.year, quarter_of(base), int(k))
        return "DATE", f"{y}-Q{q}"
    years = {"year": 1, "decade": 10, "century": 100}[unit] * k
    return "DATE", f"{base.year + int(years):04d}"


@_rule(
    "vague_ago",
    r"\b(?P<unit>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)\b",
    trigger=r"\b(?:ago|earlier|later)\b",
    before=20,
    after=0,
)
def _vague_ago(m, ctx):
    return "DATE", "FUTURE_REF" if m["dir"].lower() == "later" else "PAST_REF"


_MONEY_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|percent|cents?|dollars?|times|shares|barrels|tons|"
    r"people|visitors|passengers|units|calls|interviews|sessions|meals|hours|miles|pounds))\b[^.;]{0,25}$",
    _F,
)


@_rule(
    "duration",
    rf"\b(?:(?P<the>the)\s+)?(?:(?P<rel>past|last|next|first|final|previous|coming|following|latest|recent|initial|"
    rf"remaining|same|year-earlier|year-ago|last\s+full|first\s+full)\s+)?"
    rf"(?:(?P<mod>about|almost|nearly|roughly|approximately|some|more\s+than|over|under|less\s+than|at\s+least|"
    rf"at\s+most|up\s+to|only|just|fully|a\s+full|another|an\s+additional|barely|no\s+more\s+than|"
    rf"no\s+less\s+than|well\s+over|upwards\s+of|nearly\s+a|almost\s+a)\s+)?"
    rf"(?P<num>{NUMBER})(?:\s+(?:more|additional|straight|consecutive|full|long))?(?P<sep>[\s-]+)"
    rf"(?P<unit>{_UNIT})(?P<long>-long)?\b(?![-\s]+old\b)(?!-\w)(?:\s+or\s+so)?",
    trigger=_UNIT_TRIGGER,
    priority=6,
    after=25,
)
def _duration(m, ctx):
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


@_rule(
    "bare_units",
    r"\b(?:for|within|in|over|after|during|take|took|takes|taking|spent|spend|lasted|last|of)\s+"
    r"(?P<x>(?:the\s+)?(?:(?P<rel>recent|coming|past|next|last|early|first|final)\s+)?"
    r"(?P<unit>years|months|weeks|days|hours|minutes|decades|centuries))\b(?!\s+(?:ago|old|earlier|later))",
    priority=7,
    trigger=r"\b(?:years|months|weeks|days|hours|minutes|decades|centuries)\b",
    before=40,
    after=30,
)
def _bare_units(m, ctx):
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


@_rule(
    "fuzzy",
    r"\b(?:(?P<present>(?:right\s+)?now|currently|presently|nowadays|these\s+days|at\s+present|the\s+present(?=\s*(?:[,.;:!?)]|$))|"
    r"current(?!\s+(?:account|accounts|affairs|events|prices|dollars|law|rate|rates))|today's)"
    r"|(?P<past>(?:more\s+|most\s+|until\s+)?recently|lately|previously|formerly|the\s+past)"
    r"|(?P<future>(?<!as\s)soon(?!\s+(?:after|as|afterwards?|became|be)\b)|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|in\s+future|the\s+(?:short|long|near)\s+term|"
    r"a\s+later\s+date))\b(?!-)",
    priority=8,
)
def _fuzzy(m, ctx):
    if m["present"]:
        word = m["present"].lower()
        if word == "today's":
            return None
        if word.endswith("now"):
            start = m.end() - 3  # "right now": the gold tags "now"
            return "DATE", "PRESENT_REF", start, m.end()
        return "DATE", "PRESENT_REF"
    if m["past"]:
        word = m["past"].lower()
        if (
            word.endswith("ly")
            and re.match(r"\s+[a-z]+ed\b", ctx.text[m.end() : m.end() + 20])
            and re.search(
                r"\b(?:a|an|the|its|his|her|their|as\s+was|as)\s+$", ctx.text[max(0, m.start() - 10) : m.start()], _F
            )
        ):
            return None  # "a previously announced plan": the adverb dates the participle, not an event
        if word.startswith("until"):
            return "DATE", "PAST_REF", m.start() + 6, m.end()
        return "DATE", "PAST_REF"
    return "DATE", "FUTURE_REF"


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


@_rule(
    "set_every",
    rf"\b(?:every|each)\s+(?:other\s+|single\s+)?(?P<u>day|night|week|weekend|month|year|quarter|hour|minute|morning|"
    rf"afternoon|evening|spring|summer|fall|autumn|winter|{_WEEKDAY}|{_MONTH_FULL})s?\b",
)
def _set_every(m, ctx):
    u = m["u"].lower()
    if u in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[u]}"
    if u in MONTHS and m["u"][0].isupper():
        return "SET", f"XXXX-{MONTHS[u]:02d}"
    if u in SEASONS:
        return "SET", f"XXXX-{SEASONS[u]}"
    return "SET", _SET_UNITS[u]


@_rule(
    "set_adverb",
    r"\b(?:(?P<w>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually|semi-annually)"
    r"|(?P<freq>once|twice|three\s+times|several\s+times|\d+\s+times)\s+(?:a|an|per|each|every)\s+"
    r"(?P<u>day|week|month|year|quarter|hour|minute))\b(?!-)",
    trigger=r"daily|weekly|monthly|annually|yearly|hourly|nightly|semi|once|twice|times",
    before=15,
    after=30,
)
def _set_adverb(m, ctx):
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


@_rule(
    "clock",
    rf"\b(?:(?P<mod>around|approximately|shortly\s+(?:before|after))\s+)?"
    rf"(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)"
    rf"|(?P<h24>[01]?\d|2[0-3]):(?P<mi24>[0-5]\d)(?![\d:])|(?P<noon>noon|midnight|midday)"
    rf"|(?P<hw>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{{1,2}})\s+o['’]clock)"
    rf"(?:\s+(?P<tz>[ECMP][SD]?T|GMT|UTC|local\s+time)\b)?"
    rf"(?:,?\s+(?:on\s+)?(?P<day>{_WEEKDAY}|today|yesterday|tomorrow|{_MONTH}\s*\d{{1,2}}\b(?:\s*,\s*{_YEAR}\b)?))?",
    trigger=r"[ap]\.?m\b|\d:\d\d|noon|midnight|midday|o['’]clock",
)
def _clock(m, ctx):
    if m["noon"]:
        hh, mm = (12, 0) if m["noon"].lower() != "midnight" else (24, 0)
    elif m["hw"]:
        hh = int(parse_number(m["hw"]) or 0)
        mm = 0
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
    return "TIME", f"{_DAY_PLACEHOLDER}T{hh:02d}:{mm:02d}"


@_rule(
    "part_of_day",
    rf"\b(?:(?P<mod>early|late|mid)[-\s]*)?(?P<part>{_PART})\b(?:\s+(?P<day>today|yesterday|tomorrow|{_WEEKDAY}))?",
    trigger=r"morning|afternoon|evening|night",
    priority=8,
)
def _part_of_day(m, ctx):
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
        return "TIME", f"{ctx.ref.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}", start, m.end()
    d = resolve_day_word(ctx, m["day"], m.start(), m.end()) if m["day"] else ctx.ref
    return "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}"


@_rule(
    "holiday",
    rf"\b(?:(?P<mod>last|next|this)\s+)?(?P<h>christmas\s+eve|christmas\s+day|christmas|new\s+year['’]s\s+eve|new\s+year['’]s\s+day|"
    rf"independence\s+day|halloween|valentine['’]s\s+day|thanksgiving\s+day|thanksgiving|easter\s+sunday|easter)\b"
    rf"(?:,?\s+(?P<year>{_YEAR})\b)?",
    trigger=r"christmas|year['’]s|independence|halloween|valentine|thanksgiving|easter",
)
def _holiday(m, ctx):
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


@_rule("year_end", r"\b(?:year[-\s]end|year['’]s\s+end)\b", trigger=r"year")
def _year_end(m, ctx):
    return "DATE", f"{ctx.ref.year:04d}"


@_rule("year_ago", r"\byear-(?:ago|earlier)\b", priority=7, anchored=True, trigger=r"year-")
def _year_ago(m, ctx):
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        return "DATE", f"{int(ctx.anchor[:4]) - 1}-{ctx.anchor[5:]}"
    return "DATE", f"{ctx.ref.year - 1:04d}"


# Rules whose value is computed from the anchor; they must not move it ("a year ago" after
# "the year-earlier quarter" is the same quarter, not one more year back).
_BACKWARD = {"ago", "year_ago"}
_DAY_PLACEHOLDER = "DAY"
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}$")
_CALENDAR_VALUE = re.compile(r"\d{4}(?:-(?:\d{2}(?:-\d{2})?|Q[1-4]|H[12]|W\d{2}))?$")


def _place_clock_time(timexes: list[Timex], i: int, reference: date) -> Timex:
    """Give a bare clock time the day mentioned right next to it, else the reference date."""
    t = timexes[i]
    day = reference.isoformat()
    for j in (i + 1, i - 1):
        if 0 <= j < len(timexes) and _DAY_VALUE.match(timexes[j].value):
            gap = timexes[j].start - t.end if j > i else t.start - timexes[j].end
            if 0 <= gap <= 25:
                day = timexes[j].value
                break
    return Timex(t.start, t.end, t.text, t.type, day + t.value[len(_DAY_PLACEHOLDER) :])


class RuleTagger:
    """Rule-based TIMEX3 tagger for English news: DATE, TIME, DURATION and SET."""

    name = "rules"
    version = "1"

    def tag(self, text: str, reference: date) -> list[Timex]:
        """Temporal expressions in ``text``, normalised against ``reference`` (the publication date)."""
        ctx = Context(text, reference)
        candidates = []
        for rule in _RULES:
            for m in rule.finditer(text):
                if m.end() > m.start():
                    candidates.append((m.start(), m.end(), rule, m))
        candidates.sort(key=lambda c: (c[0] - c[1], c[2].priority, c[0]))
        taken: list[tuple[int, int, _Rule, re.Match[str], str, str]] = []
        for start, end, rule, m in candidates:
            if any(start < e and s < end for s, e, *_ in taken):
                continue
            result = rule.handle(m, ctx)
            if result is None:
                continue
            typ, value = result[0], result[1]
            if len(result) == 4:
                start, end = result[2], result[3]
                if any(start < e and s < end for s, e, *_ in taken):
                    continue
            while end > start and text[end - 1] in " ,":
                end -= 1
            taken.append((start, end, rule, m, typ, value))
        taken.sort(key=lambda t: t[0])
        out: list[Timex] = []
        for start, end, rule, m, typ, value in taken:
            ctx.keep_anchor = False
            if rule.anchored:
                result = rule.handle(m, ctx)
                if result is not None:
                    typ, value = result[0], result[1]
            if typ == "DATE" and _CALENDAR_VALUE.match(value) and rule.name not in _BACKWARD and not ctx.keep_anchor:
                ctx.anchor = value
            out.append(Timex(start, end, text[start:end], typ, value))
        return [
            _place_clock_time(out, i, reference) if t.value.startswith(_DAY_PLACEHOLDER) else t
            for i, t in enumerate(out)
        ]
