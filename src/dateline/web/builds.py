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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Builds", "BuildsInfo", "Busy"]

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
    raises is not cached: the next request tries again.
    """

    def __init__(self, build: Callable[[K], V], *, workers: int = 1, queue: int = 8, cache: int = 64):
        if workers < 1 or queue < 0 or cache < 0:
            raise ValueError("workers must be at least 1, queue and cache at least 0")
        self._build = build
        self._limit = workers + queue
        self._workers = workers
        self._cache_size = cache
        self._cache: OrderedDict[K, V] = OrderedDict()
        self._flight: dict[K, Future[V]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dateline-build")
        self._seconds = 1.0  # a running mean of build time, for Retry-After
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
            if key in self._flight:
                self._shared += 1
                return self._flight[key]
            if len(self._flight) >= self._limit:
                self._refused += 1
                # The queue drains at about `workers` builds per mean build time.
                wait = math.ceil(len(self._flight) / self._workers * self._seconds)
                raise Busy(len(self._flight), max(1, wait))
            self._misses += 1
            future = self._pool.submit(self._run, key)
            self._flight[key] = future
            return future

    def _run(self, key: K) -> V:
        t0 = time.perf_counter()
        try:
            value = self._build(key)
        except BaseException:
            with self._lock:
                self._flight.pop(key, None)
            raise
        with self._lock:
            self._seconds = 0.8 * self._seconds + 0.2 * (time.perf_counter() - t0)
            self._flight.pop(key, None)
            if self._cache_size:
                self._cache[key] = value
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return value

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
        self._pool.shutdown(wait=False, cancel_futures=True)
