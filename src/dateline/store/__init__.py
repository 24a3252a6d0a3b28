"""The embedded store: a story's articles and annotations in one SQLite file that grows over time.

``dateline ingest story.db PATH...`` adds articles, ``dateline build story.db``
annotates only what is new and builds, ``dateline stats story.db`` says what
is there. :class:`Store` is a :class:`~dateline.corpus.Corpus`.
"""

from .fts import fts_query
from .schema import MIGRATIONS, SCHEMA_VERSION, SchemaError
from .store import AddResult, AnnotationFailure, Store, StoreStatus, is_store

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AddResult",
    "AnnotationFailure",
    "SchemaError",
    "Store",
    "StoreStatus",
    "fts_query",
    "is_store",
]
