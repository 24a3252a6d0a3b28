"""A corpus: the annotated articles a story's timelines are built from.

The CLI, the library and the web app read a corpus through one interface,
:class:`Corpus`, whether it lives in memory (:class:`MemoryCorpus`, built
from files each run) or in an embedded store (``dateline.store``). Building
a timeline is the same for both: :func:`corpus_timeline`.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

from .model import AnnotatedArticle, Precision, SentenceRef, Timeline
from .timeline import BuildOptions, Query, get_builder
from .timeline.furniture import beyond_horizon, find_comments

__all__ = [
    "Corpus",
    "CorpusStats",
    "MemoryCorpus",
    "Recent",
    "WindowedCorpus",
    "corpus_stats",
    "corpus_timeline",
    "search_sentences",
]

TOP_DATES = 20
# Annotated articles a store or a Parquet corpus keeps once read, for the next build (about 40 KB
# each in memory); each module has its own REMEMBERED_ARTICLES, read when it keeps what it read.
REMEMBERED_ARTICLES = 5000

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Recent(Generic[K, V]):
    """What a corpus read last, by key, least recently used first out; shared by its threads.

    A server builds timeline after timeline from the same articles: a corpus
    that reads them from disk (a store, a Parquet corpus) keeps the last ones
    read, and reads again only those it does not hold.
    """

    def __init__(self) -> None:
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def find(self, keys: Iterable[K], usable: Callable[[K, V], bool]) -> dict[K, V]:
        """The values held for ``keys`` that ``usable`` accepts (each then counts as just used)."""
        found: dict[K, V] = {}
        with self._lock:
            for k in keys:
                if k in self._items and usable(k, self._items[k]):
                    found[k] = self._items[k]
                    self._items.move_to_end(k)
        return found

    def keep(self, items: Iterable[tuple[K, V]], bound: int) -> None:
        """Hold ``items``, then forget the least recently used past ``bound``."""
        with self._lock:
            self._items.update(items)
            while len(self._items) > bound:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything held."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class CorpusStats:
    """What a corpus holds, at a glance."""

    articles: int
    sources: int
    first_published: date | None
    last_published: date | None
    # Articles published per day, and day-precision date mentions per day.
    published_by_day: tuple[tuple[date, int], ...]
    mentions_by_day: tuple[tuple[date, int], ...]
    # The dates most articles mention, with that count, most mentioned first.
    top_dates: tuple[tuple[date, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "sources": self.sources,
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "published_by_day": [[d.isoformat(), n] for d, n in self.published_by_day],
            "mentions_by_day": [[d.isoformat(), n] for d, n in self.mentions_by_day],
            "top_dates": [[d.isoformat(), n] for d, n in self.top_dates],
        }


@runtime_checkable
class Corpus(Protocol):
    """Annotated articles, looked up by id, searched by words and by the dates they mention."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[AnnotatedArticle]:
        """Every annotated article, in the order they were added."""
        ...

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One article by id, or None."""
        ...

    def select(self, query: Query | None = None) -> list[AnnotatedArticle]:
        """The articles containing a query term (all of them without a query)."""
        ...

    def search(self, query: Query, limit: int = 100) -> list[SentenceRef]:
        """Sentences containing a query term, in corpus order, at most ``limit``."""
        ...

    def sentences_on(self, day: date) -> list[SentenceRef]:
        """Every sentence with a day-precision mention of ``day``, in corpus order."""
        ...

    def stats(self) -> CorpusStats:
        """Counts, publication range, histograms and top dates."""
        ...


@runtime_checkable
class WindowedCorpus(Protocol):
    """A corpus that can also push a timeline's date window down into its scan (``dateline.columnar``)."""

    def select_window(
        self, query: Query | None = None, start: date | None = None, end: date | None = None, precision: str = "day"
    ) -> list[AnnotatedArticle]:
        """What :meth:`Corpus.select` gives, loading annotations only where they can matter to ``[start, end]``
        at ``precision`` (``"day"``, or ``"any"`` for months and years too)."""
        ...


