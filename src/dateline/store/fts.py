"""A :class:`~dateline.timeline.Query` as an SQLite FTS5 query, to pre-filter sentences.

FTS5 finds a superset of what ``Query.matches`` finds inside one sentence
(it also ignores punctuation between the words of a phrase and folds
diacritics), so callers re-apply the exact match to what it returns.
"""

from __future__ import annotations

import re

from ..timeline import Query

__all__ = ["fts_query"]

# unicode61 makes tokens of letters and digits only; a term with neither has
# no tokens and cannot be searched for.
_TOKEN = re.compile(r"[^\W_]")


def fts_query(query: Query) -> str | None:
    """``"term"* OR "two words"*``: any term, word-prefix, any case; None when a term has no words."""
    if any(not _TOKEN.search(term) for term in query.terms):
        return None
    # Inside double quotes FTS5 reads everything as text (a multi-word term
    # becomes a phrase, AND/NEAR/-/: lose their meaning); a quote is doubled.
    return " OR ".join('"' + term.replace('"', '""') + '"*' for term in query.terms)
