"""Annotation: sentence splitting with offsets, date mentions per sentence, cache and processes."""

from datetime import date

import pytest

from conftest import REPO
from dateline.annotate import AnnotationCache, Annotator, PunktSplitter, SyntokSplitter, annotate_all
from dateline.model import Article, Precision


@pytest.mark.parametrize(
    "text, sentences",
    [
        (
            "U.S. officials met Gen. Haftar on Nov. 24 in Benghazi. The talks went well.",
            ["U.S. officials met Gen. Haftar on Nov. 24 in Benghazi.", "The talks went well."],
        ),
        (
            "“We will not stop,” the official said. “The ceasefire must hold.” Talks resume Monday.",
            ["“We will not stop,” the official said.", "“The ceasefire must hold.”", "Talks resume Monday."],
        ),
        (
            "Headline without a stop\n\nFirst sentence of the body.",
            ["Headline without a stop", "First sentence of the body."],
        ),
        # Below: cases syntok (the previous default) gets wrong.
        (
            "  Mr. Smith left at 5 p.m. on Monday. The U.N. Security Council voted.\n \n\nRead: more  \n",
            ["Mr. Smith left at 5 p.m. on Monday.", "The U.N. Security Council voted.", "Read: more"],
        ),
        ("Lehman Bros. Inc. filed on Sept. 15. Shares fell.", ["Lehman Bros. Inc. filed on Sept. 15.", "Shares fell."]),
        # Punkt alone ends these at the rank; no sentence ends on one.
        (
            "Crews burned oil, which Coast Guard Rear Adm. Mary Landry called a success. It went well.",
            ["Crews burned oil, which Coast Guard Rear Adm. Mary Landry called a success.", "It went well."],
        ),
        ("The unit of Lt. Col. Smith moved. It was fast.", ["The unit of Lt. Col. Smith moved.", "It was fast."]),
    ],
)
def test_sentence_splitting_with_offsets(text, sentences):
    spans = PunktSplitter().split(text)
    assert [text[s:e] for s, e in spans] == sentences


def test_syntok_splitter_still_splits():
    text = "U.S. officials met Gen. Haftar on Nov. 24 in Benghazi. The talks went well."
    assert [text[s:e] for s, e in SyntokSplitter().split(text)] == [
        "U.S. officials met Gen. Haftar on Nov. 24 in Benghazi.",
        "The talks went well.",
    ]


def test_default_splitter_is_punkt():
    assert isinstance(Annotator().splitter, PunktSplitter)
    assert Annotator().version.startswith(f"punkt-{PunktSplitter.version}.")


def test_mentions_are_placed_in_their_sentence():
    text = "Rebels took Brega on Monday. NATO will meet on March 3. Fighting went on."
    annotated = Annotator().annotate(Article.create(text, date(2011, 3, 2)))
    by_sentence = {m.sentence: (m.text, m.date, m.precision) for m in annotated.mentions}
    assert by_sentence == {
        0: ("Monday", date(2011, 2, 28), Precision.DAY),
        1: ("March 3", date(2011, 3, 3), Precision.DAY),
    }
    for m in annotated.mentions:
        sentence = annotated.sentences[m.sentence]
        assert sentence.start <= m.start < m.end <= sentence.end
        assert text[m.start : m.end] == m.text


def _example_articles():
    from dateline.ingest import read_articles

    return list(read_articles(REPO / "examples" / "af447"))


def test_parallel_annotation_equals_serial(monkeypatch):
    import dateline.annotate

    monkeypatch.setattr(dateline.annotate, "PARALLEL_THRESHOLD", 2)
    articles = _example_articles()
    assert list(annotate_all(articles, processes=2)) == list(annotate_all(articles, processes=1))


def test_cache_hits_and_version_invalidation(tmp_path):
    articles = _example_articles()
    cache = AnnotationCache(tmp_path)
    first = list(annotate_all(articles, cache=cache))
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == len(articles)

    calls = []

    class CountingAnnotator(Annotator):
        def annotate(self, article):
            calls.append(article.id)
            return super().annotate(article)

    again = list(annotate_all(articles, CountingAnnotator(), cache=cache))
    assert again == first and calls == []

    class NewSplitter(PunktSplitter):
        version = "new"

    list(annotate_all(articles[:2], CountingAnnotator(splitter=NewSplitter()), cache=cache))
    assert len(calls) == 2, "a new annotator version must re-annotate"


def test_cached_annotation_keeps_current_metadata(tmp_path):
    cache = AnnotationCache(tmp_path)
    a = Article.create("Talks began on Monday.", date(2020, 1, 8), name="old-name")
    list(annotate_all([a], cache=cache))
    renamed = Article.create("Talks began on Monday.", date(2020, 1, 8), name="new-name")
    (hit,) = annotate_all([renamed], cache=cache)
    assert hit.article.name == "new-name"


def test_cache_keys_on_the_publication_date(tmp_path):
    # Issue 23: the same text under a corrected date must not reuse the old resolution.
    cache = AnnotationCache(tmp_path)
    text = "The minister resigned yesterday."
    (old,) = annotate_all([Article.create(text, date(2011, 3, 1))], cache=cache)
    assert [m.date for m in old.mentions] == [date(2011, 2, 28)]
    corrected = Article.create(text, date(2011, 6, 15))
    (hit,) = annotate_all([corrected], cache=cache)
    assert hit == Annotator().annotate(corrected)
    assert [m.date for m in hit.mentions] == [date(2011, 6, 14)]
    (again,) = annotate_all([Article.create(text, date(2011, 3, 1))], cache=cache)
    assert again == old, "each date keeps its own entry"


def test_cache_key_covers_what_annotation_reads():
    from dateline.annotate import annotation_key

    a = Article.create("Talks began on Monday.", date(2020, 1, 8), source="x")
    key = annotation_key(a, "v1")
    assert key == annotation_key(Article.create(a.text, a.published, source="y", name="n"), "v1")
    assert key != annotation_key(Article.create(a.text, date(2020, 1, 9), source="x"), "v1")
    assert key != annotation_key(Article.create(a.text + " ", a.published, source="x"), "v1")
    assert key != annotation_key(a, "v2")
