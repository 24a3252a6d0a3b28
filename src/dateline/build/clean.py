"""Wire-service boilerplate at the start of a sentence: datelines and timestamps.

News agencies open a story with a dateline ("CAIRO (Reuters) - ...",
"TRIPOLI, March 2 | Wed Mar 2, 2011 7:26am EST TRIPOLI (Reuters) - ...").
It names where the story was filed, not what happened, and would cost a
timeline line its readability (and its ROUGE precision). No sentence
splitter or boilerplate remover we tried (syntok, nupunkt, trafilatura) removes it,
so these two patterns do; :func:`lead_boilerplate` only *measures* the
prefix, so callers can move a sentence's span past it and keep provenance
exact.
"""

from __future__ import annotations

import re

__all__ = ["lead_boilerplate"]

# "(Reuters)", "(AP)", and the PTB-escaped "-LRB- Reuters -RRB-" found in pre-tokenised corpora.
_AGENCY = r"(?:\(|-LRB-\s*)[A-Za-z][\w .&/-]{0,30}(?:\)|\s*-RRB-)"
# An upper-case place, an optional ", March 2", the agency, then a dash.
_DATELINE = re.compile(
    r".{0,200}?\b[A-Z]{2,}[A-Z.' -]*(?:,[^()|\n]{0,30}?)?\s*" + _AGENCY + r"\s*(?:--?|\u2014|\u2013)\s+",
    re.DOTALL,
)
# "WASHINGTON | Tue Mar 1, 2011 12:46pm EST " (a place, then a full timestamp).
_TIMESTAMP = re.compile(
    r"(?:[A-Z][\w ,.'-]{0,40}\|\s*)?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*\s+\w{3,9}\.?\s+\d{1,2}\s*,\s*\d{4}"
    r"\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?\s*[A-Z]{2,4}\s+"
)
# What is left must still be a sentence.
_MIN_WORDS_LEFT = 5


def lead_boilerplate(text: str) -> int:
    """How many leading characters of ``text`` are a dateline or timestamp (0 when none)."""
    skip = 0
    for pattern in (_DATELINE, _TIMESTAMP):
        match = pattern.match(text, skip)
        if match:
            skip = match.end()
    if skip and len(text[skip:].split()) < _MIN_WORDS_LEFT:
        return 0
    return skip
