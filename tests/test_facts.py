"""The builder's rules applied ahead (dateline.timeline.facts): the same answers, the same timelines, never stale."""

from __future__ import annotations

import dataclasses
import hashlib
from array import array
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import make_annotated
from dateline.model import AnnotatedArticle
from dateline.timeline import BuildOptions, collect_evidence, find_templates, get_builder
from dateline.timeline import evidence as evidence_module
from dateline.timeline import facts as facts_module
from dateline.timeline.facts import (
    DEPENDENT,
    LEAD_SENTENCES,
    NEEDS_NEIGHBOUR,
    RULES,
    USABLE,
    article_facts,
    current,
    from_bytes,
    key_hash,
    sentence_skip,
    to_bytes,
    usable,
)
from dateline.timeline.furniture import _keys, comments_start

START = date(2011, 3, 1)
FACTBOX = "Background: the uprising began on February 15 with protests in Benghazi, in the east."


def _page(day: int) -> AnnotatedArticle:
    """One article of a wire: a dateline, a run-in headline, a factbox it repeats daily, a pronoun, comments."""
    published = START + timedelta(days=day)
    return make_annotated(
        [
            f"REBELS HOLD PORT TRIPOLI, March {day + 1} (Reuters) - Rebels held the port on day {day} of the siege.",
            f"They were acting on a warning given on March {day + 1}, a spokesman said.",
            FACTBOX,
            f"Shelling on the western road went on for {day + 2} hours, residents said.",
            "Photo: smoke over the harbour",
            f"Fighting spread to the airport road on March {day + 2} and closed it.",
            "April 4, 2011 at 7:58 am | Reply I was there on March 3 and saw it.",
            "Nobody saw the convoy on March 9.",
        ],
        published,
        {
            0: [published],
            1: [published],
            2: [date(2011, 2, 15)],
            5: [published + timedelta(days=1)],
            7: [date(2011, 3, 9)],
        },
        name=f"wire/{day}",
        source="Wire",
    )


@pytest.fixture
def pages() -> list[AnnotatedArticle]:
    return [_page(day) for day in range(8)]


def _with_facts(articles: list[AnnotatedArticle], every: int = 1) -> list[AnnotatedArticle]:
    return [dataclasses.replace(a, facts=article_facts(a)) if i % every == 0 else a for i, a in enumerate(articles)]


def test_facts_are_the_rules_answers(pages):
    for a in pages:
        facts = article_facts(a)
        assert facts.rules == RULES and facts.words == len(a.article.text.split())
        assert facts.comments == comments_start(a) == 6
        assert list(facts.keys) == [key_hash(k) for k in _keys(a)]
        read = {m.sentence for m in a.mentions} | set(range(LEAD_SENTENCES))
        for s in a.sentences:
            if s.index not in read:  # the rules are applied to the sentences a build reads, no others
                assert facts.skips[s.index] == -1
                continue
            cut = sentence_skip(s.text, s.index)
            rest = s.text[cut:]
            assert facts.skips[s.index] == cut
            assert bool(facts.flags[s.index] & USABLE) == usable(rest)
            assert bool(facts.flags[s.index] & DEPENDENT) == (NEEDS_NEIGHBOUR.match(rest) is not None)
    # The fixture exercises every rule: a dateline and a headline cut, a pronoun, a caption, a template.
    first = article_facts(pages[0])
    assert first.skips[0] > 0 and first.flags[1] & DEPENDENT and not first.flags[4] & USABLE
    assert any(find_templates(pages))


def test_a_template_key_hash_is_stable_and_never_the_mark_for_none():
    assert key_hash(None) == 0
    assert key_hash("the same sentence") == key_hash("the same sentence") != key_hash("another sentence")
    # blake2b, not hash(): the same in every process (PYTHONHASHSEED) and on every machine.
    digest = hashlib.blake2b(b"x" * 20, digest_size=8).digest()
    assert key_hash("x" * 20) == (int.from_bytes(digest, "little", signed=True) or 1)


