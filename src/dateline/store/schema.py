"""The store's schema: numbered migrations, applied in order, each in its own transaction.

``PRAGMA user_version`` holds the number of migrations applied. A migration
is only ever appended, never edited: a store written by an older Dateline is
brought forward step by step, and one written by a newer Dateline is refused
rather than misread.

* v1: articles, keyed by content hash, in the order they were added.
* v2: annotations (sentences, date mentions, the annotator version that made
  them) and full-text search over sentences (FTS5, written with them).
* v3: articles the annotator could not annotate, with the version that tried
  and why, so that one bad record is skipped rather than failing every build.
"""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SchemaError", "migrate", "schema_version"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: articles only.
    (
        """
        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY,          -- order of arrival
            id TEXT NOT NULL UNIQUE,          -- content hash (Article.id)
            name TEXT, title TEXT, url TEXT, source TEXT,
            published TEXT NOT NULL,          -- ISO date in the article's own zone
            timestamp TEXT,                   -- ISO datetime, zone kept when given
            origin TEXT,
            text TEXT NOT NULL
        )
        """,
        "CREATE INDEX articles_published ON articles(published)",
    ),
    # v2: annotations and full-text search.
    (
        """
        CREATE TABLE annotated (
            article INTEGER PRIMARY KEY REFERENCES articles(seq),
            version TEXT NOT NULL             -- Annotator.version that produced the rows below
        )
        """,
        "CREATE INDEX annotated_version ON annotated(version)",
        """
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            article INTEGER NOT NULL REFERENCES articles(seq),
            idx INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (article, idx)
        )
        """,
        """
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,           -- keeps the annotator's order
            article INTEGER NOT NULL REFERENCES articles(seq),
            sentence INTEGER NOT NULL,
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            text TEXT NOT NULL,
            type TEXT NOT NULL,
            value TEXT NOT NULL,
            date TEXT,
            precision TEXT
        )
        """,
        "CREATE INDEX mentions_article ON mentions(article)",
        "CREATE INDEX mentions_day ON mentions(date, article, sentence) WHERE precision = 'day'",
        # External content: the index holds no second copy of the text. The
        # store writes it beside the sentences, a batch per statement (rather
        # than by triggers, a row at a time: three times slower).
        # remove_diacritics 2 folds "Café" to "cafe", as a reader expects of search.
        """
        CREATE VIRTUAL TABLE sentences_fts USING fts5(
            text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        )
        """,
    ),
    # v3: annotation failures.
    (
        """
        CREATE TABLE failed (
            article INTEGER PRIMARY KEY REFERENCES articles(seq),
            version TEXT NOT NULL,            -- Annotator.version that failed: another version tries again
            reason TEXT NOT NULL              -- the error, one line
        )
        """,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(Exception):
    """The file is not a store this Dateline can read (another database, or a newer schema)."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to the database behind ``conn``."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Apply the migrations ``conn`` lacks, each in its own transaction; return the schema version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that
    the transactions here are the only ones. What decides (the version, and
    whether an unversioned file holds tables of its own) is read inside the
    write transaction, so that processes creating one store at once all see
    the same file: one applies each step, the others find it applied.
    """
    target = len(migrations)
    while True:
        # A store already at the target needs no write lock: readers open it while an ingest writes.
        current = schema_version(conn)
        if current == target:
            return current
        if current > target:
            raise SchemaError(
                f"schema version {current} is newer than this Dateline knows ({target}); upgrade Dateline"
            )
        # IMMEDIATE takes the write lock (waiting up to the busy timeout), so two processes
        # opening a new store at once cannot both apply the same step: the second re-reads.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise SchemaError("an SQLite database with tables of its own, not a Dateline store")
            if current < target:
                for statement in migrations[current]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
