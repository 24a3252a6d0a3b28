"""``ParquetCorpus``: a :class:`~dateline.corpus.Corpus` over a columnar corpus, queried in place by DuckDB.

Nothing is loaded up front. DuckDB (in this process) scans the Parquet
files: the query terms and the date window are filters of that scan, and
only the articles they select are turned into Python objects, so memory
follows the selection, not the corpus. Terms are pre-filtered with
case-insensitive substring tests (DuckDB's full-text extension cannot be
installed offline, and a per-article term table would outweigh the text);
the matches are then confirmed with :meth:`Query.matches`, as the store
confirms its FTS5 hits.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..annotate import Annotator
from ..corpus import TOP_DATES, CorpusStats
from ..model import AnnotatedArticle, Article, DateMention, Precision, Sentence, SentenceRef
from ..timeline import Query
from .layout import partition_file, partitions, versions

__all__ = ["ParquetCorpus"]

BATCH = 2000
_ARTICLE_COLUMNS = "id, published, timestamp, name, title, url, source, origin, text"
_PRECISION: dict[str | None, Precision | None] = {None: None, **{p.value: p for p in Precision}}


def _like(term: str) -> str:
    # A LIKE pattern for the term anywhere, with LIKE's own wildcards taken literally.
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _article(row: Sequence[Any]) -> Article:
    id_, published, timestamp, name, title, url, source, origin, text = row
    return Article(
        id=id_,
        text=text,
        published=published,
        name=name,
        title=title,
        url=url,
        source=source,
        timestamp=datetime.fromisoformat(timestamp) if timestamp else None,
        origin=origin,
    )


class ParquetCorpus:
    """The columnar corpus at ``path`` (written by ``dateline annotate --out``), as annotated by ``annotator``.

    Like a store, it serves the annotations of one annotator version (the
    current one by default); :attr:`other_versions` names any others present.
    """

    def __init__(self, path: str | os.PathLike[str], *, annotator: Annotator | None = None, threads: int | None = None):
        import duckdb

        self.path = Path(path)
        self.version = (annotator or Annotator()).version
        self.other_versions = [v for v in versions(self.path) if v != self.version]
        parts = partitions(self.path, self.version)
        self._db = duckdb.connect(":memory:")
        if threads:
            self._db.execute(f"SET threads = {int(threads)}")
        self._lock = threading.Lock()
        self._empty = not parts
        for table in ("articles", "sentences", "mentions"):
            if self._empty:
                continue
            # Only complete partitions (their articles file written) are listed: a killed
            # writer's sentence or mention files without one stay invisible.
            files = [str(partition_file(self.path, table, self.version, p)) for p in parts]
            listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
            self._db.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{listing}])")

    def close(self) -> None:
        """Close the DuckDB connection."""
        self._db.close()

    def __enter__(self) -> ParquetCorpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ParquetCorpus({str(self.path)!r})"

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        # One DuckDB connection, shared by the web app's threads: a cursor each, one at a time.
        with self._lock:
            return self._db.cursor().execute(sql, list(params)).fetchall()

    # -- loading annotated articles -------------------------------------------

    def _load(self, ids: Sequence[str], full: frozenset[str] | None = None) -> list[AnnotatedArticle]:
        """The articles ``ids`` (in that order); those outside ``full`` without sentences and mentions."""
        if not ids:
            return []
        out: list[AnnotatedArticle] = []
        for i in range(0, len(ids), BATCH):
            chunk = list(ids[i : i + BATCH])
            with_annotations = chunk if full is None else [x for x in chunk if x in full]
            with self._lock:
                cur = self._db.cursor()
                cur.execute("CREATE OR REPLACE TEMP TABLE _want (id VARCHAR)")
                cur.executemany("INSERT INTO _want VALUES (?)", [(x,) for x in chunk])
                rows = {
                    r[0]: r
                    for r in cur.execute(
                        f"SELECT {_ARTICLE_COLUMNS} FROM articles SEMI JOIN _want USING (id)"
                    ).fetchall()
                }
                sentences: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
                mentions: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
                if with_annotations:
                    cur.execute("CREATE OR REPLACE TEMP TABLE _full (id VARCHAR)")
                    cur.executemany("INSERT INTO _full VALUES (?)", [(x,) for x in with_annotations])
                    for article, idx, start, end in cur.execute(
                        'SELECT s.article, s.idx, s.start, s."end" FROM sentences s SEMI JOIN _full f ON s.article = f.id '
                        "ORDER BY s.article, s.idx"
                    ).fetchall():
                        sentences[article].append((idx, start, end))
                    for row in cur.execute(
                        'SELECT m.article, m.sentence, m.start, m."end", m.text, m.type, m.value, m.date, m.precision '
                        "FROM mentions m SEMI JOIN _full f ON m.article = f.id ORDER BY m.article, m.pos"
                    ).fetchall():
                        mentions[row[0]].append(row[1:])
            for x in chunk:
                article = _article(rows[x])
                text = article.text
                out.append(
                    AnnotatedArticle(
                        article=article,
                        sentences=tuple(Sentence(idx, s, e, text[s:e]) for idx, s, e in sentences.get(x, ())),
                        mentions=tuple(
                            DateMention(s, e, t, ty, v, sent, d, _PRECISION[p])
                            for sent, s, e, t, ty, v, d, p in mentions.get(x, ())
                        ),
                    )
                )
        return out

    def _ids(self, where: str = "TRUE", params: Sequence[Any] = ()) -> list[str]:
        """Article ids matching an SQL condition on the articles table, in corpus order."""
        if self._empty:
            return []
        return [r[0] for r in self._rows(f"SELECT id FROM articles WHERE {where} ORDER BY ord, pos", params)]

    @staticmethod
    def _terms(query: Query) -> tuple[str, list[str]]:
        return " OR ".join(["text ILIKE ? ESCAPE '\\'"] * len(query.terms)), [_like(t) for t in query.terms]

    # -- the Corpus interface -----------------------------------------------------

    def __len__(self) -> int:
        return 0 if self._empty else self._rows("SELECT count(*) FROM articles")[0][0]

    def __iter__(self) -> Iterator[AnnotatedArticle]:
        ids = self._ids()
        for i in range(0, len(ids), BATCH):
            yield from self._load(ids[i : i + BATCH])

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One article by id, or None."""
        if self._empty or not self._rows("SELECT 1 FROM articles WHERE id = ? LIMIT 1", [article_id]):
            return None
        return self._load([article_id])[0]

    def select(self, query: Query | None = None) -> list[AnnotatedArticle]:
        """The articles naming a query term (all without a query); terms filter the Parquet scan."""
        return self.select_window(query)

    def select_window(
        self, query: Query | None = None, start: date | None = None, end: date | None = None
    ) -> list[AnnotatedArticle]:
        """:meth:`select`, with the sentences and mentions loaded only of articles with evidence in ``[start, end]``.

        An article whose day-precision mentions and publication days all fall
        outside the window adds nothing to any date of a timeline of that
        window: it comes without sentences and mentions (its text still counts
        for the query's relevance and the corpus size the builder sees), so
        the timeline is the one :meth:`select` would give.
        """
        if query is None:
            ids = self._ids()
        else:
            where, params = self._terms(query)
            ids = self._ids(where, params)
        full: frozenset[str] | None = None
        if ids and (start is not None or end is not None):
            lo, hi = start or date.min, end or date.max
            # News of a day is published that day or the next (evidence.PUBLICATION_DAYS).
            hi_pub = hi if hi == date.max else hi + timedelta(days=1)
            with self._lock:
                cur = self._db.cursor()
                cur.execute("CREATE OR REPLACE TEMP TABLE _cand (id VARCHAR)")
                cur.executemany("INSERT INTO _cand VALUES (?)", [(x,) for x in ids])
                inside = cur.execute(
                    "SELECT id FROM articles SEMI JOIN _cand USING (id) WHERE published BETWEEN ? AND ? "
                    "UNION SELECT DISTINCT m.article FROM mentions m SEMI JOIN _cand c ON m.article = c.id "
                    "WHERE m.precision = 'day' AND m.date BETWEEN ? AND ?",
                    [lo, hi_pub, lo, hi],
                ).fetchall()
            full = frozenset(r[0] for r in inside)
        found = self._load(ids, full)
        if query is None:
            return found
        return [a for a in found if query.matches(a.article.text)]

    def search(self, query: Query, limit: int = 100) -> list[SentenceRef]:
        """Sentences naming a query term, in corpus order, at most ``limit``."""
        where, params = self._terms(query)
        ids = self._ids(where, params)
        hits: list[SentenceRef] = []
        for i in range(0, len(ids), 100):
            for a in self._load(ids[i : i + 100]):
                for s in a.sentences:
                    if query.matches(s.text):
                        hits.append(a.ref(s.index))
                        if len(hits) >= limit:
                            return hits
        return hits

    def sentences_on(self, day: date) -> list[SentenceRef]:
        """Every sentence with a day-precision mention of ``day``, in corpus order."""
        if self._empty:
            return []
        rows = self._rows(
            "SELECT DISTINCT m.article, m.sentence, a.ord, a.pos FROM mentions m JOIN articles a ON a.id = m.article "
            "WHERE m.date = ? AND m.precision = 'day' ORDER BY a.ord, a.pos, m.sentence",
            [day],
        )
        order = list(dict.fromkeys(r[0] for r in rows))
        loaded = {a.article.id: a for a in self._load(order)}
        return [loaded[article].ref(sentence) for article, sentence, _, _ in rows]

    def stats(self, top: int = TOP_DATES) -> CorpusStats:
        """Counts, publication range, histograms and top dates, computed by DuckDB on the Parquet files."""
        if self._empty:
            return CorpusStats(0, 0, None, None, (), (), ())
        n, sources, first, last = self._rows(
            "SELECT count(*), count(DISTINCT source), min(published), max(published) FROM articles"
        )[0]
        published = self._rows("SELECT published, count(*) FROM articles GROUP BY 1 ORDER BY 1")
        day = "FROM mentions WHERE precision = 'day'"
        mentions = self._rows(f"SELECT date, count(*) {day} GROUP BY 1 ORDER BY 1")
        top_dates = self._rows(
            f"SELECT date, count(DISTINCT article) AS k {day} GROUP BY 1 ORDER BY k DESC, date LIMIT ?", [top]
        )
        return CorpusStats(
            articles=n,
            sources=sources,
            first_published=first,
            last_published=last,
            published_by_day=tuple((d, k) for d, k in published),
            mentions_by_day=tuple((d, k) for d, k in mentions),
            top_dates=tuple((d, k) for d, k in top_dates),
        )
