"""Where a columnar corpus keeps its tables, and the Parquet schema of each.

A columnar corpus is a folder::

    DIR/corpus.json                                   what this folder is (format, schema)
    DIR/articles/annotator=VERSION/part-ID.parquet    one row per article, with its sentence spans and date mentions
    DIR/mentions/annotator=VERSION/part-ID.parquet    one row per date mention (what date queries scan)
    DIR/terms/annotator=VERSION/part-ID.parquet       one row per distinct word of an article, sorted by word
    DIR/facts/annotator=VERSION/rules=RULES/part-ID.parquet
                                                      one row per article: the builder's rules applied ahead

Each table is a Hive-partitioned Parquet dataset (any Parquet reader opens
it). A partition ``ID`` is a content hash of its articles and the annotator
version, and it is *complete* once its ``articles`` file exists: that file is
renamed into place last, so readers list the articles files and ignore
the other tables' files without one. Within a partition, an article is
``pos`` (its row in the articles file); every table carries ``pos``.

The facts table holds what the timeline builder's rules say of each article
whatever the question (:mod:`dateline.timeline.facts`), under the version of
those rules (``RULES``, a hash of their source). It is not part of the
schema: a reader uses the facts of its own rules when the partition has
them, and a build applies the rules itself where it has not (a corpus
written before, or by other rules), with the same timeline.

A build reads a few articles out of many, so the files are laid out for
that: one row group per file, cut into small pages with a page index (the
articles table sorted by ``pos``, the terms table by word), statistics
only on the columns readers filter on, and dictionaries only on the columns
whose values repeat (a dictionary page is read whole before any row of its
column). A reader wanting a few articles, or
the articles naming a word, decompresses only the pages holding them, and
a file's footer is a few KB however many articles it holds. An article's
sentence spans and date mentions are JSON columns of its own row, so that
loading it is one read; the mentions table repeats the mentions for the
queries that scan dates (stats, a date window, a day's sentences).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT",
    "SCHEMA",
    "TABLES",
    "SchemaError",
    "check_schema",
    "facts_file",
    "facts_partitions",
    "is_columnar",
    "partition_file",
    "partitions",
    "version_dir",
]

FORMAT = "dateline-columnar"
# 2: sentences and mentions as JSON columns of the articles table (no sentences table), one row
# group per file with a page index, statistics only where readers filter.
SCHEMA = 2
TABLES = ("articles", "mentions", "terms")
MANIFEST = "corpus.json"


class SchemaError(ValueError):
    """The folder is a columnar corpus of another schema than this Dateline reads and writes."""


def _safe(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", version)


def version_dir(root: Path, table: str, version: str) -> Path:
    """The folder of ``table``'s partitions written by annotator ``version``."""
    return root / table / f"annotator={_safe(version)}"


def partition_file(root: Path, table: str, version: str, part: str) -> Path:
    """The Parquet file of partition ``part`` of ``table``."""
    return version_dir(root, table, version) / f"part-{part}.parquet"


def facts_file(root: Path, version: str, rules: str, part: str) -> Path:
    """The facts file of partition ``part``, as computed by the builder's rules ``rules``."""
    return version_dir(root, "facts", version) / f"rules={_safe(rules)}" / f"part-{part}.parquet"


def facts_partitions(root: Path, version: str, rules: str) -> set[str]:
    """The ids of the partitions with a facts file of ``rules``."""
    folder = facts_file(root, version, rules, "x").parent
    if not folder.is_dir():
        return set()
    return {p.name[len("part-") : -len(".parquet")] for p in folder.glob("part-*.parquet")}


def partitions(root: Path, version: str) -> list[str]:
    """The ids of the complete partitions written by ``version``, sorted."""
    folder = version_dir(root, "articles", version)
    if not folder.is_dir():
        return []
    return sorted(p.name[len("part-") : -len(".parquet")] for p in folder.glob("part-*.parquet"))


def versions(root: Path) -> list[str]:
    """Annotator versions (as folder names) that have articles in the corpus at ``root``."""
    folder = root / "articles"
    if not folder.is_dir():
        return []
    return sorted(p.name.split("=", 1)[1] for p in folder.glob("annotator=*") if any(p.glob("part-*.parquet")))


def is_columnar(path: str | os.PathLike[str]) -> bool:
    """True when ``path`` is a folder holding a columnar corpus (its ``corpus.json`` says so)."""
    try:
        manifest = json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def _schema(root: Path) -> Any:
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get("schema") if isinstance(manifest, dict) else None


def check_schema(root: Path) -> None:
    """Raise :class:`SchemaError` when the corpus at ``root`` was written in another schema than :data:`SCHEMA`."""
    found = _schema(root)
    if found != SCHEMA:
        raise SchemaError(
            f"{root} is a columnar corpus of schema {found}, and this Dateline reads and writes schema {SCHEMA}; "
            f"annotate its articles again into a new folder: dateline annotate PATH... --out NEWDIR"
        )


def write_manifest(root: Path, extra: dict[str, Any]) -> None:
    """Create ``root`` and its ``corpus.json`` (atomically) unless it is there already (then check its schema)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / MANIFEST
    if path.exists():
        check_schema(root)
        return
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".corpus-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"format": FORMAT, "schema": SCHEMA, **extra}, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
