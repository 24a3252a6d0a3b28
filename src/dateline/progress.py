"""Progress of long work on stderr: a bar on a terminal, a plain line every few seconds elsewhere.

A bar redrawn in place is unreadable in a log file or a CI job, and showing
nothing there leaves a user wondering whether a long build hangs; so off a
terminal :func:`report` prints one line per ``every`` seconds (and one at
the end), on a terminal a tqdm bar.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

__all__ = ["EVERY_SECONDS", "report", "step"]

T = TypeVar("T")

# Off a terminal, a line this often: often enough to show life, rarely enough to keep a log short.
EVERY_SECONDS = 10.0


def report(
    items: Iterable[T],
    desc: str,
    *,
    total: int | None = None,
    unit: str = "article",
    stream: TextIO | None = None,
    every: float = EVERY_SECONDS,
    tty: bool | None = None,
) -> Iterator[T]:
    """Yield ``items``, reporting how many have passed on ``stream`` (stderr): a bar on a TTY, else a line per ``every`` s."""
    out = stream if stream is not None else sys.stderr
    if tty if tty is not None else out.isatty():
        from tqdm import tqdm

        yield from tqdm(items, desc=desc, total=total, unit=unit, file=out, leave=False)
        return
    start = last = time.monotonic()
    n = 0
    for item in items:
        yield item
        n += 1
        now = time.monotonic()
        if now - last >= every:
            last = now
            print(f"{desc}: {_count(n, total, unit)} ({now - start:.0f} s)", file=out, flush=True)
    if last != start:  # only work long enough to have reported says that it finished
        print(f"{desc}: {_count(n, total, unit)}, done in {time.monotonic() - start:.0f} s", file=out, flush=True)


def step(desc: str, *, stream: TextIO | None = None) -> None:
    """Say on ``stream`` (stderr) that a step without countable parts begins ("building the timeline ...")."""
    print(f"{desc} ...", file=stream if stream is not None else sys.stderr, flush=True)


def _count(n: int, total: int | None, unit: str) -> str:
    units = unit if n == 1 and not total else unit + "s"
    return f"{n}/{total} {units}" if total else f"{n} {units}"
