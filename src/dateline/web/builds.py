"""Expensive answers built off the event loop: a bounded worker pool, one build per key, a bounded cache.

A timeline costs about a second of CPU; built on the request's own thread,
a burst of distinct timelines queues every other request behind it. Here
each distinct key is built once by a small pool (identical requests in
flight share one build), finished results are kept in an LRU cache, and
when more distinct builds wait than the queue allows the caller is told
to come back later (:class:`Busy`, the app's 503 with ``Retry-After``).

Futures are :mod:`concurrent.futures` ones, not asyncio's, so the cache
and the in-flight table outlive any one event loop (the tests run each
request in a loop of its own); the app awaits them with
:func:`asyncio.wrap_future`.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..annotate import Annotator
from ..corpus import Corpus, corpus_timeline
from ..model import Timeline
from ..store import Store
from .api import TimelineParams

__all__ = ["Builds", "BuildsInfo", "Busy", "build_in_worker", "timeline_pool"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Busy(Exception):
    """Too many distinct builds are waiting; ``retry_after`` is a fair guess, in whole seconds."""

    def __init__(self, waiting: int, retry_after: int):
        super().__init__(f"{waiting} timelines are being built; try again in {retry_after} s")
        self.waiting = waiting
        self.retry_after = retry_after


@dataclass(frozen=True)
class BuildsInfo:
    """Counters of a :class:`Builds`, for tests and ``/api/status``."""

    hits: int
    misses: int
    shared: int  # requests that joined a build already in flight
    refused: int  # requests answered Busy
    in_flight: int
    cached: int


class Builds(Generic[K, V]):
    """``get(key)``: the cached value, the build in flight for ``key``, or a new build; Busy when full.

    ``workers`` builds run at once and at most ``queue`` more wait; ``cache``
    finished values are kept, least recently used dropped first. A build that
    raises is not cached: the next request tries again. Builds run on threads
    unless ``pool`` makes the executor (a process pool, so that a build never
    holds the server's GIL; ``build`` must then be picklable); it is made at
    the first build and again after its processes died.
    """

    def __init__(
        self,
        build: Callable[[K], V],
        *,
        workers: int = 1,
        queue: int = 8,
        cache: int = 64,
        pool: Callable[[int], Executor] | None = None,
    ):
        if workers < 1 or queue < 0 or cache < 0:
            raise ValueError("workers must be at least 1, queue and cache at least 0")
        self._build = build
        self._limit = workers + queue
        self._workers = workers
        self._cache_size = cache
        self._cache: OrderedDict[K, V] = OrderedDict()
        self._flight: dict[K, Future[V]] = {}
        self._lock = threading.Lock()
        self._make_pool = pool or (lambda n: ThreadPoolExecutor(max_workers=n, thread_name_prefix="dateline-build"))
        self._pool: Executor | None = None
        self._seconds = 1.0  # a running mean of build time, for Retry-After
        self._last_done = time.perf_counter()
        self._hits = self._misses = self._shared = self._refused = 0

    def get(self, key: K) -> Future[V]:
        """A future of the value for ``key``; raises :class:`Busy` instead of queueing past the bound."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                self._hits += 1
                done: Future[V] = Future()
                done.set_result(self._cache[key])
                return done
            flying = self._flight.get(key)
            # A failed build may not have left the table yet: it is retried, not shared.
            if flying is not None and not (flying.done() and flying.exception() is not None):
                self._shared += 1
                return flying
            if len(self._flight) >= self._limit:
                self._refused += 1
                # The queue drains at about `workers` builds per mean build time.
                wait = math.ceil(len(self._flight) / self._workers * self._seconds)
                raise Busy(len(self._flight), max(1, wait))
            self._misses += 1
            if self._pool is None:
                self._pool = self._make_pool(self._workers)
            if not self._flight:
                self._last_done = time.perf_counter()  # the pool was idle: time the next build from now
            future = self._pool.submit(self._build, key)
            self._flight[key] = future
        future.add_done_callback(lambda f: self._finished(key, f))
        return future

    def _finished(self, key: K, future: Future[V]) -> None:
        with self._lock:
            self._flight.pop(key, None)
            now = time.perf_counter()
            # With one worker, builds end one after another: the gap is a build's time.
            self._seconds = 0.8 * self._seconds + 0.2 * (now - self._last_done)
            self._last_done = now
            if future.cancelled():
                return
            error = future.exception()
            if isinstance(error, BrokenExecutor):
                self._pool = None  # its processes died (killed, out of memory): start afresh
            if error is None and self._cache_size:
                self._cache[key] = future.result()
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)

    def clear(self) -> None:
        """Forget every cached value (builds in flight still finish and are cached)."""
        with self._lock:
            self._cache.clear()

    def info(self) -> BuildsInfo:
        """Hit, miss, shared and refused counts, and how many builds are in flight or cached."""
        with self._lock:
            return BuildsInfo(
                self._hits, self._misses, self._shared, self._refused, len(self._flight), len(self._cache)
            )

    def shutdown(self) -> None:
        """Stop taking builds; the running ones finish."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            # A running build is not worth waiting for at shutdown; Python 3.11
            # has no public call to stop a pool's processes (3.14's terminate_workers).
            processes = getattr(pool, "_processes", None) or {}
            for process in list(processes.values()):
                process.terminate()


# -- timelines in a process of their own ------------------------------------------------

WORKER_NICENESS = 10
_corpus: Corpus | None = None  # the worker process's corpus, set by _init_worker


def _init_worker(source: Corpus | tuple[Callable[..., Corpus], str, Annotator]) -> None:
    global _corpus
    # A build is batch work and a page's request is not: when the cores are
    # busy, the scheduler should pick the server first.
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    # A server stopped by a signal may not get to stop its pool; a worker
    # whose parent is gone has nobody to build for.
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="dateline-orphan-check", daemon=True).start()
    # A store or a columnar corpus is opened afresh by path, under the served annotator
    # (its connections are the process's own); a corpus in memory arrives pickled, once
    # per worker process.
    if isinstance(source, tuple):
        kind, path, annotator = source
        _corpus = kind(path, annotator=annotator)
    else:
        _corpus = source


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def build_in_worker(key: tuple[int, TimelineParams]) -> Timeline:
    """The timeline of ``key``'s parameters over the worker process's corpus (see :func:`timeline_pool`)."""
    assert _corpus is not None, "timeline_pool's initializer sets the corpus"
    params = key[1]
    return corpus_timeline(_corpus, params.options(), params.method)


def timeline_pool(corpus: Corpus, workers: int) -> ProcessPoolExecutor:
    """Processes that build timelines of ``corpus`` with :func:`build_in_worker`.

    Spawned, not forked: the server has threads (and SQLite connections) a
    fork would copy mid-use.
    """
    from ..columnar.corpus import ParquetCorpus  # its module needs no extra; opening one needs DuckDB

    source: Corpus | tuple[Callable[..., Corpus], str, Annotator] = corpus
    if isinstance(corpus, (Store, ParquetCorpus)):
        source = (type(corpus), str(corpus.path), corpus.annotator)
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(source,))
