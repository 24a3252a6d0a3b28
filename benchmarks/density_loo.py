"""The crowding's two constants, chosen by nested leave-one-topic-out over the 23 development topics.

:class:`dateline.timeline.MentionRanker` divides each article's count by how
much denser the coverage is around its publication than over the corpus
(within ``density_window`` of the corpus's span, to the power
``density_exponent``).
For each held-out topic, the pair that scores best on the other 22 (the mean
of the two datasets' date F1, each news-tls's F1 of the mean precision and
recall over its tasks) is chosen from the grid below and scored on the topic
it never saw: the cross-validated figure of BENCHMARKS.md, section 1b. The
choice is by date F1, what a date ranker is for; align+ m:1 ROUGE-1 and -2
(tilse's ``reimpl``, as ``loo_23.py`` scores) are shown beside it for every
pair. Each task's evidence is collected once, since only the ranker changes.

    PYTHONPATH=src .venv/bin/python benchmarks/density_loo.py ../shared/data/t17 ../shared/data/entities-dev \\
        --cache-dir /tmp/dateline-loo -j 2
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.annotate import AnnotationCache
from dateline.evaluate.tls import TLSTask
from dateline.evaluate.tls_metrics import ALIGN_M1, TLSScorer, TLSScores, average_scores
from dateline.model import AnnotatedArticle
from dateline.timeline import CentroidSummarizer, Evidence, MentionRanker
from dateline.timeline.builder import TimelineBuilder
from dateline.timeline.evidence import EvidenceCollector
from loo_23 import Topic, load, window

WINDOWS = (0.02, 0.03, 0.05, 0.07, 0.1, 0.15)
EXPONENTS = (0.25, 0.4, 0.5, 0.6, 0.75, 1.0)
OFF = (0.07, 0.0)  # the ranker without the crowding
GRID = [OFF] + [(w, a) for w in WINDOWS for a in EXPONENTS]


@dataclass(frozen=True)
class _CollectOnce(EvidenceCollector):
    """The evidence stage, run once per list of articles (the same list for every setting of a task)."""

    kept: dict[int, Evidence] = field(default_factory=dict, compare=False)

    def collect(self, annotated: Sequence[AnnotatedArticle], **settings: Any) -> Evidence:
        if id(annotated) not in self.kept:
            self.kept[id(annotated)] = super().collect(annotated, **settings)
        return self.kept[id(annotated)]


_TASKS: list[tuple[Topic, TLSTask, list[AnnotatedArticle]]] = []  # set before the workers fork
_COLLECTOR = _CollectOnce()  # per process: each task's evidence, collected for its first setting


def score_setting(setting: tuple[float, float]) -> list[TLSScores]:
    """Every task's scores with the ranker's crowding set to ``setting`` (window, exponent)."""
    ranker = MentionRanker(density_window=setting[0], density_exponent=setting[1])
    builder = TimelineBuilder("datewise", ranker, CentroidSummarizer(), collector=_COLLECTOR)
    scorer = TLSScorer("reimpl", metrics=(ALIGN_M1,))
    scores = [scorer.score(builder.build(articles, task.options()), task.reference) for _, task, articles in _TASKS]
    print(f"[density] {setting}: done", file=sys.stderr, flush=True)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--cache-dir", type=Path, help="Annotation cache (default: a fresh temporary one).")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    topics: list[Topic] = load(args.datasets, AnnotationCache(args.cache_dir))
    datasets = sorted({t.dataset for t in topics}, key=[t.dataset for t in topics].index)
    _TASKS[:] = [(topic, task, window(topic, task)) for topic in topics for task in topic.tasks]
    with ProcessPoolExecutor(args.jobs) as pool:
        scores = dict(zip(GRID, pool.map(score_setting, GRID)))

    def average(setting: tuple[float, float], dataset: str, leave_out: str | None = None) -> TLSScores:
        return average_scores(
            [s for (t, _, _), s in zip(_TASKS, scores[setting]) if t.dataset == dataset and t.name != leave_out]
        )

    # For each held-out topic, the setting with the best date F1 on the other 22, scored on it.
    held_out: dict[str, list[TLSScores]] = {d: [] for d in datasets}
    picks: Counter[tuple[float, float]] = Counter()
    for topic in topics:
        best = max(GRID, key=lambda s: sum(average(s, d, leave_out=topic.name).date.f1 for d in datasets))
        picks[best] += 1
        held_out[topic.dataset] += [s for (t, _, _), s in zip(_TASKS, scores[best]) if t.name == topic.name]

    def cells(s: TLSScores) -> str:
        return f"{s.f1(ALIGN_M1, 'rouge_1'):.4f} | {s.f1(ALIGN_M1, 'rouge_2'):.4f} | {s.date.f1:.4f}"

    lines = [
        "align+ m:1 ROUGE-1 / ROUGE-2 F1 (tilse reimpl) and date F1, news-tls's average over each dataset's tasks.",
        "",
        "| density_window | density_exponent | "
        + " | ".join(f"{d} R1 | {d} R2 | {d} date F1" for d in datasets)
        + " |",
        "|---:|---:|" + "---:|" * (3 * len(datasets)),
    ]
    for setting in GRID:
        row = " | ".join(cells(average(setting, d)) for d in datasets)
        lines.append(f"| {setting[0]} | {setting[1]} | {row} |")
    nested = " | ".join(cells(average_scores(held_out[d])) for d in datasets)
    lines += [
        f"| chosen for each held-out topic on the other 22 (nested) | | {nested} |",
        "",
        "Chosen: " + ", ".join(f"{s} for {n} topics" for s, n in picks.most_common()) + ".",
        f"{time.perf_counter() - started:.0f} s on {args.jobs} processes.",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
