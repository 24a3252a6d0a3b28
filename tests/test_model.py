import json
import pickle
from datetime import date, datetime, timedelta, timezone

import pytest

from dateline.model import (
    AnnotatedArticle,
    Article,
    DateMention,
    Precision,
    Sentence,
    SentenceRef,
    Sentences,
    Timeline,
    TimelineEntry,
    article_id,
)
from dateline.temporal.base import value_to_date


def test_article_ids_are_content_hashes():
    a = Article.create("Same text.", date(2020, 1, 1), name="1.txt", source="A")
    b = Article.create("Same text.", date(2020, 1, 2), name="other.txt", source="A")
    c = Article.create("Same text.", date(2020, 1, 1), name="1.txt", source="B")
    assert a.id == b.id == article_id("Same text.", "A")
    assert a.id != c.id


@pytest.mark.parametrize("field", ["text", "title", "source", "name"])
def test_lone_surrogates_are_cleaned_as_ingest_cleans_them(tmp_path, field):
    # Python strings may hold a lone surrogate that UTF-8 cannot encode; ingest turns it into
    # U+FFFD, and a library caller's Article must come out the same and survive every stage.
    from dateline import AnnotationCache, Annotator, build_timeline, read_articles
    from dateline.store import Store

    fields = {"text": "Protests began on 3 March 2011 in the capital.", "title": "Protests", "source": "Wire"}
    fields["name"] = "a1"
    fields[field] = fields[field][:4] + "\ud800" + fields[field][4:]
    text = fields.pop("text")

    article = Article.create(text, date(2011, 3, 4), **fields)
    assert Article.create(text, date(2011, 3, 4), **fields).id == article.id
    jsonl = tmp_path / "a.jsonl"
    record = {"time": "2011-03-04", "text": text, "title": fields["title"], "source": fields["source"], "id": "a1"}
    if field == "name":
        record["id"] = fields["name"]
    jsonl.write_text(json.dumps(record) + "\n", encoding="utf-8")  # json writes the surrogate as "\ud800"
    (ingested,) = read_articles(jsonl)
    assert (article.id, article.text, article.title, article.source, article.name) == (
        ingested.id,
        ingested.text,
        ingested.title,
        ingested.source,
        ingested.name,
    )

    annotated = Annotator().annotate(article)
    cache = AnnotationCache(tmp_path / "cache")
    cache.put(Annotator().version, annotated)
    assert cache.get(Annotator().version, article) == annotated
    with Store.open(tmp_path / "story.db") as store:
        store.add([article])
        store.annotate()
        assert store.get(article.id) is not None
    timeline = build_timeline([article], cache=cache)
    assert [entry.label for entry in timeline] == ["2011-03-03"]


def test_article_round_trip_keeps_time_zone():
    ts = datetime(2019, 11, 26, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    a = Article.create("Text.", ts.date(), timestamp=ts, title="T", url="https://x.test/a", source="S", name="n")
    back = Article.from_dict(a.to_dict())
    assert back == a
    assert back.timestamp.utcoffset() == timedelta(hours=-5)


def test_annotated_article_round_trip():
    a = Article.create("On Monday it rained.", date(2020, 1, 8))
    ann = AnnotatedArticle(
        a,
        (Sentence(0, 0, 20, "On Monday it rained."),),
        (DateMention(3, 9, "Monday", "DATE", "2020-01-06", 0, date(2020, 1, 6), Precision.DAY),),
    )
    assert AnnotatedArticle.from_dict(ann.to_dict()) == ann
    assert ann.mentions_in(0) == ann.mentions
    assert ann.mentions_in(1) == ()


def test_sentences_made_from_spans_when_read_equal_the_tuple_of_them():
    text = "Rain fell. Then it stopped.  Sun."
    spans = [[0, 10], [11, 27], [29, 33]]
    made = tuple(Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans))
    lazy = Sentences(text, spans)
    assert lazy._made is None  # nothing made until a sentence is read
    assert lazy[1] == made[1] and lazy[1] is lazy[1] and lazy[-1] == made[2]
    assert sum(s is not None for s in lazy._made) == 2
    assert len(lazy) == 3 and list(lazy) == list(made) and lazy[1:] == made[1:] and lazy[::-1] == made[::-1]
    assert lazy == made and made == lazy and hash(lazy) == hash(made) and repr(lazy) == repr(made)
    assert lazy != made[:2] and lazy != list(made) and made[2] in lazy and lazy.index(made[2]) == 2
    with pytest.raises(IndexError):
        lazy[3]
    assert pickle.loads(pickle.dumps(lazy)) == made
    # An article holding them is the article holding the tuple, wherever it came from.
    article = Article.create(text, date(2020, 1, 8))
    assert AnnotatedArticle(article, lazy, ()) == AnnotatedArticle(article, made, ())
    assert AnnotatedArticle.from_dict(AnnotatedArticle(article, Sentences(text, spans), ()).to_dict()).sentences == made


@pytest.mark.parametrize(
    "precision, label, parsed",
    [
        (Precision.DAY, "2011-03-19", date(2011, 3, 19)),
        (Precision.MONTH, "2011-03", date(2011, 3, 1)),
        (Precision.YEAR, "2011", date(2011, 1, 1)),
    ],
)
def test_timeline_entries_keep_their_precision(precision, label, parsed):
    ref = SentenceRef("x", "abc", 0, 0, 1, date(2011, 3, 20))
    entry = TimelineEntry(parsed, precision, (ref,), corroboration=3, score=1.5)
    assert entry.label == label
    back = Timeline.from_dict(Timeline((entry,), {"method": "datewise"}).to_dict())
    assert back.entries == (entry,)
    assert back.meta == {"method": "datewise"}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-11-24", (date(2019, 11, 24), Precision.DAY)),
        ("2019-11-24T10:30", (date(2019, 11, 24), Precision.DAY)),
        ("2019-11", (date(2019, 11, 1), Precision.MONTH)),
        ("2019", (date(2019, 1, 1), Precision.YEAR)),
        ("2019-W48", None),
        ("2019-Q3", None),
        ("2019-SU", None),
        ("P3D", None),
        ("PRESENT_REF", None),
        ("XXXX-WXX-1", None),
        ("2019-02-30", None),
        ("199", None),
    ],
)
def test_value_to_date(value, expected):
    assert value_to_date(value) == expected
