"""Temporal taggers: text + publication date in, TIMEX3 mentions out.

Taggers are registered by name so the CLI and config can pick one (``--tagger rules``).
"""

from __future__ import annotations

from .base import DateTagger, Timex, value_to_date
from .rules import RuleTagger

__all__ = ["TAGGERS", "DateTagger", "RuleTagger", "Timex", "get_tagger", "value_to_date"]

TAGGERS: dict[str, type[DateTagger]] = {RuleTagger.name: RuleTagger}


def get_tagger(name: str = "rules") -> DateTagger:
    """A new tagger registered under ``name`` (``rules`` by default)."""
    try:
        return TAGGERS[name]()
    except KeyError:
        raise ValueError(f"unknown tagger {name!r}; choose from {', '.join(sorted(TAGGERS))}") from None
