"""Speed of annotation on one core: sentence splitting and date tagging, ms per article.

Times the default splitter (``PunktSplitter``), syntok's (the previous default, when
installed) and ``RuleTagger.tag`` separately over a fixed sample (the first ``--per-topic``
articles of each Timeline17 topic), best of ``--repeat`` passes, as ``timeit`` does, and
reports how many sentence boundaries the two splitters share. Speed work must not change
any output, so:

- ``--save REF.json`` dumps the splitter spans and the tagger's ``(start, end, type, value)``
  for every T17 article and every TimeML (TimeBank + AQUAINT) document;
- ``--check REF.json`` recomputes them all and fails on the first difference.

    PYTHONPATH=src python benchmarks/annotate_speed.py --save /tmp/annotate-ref.json
    PYTHONPATH=src python benchmarks/annotate_speed.py --check /tmp/annotate-ref.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from dateline.annotate import PunktSplitter, SyntokSplitter
from dateline.evaluate.timeml import read_timeml, tml_paths
from dateline.ingest import read_articles
from dateline.temporal.rules import RuleTagger

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def t17_docs(limit: int | None = None) -> list[tuple[str, str, date]]:
    """``(key, text, published)`` for the T17 articles, the first ``limit`` of each topic."""
    docs = []
    for topic in sorted(p for p in (DATA / "t17").iterdir() if p.is_dir()):
        for i, a in enumerate(read_articles(topic / "articles.jsonl", on_error="skip")):
            if limit is not None and i >= limit:
                break
            docs.append((f"t17/{topic.name}/{a.id}", a.text, a.published))
    return docs


def timeml_docs() -> list[tuple[str, str, date]]:
    """``(key, text, creation date)`` for every TimeBank and AQUAINT document."""
    docs = []
    for corpus in ("TimeBank", "AQUAINT"):
        for p in tml_paths(DATA / "timeml" / corpus):
            doc = read_timeml(p)
            docs.append((f"timeml/{corpus}/{doc.id}", doc.text, doc.dct))
    return docs


def outputs(docs: list[tuple[str, str, date]]) -> dict[str, dict[str, list]]:
    splitter, tagger = PunktSplitter(), RuleTagger()
    return {
        key: {
            "sentences": [list(s) for s in splitter.split(text)],
            "timexes": [[t.start, t.end, t.type, t.value] for t in tagger.tag(text, published)],
        }
        for key, text, published in docs
    }


def check(ref_path: Path) -> int:
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    docs = t17_docs() + timeml_docs()
    new = outputs(docs)
    bad = [k for k in ref if new.get(k) != ref[k]] + [k for k in new if k not in ref]
    n_t17 = sum(k.startswith("t17/") for k in new)
    print(f"checked {n_t17} T17 articles and {len(new) - n_t17} TimeML documents: ", end="")
    if bad:
        print(f"{len(bad)} differ, e.g. {bad[:5]}")
        for k in bad[:3]:
            for part in ("sentences", "timexes"):
                a, b = ref.get(k, {}).get(part), new.get(k, {}).get(part)
                if a != b:
                    print(
                        f"  {k} {part}: only in ref {[x for x in a or [] if x not in (b or [])][:5]}, "
                        f"only in new {[x for x in b or [] if x not in (a or [])][:5]}"
                    )
        return 1
    print("all identical")
    return 0


def _ends(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {start + len(text[start:end].rstrip()) for start, end in spans if text[start:end].strip()}


def agreement(docs: list[tuple[str, str, date]]) -> None:
    """Share of sentence ends the default splitter and syntok have in common."""
    punkt, syntok = PunktSplitter(), SyntokSplitter()
    both = only_punkt = only_syntok = 0
    for _, text, _ in docs:
        a, b = _ends(text, punkt.split(text)), _ends(text, syntok.split(text))
        both, only_punkt, only_syntok = both + len(a & b), only_punkt + len(a - b), only_syntok + len(b - a)
    print(
        f"sentence ends: {both} shared, {only_punkt} only punkt, {only_syntok} only syntok "
        f"({both / (both + only_syntok):.1%} of syntok's found by punkt, {both / (both + only_punkt):.1%} of punkt's by syntok)"
    )


def timing(per_topic: int, repeat: int) -> None:
    docs = t17_docs(per_topic)
    splitter, tagger = PunktSplitter(), RuleTagger()
    runs = [("split (punkt, default)", lambda d: splitter.split(d[1]))]
    try:
        import syntok  # noqa: F401

        syntok_splitter = SyntokSplitter()
        runs.append(("split (syntok)", lambda d: syntok_splitter.split(d[1])))
        agreement(docs)
    except ImportError:
        print("syntok not installed: timing the default splitter only")
    runs.append(("tag", lambda d: tagger.tag(d[1], d[2])))
    for _, run in runs:
        run(docs[0])  # warm up imports, models and regex caches
    for label, run in runs:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for d in docs:
                run(d)
            best = min(best, time.perf_counter() - t0)
        print(f"{label}: {1000 * best / len(docs):.2f} ms/article (best of {repeat}, {len(docs)} articles)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-topic", type=int, default=150, help="articles per T17 topic to time")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes; the best is reported")
    parser.add_argument("--save", type=Path, help="write the reference outputs to this JSON file")
    parser.add_argument("--check", type=Path, help="compare all outputs to this reference JSON file")
    parser.add_argument("--no-timing", action="store_true", help="skip the timing")
    args = parser.parse_args(argv)
    if args.save:
        ref = outputs(t17_docs() + timeml_docs())
        args.save.write_text(json.dumps(ref, ensure_ascii=False), encoding="utf-8")
        print(f"saved {len(ref)} documents to {args.save}")
    status = check(args.check) if args.check else 0
    if not args.no_timing:
        timing(args.per_topic, args.repeat)
    return status


if __name__ == "__main__":
    sys.exit(main())
