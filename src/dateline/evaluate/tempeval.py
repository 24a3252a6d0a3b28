"""Score temporal-expression taggers the TempEval-3 way (Task A: timex extents, type and value).

Reproduces the entity scores of the TempEval-3 evaluation toolkit (UzZaman et
al. 2013, ``TE3-evaluation.py``, Task A) on character offsets, as pinned in
``PROTOCOLS.md`` ("Temporal expressions (TempEval-3 Task A)"):

* scope: the TIMEX3s inside ``<TEXT>`` with a non-empty extent; the DCT is the
  tagger's input and is never scored;
* pairing: one-to-one. Gold and system timexes are swept together in order of
  start offset (gold before system on a tie); each one pairs with the
  earliest-starting still-unpaired timex of the other side that overlaps it.
  So a prediction split in two pairs its first piece (the second is
  spurious) and a prediction spanning two gold timexes pairs the first (the
  second gold is missed);
* relaxed match: paired; strict match: paired with an identical extent.
  Precision is over all predictions, recall over all gold timexes;
* type / value accuracy: the share of relaxed pairs whose ``type`` /
  ``value`` strings are equal (values compared exactly, no normalisation);
* value F1 (TempEval-3's ranking metric) = value accuracy x relaxed F1
  = 2·correct / (n_pred + n_gold); type F1 likewise.

Per-type rows (DATE, TIME, DURATION, SET) attribute a prediction by its
*predicted* type for precision and a gold timex by its *gold* type for
recall: for type T, precision = (predictions typed T that are matched) /
(predictions typed T), recall = (gold T matched) / (gold T), F1 their harmonic
mean; the same split gives value P/R and value F1 (a value-correct pair
counts for its predicted type in P and its gold type in R). Type and value
accuracy in a per-type row are over the pairs whose *gold* type is T. Summed
over types both sides coincide, so the overall row is exactly the formulas
above.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from .timeml import GoldTimex, TimeMLDoc

__all__ = [
    "TIMEX_TYPES",
    "Counts",
    "TempEvalScores",
    "TimexError",
    "TimexLike",
    "pair_timexes",
    "score",
]

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
_CONTEXT = 30  # characters each side of an error's span (~60 in all)


class TimexLike(Protocol):
    """Anything with a span, a TIMEX3 type and a value (``temporal.base.Timex``, ``GoldTimex``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def value(self) -> str: ...


@dataclass(frozen=True)
class Counts:
    """Additive tallies behind every score; ``*_gold`` are attributed by gold type, ``*_pred`` by predicted type."""

    n_gold: int = 0
    n_pred: int = 0
    relaxed_gold: int = 0  # gold timexes that are paired
    relaxed_pred: int = 0  # predictions that are paired
    strict_gold: int = 0
    strict_pred: int = 0
    pairs: int = 0  # pairs whose gold has this type (denominator of the accuracies)
    type_ok: int = 0  # ... of which the types are equal
    value_ok_gold: int = 0  # value-correct pairs, counted by gold type
    value_ok_pred: int = 0  # value-correct pairs, counted by predicted type
    type_ok_pred: int = 0  # type-correct pairs, counted by predicted type

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(_values(self), _values(other))))

    @property
    def strict_precision(self) -> float:
        return _ratio(self.strict_pred, self.n_pred)

    @property
    def strict_recall(self) -> float:
        return _ratio(self.strict_gold, self.n_gold)

    @property
    def strict_f1(self) -> float:
        return _f1(self.strict_precision, self.strict_recall)

    @property
    def relaxed_precision(self) -> float:
        return _ratio(self.relaxed_pred, self.n_pred)

    @property
    def relaxed_recall(self) -> float:
        return _ratio(self.relaxed_gold, self.n_gold)

    @property
    def relaxed_f1(self) -> float:
        return _f1(self.relaxed_precision, self.relaxed_recall)

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_ok, self.pairs)

    @property
    def value_accuracy(self) -> float:
        return _ratio(self.value_ok_gold, self.pairs)

    @property
    def value_precision(self) -> float:
        return _ratio(self.value_ok_pred, self.n_pred)

    @property
    def value_recall(self) -> float:
        return _ratio(self.value_ok_gold, self.n_gold)

    @property
    def value_f1(self) -> float:
        # Equals 2·correct / (n_pred + n_gold) overall, where both numerators are the same count.
        return _f1(self.value_precision, self.value_recall)

    @property
    def type_f1(self) -> float:
        return _f1(_ratio(self.type_ok_pred, self.n_pred), _ratio(self.type_ok, self.n_gold))

    def to_dict(self) -> dict[str, Any]:
        """Counts and every derived score, as plain JSON-ready values."""
        out: dict[str, Any] = asdict(self)
        for name in _SCORE_NAMES:
            out[name] = round(getattr(self, name), 6)
        return out


