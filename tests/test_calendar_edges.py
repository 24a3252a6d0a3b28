"""Articles published at the calendar's ends (0001-01-01, 9999-12-31) reach a store by the library.

Ingest refuses such publication dates (limits.EARLIEST/LATEST_PUBLISHED), but
``Store.add`` and ``MemoryCorpus`` take any date a caller gives. One such
article once made every build, ``stats`` and the web app of its store die with
an OverflowError (a day before 0001-01-01, 30 days after 9999-12-31): what
cannot be a date must simply not be looked at.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from dateline import EXPORTERS, METHODS, Article, BuildOptions, MemoryCorpus, Store, annotate_all, render
from dateline.corpus import corpus_timeline
from dateline.web import create_app
from test_web_api import Client

EDGES = [date.min, date(1, 1, 2), date(9999, 12, 20), date.max]
STORY = [
    Article.create(
        f"Talks resumed in Geneva on Monday, March {d}. Officials said the deal was close and delegates agreed.",
        date(2011, 3, d + 1),
        source="wire",
        name=f"s{d}",
    )
    for d in (7, 14)
]


def edge_article(published: date) -> Article:
    text = (
        "The ministers met in Geneva yesterday. Talks resume next week. Officials said the deal was close today. "
        "Earlier this month, and on January 1 this year, they had failed."
    )
    return Article.create(text, published, source="edge", name="edge")


@pytest.mark.parametrize("published", EDGES, ids=str)
@pytest.mark.parametrize("with_story", [False, True], ids=["alone", "with-story"])
def test_every_method_and_format_builds_at_the_calendar_ends(published, with_story):
    corpus = MemoryCorpus(list(annotate_all([edge_article(published), *(STORY if with_story else [])])))
    corpus.stats()
    for method in METHODS:
        for options in (
            None,
            BuildOptions(start=date.min, end=date.max),
            BuildOptions(query="talks"),
            BuildOptions(precision="any"),  # months and years as entries: "this month" in December 9999
            BuildOptions(precision="any", start=date.min, end=date.max),
        ):
            timeline = corpus_timeline(corpus, options, method)
            for fmt in EXPORTERS:
                render(timeline, fmt)  # raises on a date it cannot write


@pytest.mark.parametrize("published", EDGES, ids=str)
def test_a_store_with_a_calendar_end_article_builds_counts_and_serves(published, tmp_path, run):
    db = tmp_path / "story.db"
    with Store(db) as store:
        store.add([*STORY, edge_article(published)])
        assert store.annotate() == 3 and store.status().failed == 0
        stats = store.stats()
        assert published in (stats.first_published, stats.last_published)
        client = Client(create_app(store))
        edge = edge_article(published).id
        for path in (
            "/api/corpus",
            "/api/timeline",
            "/api/timeline.markdown",
            "/api/dates/2011-03-07",
            f"/api/articles/{edge}",
        ):
            response = client.get(path)
            assert response.status_code == 200, (path, response.text)
    built = run("build", db, "--format", "json")
    assert built.exit_code == 0, built.output
    assert json.loads(built.stdout)["meta"]["articles"] == 3
    stats_run = run("stats", db)
    assert stats_run.exit_code == 0, stats_run.output
    assert re.search(rf"^articles +3 .*\n^published +.*{published.isoformat()}", stats_run.stdout, re.M)


@pytest.mark.parametrize(
    "text",
    [
        "The talks resume 99999999 days from now, officials said on Monday.",
        "On 9999-12-31 it ended. The next day it began, officials said on Monday.",
        "On 0001-01-01 it ended. The previous week it began, officials said on Monday.",
    ],
)
def test_a_phrase_past_the_calendar_in_a_2011_article_annotates_and_builds(text, tmp_path):
    # Issue 23's poisoned store: the real annotator on the phrases that once overflowed.
    with Store(tmp_path / "story.db") as store:
        store.add([*STORY, Article.create(text, date(2011, 3, 5), source="edge")])
        assert store.annotate() == 3 and store.failures() == []
        assert corpus_timeline(store).entries
