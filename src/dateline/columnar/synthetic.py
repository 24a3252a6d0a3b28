"""Synthetic corpora for rehearsing scale: many articles made from a few real ones.

Two ways, both with new content-hash ids and publication dates moved by
whole weeks (so weekdays, which the tagger reads, stay right):

* :func:`synthetic_articles` makes *articles* to annotate: copy ``k`` of an
  article gets the source ``"<source>#k"`` (a new id) and a publication date
  ``k`` weeks later. Its text is unchanged, so absolute dates in it still
  name the original year: fine for throughput, not for reading.
* :func:`replicate` makes an *annotated* corpus without annotating again: it
  copies the rows of an annotated columnar corpus with new ids, and moves
  publication dates and resolved mention dates by the same whole number of
  weeks per copy (TIMEX ``value`` strings and the text stay as they were).
  Annotating a million articles takes hours on two cores; copying their
  rows takes minutes, and what a build reads is the same shape.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..model import Article, article_id
from ..timeline.facts import RULES
from .layout import TABLES, check_schema, facts_file, facts_partitions, partition_file, partitions, write_manifest
from .write import partition_id, write_partition

__all__ = ["replicate", "synthetic_articles"]

WEEK = 7


def synthetic_articles(articles: Sequence[Article], n: int, weeks: int = 1) -> Iterator[Article]:
    """``n`` articles cycling through ``articles``; copy ``k`` (k >= 1) has a new id and is ``k * weeks`` weeks later."""
    if not articles:
        return
    for i in range(n):
        k, a = divmod(i, len(articles))
        base = articles[a]
        if k == 0:
            yield base
            continue
        source = f"{base.source or 'synthetic'}#{k}"
        shift = timedelta(days=WEEK * weeks * k)
        yield replace(
            base,
            id=article_id(base.text, source),
            source=source,
            published=base.published + shift,
            timestamp=base.timestamp + shift if base.timestamp else None,
            origin=f"{base.origin or 'synthetic'}#{k}",
        )


def _new_ids(ids: Iterable[str], k: int) -> list[str]:
    return [hashlib.sha1(f"{i}#{k}".encode()).hexdigest()[:16] for i in ids]


def _renamed(table: Any, column: str, mapping: dict[str, str]) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    old, new = pa.array(list(mapping), pa.string()), pa.array(list(mapping.values()), pa.string())
    col = table.schema.get_field_index(column)
    return table.set_column(col, column, pc.take(new, pc.index_in(table[column], value_set=old)))


def _shifted(table: Any, column: str, shift: Any) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    col = table.schema.get_field_index(column)
    moved = pc.cast(pc.add(pc.cast(table[column], pa.timestamp("s")), shift), pa.date32())
    return table.set_column(col, column, moved)


def _shifted_json(table: Any, days: int) -> Any:
    """The articles ``table`` with the dates in its ``mentions`` JSON moved by ``days``."""
    import pyarrow as pa

    if not days:
        return table

    def moved(mentions: str) -> str:
        rows = json.loads(mentions)
        for row in rows:
            if row[6] is not None:
                row[6] = (date.fromisoformat(row[6]) + timedelta(days=days)).isoformat()
        return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)

    col = table.schema.get_field_index("mentions")
    return table.set_column(col, "mentions", pa.array([moved(m) for m in table["mentions"].to_pylist()], pa.string()))


def _offset(table: Any, by: int) -> Any:
    import pyarrow as pa
    import pyarrow.compute as pc

    col = table.schema.get_field_index("pos")
    return table.set_column(col, "pos", pc.cast(pc.add(table["pos"], by), pa.int32()))


def replicate(
    source: str | os.PathLike[str], out: str | os.PathLike[str], version: str, n: int, partition_size: int | None = None
) -> int:
    """Write a columnar corpus of ``n`` articles at ``out`` from the annotated corpus ``source``; return partitions written.

    Copy ``k`` of the articles of ``source`` (k = 0, 1, ...), in partitions
    of ``partition_size`` articles (default: as in ``source``), has new
    article ids and publication and mention dates ``k`` weeks later, and
    sorts after copy ``k - 1``. The last copy is cut short so that ``out``
    holds exactly ``n`` articles.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    src, root = Path(source), Path(out)
    check_schema(src)
    write_manifest(root, {"created_by": "dateline.columnar.synthetic.replicate"})
    ids = partitions(src, version)
    # The facts (the builder's rules applied ahead) are copied too when every partition has them:
    # they depend on the text alone, which a copy keeps.
    names: tuple[str, ...] = (*TABLES, "facts") if ids and set(ids) <= facts_partitions(src, version, RULES) else TABLES
    parts = [
        {
            t: pq.read_table(facts_file(src, version, RULES, p) if t == "facts" else partition_file(src, t, version, p))
            for t in names
        }
        for p in ids
    ]
    parts.sort(key=lambda tables: tables["articles"]["ord"][0].as_py())
    if not parts or not sum(t["articles"].num_rows for t in parts):
        raise ValueError(f"{src} holds no articles annotated by {version}")
    # All of the source as one run of articles, positions counted across partitions.
    offsets, total = [], 0
    for tables in parts:
        offsets.append(total)
        total += tables["articles"].num_rows
    merged = {t: pa.concat_tables([_offset(p[t], o) for p, o in zip(parts, offsets)]) for t in names}
    size = partition_size or max(p["articles"].num_rows for p in parts)
    cuts = (
        [(o, o + p["articles"].num_rows) for p, o in zip(parts, offsets)]
        if partition_size is None
        else [(lo, min(lo + size, total)) for lo in range(0, total, size)]
    )
    written, left, k = 0, n, 0
    while left > 0:
        shift = pa.scalar(timedelta(days=WEEK * k), type=pa.duration("s"))
        for lo, hi in cuts:
            if left <= 0:
                break
            hi = min(hi, lo + left)
            articles = _offset(merged["articles"].slice(lo, hi - lo), -lo)
            # Rows are kept by article position, so a copy cut short keeps its first articles' rows.
            kept = {
                t: _offset(
                    merged[t].filter(pc.and_(pc.greater_equal(merged[t]["pos"], lo), pc.less(merged[t]["pos"], hi))),
                    -lo,
                )
                for t in names[1:]
            }
            old = articles["id"].to_pylist()
            mapping = dict(zip(old, _new_ids(old, k))) if k else {i: i for i in old}
            orders = pa.array([f"{k:06d}.{lo:09d}"] * articles.num_rows, pa.string())
            new = {
                "articles": _shifted_json(
                    _shifted(_renamed(articles, "id", mapping), "published", shift), WEEK * k
                ).set_column(articles.schema.get_field_index("ord"), "ord", orders),
                "mentions": _shifted(_renamed(kept["mentions"], "article", mapping), "date", shift),
                "terms": kept["terms"].sort_by([("term", "ascending"), ("pos", "ascending")]),
            }
            if "facts" in kept:
                new["facts"] = kept["facts"]
            write_partition(root, version, partition_id(version, [mapping[i] for i in old]), new)
            written += 1
            left -= hi - lo
        k += 1
    return written
