"""Dates of any precision: months and years as timeline entries (``precision="any"``), end to end."""

import json
from datetime import date

import pytest

import dateline
from dateline import Article, BuildOptions, EntryEvidence, Period, Precision, Timeline, TimelineEntry, render
from dateline.timeline import collect_evidence

BIOGRAPHY = [
    ("In March 2009, Maria Gomez founded the Green Harbour party in Riverton.", date(2012, 5, 2)),
    ("Maria Gomez founded the Green Harbour party in March 2009, after the floods.", date(2013, 1, 9)),
    ("Gomez was elected mayor of Riverton on Tuesday, with 61 percent of the vote.", date(2011, 11, 9)),
    ("The Riverton mayor, Maria Gomez, said on Tuesday she was elected by the harbour.", date(2011, 11, 10)),
    ("This year Gomez has spoken at every council meeting in Riverton.", date(2012, 9, 1)),
    ("Gomez has led the party since 2009, when it was founded in Riverton.", date(2013, 3, 4)),
]


@pytest.fixture(scope="module")
def annotated():
    articles = [Article.create(text, published, name=f"a{i}") for i, (text, published) in enumerate(BIOGRAPHY)]
    return list(dateline.annotate_all(articles, cache=dateline.AnnotationCache()))


def test_a_month_recalled_after_it_ended_is_a_date_of_its_own(annotated):
    ev = collect_evidence(annotated, precision="any")
    march = Period.of(date(2009, 3, 17), Precision.MONTH)
    assert march == Period(date(2009, 3, 1), Precision.MONTH) and march.end == date(2009, 3, 31)
    assert ev.dates[march].mentioning == {0, 1}
    assert ev.dates[march].precision is Precision.MONTH
    # "this year", named while the year lasts, frames the news: it is not an event's date
    assert Period(date(2012, 1, 1), Precision.YEAR) not in ev.dates
    assert Period(date(2009, 1, 1), Precision.YEAR) in ev.dates
    # by days only, months and years are not dates
    assert all(isinstance(d, date) for d in collect_evidence(annotated).dates)


def test_a_timeline_of_any_precision_shows_months_and_years(annotated):
    timeline = dateline.get_builder().build(annotated, BuildOptions(dates=3, sentences=1, precision="any"))
    labels = [e.label for e in timeline]
    assert "2009-03" in labels and "2011-11-08" in labels
    march = next(e for e in timeline if e.label == "2009-03")
    assert march.precision is Precision.MONTH and march.date == date(2009, 3, 1)
    assert "founded the Green Harbour party" in march.sentences[0].text
    assert timeline.meta["precision"] == "any"
    days = dateline.get_builder().build(annotated, BuildOptions(dates=3, sentences=1))
    assert {e.precision for e in days} == {Precision.DAY}


def test_precision_must_be_day_or_any():
    with pytest.raises(ValueError, match="precision must be one of day, any"):
        BuildOptions(precision="month")


def test_every_entry_says_why_its_date_was_chosen(annotated):
    timeline = dateline.get_builder().build(annotated, BuildOptions(dates=1, sentences=1))
    (entry,) = timeline.entries
    assert entry.date == date(2011, 11, 8)
    why = entry.evidence
    assert why is not None
    assert (why.articles, why.published_on) == (2, 0)
    assert (why.latest_mention, why.lag_days) == (date(2011, 11, 10), 2)
    assert why.score_ratio is not None and why.score_ratio > 1
    assert json.loads(render(timeline, "json"))["entries"][0]["evidence"] == {
        "articles": 2,
        "published_on": 0,
        "latest_mention": "2011-11-10",
        "lag_days": 2,
        "score_ratio": round(why.score_ratio, 4),
    }
    # the one date that could be an entry has no runner-up to be measured against
    (single,) = dateline.get_builder().build(annotated[2:3], BuildOptions(dates=5, sentences=1)).entries
    assert single.evidence is not None and single.evidence.score_ratio is None


def test_entry_evidence_survives_a_round_trip():
    why = EntryEvidence(articles=3, published_on=1, latest_mention=date(2011, 3, 4), lag_days=12, score_ratio=1.5)
    entry = TimelineEntry(date(2011, 2, 20), Precision.DAY, (), 4, 2.0, why)
    again = Timeline.from_dict(Timeline((entry,)).to_dict())
    assert again.entries[0].evidence == why
    # older JSON has no evidence
    assert TimelineEntry.from_dict({"date": "2011", "precision": "year", "sentences": []}).evidence is None


def _ref(text: str):
    return dateline.SentenceRef(text, "id", 0, 0, len(text), date(2012, 1, 1))


def test_day_only_formats_write_a_month_or_year_at_its_first_day():
    timeline = Timeline(
        (
            TimelineEntry(date(1985, 1, 1), Precision.YEAR, (_ref("Jobs leaves Apple."),)),
            TimelineEntry(date(2011, 3, 1), Precision.MONTH, (_ref("The war begins."),)),
            TimelineEntry(date(2011, 3, 1), Precision.DAY, (_ref("Protests start."),)),
        )
    )
    assert render(timeline, "tilse").split("\n")[0] == "1985-01-01"
    # a month and a day entry of the same first day are one day to tilse, the day's lines first in entry order
    rows = json.loads(render(timeline, "newstls"))
    assert rows == [
        ["1985-01-01T00:00:00", ["Jobs leaves Apple."]],
        ["2011-03-01T00:00:00", ["The war begins.", "Protests start."]],
    ]
    assert "## 1985" in render(timeline, "markdown") and "## 2011-03" in render(timeline, "markdown")


def test_build_precision_any_on_the_command_line(tmp_path, run):
    folder = tmp_path / "bio"
    folder.mkdir()
    for i, (text, published) in enumerate(BIOGRAPHY):
        (folder / f"{i}.txt").write_text(f" date {published.isoformat()}\n{text}\n", encoding="utf-8")
    out = run("build", folder, "--precision", "any", "--dates", "3", "--format", "json").stdout
    assert "2009-03" in [e["date"] for e in json.loads(out)["entries"]]
    assert run("build", folder, "--precision", "month").exit_code == 2
