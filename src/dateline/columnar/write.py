"""Annotating articles into a columnar corpus, partition by partition, on any :class:`~dateline.engine.Engine`.

The input is read here, by the ingest readers (so a bad record fails or is
skipped exactly as in every other command). The articles not in the corpus
yet (by their content-hash ids) are cut into partitions of at most
``partition_size`` articles, in input order and across input files (a
folder of one-article files makes partitions of ``partition_size``, not one
per file), and each partition is annotated and written by a worker. So
re-running the same command after a kill only does what is missing, running
it twice writes nothing twice, and a grown feed or a folder with files added
gets partitions of its new articles only: an article is never in the corpus
twice. A partition's id is a hash of the annotator version and its
articles' ids; a worker skips a partition whose file is there (a task Dask
re-ran after its worker died).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..annotate import Annotator, annotate_all
from ..engine import Engine
from ..ingest import IngestReport, read_articles
from ..model import AnnotatedArticle, Article
from ..progress import report as report_progress
from ..text import plural
from ..timeline.facts import RULES, article_facts, to_bytes
from .layout import TABLES, facts_file, facts_partitions, partition_file, partitions, write_manifest

__all__ = [
    "ColumnarResult",
    "Partition",
    "PartitionResult",
    "FactsTask",
    "annotate_partition",
    "facts_columns",
    "facts_partition",
    "partition",
    "present_ids",
    "write_columnar",
]

PARTITION_SIZE = 1000
_LINE = re.compile(r":\d+$")


@dataclass(frozen=True)
class Partition:
    """Up to ``partition_size`` articles, to be annotated into ``out`` by ``version``."""

    id: str
    order: str  # sorts partitions in input order: where its first article is (PATH, file, record)
    out: str
    version: str
    articles: tuple[Article, ...]
    rules: str = RULES  # the client's: the builder's rules whose facts the partition gets


@dataclass(frozen=True)
class PartitionResult:
    """What a worker did with one partition."""

    id: str
    articles: int
    sentences: int
    mentions: int
    skipped: bool  # already written (by an earlier run or a retried task)


@dataclass(frozen=True)
class FactsTask:
    """A complete partition of ``out`` without the facts of this Dateline's rules: to be given them."""

    out: str
    version: str
    part: str
    rules: str = RULES  # the client's


@dataclass
class ColumnarResult:
    """What :func:`write_columnar` did, in all."""

    written: int = 0
    facts: int = 0  # partitions written before, given the facts of this Dateline's rules
    skipped: int = 0  # partitions a worker found written (a task run again)
    articles: int = 0
    sentences: int = 0
    mentions: int = 0
    present: int = 0  # articles read that the corpus already held, left as they were
    twice: int = 0  # article rows of the corpus that repeat another's id (written by an older Dateline)
    report: IngestReport = field(default_factory=IngestReport)

    def summary(self, into: str | os.PathLike[str] | None = None) -> str:
        """One human line: partitions written, articles annotated (``into`` the corpus), articles already present."""
        line = (
            f"{plural(self.written, 'partition')} written; "
            f"{plural(self.articles, 'article')} ({plural(self.sentences, 'sentence')}, "
            f"{plural(self.mentions, 'date mention')}) annotated"
        )
        if into is not None:
            line += f" into {into}"
        if self.present:
            line += f"; {self.present} already present"
        if self.skipped:
            line += f"; {plural(self.skipped, 'partition')} found written by a task run before"
        if self.facts:
            line += f"; the builder's facts added to {plural(self.facts, 'partition')} written before"
        if self.twice:
            line += (
                f"; the corpus holds {plural(self.twice, 'article')} twice, written so by an older Dateline"
                " (annotate the input into a new folder to drop the copies)"
            )
        return line


def partition_id(version: str, ids: Sequence[str]) -> str:
    """The content hash naming a partition: its annotator version and its articles' ids, in order."""
    digest = hashlib.sha1(version.encode("utf-8"))
    for i in ids:
        digest.update(b"\x00" + i.encode("ascii", "replace"))
    return digest.hexdigest()[:20]


