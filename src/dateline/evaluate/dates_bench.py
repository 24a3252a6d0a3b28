"""The date-resolution benchmark: several date taggers on TimeBank + AQUAINT, side by side.

Each document's plain ``<TEXT>`` is tagged with its creation time as the
reference date and scored with :mod:`dateline.evaluate.tempeval` (TempEval-3
Task A), per corpus and overall. Speed is measured warm: a tagger's start-up
(HeidelTime's JVM and models, any lazy loading) is timed separately as
``startup_seconds`` and kept out of documents per second. A tagger that gets through
the corpus in under ``_TIMING_BUDGET`` seconds is timed over further passes (at most
``_MAX_PASSES``) and its fastest pass is reported, as ``timeit`` does: on a shared machine
a sub-second pass mostly measures the other processes. Slower taggers (HeidelTime) get one pass.

Run: ``python -m dateline.evaluate.dates_bench ../shared/data/timeml --tagger rules
--tagger heideltime --tagger heideltime-nopos -o report.md --json report.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..progress import report
from ..temporal.base import DateTagger, Timex
from .tempeval import (
    TIMEX_TYPES,
    Counts,
    TempEvalScores,
    TimexError,
    markdown_header,
    markdown_row,
    pair_timexes,
    score,
)
from .timeml import TimeMLDoc, TimeMLError, read_timeml, tml_paths

__all__ = [
    "DateBenchmark",
    "RuleUsage",
    "TaggerRun",
    "load_corpora",
    "load_tagger",
    "main",
    "rule_usage",
    "run_date_benchmark",
]

_TIMING_BUDGET = 2.0  # seconds of tagging after which no further timing pass is made
_MAX_PASSES = 5
_WARM_UP_TEXT = "On Monday, March 2, 1998, two weeks after the vote, officials met again at 10 a.m."


@dataclass(frozen=True)
class RuleUsage:
    """How one rule of a tagger fared: mentions with a correct value, a wrong value, none in the gold."""

    rule: str
    correct: int
    wrong: int
    spurious: int
    correct_docs: int  # documents where the rule produced at least one correct value

    def to_dict(self) -> dict[str, Any]:
        """The tallies as a JSON-ready dictionary."""
        return {
            "rule": self.rule,
            "correct": self.correct,
            "wrong": self.wrong,
            "spurious": self.spurious,
            "correct_docs": self.correct_docs,
        }


def rule_usage(tagger: DateTagger, docs: Sequence[TimeMLDoc]) -> tuple[RuleUsage, ...]:
    """Per-rule tallies for a tagger that can ``explain`` its mentions (empty otherwise).

    A development check against overfitting: a rule that is right in only one document
    of the corpus is suspect unless it is linguistically general.
    """
    explain = getattr(tagger, "explain", None)
    if not callable(explain):
        return ()
    tallies: dict[str, list[int]] = {}
    docs_ok: dict[str, set[str]] = {}
    for doc in docs:
        found = explain(doc.text, doc.dct)
        paired = {pi: gi for gi, pi in pair_timexes(doc.timexes, [t for t, _ in found])}
        for pi, (t, name) in enumerate(found):
            tally = tallies.setdefault(name, [0, 0, 0])
            if pi not in paired:
                tally[2] += 1
            elif doc.timexes[paired[pi]].value == t.value:
                tally[0] += 1
                docs_ok.setdefault(name, set()).add(doc.id)
            else:
                tally[1] += 1
    usage = [RuleUsage(name, t[0], t[1], t[2], len(docs_ok.get(name, ()))) for name, t in tallies.items()]
    return tuple(sorted(usage, key=lambda u: (-u.correct, u.rule)))


@dataclass(frozen=True)
class TaggerRun:
    """One tagger's results: scores overall and per corpus, timing, and span sanity."""

    tagger: str
    version: str
    scores: TempEvalScores
    by_corpus: dict[str, TempEvalScores]
    n_docs: int
    seconds: float  # tagging time over all documents (fastest pass), start-up excluded
    startup_seconds: float
    bad_spans: int  # predictions whose text is not text[start:end] or whose span is out of range
    rules: tuple[RuleUsage, ...] = ()  # per-rule tallies, for taggers that can explain their mentions
    passes: int = 1  # timing passes over the corpus; ``seconds`` is the fastest

    @property
    def docs_per_second(self) -> float:
        return self.n_docs / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Scores (without the error lists' bulk trimmed: all errors kept), timing and counts."""
        return {
            "tagger": self.tagger,
            "version": self.version,
            "n_docs": self.n_docs,
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup_seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2),
            "timing_passes": self.passes,
            "bad_spans": self.bad_spans,
            "overall": _scores_dict(self.scores),
            "by_corpus": {name: _scores_dict(s) for name, s in self.by_corpus.items()},
            "rules": [u.to_dict() for u in self.rules],
            "errors": [e.to_dict() for e in self.scores.errors],
        }


