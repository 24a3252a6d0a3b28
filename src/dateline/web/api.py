"""What the HTTP API says: parameters checked into typed values, resources shaped into documented JSON.

Nothing here knows about HTTP frameworks: :mod:`dateline.web.app` routes
requests to these functions and turns :class:`ApiError` into the one error
body ``{"ok": false, "error": ..., "status": ...}``. The keys are listed in
docs/api.md and are only ever added to.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..corpus import Corpus
from ..export import EXPORTERS, render, safe_url
from ..model import SentenceRef, Timeline
from ..timeline import METHODS, PRECISIONS, BuildOptions, Query

__all__ = [
    "FORMAT_ALIASES",
    "MAX_DATES",
    "MAX_ID_CHARS",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "MAX_QUERY_STRING",
    "MAX_QUERY_TERMS",
    "MAX_SENTENCES",
    "MEDIA_TYPES",
    "ApiError",
    "TimelineParams",
    "article_view",
    "check_format",
    "corpus_view",
    "date_view",
    "export",
    "check_article_id",
    "parse_day",
    "parse_limit",
    "rank_hits",
    "relative_origin",
    "search_view",
    "status_view",
    "timeline_view",
]

# Budgets past these make pages nobody reads and responses that take long to build.
MAX_DATES = 500
MAX_SENTENCES = 20
MAX_LIMIT = 5000
DEFAULT_LIMIT = 500
# A query is a few words; thousands of terms would make every sentence a
# regex scan of them all (and an FTS5 query as long), for nobody's benefit.
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 20
MAX_ID_CHARS = 128  # ids are 16 hex digits; names in URLs stay short
MAX_QUERY_STRING = 4096  # bytes of the whole query string, like common proxies' URL limits
# Dates far from any news leave no room for the builder's day arithmetic (year 1 and 9999 overflow).
MIN_DAY = date(1000, 1, 1)
MAX_DAY = date(9000, 12, 31)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Search ranks the first this-many matching sentences (corpus order) and returns the best.
SEARCH_CANDIDATES = 1000

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

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _shown(value: str, width: int = 40) -> str:
    """``value`` as an error message quotes it: repr'd, and cut when long (the message is one line)."""
    return repr(value if len(value) <= width else value[:width] + "...")


def parse_day(value: str, name: str) -> date:
    """``YYYY-MM-DD`` from :data:`MIN_DAY` to :data:`MAX_DAY` -> a date; ApiError(400) naming the parameter otherwise."""
    # date.fromisoformat also takes 20200301 and 2020-W10-1; the API promises one form.
    if not isinstance(value, str) or not _DAY.fullmatch(value.strip()):
        raise ApiError(400, f"{name}={_shown(str(value))} is not a date; use YYYY-MM-DD")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ApiError(400, f"{name}={_shown(value)} is not a date; use YYYY-MM-DD") from None
    if not MIN_DAY <= day <= MAX_DAY:
        raise ApiError(400, f"{name}={day} is out of range; use a date from {MIN_DAY} to {MAX_DAY}")
    return day


def _parse_int(value: str | None, name: str, low: int, high: int) -> int | None:
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value) if len(value) <= 20 else None
    except ValueError:
        number = None
    if number is None:
        raise ApiError(400, f"{name}={_shown(value)} is not a whole number; use {low} to {high}")
    if not low <= number <= high:
        raise ApiError(400, f"{name}={number} is out of range; use {low} to {high}")
    return number


def parse_limit(value: str | None, default: int = DEFAULT_LIMIT) -> int:
    """The ``limit`` parameter: 1 to :data:`MAX_LIMIT`, ``default`` when absent."""
    limit = _parse_int(value, "limit", 1, MAX_LIMIT)
    return default if limit is None else limit


def _parse_query(value: str | None, name: str) -> str | None:
    value = value.strip() if value and value.strip() else None
    if value is None:
        return None
    if len(value) > MAX_QUERY_CHARS:
        raise ApiError(400, f"{name} is {len(value)} characters long; at most {MAX_QUERY_CHARS} are allowed")
    query = Query.parse(value)
    if query is not None and len(query.terms) > MAX_QUERY_TERMS:
        raise ApiError(400, f"{name} has {len(query.terms)} terms; at most {MAX_QUERY_TERMS} are allowed")
    return value


