"""What the HTTP API says: parameters checked into typed values, resources shaped into documented JSON.

Nothing here knows about HTTP frameworks: :mod:`dateline.web.app` routes
requests to these functions and turns :class:`ApiError` into the one error
body ``{"ok": false, "error": ..., "status": ...}``. The keys are listed in
docs/api.md and are only ever added to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..corpus import Corpus
from ..export import EXPORTERS, render, safe_url
from ..model import SentenceRef, Timeline
from ..timeline import METHODS, BuildOptions, Query

__all__ = [
    "FORMAT_ALIASES",
    "MAX_DATES",
    "MAX_LIMIT",
    "MAX_SENTENCES",
    "MEDIA_TYPES",
    "ApiError",
    "TimelineParams",
    "article_view",
    "corpus_view",
    "date_view",
    "export",
    "parse_day",
    "parse_limit",
    "search_view",
    "timeline_view",
]

# Budgets past these make pages nobody reads and responses that take long to build.
MAX_DATES = 500
MAX_SENTENCES = 20
MAX_LIMIT = 5000
DEFAULT_LIMIT = 500

MEDIA_TYPES = {
    "json": "application/json",
    "markdown": "text/markdown; charset=utf-8",
    "tilse": "text/plain; charset=utf-8",
    "newstls": "application/x-ndjson",
    "timelinejs": "application/json",
    "timelinejs-csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
# File extensions people expect, for /api/timeline.{ext}.
FORMAT_ALIASES = {"md": "markdown", "csv": "timelinejs-csv", "txt": "tilse", "jsonl": "newstls"}


class ApiError(Exception):
    """A request the API refuses: ``status`` is the HTTP status, the message says what to change."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def parse_day(value: str, name: str) -> date:
    """``YYYY-MM-DD`` -> a date; ApiError(400) naming the parameter otherwise."""
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ApiError(400, f"{name}={value!r} is not a date; use YYYY-MM-DD") from None


def _parse_int(value: str | None, name: str, low: int, high: int) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"{name}={value!r} is not a whole number") from None
    if not low <= number <= high:
        raise ApiError(400, f"{name}={number} is out of range; use {low} to {high}")
    return number


def parse_limit(value: str | None, default: int = DEFAULT_LIMIT) -> int:
    """The ``limit`` parameter: 1 to :data:`MAX_LIMIT`, ``default`` when absent."""
    limit = _parse_int(value, "limit", 1, MAX_LIMIT)
    return default if limit is None else limit


@dataclass(frozen=True)
class TimelineParams:
    """The parameters of a timeline: what the page's URL and ``/api/timeline`` carry."""

    query: str | None = None
    start: date | None = None
    end: date | None = None
    dates: int | None = None
    sentences: int | None = None
    method: str = "datewise"

    @classmethod
    def parse(
        cls,
        query: str | None = None,
        start: str | None = None,
        end: str | None = None,
        dates: str | None = None,
        sentences: str | None = None,
        method: str | None = None,
    ) -> TimelineParams:
        """Check raw query-string values; ApiError(400) says which one is wrong and why."""
        query = query.strip() if query and query.strip() else None
        method = method.strip() if method and method.strip() else "datewise"
        if method not in METHODS:
            raise ApiError(400, f"method={method!r} is unknown; choose from {', '.join(sorted(METHODS))}")
        params = cls(
            query=query,
            start=parse_day(start, "from") if start and start.strip() else None,
            end=parse_day(end, "to") if end and end.strip() else None,
            dates=_parse_int(dates, "dates", 1, MAX_DATES),
            sentences=_parse_int(sentences, "sentences", 1, MAX_SENTENCES),
            method=method,
        )
        if params.start and params.end and params.start > params.end:
            raise ApiError(400, f"from={params.start} is after to={params.end}")
        return params

    def options(self) -> BuildOptions:
        """The builder's options for these parameters."""
        return BuildOptions(
            dates=self.dates, sentences=self.sentences, query=self.query, start=self.start, end=self.end
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "dates": self.dates,
            "sentences": self.sentences,
            "method": self.method,
        }


def _ref(ref: SentenceRef) -> dict[str, Any]:
    # "link" is the url only when it is http(s): what a client may make clickable.
    return {**ref.to_dict(), "link": safe_url(ref.url)}


def corpus_view(corpus: Corpus) -> dict[str, Any]:
    """``/api/corpus``: counts, publication range, histograms, top dates, and what the API offers."""
    return {
        "ok": True,
        **corpus.stats().to_dict(),
        "methods": sorted(METHODS),
        "formats": list(EXPORTERS),
    }


def timeline_view(timeline: Timeline, params: TimelineParams) -> dict[str, Any]:
    """``/api/timeline``: the parameters used and the timeline (schema ``dateline.timeline/1``)."""
    doc = timeline.to_dict()
    for entry in doc["entries"]:
        for sentence in entry["sentences"]:
            sentence["link"] = safe_url(sentence["url"])
    return {"ok": True, "params": params.to_dict(), "timeline": doc}


def article_view(corpus: Corpus, article_id: str) -> dict[str, Any]:
    """``/api/articles/{id}``: the article, its sentences and date mentions; ApiError(404) when unknown."""
    annotated = corpus.get(article_id)
    if annotated is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    article = annotated.article.to_dict()
    article["link"] = safe_url(annotated.article.url)
    return {
        "ok": True,
        "article": article,
        "sentences": [s.to_dict() for s in annotated.sentences],
        "mentions": [m.to_dict() for m in annotated.mentions],
    }


def date_view(corpus: Corpus, day: date, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """``/api/dates/{date}``: every sentence mentioning ``day`` (day precision), with provenance."""
    refs = corpus.sentences_on(day)
    return {
        "ok": True,
        "date": day.isoformat(),
        "count": len(refs),
        "articles": len({r.article_id for r in refs}),
        "truncated": len(refs) > limit,
        "sentences": [_ref(r) for r in refs[:limit]],
    }


def search_view(corpus: Corpus, q: str | None, limit: int = 100) -> dict[str, Any]:
    """``/api/search?q=``: sentences containing a query term, in corpus order."""
    params = TimelineParams.parse(query=q)
    query = Query.parse(params.query)
    if query is None:
        raise ApiError(400, "q is required: the words to look for")
    refs = corpus.search(query, limit + 1)
    return {
        "ok": True,
        "q": params.query,
        "count": min(len(refs), limit),
        "truncated": len(refs) > limit,
        "sentences": [_ref(r) for r in refs[:limit]],
    }


def export(timeline: Timeline, fmt: str) -> tuple[str, str]:
    """``timeline`` rendered in ``fmt`` (or one of its extension aliases), with its media type."""
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in EXPORTERS:
        known = ", ".join([*EXPORTERS, *FORMAT_ALIASES])
        raise ApiError(400, f"format={fmt!r} is unknown; choose from {known}")
    return render(timeline, fmt), MEDIA_TYPES.get(fmt, "text/plain; charset=utf-8")
