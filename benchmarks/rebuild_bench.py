"""Many timelines of one corpus, one after another: what remembering saves the builds after the first.

``dateline serve`` (and an evaluation, and a notebook) builds timeline after
timeline from the same articles. Two things are remembered across builds:
what the builder's rules say of a sentence (:mod:`dateline.timeline.memo`)
and, for a store, the annotated articles it read
(:data:`dateline.store.store.REMEMBERED_ARTICLES`). This benchmark builds the
same sequence of timelines (a sliding date window and a changing number of
dates, as ``web_bench.py --load`` asks for them) from the corpus in memory
and from a store and from a Parquet corpus of it (with the scale extra), each way twice: remembering, and forgetting
everything before each build (the cost of a build without either). Prints
the CPU time of the first build and the mean of the others, and checks that
both ways give the same timelines.

    python benchmarks/rebuild_bench.py                          # T17 libya, 12 builds
    python benchmarks/rebuild_bench.py ../shared/data/t17/bpoil --builds 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from dateline.annotate import AnnotationCache, annotate_all
from dateline.corpus import Corpus, MemoryCorpus, corpus_timeline
from dateline.ingest import read_articles
from dateline.model import Timeline
from dateline.store import Store
from dateline.store import store as store_module
from dateline.timeline import BuildOptions, memo

LIBYA = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17" / "libya"


def requests(corpus: Corpus, n: int) -> list[BuildOptions]:
    """``n`` distinct timelines, as web_bench.py's load asks for them: a sliding start, a changing length."""
    published = [a.article.published for a in corpus.select(None)]
    first, span = min(published), max(1, (max(published) - min(published)).days)
    return [BuildOptions(start=first + dt.timedelta(days=(k * 8) % span), dates=5 + k % 40) for k in range(1, n + 1)]


def run(
    corpus: Corpus, asked: Sequence[BuildOptions], forget: Callable[[], None] | None
) -> tuple[list[float], list[Timeline]]:
    """CPU seconds of each build, and the timelines; ``forget`` (if any) is called before each build."""
    times, timelines = [], []
    for options in asked:
        if forget is not None:
            forget()
        t = time.process_time()
        timelines.append(corpus_timeline(corpus, options))
        times.append(time.process_time() - t)
    return times, timelines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", default=str(LIBYA), help="articles (any input format; default T17 libya)")
    parser.add_argument("--builds", type=int, default=12, help="timelines built each way")
    parser.add_argument("--cache-dir", help="annotation cache (default: $DATELINE_CACHE or ~/.cache/dateline)")
    parser.add_argument("-j", "--processes", type=int, default=2, help="processes annotating what the cache lacks")
    args = parser.parse_args()

    articles = list(read_articles(args.path, on_error="skip"))
    annotated = list(annotate_all(articles, cache=AnnotationCache(args.cache_dir), processes=args.processes))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "story.db")
        store.add(articles)
        store.annotate(processes=args.processes)
        # Each corpus, with the module whose REMEMBERED_ARTICLES bounds what it keeps (None: nothing kept).
        corpora: dict[str, tuple[Corpus, Any]] = {
            "in memory": (MemoryCorpus(annotated), None),
            "a store": (store, store_module),
        }
        try:
            from dateline.columnar import ParquetCorpus, write_columnar
            from dateline.columnar import corpus as columnar_module
            from dateline.engine import LocalEngine
        except ImportError:
            print("(no Parquet corpus: the scale extra is not installed)")
        else:
            write_columnar([args.path], Path(tmp) / "columnar", LocalEngine(args.processes), on_error="skip")
            corpora["Parquet"] = (ParquetCorpus(Path(tmp) / "columnar"), columnar_module)
        print(f"{args.path}: {len(annotated)} articles, {args.builds} builds each way (CPU seconds)")
        print(f"{'corpus':<10} {'remembered':<11} {'first':>6} {'the others, mean':>17} {'min':>6} {'max':>6}")
        for name, (corpus, module) in corpora.items():
            asked = requests(corpus, args.builds)
            bound = module.REMEMBERED_ARTICLES if module is not None else 0
            results = {}
            for label in ("no", "yes"):
                memo.forget()
                if module is not None:
                    # Nothing remembered when the run starts; with "no", nothing kept of what it reads.
                    module.REMEMBERED_ARTICLES = 0
                    corpus_timeline(corpus, BuildOptions(dates=1, start=dt.date.max))  # reads, keeps nothing
                    module.REMEMBERED_ARTICLES = bound if label == "yes" else 0
                times, timelines = run(corpus, asked, memo.forget if label == "no" else None)
                if module is not None:
                    module.REMEMBERED_ARTICLES = bound
                results[label] = timelines
                rest = times[1:] or times
                print(
                    f"{name:<10} {label:<11} {times[0]:>6.2f} {statistics.mean(rest):>17.2f} "
                    f"{min(rest):>6.2f} {max(rest):>6.2f}"
                )
            if results["no"] != results["yes"]:
                raise SystemExit(f"{name}: the timelines differ with and without remembering")
        for corpus, _ in corpora.values():
            close = getattr(corpus, "close", None)
            if close is not None:
                close()
    print("the same timelines either way")


if __name__ == "__main__":
    main()
