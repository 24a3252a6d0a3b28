"""The timeline-summarization benchmark: the news-tls protocol on a news-tls-layout dataset.

Reproduces the task set-up of news-tls ``experiments/evaluate.py`` and
``news_tls/data.py`` (Gholipour Ghalandari & Ifrim, 2020) on a dataset folder
of topics, each with ``articles.jsonl``, ``timelines.jsonl`` and ``keywords.json``
(Timeline17, Crisis, Entities):

- tasks: topics sorted by name; every non-empty line of ``timelines.jsonl`` is a
  task (news-tls also skips a line holding an empty list);
- reference: ``{date: sentences}``; a date repeated in a line keeps its last summary;
- budgets: ``L`` = number of reference dates, ``k`` = ``round(mean sentences per date)``
  with Python's banker's rounding (2.5 -> 2);
- input: articles published in ``[first ref date - e, last ref date + e]``, where
  ``e`` = 7 days under the Entities protocol and 0 under Timeline17's (and Crisis's);
  the protocol is told by the data (:func:`detect_protocol`: news-tls tests the folder name
  ``entities``; Entities' timelines also write their dates ``"YYYY-MM-DD 00:00:00"``, where
  Timeline17's and Crisis's write ``"YYYY-MM-DDT00:00:00"``), or named (``protocol=``);
  ``time_span_extension`` overrides the days;
- query: the topic's ``keywords.json``;
- the builder's ``start``/``end`` are that same window: news-tls keeps only ranked dates
  in ``[collection.start, collection.end]``, which it sets to the input window (so the
  reference's first/last date when ``e`` = 0);
- Entities' ``trunc_timelines`` is not applied: in news-tls it returns the references
  unchanged (it builds the truncated dictionary, then wraps the original).

Scoring is :mod:`dateline.evaluate.tls_metrics` (tilse ROUGE, news-tls date F1 and averaging).
"""

from __future__ import annotations

import json
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Article, Timeline
from .tls_metrics import ALIGN_M1, METRICS, TimelineLike, TLSScorer, TLSScores, average_scores, to_tilse

if TYPE_CHECKING:
    from ..timeline import BuildOptions

__all__ = [
    "Predictor",
    "TLSBenchmark",
    "TLSTask",
    "TaskResult",
    "TopicStats",
    "articles_in_window",
    "average_summary_length",
    "default_time_span_extension",
    "detect_protocol",
    "input_window",
    "load_tasks",
    "load_topic_tasks",
    "read_reference_timelines",
    "run_tls_benchmark",
]

ENTITIES_EXTENSION_DAYS = 7
# The news-tls protocols by name: how many days the input window is widened on each side.
PROTOCOLS: dict[str, int] = {"t17": 0, "entities": ENTITIES_EXTENSION_DAYS}
# Entities' reference dates ("2001-02-12 00:00:00"): a space, not Timeline17's "T", before the time.
_ENTITIES_DATE = re.compile(r'^\s*\[\s*\[\s*"\d{4}-\d\d-\d\d \d')

# (articles of the window, task) -> predicted timeline; replaces the builder in tests and ablations.
Predictor = Callable[[Sequence[Article], "TLSTask"], TimelineLike]


@dataclass(frozen=True)
class TLSTask:
    """One reference timeline of one topic, with the budgets and input window it implies."""

    topic: str
    index: int  # position among the topic's non-empty timeline lines, from 0
    reference: Mapping[date, tuple[str, ...]]  # in date order
    keywords: tuple[str, ...]
    start: date  # input window, inclusive
    end: date

    @property
    def name(self) -> str:
        """``topic/index``, e.g. ``bpoil/3``."""
        return f"{self.topic}/{self.index}"

    @property
    def max_dates(self) -> int:
        """The date budget L: the number of reference dates."""
        return len(self.reference)

    @property
    def max_sentences(self) -> int:
        """The per-date sentence budget k: ``round(mean sentences per reference date)``."""
        return average_summary_length(self.reference)

    def options(self) -> BuildOptions:
        """What news-tls asks a system for this task: L dates of k sentences, about the keywords, in the window."""
        from ..timeline import BuildOptions  # late: scoring alone needs no builder

        return BuildOptions(
            dates=self.max_dates,
            sentences=self.max_sentences,
            query=list(self.keywords),
            start=self.start,
            end=self.end,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "index": self.index,
            "L": self.max_dates,
            "k": self.max_sentences,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "keywords": list(self.keywords),
        }


