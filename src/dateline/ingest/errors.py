"""What can go wrong while reading articles, and the tally of what did: read, skipped, duplicate, ignored."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..text import plural

__all__ = ["IgnoredFile", "IngestError", "IngestReport"]


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


@dataclass(frozen=True)
class IgnoredFile:
    """A file (or folder) under the path read that holds no articles by design, and why it was passed over."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


# How many ignored names the one-line summary spells out before "and N more".
_NAMED = 3


@dataclass
class IngestReport:
    """What one read produced, accounting for every record and file.

    ``read`` articles were yielded; ``duplicates`` repeated one already read;
    ``skipped`` holds one :class:`IngestError` per record (or file) that could
    not be read; ``ignored`` names the files that were not read because they
    hold no articles (notes, news-tls reference timelines, files outside a
    news-tls layout), each with its reason.
    """

    read: int = 0
    duplicates: int = 0
    skipped: list[IngestError] = field(default_factory=list)
    ignored: list[IgnoredFile] = field(default_factory=list)

    def by_reason(self) -> dict[str, int]:
        """Skipped records counted by kind, most frequent first."""
        return dict(Counter(e.kind for e in self.skipped).most_common())

    def ignored_by_reason(self) -> dict[str, list[str]]:
        """Ignored files grouped by reason, most frequent first."""
        groups: dict[str, list[str]] = {}
        for f in self.ignored:
            groups.setdefault(f.reason, []).append(f.path)
        return dict(sorted(groups.items(), key=lambda kv: -len(kv[1])))

    def summary(self) -> str:
        """One human line: ``read 120 articles, skipped 3 (2 missing date, 1 bad JSON), 1 duplicate collapsed``.

        Ignored files follow, named by reason: ``; ignored 2 files: README.md (a note, not an article);
        t1/extra.jsonl (outside the news-tls layout)``.
        """
        parts = [f"read {plural(self.read, 'article')}"]
        if self.skipped:
            reasons = ", ".join(f"{n} {kind}" for kind, n in self.by_reason().items())
            parts.append(f"skipped {len(self.skipped)} ({reasons})")
        if self.duplicates:
            parts.append(f"{plural(self.duplicates, 'duplicate')} collapsed")
        line = ", ".join(parts)
        if self.ignored:
            groups = []
            for reason, paths in self.ignored_by_reason().items():
                names = ", ".join(paths[:_NAMED]) + (f" and {len(paths) - _NAMED} more" if len(paths) > _NAMED else "")
                groups.append(f"{names} ({reason})")
            line += f"; ignored {plural(len(self.ignored), 'file')}: " + "; ".join(groups)
        return line
