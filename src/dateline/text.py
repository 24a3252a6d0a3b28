"""Text as a reader should see it: Penn Treebank escapes and HTML entities decoded.

Corpora such as Timeline17 ship PTB-tokenised text (``cap of $ 75m -LRB- # 50m -RRB- .``,
```` `` `` ```` and ``''`` for quotes, ``\\/`` for a slash) and scraped pages keep HTML
entities (``AT&amp;T``). Spans and :attr:`~dateline.model.SentenceRef.text` stay exact
(they point at characters of the article, and the benchmarks' references are tokenised
alike); :func:`readable` is only for display.

Written by hand rather than with NLTK's ``TreebankWordDetokenizer``: that one rewrites
untokenised text too (``said, "no`` becomes ``said,"no``, ``true -- ever`` becomes
``true--ever``), and news text comes both ways. The rules here only touch what a
tokeniser leaves: escape tokens, and spaces before punctuation that untokenised
text never has.

:func:`clean_text` is the one place text is made encodable as UTF-8 (lone surrogates
become U+FFFD); ingest and :meth:`~dateline.model.Article.create` both use it.
:func:`plural` counts things in every human line (summaries, reports).
"""

from __future__ import annotations

import html
import re

__all__ = ["clean_text", "plural", "readable"]

_ESCAPES = {
    "-LRB-": "(",
    "-RRB-": ")",
    "-LSB-": "[",
    "-RSB-": "]",
    "-LCB-": "{",
    "-RCB-": "}",
    "``": "\u201c",
    "''": "\u201d",
}
_ESCAPE = re.compile(r"-[LR][RSC]B-|``|''")
_SLASHED = re.compile(r"\\([/*])")
# A tokeniser's spaces: before closing punctuation and clitics, after opening brackets and
# currency. Only removed where untokenised text would never have them (" , " with a space
# on both sides or at the end; a period alone, not an ellipsis).
_SPACE_BEFORE = re.compile(r"(?<=\S) (?:([,;:!?%]|\.(?!\.))(?= |$)|([)\]}\u201d])|(n't|'s|'re|'ve|'ll|'d|'m)\b)")
_SPACE_AFTER = re.compile(r"([(\[{\u201c]|(?<![^\s(\[{\u201c])[$#]) (?=\S)")


def readable(text: str) -> str:
    """``text`` with PTB escapes (``-LRB-``, ```` `` ````, ``\\/`` ...) and HTML entities decoded, for display."""
    if "-" in text or "`" in text or "''" in text:
        text = _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], text)
    if "\\" in text:
        text = _SLASHED.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    text = _SPACE_BEFORE.sub(lambda m: m.group(1) or m.group(2) or m.group(3), text)
    return _SPACE_AFTER.sub(r"\1", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (``"\\ud800"`` in JSON, odd file names) replaced by U+FFFD.

    Such text cannot be encoded as UTF-8, so hashing, caching and storing it
    would fail; replacing the surrogate keeps the rest of the record.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def plural(n: object, word: str) -> str:
    """``"1 date"``, ``"2 dates"``; a count that is not a number (``"?"``) takes the plural."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