def _parse_time(value: str) -> date:
    # news-tls reads "2009-06-25T00:00:00" with arrow and keeps the calendar day.
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value[:10])


def read_reference_timelines(path: str | Path) -> list[dict[date, tuple[str, ...]]]:
    """The reference timelines of a ``timelines.jsonl``: one ``{date: sentences}`` per non-empty line."""
    path = Path(path)
    timelines = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue  # Crisis files contain empty lines.
            try:
                items = json.loads(line)
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not a JSON timeline: {exc}") from exc
            if not items:
                continue  # news-tls: `if raw_tl:`
            by_date: dict[date, tuple[str, ...]] = {}
            for when, sentences in items:
                # A repeated date keeps its last summary, as news-tls's dict() does.
                by_date[_parse_time(when)] = tuple(sentences)
            timelines.append(dict(sorted(by_date.items())))
    return timelines


def average_summary_length(reference: Mapping[date, Sequence[str]]) -> int:
    """news-tls's k: Python ``round`` of the mean number of sentences per date (2.5 -> 2)."""
    lengths = [len(sentences) for sentences in reference.values()]
    return round(sum(lengths) / len(lengths))


def input_window(reference_dates: Iterable[date], extension_days: int = 0) -> tuple[date, date]:
    """news-tls's input time span: ``[first - e, last + e]`` (inclusive), within the calendar."""
    dates = list(reference_dates)
    first, last = min(dates), max(dates)
    # Widened by at most the days left to date.min / date.max: past them date arithmetic overflows.
    before = timedelta(days=min(extension_days, (first - date.min).days))
    after = timedelta(days=min(extension_days, (date.max - last).days))
    return first - before, last + after


def detect_protocol(dataset_dir: str | Path) -> str:
    """``"entities"`` for a folder named ``entities`` (news-tls's test) or whose timelines write dates
    ``"YYYY-MM-DD 00:00:00"`` (Entities' form), else ``"t17"`` (Timeline17's and Crisis's)."""
    dataset_dir = Path(dataset_dir)
    if dataset_dir.name == "entities":
        return "entities"
    for path in sorted(dataset_dir.glob("*/timelines.jsonl")):
        with path.open(encoding="utf-8") as f:
            first = next((line for line in f if line.strip()), "")
        if first:
            return "entities" if _ENTITIES_DATE.match(first) else "t17"
    return "t17"


def default_time_span_extension(dataset_dir: str | Path) -> int:
    """The input window's widening, in days, under the dataset's protocol (:func:`detect_protocol`): 7 or 0."""
    return PROTOCOLS[detect_protocol(dataset_dir)]


def load_topic_tasks(topic_dir: str | Path, *, time_span_extension: int = 0) -> list[TLSTask]:
    """The tasks of one topic folder, in file order."""
    topic_dir = Path(topic_dir)
    keywords = json.loads((topic_dir / "keywords.json").read_text(encoding="utf-8"))
    if isinstance(keywords, str):
        keywords = [keywords]
    tasks = []
    for index, reference in enumerate(read_reference_timelines(topic_dir / "timelines.jsonl")):
        start, end = input_window(reference, time_span_extension)
        tasks.append(
            TLSTask(
                topic=topic_dir.name,
                index=index,
                reference=reference,
                keywords=tuple(keywords),
                start=start,
                end=end,
            )
        )
    return tasks


def _topic_dirs(dataset_dir: Path, topics: Sequence[str] | None) -> list[Path]:
    available = sorted(p.name for p in dataset_dir.iterdir() if (p / "timelines.jsonl").is_file())
    if not available:
        raise FileNotFoundError(f"{dataset_dir}: no topic folder with a timelines.jsonl")
    if topics is None:
        return [dataset_dir / name for name in available]
    missing = [t for t in topics if t not in available]
    if missing:
        raise ValueError(f"{dataset_dir}: unknown topic(s) {missing}; available: {available}")
    return [dataset_dir / name for name in sorted(topics)]