def corpus_stats(articles: Iterable[AnnotatedArticle], top: int = TOP_DATES) -> CorpusStats:
    """Stats computed by reading every article (stores may compute them in SQL instead).

    Readers' comments (:func:`dateline.timeline.furniture.find_comments`) and dates far after the last
    publication are not counted as mentions, as the timeline builder does not count them.
    """
    articles = list(articles)
    furniture = find_comments(articles)
    last = max((a.article.published for a in articles), default=None)
    n, sources = 0, set()
    published: Counter[date] = Counter()
    mentions: Counter[date] = Counter()
    mentioning: Counter[date] = Counter()
    for a, skip in zip(articles, furniture):
        n += 1
        if a.article.source:
            sources.add(a.article.source)
        published[a.article.published] += 1
        days = [
            m.date
            for m in a.mentions
            if m.date is not None
            and m.precision is Precision.DAY
            and m.sentence not in skip
            and not beyond_horizon(m.date, last)
        ]
        mentions.update(days)
        mentioning.update(set(days))
    ranked = sorted(mentioning.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return CorpusStats(
        articles=n,
        sources=len(sources),
        first_published=min(published) if published else None,
        last_published=max(published) if published else None,
        published_by_day=tuple(sorted(published.items())),
        mentions_by_day=tuple(sorted(mentions.items())),
        top_dates=tuple(ranked),
    )


class MemoryCorpus:
    """A corpus held in memory: what ``dateline build FOLDER`` and ``serve FOLDER`` work on."""

    def __init__(self, articles: Iterable[AnnotatedArticle]):
        self._articles = list(articles)
        self._by_id = {a.article.id: a for a in self._articles}

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[AnnotatedArticle]:
        return iter(self._articles)

    def get(self, article_id: str) -> AnnotatedArticle | None:
        return self._by_id.get(article_id)

    def select(self, query: Query | None = None) -> list[AnnotatedArticle]:
        if query is None:
            return list(self._articles)
        return [a for a in self._articles if query.matches(a.article.text)]

    def search(self, query: Query, limit: int = 100) -> list[SentenceRef]:
        return search_sentences(self._articles, query, limit)

    def sentences_on(self, day: date) -> list[SentenceRef]:
        refs: list[SentenceRef] = []
        for a in self._articles:
            indices = sorted({m.sentence for m in a.mentions if m.date == day and m.precision is Precision.DAY})
            refs.extend(a.ref(i) for i in indices)
        return refs

    def stats(self) -> CorpusStats:
        return corpus_stats(self._articles)


def search_sentences(articles: Iterable[AnnotatedArticle], query: Query, limit: int) -> list[SentenceRef]:
    """The first ``limit`` sentences of ``articles`` (in their order) that name a term of ``query``."""
    hits: list[SentenceRef] = []
    for a in articles:
        for s in a.sentences:
            if query.matches(s.text):
                hits.append(a.ref(s.index))
                if len(hits) >= limit:
                    return hits
    return hits


def corpus_timeline(corpus: Corpus, options: BuildOptions | None = None, method: str = "datewise") -> Timeline:
    """Build a timeline of ``corpus`` with ``method`` (the query narrows the articles first)."""
    options = options or BuildOptions()
    builder = get_builder(method)
    query = Query.parse(options.query)
    articles: Sequence[AnnotatedArticle]
    if isinstance(corpus, WindowedCorpus) and (options.start or options.end):
        articles = corpus.select_window(query, options.start, options.end, options.precision)
    else:
        articles = corpus.select(query)
    timeline = builder.build(articles, options)
    # The builder counts the articles it was given; a user wants the corpus size.
    return Timeline(entries=timeline.entries, meta={**timeline.meta, "articles": len(corpus)})
