"""The in-memory corpus: lookups, search, sentences per date, stats, and timelines through one interface."""

from __future__ import annotations

from datetime import date

from dateline import BuildOptions, Corpus, MemoryCorpus, corpus_timeline
from dateline.timeline import Query


def test_memory_corpus_is_a_corpus(small_corpus):
    assert isinstance(MemoryCorpus(small_corpus), Corpus)


def test_get_and_select(small_corpus):
    corpus = MemoryCorpus(small_corpus)
    first = small_corpus[0].article.id
    assert corpus.get(first) is small_corpus[0]
    assert corpus.get("nope") is None
    assert [a.article.name for a in corpus.select(Query.parse("protesters"))] == ["a3"]
    assert len(corpus.select()) == 3


def test_search_returns_sentences_with_provenance(small_corpus):
    hits = MemoryCorpus(small_corpus).search(Query.parse("ferry"))
    assert [(h.article_name, h.sentence_index) for h in hits] == [("a2", 2)]
    assert hits[0].text.startswith("Ferry operators")
    assert MemoryCorpus(small_corpus).search(Query.parse("bridge"), limit=2).__len__() == 2


def test_sentences_on_a_day(small_corpus):
    refs = MemoryCorpus(small_corpus).sentences_on(date(2020, 3, 2))
    assert [(r.article_name, r.sentence_index) for r in refs] == [("a1", 0), ("a2", 1)]


def test_stats(small_corpus):
    stats = MemoryCorpus(small_corpus).stats()
    assert stats.articles == 3 and stats.sources == 2
    assert (stats.first_published, stats.last_published) == (date(2020, 3, 3), date(2020, 3, 10))
    assert stats.top_dates[:2] == ((date(2020, 3, 2), 2), (date(2020, 3, 5), 2))
    assert dict(stats.mentions_by_day)[date(2020, 3, 9)] == 1
    assert stats.to_dict()["published_by_day"][0] == ["2020-03-03", 1]


def test_corpus_timeline_keeps_corpus_size_under_a_query(small_corpus):
    timeline = corpus_timeline(MemoryCorpus(small_corpus), BuildOptions(dates=2, query="protesters"))
    assert timeline.meta["articles"] == 3
    assert timeline.meta["articles_matching_query"] == 1
