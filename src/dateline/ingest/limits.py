"""Limits that protect the process from input that would exhaust memory, the stack or the calendar.

Each is documented in the README ("Limits"); input beyond one is an
:class:`~dateline.ingest.IngestError` that names the file, the line and the
limit. They are read at call time, so a test (or a user with unusual data)
may lower or raise them: ``dateline.ingest.limits.MAX_RECORD_BYTES = ...``.
"""

from __future__ import annotations

from datetime import date

__all__ = ["EARLIEST_PUBLISHED", "LATEST_PUBLISHED", "MAX_NESTING", "MAX_RECORD_BYTES"]

# One record: a JSONL line, or a whole seed or HTML file (after decompression).
# 64 MiB holds any real article many times over (a 50 MB one reads fine) and
# bounds what one line of a file that never ends (a symlink to /dev/zero
# renamed, a gzip bomb) can make us hold.
MAX_RECORD_BYTES = 64 * 1024 * 1024

# JSON nesting depth of one record. An article is an object of strings (news-tls's
# preprocessed files nest 6 deep); json's recursive parser would otherwise fail with
# a RecursionError whose depth depends on the caller's stack.
MAX_NESTING = 100

# Publication dates outside these are refused: annotation moves dates by up to
# temporal's MAX_RELATIVE_AMOUNT (10,000) months (833 years) and the builder looks
# days around each publication date, and both must stay inside the years 1-9999
# that Python's dates hold.
EARLIEST_PUBLISHED = date(1000, 1, 1)
LATEST_PUBLISHED = date(8999, 12, 31)