_SCORE_NAMES = (
    "strict_precision",
    "strict_recall",
    "strict_f1",
    "relaxed_precision",
    "relaxed_recall",
    "relaxed_f1",
    "type_accuracy",
    "value_accuracy",
    "value_precision",
    "value_recall",
    "value_f1",
    "type_f1",
)


@dataclass(frozen=True)
class TimexError:
    """One scoring error: ``missed``, ``spurious``, ``wrong_value``, ``wrong_type`` or ``wrong_extent``.

    A pair with a wrong value is ``wrong_value`` whatever its type; ``wrong_type``
    has the right value; ``wrong_extent`` is a relaxed-only pair that is
    otherwise right. ``context`` shows the surrounding text with the span in
    ``[[...]]`` (the gold span when there is one).
    """

    kind: str
    doc_id: str
    start: int
    end: int
    gold_text: str | None
    gold_type: str | None
    gold_value: str | None
    pred_text: str | None
    pred_type: str | None
    pred_value: str | None
    context: str

    def to_dict(self) -> dict[str, Any]:
        """The error as a JSON-ready dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class TempEvalScores:
    """TempEval-3 Task A scores: overall, per gold type, and the list of errors."""

    overall: Counts
    by_type: Mapping[str, Counts]
    errors: tuple[TimexError, ...] = ()
    n_docs: int = 0
    per_doc: Mapping[str, Counts] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Scores, per-type scores and errors as JSON-ready dictionaries."""
        return {
            "n_docs": self.n_docs,
            "overall": self.overall.to_dict(),
            "by_type": {t: c.to_dict() for t, c in self.by_type.items()},
            "errors": [e.to_dict() for e in self.errors],
        }

    def to_markdown(self, errors: int = 0) -> str:
        """A Markdown table (overall + per type), then up to ``errors`` error rows."""
        rows = [("all", self.overall)] + [(t, self.by_type[t]) for t in TIMEX_TYPES if t in self.by_type]
        lines = [markdown_header(first="type"), *(markdown_row(name, c) for name, c in rows)]
        if errors > 0 and self.errors:
            lines += ["", errors_markdown(self.errors, errors)]
        return "\n".join(lines)


def markdown_header(first: str = "tagger") -> str:
    """The header of a scores table (used for per-type and side-by-side tables)."""
    cols = [
        first,
        "gold",
        "pred",
        "strict P",
        "strict R",
        "strict F1",
        "relaxed P",
        "relaxed R",
        "relaxed F1",
        "type acc",
        "value acc",
        "value F1",
    ]
    return "| " + " | ".join(cols) + " |\n|" + "|".join(["---"] + ["---:"] * (len(cols) - 1)) + "|"


def markdown_row(name: str, c: Counts) -> str:
    """One row of a scores table."""
    scores = [
        c.strict_precision,
        c.strict_recall,
        c.strict_f1,
        c.relaxed_precision,
        c.relaxed_recall,
        c.relaxed_f1,
        c.type_accuracy,
        c.value_accuracy,
        c.value_f1,
    ]
    return f"| {name} | {c.n_gold} | {c.n_pred} | " + " | ".join(f"{s:.3f}" for s in scores) + " |"


def errors_markdown(errors: Sequence[TimexError], limit: int) -> str:
    """A Markdown table of the first ``limit`` errors."""
    lines = ["| kind | doc | gold | predicted | context |", "|---|---|---|---|---|"]
    for e in errors[:limit]:
        gold = f"{e.gold_text} ({e.gold_type} {e.gold_value})" if e.gold_text is not None else ""
        pred = f"{e.pred_text} ({e.pred_type} {e.pred_value})" if e.pred_type is not None else ""
        lines.append(f"| {e.kind} | {e.doc_id} | {_cell(gold)} | {_cell(pred)} | {_cell(e.context)} |")
    if len(errors) > limit:
        lines.append(f"\n({len(errors) - limit} more errors not shown)")
    return "\n".join(lines)


