"""The documented limits (README "Limits"): each holds at its bound and past it says which limit, in one line."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import REPO
from dateline.ingest import IngestError, limits, read_articles
from dateline.temporal import RuleTagger, value_to_date
from dateline.temporal.deictic import MAX_RELATIVE_AMOUNT

README = (REPO / "README.md").read_text(encoding="utf-8")
CAP = 1000  # limits.MAX_RECORD_BYTES, lowered so that the files stay small


def _record(text: str = "Talks resumed on Monday.", time: str = "2011-03-05", **extra: object) -> str:
    return json.dumps({"time": time, "text": text, **extra})


# file name, content, the error (after "PATH"), or None when the record is read
CASES = [
    ("at-record-cap.jsonl", lambda: _record("x" * (CAP - len(_record("")))), None),
    (
        "past-record-cap.jsonl",
        lambda: _record("x" * (CAP + 1 - len(_record("")))),
        f":1: the line holds more than {CAP:,} bytes (limits.MAX_RECORD_BYTES",
    ),
    ("at-seed-cap.txt", lambda: " date 2011-03-05 " + "y" * (CAP - 17), None),
    (
        "past-seed-cap.txt",
        lambda: " date 2011-03-05 " + "y" * (CAP - 16),
        f": the file is larger than the {CAP:,}-byte limit for one article (limits.MAX_RECORD_BYTES)",
    ),
    ("at-nesting.jsonl", lambda: _record(extra="[" * 99 + "]" * 99).replace('"[', "[").replace(']"', "]"), None),
    (
        "past-nesting.jsonl",
        lambda: "[" * 101 + "]" * 101,
        ":1: JSON nested more than 100 levels deep (limits.MAX_NESTING)",
    ),
    ("earliest.jsonl", lambda: _record(time="1000-01-01"), None),
    (
        "before-earliest.jsonl",
        lambda: _record(time="0999-12-31"),
        ":1: publication date 0999-12-31 is outside 1000-01-01 to 8999-12-31",
    ),
    ("latest.jsonl", lambda: _record(time="8999-12-31T23:00:00-05:00"), None),
    (
        "after-latest.jsonl",
        lambda: _record(time="9000-01-01"),
        ":1: publication date 9000-01-01 is outside 1000-01-01 to 8999-12-31",
    ),
]


@pytest.mark.parametrize("name, content, error", CASES, ids=[c[0] for c in CASES])
def test_a_limit_holds_at_its_bound_and_names_itself_past_it(tmp_path, monkeypatch, name, content, error):
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", CAP)
    path = tmp_path / name
    path.write_text(content(), encoding="utf-8")
    if error is None:
        assert len(list(read_articles(path))) == 1
        return
    with pytest.raises(IngestError) as e:
        list(read_articles(path))
    assert str(e.value).startswith(f"{path}{error}")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    "sentence, dated",
    [
        (f"It happened {MAX_RELATIVE_AMOUNT} days ago.", True),
        (f"It happened {MAX_RELATIVE_AMOUNT + 1} days ago.", False),
        (f"It began {MAX_RELATIVE_AMOUNT} months ago.", True),
        (f"It began {MAX_RELATIVE_AMOUNT + 1} months ago.", False),
        ("It happened 10000000000000000000 days ago.", False),
        ("It ended 99999999999 weeks later.", False),
        ("The talks resume 99999999 days from now.", False),
    ],
)
def test_a_relative_amount_past_the_limit_names_no_date(sentence, dated):
    # Inside text there is nothing to refuse: the phrase simply gives no calendar date.
    found = [value_to_date(t.value) for t in RuleTagger().tag(sentence, date(2011, 3, 5))]
    assert any(found) is dated, found


def test_every_limit_is_documented_with_its_value():
    section = README.split("### Limits", 1)[1].split("\n### ", 1)[0]
    for name in limits.__all__:
        assert f"limits.{name}" in section, name
    assert "MAX_RELATIVE_AMOUNT" in section
    assert f"{limits.MAX_RECORD_BYTES // 2**20} MiB" in section
    assert re.search(rf"\b{limits.MAX_NESTING} levels\b", section)
    assert f"{limits.EARLIEST_PUBLISHED.isoformat()} to {limits.LATEST_PUBLISHED.isoformat()}" in section
    assert f"{MAX_RELATIVE_AMOUNT:,}" in section
    assert "docs/api.md#limits" in section  # the web API's bounds
