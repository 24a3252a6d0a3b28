"""Rules for deictic and anaphoric dates: weekdays, today/yesterday, "last week", "this spring",
quarters and halves, "two years ago", "a year earlier", and vague references (now, recently).

The reference (publication) date anchors deictic expressions; the last calendar value
mentioned (``Context.anchor``) anchors anaphoric ones ("the following month").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import Precision
from .base import value_to_date
from .lexicon import (
    NUMBER,
    PARTS_OF_DAY,
    SEASONS,
    WEEKDAYS,
    add_months,
    month_value,
    parse_number,
    quarter_of,
    shift_quarter,
    unit_of,
    week_value,
    weekday_near,
)
from .patterns import MONTH, PART, RELATIVE_TRIGGER, UNIT, UNIT_TRIGGER, WEEKDAY, YEAR, F, Result, rule
from .resolve import Context, direction, pick_year, resolve_day_word

__all__ = [
    "MAX_RELATIVE_AMOUNT",
    "ago",
    "day_word",
    "fuzzy",
    "quarter",
    "relative",
    "season",
    "vague_ago",
    "weekday",
    "year_ago",
    "year_end",
]


# The largest amount "N units ago/later/from now" resolves to a date (documented in the README).
MAX_RELATIVE_AMOUNT = 10_000

_AHEAD = re.compile(r"\b(?:ahead\s+of|in\s+the\s+run-up\s+to)\s+$", re.I)


@rule(
    "weekday",
    rf"\b(?:(?P<mod>last|next|this|this\s+coming|this\s+past|the\s+previous|the\s+following|the\s+next|"
    rf"early|late|earlier|later|(?:the\s+)?day\s+before|(?:the\s+)?day\s+after)\s+)?"
    rf"(?:(?P<mod2>early|late)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<part>{PART}))?\b(?!\s*,?\s*(?:{MONTH}|\d))"
    r"(?!\s+(?-i:Times|Telegraph|Express|Mirror|Herald|Post|Mail|Tribune|Observer|Independent|Agreement|Accord))",
    trigger=r"(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day",
    anchored=True,
)
def weekday(m: re.Match[str], ctx: Context) -> Result:
    wd = WEEKDAYS[m["wd"].lower()]
    mod = re.sub(r"\s+", " ", (m["mod"] or "").lower())
    base = ctx.ref
    if mod.startswith("the "):
        # "the previous Friday" counts back from the day last mentioned, not from publication.
        anchor = value_to_date(ctx.anchor) if ctx.anchor else None
        if anchor is not None and anchor[1] is Precision.DAY:
            base = anchor[0]
    if mod in ("last", "this past", "the previous"):
        d = weekday_near(base, wd, "before")
    elif mod in ("next", "this coming", "the next", "the following"):
        d = weekday_near(base, wd, "after")
    elif mod == "this":
        d = ctx.ref + timedelta(days=wd - ctx.ref.isoweekday())
    elif _AHEAD.search(ctx.text, max(0, m.start() - 30), m.start()):
        # "ahead of Sunday's vote", "in the run-up to Friday": whatever the clause's tense
        # ("pulled the plug on the internet ahead of Tuesday's protests"), the day is still to come.
        d = weekday_near(ctx.ref, wd, "future")
    else:
        d = weekday_near(ctx.ref, wd, direction(ctx, m.start(), m.end()))
    if mod.endswith("day before"):
        d -= timedelta(days=1)
    elif mod.endswith("day after"):
        d += timedelta(days=1)
    if m["part"]:
        return "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[m['part'].lower()]}"
    return "DATE", d.isoformat()


@rule(
    "day_word",
    rf"\b(?:(?P<mod>early|late|earlier|later|mid)[-\s]*)?(?:(?P<pre>(?:the\s+)?day\s+(?:before|after))\s+)?"
    rf"(?P<w>today|yesterday|tomorrow|tonight|this|last)(?:\s+(?P<part>{PART}))?\b",
    trigger=r"today|yesterday|tomorrow|tonight|(?:this|last)\s+(?:morning|afternoon|evening|night)",
)
def day_word(m: re.Match[str], ctx: Context) -> Result:
    w = m["w"].lower()
    part = (m["part"] or "").lower()
    if w in ("this", "last"):
        if not part:
            return None
        d: date | None = ctx.ref - timedelta(days=1) if w == "last" else ctx.ref
    else:
        d = resolve_day_word(ctx, w, m.start(), m.end())
    if d is None:
        return None
    if m["pre"]:
        d += timedelta(days=-1 if "before" in m["pre"].lower() else 1)
    if w == "tonight":
        part = "tonight"
    if part:
        return "TIME", f"{d.isoformat()}T{PARTS_OF_DAY[part]}"
    return "DATE", d.isoformat()


@rule(
    "relative",
    r"\b(?:(?P<mod>early|late|earlier|later|mid|sometime|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)[-\s]+)?"
    r"(?P<rel>this\s+past|this\s+coming|this|last|next|past|previous|coming|current|following|that(?:\s+same)?|the\s+(?:past|last|previous|coming|next|"
    r"current|following|same|preceding|prior|latest)|the)\s+"
    r"(?P<unit>week|month|year|weekend|decade|century|spring|summer|fall|autumn|winter|season|day)\b(?!-\w)",
    trigger=RELATIVE_TRIGGER,
    anchored=True,
    before=50,
    after=5,
)
def relative(m: re.Match[str], ctx: Context) -> Result:
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
        coarse = value_to_date(ctx.anchor) if ctx.anchor else None
        if coarse is not None and coarse[1] is not Precision.DAY:
            # "that day" after "in October" is a day of October we cannot name: TIMEX3 writes 1998-10-XX.
            month = f"{coarse[0].month:02d}" if coarse[1] is Precision.MONTH else "XX"
            return "DATE", f"{coarse[0].year:04d}-{month}-XX"
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
        if (rel == "the" or step == 0) and direction(ctx, m.start(), m.end()) == "past" and d.isoweekday() < 6:
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


@rule(
    "season",
    r"\b(?:(?:the\s+)?(?P<mod>early|late|mid)[-\s]+)?(?P<season>spring|summer|autumn|winter)\b(?![-'’]\w)",
    priority=7,
    keywords=("spring", "summer", "autumn", "winter"),
)
def season(m: re.Match[str], ctx: Context) -> Result:
    before = ctx.text[max(0, m.start() - 16) : m.start()].lower()
    if not m["mod"] and not re.search(
        r"\b(?:in|during|over|by|until|since|through|this|of|into)\s+(?:the\s+)?$", before
    ):
        return None
    season = SEASONS[m["season"].lower()]
    year = pick_year(ctx, m.start(), m.end(), lambda y: (y, {"WI": 1, "SP": 4, "SU": 7, "FA": 10}[season]))
    return "DATE", f"{year}-{season}"


_ORD_Q = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "last": 4}


@rule(
    "quarter",
    rf"\b(?:(?P<the>the|that|this|(?P<ry>this|last|next)\s+year['’]s)\s+)?(?:(?P<y1>{YEAR})\s+)?"
    r"(?P<rel>(?:(?:latest|current|previous|preceding|last|next|past|comparable|same|corresponding|year-ago|"
    r"year-earlier|fiscal|most\s+recent|first|second|third|fourth|1st|2nd|3rd|4th)(?:[\s-]+|(?=quarter)))*)"
    rf"(?:(?P<y2>{YEAR})\s+)?(?P<unit>quarter|half|period)\b(?!s)"
    rf"(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y3>{YEAR})\b)?(?:\s+(?P<ago>a\s+year\s+(?:ago|earlier)|last\s+year))?",
    trigger=r"quarter|half|period",
    anchored=True,
)
def quarter(m: re.Match[str], ctx: Context) -> Result:
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
        or (("comparable" in words or "corresponding" in words) and unit != "half")
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


@rule(
    "ago",
    rf"\b(?:(?P<mod>about|almost|nearly|some|roughly|approximately|more\s+than|over|less\s+than|just|only|exactly|"
    rf"at\s+least)\s+)?(?P<num>{NUMBER})\s+(?P<unit>{UNIT})\s+(?:or\s+so\s+)?"
    r"(?P<dir>ago|earlier|later|before|after|from\s+now|hence|previously)\b",
    trigger=UNIT_TRIGGER,
    anchored=True,
    after=25,
    moves_anchor=False,  # "a year ago" after "the year-earlier quarter" is that quarter, not one more year back
)
def ago(m: re.Match[str], ctx: Context) -> Result:
    direction = m["dir"].lower()
    after = ctx.text[m.end() : m.end() + 3]
    if direction in ("before", "after") and not re.match(r"\s*(?:[,.;:!?)]|$)", after):
        return None
    unit = unit_of(m["unit"])
    if direction not in ("ago", "from now", "hence") and unit not in ("year", "quarter", "month", "decade", "century"):
        return None  # TimeML: "three days later" is the duration "three days" plus a signal
    n = parse_number(m["num"])
    if n is not None and abs(n) > MAX_RELATIVE_AMOUNT:
        return None  # "10000000000000000000 days ago" names no date a timeline can hold
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


_COUNT_BEFORE = re.compile(rf"\b(?:{NUMBER})\s+$", F)


@rule(
    "vague_ago",
    r"\b(?P<unit>years|months|weeks|days|decades)\s+(?P<dir>ago|earlier|later)\b",
    trigger=r"\b(?:ago|earlier|later)\b",
    before=20,
    after=0,
)
def vague_ago(m: re.Match[str], ctx: Context) -> Result:
    if _COUNT_BEFORE.search(ctx.text, max(0, m.start() - 25), m.start()):
        return None  # "three days later" is the duration "three days" plus a signal, not a vague date
    return "DATE", "FUTURE_REF" if m["dir"].lower() == "later" else "PAST_REF"


@rule(
    "fuzzy",
    r"\b(?:(?P<present>(?:right\s+)?now|currently|presently|nowadays|these\s+days|at\s+present|the\s+present(?=\s*(?:[,.;:!?)]|$))|"
    r"current(?!\s+(?:account|accounts|affairs|events|prices|dollars|law|rate|rates))|today's)"
    r"|(?P<past>(?:more\s+|most\s+|until\s+)?recently|lately|previously|formerly|the\s+past)"
    r"|(?P<future>(?<!as\s)soon(?!\s+(?:after|as|afterwards?|became|be)\b)|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|in\s+future|the\s+(?:short|long|near)\s+term|"
    r"a\s+later\s+date))\b(?!-)",
    priority=8,
    keywords=(
        "now",
        "current",
        "present",
        "these",
        "today",
        "recent",
        "lately",
        "previously",
        "formerly",
        "past",
        "soon",
        "future",
        "term",
        "later",
    ),
)
def fuzzy(m: re.Match[str], ctx: Context) -> Result:
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
                r"\b(?:a|an|the|its|his|her|their|as\s+was|as)\s+$", ctx.text[max(0, m.start() - 10) : m.start()], F
            )
        ):
            return None  # "a previously announced plan": the adverb dates the participle, not an event
        if word.startswith("until"):
            return "DATE", "PAST_REF", m.start() + 6, m.end()
        return "DATE", "PAST_REF"
    return "DATE", "FUTURE_REF"


@rule("year_end", r"\b(?:year[-\s]end|year['’]s\s+end)\b", trigger=r"year")
def year_end(m: re.Match[str], ctx: Context) -> Result:
    return "DATE", f"{ctx.ref.year:04d}"


@rule("year_ago", r"\byear-(?:ago|earlier)\b", priority=7, anchored=True, trigger=r"year-", moves_anchor=False)
def year_ago(m: re.Match[str], ctx: Context) -> Result:
    if ctx.anchor and re.fullmatch(r"\d{4}-Q[1-4]", ctx.anchor):
        return "DATE", f"{int(ctx.anchor[:4]) - 1}-{ctx.anchor[5:]}"
    return "DATE", f"{ctx.ref.year - 1:04d}"
