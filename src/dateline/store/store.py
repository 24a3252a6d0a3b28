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
import stat
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..annotate import Annotator, annotate_all
from ..corpus import REMEMBERED_ARTICLES, TOP_DATES, CorpusStats, Recent
from ..model import AnnotatedArticle, Article, DateMention, Precision, Sentence, SentenceRef
from ..timeline import Query
from ..timeline.furniture import HORIZON_DAYS
from .fts import fts_query
from .schema import migrate, schema_version

__all__ = ["AddResult", "AnnotationFailure", "Store", "StoreStatus", "is_store"]

_MAGIC = b"SQLite format 3\x00"
BATCH = 500
# Articles handed to one annotate_all call: bounds memory on a big backlog
# while keeping its process pool busy.
ANNOTATE_CHUNK = 2000
# Articles still to annotate by a version: neither annotated by it nor failed with it.
_TODO = (
    "LEFT JOIN annotated n ON n.article = a.seq AND n.version = ? "
    "LEFT JOIN failed f ON f.article = a.seq AND f.version = ? "
    "WHERE n.article IS NULL AND f.article IS NULL"
)
_ARTICLE_COLUMNS = "a.seq, a.id, a.text, a.published, a.name, a.title, a.url, a.source, a.timestamp, a.origin"


def is_store(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is an existing regular file starting with the SQLite header."""
    try:
        # Opened without blocking and checked on the descriptor: a FIFO named on the
        # command line would otherwise hang this check before any reader could refuse it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, len(_MAGIC)) == _MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did: articles new to the store, articles it held, and of those, whose dates changed."""

    added: int
    present: int
    updated: int = 0  # held, with another publication date or timestamp: corrected, annotated again


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
    failed: int = 0  # the current annotator could not annotate them: skipped (see Store.failures)

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
            "failed": self.failed,
        }


@dataclass(frozen=True)
class AnnotationFailure:
    """An article the annotator could not annotate: skipped by builds, kept in the store."""

    article_id: str
    name: str | None
    origin: str | None
    version: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "name": self.name,
            "origin": self.origin,
            "version": self.version,
            "reason": self.reason,
        }


REASON_CHARS = 300


