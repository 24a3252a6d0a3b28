"""The rule engine behind the tagger: every rule is run, ``explain`` names them, and the
benchmark's per-rule tally (the one-document overfitting check) adds up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dateline.evaluate.dates_bench import rule_usage, run_date_benchmark
from dateline.evaluate.tempeval import score
from dateline.evaluate.timeml import read_timeml_dir
from dateline.temporal import RuleTagger, absolute, deictic, durations, sets, times
from dateline.temporal.patterns import Rule
from dateline.temporal.rules import RULES

DATA = Path(__file__).parent / "data" / "timeml"


def test_every_rule_of_every_family_is_run_once():
    defined = [
        obj
        for module in (absolute, deictic, durations, sets, times)
        for obj in vars(module).values()
        if isinstance(obj, Rule)
    ]
    assert sorted(r.name for r in defined) == sorted(r.name for r in RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize(
    ("sentence", "reference", "text", "rule"),
    [
        ("The accord was signed on Nov. 24, 2019.", "2020-02-01", "Nov. 24, 2019", "month_day"),
        ("He left last week.", "2019-11-26", "last week", "relative"),
        ("The war lasted three years.", "2019-11-26", "three years", "duration"),
        ("Flights leave every Monday.", "2019-11-26", "every Monday", "set_every"),
        ("Flights leave on Mondays.", "2019-11-26", "Mondays", "set_weekdays"),
        ("The blast occurred at 10:30 a.m.", "2019-11-26", "10:30 a.m.", "clock"),
    ],
)
def test_explain_names_the_rule_and_agrees_with_tag(sentence, reference, text, rule):
    tagger = RuleTagger()
    ref = date.fromisoformat(reference)
    explained = tagger.explain(sentence, ref)
    assert [t for t, _ in explained] == tagger.tag(sentence, ref)
    assert (text, rule) in [(t.text, name) for t, name in explained]


def test_rule_usage_adds_up_to_the_scores():
    docs = read_timeml_dir(DATA)
    tagger = RuleTagger()
    usage = rule_usage(tagger, docs)
    predictions = {d.id: tagger.tag(d.text, d.dct) for d in docs}
    overall = score(docs, predictions).overall
    assert usage, "the fixtures contain dates the rules find"
    assert sum(u.correct + u.wrong + u.spurious for u in usage) == overall.n_pred
    assert sum(u.correct for u in usage) == overall.value_ok_pred
    assert sum(u.spurious for u in usage) == overall.n_pred - overall.relaxed_pred
    assert all(u.correct_docs <= len(docs) for u in usage)


def test_rule_usage_is_empty_for_taggers_that_cannot_explain():
    class Silent:
        name, version = "silent", "0"

        def tag(self, text, reference):
            return []

    assert rule_usage(Silent(), read_timeml_dir(DATA)) == ()


def test_benchmark_reports_rules_and_timing_passes():
    bench = run_date_benchmark([DATA], [RuleTagger()], progress=False)
    run = bench.results[0]
    assert run.rules and 1 <= run.passes <= 5
    md = bench.to_markdown(errors=3)
    assert "## Rules of rules" in md and "## Per gold type: more" in md
    assert bench.to_dict()["results"][0]["rules"][0]["rule"] == run.rules[0].rule
