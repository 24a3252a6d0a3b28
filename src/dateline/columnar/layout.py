"""Where a columnar corpus keeps its tables, and the Parquet schema of each.

A columnar corpus is a folder::

    DIR/corpus.json                                   what this folder is (format, schema)
    DIR/articles/annotator=VERSION/part-ID.parquet    one row per article
    DIR/sentences/annotator=VERSION/part-ID.parquet   one row per sentence (its span; the text is the article's)
    DIR/mentions/annotator=VERSION/part-ID.parquet    one row per date mention
    DIR/terms/annotator=VERSION/part-ID.parquet       one row per distinct word of an article, sorted by word

Each table is a Hive-partitioned Parquet dataset (any Parquet reader opens
it). A partition ``ID`` is a content hash of its articles and the annotator
version, and it is *complete* once its ``articles`` file exists: that file is
renamed into place last, so readers list the articles files and ignore
the other tables' files without one. Within a partition, an article is
``pos`` (its row in the articles file); every table carries ``pos`` and is
sorted by it (terms: by word), in small row groups, so a reader that wants a
few articles, or the articles naming a word, reads only the row groups
whose statistics say they hold them.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["FORMAT", "SCHEMA", "TABLES", "is_columnar", "partition_file", "partitions", "version_dir"]

FORMAT = "dateline-columnar"
SCHEMA = 1
TABLES = ("articles", "sentences", "mentions", "terms")
MANIFEST = "corpus.json"


def _safe(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", version)


def version_dir(root: Path, table: str, version: str) -> Path:
    """The folder of ``table``'s partitions written by annotator ``version``."""
    return root / table / f"annotator={_safe(version)}"


def partition_file(root: Path, table: str, version: str, part: str) -> Path:
    """The Parquet file of partition ``part`` of ``table``."""
    return version_dir(root, table, version) / f"part-{part}.parquet"


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


def write_manifest(root: Path, extra: dict[str, Any]) -> None:
    """Create ``root`` and its ``corpus.json`` (atomically) unless it is there already."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / MANIFEST
    if path.exists():
        return
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".corpus-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"format": FORMAT, "schema": SCHEMA, **extra}, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