@pytest.mark.parametrize(
    "options",
    [
        BuildOptions(),
        BuildOptions(query="rebels"),
        BuildOptions(query="fighting shelling", dates=3, sentences=1),
        BuildOptions(start=date(2011, 3, 3), end=date(2011, 3, 6)),
        BuildOptions(query="siege", precision="any"),
    ],
)
def test_a_build_with_facts_is_the_build_without(pages, options):
    builder = get_builder()
    expected = builder.build(pages, options).to_dict()
    assert builder.build(_with_facts(pages), options).to_dict() == expected
    assert builder.build(_with_facts(pages, every=3), options).to_dict() == expected  # some have facts, some not


def test_a_build_reads_the_facts_instead_of_applying_the_rules(pages, monkeypatch):
    known = _with_facts(pages)

    def applied(*args, **kwargs):
        raise AssertionError("a rule was applied although its answer was known")

    for name in ("sentence_skip", "usable"):
        monkeypatch.setattr(evidence_module, name, applied)
    monkeypatch.setattr("dateline.timeline.furniture._keys", applied)
    monkeypatch.setattr("dateline.timeline.furniture.comments_start", applied)
    get_builder().build(known, BuildOptions(query="rebels"))


def test_facts_of_other_rules_are_never_used(pages):
    builder, options = get_builder(), BuildOptions(query="rebels")
    expected = builder.build(pages, options).to_dict()

    def wrong(a: AnnotatedArticle, rules: str) -> AnnotatedArticle:
        # Every sentence usable, nothing trimmed, no comments: answers these rules would not give.
        n = len(a.sentences)
        facts = dataclasses.replace(
            article_facts(a), rules=rules, skips=array("i", [0] * n), flags=bytes([USABLE] * n), comments=-1
        )
        return dataclasses.replace(a, facts=facts)

    assert builder.build([wrong(a, "other rules") for a in pages], options).to_dict() == expected
    assert current(wrong(pages[0], "other rules")) is None
    # The same wrong answers under this Dateline's rules are read, and change the timeline: the test above can fail.
    assert builder.build([wrong(a, RULES) for a in pages], options).to_dict() != expected


def test_facts_for_other_sentences_are_not_used(pages):
    a = pages[0]
    shorter = dataclasses.replace(a, facts=dataclasses.replace(article_facts(a), skips=array("i", [0])))
    assert current(shorter) is None


def test_the_rules_version_is_their_source():
    package = Path(facts_module.__file__).parent
    source = b"".join((package / name).read_bytes() for name in ("clean.py", "furniture.py", "facts.py"))
    assert hashlib.sha1(source).hexdigest()[:16] == RULES


def test_settings_other_than_the_facts_compute_afresh(pages):
    known = _with_facts(pages)
    for kwargs in ({"trim_datelines": False}, {"trim_headlines": False}, {"drop_furniture": False}):
        with_facts = collect_evidence(known, **kwargs)
        without = collect_evidence(pages, **kwargs)
        assert {d: [dataclasses.astuple(c) for c in ev.candidates] for d, ev in with_facts.dates.items()} == {
            d: [dataclasses.astuple(c) for c in ev.candidates] for d, ev in without.dates.items()
        }


def test_facts_survive_their_bytes(pages):
    for a in pages:
        facts = article_facts(a)
        assert from_bytes(to_bytes(facts)) == facts
        assert len(to_bytes(facts)) == 8 + 13 * len(a.sentences)
    assert from_bytes(to_bytes(facts), rules="other").rules == "other"
    with pytest.raises(ValueError, match="no article's facts"):
        from_bytes(to_bytes(facts)[:-1])


def test_without_the_rules_source_the_release_names_them(monkeypatch):
    class Missing:
        def joinpath(self, name):
            return self

        def read_bytes(self):
            raise FileNotFoundError("installed as bytecode only")

    monkeypatch.setattr(facts_module.resources, "files", lambda package: Missing())
    assert facts_module._rules_version() == f"release-{facts_module.__version__}"
