"""Leave-one-topic-out over the 23 development topics (Timeline17's 9, Entities' 14): what generalises.

Every variant is built on every task of every topic, each topic under its own
protocol (``dateline.evaluate.tls.detect_protocol``: Entities' input window is
widened by 7 days), and scored with tilse's ``reimpl`` ROUGE (a few percent
below the Perl ROUGE of BENCHMARKS.md, and 7x faster; the ranking of variants
is what matters here). A variant with nothing fitted scores the same held out
as not; the learned date ranker is trained, for each topic, on the other 22
only (a logistic regression over the date features below, every task weighing
the same), so its figure is the cross-validated one. Annotations are cached in
``--cache-dir`` so only the first run pays for them.

    PYTHONPATH=src .venv/bin/python benchmarks/loo_23.py ../shared/data/t17 ../shared/data/entities-dev \\
        --cache-dir /tmp/dateline-loo -o benchmarks/loo_23.md
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

from dateline.annotate import AnnotationCache, annotate_all
from dateline.evaluate.tls import PROTOCOLS, TLSTask, detect_protocol, load_topic_tasks
from dateline.evaluate.tls_metrics import ALIGN_M1, TLSScorer, TLSScores, average_scores
from dateline.ingest import read_articles
from dateline.model import AnnotatedArticle
from dateline.timeline import CentroidSummarizer, Evidence, MentionRanker, Query, collect_evidence
from dateline.timeline.builder import TimelineBuilder
from dateline.timeline.evidence import When

# --- the learned date ranker's features: each scaled to mean the same in any corpus ---------------------------

FEATURES = (
    "mention score (log, relative to the best date's)",
    "articles naming the date (log, relative)",
    "articles naming it a week or more later (log, relative)",
    "articles naming it a year or more later (log, relative)",
    "articles published on it or the day after (log, relative)",
    "those publications against articles per day (log)",
    "outlets naming it (log)",
    "latest mention, years after the date (log)",
    "share of naming articles published the same day",
    "rank in the mention ranking (log)",
    "before the first article",
    "x corpus span in years (log): recalled a year later",
    "x corpus span: mention score",
    "x corpus span: published",
)


def _relative(values: Sequence[float]) -> np.ndarray:
    logs = np.log1p(np.asarray(values, dtype=float))
    return logs - logs.max() if len(logs) else logs


def date_features(evidence: Evidence, base: dict[When, float]) -> tuple[list[When], np.ndarray]:
    """One row of :data:`FEATURES` per date of ``base`` (the mention ranker's scores)."""
    dates = list(base)
    published = [a.article.published for a in evidence.articles]
    per_day = Counter(published)
    first, last = min(published), max(published)
    span = math.log1p(max((last - first).days, 1) / 365.25)
    per_article_day = len(published) / max((last - first).days + 1, 1)
    outlet = [a.article.source or (a.article.name or "").rsplit("/", 1)[0] for a in evidence.articles]
    cols: dict[str, list[float]] = {k: [] for k in ("n", "week", "year", "pub", "outlets", "lag", "same")}
    for d in dates:
        ev = evidence.dates[d]
        lags = list(ev.hindsight.values())
        cols["n"].append(len(ev.mentioning))
        cols["week"].append(sum(lag >= 7 for lag in lags))
        cols["year"].append(sum(lag >= 365 for lag in lags))
        cols["pub"].append(per_day.get(ev.date, 0) + per_day.get(ev.date + timedelta(days=1), 0))
        cols["outlets"].append(len({outlet[i] for i in ev.mentioning}))
        cols["lag"].append(max(lags, default=0))
        cols["same"].append(sum(lag == 0 for lag in lags) / len(lags) if lags else 0.0)
    scores = np.asarray([base[d] for d in dates])
    rank = np.empty(len(dates))
    rank[np.argsort(-scores, kind="stable")] = np.arange(len(dates))
    mention, year, pub = _relative(scores), _relative(cols["year"]), _relative(cols["pub"])
    matrix = np.column_stack(
        [
            mention,
            _relative(cols["n"]),
            _relative(cols["week"]),
            year,
            pub,
            np.log1p(np.asarray(cols["pub"]) / (2 * per_article_day)),
            np.log1p(np.asarray(cols["outlets"], dtype=float)),
            np.log1p(np.asarray(cols["lag"], dtype=float) / 365.25),
            np.asarray(cols["same"]),
            np.log1p(rank),
            np.asarray([float(evidence.dates[d].date < first) for d in dates]),
            year * span,
            mention * span,
            pub * span,
        ]
    )
    return dates, matrix


@dataclass
class LearnedRanker:
    """The mention ranker's dates, re-scored by a logistic regression over :func:`date_features`."""

    coef: np.ndarray
    intercept: float
    name: str = "learned"

    def rank(self, evidence: Evidence) -> list[tuple[When, float]]:
        base = dict(MentionRanker(density_exponent=0).rank(evidence))  # the rule it was measured against
        if not base:
            return []
        dates, matrix = date_features(evidence, base)
        scores = matrix @ self.coef + self.intercept
        return sorted(zip(dates, scores.tolist()), key=lambda item: -item[1])


# --- topics, tasks, variants ----------------------------------------------------------------------------------


@dataclass
class Topic:
    dataset: str
    name: str
    tasks: list[TLSTask]
    annotated: list[AnnotatedArticle]


def window(topic: Topic, task: TLSTask) -> list[AnnotatedArticle]:
    return [a for a in topic.annotated if task.start <= a.article.published <= task.end]


_TRAINING: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}  # per process: a topic's (features, labels) per task


