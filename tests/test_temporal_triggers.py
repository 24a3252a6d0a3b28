"""The tagger's one-pass prefix index finds exactly what a regex scan per pattern finds."""

import re
from datetime import date

import pytest

import dateline.temporal.rules as rules
from dateline.temporal.rules import RULES, RuleTagger
from dateline.temporal.triggers import _SPACES, PrefixIndex, TriggerIndex, prefixes

TEXTS = [
    "Rebels took Brega on Monday. NATO will meet on March 3, 2011, at 3:45 p.m. in the morning.",
    "TWO YEARS AGO, in the fall of 1998, the 1990s ended; ’90s kids met every Tuesday for three weeks.",
    "Yesterday\u00a0morning,\u2003last\u3000week and the\nend of 2010: a year-end review of Q3 fiscal 2011.",
    # Letters re.IGNORECASE pairs with others than str.lower does, and other scripts' digits.
    "Thıs ſeconds İn the KELVIN \u212aday; ٢٠١١ and 2011; 😀 the day before yesterday, some 10 days ago.",
    "Ünïcödé ﬁrst: the Straße in mid-2012, now, currently, at present; the following month.",
    "",
]


def test_spaces_are_every_white_space():
    assert "".join(c for c in map(chr, range(0x110000)) if re.match(r"\s", c)) == _SPACES


@pytest.mark.parametrize("text", TEXTS)
def test_trigger_spans_equal_finditer(text):
    triggers = list(dict.fromkeys(r.trigger for r in RULES if r.trigger is not None))
    spans = TriggerIndex(triggers).spans(text)
    assert len(spans) >= (len(triggers) if text.isascii() else 1)
    for trigger, found in spans.items():
        assert found == [m.span() for m in trigger.finditer(text)], trigger.pattern


@pytest.mark.parametrize("text", TEXTS)
def test_pattern_starts_cover_every_match(text):
    starts = PrefixIndex([r.pattern for r in RULES], fold=True).starts(text)
    for pattern, offsets in starts.items():
        assert {m.start() for m in pattern.finditer(text)} <= set(offsets), pattern.pattern


def test_prefixes_are_read_off_the_pattern():
    assert prefixes(re.compile(r"\b(?:[yY]esterday|[tT]oday)")) == (
        frozenset({"yester", "Yester", "today", "Today"}),
        False,
    )
    assert prefixes(re.compile(r"\d{4}"))[1] is True
    assert prefixes(re.compile(r"(?:a)?b|.c")) is None  # may start anywhere
    assert prefixes(re.compile("year", re.I)) is None  # case-insensitive needs fold
    assert prefixes(re.compile("year", re.I), fold=True) == (frozenset({"year"}), False)


class _Off:
    def spans(self, text):
        return {}

    def starts(self, text):
        return {}


@pytest.mark.parametrize("text", TEXTS)
def test_tagging_is_the_same_without_the_index(text, monkeypatch):
    fast = RuleTagger().explain(text, date(2011, 3, 2))
    monkeypatch.setattr(rules, "_TRIGGERS", _Off())
    monkeypatch.setattr(rules, "_STARTS", _Off())
    assert RuleTagger().explain(text, date(2011, 3, 2)) == fast
