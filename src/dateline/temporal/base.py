"""The temporal tagger's contract: text + reference date in, TIMEX3-style mentions out.

Annotation, the TempEval benchmark and the timeline builder all go through
this interface, so a tagger can be swapped (``--tagger``) without touching
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from ..model import Precision

__all__ = ["DateTagger", "Timex", "value_to_date"]


@dataclass(frozen=True)
class Timex:
    """A temporal expression: character span in the text, TIMEX3 type and normalised value."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION or SET
    value: str  # TIMEX3 value: 2019-11-24, 2019-11, 2019, 2019-W48, P3D, PRESENT_REF, XXXX-WXX-1 ...


@runtime_checkable
class DateTagger(Protocol):
    """Finds temporal expressions in ``text`` and normalises them against ``reference``.

    ``reference`` is the document's creation time (for news: the publication
    date). Spans index into ``text``; results are sorted by start offset and
    do not overlap.
    """

    name: str
    version: str

    def tag(self, text: str, reference: date) -> list[Timex]: ...


_CALENDAR = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=$|T)")


def value_to_date(value: str) -> tuple[date, Precision] | None:
    """The calendar date a TIMEX3 value names, with its precision, or None.

    ``2019-11-24`` and ``2019-11-24T10:00`` give a day, ``2019-11`` a month,
    ``2019`` a year; weeks, seasons, quarters, durations, sets and
    ``PRESENT_REF`` give None (a timeline cannot place them on one date).
    """
    m = _CALENDAR.match(value)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        if day:
            return date(int(year), int(month), int(day)), Precision.DAY
        if month:
            return date(int(year), int(month), 1), Precision.MONTH
        return date(int(year), 1, 1), Precision.YEAR
    except ValueError:
        return None
