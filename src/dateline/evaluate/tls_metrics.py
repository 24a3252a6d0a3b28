"""Timeline-summarization metrics: tilse 0.2.1's timeline ROUGE plus news-tls's date F1.

Reproduces the scoring of news-tls ``experiments/evaluate.py`` (Gholipour
Ghalandari & Ifrim, 2020), which calls tilse (Martschat & Markert, 2017):

- ROUGE: ``tilse.evaluation.rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"])``,
  whose default backend is the Perl ROUGE-1.5.5 shipped with tilse's pyrouge, run with
  stemming (``-m``), stopword removal (``-s``) and raw counts (``-t 2``). Variants scored:
  ``concat``, ``agreement`` and ``align_date_content_costs_many_to_one`` ("align+ m:1",
  the one news-tls reports). ``rouge="reimpl"`` selects tilse's faster Python
  approximation (a few percent lower; not for published numbers).
- Dates: news-tls's ``evaluate_dates`` (precision, recall and F1 of the predicted date
  set against the reference date set).
- Averaging: news-tls's ``get_average_results``: mean precision and mean recall over
  tasks, then the F1 of those two means (not the mean of per-task F1).

Where we differ from the reference, on purpose: an empty prediction (no dates), or
one with no countable tokens, makes news-tls/tilse raise ``ZeroDivisionError``
(and tilse's many-to-one alignment fail on an empty cost matrix); here it scores 0.
The Perl backend needs perl with ``XML::Parser`` (Debian: ``libxml-parser-perl``);
pyrouge writes its config into ``tempfile.mkdtemp()``, so ``TMPDIR`` must be writable.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from ..model import Timeline

__all__ = [
    "ALIGN_M1",
    "MEASURES",
    "METRICS",
    "PRF",
    "TLSScorer",
    "TLSScores",
    "TimelineLike",
    "average_scores",
    "date_scores",
    "perl_rouge_problem",
    "to_tilse",
]

ALIGN_M1 = "align_date_content_costs_many_to_one"
# tilse method names, in the order reports show them.
METRICS: tuple[str, ...] = ("concat", "agreement", ALIGN_M1)
MEASURES: tuple[str, ...] = ("rouge_1", "rouge_2")
# Our backend names -> tilse's ``rouge_computation`` values.
_BACKENDS = {"perl": "original", "original": "original", "reimpl": "reimpl"}

# A prediction or reference: our Timeline, {date: [sentence, ...]}, or a tilse Timeline.
TimelineLike = Timeline | Mapping[date, Sequence[str]] | Any


def _f1(precision: float, recall: float) -> float:
    # The same expression as news-tls and tilse (beta = 1), so results match to the last bit.
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 of one metric."""

    precision: float
    recall: float
    f1: float

    @classmethod
    def zero(cls) -> PRF:
        """All zeros (what an empty prediction scores)."""
        return cls(0.0, 0.0, 0.0)

    @classmethod
    def from_tilse(cls, d: Mapping[str, float]) -> PRF:
        """From tilse's ``{"precision", "recall", "f_score"}`` dictionary."""
        return cls(float(d["precision"]), float(d["recall"]), float(d["f_score"]))

    def to_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}

    @classmethod
    def from_dict(cls, d: Mapping[str, float]) -> PRF:
        return cls(d["precision"], d["recall"], d["f1"])


@dataclass(frozen=True)
class TLSScores:
    """Scores of one timeline (or an average): ``rouge[metric][measure]`` and ``date``.

    ``metric`` is a tilse method name (:data:`METRICS`), ``measure`` is
    ``rouge_1`` or ``rouge_2``.
    """

    rouge: Mapping[str, Mapping[str, PRF]]
    date: PRF

    def f1(self, metric: str, measure: str) -> float:
        """Shortcut for ``rouge[metric][measure].f1``."""
        return self.rouge[metric][measure].f1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            metric: {measure: prf.to_dict() for measure, prf in by_measure.items()}
            for metric, by_measure in self.rouge.items()
        }
        out["date"] = self.date.to_dict()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TLSScores:
        rouge = {
            metric: {measure: PRF.from_dict(prf) for measure, prf in by_measure.items()}
            for metric, by_measure in d.items()
            if metric != "date"
        }
        return cls(rouge=rouge, date=PRF.from_dict(d["date"]))


def _require_tilse() -> tuple[Any, Any]:
    try:
        from tilse.data import timelines
        from tilse.evaluation import rouge
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("timeline-summarization scoring needs tilse 0.2.1: pip install 'dateline[eval]'") from exc
    return timelines, rouge


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def to_tilse(timeline: TimelineLike) -> Any:
    """A ``tilse.data.timelines.Timeline`` (``{datetime.date: [sentence str, ...]}``) from any timeline.

    Our :class:`~dateline.model.Timeline` contributes each entry's date and its
    sentences' text; entries that share a date (a day and a month starting on
    it) are merged in entry order, since tilse keys summaries by date. A
    coarse (month/year) entry is scored at its first day, as its ``date`` says.
    """
    timelines, _ = _require_tilse()
    if isinstance(timeline, timelines.Timeline):
        return timeline
    if isinstance(timeline, Timeline):
        mapping: dict[date, list[str]] = {}
        for entry in timeline.entries:
            mapping.setdefault(_as_date(entry.date), []).extend(s.text for s in entry.sentences)
    else:
        mapping = {_as_date(d): list(sents) for d, sents in timeline.items()}
    return timelines.Timeline(mapping)