def load_tasks(
    dataset_dir: str | Path,
    *,
    topics: Sequence[str] | None = None,
    time_span_extension: int | None = None,
) -> list[TLSTask]:
    """Every task of a news-tls-layout dataset, topics sorted by name."""
    dataset_dir = Path(dataset_dir)
    if time_span_extension is None:
        time_span_extension = default_time_span_extension(dataset_dir)
    return [
        task
        for topic_dir in _topic_dirs(dataset_dir, topics)
        for task in load_topic_tasks(topic_dir, time_span_extension=time_span_extension)
    ]


def articles_in_window(articles: Iterable[Article], start: date, end: date) -> list[Article]:
    """The articles published in ``[start, end]``, in their input order.

    news-tls stops at the first article after ``end`` because its input is
    sorted; filtering gives the same set without assuming an order.
    """
    return [a for a in articles if start <= a.published <= end]


@dataclass(frozen=True)
class TaskResult:
    """One task's prediction, scores and cost."""

    task: TLSTask
    scores: TLSScores
    prediction: Mapping[date, tuple[str, ...]]
    articles: int  # articles in the input window given to the builder
    build_seconds: float  # includes annotating the articles the cache did not hold yet
    score_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.task.to_dict(),
            "articles": self.articles,
            "predicted_dates": len(self.prediction),
            "build_seconds": round(self.build_seconds, 3),
            "score_seconds": round(self.score_seconds, 3),
            "scores": self.scores.to_dict(),
            "prediction": [[d.isoformat(), list(s)] for d, s in self.prediction.items()],
        }


@dataclass(frozen=True)
class TopicStats:
    """Cost of one topic: ingesting once, then annotating and building for each of its tasks.

    ``peak_rss_mb`` is the process-wide RSS high-water mark (``getrusage``)
    when the topic finished, so it never decreases from one topic to the
    next; ``peak_child_rss_mb`` is the largest child process's (annotation
    workers when ``processes`` > 1).
    """

    topic: str
    articles: int
    tasks: int
    ingest_seconds: float
    build_seconds: float
    score_seconds: float
    peak_rss_mb: float
    peak_child_rss_mb: float

    @property
    def seconds(self) -> float:
        """Ingest + annotate + build (scoring excluded)."""
        return self.ingest_seconds + self.build_seconds

    @property
    def articles_per_second(self) -> float:
        """Articles ingested per second of ingest + annotate + build."""
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "articles": self.articles,
            "tasks": self.tasks,
            "ingest_seconds": round(self.ingest_seconds, 3),
            "build_seconds": round(self.build_seconds, 3),
            "score_seconds": round(self.score_seconds, 3),
            "seconds": round(self.seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "peak_child_rss_mb": round(self.peak_child_rss_mb, 1),
        }


_COLUMNS = (("concat", "concat"), ("agreement", "agreement"), (ALIGN_M1, "align+ m:1"))


def _fmt(value: float) -> str:
    return f"{value:.3f}"


