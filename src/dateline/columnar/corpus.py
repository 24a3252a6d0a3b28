"""``ParquetCorpus``: a :class:`~dateline.corpus.Corpus` over a columnar corpus, queried in place by DuckDB.

Nothing is loaded up front: opening reads the articles files' footers (a
few KB each: how many articles, in which order). DuckDB (in this process)
scans the Parquet files: the query terms and the date window are filters
of that scan, and only the articles they select are turned into Python
objects, so memory follows the selection, not the corpus. Query terms are
looked up in the corpus's own terms table (each article's distinct words,
sorted, so the page index skips all but the words' range; DuckDB's
full-text extension cannot be installed offline), and the candidates are
confirmed with :meth:`Query.matches`, as the store confirms its FTS5 hits.
An article is loaded from its one row (its sentences and mentions are
JSON columns of it), and only the pages holding the chosen rows are read.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..annotate import Annotator
from ..corpus import REMEMBERED_ARTICLES, TOP_DATES, CorpusStats, Recent, search_sentences
from ..heap import gc_paused
from ..model import AnnotatedArticle, Article, DateMention, Precision, SentenceRef, Sentences
from ..timeline import Query
from ..timeline.evidence import check_precision
from ..timeline.facts import RULES, from_bytes
from ..timeline.furniture import HORIZON_DAYS
from .layout import MANIFEST, TABLES, check_schema, facts_file, facts_partitions, partition_file, partitions, versions

__all__ = ["ParquetCorpus"]

BATCH = 1000
# Files per DuckDB query when loading articles (one scan each, with its own positions), and
# queries at once (``threads`` when given).
FILES_PER_QUERY = 64
FETCH_LANES = 2
Key = tuple[str, int]  # (partition id, row of the article in its partition)
_WORD_START = re.compile(r"\w+")
_LOAD_COLUMNS = "id, published, timestamp, name, title, url, source, origin, text, sentences, mentions"
_FACTS_COLUMNS = "facts"
_PRECISION: dict[str | None, Precision | None] = {None: None, **{p.value: p for p in Precision}}


def _like(term: str) -> str:
    # A LIKE pattern for the term anywhere, with LIKE's own wildcards taken literally.
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _quote(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def _annotated(row: Sequence[Any], mentions: bool = True) -> AnnotatedArticle:
    """An article from its row (``_LOAD_COLUMNS``, then its facts or None); without ``mentions``, with its sentences
    but no date mentions."""
    id_, published, timestamp, name, title, url, source, origin, text, sentences, mentions_json, facts = row
    article = Article(
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
    return AnnotatedArticle(
        article=article,
        sentences=Sentences(text, json.loads(sentences)),
        mentions=tuple(
            DateMention(s, e, t, ty, v, sent, date.fromisoformat(d) if d else None, _PRECISION[p])
            for sent, s, e, t, ty, v, d, p in json.loads(mentions_json)
        )
        if mentions
        else (),
        facts=None if facts is None else from_bytes(facts[0]),
    )


class ParquetCorpus:
    """The columnar corpus at ``path`` (written by ``dateline annotate --out``), as annotated by ``annotator``.

    Like a store, it serves the annotations of one annotator version (the
    current one by default); :attr:`other_versions` names any others present.
    A corpus written in another layout (:data:`~dateline.columnar.layout.SCHEMA`)
    raises :class:`~dateline.columnar.layout.SchemaError`.
    """

    def __init__(self, path: str | os.PathLike[str], *, annotator: Annotator | None = None, threads: int | None = None):
        import duckdb

        self.path = Path(path)
        if (self.path / MANIFEST).exists():
            check_schema(self.path)
        self.annotator = annotator or Annotator()  # kept so that another process can open the same view
        self.version = self.annotator.version
        self.other_versions = [v for v in versions(self.path) if v != self.version]
        parts = partitions(self.path, self.version)
        self._db = duckdb.connect(":memory:")
        if threads:
            self._db.execute(f"SET threads = {int(threads)}")
        self._lanes = int(threads) if threads else FETCH_LANES
        self._lock = threading.Lock()
        # The articles loaded last, each with whether its mentions are in it (see _load).
        self._remembered: Recent[Key, tuple[AnnotatedArticle, bool]] = Recent()
        self._empty = not parts
        self._files: dict[str, dict[str, str]] = {
            t: {p: str(partition_file(self.path, t, self.version, p)) for p in parts} for t in TABLES
        }
        # The builder's rules applied ahead, where the partitions have them for this Dateline's rules.
        self._facts = {
            p: str(facts_file(self.path, self.version, RULES, p))
            for p in facts_partitions(self.path, self.version, RULES) & set(parts)
        }
        self._rank: dict[str, int] = {}
        self._size: dict[str, int] = {}
        if self._empty:
            return
        for table in TABLES:
            # Only complete partitions (their articles file written) are listed: a killed
            # writer's other files without one stay invisible.
            listing = ", ".join(_quote(f) for f in self._files[table].values())
            self._db.execute(
                f"CREATE VIEW {table} AS SELECT *, regexp_extract(filename, 'part-([0-9a-f]+)[.]parquet$', 1) AS part "
                f"FROM read_parquet([{listing}], filename = true)"
            )
        # Sizes and input order from the footers alone (ord is one value per partition, in its statistics).
        listing = ", ".join(_quote(f) for f in self._files["articles"].values())
        part_of = {f: p for p, f in self._files["articles"].items()}
        meta = self._rows(
            f"SELECT m.file_name, f.num_rows, m.stats_min_value FROM parquet_metadata([{listing}]) AS m "
            f"JOIN parquet_file_metadata([{listing}]) AS f USING (file_name) WHERE m.path_in_schema = 'ord'"
        )
        self._size = {part_of[f]: n for f, n, _ in meta}
        order = {part_of[f]: o for f, _, o in meta}
        self._rank = {p: i for i, p in enumerate(sorted(order, key=lambda p: (order[p], p)))}

    def close(self) -> None:
        """Close the DuckDB connection, and forget the articles remembered."""
        self._db.close()
        self._remembered.clear()

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

    def _sorted(self, keys: Iterable[Key]) -> list[Key]:
        """Keys in corpus order (partitions in input order, then rows), each once."""
        return sorted(set(keys), key=lambda k: (self._rank[k[0]], k[1]))

    # -- loading annotated articles -------------------------------------------

    def _fetch(self, keys: Sequence[Key]) -> dict[Key, tuple[Any, ...]]:
        """The rows (``_LOAD_COLUMNS``, then the facts or None) of the articles ``keys``, reading only the pages that hold them."""
        by_part: dict[str, list[int]] = defaultdict(list)
        for part, pos in keys:
            by_part[part].append(pos)
        # One scan per file, each with its own positions, so that DuckDB can skip every page
        # whose pos statistics miss them.
        rows: dict[Key, tuple[Any, ...]] = {}
        known: dict[Key, tuple[Any, ...]] = {}
        where = {part: ", ".join(map(str, sorted(set(positions)))) for part, positions in by_part.items()}
        articles = [
            f"SELECT '{part}', pos, {_LOAD_COLUMNS} FROM read_parquet({_quote(self._files['articles'][part])}) "
            f"WHERE pos IN ({where[part]})"
            for part in sorted(where)
        ]
        # Their facts, where the partition has them: the same rows of another file.
        facts = [
            f"SELECT '{part}', pos, {_FACTS_COLUMNS} FROM read_parquet({_quote(self._facts[part])}) "
            f"WHERE pos IN ({where[part]})"
            for part in sorted(where)
            if part in self._facts
        ]
        # DuckDB runs one query's scans of many files on about one core (measured: 200 files took
        # 3.7 s as one query per 64 files, 2.2 s as two such streams at once): the files are read
        # by a few queries at once, each on its own cursor. A query reads files of one table only.
        lanes = [
            [
                (into, " UNION ALL ".join(share[j : j + FILES_PER_QUERY]))
                for into, share in ((rows, articles[i :: self._lanes]), (known, facts[i :: self._lanes]))
                for j in range(0, len(share), FILES_PER_QUERY)
            ]
            for i in range(self._lanes)
        ]

        Read = list[tuple[dict[Key, tuple[Any, ...]], list[tuple[Any, ...]]]]

        def read(lane: list[tuple[dict[Key, tuple[Any, ...]], str]]) -> Read:
            with self._lock:
                cursor = self._db.cursor()
            try:
                return [(into, cursor.execute(query).fetchall()) for into, query in lane]
            finally:
                cursor.close()

        lanes = [lane for lane in lanes if lane]
        if len(lanes) == 1:
            results = [read(lanes[0])]
        else:
            with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
                results = list(pool.map(read, lanes))
        for into, found in (pair for lane in results for pair in lane):
            into.update(((r[0], r[1]), r[2:]) for r in found)
        # Each row ends with its facts (None without).
        return {k: (*row, known.get(k)) for k, row in rows.items()}

    def _batches(self, keys: Sequence[Key]) -> Iterator[tuple[Sequence[Key], dict[Key, tuple[Any, ...]]]]:
        """``keys`` in batches, each with its rows; DuckDB reads the next batch while the caller works on this one."""
        chunks = [keys[i : i + BATCH] for i in range(0, len(keys), BATCH)]
        if len(chunks) < 2:
            yield from ((chunk, self._fetch(chunk)) for chunk in chunks)
            return
        # DuckDB releases the GIL while it reads, so its work and the Python objects made of
        # the previous batch's rows share the cores.
        with ThreadPoolExecutor(max_workers=1) as pool:
            ahead = pool.submit(self._fetch, chunks[0])
            for i, chunk in enumerate(chunks):
                rows = ahead.result()
                if i + 1 < len(chunks):
                    ahead = pool.submit(self._fetch, chunks[i + 1])
                yield chunk, rows

    def _load(
        self,
        keys: Sequence[Key],
        full: frozenset[Key] | set[Key] | None = None,
        keep: Callable[[str], bool] | None = None,
    ) -> list[AnnotatedArticle]:
        """The articles ``keys`` (in that order); those outside ``full`` without their date mentions.

        With ``keep``, an article whose text it refuses is left out, before its
        annotations are parsed. The last ``REMEMBERED_ARTICLES`` loaded are
        kept and not read again: a server builds timeline after timeline from
        the same articles, and a partition never changes once written.
        """
        with gc_paused():
            wanted = (lambda k: True) if full is None else full.__contains__
            # Remembered without its mentions and wanted with them: read again.
            held = self._remembered.find(keys, lambda k, hit: hit[1] or not wanted(k))
            found = {
                k: annotated if wanted(k) or not whole else replace(annotated, mentions=())
                for k, (annotated, whole) in held.items()
                if keep is None or keep(annotated.article.text)
            }
            missing = [k for k in keys if k not in held]
            for chunk, rows in self._batches(missing):
                read = [
                    (k, (_annotated(rows[k], wanted(k)), wanted(k))) for k in chunk if keep is None or keep(rows[k][8])
                ]
                found.update((k, annotated) for k, (annotated, _) in read)
                self._remembered.keep(read, REMEMBERED_ARTICLES)
            return [found[k] for k in keys if k in found]

    def _keys(self, where: str | None = None, params: Sequence[Any] = ()) -> list[Key]:
        """Keys of the articles matching an SQL condition on the articles table (all without one), in corpus order."""
        if self._empty:
            return []
        if where is None:  # every row of every partition: known from the footers
            return [(p, i) for p in sorted(self._rank, key=self._rank.__getitem__) for i in range(self._size[p])]
        return self._sorted((r[0], r[1]) for r in self._rows(f"SELECT part, pos FROM articles WHERE {where}", params))

    def _matching(self, query: Query) -> list[Key]:
        """Keys of the articles that may name a query term (a superset), in corpus order, from the terms table."""
        if self._empty:
            return []
        keys: set[Key] = set()
        for term in query.terms:
            first = _WORD_START.match(term.lower())
            if first is None:
                # A term that starts with no word character has no word to look up: scan the text.
                keys.update(self._keys("text ILIKE ? ESCAPE '\\'", [_like(term)]))
                continue
            # A term named at a word start begins a word of the article with the term's first word:
            # a range on the sorted terms, which row-group statistics prune.
            prefix = first.group(0)
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            keys.update(
                (r[0], r[1])
                for r in self._rows(
                    "SELECT DISTINCT part, pos FROM terms WHERE term >= ? AND term < ?", [prefix, upper]
                )
            )
        return self._sorted(keys)

    # -- the Corpus interface -----------------------------------------------------

    def __len__(self) -> int:
        return sum(self._size.values())

    def __iter__(self) -> Iterator[AnnotatedArticle]:
        for chunk, rows in self._batches(self._keys()):
            yield from (_annotated(rows[k]) for k in chunk)

    def get(self, article_id: str) -> AnnotatedArticle | None:
        """One article by id, or None."""
        keys = self._keys("id = ?", [article_id])
        return self._load(keys[:1])[0] if keys else None

    def select(self, query: Query | None = None) -> list[AnnotatedArticle]:
        """The articles naming a query term (all without a query); terms are looked up in the terms table."""
        return self.select_window(query)

    def select_window(
        self,
        query: Query | None = None,
        start: date | None = None,
        end: date | None = None,
        precision: str = "day",
    ) -> list[AnnotatedArticle]:
        """:meth:`select`, with the date mentions loaded only of articles with evidence in ``[start, end]``.

        An article whose day-precision mentions and publication days all fall
        outside the window adds no evidence to any date of a timeline of that
        window: it comes without its mentions, so the timeline is the one
        :meth:`select` would give. It keeps its text (the query's relevance
        and the corpus size the builder sees count it) and its sentences: an
        outlet's template is told first in its earliest article, which may be
        before the window (:func:`~dateline.timeline.furniture.find_templates`). With
        ``precision="any"`` (a timeline whose entries may be months and years),
        an article naming a month or a year that overlaps the window has
        evidence in it too.
        """
        check_precision(precision)
        keys = self._keys() if query is None else self._matching(query)
        full: set[Key] | None = None
        if keys and (start is not None or end is not None):
            lo, hi = start or date.min, end or date.max
            # News of a day is published that day or the next (evidence.PUBLICATION_DAYS).
            hi_pub = hi if hi == date.max else hi + timedelta(days=1)
            sql = (
                "SELECT part, pos FROM articles WHERE published BETWEEN ? AND ? "
                "UNION SELECT part, pos FROM mentions WHERE precision = 'day' AND date BETWEEN ? AND ?"
            )
            params: list[Any] = [lo, hi_pub, lo, hi]
            if precision == "any":
                # A month or a year is a date of the window when it overlaps it (evidence.collect_evidence).
                sql += (
                    " UNION SELECT part, pos FROM mentions WHERE precision = 'month' "
                    "AND date_trunc('month', date) <= ? AND last_day(date) >= ?"
                    " UNION SELECT part, pos FROM mentions WHERE precision = 'year' "
                    "AND date_trunc('year', date) <= ? AND year(date) >= ?"
                )
                params += [hi, lo, hi, lo.year]
            full = {(r[0], r[1]) for r in self._rows(sql, params)}.intersection(keys)
        # The candidates of a query are confirmed on their text before their annotations are parsed.
        return self._load(keys, full, None if query is None else query.matches)

    def search(self, query: Query, limit: int = 100) -> list[SentenceRef]:
        """Sentences naming a query term, in corpus order, at most ``limit``."""
        keys = self._matching(query)
        # Loaded 100 at a time, so a search that fills its limit early reads no more.
        batches = (a for i in range(0, len(keys), 100) for a in self._load(keys[i : i + 100]))
        return search_sentences(batches, query, limit)

    def sentences_on(self, day: date) -> list[SentenceRef]:
        """Every sentence with a day-precision mention of ``day``, in corpus order."""
        if self._empty:
            return []
        rows = self._rows(
            "SELECT DISTINCT part, pos, sentence FROM mentions WHERE date = ? AND precision = 'day'", [day]
        )
        keys = self._sorted((r[0], r[1]) for r in rows)
        loaded = dict(zip(keys, self._load(keys)))
        by_key: dict[Key, list[int]] = defaultdict(list)
        for part, pos, sentence in rows:
            by_key[part, pos].append(sentence)
        return [loaded[k].ref(i) for k in keys for i in sorted(by_key[k])]

    def stats(self, top: int = TOP_DATES) -> CorpusStats:
        """Counts, publication range, histograms and top dates, computed by DuckDB on the Parquet files."""
        if self._empty:
            return CorpusStats(0, 0, None, None, (), (), ())
        n, sources, first, last = self._rows(
            "SELECT count(*), count(DISTINCT source), min(published), max(published) FROM articles"
        )[0]
        published = self._rows("SELECT published, count(*) FROM articles GROUP BY 1 ORDER BY 1")
        # A date far after the last publication is a sidebar's or a comment's, not news (see timeline.furniture);
        # clamped, as the store's, because no date is 30 days after 9999-12-20.
        horizon = last + timedelta(days=min(HORIZON_DAYS, (date.max - last).days)) if last else date.max
        day = "FROM mentions WHERE precision = 'day' AND date <= ?"
        mentions = self._rows(f"SELECT date, count(*) {day} GROUP BY 1 ORDER BY 1", [horizon])
        top_dates = self._rows(
            f"SELECT date, count(DISTINCT article) AS k {day} GROUP BY 1 ORDER BY k DESC, date LIMIT ?", [horizon, top]
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
