"""Sentence vectors for summarizers: TF-IDF over Porter stems.

Stemming makes "killed", "kills" and "killing" one term, as a reader (and
ROUGE, the field's metric, run with the Porter stemmer) counts them; on
Timeline17 it adds .0027 R1 (see BENCHMARKS.md). Stop words are dropped
before stemming, as scikit-learn's own analyzer does.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .memo import TEXTS, WORDS, remembered, table

__all__ = ["stemmed_words", "tfidf_vectors"]

# scikit-learn's default token pattern: words of two or more characters.
_WORD = re.compile(r"(?u)\b\w\w+\b")


def stemmed_words(stem: bool = True) -> Callable[[str], Sequence[str]]:
    """An analyzer: the lower-cased, stop-word-free, Porter-stemmed (with ``stem``) words of a text.

    ``snowballstemmer`` hands out PyStemmer's C stemmer when it is installed
    (a dependency): the same algorithm and stems, and a Timeline17 topic's
    build a third faster (bpoil 2.1 s to 1.5 s), the pure-Python one otherwise.
    A text's words, and a word's stem, are remembered across builds
    (:mod:`dateline.timeline.memo`): a build sees the same few thousand words
    many times, and the next build over the same articles the same sentences.
    """
    return _stemmed if stem else _words


_local = threading.local()
_STEMS: dict[str, str] = table(f"{__name__}.stems")  # word -> stem, for every thread: emptied past WORDS words


def _plain_words(text: str) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [word for word in _WORD.findall(text.lower()) if word not in ENGLISH_STOP_WORDS]


@remembered(TEXTS)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_plain_words(text))


@remembered(TEXTS)
def _stemmed(text: str) -> tuple[str, ...]:
    stems = []
    for word in _plain_words(text):
        stem = _STEMS.get(word)
        if stem is None:
            # Snowball stemmers keep state between calls: one per thread, never shared.
            stemmer = getattr(_local, "stemmer", None)
            if stemmer is None:
                import snowballstemmer

                stemmer = _local.stemmer = snowballstemmer.stemmer("porter")
            if len(_STEMS) >= WORDS:
                _STEMS.clear()
            stem = _STEMS[word] = stemmer.stemWord(word)
        stems.append(stem)
    return tuple(stems)


def tfidf_vectors(texts: Sequence[str], *, stem: bool = True) -> Any:
    """L2-normalised, sublinear TF-IDF rows (a CSR matrix) of ``texts`` over stemmed (with ``stem``) words.

    Raises ValueError when no text has a word left (only stop words).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=stemmed_words(stem), sublinear_tf=True).fit_transform(texts).tocsr()