def date_scores(prediction: TimelineLike, reference: TimelineLike) -> PRF:
    """news-tls's date precision/recall/F1; a prediction without dates scores 0 (news-tls divides by 0)."""
    pred_dates = to_tilse(prediction).get_dates()
    ref_dates = to_tilse(reference).get_dates()
    if not pred_dates or not ref_dates:
        return PRF.zero()
    shared = len(pred_dates & ref_dates)
    precision = shared / len(pred_dates)
    recall = shared / len(ref_dates)
    return PRF(precision, recall, _f1(precision, recall))


@cache
def perl_rouge_problem() -> str | None:
    """Why tilse's Perl ROUGE-1.5.5 cannot run here, or None when it can."""
    if shutil.which("perl") is None:
        return "perl is not installed"
    try:
        from pyrouge.base import ROUGE_EVAL_HOME  # type: ignore[import-untyped]
    except ImportError:
        return "pyrouge (installed with tilse 0.2.1) is missing: pip install 'dateline[eval]'"
    # ROUGE-1.5.5.pl loads these at start-up; XML::DOM ships with it but needs XML::Parser.
    check = subprocess.run(
        ["perl", "-I", ROUGE_EVAL_HOME, "-e", "use XML::DOM; use DB_File; 1"],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        first = (check.stderr.strip().splitlines() or ["unknown error"])[0]
        return (
            f"Perl ROUGE-1.5.5 cannot load its modules ({first}); install XML::Parser "
            "(Debian/Ubuntu: apt-get install libxml-parser-perl) or use rouge='reimpl'"
        )
    return None


class TLSScorer:
    """Scores a predicted timeline against one reference timeline, as news-tls does.

    ``rouge`` is ``"perl"`` (tilse's default Perl ROUGE-1.5.5, the published
    numbers) or ``"reimpl"`` (tilse's Python approximation: ~15x faster on Timeline17,
    about 3-4% lower).
    """

    def __init__(self, rouge: str = "perl", metrics: Sequence[str] = METRICS):
        if rouge not in _BACKENDS:
            raise ValueError(f"unknown ROUGE backend {rouge!r}; use 'perl' or 'reimpl'")
        unknown = [m for m in metrics if m not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s) {unknown}; choose from {list(METRICS)}")
        if _BACKENDS[rouge] == "original":
            problem = perl_rouge_problem()
            if problem:
                raise RuntimeError(problem)
        _, rouge_module = _require_tilse()
        self.rouge = "perl" if _BACKENDS[rouge] == "original" else "reimpl"
        self.metrics = tuple(metrics)
        self.evaluator = rouge_module.TimelineRougeEvaluator(
            measures=list(MEASURES), rouge_computation=_BACKENDS[rouge]
        )

    def score(self, prediction: TimelineLike, reference: TimelineLike) -> TLSScores:
        """ROUGE variants and date F1 of ``prediction`` against the single ``reference``."""
        timelines, _ = _require_tilse()
        pred = to_tilse(prediction)
        ref = to_tilse(reference)
        ground_truth = timelines.GroundTruth([ref])
        rouge: dict[str, dict[str, PRF]] = {}
        for metric in self.metrics:
            rouge[metric] = self._rouge(metric, pred, ground_truth)
        return TLSScores(rouge=rouge, date=date_scores(pred, ref))

    def _rouge(self, metric: str, pred: Any, ground_truth: Any) -> dict[str, PRF]:
        zeros = {measure: PRF.zero() for measure in MEASURES}
        if not pred.get_dates():
            # tilse: concat divides by zero, align m:1 takes argmin of an empty row.
            return zeros
        try:
            raw = getattr(self.evaluator, f"evaluate_{metric}")(pred, ground_truth)
        except ZeroDivisionError:
            # concat on a prediction with no countable token: nothing matched, score 0.
            return zeros
        return {measure: PRF.from_tilse(raw[measure]) for measure in MEASURES}


def average_scores(scores: Sequence[TLSScores]) -> TLSScores:
    """news-tls averaging: mean precision and mean recall over tasks, then F1 of the two means."""
    if not scores:
        raise ValueError("cannot average zero tasks")

    def mean(prfs: list[PRF]) -> PRF:
        # A plain left-to-right sum, as news-tls does, so averages match it bit for bit.
        precision = sum((p.precision for p in prfs), 0.0) / len(prfs)
        recall = sum((p.recall for p in prfs), 0.0) / len(prfs)
        return PRF(precision, recall, _f1(precision, recall))

    first = scores[0]
    rouge = {
        metric: {measure: mean([s.rouge[metric][measure] for s in scores]) for measure in by_measure}
        for metric, by_measure in first.rouge.items()
    }
    return TLSScores(rouge=rouge, date=mean([s.date for s in scores]))