def _file_of(article: Article) -> str:
    # origin is "path" or "path:line": a partition sorts by its first article's file and record.
    return _LINE.sub("", article.origin or "")


def partition(
    articles: Iterable[Article],
    out: str | os.PathLike[str],
    version: str,
    size: int = PARTITION_SIZE,
    prefix: str = "",
    present: Collection[str] = frozenset(),
) -> Iterator[Partition]:
    """Cut the ``articles`` not in ``present`` (ids) into partitions of at most ``size`` articles, in input order.

    A partition may hold the articles of several input files: cut per file,
    a folder of one-article files made a partition of each, and a build pays
    DuckDB's cost of a file for every one (1,460 such files built in 5.1-6.0 s
    against 3.1-3.7 s in 2 partitions). What a partition holds depends only on
    which articles are new, so an earlier run's cut points need not be kept.
    """
    batch: list[Article] = []
    order = ""
    current: str | None = None
    files = record = 0

    def emit() -> Partition:
        ids = [a.id for a in batch]
        return Partition(partition_id(version, ids), order, str(out), version, tuple(batch))

    for article in articles:
        where = _file_of(article)
        if where != current:
            if current is not None:
                files += 1
            current, record = where, 0
        else:
            record += 1
        if article.id in present:
            continue
        if not batch:
            # Where the first article is, counting the articles already present: a grown
            # feed's new partition sorts after the partitions of its first records.
            order = f"{prefix}{files:07d}.{record:09d}"
        batch.append(article)
        if len(batch) >= size:
            yield emit()
            batch = []
    if batch:
        yield emit()


def present_ids(root: str | os.PathLike[str], version: str) -> set[str]:
    """The ids of the articles that the complete partitions of ``version`` at ``root`` hold."""
    return set(_stored_ids(root, version))


def _stored_ids(root: str | os.PathLike[str], version: str) -> list[str]:
    """The id of every article row of the complete partitions of ``version`` at ``root`` (an id twice if stored twice)."""
    import pyarrow.dataset as ds

    files = [str(partition_file(Path(root), "articles", version, part)) for part in partitions(Path(root), version)]
    if not files:
        return []
    # One dataset scan reads the files on several threads (200 files of 5,000: 2.0 s against 4.4 s one by one).
    ids: list[str] = ds.dataset(files, format="parquet").to_table(columns=["id"]).column("id").to_pylist()
    return ids


_worker_annotator: Annotator | None = None


def _annotator() -> Annotator:
    # One annotator per worker process: building the tagger once is most of its start-up.
    global _worker_annotator
    if _worker_annotator is None:
        _worker_annotator = Annotator()
    return _worker_annotator


def annotate_partition(task: Partition) -> PartitionResult:
    """Annotate one partition and write its Parquet files (the articles file last); skip it if written."""
    out = Path(task.out)
    done = partition_file(out, "articles", task.version, task.id)
    if done.exists():
        return PartitionResult(task.id, len(task.articles), 0, 0, skipped=True)
    annotator = _annotator()
    if annotator.version != task.version:
        raise RuntimeError(
            f"this worker annotates as {annotator.version}, the client as {task.version}: "
            "install the same Dateline version on the client and every worker"
        )
    _check_rules(task.rules)
    annotated = list(annotate_all(task.articles, annotator))
    tables = to_tables(annotated, task.order, task.version)
    write_partition(out, task.version, task.id, tables)
    return PartitionResult(
        task.id,
        len(annotated),
        sum(len(a.sentences) for a in annotated),
        sum(len(a.mentions) for a in annotated),
        False,
    )


def _check_rules(rules: str) -> None:
    if rules != RULES:
        raise RuntimeError(
            f"this worker's timeline rules are {RULES}, the client's {rules}: "
            "install the same Dateline version on the client and every worker"
        )