@dataclass(frozen=True)
class DateBenchmark:
    """Every tagger's :class:`TaggerRun` over the same documents, renderable as one report."""

    corpora: dict[str, int]  # corpus name -> number of documents
    results: tuple[TaggerRun, ...]

    def to_dict(self) -> dict[str, Any]:
        """The whole benchmark as JSON-ready dictionaries."""
        return {
            "protocol": "TempEval-3 Task A (PROTOCOLS.md), character offsets",
            "corpora": dict(self.corpora),
            "results": [r.to_dict() for r in self.results],
        }

    def to_markdown(self, errors: int = 20, error_tagger: str | None = None) -> str:
        """The report: per-scope tables with taggers side by side, per type, speed, then the top errors."""
        total = sum(self.corpora.values())
        corpora = ", ".join(f"{name} ({n} docs)" for name, n in self.corpora.items())
        out = [
            "# Date resolution: TempEval-3 Task A",
            "",
            f"Corpora: {corpora}; {total} documents. Reference date: each document's DCT. "
            "Extent match is strict (identical span) or relaxed (overlap, one-to-one); "
            "value F1 = 2·correct values / (predicted + gold), the TempEval-3 ranking metric.",
        ]
        scopes: list[tuple[str, str | None]] = [("All corpora", None)]
        if len(self.corpora) > 1:
            scopes += [(name, name) for name in self.corpora]
        for title, corpus in scopes:
            out += ["", f"## {title}", "", markdown_header()]
            for r in self.results:
                out.append(markdown_row(r.tagger, r.scores.overall if corpus is None else r.by_corpus[corpus].overall))
        for title, corpus in scopes:
            out += [
                "",
                f"## Per gold type: {title}",
                "",
                "Precision attributes a prediction by its predicted type, recall a gold timex by its gold type.",
                "",
                markdown_header(first="tagger / type"),
            ]
            for r in self.results:
                by_type = (r.scores if corpus is None else r.by_corpus[corpus]).by_type
                for t in TIMEX_TYPES:
                    out.append(markdown_row(f"{r.tagger} / {t}", by_type.get(t, Counts())))
        out += [
            "",
            "## Speed",
            "",
            f"One process, warm (start-up apart). A tagger through the corpus in under {_TIMING_BUDGET:g} s "
            "is timed over several passes and its fastest pass reported.",
            "",
            "| tagger | version | docs | seconds | docs/s | start-up s | timed passes |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for r in self.results:
            out.append(
                f"| {r.tagger} | {r.version} | {r.n_docs} | {r.seconds:.2f} | {r.docs_per_second:.1f} "
                f"| {r.startup_seconds:.2f} | {r.passes} |"
            )
        bad = [r for r in self.results if r.bad_spans]
        if bad:
            out += [
                "",
                "Predictions whose text does not match their span: "
                + ", ".join(f"{r.tagger} {r.bad_spans}" for r in bad),
            ]
        for r in self.results:
            if r.rules:
                out += [
                    "",
                    f"## Rules of {r.tagger}",
                    "",
                    "Mentions per rule by outcome; a rule right in at most one document is flagged "
                    "(a development check against rules tuned to one document).",
                    "",
                    "| rule | correct value | wrong value | spurious | docs with a correct value |",
                    "|---|---:|---:|---:|---:|",
                ]
                for u in r.rules:
                    flag = " (single document)" if u.correct_docs <= 1 else ""
                    out.append(f"| {u.rule}{flag} | {u.correct} | {u.wrong} | {u.spurious} | {u.correct_docs} |")
        chosen = next((r for r in self.results if r.tagger == error_tagger), self.results[0] if self.results else None)
        if errors > 0 and chosen is not None:
            out += ["", f"## Most frequent errors of {chosen.tagger}", "", _error_summary(chosen.scores.errors, errors)]
        return "\n".join(out) + "\n"


def load_tagger(name: str) -> DateTagger:
    """A date tagger by name: ``heideltime`` / ``heideltime-nopos`` (benchmark only) or any product tagger."""
    if name in ("heideltime", "heideltime-nopos"):
        from .heideltime import HeidelTimeTagger  # GPL, benchmark-only: never imported by the product

        return HeidelTimeTagger(pos_tagger="no" if name == "heideltime-nopos" else "treetagger")
    from ..temporal import get_tagger

    return get_tagger(name)


def load_corpora(dirs: Sequence[str | Path], limit: int | None = None) -> dict[str, list[TimeMLDoc]]:
    """Read TimeML documents by corpus: a directory's sub-folders are corpora, else the directory is one.

    ``limit`` caps the total, taking documents from the corpora in turn.
    """
    paths: dict[str, list[Path]] = {}
    for d in dirs:
        root = Path(d)
        if not root.is_dir():
            raise TimeMLError(f"{root}: not a directory of .tml files")
        for p in tml_paths(root):
            rel = p.relative_to(root).parts
            paths.setdefault(rel[0] if len(rel) > 1 else root.name, []).append(p)
    if limit is not None:
        paths = _round_robin(paths, limit)
    corpora = {name: [read_timeml(p) for p in ps] for name, ps in paths.items()}
    seen: dict[str, str] = {}
    for docs in corpora.values():
        for doc in docs:
            if doc.id in seen:
                raise TimeMLError(f"{doc.path}: document id {doc.id} also in {seen[doc.id]}")
            seen[doc.id] = doc.path
    return corpora


def run_date_benchmark(
    dirs: Sequence[str | Path],
    taggers: Sequence[DateTagger],
    limit: int | None = None,
    progress: bool = True,
) -> DateBenchmark:
    """Tag every document of ``dirs`` with each tagger (reference = the DCT) and score them per corpus and overall."""
    corpora = load_corpora(dirs, limit)
    docs = [doc for ds in corpora.values() for doc in ds]
    results = [_run_one(tagger, corpora, docs, progress) for tagger in taggers]
    return DateBenchmark({name: len(ds) for name, ds in corpora.items()}, tuple(results))


def _run_one(
    tagger: DateTagger, corpora: dict[str, list[TimeMLDoc]], docs: list[TimeMLDoc], progress: bool
) -> TaggerRun:
    name = getattr(tagger, "name", type(tagger).__name__)
    started = time.perf_counter()
    # Start-up (JVM, models, lazy compilation) is paid once and reported apart from the warm rate.
    warm_up = getattr(tagger, "warm_up", None)
    if callable(warm_up):
        warm_up()
    else:
        tagger.tag(_WARM_UP_TEXT, date(1998, 3, 2))
    startup = time.perf_counter() - started

    predictions: dict[str, list[Timex]] = {}
    bad = 0
    passes: list[float] = []
    while not passes or (sum(passes) < _TIMING_BUDGET and len(passes) < _MAX_PASSES):
        seconds = 0.0
        first = not passes
        for doc in report(docs, name, total=len(docs), unit="doc") if progress and first else docs:
            t0 = time.perf_counter()
            try:
                found = list(tagger.tag(doc.text, doc.dct))
            except Exception as exc:  # name the document: a tagger crash is otherwise hard to trace
                raise RuntimeError(f"tagger {name} failed on {doc.path}: {exc}") from exc
            seconds += time.perf_counter() - t0
            if first:
                predictions[doc.id] = found
                bad += sum(1 for t in found if not _span_ok(t, doc.text))
        passes.append(seconds)
    seconds = min(passes)
    by_corpus = {cname: score(ds, {d.id: predictions[d.id] for d in ds}) for cname, ds in corpora.items()}
    rules = rule_usage(tagger, docs)  # after the timed loop: explaining costs a second pass
    return TaggerRun(
        tagger=name,
        version=str(getattr(tagger, "version", "")),
        scores=score(docs, predictions),
        by_corpus=by_corpus,
        n_docs=len(docs),
        seconds=seconds,
        startup_seconds=startup,
        bad_spans=bad,
        rules=rules,
        passes=len(passes),
    )


def _span_ok(t: Timex, text: str) -> bool:
    if not 0 <= t.start <= t.end <= len(text):
        return False
    own = getattr(t, "text", None)
    return own is None or own == text[t.start : t.end]


def _round_robin(paths: dict[str, list[Path]], limit: int) -> dict[str, list[Path]]:
    taken: dict[str, list[Path]] = {name: [] for name in paths}
    queues = {name: list(ps) for name, ps in paths.items()}
    while limit > 0 and any(queues.values()):
        for name, queue in queues.items():
            if queue and limit > 0:
                taken[name].append(queue.pop(0))
                limit -= 1
    return {name: ps for name, ps in taken.items() if ps}


def _scores_dict(s: TempEvalScores) -> dict[str, Any]:
    return {
        "n_docs": s.n_docs,
        "overall": s.overall.to_dict(),
        "by_type": {t: c.to_dict() for t, c in s.by_type.items()},
    }


def _error_summary(errors: Sequence[TimexError], limit: int) -> str:
    """Errors grouped by kind and (lower-cased) gold/predicted text, most frequent first."""
    kinds = Counter(e.kind for e in errors)
    groups: dict[tuple[str, str, str], list[TimexError]] = {}
    for e in errors:
        key = (e.kind, (e.gold_text or "").lower(), (e.pred_text or "").lower())
        groups.setdefault(key, []).append(e)
    ranked = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    lines = [
        "Errors by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()) + ".",
        "",
        "| n | kind | gold | predicted | example (doc: context) |",
        "|---:|---|---|---|---|",
    ]
    for (kind, _, _), group in ranked[:limit]:
        e = group[0]
        gold = f"{e.gold_text} ({e.gold_type} {e.gold_value})" if e.gold_text is not None else ""
        pred = f"{e.pred_text} ({e.pred_type} {e.pred_value})" if e.pred_type is not None else ""
        lines.append(f"| {len(group)} | {kind} | {_cell(gold)} | {_cell(pred)} | {e.doc_id}: {_cell(e.context)} |")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``python -m dateline.evaluate.dates_bench DIR... --tagger NAME [--tagger NAME] [-o MD] [--json FILE]``."""
    parser = argparse.ArgumentParser(
        prog="python -m dateline.evaluate.dates_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("dirs", nargs="+", help="directories of .tml files; sub-folders are reported as corpora")
    parser.add_argument(
        "--tagger",
        action="append",
        default=None,
        help="tagger to run (repeatable; default: rules heideltime heideltime-nopos)",
    )
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="at most N documents in all")
    parser.add_argument("--errors", type=int, default=25, metavar="N", help="error groups to list (default 25)")
    parser.add_argument(
        "-o", "--output", type=Path, default=None, help="write the Markdown report here (default: stdout)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the full results as JSON here")
    args = parser.parse_args(argv)
    try:
        taggers = [load_tagger(n) for n in (args.tagger or ["rules", "heideltime", "heideltime-nopos"])]
        bench = run_date_benchmark(args.dirs, taggers, limit=args.limit)
    except (ImportError, KeyError, ValueError, RuntimeError) as exc:  # unknown tagger, bad file, no Java
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = bench.to_markdown(errors=args.errors)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    else:
        print(report)
    if args.json:
        args.json.write_text(json.dumps(bench.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
