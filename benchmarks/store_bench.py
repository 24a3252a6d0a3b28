"""Benchmark of the SQLite store: ingest speed and memory, from-scratch build against incremental build.

The load is Timeline17 (all topics of ``../shared/data/t17``, ~4,600 articles),
topped up to 5,000 with T17 articles repeated under new ids (a marker is
appended to the text, so the content hash changes). Every figure is measured
in a fresh subprocess; peak RSS is that process's ``ru_maxrss``.

    DATELINE_CACHE=/tmp/store-cache PYTHONPATH=src python benchmarks/store_bench.py -o benchmarks/store-run.md
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
T17 = REPO.parent / "shared" / "data" / "t17"
LOAD = 5000
NEW = 10


def t17_records(t17: Path) -> Iterator[dict]:
    """The raw news-tls records of every topic, empty texts left out (ingest skips them anyway)."""
    for path in sorted(t17.glob("*/articles.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if record.get("text", "").strip():
                    yield record


def write_load(t17: Path, out: Path, copies: int = 1, total: int | None = None, marker: str = "copy") -> int:
    """Write T17 ``copies`` times (copy k > 0 under new ids) or until ``total`` records; return the count."""
    n = k = 0
    with out.open("w", encoding="utf-8") as f:
        while (n < total) if total is not None else (k < copies):
            for record in t17_records(t17):
                if total is not None and n >= total:
                    break
                if k or marker != "copy":
                    record = {**record, "id": f"{record['id']}#{marker}{k}", "text": f"{record['text']} [{marker} {k}]"}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
            k += 1
    return n


# -- the measurements, each run in its own process -----------------------------------------


def child_ingest(db: str, source: str) -> dict:
    from dateline.ingest import read_articles
    from dateline.store import Store

    start = time.perf_counter()
    with Store(db) as store:
        result = store.add(read_articles(source, on_error="skip"))
    return {"seconds": time.perf_counter() - start, "added": result.added, "present": result.present}


def child_build(db: str, processes: int, query: str | None) -> dict:
    from dateline.corpus import corpus_timeline
    from dateline.store import Store
    from dateline.timeline import BuildOptions

    start = time.perf_counter()
    with Store(db) as store:
        annotated = store.annotate(processes=processes)
        mid = time.perf_counter()
        timeline = corpus_timeline(store, BuildOptions(query=query))
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "annotate_seconds": mid - start,
        "timeline_seconds": end - mid,
        "annotated": annotated,
        "entries": len(timeline),
    }


def child_load(db: str) -> dict:
    from dateline.store import Store

    start = time.perf_counter()
    with Store(db) as store:
        n = sum(1 for _ in store)
    return {"seconds": time.perf_counter() - start, "articles": n}


def child_noop() -> dict:
    import dateline.cli  # noqa: F401 - what any dateline command loads

    return {"seconds": 0.0}


def run_child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter; its figures plus its peak RSS in MB."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--t17", type=Path, default=T17)
    parser.add_argument("--workdir", type=Path, help="Where the loads and stores go (default: a temp folder).")
    parser.add_argument("-j", "--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("-o", "--output", type=Path, help="Also write the markdown table here.")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "ingest":
            figures = child_ingest(*rest)
        elif kind == "load":
            figures = child_load(*rest)
        elif kind == "build":
            figures = child_build(rest[0], int(rest[1]), rest[2] if len(rest) > 2 else None)
        else:
            figures = child_noop()
        figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return

    if not args.t17.exists():
        sys.exit(f"{args.t17} is absent: the benchmark needs Timeline17 (../shared/data/t17)")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    t17_file, t17x10, load, new = (work / n for n in ("t17.jsonl", "t17x10.jsonl", "load.jsonl", "new.jsonl"))
    n_t17 = write_load(args.t17, t17_file)
    n_x10 = write_load(args.t17, t17x10, copies=10)
    n_load = write_load(args.t17, load, total=LOAD)
    n_new = write_load(args.t17, new, total=NEW, marker="new")
    rows: list[tuple[str, str]] = []

    base = run_child("noop")
    rows.append(("peak RSS of `import dateline.cli` (baseline)", f"{base['peak_rss_mb']:.0f} MB"))
    for label, source, n in (("T17", t17_file, n_t17), ("10x T17", t17x10, n_x10)):
        log(f"ingesting {label} ({n} articles)")
        r = run_child("ingest", str(fresh(work / f"ingest-{n}.db")), str(source))
        n = r["added"]  # T17 holds a few articles twice (same text and source): ingest collapses them
        rows.append(
            (
                f"ingest {label}: {n:,} articles",
                f"{r['seconds']:.2f} s, {n / r['seconds']:,.0f} articles/s, peak RSS {r['peak_rss_mb']:.0f} MB",
            )
        )
    size = sum(p.stat().st_size for p in work.glob(f"ingest-{n_x10}.db*"))
    rows.append(("store size after 10x T17 (articles only)", f"{size / 1e6:.0f} MB"))

    db = fresh(work / "story.db")
    r = run_child("ingest", str(db), str(load))
    n_load = r["added"]
    rows.append((f"ingest the {n_load:,}-article load", f"{r['seconds']:.2f} s"))
    log(f"building from scratch ({n_load} articles, {args.processes} processes)")
    full = run_child("build", str(db), str(args.processes))
    rows.append(
        (
            "from-scratch build (annotate all + timeline)",
            f"{full['seconds']:.1f} s (annotate {full['annotate_seconds']:.1f} s of {full['annotated']} articles, "
            f"timeline {full['timeline_seconds']:.1f} s), peak RSS {full['peak_rss_mb']:.0f} MB",
        )
    )
    size = sum(p.stat().st_size for p in work.glob("story.db*"))
    rows.append((f"store size, {n_load:,} articles annotated", f"{size / 1e6:.0f} MB"))

    log(f"adding {n_new} articles and rebuilding")
    added = run_child("ingest", str(db), str(new))
    inc = run_child("build", str(db), str(args.processes))
    assert inc["annotated"] == added["added"] == n_new, (added, inc)
    rows.append((f"incremental: ingest {n_new} new articles", f"{added['seconds'] * 1000:.0f} ms"))
    rows.append(
        (
            "incremental build (annotate new + timeline)",
            f"{inc['seconds']:.2f} s (annotate {inc['annotate_seconds']:.2f} s of {inc['annotated']} articles, "
            f"timeline {inc['timeline_seconds']:.2f} s), peak RSS {inc['peak_rss_mb']:.0f} MB",
        )
    )
    load_all = run_child("load", str(db))
    rows.append(
        (
            f"of which: read all {load_all['articles']:,} annotated articles back from the store",
            f"{load_all['seconds']:.2f} s",
        )
    )
    rows.append(("**incremental / from scratch** (build)", f"**{inc['seconds'] / full['seconds']:.1%}**"))
    rows.append(
        ("incremental / from scratch (ingest + build)", f"{(added['seconds'] + inc['seconds']) / full['seconds']:.1%}")
    )
    nothing = run_child("build", str(db), str(args.processes), "gadhafi libya")
    rows.append(
        (
            'rebuild, nothing new, `--query "gadhafi libya"` (FTS5 pre-filter)',
            f"{nothing['seconds']:.2f} s, {nothing['entries']} dates",
        )
    )

    table = "| measurement | result |\n|---|---|\n" + "".join(f"| {a} | {b} |\n" for a, b in rows)
    header = (
        f"Store benchmark: {n_load:,}-article load from T17, {args.processes} annotation processes, "
        f"Python {sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}, {os.cpu_count()} CPUs.\n\n"
    )
    print(header + table)
    if args.output:
        args.output.write_text(header + table, encoding="utf-8")


if __name__ == "__main__":
    main()