def facts_partition(task: FactsTask) -> str:
    """Compute and write the facts of one complete partition's articles (written before, or by other rules)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .corpus import _LOAD_COLUMNS, _annotated

    _check_rules(task.rules)
    out = Path(task.out)
    columns = [c.strip() for c in _LOAD_COLUMNS.split(",")]
    table = pq.read_table(partition_file(out, "articles", task.version, task.part), columns=["pos", *columns])
    rows = sorted(zip(*(table[c].to_pylist() for c in ["pos", *columns])))
    annotated = [_annotated((*row[1:], None)) for row in rows]
    facts = pa.table(facts_columns(annotated), schema=_schemas()["facts"])
    _write_file(facts, facts_file(out, task.version, RULES, task.part), PARQUET["facts"])
    return task.part


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    return {
        "articles": pa.schema(
            [
                ("id", pa.string()),
                ("ord", pa.string()),
                ("pos", pa.int32()),
                ("published", pa.date32()),
                ("timestamp", pa.string()),  # ISO 8601: keeps the zone exactly as read
                ("name", pa.string()),
                ("title", pa.string()),
                ("url", pa.string()),
                ("source", pa.string()),
                ("origin", pa.string()),
                ("annotator", pa.string()),
                ("text", pa.string()),
                # JSON, so that loading an article is one read of one row: its sentences' spans
                # [[start, end], ...] (sentence i is text[start:end]), and its date mentions in the
                # annotator's order, [[sentence, start, end, text, type, value, date, precision], ...].
                ("sentences", pa.string()),
                ("mentions", pa.string()),
            ]
        ),
        "mentions": pa.schema(
            [
                ("article", pa.string()),
                ("pos", pa.int32()),
                ("seq", pa.int32()),  # the annotator's order within the article
                ("sentence", pa.int32()),
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("text", pa.string()),
                ("type", pa.string()),
                ("value", pa.string()),
                ("date", pa.date32()),
                ("precision", pa.string()),
            ]
        ),
        # The search index: each article's distinct lower-case words, sorted by word.
        "terms": pa.schema([("term", pa.string()), ("pos", pa.int32())]),
        # The builder's rules applied ahead: dateline.timeline.facts.to_bytes, one column (a build
        # pays DuckDB for every column of every file it reads).
        "facts": pa.schema([("pos", pa.int32()), ("facts", pa.binary())]),
    }


def facts_columns(annotated: Sequence[AnnotatedArticle]) -> dict[str, list[Any]]:
    """The facts table's columns for ``annotated`` (positions 0, 1, ...), their facts computed now."""
    return {"pos": list(range(len(annotated))), "facts": [to_bytes(article_facts(a)) for a in annotated]}


def _sentences_json(annotated: AnnotatedArticle) -> str:
    spans = []
    for i, s in enumerate(annotated.sentences):
        if s.index != i:  # the annotator numbers sentences 0, 1, ...: the JSON keeps only their order
            raise ValueError(f"article {annotated.article.id}: sentence {i} is numbered {s.index}")
        spans.append([s.start, s.end])
    return json.dumps(spans, separators=(",", ":"))


