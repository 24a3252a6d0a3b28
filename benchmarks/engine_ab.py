"""Dask worker settings, measured: the local pool, Dask as Dateline starts it, Dask with Dask's own defaults.

`dateline annotate --engine dask` without ``--scheduler`` starts a ``LocalCluster``
whose workers run without Dask's statistical profiler and keep glibc's malloc
thresholds (see ``dateline.engine.DaskEngine``). This script annotates the same
sample (Timeline17 articles under new ids, as ``scale_bench.py`` makes it) on the
local process pool, on that cluster, and on a ``LocalCluster`` with Dask's
defaults, in alternated rounds, and prints each run's wall time. On a shared
machine only alternated rounds compare: its speed moves by a third within minutes.
First, each Dask cluster's CPU use while idle (its self-monitoring) is measured:
that figure does not depend on the machine's load.

    PYTHONPATH=src .venv/bin/python benchmarks/engine_ab.py --articles 3000 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import scale_bench  # the sample, made the same way


@contextmanager
def _dask_defaults(workers: int) -> Iterator[Any]:
    """A DaskEngine on a LocalCluster started with Dask's defaults (profiler on, MALLOC_TRIM_THRESHOLD_ set)."""
    import distributed

    from dateline.engine import DaskEngine

    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        DaskEngine(cluster.scheduler_address) as engine,
    ):
        yield engine


def idle_cpu(engine: Any, seconds: float) -> str:
    """CPU time a second that a Dask cluster spends with nothing to do: this process (client, scheduler,
    nannies of a LocalCluster), then each worker. On two cores every such millisecond is the annotators'."""
    import os

    import psutil

    def cpu(p: psutil.Process) -> float:
        t = p.cpu_times()
        return t.user + t.system

    processes = [psutil.Process(), *(psutil.Process(pid) for pid in engine.client.run(os.getpid).values())]
    time.sleep(2)  # start-up settles
    before = [cpu(p) for p in processes]
    time.sleep(seconds)
    return ", ".join(f"{(cpu(p) - b) / seconds * 1000:.0f} ms" for p, b in zip(processes, before))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-size", type=int, default=100)
    parser.add_argument(
        "--idle", type=float, default=10.0, help="Seconds to measure each Dask cluster's CPU while idle (0: skip)."
    )
    args = parser.parse_args(argv)

    from dateline.columnar import write_columnar
    from dateline.engine import get_engine

    variants: dict[str, Callable[[], Any]] = {
        "local pool": lambda: get_engine("local", processes=args.workers),
        "dask, as Dateline starts it": lambda: get_engine("dask", processes=args.workers),
        "dask, Dask's defaults": lambda: _dask_defaults(args.workers),
    }
    runs: dict[str, list[float]] = {name: [] for name in variants}
    idle: dict[str, str] = {}
    if args.idle > 0:
        for name, start in variants.items():
            if name.startswith("dask"):
                with start() as engine:
                    idle[name] = idle_cpu(engine, args.idle)
                print(f"idle: {name}: {idle[name]}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="engine-ab-") as tmp:
        work = Path(tmp)
        sample, warmup = work / "sample.jsonl", work / "warmup.jsonl"
        scale_bench.write_sample(sample, args.articles)
        warmup.write_text("\n".join(sample.read_text(encoding="utf-8").splitlines()[:4]) + "\n", encoding="utf-8")
        for r in range(args.rounds):
            for v, (name, start) in enumerate(variants.items()):
                with start() as engine:
                    # Each worker imports Dateline and builds its annotator once, outside the timed run.
                    write_columnar([warmup], work / f"warmup-{r}-{v}", engine, partition_size=1)
                    t0 = time.perf_counter()
                    write_columnar([sample], work / f"run-{r}-{v}", engine, partition_size=args.partition_size)
                    runs[name].append(time.perf_counter() - t0)
                print(f"round {r + 1}: {name}: {runs[name][-1]:.2f} s", file=sys.stderr, flush=True)
    print(
        f"{args.articles:,} articles, partitions of {args.partition_size}, {args.workers} workers, {args.rounds} rounds"
    )
    print("| engine | runs (s) | median | fastest | CPU per second, idle: this process, each worker |")
    print("|---|---|---:|---:|---|")
    for name, times in runs.items():
        cells = ", ".join(f"{t:.2f}" for t in times)
        print(f"| {name} | {cells} | {statistics.median(times):.2f} | {min(times):.2f} | {idle.get(name, '')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