def _training_rows(topic: Topic) -> list[tuple[np.ndarray, np.ndarray]]:
    if topic.name not in _TRAINING:
        rows = []
        for task in topic.tasks:
            query = Query.parse(list(task.keywords))
            ev = collect_evidence(window(topic, task), query=query, start=task.start, end=task.end)
            base = dict(MentionRanker(density_exponent=0).rank(ev))
            if base:
                dates, matrix = date_features(ev, base)
                rows.append((matrix, np.asarray([d in task.reference for d in dates])))
        _TRAINING[topic.name] = rows
    return _TRAINING[topic.name]


def train_learned(topics: list[Topic]) -> TimelineBuilder:
    """A builder whose date ranker is fitted on ``topics``' reference dates (never the held-out one's)."""
    from sklearn.linear_model import LogisticRegression

    rows = [row for topic in topics for row in _training_rows(topic)]
    x, y = np.vstack([m for m, _ in rows]), np.concatenate([labels for _, labels in rows])
    w = np.concatenate([np.full(len(labels), 1.0 / len(labels)) for _, labels in rows])  # every task weighs the same
    model = LogisticRegression(C=0.1, max_iter=3000).fit(x, y, sample_weight=w * len(y) / w.sum())
    return TimelineBuilder("learned", LearnedRanker(model.coef_[0], float(model.intercept_[0])), CentroidSummarizer())


# name -> a factory given the topics it may fit on (the 22 others; none for a variant with nothing fitted)
VARIANTS: dict[str, Callable[[list[Topic]], TimelineBuilder]] = {
    "before (every corpus weighed as a crisis, no lift for the newest days)": lambda _: TimelineBuilder(
        "before", MentionRanker(coverage_exponent=0, newest=False, density_exponent=0), CentroidSummarizer()
    ),
    "+ coverage (hindsight and dates named away from the query weigh by coverage)": lambda _: TimelineBuilder(
        "coverage", MentionRanker(newest=False, density_exponent=0), CentroidSummarizer()
    ),
    "+ newest days lifted": lambda _: TimelineBuilder(
        "newest", MentionRanker(newest_publications=False, density_exponent=0), CentroidSummarizer()
    ),
    "+ the newest days' own articles count as their news": lambda _: TimelineBuilder(
        "newest-publications", MentionRanker(density_exponent=0), CentroidSummarizer()
    ),
    "+ an article of crowded coverage counts less (shipped default)": lambda _: TimelineBuilder(
        "datewise", MentionRanker(), CentroidSummarizer()
    ),
    "hindsight recalled for a year, not a month": lambda _: TimelineBuilder(
        "year", MentionRanker(hindsight_days=365, density_exponent=0), CentroidSummarizer()
    ),
    "relevance to the query counted in full (exponent 1)": lambda _: TimelineBuilder(
        "relevance", MentionRanker(relevance_exponent=1.0, density_exponent=0), CentroidSummarizer()
    ),
    "learned date ranker (logistic regression, leave-one-topic-out)": train_learned,
}
FITTED = {"learned date ranker (logistic regression, leave-one-topic-out)"}