def check_article_id(value: str) -> str:
    """An article id from a URL; ApiError(400) when it is longer than any id (:data:`MAX_ID_CHARS`)."""
    if len(value) > MAX_ID_CHARS:
        raise ApiError(400, f"article id is {len(value)} characters long; at most {MAX_ID_CHARS} are allowed")
    return value


@dataclass(frozen=True)
class TimelineParams:
    """The parameters of a timeline: what the page's URL and ``/api/timeline`` carry."""

    query: str | None = None
    start: date | None = None
    end: date | None = None
    dates: int | None = None
    sentences: int | None = None
    method: str = "datewise"
    precision: str = "day"

    @classmethod
    def parse(
        cls,
        query: str | None = None,
        start: str | None = None,
        end: str | None = None,
        dates: str | None = None,
        sentences: str | None = None,
        method: str | None = None,
        precision: str | None = None,
    ) -> TimelineParams:
        """Check raw query-string values; ApiError(400) says which one is wrong and why."""
        query = _parse_query(query, "query")
        method = method.strip() if method and method.strip() else "datewise"
        if method not in METHODS:
            method = method if len(method) <= 40 else method[:40] + "..."
            raise ApiError(400, f"method={method!r} is unknown; choose from {', '.join(sorted(METHODS))}")
        precision = precision.strip() if precision and precision.strip() else "day"
        if precision not in PRECISIONS:
            precision = precision if len(precision) <= 40 else precision[:40] + "..."
            raise ApiError(400, f"precision={precision!r} is unknown; choose from {', '.join(PRECISIONS)}")
        params = cls(
            query=query,
            start=parse_day(start, "from") if start and start.strip() else None,
            end=parse_day(end, "to") if end and end.strip() else None,
            dates=_parse_int(dates, "dates", 1, MAX_DATES),
            sentences=_parse_int(sentences, "sentences", 1, MAX_SENTENCES),
            method=method,
            precision=precision,
        )
        if params.start and params.end and params.start > params.end:
            raise ApiError(400, f"from={params.start} is after to={params.end}")
        return params

    def options(self) -> BuildOptions:
        """The builder's options for these parameters."""
        return BuildOptions(
            dates=self.dates,
            sentences=self.sentences,
            query=self.query,
            start=self.start,
            end=self.end,
            precision=self.precision,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "dates": self.dates,
            "sentences": self.sentences,
            "method": self.method,
            "precision": self.precision,
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


def article_view(corpus: Corpus, article_id: str, root: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """``/api/articles/{id}``: the article, its sentences and date mentions; ApiError(404) when unknown.

    ``origin`` is shown relative to ``root`` (the folder served), see :func:`relative_origin`.
    """
    annotated = corpus.get(check_article_id(article_id))
    if annotated is None:
        raise ApiError(404, f"no article with id {_shown(article_id)}")
    article = annotated.article.to_dict()
    article["origin"] = relative_origin(annotated.article.origin, root)
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


def _term_patterns(query: Query) -> list[re.Pattern[str]]:
    # The rule of Query.matches (a term at a word's start, any case), one
    # pattern per term so that each is counted; a match runs on to the end
    # of its word, which is what a reader sees highlighted.
    return [re.compile(r"\b" + re.escape(term) + r"\w*", re.IGNORECASE) for term in query.terms]


def highlights(text: str, query: Query) -> list[list[int]]:
    """``[[start, end], ...]``: where ``text`` names a query term (code point offsets, sorted, not overlapping)."""
    spans = sorted((m.start(), m.end()) for p in _term_patterns(query) for m in p.finditer(text))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def rank_hits(refs: list[SentenceRef], query: Query) -> list[tuple[float, SentenceRef]]:
    """``refs`` scored by Okapi BM25 (k1 1.2, b 0.75) over the query's terms, best first; ties keep corpus order.

    Written here rather than taken from a library: the hits are already the
    candidate set (no index to build), terms are matched by the query's own
    word-prefix rule, and the formula is four lines. Document frequencies are
    those among the hits, which is what orders them against each other.
    """
    if not refs:
        return []
    patterns = _term_patterns(query)
    k1, b = 1.2, 0.75
    counts = [[len(p.findall(r.text)) for p in patterns] for r in refs]
    lengths = [max(1, len(r.text.split())) for r in refs]
    mean_length = sum(lengths) / len(lengths)
    n = len(refs)
    df = Counter(i for row in counts for i, c in enumerate(row) if c)
    idf = [math.log(1 + (n - df[i] + 0.5) / (df[i] + 0.5)) for i in range(len(patterns))]
    scored = []
    for ref, row, length in zip(refs, counts, lengths):
        norm = k1 * (1 - b + b * length / mean_length)
        scored.append((sum(idf[i] * c * (k1 + 1) / (c + norm) for i, c in enumerate(row) if c), ref))
    order = sorted(range(n), key=lambda i: -scored[i][0])  # sorted() is stable: ties stay in corpus order
    return [scored[i] for i in order]


def search_view(corpus: Corpus, q: str | None, limit: int = 100) -> dict[str, Any]:
    """``/api/search?q=``: sentences naming a query term, best match first (BM25), with the matches' offsets."""
    parsed = _parse_query(q, "q")
    query = Query.parse(parsed)
    if query is None:
        raise ApiError(400, "q is required: the words to look for")
    refs = corpus.search(query, SEARCH_CANDIDATES)
    ranked = rank_hits(refs, query)
    sentences = []
    for score, ref in ranked[:limit]:
        sentences.append({**_ref(ref), "score": round(score, 4), "highlights": highlights(ref.text, query)})
    return {
        "ok": True,
        "q": parsed,
        "count": len(sentences),
        "truncated": len(refs) > limit,
        "ranked": "bm25",
        "sentences": sentences,
    }


def relative_origin(origin: str | None, root: str | os.PathLike[str] | None) -> str | None:
    """``origin`` (``path`` or ``path:line``) with its path relative to ``root``; never an absolute path.

    A path outside ``root`` (or any path when there is no root) keeps only
    its file name: where the server's files are is not the reader's business.
    """
    if not origin:
        return origin
    path, line = origin, ""
    head, sep, tail = origin.rpartition(":")
    if sep and tail.isdigit():
        path, line = head, f":{tail}"
    file = Path(path)
    if root is not None:
        base = Path(root).resolve()
        try:
            return (file if file.is_absolute() else file.resolve()).relative_to(base).as_posix() + line
        except (ValueError, OSError):
            pass
    if not file.is_absolute() and ".." not in file.parts:
        return file.as_posix() + line  # as typed at ingest: it says nothing of the server's layout
    return file.name + line


def status_view(status: dict[str, Any], title: str) -> dict[str, Any]:
    """``/api/status``: whether the corpus is served yet, the progress of loading or updating it."""
    return {"ok": True, "title": title, **status}


def check_format(fmt: str) -> str:
    """An export format or one of its extension aliases, as given; ApiError(400) naming the choices otherwise."""
    if FORMAT_ALIASES.get(fmt, fmt) not in EXPORTERS:
        known = ", ".join([*EXPORTERS, *FORMAT_ALIASES])
        raise ApiError(400, f"format={_shown(fmt)} is unknown; choose from {known}")
    return fmt


def export(timeline: Timeline, fmt: str) -> tuple[str, str]:
    """``timeline`` rendered in ``fmt`` (or one of its extension aliases), with its media type."""
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in EXPORTERS:
        known = ", ".join([*EXPORTERS, *FORMAT_ALIASES])
        raise ApiError(400, f"format={fmt!r} is unknown; choose from {known}")
    return render(timeline, fmt), MEDIA_TYPES.get(fmt, "text/plain; charset=utf-8")
