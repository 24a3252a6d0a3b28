"""Engines: where bulk annotation runs, behind one small interface.

An :class:`Engine` maps a picklable function over partitions and yields the
results as they complete. :class:`LocalEngine` is a process pool on this
machine; :class:`DaskEngine` runs the same function on a Dask cluster (a
``LocalCluster`` when no scheduler address is given). Scheduling, retries
after a lost worker and data movement are Dask's: nothing here schedules.
Dask is imported only when a :class:`DaskEngine` is made
(``pip install 'dateline[scale]'``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar

__all__ = ["ENGINES", "DaskEngine", "Engine", "LocalEngine", "get_engine"]

P = TypeVar("P")
R = TypeVar("R")


class Engine(Protocol):
    """Runs ``fn`` over partitions somewhere; results come back in completion order."""

    name: str

    @property
    def workers(self) -> int:
        """How many partitions can run at once."""
        ...

    def map(self, fn: Callable[[P], R], partitions: Iterable[P], keys: Callable[[P], str]) -> Iterator[R]:
        """``fn(p)`` for every partition ``p`` (``keys(p)`` names it uniquely), as each one completes."""
        ...

    def close(self) -> None:
        """Release the workers."""
        ...


class LocalEngine:
    """A process pool on this machine (``processes`` workers; 1 runs in this process)."""

    name = "local"

    def __init__(self, processes: int | None = None):
        self.processes = max(1, processes or os.cpu_count() or 1)

    @property
    def workers(self) -> int:
        """The pool's size."""
        return self.processes

    def map(self, fn: Callable[[P], R], partitions: Iterable[P], keys: Callable[[P], str]) -> Iterator[R]:
        """``fn`` over ``partitions`` in the pool, streamed: at most a few partitions per worker are read ahead."""
        if self.processes == 1:
            yield from map(fn, partitions)
            return
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

        ctx = get_context("fork" if os.name == "posix" else "spawn")
        items = iter(partitions)
        with ProcessPoolExecutor(self.processes, mp_context=ctx) as pool:
            # Bounded read-ahead: the input is read here, in this thread, as workers free up.
            pending: set[Future[R]] = set()
            for p in items:
                pending.add(pool.submit(fn, p))
                if len(pending) >= 2 * self.processes:
                    break
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
                    for p in items:
                        pending.add(pool.submit(fn, p))
                        break

    def close(self) -> None:
        """Nothing to release: the pool lives only while :meth:`map` runs."""

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Dask's self-monitoring, made coarser for the LocalCluster an engine starts (see DaskEngine).
QUIET_MONITORS: dict[str, object] = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


class DaskEngine:
    """A Dask cluster: the scheduler at ``scheduler`` (``tcp://HOST:PORT``), or a new ``LocalCluster``.

    Partitions are submitted with their key, so a partition given twice runs
    once; a task whose worker dies is re-run by Dask on another worker. At
    most ``in_flight`` partitions per worker wait on the cluster at a time,
    so the input is streamed rather than loaded.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None, in_flight: int = 4):
        try:
            # Imported untyped (Any): distributed's own annotations are partial.
            distributed: Any = importlib.import_module("distributed")
        except ImportError:  # pragma: no cover - depends on the install
            raise ImportError("the Dask engine needs the scale extra: pip install 'dateline[scale]'") from None
        self._cluster: Any = None
        if scheduler is None:
            dask: Any = importlib.import_module("dask")
            # One single-threaded process per worker: the annotator is pure
            # Python, so threads would share one GIL. Some of Dask's defaults
            # serve what this cluster does not have: the statistical profiler
            # samples every task's stack every 10 ms under that GIL for a
            # dashboard nobody opens, and MALLOC_TRIM_THRESHOLD_ hands memory
            # back in long-lived workers holding big arrays (and, set, stops
            # glibc's sliding mmap threshold, mallopt(3)): both are off here.
            # Nor does it need its event loops checked for stalls every 20 ms
            # (the tick), host and disk counters every 500 ms, or memory every
            # 100 ms: idle, the scheduler, nannies and client (this process) and
            # each worker then burn 40 + 20 + 20 ms of CPU a second, 4% of two
            # cores, against 7 + 3 + 3 ms with the settings below (measured,
            # BENCHMARKS.md section 5). Memory is still watched, every second.
            environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
            environ.pop("MALLOC_TRIM_THRESHOLD_", None)
            settings = {
                "distributed.worker.profile.enabled": False,
                "distributed.nanny.pre-spawn-environ": environ,
                **QUIET_MONITORS,
            }
            with dask.config.set(settings):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            self.client: Any = distributed.Client(self._cluster)
        else:
            self.client = distributed.Client(scheduler)
        self.in_flight = max(1, in_flight)

    @property
    def workers(self) -> int:
        """Worker threads the scheduler knows of now (at least 1)."""
        info = self.client.scheduler_info()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def map(self, fn: Callable[[P], R], partitions: Iterable[P], keys: Callable[[P], str]) -> Iterator[R]:
        """``fn`` over ``partitions`` on the cluster, as each completes; a task's error is raised here."""
        distributed: Any = importlib.import_module("distributed")
        items = iter(partitions)
        done = distributed.as_completed()
        prefix = getattr(fn, "__name__", "task")

        def submit_next() -> bool:
            for p in items:
                done.add(self.client.submit(fn, p, key=f"{prefix}-{keys(p)}", pure=False))
                return True
            return False

        for _ in range(self.workers * self.in_flight):
            if not submit_next():
                break
        for future in done:
            result: R = future.result()
            # Drop the finished task so that its result is not held on the cluster.
            future.release()
            submit_next()
            yield result

    def close(self) -> None:
        """Close the client (and the ``LocalCluster`` when this engine started one)."""
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


ENGINES = ("local", "dask")


def get_engine(name: str, *, scheduler: str | None = None, processes: int | None = None) -> LocalEngine | DaskEngine:
    """The engine called ``name`` (``local`` or ``dask``); ValueError otherwise."""
    if name == "local":
        if scheduler is not None:
            raise ValueError("--scheduler needs --engine dask")
        return LocalEngine(processes)
    if name == "dask":
        return DaskEngine(scheduler, workers=processes)
    raise ValueError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
