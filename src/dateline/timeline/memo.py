"""What the builder's rules say of a text, remembered across builds.

A server, an evaluation of several tasks per topic, or a notebook asking
one question after another builds many timelines from the same articles.
Much of a build's work does not depend on the question: where a sentence's
dateline ends, whether what is left can be a timeline line, its stems.
Those rules are pure functions of a sentence's text, so
:func:`remembered` keeps their answers by text, within bounds (least
recently used first out), and the next build over the same articles looks
them up: on 10,000 articles held in memory, the next build takes two fifths
less CPU than the first (BENCHMARKS.md, section 4).

``functools.lru_cache`` does the remembering; this module gives the rules
one set of bounds and one way to forget (:func:`forget`), for a process
that wants its memory back or a test that changes a rule's constants. A
text held here stays in memory after its article is gone: at most
:data:`TEXTS` sentences and :data:`WORDS` words (some 20 MB after builds
over 10,000 articles), and it keeps the memory it was allocated in from
going back to the system: a process keeps the peak of its builds, not more.
An article's own rules (its template keys, where its comments begin) are
not remembered: keyed by its text, they would hold every sentence of every
article built from, and its key (about 140 MB for those 10,000 articles).
A remembered rule must read nothing but its argument: one that read a
setting would answer from before the setting changed.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

__all__ = ["TEXTS", "WORDS", "forget", "remembered", "remembering", "sizes", "table"]

# Several times what one build over a 1% query of a million articles touches (10,000 T17 and
# Entities articles: 70,012 sentences with a date or in a lead), so that the next builds find them.
TEXTS = 1 << 18
# Distinct words (and their stems): a year of news has a few hundred thousand.
WORDS = 1 << 19

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
_CACHES: list[Any] = []
_TABLES: dict[str, dict[Any, Any]] = {}


_on = True


def remembered(maxsize: int) -> Callable[[Callable[[K], T]], Callable[[K], T]]:
    """Decorate a pure function of one hashable argument (a text, a tuple of texts) to remember ``maxsize`` answers."""

    def decorate(rule: Callable[[K], T]) -> Callable[[K], T]:
        cached = functools.lru_cache(maxsize=maxsize)(rule)
        _CACHES.append(cached)

        @functools.wraps(rule)
        def lookup(arg: K) -> T:
            # A call more than lru_cache's own: about 0.1 us, 20 ms a build of 10,000 articles.
            return cached(arg) if _on else rule(arg)

        lookup.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return lookup

    return decorate


@contextlib.contextmanager
def remembering(on: bool) -> Iterator[None]:
    """Within the block, remember (``on``) or compute every rule's answer afresh, as if nothing were remembered.

    For a measurement whose input repeats texts no real corpus would (a
    corpus made by replicating articles): the rules then cost what they cost.
    A :func:`table` (a word's stem) is kept either way, as a build always
    kept its own.
    """
    global _on
    before, _on = _on, on
    try:
        yield
    finally:
        _on = before


def table(name: str) -> dict[Any, Any]:
    """A plain dict named ``name``, forgotten with the rest; its owner keeps it within bounds.

    For a rule looked up so often (a word's stem, millions of times a build)
    that a function call per lookup would cost more than the rule.
    """
    return _TABLES.setdefault(name, {})


def forget() -> None:
    """Drop every remembered answer."""
    for cache in _CACHES:
        cache.cache_clear()
    for entries in _TABLES.values():
        entries.clear()


def sizes() -> dict[str, int]:
    """How many answers each rule remembers now, by the rule's qualified name (a table by its name)."""
    sizes = {f"{c.__module__}.{c.__qualname__}": c.cache_info().currsize for c in _CACHES}
    return sizes | {name: len(entries) for name, entries in _TABLES.items()}
