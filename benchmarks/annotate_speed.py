"""Speed of annotation on one core: sentence splitting, date tagging and serialising, per article.

Times the default splitter (``PunktSplitter``), syntok's (the previous default, when
installed) and ``RuleTagger.tag`` separately over a fixed sample (the first ``--per-topic``
articles of each Timeline17 topic), best of ``--repeat`` passes, as ``timeit`` does, and
reports how many sentence boundaries the two splitters share. Then it times the whole of
what the annotation cache does per article, ``Annotator.annotate`` and
``annotation_json`` (split + tag + serialise), over every T17 article, in articles/s: run it
under ``taskset -c 0`` for the one-core figure. Speed work must not change any output, so:

- ``--save REF.json`` dumps the splitter spans and the tagger's ``(start, end, type, value)``
  for every T17 article, every Entities (dev) article and every TimeML (TimeBank + AQUAINT)
  document, and the SHA-256 of each T17 and Entities article's serialised annotation (the
  bytes the cache writes);
- ``--check REF.json`` recomputes them all and fails on any difference.

    PYTHONPATH=src python benchmarks/annotate_speed.py --save /tmp/annotate-ref.json
    PYTHONPATH=src python benchmarks/annotate_speed.py --check /tmp/annotate-ref.json
    PYTHONPATH=src taskset -c 0 python benchmarks/annotate_speed.py --no-timing --throughput
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from datetime import date
from pathlib import Path

from dateline.annotate import Annotator, PunktSplitter, SyntokSplitter
from dateline.evaluate.timeml import read_timeml, tml_paths
from dateline.ingest import read_articles
from dateline.model import AnnotatedArticle, Article
from dateline.temporal.rules import RuleTagger

try:
    from dateline.annotate import annotation_json
except ImportError:  # a checkout from before annotation_json, e.g. to take the reference

    def annotation_json(annotated: AnnotatedArticle) -> str:
        """What ``AnnotationCache.put`` wrote before ``annotation_json`` existed."""
        return json.dumps(annotated.to_dict(), ensure_ascii=False)


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def articles(dataset: str, limit: int | None = None) -> list[tuple[str, Article]]:
    """``(key, article)`` for the articles of ``dataset`` (t17, entities-dev), the first ``limit`` of each topic."""
    docs = []
    for topic in sorted(p for p in (DATA / dataset).iterdir() if p.is_dir()):
        for i, a in enumerate(read_articles(topic / "articles.jsonl", on_error="skip")):
            if limit is not None and i >= limit:
                break
            docs.append((f"{dataset}/{topic.name}/{a.id}", a))
    return docs


def t17_docs(limit: int | None = None) -> list[tuple[str, str, date]]:
    """``(key, text, published)`` for the T17 articles, the first ``limit`` of each topic."""
    return [(key, a.text, a.published) for key, a in articles("t17", limit)]


def news_docs() -> list[tuple[str, Article]]:
    """Every T17 and Entities (dev) article, whose serialised annotations are checked too."""
    return articles("t17") + articles("entities-dev")


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


def all_outputs() -> dict[str, dict[str, list | str]]:
    """:func:`outputs` of every document, with the SHA-256 of each news article's serialised annotation."""
    news = news_docs()
    out: dict[str, dict[str, list | str]] = dict(
        outputs([(key, a.text, a.published) for key, a in news] + timeml_docs())
    )
    annotator = Annotator()
    for key, a in news:
        out[key]["sha256"] = hashlib.sha256(annotation_json(annotator.annotate(a)).encode("utf-8")).hexdigest()
    return out


def check(ref_path: Path) -> int:
    ref = json.loads(ref_path.read_text(encoding="utf-8"))
    new = all_outputs()
    bad = [k for k in ref if new.get(k) != ref[k]] + [k for k in new if k not in ref]
    counts = {name: sum(k.startswith(f"{name}/") for k in new) for name in ("t17", "entities-dev", "timeml")}
    print(
        f"checked {counts['t17']} T17 articles, {counts['entities-dev']} Entities articles "
        f"(serialised annotations too) and {counts['timeml']} TimeML documents: ",
        end="",
    )
    if bad:
        print(f"{len(bad)} differ, e.g. {bad[:5]}")
        for k in bad[:3]:
            if ref.get(k, {}).get("sha256") != new.get(k, {}).get("sha256"):
                print(f"  {k}: serialised annotation differs")
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


def throughput(repeat: int) -> None:
    """Articles/s of split + tag + serialise over every T17 article, as the annotation cache does it."""
    docs = [a for _, a in articles("t17")]
    annotator = Annotator()
    annotation_json(annotator.annotate(docs[0]))  # warm up imports, models and regex caches
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in docs:
            annotation_json(annotator.annotate(a))
        best = min(best, time.perf_counter() - t0)
    print(
        f"annotate + serialise: {len(docs) / best:.0f} articles/s, {1000 * best / len(docs):.2f} ms/article "
        f"(best of {repeat}, all {len(docs)} T17 articles, one process)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--per-topic", type=int, default=150, help="articles per T17 topic to time")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes; the best is reported")
    parser.add_argument("--save", type=Path, help="write the reference outputs to this JSON file")
    parser.add_argument("--check", type=Path, help="compare all outputs to this reference JSON file")
    parser.add_argument("--no-timing", action="store_true", help="skip the per-stage timing")
    parser.add_argument(
        "--throughput", action="store_true", help="time split + tag + serialise over all T17 articles (articles/s)"
    )
    args = parser.parse_args(argv)
    if args.save:
        ref = all_outputs()
        args.save.write_text(json.dumps(ref, ensure_ascii=False), encoding="utf-8")
        print(f"saved {len(ref)} documents to {args.save}")
    status = check(args.check) if args.check else 0
    if not args.no_timing:
        timing(args.per_topic, args.repeat)
    if args.throughput:
        throughput(args.repeat)
    return status


if __name__ == "__main__":
    sys.exit(main())
