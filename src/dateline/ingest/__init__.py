"""Reading articles in: seed ``.txt`` files, JSON Lines, news-tls datasets and saved web pages.

``read_articles(path)`` streams :class:`dateline.model.Article` objects from a
file or a folder (any file may be gzip-compressed); ``FORMATS`` names the
readers; ``detect_format`` tells which one a path needs; bad records raise
:class:`IngestError` or, with ``on_error="skip"``, are tallied in an
:class:`IngestReport`, which also names every file passed over
(:class:`IgnoredFile`). :mod:`dateline.ingest.limits` holds the limits that
protect the process (record size, nesting, publication dates).
"""

from . import limits
from .errors import IgnoredFile, IngestError, IngestReport
from .formats import FORMATS, Reader, detect_format
from .read import read_articles

__all__ = [
    "FORMATS",
    "IgnoredFile",
    "IngestError",
    "IngestReport",
    "Reader",
    "detect_format",
    "limits",
    "read_articles",
]
