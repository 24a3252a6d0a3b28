"""``Store``: a story's articles and their annotations in one SQLite file, a corpus that grows.

Articles are keyed by content hash, so adding the same article twice is a
no-op; annotations are kept per article with the annotator version that
made them, so a build only annotates what is new (or what an annotator
upgrade made stale). The file is in WAL mode: one process may ingest while
others read. Every write happens in batches, each its own transaction, so a
killed ingest loses at most the batch in flight.

The :class:`~dateline.corpus.Corpus` view (``len``, iteration, ``get``,
``select``, ``search``, ``sentences_on``, ``stats``) covers the articles
annotated by the store's annotator version only: an article not annotated
yet, or annotated by another version, is invisible there until
:meth:`Store.annotate` runs. :meth:`Store.status` counts them all.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..annotate import Annotator, annotate_all
from ..corpus import TOP_DATES, CorpusStats
from ..model import AnnotatedArticle, Article, DateMention, Precision, Sentence, SentenceRef
from ..timeline import Query
from .fts import fts_query
from .schema import migrate, schema_version

__all__ = ["AddResult", "Store", "StoreStatus", "is_store"]

_MAGIC = b"SQLite format 3\x00"
BATCH = 500
# Articles handed to one annotate_all call: bounds memory on a big backlog
# while keeping its process pool busy.
ANNOTATE_CHUNK = 2000
_ARTICLE_COLUMNS = "a.seq, a.id, a.text, a.published, a.name, a.title, a.url, a.source, a.timestamp, a.origin"


def is_store(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is an existing file starting with the SQLite header."""
    try:
        with open(path, "rb") as f:
            return f.read(len(_MAGIC)) == _MAGIC
    except OSError:
        return False


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did: articles new to the store, and articles it already held."""

    added: int
    present: int


@dataclass(frozen=True)
class StoreStatus:
    """What a store holds, annotated or not, and how far annotation has got."""

    path: str
    schema_version: int
    annotator_version: str
    articles: int
    sources: int
    first_published: date | None
    last_published: date | None
    annotated: int  # by the current annotator version
    stale: int  # annotated by another version: re-annotated on the next build
    pending: int  # never annotated
    sentences: int
    mentions: int
    size_bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "schema_version": self.schema_version,
            "annotator_version": self.annotator_version,
            "articles": self.articles,
            "sources": self.sources,
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "annotated": self.annotated,
            "stale": self.stale,
            "pending": self.pending,
            "sentences": self.sentences,
            "mentions": self.mentions,
            "size_bytes": self.size_bytes,
        }


@functools.lru_cache(maxsize=65536)
def _day(value: str | None) -> date | None:
    # Cached: a corpus mentions the same few thousand days over and over.
    return date.fromisoformat(value) if value else None


_PRECISION: dict[str | None, Precision | None] = {None: None, **{p.value: p for p in Precision}}


def _article(row: Sequence[Any]) -> Article:
    _, id_, text, published, name, title, url, source, timestamp, origin = row
    return Article(
        id=id_,
        text=text,
        published=date.fromisoformat(published),
        name=name,
        title=title,
        url=url,
        source=source,
        timestamp=datetime.fromisoformat(timestamp) if timestamp else None,
        origin=origin,
    )


def _article_values(a: Article) -> tuple[Any, ...]:
    return (
        a.id,
        a.name,
        a.title,
        a.url,
        a.source,
        a.published.isoformat(),
        a.timestamp.isoformat() if a.timestamp else None,
        a.origin,
        a.text,
    )


class Store:
    """A story's articles and annotations in one SQLite file; implements :class:`~dateline.corpus.Corpus`.

    ``Store(path)`` opens the file, creating it when missing (``create=False``
    refuses instead), and migrates its schema. ``annotator`` decides which
    annotations the corpus view serves and what :meth:`annotate` does by
    default. Safe to share between threads: each thread gets its own
    connection.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        annotator: Annotator | None = None,
        create: bool = True,
        timeout: float = 30.0,
    ):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(f"no store at {self.path}")
        self.annotator = annotator if annotator is not None else Annotator()
        self._timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self._db()
        try:
            # WAL lets readers (the web app) carry on while an ingest writes; it
            # is a property of the file, set outside any transaction.
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        except BaseException:
            self.close()
            raise

    @property
    def version(self) -> str:
        """The annotator version whose annotations the corpus view serves."""
        return self.annotator.version

    @classmethod
    def open(cls, path: str | os.PathLike[str], **kwargs: Any) -> Store:
        """Open (or create) the store at ``path``; same arguments as the constructor."""
        return cls(path, **kwargs)

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # Autocommit: transactions are explicit (BEGIN ... COMMIT) below.
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None, check_same_thread=False)
            # In WAL mode NORMAL is still crash-safe for a killed process; only
            # a power cut can lose the last commits, never corrupt the file.
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back when it raises."""
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- writing ---------------------------------------------------------------

    def add(self, articles: Iterable[Article], *, batch_size: int = BATCH, progress: bool = False) -> AddResult:
        """Add ``articles`` (streamed, committed every ``batch_size``); articles already held are skipped.

        When reading ``articles`` raises (a bad record under
        ``on_error="fail"``), the articles read before it are committed
        first, so re-running after a fix only adds the rest.
        """
        conn = self._db()
        added = present = 0
        batch: list[Article] = []
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(desc="ingesting", unit="article", leave=False)

        def flush() -> None:
            nonlocal added, present
            before = conn.total_changes
            with self._transaction():
                conn.executemany(
                    "INSERT OR IGNORE INTO articles (id, name, title, url, source, published, timestamp, origin, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    map(_article_values, batch),
                )
            new = conn.total_changes - before
            added += new
            present += len(batch) - new
            if bar is not None:
                bar.update(len(batch))
            batch.clear()

        items = iter(articles)
        try:
            while True:
                try:
                    article = next(items)
                except StopIteration:
                    break
                except BaseException:
                    # Everything read before a bad record is good: keep it.
                    if batch:
                        flush()
                    raise
                batch.append(article)
                if len(batch) >= batch_size:
                    flush()
        finally:
            if bar is not None:
                bar.close()
        if batch:
            flush()
        return AddResult(added, present)

    def articles(self) -> Iterator[Article]:
        """Every article, annotated or not, in the order they were added."""
        last = 0
        while True:
            rows = (
                self._db()
                .execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.seq > ? ORDER BY a.seq LIMIT ?", (last, BATCH)
                )
                .fetchall()
            )
            if not rows:
                return
            yield from map(_article, rows)
            last = rows[-1][0]

    def pending(self, version: str | None = None) -> int:
        """How many articles lack an annotation by ``version`` (default: the store's annotator)."""
        return int(
            self._db()
            .execute(
                "SELECT count(*) FROM articles a LEFT JOIN annotated n ON n.article = a.seq AND n.version = ? "
                "WHERE n.article IS NULL",
                (version or self.version,),
            )
            .fetchone()[0]
        )

    def annotate(self, annotator: Annotator | None = None, processes: int = 1, progress: bool = False) -> int:
        """Annotate the articles lacking an annotation by ``annotator``'s version; return how many.

        Stale annotations (another version) are replaced. Results are written
        every :data:`BATCH` articles, so an interrupted run keeps its work.
        """
        annotator = annotator or self.annotator
        version = annotator.version
        conn = self._db()
        todo = [
            seq
            for (seq,) in conn.execute(
                "SELECT a.seq FROM articles a LEFT JOIN annotated n ON n.article = a.seq AND n.version = ? "
                "WHERE n.article IS NULL ORDER BY a.seq",
                (version,),
            )
        ]
        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="annotating", unit="article", leave=False)
        done = 0
        try:
            for i in range(0, len(todo), ANNOTATE_CHUNK):
                chunk = todo[i : i + ANNOTATE_CHUNK]
                articles = [
                    _article(r) for j in range(0, len(chunk), BATCH) for r in self._article_rows(chunk[j : j + BATCH])
                ]
                batch: list[tuple[int, AnnotatedArticle]] = []
                results = annotate_all(articles, annotator, processes=processes)
                for seq, annotated in zip(chunk, results):
                    batch.append((seq, annotated))
                    if len(batch) >= BATCH:
                        self._put_annotations(version, batch)
                        done += len(batch)
                        if bar is not None:
                            bar.update(len(batch))
                        batch = []
                if batch:
                    self._put_annotations(version, batch)
                    done += len(batch)
                    if bar is not None:
                        bar.update(len(batch))
        finally:
            if bar is not None:
                bar.close()
        return done

    def _article_rows(self, seqs: Sequence[int]) -> list[tuple[Any, ...]]:
        """Article rows for ``seqs`` (at most :data:`BATCH`), ordered by seq."""
        return (
            self._db()
            .execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.seq IN ({','.join('?' * len(seqs))}) ORDER BY a.seq",
                list(seqs),
            )
            .fetchall()
        )

    def _put_annotations(self, version: str, batch: Sequence[tuple[int, AnnotatedArticle]]) -> None:
        seqs = [seq for seq, _ in batch]
        among = f"article IN ({','.join('?' * len(seqs))})"
        sentences = [(seq, s.index, s.start, s.end, s.text) for seq, a in batch for s in a.sentences]
        mentions = [
            (
                seq,
                m.sentence,
                m.start,
                m.end,
                m.text,
                m.type,
                m.value,
                m.date.isoformat() if m.date else None,
                m.precision.value if m.precision else None,
            )
            for seq, a in batch
            for m in a.mentions
        ]
        with self._transaction() as conn:
            # A stale annotation goes first, out of the index too (which needs its text).
            conn.execute(
                "INSERT INTO sentences_fts (sentences_fts, rowid, text) "
                f"SELECT 'delete', id, text FROM sentences WHERE {among}",
                seqs,
            )
            conn.execute(f"DELETE FROM sentences WHERE {among}", seqs)
            conn.execute(f"DELETE FROM mentions WHERE {among}", seqs)
            conn.executemany(
                "INSERT OR REPLACE INTO annotated (article, version) VALUES (?, ?)", [(s, version) for s in seqs]
            )
            conn.executemany(
                "INSERT INTO sentences (article, idx, char_start, char_end, text) VALUES (?, ?, ?, ?, ?)", sentences
            )
            conn.executemany(
                "INSERT INTO mentions (article, sentence, char_start, char_end, text, type, value, date, precision) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                mentions,
            )
            # One statement per batch, not a trigger per row: a third of the time.
            conn.execute(f"INSERT INTO sentences_fts (rowid, text) SELECT id, text FROM sentences WHERE {among}", seqs)

    # -- reading: the Corpus interface -------------------------------------------

    def __len__(self) -> int:
        return int(
            self._db().execute("SELECT count(*) FROM annotated WHERE version = ?", (self.version,)).fetchone()[0]
        )

    def __iter__(self) -> Iterator[AnnotatedArticle]:
        last = 0
        while True:
            rows = (
                self._db()
                .execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN annotated n ON n.article = a.seq "
                    "WHERE n.version = ? AND a.seq > ? ORDER BY a.seq LIMIT ?",
                    (self.version, last, BATCH),
                )
                .fetchall()
            )
            if not rows:
                return
            yield from self._annotated(rows)
            last = rows[-1][0]

    def _annotated(self, rows: Sequence[Sequence[Any]]) -> list[AnnotatedArticle]:
        """Annotated articles for article rows (ordered by seq), with their sentences and mentions."""
        conn = self._db()
        seqs = [r[0] for r in rows]
        among = f"article IN ({','.join('?' * len(seqs))})"
        sentences: dict[int, list[Sentence]] = defaultdict(list)
        for seq, idx, start, end, text in conn.execute(
            f"SELECT article, idx, char_start, char_end, text FROM sentences WHERE {among} ORDER BY article, idx",
            seqs,
        ):
            sentences[seq].append(Sentence(idx, start, end, text))
        mentions: dict[int, list[DateMention]] = defaultdict(list)
        for seq, sentence, start, end, text, type_, value, day, precision in conn.execute(
            "SELECT article, sentence, char_start, char_end, text, type, value, date, precision FROM mentions "
            f"WHERE {among} ORDER BY article, id",
            seqs,
        ):
            mentions[seq].append(
                DateMention(start, end, text, type_, value, sentence, _day(day), _PRECISION[precision])
            )
        return [
            AnnotatedArticle(_article(r), tuple(sentences.get(r[0], ())), tuple(mentions.get(r[0], ()))) for r in rows
        ]

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One annotated article by id, or None (also when it is not annotated yet)."""
        rows = (
            self._db()
            .execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN annotated n ON n.article = a.seq "
                "WHERE a.id = ? AND n.version = ?",
                (article_id, self.version),
            )
            .fetchall()
        )
        return self._annotated(rows)[0] if rows else None

    def _matching_seqs(self, query: Query) -> list[int] | None:
        """Articles with a sentence FTS5 says may match ``query``, in order; None when FTS cannot tell."""
        match = fts_query(query)
        if match is None:
            return None
        return [
            seq
            for (seq,) in self._db().execute(
                "SELECT DISTINCT s.article FROM sentences_fts f JOIN sentences s ON s.id = f.rowid "
                "JOIN annotated n ON n.article = s.article AND n.version = ? "
                "WHERE sentences_fts MATCH ? ORDER BY s.article",
                (self.version, match),
            )
        ]

    def select(self, query: Query | None = None) -> list[AnnotatedArticle]:
        """The annotated articles containing a query term (all without a query), FTS5 pre-filtered.

        A term only found across a sentence boundary is missed (the index is
        per sentence, which is also where the builder looks for summaries).
        """
        if query is None:
            return list(self)
        seqs = self._matching_seqs(query)
        if seqs is None:
            return [a for a in self if query.matches(a.article.text)]
        found: list[AnnotatedArticle] = []
        for i in range(0, len(seqs), BATCH):
            rows = self._article_rows(seqs[i : i + BATCH])
            found.extend(a for a in self._annotated(rows) if query.matches(a.article.text))
        return found

    def _refs(
        self, sql: str, params: Sequence[Any], keep: Callable[[str], bool] | None = None, limit: int | None = None
    ) -> list[SentenceRef]:
        """SentenceRefs for rows of (article seq, sentence idx, start, end, text) in corpus order."""
        conn = self._db()
        refs: list[SentenceRef] = []
        articles: dict[int, tuple[Any, ...]] = {}
        for seq, idx, start, end, text in conn.execute(sql, params):
            if keep is not None and not keep(text):
                continue
            if seq not in articles:
                articles[seq] = conn.execute(
                    "SELECT id, name, published, source, title, url FROM articles WHERE seq = ?", (seq,)
                ).fetchone()
            id_, name, published, source, title, url = articles[seq]
            refs.append(
                SentenceRef(
                    text=" ".join(text.split()),
                    article_id=id_,
                    sentence_index=idx,
                    start=start,
                    end=end,
                    published=date.fromisoformat(published),
                    article_name=name,
                    source=source,
                    title=title,
                    url=url,
                )
            )
            if limit is not None and len(refs) >= limit:
                break
        return refs

    def search(self, query: Query, limit: int = 100) -> list[SentenceRef]:
        """Annotated sentences containing a query term, in corpus order, at most ``limit`` (FTS5)."""
        match = fts_query(query)
        columns = "s.article, s.idx, s.char_start, s.char_end, s.text"
        joined = "JOIN annotated n ON n.article = s.article AND n.version = ?"
        if match is None:
            sql = f"SELECT {columns} FROM sentences s {joined} ORDER BY s.article, s.idx"
            params: tuple[Any, ...] = (self.version,)
        else:
            sql = (
                f"SELECT {columns} FROM sentences_fts f JOIN sentences s ON s.id = f.rowid {joined} "
                "WHERE sentences_fts MATCH ? ORDER BY s.article, s.idx"
            )
            params = (self.version, match)
        return self._refs(sql, params, keep=query.matches, limit=limit)

    def sentences_on(self, day: date) -> list[SentenceRef]:
        """Every annotated sentence with a day-precision mention of ``day``, in corpus order."""
        return self._refs(
            "SELECT s.article, s.idx, s.char_start, s.char_end, s.text FROM sentences s "
            "JOIN (SELECT DISTINCT article, sentence FROM mentions WHERE date = ? AND precision = 'day') m "
            "ON m.article = s.article AND m.sentence = s.idx "
            "JOIN annotated n ON n.article = s.article AND n.version = ? ORDER BY s.article, s.idx",
            (day.isoformat(), self.version),
        )

    def stats(self, top: int = TOP_DATES) -> CorpusStats:
        """Counts, publication range, histograms and top dates of the annotated articles, in SQL."""
        conn = self._db()
        v = (self.version,)
        annotated = "JOIN annotated n ON n.article = {}.seq AND n.version = ?"
        n, sources, first, last = conn.execute(
            "SELECT count(*), count(DISTINCT a.source), min(a.published), max(a.published) "
            f"FROM articles a {annotated.format('a')}",
            v,
        ).fetchone()
        published = conn.execute(
            f"SELECT a.published, count(*) FROM articles a {annotated.format('a')} GROUP BY a.published ORDER BY 1",
            v,
        ).fetchall()
        day_mentions = (
            "FROM mentions m JOIN annotated n ON n.article = m.article AND n.version = ? WHERE m.precision = 'day'"
        )
        mentions = conn.execute(f"SELECT m.date, count(*) {day_mentions} GROUP BY m.date ORDER BY 1", v).fetchall()
        top_dates = conn.execute(
            f"SELECT m.date, count(DISTINCT m.article) AS k {day_mentions} GROUP BY m.date "
            "ORDER BY k DESC, m.date LIMIT ?",
            (self.version, top),
        ).fetchall()
        return CorpusStats(
            articles=n,
            sources=sources,
            first_published=_day(first),
            last_published=_day(last),
            published_by_day=tuple((date.fromisoformat(d), k) for d, k in published),
            mentions_by_day=tuple((date.fromisoformat(d), k) for d, k in mentions),
            top_dates=tuple((date.fromisoformat(d), k) for d, k in top_dates),
        )

    # -- status -------------------------------------------------------------------

    def status(self) -> StoreStatus:
        """All articles (annotated or not), sources, publication range and annotation progress."""
        conn = self._db()
        articles, sources, first, last = conn.execute(
            "SELECT count(*), count(DISTINCT source), min(published), max(published) FROM articles"
        ).fetchone()
        current, other = conn.execute(
            "SELECT coalesce(sum(version = ?), 0), coalesce(sum(version != ?), 0) FROM annotated",
            (self.version, self.version),
        ).fetchone()
        (sentences,) = conn.execute("SELECT count(*) FROM sentences").fetchone()
        (mentions,) = conn.execute("SELECT count(*) FROM mentions").fetchone()
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return StoreStatus(
            path=str(self.path),
            schema_version=schema_version(conn),
            annotator_version=self.version,
            articles=articles,
            sources=sources,
            first_published=_day(first),
            last_published=_day(last),
            annotated=current,
            stale=other,
            pending=articles - current - other,
            sentences=sentences,
            mentions=mentions,
            size_bytes=size,
        )
