"""Scale rehearsal: Dask against the local pool, Parquet against SQLite, builds on 50k to 1M articles.

What is measured, and how:

1. **Annotation throughput.** A sample of ``--sample`` articles made from Timeline17
   (``dateline.columnar.synthetic.synthetic_articles``: copies under new ids, published whole weeks
   later) is annotated into a columnar corpus twice: on the local process pool (2 processes) and on
   a Dask ``LocalCluster`` of 2 single-threaded workers, the same partitions, the same Parquet
   output. Throughput per worker and the engine's overhead (Dask time / pool time - 1) are printed.
2. **Storage.** Parquet bytes per article at each size, against a SQLite store of the first
   ``--store-sample`` sample articles, annotated.
3. **Builds.** The 50k / 200k / 1M corpora are NOT annotated again: annotating 1M articles takes
   hours on 2 shared cores. They are made by replicating the annotated sample's rows
   (``dateline.columnar.synthetic.replicate``: new ids, publication and mention dates moved by the
   same whole number of weeks per copy, text unchanged). On each, once the copies are written out
   (``sync``), a fresh process builds the timeline of a one-word query that ~1% of articles name
   (the sample word whose share of articles is nearest 1%) and reports its wall time and peak RSS;
   ``--builds`` such processes, the median build counts; the page cache is warm.

    PYTHONPATH=src .venv/bin/python benchmarks/scale_bench.py --sizes 50000,200000,1000000 -o run.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
T17 = REPO.parent / "shared" / "data" / "t17"
TARGETS = {"overhead": 0.10, "bytes_ratio": 1 / 3, "build_s": 5.0, "rss_mb": 1024}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_sample(out: Path, n: int) -> list:
    """The sample as news-tls JSONL at ``out`` (what ``dateline annotate`` reads); return its articles."""
    from dateline.columnar.synthetic import synthetic_articles
    from dateline.ingest import read_articles

    base = list(read_articles(T17, on_error="skip"))
    sample = list(synthetic_articles(base, n))
    with out.open("w", encoding="utf-8") as f:
        for a in sample:
            record = {"id": a.name, "time": a.published.isoformat(), "text": a.text, "source": a.source}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return sample


def one_percent_word(articles: list, share: float = 0.01) -> tuple[str, float]:
    """The word (6+ letters) whose query selects the share of articles nearest ``share``, and that share.

    A query names a word or a word's start ("afghan" selects "Afghanistan" too), so the share is
    measured with the query itself, on the words whose exact share is near the target.
    """
    from dateline.timeline import Query

    df: Counter[str] = Counter()
    for a in articles:
        df.update(set(re.findall(r"\b[a-z]{6,}\b", a.text.lower())))
    near = sorted(df, key=lambda w: (abs(df[w] / len(articles) - share), w))[:20]

    def selected(word: str) -> float:
        query = Query.parse(word)
        assert query is not None
        return sum(1 for a in articles if query.matches(a.text)) / len(articles)

    shares = {w: selected(w) for w in near}
    word = min(near, key=lambda w: (abs(shares[w] - share), w))
    return word, shares[word]


def annotate_into(sample: Path, warmup: Path, out: Path, engine_name: str, workers: int, partition_size: int) -> dict:
    """Annotate the sample into ``out`` on an engine; wall times of start-up and of the run."""
    from dateline.columnar import write_columnar
    from dateline.engine import get_engine

    t0 = time.perf_counter()
    engine = get_engine(engine_name, processes=workers)
    with engine:
        # Warm-up, counted as start-up: each worker imports Dateline and builds its annotator once.
        write_columnar([warmup], out.with_name(out.name + "-warmup"), engine, partition_size=1)
        t1 = time.perf_counter()
        result = write_columnar([sample], out, engine, partition_size=partition_size)
    t2 = time.perf_counter()
    return {"startup_s": t1 - t0, "run_s": t2 - t1, "articles": result.articles, "partitions": result.written}


def store_bytes_per_article(sample: Path, n: int, db: Path, processes: int) -> float:
    """Bytes per article of a SQLite store holding the first ``n`` sample articles, annotated."""
    from itertools import islice

    from dateline.ingest import read_articles
    from dateline.store import Store

    with Store(db) as store:
        store.add(islice(read_articles(sample), n))
        store.annotate(processes=processes)
        conn = store._db()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return store.status().size_bytes / n


CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from dateline.columnar import ParquetCorpus
from dateline.corpus import corpus_timeline
from dateline.timeline import BuildOptions, Query, get_builder, memo
import sklearn.feature_extraction.text  # the builder's TF-IDF: a fixed import cost, whatever the corpus
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t1, c1 = time.perf_counter(), cpu()
corpus = ParquetCorpus(sys.argv[1])
t2 = time.perf_counter()
# What dateline build does, but for the builder's remembered rules (memo): the corpus replicates each
# sample article's text 200 times at 1M, which no real corpus does, and remembered they would cost nothing.
with memo.remembering(False):
    timeline = corpus_timeline(corpus, BuildOptions(query=sys.argv[2]))
t3, c3 = time.perf_counter(), cpu()
# Peak RSS of this process (the build, after the imports). Not ru_maxrss: after a vfork-and-exec
# that starts from the parent's high-water mark (the benchmark's own RSS, ~0.75 GB).
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
# Again, timed apart: the corpus's share of the build. A corpus of its own, which remembers nothing
# yet (the first one keeps the articles it loaded), so that the articles are read again.
again = ParquetCorpus(sys.argv[1])
t3b = time.perf_counter()
selected = again.select(Query.parse(sys.argv[2]))
t4 = time.perf_counter()
assert get_builder().build(selected, BuildOptions(query=sys.argv[2])).entries == timeline.entries
print(json.dumps({"import_s": t1 - t0, "open_s": t2 - t1, "select_s": t4 - t3b, "builder_s": (t3 - t2) - (t4 - t3b),
                  "build_s": t3 - t1, "build_cpu_s": c3 - c1, "dates": len(timeline.entries),
                  "matching": len(selected), "articles": len(corpus), "rss_mb": rss}))
"""


