"""How ``dateline build`` scales with input size: one huge article, and many tiny ones (issue 23).

Writes synthetic JSONL into a temporary folder and times ``dateline build
FILE --no-cache`` in a process of its own for each size, so that the figures
include reading, annotating and building, as a user sees them. Prints seconds
and seconds per unit (per MB, per 1,000 articles): time proportional to size
shows as a flat last column.

    python benchmarks/size_bench.py                          # 1 huge article of 5..50 MB, 10k..100k tiny
    python benchmarks/size_bench.py --huge 10 20 --tiny 1000 -j 4
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CITIES = ["Geneva", "Tripoli", "Cairo", "Berlin", "Benghazi", "Misrata", "Rome", "Tunis"]
VERBS = ["resumed", "stalled", "collapsed", "began", "ended", "were postponed", "were moved", "broke down"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def sentence(rng: random.Random) -> str:
    """One news-like sentence with a date in it, varied so that nothing repeats for long."""
    day, month = rng.randint(1, 28), rng.choice(MONTHS)
    return (
        f"On {month} {day}, officials in {rng.choice(CITIES)} said talks {rng.choice(VERBS)} "
        f"after {rng.randint(2, 900)} delegates met for {rng.randint(1, 12)} hours."
    )


def huge_article(path: Path, megabytes: int, seed: int = 1) -> None:
    """One JSONL record whose text is about ``megabytes`` MB of dated sentences."""
    rng, parts, size = random.Random(seed), [], 0
    while size < megabytes * 1_000_000:
        s = sentence(rng)
        parts.append(s)
        size += len(s) + 1
    record = {"id": "huge", "time": "2011-11-01", "text": " ".join(parts)}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def tiny_articles(path: Path, count: int, seed: int = 2) -> None:
    """``count`` one-sentence JSONL records, each distinct, published over a year."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(count):
            record = {"id": f"t{i}", "time": f"2011-{1 + i % 12:02d}-{1 + i % 28:02d}", "text": f"{i}: {sentence(rng)}"}
            f.write(json.dumps(record) + "\n")


def build_seconds(path: Path, processes: int) -> float:
    """Wall-clock seconds of ``dateline build PATH --no-cache`` in a process of its own."""
    command = [sys.executable, "-m", "dateline.cli", "build", str(path), "--no-cache", "-j", str(processes)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", type=int, nargs="*", default=[5, 10, 25, 50], help="sizes of the one article, MB")
    parser.add_argument("--tiny", type=int, nargs="*", default=[10_000, 25_000, 50_000, 100_000], help="counts")
    parser.add_argument("-j", "--processes", type=int, default=1, help="annotation processes (build -j)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'input':<28} {'seconds':>8} {'per unit':>10}")
        for mb in args.huge:
            path = Path(tmp) / f"huge-{mb}.jsonl"
            huge_article(path, mb)
            seconds = build_seconds(path, args.processes)
            print(f"{f'1 article of {mb} MB':<28} {seconds:8.1f} {seconds / mb:8.2f}/MB", flush=True)
            path.unlink()
        for count in args.tiny:
            path = Path(tmp) / f"tiny-{count}.jsonl"
            tiny_articles(path, count)
            seconds = build_seconds(path, args.processes)
            print(f"{f'{count:,} tiny articles':<28} {seconds:8.1f} {seconds / count * 1000:8.2f}/1k", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
