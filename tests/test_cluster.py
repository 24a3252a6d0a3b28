"""A real Dask cluster: a scheduler and two workers on 127.0.0.1, started as the ``dask`` command starts them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import shared_path
from dateline.annotate import annotate_all
from dateline.ingest import read_articles

pytest.importorskip("distributed", reason="the scale extra is not installed: pip install 'dateline[scale]'")
pytest.importorskip("pyarrow", reason="the scale extra is not installed: pip install 'dateline[scale]'")
pytest.importorskip("duckdb", reason="the scale extra is not installed: pip install 'dateline[scale]'")

from dateline.columnar import ParquetCorpus, write_columnar
from dateline.engine import QUIET_MONITORS, DaskEngine
from dateline.timeline.facts import article_facts, current

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    address: str
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]

    def kill_worker(self, i: int) -> None:
        """Kill worker ``i`` outright (SIGKILL), as a crashed machine would go."""
        os.killpg(self.workers[i].pid, signal.SIGKILL)
        self.workers[i].wait(timeout=30)


def _start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    # Its own process group, so that teardown (and the kill in the test) reaches every process it starts.
    with log.open("wb") as out:
        return subprocess.Popen([str(DASK), *args], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    """``dask scheduler`` and two ``dask worker`` processes (one thread each) on free local ports."""
    if not DASK.exists():
        pytest.skip(f"{DASK} is absent: the scale extra is not installed (pip install 'dateline[scale]')")
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    port = address.rsplit(":", 1)[1]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            _start(["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], tmp_path / "scheduler.log")
        )
        for i in range(2):
            procs.append(
                _start(
                    [
                        "worker",
                        address,
                        "--host",
                        "127.0.0.1",
                        "--nthreads",
                        "1",
                        "--no-nanny",  # a killed worker stays dead: nothing restarts it behind the test's back
                        "--no-dashboard",
                        "--name",
                        f"w{i}",
                        "--death-timeout",
                        "60",
                    ],
                    tmp_path / f"worker{i}.log",
                )
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield Cluster(address, procs[0], procs[1:])
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)


@pytest.fixture(scope="module")
def topic() -> Path:
    return shared_path("data", "t17", "mj")


@pytest.fixture(scope="module")
def expected(topic):
    return list(annotate_all(read_articles(topic)))


@pytest.mark.slow
def test_cluster_annotation_equals_local(cluster, topic, expected, run, tmp_path):
    out = tmp_path / "corpus"
    result = run(
        "annotate", topic, "--engine", "dask", "--scheduler", cluster.address, "--out", out, "--partition-size", "10"
    )
    assert result.exit_code == 0, result.output
    assert f"{len(expected)} articles" in result.output
    with ParquetCorpus(out) as corpus:
        assert list(corpus) == expected
        assert [current(a) for a in corpus] == [article_facts(a) for a in expected]  # the workers' facts
    # A corpus without the builder's facts (an older Dateline's) gets them from the workers on a re-run.
    shutil.rmtree(out / "facts")
    again = run("annotate", topic, "--engine", "dask", "--scheduler", cluster.address, "--out", out)
    assert again.exit_code == 0, again.output
    partitions = -(-len(expected) // 10)
    assert "0 articles (0 sentences, 0 date mentions) annotated" in again.output
    assert f"the builder's facts added to {partitions} partitions written before" in again.output
    with ParquetCorpus(out) as corpus:
        assert [current(a) for a in corpus] == [article_facts(a) for a in expected]


@pytest.mark.slow
def test_a_killed_worker_loses_nothing_and_duplicates_nothing(cluster, topic, expected, tmp_path):
    out = tmp_path / "corpus"
    done: list[str] = []

    def on_partition(p) -> None:
        done.append(p.id)
        if len(done) == 2:  # mid-run: most partitions are still queued or running on both workers
            cluster.kill_worker(1)

    with DaskEngine(cluster.address) as engine:
        result = write_columnar([topic], out, engine, partition_size=5, on_partition=on_partition)
    assert cluster.workers[1].poll() is not None and cluster.workers[0].poll() is None
    partitions = -(-len(expected) // 5)
    assert len(done) == len(set(done)) == partitions
    assert result.written + result.skipped == partitions
    with ParquetCorpus(out) as corpus:
        got = list(corpus)
    assert len(got) == len({a.article.id for a in got}) == len(expected)
    assert got == expected
    # A worker killed while writing may leave its hidden temporary file behind; no reader ever sees it
    # (the partition exists only once its articles file is renamed into place), as `got` shows.
    assert all(p.name.startswith(".tmp-") for p in out.rglob("*.parquet") if not p.name.startswith("part-"))


def test_the_local_cluster_starts_its_workers_without_the_profiler_and_with_glibcs_malloc():
    """A LocalCluster has no dashboard to show the workers' profile, which samples every task's stack under the GIL,
    nor one to show its self-monitoring, which wakes every 20 ms (:data:`~dateline.engine.QUIET_MONITORS`).

    Nor does it fix glibc's malloc trim threshold, which Dask sets by default for workers holding big arrays.
    The cluster runs in a process of its own: its threads must not be in this one when other tests fork it.
    """
    script = (
        "import json, os, dask\n"
        "from dateline.engine import QUIET_MONITORS, DaskEngine\n"
        "with DaskEngine(workers=1) as engine:\n"
        "    run = engine.client.run\n"
        "    print(json.dumps([\n"
        "        list(run(lambda: dask.config.get('distributed.worker.profile.enabled')).values()),\n"
        "        list(run(lambda: os.environ.get('MALLOC_TRIM_THRESHOLD_')).values()),\n"
        "        list(run(lambda: os.environ.get('OMP_NUM_THREADS')).values()),\n"
        "        list(run(lambda: [dask.config.get(k) for k in QUIET_MONITORS]).values()),\n"
        "        [dask.config.get(k) for k in QUIET_MONITORS],\n"
        "    ]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    enabled, trim, threads, monitors, here = json.loads(out.stdout.strip().splitlines()[-1])
    assert enabled == [False]
    assert trim == [None]
    assert threads == ["1"]  # Dask's other worker settings stay
    # Dask's self-monitoring runs coarser in the workers; the client's own Dask settings are left as they were.
    assert monitors == [list(QUIET_MONITORS.values())]
    assert here != list(QUIET_MONITORS.values())