def measure_build(corpus: Path, word: str) -> dict:
    """Build the query's timeline in a fresh process; its figures, and the process's wall time."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), word], capture_output=True, text=True, env=env, check=True
    )
    figures = json.loads(out.stdout)
    figures["process_s"] = time.perf_counter() - t0
    return figures


def main() -> None:
    """Run the rehearsal and print (or write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000", help="Corpus sizes, comma-separated (default: 50000).")
    parser.add_argument("--sample", type=int, default=5000, help="Articles actually annotated (default: 5000).")
    parser.add_argument("--store-sample", type=int, default=1000, help="Articles in the SQLite comparison store.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--repeat", type=int, default=2, help="Annotation runs per engine, alternated (the fastest counts)."
    )
    parser.add_argument("--partition-size", type=int, default=100, help="Articles per partition when annotating.")
    parser.add_argument(
        "--corpus-partition-size", type=int, default=5000, help="Articles per partition of the big corpora."
    )
    parser.add_argument(
        "--builds", type=int, default=3, help="Fresh-process builds per size (the median counts; default: 3)."
    )
    parser.add_argument("--work", type=Path, help="Scratch folder (default: a temporary one, removed at the end).")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folder.")
    parser.add_argument("-o", "--output", type=Path, help="Also write the Markdown table here.")
    args = parser.parse_args()
    if not T17.exists():
        sys.exit(f"{T17} is absent: the rehearsal is made from Timeline17")
    sys.path.insert(0, str(REPO / "src"))
    from dateline.annotate import Annotator

    sizes = [int(s) for s in args.sizes.split(",") if s]
    work = args.work or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    version = Annotator().version
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    sample_file = work / "sample.jsonl"
    sample = write_sample(sample_file, args.sample)
    word, share = one_percent_word(sample)
    warmup = work / "warmup.jsonl"
    warmup.write_text("".join(sample_file.read_text(encoding="utf-8").splitlines(keepends=True)[: 4 * args.workers]))
    log(f"sample: {len(sample)} articles; query word {word!r} named by {share:.2%} of them")

    runs: dict[str, dict] = {}
    times: dict[str, list[float]] = {"local": [], "dask": []}
    # Alternated and repeated, the fastest run of each kept: on a shared machine the least disturbed
    # run is the one closest to what the engine costs.
    for _ in range(args.repeat):
        for name in ("local", "dask"):
            out = work / f"annotated-{name}"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(out.with_name(out.name + "-warmup"), ignore_errors=True)
            run = annotate_into(sample_file, warmup, out, name, args.workers, args.partition_size)
            log(f"annotate on {name}: {run}")
            times[name].append(run["run_s"])
            if name not in runs or run["run_s"] < runs[name]["run_s"]:
                runs[name] = run
    per_worker = {k: r["articles"] / r["run_s"] / args.workers for k, r in runs.items()}
    overhead = runs["dask"]["run_s"] / runs["local"]["run_s"] - 1
    median_overhead = statistics.median(times["dask"]) / statistics.median(times["local"]) - 1

    db = work / "store.db"
    db.unlink(missing_ok=True)
    sqlite_per_article = store_bytes_per_article(sample_file, args.store_sample, db, args.workers)
    log(f"SQLite store: {sqlite_per_article:.0f} bytes per article")

    rows = []
    for n in sizes:
        corpus = work / f"corpus-{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        t0 = time.perf_counter()
        from dateline.columnar.synthetic import replicate

        replicate(work / "annotated-local", corpus, version, n, args.corpus_partition_size)
        made = time.perf_counter() - t0
        size = _du(corpus)
        tables = {t: _du(corpus / t) / n for t in sorted(p.name for p in corpus.iterdir() if p.is_dir())}
        # The copies written out first: a build sharing the disk and the cores with the kernel's
        # writeback of 5 GB measured that (1M: 5.1-5.4 s right after replicating, 3.7-3.9 s later).
        os.sync()
        builds = sorted((measure_build(corpus, word) for _ in range(args.builds)), key=lambda b: b["build_s"])
        log(f"{n}: builds " + ", ".join(f"{b['build_s']:.2f}" for b in builds) + " s")
        build = builds[(len(builds) - 1) // 2]
        rows.append({"n": n, "replicate_s": made, "bytes": size, "table_bytes": tables, **build})
        log(f"{n}: {rows[-1]}")
        if not args.keep and n != sizes[-1]:
            shutil.rmtree(corpus)

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    lines = [
        f"Scale rehearsal: {args.sample:,}-article sample from T17 annotated for real, {args.workers} workers, "
        f"partitions of {args.partition_size} (annotating) and {args.corpus_partition_size} (big corpora), Python {platform.python_version()}, {os.cpu_count()} CPUs "
        "(shared: timings are noisy, ratios and sizes are not).",
        "",
        "Annotation, the same sample and output on both engines (Parquet written by the workers):",
        "",
        f"| engine | start-up | run (fastest of {args.repeat}) | articles/s per worker |",
        "|---|---|---|---|",
        *(f"| {k} | {r['startup_s']:.1f} s | {r['run_s']:.1f} s | {per_worker[k]:.1f} |" for k, r in runs.items()),
        "",
        f"Engine overhead (Dask run / pool run - 1): **{overhead:+.1%}** (target <= +10%: {met(overhead <= TARGETS['overhead'])}); "
        f"medians of the {args.repeat} runs: {median_overhead:+.1%}.",
        f"SQLite store, {args.store_sample:,} sample articles annotated: {sqlite_per_article / 1000:.1f} KB per article.",
        "",
        f"Builds: corpora REPLICATED from the annotated sample (new ids, publication and mention dates moved by "
        f"whole weeks per copy; not annotated again); query {word!r} (~{share:.1%} of articles), fresh process, warm page cache; "
        f"build = the median of {args.builds} (fresh processes): open the corpus, select (DuckDB and Python objects; timed again apart, warm) and build the timeline, "
        "after the imports (~1-3 s, whatever the size); CPU = the process's user + system time in that span (all threads).",
        "",
        "| articles | Parquet per article | vs SQLite (target <= 1/3) | build (open + select + builder) | CPU | peak RSS | matching | dates |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        per = r["bytes"] / r["n"]
        ratio = per / sqlite_per_article
        lines.append(
            f"| {r['n']:,} | {per / 1000:.2f} KB | {ratio:.2f} ({met(ratio <= TARGETS['bytes_ratio'])}) | "
            f"{r['build_s']:.2f} s ({r['open_s']:.2f} + {r['select_s']:.2f} + {r['builder_s']:.2f}) | "
            f"{r['build_cpu_s']:.2f} s | {r['rss_mb']:.0f} MB | {r['matching']:,} | {r['dates']} |"
        )
    if rows:
        per_table = ", ".join(f"{t} {b / 1000:.2f} KB" for t, b in rows[-1]["table_bytes"].items())
        lines += ["", f"Parquet per article, by table: {per_table}."]
    last = rows[-1] if rows else None
    lines += (
        []
        if last is None
        else [
            "",
            f"At {last['n']:,} articles: build {last['build_s']:.2f} s (target <= 5 s at 1M: "
            f"{met(last['build_s'] <= TARGETS['build_s']) if last['n'] >= 1_000_000 else 'not run at 1M'}), "
            f"peak RSS {last['rss_mb']:.0f} MB (target <= 1 GB, flat: "
            f"{met(last['rss_mb'] <= TARGETS['rss_mb'])}; {rows[0]['rss_mb']:.0f} MB at {rows[0]['n']:,}).",
        ]
    )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