def pair_timexes(gold: Sequence[TimexLike], pred: Sequence[TimexLike]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, pred index)`` of overlapping extents, per the sweep in the module docstring."""
    # Sweep order: start offset, gold before prediction on a tie, then end, then input order.
    events = sorted(
        [(g.start, 0, g.end, i) for i, g in enumerate(gold)] + [(p.start, 1, p.end, j) for j, p in enumerate(pred)]
    )
    open_items: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]] = ([], [])  # (start, end, index)
    pairs: list[tuple[int, int]] = []
    for start, side, end, index in events:
        others = open_items[1 - side]
        # Items of the other side that started earlier and still extend past this start overlap it;
        # the list is in start order, so the first such one is the earliest.
        match = next((k for k, (_, o_end, _) in enumerate(others) if o_end > start and end > start), None)
        if match is None:
            open_items[side].append((start, end, index))
            continue
        other_index = others.pop(match)[2]
        pairs.append((index, other_index) if side == 0 else (other_index, index))
    return sorted(pairs)


def score(
    gold_docs: Iterable[TimeMLDoc],
    predictions: Mapping[str, Sequence[TimexLike]],
) -> TempEvalScores:
    """Score ``predictions`` (doc id -> timexes) against ``gold_docs``; a document without predictions scores as empty."""
    docs = list(gold_docs)
    known = {d.id for d in docs}
    unknown = sorted(set(predictions) - known)
    if unknown:
        raise ValueError(f"predictions for documents not in the gold set: {', '.join(unknown[:5])}")
    overall = Counts()
    by_type = {t: Counts() for t in TIMEX_TYPES}
    per_doc: dict[str, Counts] = {}
    errors: list[TimexError] = []
    for doc in docs:
        doc_types, doc_errors = _score_doc(doc, predictions.get(doc.id, ()))
        for t, c in doc_types.items():
            by_type[t] = by_type.get(t, Counts()) + c
        per_doc[doc.id] = sum(doc_types.values(), Counts())
        overall = overall + per_doc[doc.id]
        errors.extend(doc_errors)
    return TempEvalScores(overall, by_type, tuple(errors), len(docs), per_doc)


def _score_doc(doc: TimeMLDoc, pred: Sequence[TimexLike]) -> tuple[dict[str, Counts], list[TimexError]]:
    gold: Sequence[GoldTimex] = doc.timexes
    pred = sorted(pred, key=lambda p: (p.start, p.end))
    tallies: dict[str, dict[str, int]] = {}

    def bump(type_: str, **fields: int) -> None:
        tally = tallies.setdefault(type_, {})
        for name, n in fields.items():
            tally[name] = tally.get(name, 0) + n

    errors: list[TimexError] = []
    paired_gold: set[int] = set()
    paired_pred: set[int] = set()
    for gi, pi in pair_timexes(gold, pred):
        g, p = gold[gi], pred[pi]
        paired_gold.add(gi)
        paired_pred.add(pi)
        strict = int(g.start == p.start and g.end == p.end)
        type_ok, value_ok = int(g.type == p.type), int(g.value == p.value)
        bump(g.type, relaxed_gold=1, strict_gold=strict, pairs=1, type_ok=type_ok, value_ok_gold=value_ok)
        bump(p.type, relaxed_pred=1, strict_pred=strict, value_ok_pred=value_ok, type_ok_pred=type_ok)
        kind = "wrong_value" if not value_ok else "wrong_type" if not type_ok else "wrong_extent" if not strict else ""
        if kind:
            errors.append(_error(kind, doc, g, p))
    for gi, g in enumerate(gold):
        bump(g.type, n_gold=1)
        if gi not in paired_gold:
            errors.append(_error("missed", doc, g, None))
    for pi, p in enumerate(pred):
        bump(p.type, n_pred=1)
        if pi not in paired_pred:
            errors.append(_error("spurious", doc, None, p))
    errors.sort(key=lambda e: (e.start, e.end))
    return {t: Counts(**tally) for t, tally in tallies.items()}, errors


def _error(kind: str, doc: TimeMLDoc, g: GoldTimex | None, p: TimexLike | None) -> TimexError:
    span = g if g is not None else p
    assert span is not None
    start, end = span.start, span.end
    text = doc.text
    context = f"{text[max(0, start - _CONTEXT) : start]}[[{text[start:end]}]]{text[end : end + _CONTEXT]}"
    return TimexError(
        kind=kind,
        doc_id=doc.id,
        start=start,
        end=end,
        gold_text=g.text if g is not None else None,
        gold_type=g.type if g is not None else None,
        gold_value=g.value if g is not None else None,
        pred_text=text[p.start : p.end] if p is not None else None,
        pred_type=p.type if p is not None else None,
        pred_value=p.value if p is not None else None,
        context=" ".join(context.split()),
    )


def _values(c: Counts) -> tuple[int, ...]:
    return tuple(asdict(c).values())


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
