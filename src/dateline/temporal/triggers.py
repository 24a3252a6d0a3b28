"""Where every rule's trigger matches in a text, from one Aho-Corasick pass instead of one regex scan each.

The tagger's triggers (:attr:`.patterns.Rule.trigger`) pre-select the windows its full patterns
search, and scanning a 14,000-character article with each of some 25 triggers was half of the
tagging time: ``re`` tries a pattern at every position, at 15-60 ns a character. Every trigger
match starts with one of a small set of literal prefixes ("yes", "Yes", "tod", "3", ...), read
off the compiled pattern; one pass of ``pyahocorasick`` (C) finds every occurrence of all of
them, and the trigger itself is then tried only there, in order, as ``finditer`` would. The
spans are the same as ``finditer``'s by construction (the prefixes are a superset of where a
match can start; a trigger no prefix set can be read from is scanned as before), so no
output changes. ``re`` has no multi-pattern search and reading prefixes off a pattern is
not something a library offers, hence the hand-written walk over ``re``'s parse tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib import import_module
from typing import Any

import ahocorasick

# re's own parser and case table (private, untyped): the ones that compiled the patterns, so the
# prefixes are read off the same tree. A Python whose re is laid out otherwise scans as before.
_parser: Any
_c: Any
_casefix: Any
try:
    _parser, _c, _casefix = (import_module(f"re._{m}") for m in ("parser", "constants", "casefix"))
except ImportError:  # pragma: no cover - depends on the Python version
    _parser = None

__all__ = ["PrefixIndex", "TriggerIndex", "prefixes"]

_MAX_PREFIX = (6, 3)  # characters: long enough to be rare, short enough to enumerate (else the next)
_MAX_PREFIXES = 4000  # per pattern, beyond which a shorter length is tried, then re scans as before
_DIGITS = "0123456789"
# What \s matches (str.isspace; Unicode has no white space above U+3000, a test checks it). The
# texts are searched with every one of them written as a blank, so a prefix may hold one.
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_BLANKS = str.maketrans(dict.fromkeys(_SPACES, " "))

# A prefix set under construction: (string, whether what follows in the pattern may extend it).
_Prefixes = set[tuple[str, bool]]


class _Unreadable(Exception):
    """A trigger with too many possible prefixes to list."""


# What a construct whose characters cannot be listed contributes: the prefix ends before it.
_STOP: _Prefixes = {("", False)}


def _chars(items: Sequence[tuple[Any, Any]], fold: bool, digits: list[bool]) -> str | None:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 64:
            out.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av is _c.CATEGORY_DIGIT:
            digits[0] = True  # valid only where the text has no other decimal digits (checked per text)
            out.extend(_DIGITS)
        elif op is _c.CATEGORY and av is _c.CATEGORY_SPACE:
            out.append(" ")
        else:
            return None
    out = [" " if c.isspace() else c for c in out]
    if fold:
        # Matched against the lower-cased text; a cased letter outside ASCII may have
        # case partners str.lower does not map to it, so the prefix ends before it.
        if any(not c.isascii() and c.lower() != c.upper() for c in out):
            return None
        out = [c.lower() for c in out]
    return "".join(out)


def _seq(items: Iterable[tuple[Any, Any]], room: int, fold: bool, digits: list[bool]) -> _Prefixes:
    """The possible starts (at most ``room`` characters) of what ``items`` match."""
    results: _Prefixes = {("", True)}
    for op, av in items:
        grown: _Prefixes = set()
        for s, open_ in results:
            if not open_ or len(s) >= room:
                grown.add((s, False))
                continue
            grown.update((s + t, o) for t, o in _item(op, av, room - len(s), fold, digits))
        results = grown
        if len(results) > _MAX_PREFIXES:
            raise _Unreadable
    return results


def _item(op: Any, av: Any, room: int, fold: bool, digits: list[bool]) -> _Prefixes:
    if op is _c.LITERAL:
        chars = _chars([(op, av)], fold, digits)
        return _STOP if chars is None else {(chars, True)}
    if op is _c.IN:
        chars = None if any(o is _c.NEGATE for o, _ in av) else _chars(av, fold, digits)
        return _STOP if chars is None else {(ch, True) for ch in chars}
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return {("", True)}  # zero-width: it can only rule a start out
    if op is _c.BRANCH:
        return set().union(*(_seq(branch, room, fold, digits) for branch in av[1]))
    if op is _c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return _STOP if add_flags & re.IGNORECASE and not fold else _seq(sub, room, fold, digits)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        lo, hi, sub = av
        once = _seq(sub, room, fold, digits)
        if lo == 0:
            return {("", True)} | ({(s, o and hi == 1) for s, o in once})
        out = once
        for _ in range(lo - 1):
            out = {(s + t, o2) if o else (s, False) for s, o in out for t, o2 in once}
            out = {(s[:room], o and len(s) <= room) for s, o in out}
        return {(s, o and hi == lo) for s, o in out}
    return _STOP  # ., a back-reference, an atomic group ...


def prefixes(pattern: re.Pattern[str], fold: bool = False) -> tuple[frozenset[str], bool] | None:
    """The literal prefixes some one of which starts every match of ``pattern``, and whether they assume ASCII digits.

    With ``fold`` the prefixes are lower-cased, to be found in the lower-cased text (for
    case-insensitive patterns). None when they cannot be listed (a case-insensitive
    pattern without ``fold``, or a match that may start with a character no set lists).
    """
    if _parser is None or (pattern.flags & re.IGNORECASE and not fold):
        return None
    tree = _parser.parse(pattern.pattern, pattern.flags)
    for room in _MAX_PREFIX:
        digits = [False]
        try:
            found = _seq(tree, room, fold, digits)
            break
        except (_Unreadable, RecursionError):
            continue
    else:
        return None
    words = {s for s, _ in found}
    if "" in words:
        return None
    # "a" covers "abo": the longer one would only report the same start again.
    return frozenset(w for w in words if not any(w[:k] in words for k in range(1, len(w)))), digits[0]


# Letters outside ASCII that re.IGNORECASE pairs with a letter str.lower does not map them to
# ("ſ" with "s", "ı" with "i"): in a text holding one, the lower-cased prefixes could miss a match.
_ODD_CASES = frozenset(
    chr(c) for k, v in (_casefix._EXTRA_CASES.items() if _parser is not None else ()) for c in (k, *v) if c > 127
)


class PrefixIndex:
    """Where each of many patterns may start in a text, from one Aho-Corasick pass over their prefixes."""

    def __init__(self, patterns: Iterable[re.Pattern[str]], fold: bool = False):
        self.fold = fold
        self.patterns: list[re.Pattern[str]] = []
        self.ascii_digits: list[bool] = []
        words: dict[str, list[int]] = {}
        for pattern in dict.fromkeys(patterns):
            found = prefixes(pattern, fold)
            if found is None:
                continue
            for w in found[0]:
                words.setdefault(w, []).append(len(self.patterns))
            self.patterns.append(pattern)
            self.ascii_digits.append(found[1])
        # Words shared by the same patterns form one group, so a hit costs one append.
        groups: dict[tuple[int, ...], int] = {}
        self._automaton = ahocorasick.Automaton()
        for w, members in words.items():
            self._automaton.add_word(w, (len(w) - 1, groups.setdefault(tuple(members), len(groups))))
        self._groups = len(groups)
        self._of_pattern: list[list[int]] = [[] for _ in self.patterns]
        for ids, g in groups.items():
            for i in ids:
                self._of_pattern[i].append(g)
        if words:
            self._automaton.make_automaton()

    def starts(self, text: str) -> dict[re.Pattern[str], list[int]]:
        """The sorted offsets where each indexed pattern may match in ``text`` (those it cannot vouch for are left out)."""
        if not self.patterns:
            return {}
        odd = set() if text.isascii() else {c for c in set(text) if c > "\x7f"}
        haystack = text
        if self.fold:
            haystack = text.lower()
            # One character to one keeps the offsets; the odd cases would need more than lower().
            if len(haystack) != len(text) or not odd.isdisjoint(_ODD_CASES):
                return {}
        haystack = haystack.translate(_BLANKS)
        # The digit prefixes are ASCII; \d also matches other scripts' digits, rare enough to scan for.
        ascii_ok = not any(c.isdecimal() for c in odd)
        found: list[list[int]] = [[] for _ in range(self._groups)]
        for end, (back, group) in self._automaton.iter(haystack):
            found[group].append(end - back)
        out: dict[re.Pattern[str], list[int]] = {}
        for pattern, ascii_digits, groups in zip(self.patterns, self.ascii_digits, self._of_pattern):
            if ascii_ok or not ascii_digits:
                offsets: list[int] = []
                for g in groups:
                    offsets += found[g]
                offsets.sort()
                out[pattern] = offsets
        return out


class TriggerIndex:
    """Finds the matches of many case-sensitive triggers in a text at once, exactly as each one's ``finditer`` would."""

    def __init__(self, triggers: Iterable[re.Pattern[str]]):
        self._index = PrefixIndex(triggers)
        self.triggers = self._index.patterns

    def spans(self, text: str) -> dict[re.Pattern[str], list[tuple[int, int]]]:
        """``(start, end)`` of each indexed trigger's matches in ``text`` (those it cannot vouch for are left out)."""
        out: dict[re.Pattern[str], list[tuple[int, int]]] = {}
        for trigger, starts in self._index.starts(text).items():
            spans = []
            match = trigger.match
            pos = 0
            # finditer's leftmost, non-overlapping matches: every match starts at a prefix.
            for s in starts:
                if s >= pos and (m := match(text, s)) is not None:
                    pos = m.end()  # never empty: an empty match would have put "" among the prefixes
                    spans.append(m.span())
            out[trigger] = spans
        return out
