"""A columnar corpus: annotations in partitioned Parquet tables, written on any engine, queried by DuckDB.

``write_columnar`` annotates input files into one (``dateline annotate
--out DIR``); ``ParquetCorpus`` reads it as a :class:`~dateline.corpus.Corpus`
(``dateline build DIR``, ``dateline serve DIR``). Needs the ``scale`` extra
(pyarrow, DuckDB; Dask for the distributed engine), imported only when used.
"""

from .corpus import ParquetCorpus
from .layout import FORMAT, is_columnar
from .write import (
    ColumnarResult,
    Partition,
    PartitionResult,
    annotate_partition,
    partition,
    present_ids,
    write_columnar,
)

__all__ = [
    "FORMAT",
    "ColumnarResult",
    "ParquetCorpus",
    "Partition",
    "PartitionResult",
    "annotate_partition",
    "is_columnar",
    "partition",
    "present_ids",
    "write_columnar",
]