@dataclass(frozen=True)
class TLSBenchmark:
    """All task results of a run, per-topic costs and the news-tls average."""

    results: tuple[TaskResult, ...]
    topics: tuple[TopicStats, ...]
    average: TLSScores
    settings: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "dateline.tls-benchmark/1",
            "settings": dict(self.settings),
            "average": self.average.to_dict(),
            "tasks": [r.to_dict() for r in self.results],
            "topics": [t.to_dict() for t in self.topics],
        }

    def to_markdown(self) -> str:
        """The per-task score table with the averages row, then the per-topic cost table."""
        metrics = [(m, label) for m, label in _COLUMNS if m in self.average.rouge]
        head = ["topic", "task", "L", "k"]
        for _, label in metrics:
            head += [f"{label} R1 F", f"{label} R2 F"]
        head += ["date F1", "seconds"]
        align = ["---", "---:"] + ["---:"] * (len(head) - 2)

        def score_cells(scores: TLSScores) -> list[str]:
            cells = []
            for metric, _ in metrics:
                cells += [_fmt(scores.f1(metric, "rouge_1")), _fmt(scores.f1(metric, "rouge_2"))]
            return cells + [_fmt(scores.date.f1)]

        lines = [
            f"Backend: {self.settings.get('rouge', '?')} ROUGE (tilse 0.2.1), "
            f"method: {self.settings.get('method', '?')}, "
            f"dataset: {self.settings.get('dataset', '?')}, "
            f"protocol: {self.settings.get('protocol', '?')} "
            f"(input window widened by {self.settings.get('time_span_extension', '?')} days on each side).",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "|".join(align) + "|",
        ]
        for r in self.results:
            row = [r.task.topic, str(r.task.index), str(r.task.max_dates), str(r.task.max_sentences)]
            row += score_cells(r.scores) + [f"{r.build_seconds:.1f}"]
            lines.append("| " + " | ".join(row) + " |")
        total = sum(r.build_seconds for r in self.results)
        avg = [f"**average** ({len(self.results)} tasks)", "", "", ""]
        avg += [f"**{c}**" for c in score_cells(self.average)] + [f"{total:.1f}"]
        lines.append("| " + " | ".join(avg) + " |")
        lines += [
            "",
            "Scores are F1; the averages row is the F1 of the mean precision and mean recall "
            "over tasks (news-tls). `seconds` is building time (annotation included where the "
            "cache missed).",
            "",
            "| topic | articles | tasks | ingest s | build s | score s | articles/s | peak RSS MB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for t in self.topics:
            lines.append(
                f"| {t.topic} | {t.articles} | {t.tasks} | {t.ingest_seconds:.2f} | "
                f"{t.build_seconds:.1f} | {t.score_seconds:.1f} | {t.articles_per_second:.1f} | "
                f"{t.peak_rss_mb:.0f} |"
            )
        lines += [
            "",
            "articles/s = articles ingested / (ingest + annotate + build seconds); peak RSS is "
            "the process-wide high-water mark when the topic finished.",
        ]
        return "\n".join(lines) + "\n"


def _rss_mb(who: int) -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _as_mapping(timeline: TimelineLike) -> dict[date, tuple[str, ...]]:
    tl = to_tilse(timeline)
    return {d: tuple(tl.dates_to_summaries[d]) for d in sorted(tl.dates_to_summaries)}


def _report_progress(result: TaskResult) -> None:
    task, scores = result.task, result.scores
    align = f" align+ m:1 R1 F={scores.f1(ALIGN_M1, 'rouge_1'):.3f}" if ALIGN_M1 in scores.rouge else ""
    print(
        f"[tls] {task.name}: L={task.max_dates} k={task.max_sentences} articles={result.articles} "
        f"build {result.build_seconds:.1f}s score {result.score_seconds:.1f}s{align} "
        f"date F1={scores.date.f1:.3f}",
        file=sys.stderr,
        flush=True,
    )


def _builder_predictor(method: str, cache: Any, progress: bool, build_options: Mapping[str, Any]) -> Predictor:
    from .. import build_timeline  # late: the builder is optional for scoring-only use

    def predict(articles: Sequence[Article], task: TLSTask) -> Timeline:
        return build_timeline(
            articles,
            dates=task.max_dates,
            sentences=task.max_sentences,
            query=list(task.keywords),
            start=task.start,
            end=task.end,
            method=method,
            cache=cache,
            progress=progress,
            **build_options,
        )

    return predict


def _run_topic(
    topic_dir: Path, extension: int, predict: Predictor, scorer: TLSScorer, max_articles: int | None, progress: bool
) -> tuple[list[TaskResult], TopicStats]:
    from ..ingest import read_articles

    tasks = load_topic_tasks(topic_dir, time_span_extension=extension)
    started = time.perf_counter()
    articles = list(read_articles(topic_dir / "articles.jsonl"))
    ingest_seconds = time.perf_counter() - started
    results = []
    for task in tasks:
        window = articles_in_window(articles, task.start, task.end)
        if max_articles is not None:
            window = window[:max_articles]
        started = time.perf_counter()
        predicted = predict(window, task)
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        scores = scorer.score(predicted, task.reference)
        score_seconds = time.perf_counter() - started
        result = TaskResult(
            task=task,
            scores=scores,
            prediction=_as_mapping(predicted),
            articles=len(window),
            build_seconds=build_seconds,
            score_seconds=score_seconds,
        )
        results.append(result)
        if progress:
            _report_progress(result)
    stats = TopicStats(
        topic=topic_dir.name,
        articles=len(articles),
        tasks=len(tasks),
        ingest_seconds=ingest_seconds,
        build_seconds=sum(r.build_seconds for r in results),
        score_seconds=sum(r.score_seconds for r in results),
        peak_rss_mb=_rss_mb(resource.RUSAGE_SELF),
        peak_child_rss_mb=_rss_mb(resource.RUSAGE_CHILDREN),
    )
    return results, stats


def run_tls_benchmark(
    dataset_dir: str | Path,
    *,
    topics: Sequence[str] | None = None,
    method: str = "datewise",
    rouge: str = "perl",
    max_articles: int | None = None,
    progress: bool = True,
    protocol: str = "auto",
    time_span_extension: int | None = None,
    cache_dir: str | Path | None = None,
    predictor: Predictor | None = None,
    metrics: Sequence[str] = METRICS,
    **build_options: Any,
) -> TLSBenchmark:
    """Run and score every task of a news-tls-layout dataset (``dataset_dir/<topic>/...``).

    Each topic is ingested once (``dateline.ingest.read_articles``); each
    task gets the articles of its input window (the first ``max_articles``
    of them, in file order, when set) and is built with
    ``dateline.build_timeline(dates=L, sentences=k, query=keywords,
    start=..., end=..., method=method, cache=..., **build_options)``.
    Annotations are shared through one ``AnnotationCache``: the ``cache``
    given in ``build_options``, else one in ``cache_dir``, else one in a fresh
    temporary folder (so timings include annotating each article once).
    ``predictor`` replaces the builder. Progress lines go to stderr.
    ``protocol`` is ``"t17"``, ``"entities"`` or ``"auto"`` (:func:`detect_protocol`).
    """
    dataset_dir = Path(dataset_dir)
    if protocol == "auto":
        protocol = detect_protocol(dataset_dir)
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; choose from auto, {', '.join(PROTOCOLS)}")
    extension = PROTOCOLS[protocol] if time_span_extension is None else time_span_extension
    scorer = TLSScorer(rouge, metrics=metrics)
    temp_dir = None
    cache = build_options.pop("cache", None)
    if predictor is None and cache is None:
        from ..annotate import AnnotationCache

        if cache_dir is None:
            temp_dir = tempfile.TemporaryDirectory(prefix="dateline-tls-")
            cache_dir = temp_dir.name
        cache = AnnotationCache(cache_dir)
    predict = predictor or _builder_predictor(method, cache, progress, build_options)

    results: list[TaskResult] = []
    stats: list[TopicStats] = []
    try:
        for topic_dir in _topic_dirs(dataset_dir, topics):
            topic_results, topic_stats = _run_topic(topic_dir, extension, predict, scorer, max_articles, progress)
            results.extend(topic_results)
            stats.append(topic_stats)
    finally:
        if temp_dir is not None:
            temp_dir.cleanup()

    if not results:
        raise ValueError(f"{dataset_dir}: no task to run")
    settings = {
        "dataset": dataset_dir.name,
        "protocol": protocol,
        "topics": [s.topic for s in stats],
        "method": method if predictor is None else getattr(predictor, "__name__", "predictor"),
        "rouge": scorer.rouge,
        "max_articles": max_articles,
        "time_span_extension": extension,
        "build_options": {k: repr(v) for k, v in build_options.items()},
    }
    return TLSBenchmark(
        results=tuple(results),
        topics=tuple(stats),
        average=average_scores([r.scores for r in results]),
        settings=settings,
    )