def _mentions_json(annotated: AnnotatedArticle) -> str:
    return json.dumps(
        [
            [
                m.sentence,
                m.start,
                m.end,
                m.text,
                m.type,
                m.value,
                _iso(m.date),
                m.precision.value if m.precision else None,
            ]
            for m in annotated.mentions
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def to_tables(annotated: Sequence[AnnotatedArticle], order: str, version: str) -> dict[str, Any]:
    """The pyarrow tables of one partition."""
    import pyarrow as pa

    arts = [a.article for a in annotated]
    terms = sorted((t, i) for i, a in enumerate(arts) for t in words(a.text))
    columns: dict[str, dict[str, list[Any]]] = {
        "articles": {
            "id": [a.id for a in arts],
            "ord": [order] * len(arts),
            "pos": list(range(len(arts))),
            "published": [a.published for a in arts],
            "timestamp": [a.timestamp.isoformat() if a.timestamp else None for a in arts],
            "name": [a.name for a in arts],
            "title": [a.title for a in arts],
            "url": [a.url for a in arts],
            "source": [a.source for a in arts],
            "origin": [a.origin for a in arts],
            "annotator": [version] * len(arts),
            "text": [a.text for a in arts],
            "sentences": [_sentences_json(a) for a in annotated],
            "mentions": [_mentions_json(a) for a in annotated],
        },
        "mentions": {
            "article": [a.article.id for a in annotated for _ in a.mentions],
            "pos": [i for i, a in enumerate(annotated) for _ in a.mentions],
            "seq": [j for a in annotated for j in range(len(a.mentions))],
            "sentence": [m.sentence for a in annotated for m in a.mentions],
            "start": [m.start for a in annotated for m in a.mentions],
            "end": [m.end for a in annotated for m in a.mentions],
            "text": [m.text for a in annotated for m in a.mentions],
            "type": [m.type for a in annotated for m in a.mentions],
            "value": [m.value for a in annotated for m in a.mentions],
            "date": [m.date for a in annotated for m in a.mentions],
            "precision": [m.precision.value if m.precision else None for a in annotated for m in a.mentions],
        },
        "terms": {"term": [t for t, _ in terms], "pos": [i for _, i in terms]},
        "facts": facts_columns(annotated),
    }
    schemas = _schemas()
    return {name: pa.table(columns[name], schema=schemas[name]) for name in (*TABLES, "facts")}


_WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    """The distinct lower-case words of ``text``: what the terms table indexes."""
    return set(_WORD.findall(text.lower()))


# How each table is written (see layout.py): one row group per file, statistics only on the columns
# readers filter on, and, where a reader picks a few rows by a sorted column, small pages with a
# page index. The first layout's footers (16-article row groups, statistics of every column, the
# text's among them) took 1 MB per 5,000 articles, read whole by every query; these take 3 KB.
# Articles: 4 rows a page, so a 1% query decompresses a few percent of the text (pages of 1 or 2
# rows make the page index the cost, of 8 or 16 the text). Terms: 4,096 words a page, of which a
# one-word lookup reads one or two.
# Dictionaries only for the columns whose values repeat: a column chunk's dictionary page is read
# whole before any of its rows, and a column of distinct values (an article's text, its id, a
# file's words) fills a first dictionary page of 1 MB before pyarrow gives up on it. Without
# those pages DuckDB reads a 1% query's articles in a third less CPU and looks a word up in a
# quarter of it, for 0.1 KB more terms per article (BENCHMARKS.md section 5).
_REPEATING = ["ord", "published", "source", "origin", "annotator"]
PARQUET: dict[str, dict[str, Any]] = {
    "articles": {
        "write_statistics": ["ord", "pos", "published"],
        "write_page_index": True,
        "max_rows_per_page": 4,
        "use_dictionary": _REPEATING,
    },
    "mentions": {"write_statistics": ["pos", "date", "precision"]},
    "terms": {
        "write_statistics": ["term"],
        "write_page_index": True,
        "max_rows_per_page": 4096,
        "use_dictionary": False,
    },
    # Facts: about 0.5 KB a row, so a page of 64 costs little to decompress for one row, and DuckDB
    # reads the 50 rows a file of a 1% query wants in a third less CPU than from pages of 4.
    "facts": {"write_statistics": ["pos"], "write_page_index": True, "max_rows_per_page": 64, "use_dictionary": False},
}


def write_partition(out: Path, version: str, part: str, tables: dict[str, Any]) -> None:
    """Write one partition's tables, each to a temporary name renamed into place, the articles table last.

    A ``facts`` table, when given, is the facts of this Dateline's rules (:data:`dateline.timeline.facts.RULES`).
    """
    names = [t for t in (*TABLES, "facts") if t != "articles" and t in tables] + ["articles"]
    for name in names:
        final = facts_file(out, version, RULES, part) if name == "facts" else partition_file(out, name, version, part)
        _write_file(tables[name], final, PARQUET[name])


def _write_file(table: Any, final: Path, options: dict[str, Any]) -> None:
    """Write ``table`` to a temporary name renamed to ``final``: a reader sees the whole file or none."""
    import pyarrow.parquet as pq

    final.parent.mkdir(parents=True, exist_ok=True)
    # A hidden name: Parquet dataset readers skip files starting with "." or "_".
    tmp = final.with_name(f".tmp-{final.stem}-{uuid.uuid4().hex[:8]}.parquet")
    try:
        pq.write_table(
            table, tmp, compression="zstd", compression_level=6, row_group_size=max(1, table.num_rows), **options
        )
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def write_columnar(
    paths: Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    engine: Engine,
    *,
    input_format: str | None = None,
    on_error: str = "fail",
    partition_size: int = PARTITION_SIZE,
    annotator: Annotator | None = None,
    report: IngestReport | None = None,
    on_partition: Callable[[PartitionResult], None] | None = None,
    progress: bool = False,
) -> ColumnarResult:
    """Annotate the articles under ``paths`` on ``engine`` into the columnar corpus ``out``.

    Raises the first :class:`~dateline.ingest.IngestError` under
    ``on_error="fail"``; the partitions completed before it stay written.
    With ``progress``, the partitions done are reported on stderr (a bar on
    a terminal, else a line every few seconds): the input streams, so how
    many there will be is not known ahead.
    """
    # The default annotator is built here once: forked pool workers inherit it ready-made.
    version = (annotator or _annotator()).version
    root = Path(out)
    write_manifest(root, {"created_by": "dateline annotate --out"})
    result = ColumnarResult(report=report if report is not None else IngestReport())
    # Held in memory, as the ids read are (to collapse duplicates across PATHs): 200 MB for a million.
    stored = _stored_ids(root, version)
    present = set(stored)
    # Dateline before this writer wrote a grown input's last partition again beside the old one.
    result.twice = len(stored) - len(present)
    del stored
    seen: set[str] = set()

    def tasks() -> Iterator[Partition]:
        for n, path in enumerate(paths):
            articles = read_articles(path, input_format=input_format, on_error=on_error, report=result.report)
            fresh = _unseen(articles, seen, result.report)
            yield from partition(
                _count_present(fresh, present, result), root, version, partition_size, f"{n:04d}.", present
            )

    results = engine.map(annotate_partition, tasks(), keys=lambda p: p.id)
    if progress:
        results = report_progress(results, f"annotating into {root}", unit="partition")
    for done in results:
        if done.skipped:
            result.skipped += 1
        else:
            result.written += 1
            result.articles += done.articles
            result.sentences += done.sentences
            result.mentions += done.mentions
        if on_partition is not None:
            on_partition(done)
    # Partitions written before without the facts of this Dateline's rules (by an older Dateline,
    # or before its rules changed) get them now: the builds of the corpus then need not apply them.
    missing = sorted(set(partitions(root, version)) - facts_partitions(root, version, RULES))
    if missing:
        added = engine.map(
            facts_partition, (FactsTask(str(root), version, p) for p in missing), keys=lambda t: f"facts-{t.part}"
        )
        if progress:
            added = report_progress(
                added, f"adding the builder's facts to {root}", unit="partition", total=len(missing)
            )
        result.facts = sum(1 for _ in added)
    return result


def _count_present(articles: Iterable[Article], present: Collection[str], result: ColumnarResult) -> Iterator[Article]:
    for a in articles:
        if a.id in present:
            result.present += 1
        yield a


def _unseen(articles: Iterable[Article], seen: set[str], report: IngestReport) -> Iterator[Article]:
    # read_articles collapses duplicates within one PATH; this does it across PATHs too.
    for a in articles:
        if a.id in seen:
            report.duplicates += 1
            report.read -= 1
            continue
        seen.add(a.id)
        yield a
