"""The web app: a FastAPI application serving the page, its assets and the JSON API over a corpus.

Routing only; what each endpoint returns is decided in :mod:`dateline.web.api`.
Every error, expected or not, leaves as ``{"ok": false, "error": ..., "status": N}``
(never a traceback), and every response carries a Content-Security-Policy
that allows no script but the app's own.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._version import __version__
from ..corpus import Corpus, corpus_timeline
from ..model import Timeline
from . import api
from .api import ApiError, TimelineParams

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
TIMELINE_CACHE = 64
log = logging.getLogger("dateline.web")

# The page runs only its own script and reads only its own API; an article
# that smuggles markup in has nowhere to load code from or send data to.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The printable page has its own inline stylesheet and no script at all.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _strip_json(name: str) -> str:
    return name[: -len(".json")] if name.endswith(".json") else name


def create_app(corpus: Corpus, *, title: str = "Dateline", prebuild: bool = False) -> FastAPI:
    """The web app over ``corpus``: the page at ``/``, the API under ``/api``, the schema at ``/openapi.json``.

    With ``prebuild``, the overview and the default timeline (the page's
    first view) are built now rather than on the first request.
    """
    app = FastAPI(
        title=f"{title} API",
        version=__version__,
        description="Timelines of a news corpus. Every resource is JSON; errors are "
        '`{"ok": false, "error": "...", "status": N}`. See docs/api.md.',
        docs_url=None,  # FastAPI's /docs and /redoc load their assets from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.corpus = corpus
    app.state.title = title

    @lru_cache(maxsize=1)
    def corpus_doc() -> dict[str, Any]:
        return {**api.corpus_view(corpus), "title": title}

    @lru_cache(maxsize=TIMELINE_CACHE)
    def timeline_of(params: TimelineParams) -> Timeline:
        return corpus_timeline(corpus, params.options(), params.method)

    if prebuild:
        corpus_doc()
        timeline_of(TimelineParams())
    app.state.cache_info = timeline_of.cache_info

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404:
            message = f"not found: {request.url.path}"
        return _error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in exc.errors()
        )
        return _error(400, problems or "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _error(500, "internal error; the server log has the details")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/api/corpus", summary="Corpus overview")
    @app.get("/api/corpus.json", include_in_schema=False)
    def get_corpus() -> dict[str, Any]:
        """Article count, publication range, articles and date mentions per day, top dates."""
        return corpus_doc()

    def _timeline_response(params: TimelineParams, fmt: str | None) -> Response:
        timeline = timeline_of(params)
        if fmt is None:
            return JSONResponse(api.timeline_view(timeline, params))
        body, media_type = api.export(timeline, fmt)
        headers = {"Content-Security-Policy": EXPORT_CSP} if media_type.startswith("text/html") else {}
        return Response(body, media_type=media_type, headers=headers)

    @app.get("/api/timeline", summary="Build a timeline")
    @app.get("/api/timeline.json", include_in_schema=False)
    def get_timeline(
        query: str | None = Query(None, description='Words the timeline is about, e.g. `Haftar "no-fly zone"`.'),
        start: str | None = Query(None, alias="from", description="First date, YYYY-MM-DD."),
        end: str | None = Query(None, alias="to", description="Last date, YYYY-MM-DD."),
        dates: str | None = Query(
            None, description=f"Number of dates, 1 to {api.MAX_DATES} (default: chosen from the corpus)."
        ),
        sentences: str | None = Query(None, description=f"Sentences per date, 1 to {api.MAX_SENTENCES} (default 2)."),
        method: str | None = Query(None, description="How dates are ranked (see /api/corpus `methods`)."),
        format: str | None = Query(
            None, description="An export format instead of the API JSON (see /api/corpus `formats`)."
        ),
    ) -> Response:
        """The timeline as API JSON, or exported with `format=`."""
        params = TimelineParams.parse(query, start, end, dates, sentences, method)
        return _timeline_response(params, format.strip() if format and format.strip() else None)

    @app.get("/api/timeline.{fmt}", summary="Export a timeline")
    def get_timeline_export(
        fmt: str,
        query: str | None = Query(None),
        start: str | None = Query(None, alias="from"),
        end: str | None = Query(None, alias="to"),
        dates: str | None = Query(None),
        sentences: str | None = Query(None),
        method: str | None = Query(None),
    ) -> Response:
        """The timeline in an export format: `/api/timeline.markdown`, `.tilse`, `.timelinejs`, `.csv`, `.html` ..."""
        if api.FORMAT_ALIASES.get(fmt, fmt) not in api.MEDIA_TYPES:
            raise ApiError(404, f"no export format {fmt!r}; choose from {', '.join(api.MEDIA_TYPES)}")
        params = TimelineParams.parse(query, start, end, dates, sentences, method)
        return _timeline_response(params, fmt)

    @app.get("/api/articles/{article_id}", summary="One article")
    def get_article(article_id: str) -> dict[str, Any]:
        """The article's text and metadata, its sentences (character spans) and date mentions."""
        return api.article_view(corpus, _strip_json(article_id))

    @app.get("/api/dates/{day}", summary="Sentences mentioning a date")
    def get_date(
        day: str, limit: str | None = Query(None, description=f"At most this many sentences (1 to {api.MAX_LIMIT}).")
    ) -> dict[str, Any]:
        """Every sentence with a day-precision mention of the date, with provenance."""
        return api.date_view(corpus, api.parse_day(_strip_json(day), "date"), api.parse_limit(limit))

    @app.get("/api/search", summary="Search sentences")
    @app.get("/api/search.json", include_in_schema=False)
    def get_search(
        q: str | None = Query(None, description="Words to look for (word prefix, any case)."),
        limit: str | None = Query(
            None, description=f"At most this many sentences (1 to {api.MAX_LIMIT}, default 100)."
        ),
    ) -> dict[str, Any]:
        """Sentences containing one of the words, in corpus order."""
        return api.search_view(corpus, q, api.parse_limit(limit, default=100))

    # StaticFiles resolves paths inside STATIC_DIR only and answers 404 to anything else.
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
