"""Ablation of the default timeline method on Timeline17: what each stage is worth.

Each row rebuilds all 19 T17 tasks with one part of the default
``datewise`` method switched off, and scores it with tilse's ``reimpl``
ROUGE (about 3-4% below the Perl ROUGE of BENCHMARKS.md, but 7x faster;
the ranking of variants is what matters here). Annotations are cached in
``--cache-dir`` so only the first run pays for them.

    python benchmarks/ablation_t17.py ../shared/data/t17 -o benchmarks/ablation.md
"""

from __future__ import annotations

import argparse
import sys
import time
from functools import partial
from pathlib import Path

from dateline.annotate import AnnotationCache, annotate_all
from dateline.evaluate.tls import run_tls_benchmark
from dateline.evaluate.tls_metrics import ALIGN_M1
from dateline.timeline import CentroidSummarizer, EvidenceCollector, MentionRanker, PublicationRanker
from dateline.timeline.builder import TimelineBuilder
from dateline.timeline.vectors import tfidf_vectors

VARIANTS: dict[str, TimelineBuilder] = {
    "default (datewise)": TimelineBuilder("datewise", MentionRanker(), CentroidSummarizer()),
    "undated leads count for their publication day only": TimelineBuilder(
        "a", MentionRanker(), CentroidSummarizer(), EvidenceCollector(publication_days=1)
    ),
    "topic centroid mixed in (weight 1, the previous default)": TimelineBuilder(
        "b", MentionRanker(), CentroidSummarizer(topic_weight=1.0)
    ),
    "sentences ranked one by one (not as a summary)": TimelineBuilder(
        "c", MentionRanker(), CentroidSummarizer(whole_summary=False)
    ),
    "no hindsight weighting (each mentioning article counts 1)": TimelineBuilder(
        "h", MentionRanker(hindsight_days=0), CentroidSummarizer()
    ),
    "every query article counts alike (no relevance weighting)": TimelineBuilder(
        "r", MentionRanker(relevance_exponent=0), CentroidSummarizer()
    ),
    "datelines and page furniture kept (in sentences and as date mentions)": TimelineBuilder(
        "d", MentionRanker(), CentroidSummarizer(), EvidenceCollector(trim_datelines=False)
    ),
    "centroid without hindsight (every sentence weighs 1)": TimelineBuilder(
        "g", MentionRanker(), CentroidSummarizer(hindsight=0)
    ),
    "TF-IDF over words, not Porter stems": TimelineBuilder(
        "s", MentionRanker(), CentroidSummarizer(vectorize=partial(tfidf_vectors, stem=False))
    ),
    "dates ranked by publications (pubcount)": TimelineBuilder("e", PublicationRanker(), CentroidSummarizer()),
    "all of the above off (but pubcount)": TimelineBuilder(
        "f",
        MentionRanker(hindsight_days=0, relevance_exponent=0),
        CentroidSummarizer(
            topic_weight=1.0, whole_summary=False, hindsight=0, vectorize=partial(tfidf_vectors, stem=False)
        ),
        EvidenceCollector(publication_days=1, trim_datelines=False),
    ),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/dateline-ablation-cache"))
    parser.add_argument("-j", "--processes", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)

    cache = AnnotationCache(args.cache_dir)
    memo: dict[str, object] = {}

    def annotated(articles):
        missing = [a for a in articles if a.id not in memo]
        for a in annotate_all(missing, cache=cache, processes=args.processes):
            memo[a.article.id] = a
        return [memo[a.id] for a in articles]

    lines = [
        "| variant | align+ m:1 R1 | align+ m:1 R2 | date F1 | concat R1 | concat R2 | agreement R1 | agreement R2 | build s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, builder in VARIANTS.items():
        seconds = 0.0

        def predict(articles, task, builder=builder):
            nonlocal seconds
            ready = annotated(articles)
            started = time.perf_counter()
            timeline = builder.build(ready, task.options())
            seconds += time.perf_counter() - started
            return timeline

        result = run_tls_benchmark(args.dataset, rouge="reimpl", predictor=predict, progress=False)
        a = result.average
        row = (
            f"| {label} | {a.f1(ALIGN_M1, 'rouge_1'):.4f} | {a.f1(ALIGN_M1, 'rouge_2'):.4f} | {a.date.f1:.4f} "
            f"| {a.f1('concat', 'rouge_1'):.4f} | {a.f1('concat', 'rouge_2'):.4f} "
            f"| {a.f1('agreement', 'rouge_1'):.4f} | {a.f1('agreement', 'rouge_2'):.4f} | {seconds:.1f} |"
        )
        lines.append(row)
        print(row, file=sys.stderr, flush=True)
    table = "\n".join(lines) + "\n"
    print(table)
    if args.output:
        header = "# T17 ablation (tilse reimpl ROUGE, 19 tasks)\n\nMade by `python benchmarks/ablation_t17.py`.\n\n"
        args.output.write_text(header + table, encoding="utf-8")


if __name__ == "__main__":
    main()
