"""End-to-end properties of real timelines: every line is traceable and true to its source."""

import pytest

import dateline
from conftest import REPO, shared_path
from dateline.model import Precision
from dateline.timeline.evidence import PUBLICATION_DAYS


def assert_provenance(timeline, annotated):
    """Each sentence is the article's text at its span, and its article mentions the date or was published on it or the day after."""
    by_id = {a.article.id: a for a in annotated}
    assert timeline.entries
    for entry in timeline.entries:
        for ref in entry.sentences:
            a = by_id[ref.article_id]
            assert " ".join(a.article.text[ref.start : ref.end].split()) == ref.text
            assert a.article.published == ref.published
            days = {m.date for m in a.mentions if m.precision is Precision.DAY}
            # the sentence's article names the date, or reports it as that day's or the previous day's news
            lag = (a.article.published - entry.date).days
            assert entry.date in days or 0 <= lag < PUBLICATION_DAYS, (entry.date, ref)


def _build(path, **options):
    articles = list(dateline.read_articles(path))
    annotated = list(dateline.annotate_all(articles))
    return dateline.get_builder().build(annotated, dateline.BuildOptions(**options)), annotated


def test_bundled_example_is_traceable():
    timeline, annotated = _build(REPO / "examples" / "af447")
    assert_provenance(timeline, annotated)


@pytest.mark.slow
def test_t17_libya_budget_and_provenance():
    timeline, annotated = _build(shared_path("data", "t17", "libya", "articles.jsonl"), dates=20, sentences=2)
    assert len(timeline.entries) == 20
    assert all(1 <= len(e.sentences) <= 2 for e in timeline.entries)
    assert_provenance(timeline, annotated)
    texts = [r.text for e in timeline for r in e.sentences]
    assert len(texts) == len(set(texts)), "a sentence appears twice in the timeline"


def test_library_quick_start_from_readme(tmp_path):
    articles = dateline.read_articles(REPO / "examples" / "af447")
    timeline = dateline.build_timeline(articles, dates=5, sentences=1, cache=dateline.AnnotationCache(tmp_path))
    assert 1 <= len(timeline) <= 5
    assert "##" in dateline.render(timeline, "markdown")