_TOPICS: list[Topic] = []  # set before the worker processes fork, so that no job pickles the corpora


def run_fold(args: tuple[str, int, str]) -> tuple[str, str, list[TLSScores]]:
    variant, held_out, rouge = args
    topics = _TOPICS
    others = [t for i, t in enumerate(topics) if i != held_out]
    builder = VARIANTS[variant](others if variant in FITTED else [])
    topic = topics[held_out]
    scorer = TLSScorer(rouge, metrics=(ALIGN_M1,))
    scores = []
    for task in topic.tasks:
        timeline = builder.build(window(topic, task), task.options())
        scores.append(scorer.score(timeline, task.reference))
    return variant, topic.name, scores


def load(datasets: Sequence[Path], cache: AnnotationCache) -> list[Topic]:
    topics = []
    for dataset in datasets:
        extension = PROTOCOLS[detect_protocol(dataset)]
        for folder in sorted(p for p in dataset.iterdir() if (p / "timelines.jsonl").is_file()):
            articles = list(read_articles(folder / "articles.jsonl", on_error="skip"))
            annotated = list(annotate_all(articles, cache=cache))
            tasks = load_topic_tasks(folder, time_span_extension=extension)
            topics.append(Topic(dataset.name, folder.name, tasks, annotated))
            print(f"[loo] {dataset.name}/{folder.name}: {len(annotated)} articles", file=sys.stderr, flush=True)
    return topics


def _cells(s: TLSScores) -> str:
    return f"{s.f1(ALIGN_M1, 'rouge_1'):.4f} | {s.f1(ALIGN_M1, 'rouge_2'):.4f} | {s.date.f1:.4f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("datasets", nargs="+", type=Path)
    parser.add_argument("--cache-dir", type=Path, help="Annotation cache (default: a fresh temporary one).")
    parser.add_argument("--rouge", choices=["reimpl", "perl"], default="reimpl")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--only", metavar="TEXT", help="Run only the variants whose name contains TEXT.")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    topics = load(args.datasets, AnnotationCache(args.cache_dir))
    _TOPICS[:] = topics
    names = [v for v in VARIANTS if args.only is None or args.only in v]
    if not names:
        parser.error(f"no variant's name contains {args.only!r}")
    jobs = [(v, i, args.rouge) for v in names for i in range(len(topics))]
    results: dict[tuple[str, str], list[TLSScores]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for variant, topic, scores in pool.map(run_fold, jobs):
            results[(variant, topic)] = scores
            print(f"[loo] {variant[:40]} / {topic}: done", file=sys.stderr, flush=True)

    datasets = sorted({t.dataset for t in topics}, key=[t.dataset for t in topics].index)
    lines = [
        f"align+ m:1 ROUGE-1 / ROUGE-2 F1 and date F1, tilse {args.rouge} ROUGE; each dataset's average is news-tls's "
        "(F1 of the mean precision and recall over its tasks).",
        "",
        "| variant | " + " | ".join(f"{d} R1 | {d} R2 | {d} date F1" for d in datasets) + " |",
        "|---|" + "---:|" * (3 * len(datasets)),
    ]
    for variant in names:
        cells = []
        for d in datasets:
            scores = [s for t in topics if t.dataset == d for s in results[(variant, t.name)]]
            cells.append(_cells(average_scores(scores)))
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    lines += ["", "Per topic (R1 / R2 / date F1, the topic's tasks averaged):", ""]
    lines.append("| topic | " + " | ".join(f"v{i + 1}" for i in range(len(names))) + " |")
    lines.append("|---|" + "---|" * len(names))
    for t in topics:
        row = [
            "{:.3f} / {:.3f} / {:.3f}".format(s.f1(ALIGN_M1, "rouge_1"), s.f1(ALIGN_M1, "rouge_2"), s.date.f1)
            for s in (average_scores(results[(v, t.name)]) for v in names)
        ]
        lines.append(f"| {t.dataset}/{t.name} | " + " | ".join(row) + " |")
    lines += ["", *(f"v{i + 1}: {name}" for i, name in enumerate(names))]
    lines += ["", f"{time.perf_counter() - started:.0f} s on {args.jobs} processes."]
    text = "\n".join(lines) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
