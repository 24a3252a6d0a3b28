"""Reading articles in: seed ``.txt`` files, JSON Lines, news-tls datasets and saved web pages.

``read_articles(path)`` streams :class:`dateline.model.Article` objects from a
file or a folder; ``FORMATS`` names the readers; ``detect_format`` tells which
one a path needs; bad records raise :class:`IngestError` or, with
``on_error="skip"``, are tallied in an :class:`IngestReport`.
"""

from .errors import IngestError, IngestReport
from .formats import FORMATS, Reader, detect_format
from .read import read_articles

__all__ = ["FORMATS", "IngestError", "IngestReport", "Reader", "detect_format", "read_articles"]
