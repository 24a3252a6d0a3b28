"""The corpus a running ``dateline serve`` answers from: loading at first, then growing with its store.

The server listens before the corpus is annotated (a few hundred articles
take tens of seconds cold), so the corpus is loaded on a thread of its own
and :meth:`LiveCorpus.status` says how far it got. A store may be ingested
into while it is served: a cheap check (SQLite's ``PRAGMA data_version`` on
a read-only connection of our own, which changes whenever another
connection commits) runs at most every ``interval`` seconds, on a worker
thread, never on a request; when the file changed, what is new is
annotated there too, and :attr:`generation` moves on so that every cache
keyed by it is out of date.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..annotate import AnnotationCache, Annotator, annotate_all
from ..corpus import Corpus, MemoryCorpus
from ..model import AnnotatedArticle, Article
from ..store import Store

__all__ = ["LiveCorpus", "LoadStatus", "NotReady"]

log = logging.getLogger("dateline.web")
WATCH_INTERVAL = 2.0  # seconds between two checks of a store for new articles


class NotReady(Exception):
    """The corpus is still loading, or failed to load; the message says which and how far."""

    def __init__(self, message: str, failed: bool = False):
        super().__init__(message)
        self.message = message
        self.failed = failed


@dataclass(frozen=True)
class LoadStatus:
    """What ``/api/status`` says: whether the corpus is served yet, and the progress of the work on it."""

    state: str  # "loading", "ready" or "failed"
    phase: str | None  # "annotating" (before the first answer), "updating" (new articles, old ones served), None
    done: int
    total: int
    articles: int | None  # articles served now (None while loading)
    generation: int  # moves on whenever the served articles change
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "articles": self.articles,
            "generation": self.generation,
            "error": self.error,
        }


class LiveCorpus:
    """A corpus that may still be loading and may grow; :meth:`current` gives the one to answer from.

    With ``owns``, the corpus is this object's to close: :meth:`close` closes
    it (a store's connections, a columnar corpus's DuckDB connection). Without,
    it stays its caller's, open after :meth:`close`.
    """

    def __init__(
        self,
        corpus: Corpus | None = None,
        *,
        processes: int = 1,
        interval: float = WATCH_INTERVAL,
        owns: bool = False,
    ):
        self._lock = threading.Lock()
        self._corpus = corpus
        self._owns = owns
        self._closed = False
        self._generation = 0
        self._phase: str | None = None
        self._done = 0
        self._total = 0
        self._error: str | None = None
        self._processes = processes
        self._interval = interval
        self._busy = False
        self._last_check = time.monotonic()
        self._thread: threading.Thread | None = None
        self._count = len(corpus) if corpus is not None else 0
        self._store = corpus if isinstance(corpus, Store) else None
        self._listeners: list[Callable[[int], None]] = []
        self._version_conn: sqlite3.Connection | None = None
        self._data_version: int | None = None
        if self._store is not None:
            self._data_version = self._read_data_version()
            pending = self._store.pending()
            if pending:
                # Serve what is annotated and annotate the rest meanwhile; with
                # nothing annotated yet, the store is loading until that is done.
                if self._count == 0:
                    self._corpus = None
                self._phase = "annotating" if self._count == 0 else "updating"
                self._total = pending
                self._start(self._update)

    # -- construction ---------------------------------------------------------------

    @classmethod
    def annotating(
        cls,
        articles: Sequence[Article],
        annotator: Annotator | None = None,
        *,
        cache: AnnotationCache | None = None,
        processes: int = 1,
    ) -> LiveCorpus:
        """A corpus of ``articles``, annotated from now on on a thread; served once all are annotated."""
        live = cls(None, processes=processes)
        live._total = len(articles)
        live._phase = "annotating"

        def load() -> None:
            done: list[AnnotatedArticle] = []
            for annotated in annotate_all(articles, annotator, cache=cache, processes=processes):
                done.append(annotated)
                live._done = len(done)
            with live._lock:
                live._corpus, live._count = MemoryCorpus(done), len(done)
                live._generation += 1
                live._phase = None
            live._changed()

        live._start(load)
        return live

    # -- what requests read ------------------------------------------------------------

    def current(self) -> tuple[int, Corpus]:
        """``(generation, corpus)`` to answer from; :class:`NotReady` while loading or after a failure."""
        with self._lock:
            corpus, generation, error = self._corpus, self._generation, self._error
        if corpus is not None:
            return generation, corpus
        if error is not None:
            raise NotReady(f"the corpus could not be loaded: {error}", failed=True)
        raise NotReady(f"loading the corpus: {self._done} of {self._total} articles annotated; try again shortly")

    @property
    def store(self) -> Store | None:
        """The store served and watched, or None for a corpus of files."""
        return self._store

    @property
    def generation(self) -> int:
        """A number that moves on whenever the served articles change."""
        return self._generation

    def status(self) -> LoadStatus:
        """Whether the corpus is served yet, and the progress of the work on it."""
        with self._lock:
            corpus, phase, error = self._corpus, self._phase, self._error
            done, total = self._done, self._total
        if phase is not None and self._store is not None:
            # Store.annotate writes a batch at a time; what it wrote is what is done.
            done = max(0, min(total, len(self._store) - self._count))
        state = "failed" if error is not None else "loading" if corpus is None else "ready"
        articles = self._count if corpus is not None else None
        return LoadStatus(state, phase, done, total, articles, self._generation, error)

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(generation)`` on the worker thread whenever the served articles change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            try:
                listener(self._generation)
            except Exception:
                log.exception("a listener of corpus changes failed")

    def poll(self) -> None:
        """Check a store for new articles on the worker thread, at most every ``interval`` s; never blocks."""
        if self._store is None or self._busy or time.monotonic() - self._last_check < self._interval:
            return
        self._start(self._check)

    # -- the worker thread ----------------------------------------------------------------

    def _start(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._busy or self._closed:
                return
            self._busy = True

        def run() -> None:
            try:
                job()
            except Exception as e:
                log.exception("loading the corpus failed")
                with self._lock:
                    self._phase = None
                    if self._corpus is None:  # a failed update keeps serving what was there
                        self._error = f"{type(e).__name__}: {e}"
            finally:
                with self._lock:
                    self._busy = False
                    self._last_check = time.monotonic()
                    closing = self._closed
                if closing:  # closed while this ran: what close() left to the end of the work
                    self._close_owned()

        # A daemon thread: Ctrl+C stops the server at once, not after the
        # annotation (each batch is its own transaction, so nothing is lost).
        self._thread = threading.Thread(target=run, name="dateline-corpus", daemon=True)
        self._thread.start()

    def _read_data_version(self) -> int | None:
        assert self._store is not None
        try:
            if self._version_conn is None:
                uri = self._store.path.resolve().as_uri() + "?mode=ro"
                self._version_conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            value: int = self._version_conn.execute("PRAGMA data_version").fetchone()[0]
            return value
        except sqlite3.Error:
            return None  # cannot tell cheaply: the counts decide (see _check)

    def _check(self) -> None:
        version = self._read_data_version()
        if version is not None and version == self._data_version:
            return
        # Read before annotating: a commit made meanwhile is seen by the next check.
        self._data_version = version
        self._update()

    def _update(self) -> None:
        store = self._store
        assert store is not None
        pending = store.pending()
        if pending:
            with self._lock:
                self._phase = "annotating" if self._corpus is None or self._count == 0 else "updating"
                self._total, self._done = pending, 0
            store.annotate(processes=self._processes)
        count = len(store)
        with self._lock:
            changed = bool(pending) or count != self._count
            if changed:
                self._generation += 1
            self._count = count
            self._phase = None
            self._done = self._total
            if self._corpus is None:
                self._corpus = store
        if changed:
            self._changed()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the work in progress (loading, an update) to end; False when ``timeout`` passed first."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self._busy

    def close(self) -> None:
        """Stop watching the store, and close the corpus if this object owns it.

        Work in progress (annotating a store's new articles) carries on: the
        corpus is closed when it ends, so no batch is cut short. Closing twice
        does nothing more.
        """
        with self._lock:
            self._closed = True
            busy = self._busy
        if not busy:
            self._close_owned()

    def _close_owned(self) -> None:
        with self._lock:
            conn, self._version_conn = self._version_conn, None
            corpus = self._corpus if self._corpus is not None else self._store
            owned, self._owns = self._owns, False  # closed once
        if conn is not None:
            conn.close()
        close = getattr(corpus, "close", None) if owned else None
        if close is not None:
            close()
