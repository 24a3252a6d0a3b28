"""What can go wrong while reading articles, and the tally of what did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["IngestError", "IngestReport"]


class IngestError(Exception):
    """A record or file that cannot be read: where (path, line) and why (reason).

    ``kind`` is a short category (``"missing date"``, ``"bad JSON"`` ...) that
    :meth:`IngestReport.by_reason` counts; ``reason`` is the full, actionable
    message.
    """

    def __init__(self, path: str, line: int | None, reason: str, kind: str = "bad record") -> None:
        # All four go to Exception.args so the error pickles (worker processes) intact.
        super().__init__(str(path), line, reason, kind)
        self.path = str(path)
        self.line = line
        self.reason = reason
        self.kind = kind

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class IngestReport:
    """What one read produced: articles yielded, duplicates collapsed, records skipped."""

    read: int = 0
    duplicates: int = 0
    skipped: list[IngestError] = field(default_factory=list)

    def by_reason(self) -> dict[str, int]:
        """Skipped records counted by kind, most frequent first."""
        return dict(Counter(e.kind for e in self.skipped).most_common())

    def summary(self) -> str:
        """One human line: ``read 120 articles, skipped 3 (2 missing date, 1 bad JSON), 1 duplicate collapsed``."""
        parts = [f"read {_plural(self.read, 'article')}"]
        if self.skipped:
            reasons = ", ".join(f"{n} {kind}" for kind, n in self.by_reason().items())
            parts.append(f"skipped {len(self.skipped)} ({reasons})")
        if self.duplicates:
            parts.append(f"{_plural(self.duplicates, 'duplicate')} collapsed")
        return ", ".join(parts)
