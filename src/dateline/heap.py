"""Heap housekeeping: the cyclic garbage collector paused while many acyclic objects are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (as it was after it, even on an error).

    Made by the hundred thousand, objects that hold no cycles (articles and their sentences,
    a build's candidate lines) trigger full collections that walk the whole heap again and
    again: a third of the time of loading 10,000 articles, and about a tenth of a build over
    them (BENCHMARKS.md section 5). Whatever cycles the block does make are collected once
    the collector runs again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