def _reason(error: Exception) -> str:
    """One line naming the error, short enough for a status line."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"


def _annotate_each(
    articles: Sequence[Article], annotator: Annotator, processes: int
) -> Iterator[AnnotatedArticle | str]:
    """Each article annotated, in order, or the reason it could not be (a one-line error).

    ``annotate_all`` stops at the first article that raises. Its process pool
    hands out articles in chunks and a chunk fails whole, so the article
    where it stopped is annotated again here, alone: it either succeeds or
    raises its own error. The rest go to a fresh call: one bad article costs
    one restart.
    """
    start = 0
    while start < len(articles):
        try:
            for annotated in annotate_all(articles[start:], annotator, processes=processes):
                start += 1
                yield annotated
        except Exception:  # whatever the tagger raises on one article must not stop the rest
            try:
                outcome: AnnotatedArticle | str = annotator.annotate(articles[start])
            except Exception as e:
                outcome = _reason(e)
            start += 1
            yield outcome


@functools.lru_cache(maxsize=65536)
def _day(value: str | None) -> date | None:
    # Cached: a corpus mentions the same few thousand days over and over.
    return date.fromisoformat(value) if value else None


_PRECISION: dict[str | None, Precision | None] = {None: None, **{p.value: p for p in Precision}}


def _days_after(day: str, days: int) -> str:
    """The ISO date ``days`` after ``day``, or the calendar's last day (no date is 30 days after 9999-12-20)."""
    start = date.fromisoformat(day)
    return (start + timedelta(days=min(days, (date.max - start).days))).isoformat()


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
        self._remembered: Recent[int, AnnotatedArticle] = Recent()  # the articles read last, by seq (_annotated)
        conn = self._db()
        try:
            self._use_wal(conn)
            migrate(conn)
        except BaseException:
            self.close()
            raise

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Put the file in WAL mode, waiting up to the timeout while another process holds it."""
        # WAL lets readers (the web app) carry on while an ingest writes; it is a property
        # of the file, set outside any transaction. Switching needs the file to itself and
        # SQLite answers "database is locked" at once, without its busy wait, when another
        # process is creating or switching the same file: so wait here, with backoff.
        deadline = time.monotonic() + self._timeout
        pause = 0.001
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as e:
                if ("locked" not in str(e) and "busy" not in str(e)) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.1)

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
        """Close every connection this store opened, and forget the articles it remembered."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()
        self._remembered.clear()

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
        added = present = updated = 0
        batch: list[Article] = []
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(desc="ingesting", unit="article", leave=False)

        def flush() -> None:
            nonlocal added, present, updated
            before = conn.total_changes
            with self._transaction():
                conn.executemany(
                    "INSERT OR IGNORE INTO articles (id, name, title, url, source, published, timestamp, origin, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    map(_article_values, batch),
                )
                new = conn.total_changes - before
                updated += self._correct_dates(conn, batch)
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
        return AddResult(added, present, updated)

    def _correct_dates(self, conn: sqlite3.Connection, batch: Sequence[Article]) -> int:
        """Give held articles of ``batch`` their dates from ``batch``; drop their annotations; return how many changed.

        The same text from the same source is the same article (its id is
        their hash), so another publication date or timestamp is a correction
        of it, not another article: the last ingest decides. An annotation
        depends on the date ("yesterday"), so a corrected article is annotated
        again by the next build.
        """
        dates = {a.id: (a.published.isoformat(), a.timestamp.isoformat() if a.timestamp else None) for a in batch}
        ids = list(dates)
        changed = [
            (seq, id_)
            for seq, id_, published, timestamp in conn.execute(
                f"SELECT seq, id, published, timestamp FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            )
            if (published, timestamp) != dates[id_]
        ]
        if changed:
            conn.executemany(
                "UPDATE articles SET published = ?, timestamp = ? WHERE seq = ?",
                [(*dates[id_], seq) for seq, id_ in changed],
            )
            self._drop_annotations(conn, [seq for seq, _ in changed])
        return len(changed)

    @staticmethod
    def _drop_annotations(conn: sqlite3.Connection, seqs: Sequence[int]) -> None:
        """Remove what is stored about the annotation of articles ``seqs`` (inside the caller's transaction)."""
        among = f"article IN ({','.join('?' * len(seqs))})"
        # Out of the index first, which needs the text to remove it.
        conn.execute(
            f"INSERT INTO sentences_fts (sentences_fts, rowid, text) SELECT 'delete', id, text FROM sentences WHERE {among}",
            seqs,
        )
        for table in ("sentences", "mentions", "annotated", "failed"):
            conn.execute(f"DELETE FROM {table} WHERE {among}", seqs)

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
        """How many articles lack an annotation by ``version`` (default: the store's annotator), failures aside."""
        return int(
            self._db()
            .execute(
                f"SELECT count(*) FROM articles a {_TODO}",
                (version or self.version,) * 2,
            )
            .fetchone()[0]
        )

    def annotate(self, annotator: Annotator | None = None, processes: int = 1, progress: bool = False) -> int:
        """Annotate the articles lacking an annotation by ``annotator``'s version; return how many.

        Stale annotations (another version) are replaced. Results are written
        every :data:`BATCH` articles, so an interrupted run keeps its work. An
        article the annotator raises on is recorded as failed, with the reason
        (:meth:`failures`), and skipped; it is tried again by another annotator
        version only.
        """
        annotator = annotator or self.annotator
        version = annotator.version
        conn = self._db()
        todo = [seq for (seq,) in conn.execute(f"SELECT a.seq FROM articles a {_TODO} ORDER BY a.seq", (version,) * 2)]
        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), desc="annotating", unit="article", leave=False)
        done = 0
        batch: list[tuple[int, AnnotatedArticle | str]] = []
        basis: dict[int, tuple[str, str | None]] = {}

        def flush() -> None:
            nonlocal done, batch
            done += self._put_annotations(version, batch, basis)
            if bar is not None:
                bar.update(len(batch))
            batch = []

        try:
            for i in range(0, len(todo), ANNOTATE_CHUNK):
                chunk = todo[i : i + ANNOTATE_CHUNK]
                articles = [
                    _article(r) for j in range(0, len(chunk), BATCH) for r in self._article_rows(chunk[j : j + BATCH])
                ]
                basis.update(
                    (seq, (a.published.isoformat(), a.timestamp.isoformat() if a.timestamp else None))
                    for seq, a in zip(chunk, articles)
                )
                for seq, outcome in zip(chunk, _annotate_each(articles, annotator, processes)):
                    batch.append((seq, outcome))
                    if len(batch) >= BATCH:
                        flush()
            if batch:
                flush()
        finally:
            if bar is not None:
                bar.close()
        return done

    def failures(self, limit: int | None = None) -> list[AnnotationFailure]:
        """Articles the store's annotator version could not annotate, in the order they were added."""
        rows = self._db().execute(
            "SELECT a.id, a.name, a.origin, f.version, f.reason FROM failed f JOIN articles a ON a.seq = f.article "
            "WHERE f.version = ? ORDER BY a.seq LIMIT ?",
            (self.version, -1 if limit is None else limit),
        )
        return [AnnotationFailure(*row) for row in rows]

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

    def _put_annotations(
        self,
        version: str,
        outcomes: Sequence[tuple[int, AnnotatedArticle | str]],
        basis: dict[int, tuple[str, str | None]],
    ) -> int:
        """Write annotations, and failures (a reason in place of the annotation); return how many annotations.

        ``basis`` holds the dates each article was annotated with: an article
        whose dates an ingest corrected meanwhile keeps no annotation made
        from the old ones (it stays pending).
        """
        with self._transaction() as conn:
            asked = [seq for seq, _ in outcomes]
            current = {
                seq: (published, timestamp)
                for seq, published, timestamp in conn.execute(
                    f"SELECT seq, published, timestamp FROM articles WHERE seq IN ({','.join('?' * len(asked))})",
                    asked,
                )
            }
            outcomes = [(seq, a) for seq, a in outcomes if current.get(seq) == basis[seq]]
            if not outcomes:
                return 0
            seqs = [seq for seq, _ in outcomes]
            failed = [(seq, version, a) for seq, a in outcomes if isinstance(a, str)]
            batch = [(seq, a) for seq, a in outcomes if not isinstance(a, str)]
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
            # A stale annotation goes first.
            self._drop_annotations(conn, seqs)
            conn.executemany("INSERT INTO failed (article, version, reason) VALUES (?, ?, ?)", failed)
            conn.executemany(
                "INSERT INTO annotated (article, version) VALUES (?, ?)", [(seq, version) for seq, _ in batch]
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
        return len(batch)

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
        """Annotated articles for article rows (ordered by seq), with their sentences and mentions.

        The last ``REMEMBERED_ARTICLES`` read are kept: a server builds
        timeline after timeline from the same articles, and reading their
        sentences and mentions again was half of each build. One article
        under one annotator version is annotated the same way; an article
        whose row changed since (a corrected date, annotated again; another
        article under a seq SQLite reused) is read afresh.
        """
        by_seq = {r[0]: r for r in rows}
        found = self._remembered.find(by_seq, lambda seq, known: known.article == _article(by_seq[seq]))
        missing = [r for r in rows if r[0] not in found]
        if missing:
            read = list(zip([r[0] for r in missing], self._read_annotated(missing)))
            found.update(read)
            self._remembered.keep(read, REMEMBERED_ARTICLES)
        return [found[r[0]] for r in rows]

    def _read_annotated(self, rows: Sequence[Sequence[Any]]) -> list[AnnotatedArticle]:
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
        # A date far after the last publication is a sidebar's or a comment's, not news (see timeline.furniture).
        horizon = _days_after(last, HORIZON_DAYS) if last else date.max.isoformat()
        day_mentions = (
            "FROM mentions m JOIN annotated n ON n.article = m.article AND n.version = ? "
            "WHERE m.precision = 'day' AND m.date <= ?"
        )
        vh = (self.version, horizon)
        mentions = conn.execute(f"SELECT m.date, count(*) {day_mentions} GROUP BY m.date ORDER BY 1", vh).fetchall()
        top_dates = conn.execute(
            f"SELECT m.date, count(DISTINCT m.article) AS k {day_mentions} GROUP BY m.date "
            "ORDER BY k DESC, m.date LIMIT ?",
            (*vh, top),
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
        (failed,) = conn.execute("SELECT count(*) FROM failed WHERE version = ?", (self.version,)).fetchone()
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
            pending=articles - current - other - failed,
            sentences=sentences,
            mentions=mentions,
            size_bytes=size,
            failed=failed,
        )
