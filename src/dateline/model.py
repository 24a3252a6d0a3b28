"""The data model: articles in, annotations in the middle, timelines out.

Every class is a frozen dataclass with ``to_dict()`` / ``from_dict()`` so that
it survives a JSON round trip (the annotation cache, the JSON export and the
HTTP API all use these dictionaries), but :class:`ArticleFacts`: derived data
that only a columnar corpus keeps, never serialised with its article. Dates
carry a :class:`Precision` so a coarse date ("in April 2011") is never
mistaken for a day.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, overload

from .text import clean_text, readable

__all__ = [
    "AnnotatedArticle",
    "Article",
    "ArticleFacts",
    "DateMention",
    "EntryEvidence",
    "Period",
    "Precision",
    "Sentence",
    "SentenceRef",
    "Sentences",
    "Timeline",
    "TimelineEntry",
    "article_id",
]


class Precision(str, Enum):
    """How much of a date is known: a day, a month or only a year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"

    def format(self, d: date) -> str:  # type: ignore[override]  # not str.format: a date at this precision
        """Render ``d`` at this precision: ``2019-11-24``, ``2019-11`` or ``2019``."""
        if self is Precision.DAY:
            return d.isoformat()
        if self is Precision.MONTH:
            return f"{d.year:04d}-{d.month:02d}"
        return f"{d.year:04d}"


@dataclass(frozen=True, order=True)
class Period:
    """A month or a year as a timeline's date ("in March 2011", "in 1985"); a day is a plain ``date``.

    ``start`` is the period's first day; build one with :meth:`of`, which
    moves any day of the period there.
    """

    start: date
    precision: Precision

    @classmethod
    def of(cls, day: date, precision: Precision) -> Period:
        """The month or year (``precision``) that holds ``day``."""
        if precision is Precision.MONTH:
            return cls(day.replace(day=1), precision)
        if precision is Precision.YEAR:
            return cls(day.replace(month=1, day=1), precision)
        raise ValueError("a day is a date, not a Period")

    @property
    def end(self) -> date:
        """The period's last day."""
        if self.precision is Precision.YEAR:
            return self.start.replace(month=12, day=31)
        if self.start.month == 12:  # not "January next year, less a day": December 9999 has no next year
            return self.start.replace(day=31)
        return self.start.replace(month=self.start.month + 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        """``2011-03`` or ``1985``."""
        return self.precision.format(self.start)


def article_id(text: str, source: str | None = None) -> str:
    """Content-hash id of an article: the same text from the same source is the same article."""
    digest = hashlib.sha1()
    digest.update((source or "").encode("utf-8"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()[:16]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Article:
    """One news article as ingested.

    ``id`` is a content hash (see :func:`article_id`); ``name`` is what the
    user called it (file name, JSONL ``id``), kept for provenance.
    ``published`` is the publication date in the article's own time zone;
    ``timestamp`` keeps the full time (zone-aware when the input had a zone).
    ``origin`` says where it was read from (``path`` or ``path:line``).
    """

    id: str
    text: str
    published: date
    name: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    timestamp: datetime | None = None
    origin: str | None = None

    @classmethod
    def create(cls, text: str, published: date, **kwargs: Any) -> Article:
        """Build an article whose id is the content hash of its text and source.

        Lone surrogates in ``text`` and the other text fields become U+FFFD, as
        ingest does: hashing, the annotation cache and the store encode UTF-8.
        """
        text = clean_text(text)
        kwargs = {key: clean_text(value) if isinstance(value, str) else value for key, value in kwargs.items()}
        return cls(id=article_id(text, kwargs.get("source")), text=text, published=published, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "published": self.published.isoformat(),
            "timestamp": _iso(self.timestamp),
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "origin": self.origin,
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            text=d["text"],
            published=date.fromisoformat(d["published"]),
            name=d.get("name"),
            title=d.get("title"),
            url=d.get("url"),
            source=d.get("source"),
            timestamp=datetime.fromisoformat(d["timestamp"]) if d.get("timestamp") else None,
            origin=d.get("origin"),
        )


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its position and its character span in the article text."""

    index: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Sentence:
        return cls(index=d["index"], start=d["start"], end=d["end"], text=d["text"])


class Sentences(Sequence[Sentence]):
    """An article's sentences given by their spans of its text, each made when it is first read.

    A corpus that keeps sentence spans (the columnar corpus) hands a build
    thousands of articles of some fifty sentences each, of which the builder
    reads the few that name a date or open the article: making every
    :class:`Sentence` up front took a third of the Python time of loading
    them (BENCHMARKS.md section 5). It is
    equal to (and hashes as) the tuple of the same sentences, so an article
    holding one equals the same article holding a tuple.
    """

    __slots__ = ("_made", "_spans", "_text")

    def __init__(self, text: str, spans: Sequence[Sequence[int]]) -> None:
        self._text = text
        self._spans = spans
        self._made: list[Sentence | None] | None = None

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, index: int) -> Sentence: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Sentence, ...]: ...

    def __getitem__(self, index: int | slice) -> Sentence | tuple[Sentence, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self._spans))[index])
        made = self._made
        if made is None:
            made = self._made = [None] * len(self._spans)
        sentence = made[index]  # IndexError as a tuple's
        if sentence is None:
            i = index % len(made)
            start, end = self._spans[i]
            sentence = made[i] = Sentence(i, start, end, self._text[start:end])
        return sentence

    def __iter__(self) -> Iterator[Sentence]:
        return (self[i] for i in range(len(self._spans)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Sentences, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Sentences, (self._text, self._spans)


@dataclass(frozen=True)
class DateMention:
    """A temporal expression found in an article, normalised against its publication date.

    ``start``/``end`` are character offsets in the article text; ``sentence``
    is the index of the sentence holding it. ``type`` and ``value`` follow
    TIMEX3 (``DATE``/``TIME``/``DURATION``/``SET``; ``2019-11-24``,
    ``2019-11``, ``2019-W48``, ``P3D``, ``PRESENT_REF`` ...). ``date`` and
    ``precision`` are set when the value names a calendar day, month or year,
    which is what a timeline can use.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    sentence: int = -1
    date: date | None = None
    precision: Precision | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "sentence": self.sentence,
            "date": _iso(self.date),
            "precision": self.precision.value if self.precision else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DateMention:
        return cls(
            start=d["start"],
            end=d["end"],
            text=d["text"],
            type=d["type"],
            value=d["value"],
            sentence=d.get("sentence", -1),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            precision=Precision(d["precision"]) if d.get("precision") else None,
        )


@dataclass(frozen=True)
class ArticleFacts:
    """What the timeline builder's rules say of an article whatever the question, as of rules version ``rules``.

    Computed once when the article is annotated into a columnar corpus and
    read back with it, so that a build does not apply the rules again
    (:mod:`dateline.timeline.facts` computes them and says which rules they
    are). Per sentence: ``skips`` is where the sentence begins after its
    dateline or run-in headline (-1 where the rules were not applied: a
    sentence that neither leads the article nor holds a date mention),
    ``flags`` whether what follows could be a timeline line and whether it
    opens on a pronoun, ``keys`` a 64-bit hash of its template key (0 for
    one too short to be a template). Per article: ``words``, its length in
    words, and ``comments``, the sentence where readers' comments begin (-1:
    none).
    """

    rules: str
    words: int
    comments: int
    skips: Sequence[int]
    flags: bytes
    keys: Sequence[int]


@dataclass(frozen=True)
class AnnotatedArticle:
    """An article with its sentences and date mentions: the unit the builder works on.

    ``facts`` (not compared, not serialised) are the builder's rules applied
    ahead, when the article came from a corpus that keeps them.
    """

    article: Article
    sentences: Sequence[Sentence]
    mentions: tuple[DateMention, ...]
    facts: ArticleFacts | None = field(default=None, compare=False, repr=False)

    def mentions_in(self, sentence_index: int) -> tuple[DateMention, ...]:
        """The date mentions inside one sentence."""
        return tuple(m for m in self.mentions if m.sentence == sentence_index)

    def ref(self, sentence_index: int) -> SentenceRef:
        """One sentence of this article with its provenance (whitespace in its text collapsed)."""
        article, sentence = self.article, self.sentences[sentence_index]
        return SentenceRef(
            text=" ".join(sentence.text.split()),
            article_id=article.id,
            article_name=article.name,
            sentence_index=sentence.index,
            start=sentence.start,
            end=sentence.end,
            published=article.published,
            source=article.source,
            title=article.title,
            url=article.url,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "sentences": [s.to_dict() for s in self.sentences],
            "mentions": [m.to_dict() for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnnotatedArticle:
        return cls(
            article=Article.from_dict(d["article"]),
            sentences=tuple(Sentence.from_dict(s) for s in d["sentences"]),
            mentions=tuple(DateMention.from_dict(m) for m in d["mentions"]),
        )


@dataclass(frozen=True)
class SentenceRef:
    """A timeline sentence with its provenance: which article, which sentence, which characters."""

    text: str
    article_id: str
    sentence_index: int
    start: int
    end: int
    published: date
    article_name: str | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None

    @property
    def display(self) -> str:
        """``text`` as a reader should see it (PTB escapes and HTML entities decoded; see :func:`~dateline.text.readable`)."""
        return readable(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "article_id": self.article_id,
            "article_name": self.article_name,
            "sentence_index": self.sentence_index,
            "start": self.start,
            "end": self.end,
            "published": self.published.isoformat(),
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "display": self.display,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SentenceRef:
        return cls(
            text=d["text"],
            article_id=d["article_id"],
            sentence_index=d["sentence_index"],
            start=d["start"],
            end=d["end"],
            published=date.fromisoformat(d["published"]),
            article_name=d.get("article_name"),
            source=d.get("source"),
            title=d.get("title"),
            url=d.get("url"),
        )


@dataclass(frozen=True)
class EntryEvidence:
    """Why a date made the timeline: what its ranker saw, for a reader to judge a thin entry.

    ``articles`` name the date; ``published_on`` were published on it (a day
    only); ``latest_mention`` is when the last article naming it was
    published, ``lag_days`` how long after the date that was; ``score_ratio``
    is the date's score over that of the best-ranked date left out (None
    when no date was left out).
    """

    articles: int
    published_on: int
    latest_mention: date | None
    lag_days: int | None
    score_ratio: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "published_on": self.published_on,
            "latest_mention": _iso(self.latest_mention),
            "lag_days": self.lag_days,
            "score_ratio": round(self.score_ratio, 4) if self.score_ratio is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EntryEvidence:
        latest = d.get("latest_mention")
        return cls(
            articles=d.get("articles", 0),
            published_on=d.get("published_on", 0),
            latest_mention=date.fromisoformat(latest) if latest else None,
            lag_days=d.get("lag_days"),
            score_ratio=d.get("score_ratio"),
        )


@dataclass(frozen=True)
class TimelineEntry:
    """One date of a timeline: what happened, said by which articles.

    ``date`` is the day, or the first day of the month or year that
    ``precision`` says. ``corroboration`` is the number of distinct articles
    that mention the date or were published on it; ``score`` is the date
    ranker's score; ``evidence`` says why the date was chosen.
    """

    date: date
    precision: Precision
    sentences: tuple[SentenceRef, ...]
    corroboration: int = 0
    score: float = 0.0
    evidence: EntryEvidence | None = None

    @property
    def label(self) -> str:
        """The date at its precision, e.g. ``2019-11``."""
        return self.precision.format(self.date)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.label,
            "precision": self.precision.value,
            "corroboration": self.corroboration,
            "score": round(self.score, 6),
            **({"evidence": self.evidence.to_dict()} if self.evidence else {}),
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TimelineEntry:
        precision = Precision(d["precision"])
        parts = [int(p) for p in d["date"].split("-")] + [1, 1]
        return cls(
            date=date(parts[0], parts[1], parts[2]),
            precision=precision,
            sentences=tuple(SentenceRef.from_dict(s) for s in d["sentences"]),
            corroboration=d.get("corroboration", 0),
            score=d.get("score", 0.0),
            evidence=EntryEvidence.from_dict(d["evidence"]) if d.get("evidence") else None,
        )


@dataclass(frozen=True)
class Timeline:
    """A dated, sourced timeline: entries in date order plus how it was made."""

    entries: tuple[TimelineEntry, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[TimelineEntry]:
        return iter(self.entries)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "dateline.timeline/1",
            "meta": dict(self.meta),
            "entries": [e.to_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Timeline:
        return cls(
            entries=tuple(TimelineEntry.from_dict(e) for e in d["entries"]),
            meta=dict(d.get("meta", {})),
        )
