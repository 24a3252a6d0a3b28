"""The web app: a FastAPI application serving the page, its assets and the JSON API over a corpus.

Routing only; what each endpoint returns is decided in :mod:`dateline.web.api`,
how timelines are built off the event loop in :mod:`dateline.web.builds`,
and how the corpus loads and grows in :mod:`dateline.web.live`. Every error,
expected or not, leaves as ``{"ok": false, "error": ..., "status": N}`` (never
a traceback); every response carries a Content-Security-Policy that allows
no script but the app's own; a request naming a host the server was not
started for is refused (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
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
from .builds import Builds, Busy, build_in_worker, timeline_pool
from .live import LiveCorpus, NotReady

__all__ = ["LOCAL_HOSTS", "STATIC_DIR", "allowed_hosts_for", "create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
TIMELINE_CACHE = 64
BUILD_WORKERS = 1  # the machine's other core answers everything else
BUILD_QUEUE = 4  # distinct timelines waiting beyond the running ones, before a 503
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
log = logging.getLogger("dateline.web")

# The page runs only its own script and reads only its own API; an article
# that smuggles markup in has nowhere to load code from or send data to.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The printable page has its own inline stylesheet and no script at all.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status, headers=headers)


def _strip_json(name: str) -> str:
    return name[: -len(".json")] if name.endswith(".json") else name


def _host_name(value: str) -> str:
    """A Host header or host name without its port, lower case, IPv6 literals bracketed."""
    value = value.strip().lower()
    if value.startswith("["):
        return value.split("]", 1)[0] + "]"
    if value.count(":") > 1:  # a bare IPv6 literal, as --host takes it
        return f"[{value}]"
    return value.split(":", 1)[0]


def allowed_hosts_for(host: str | None, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The Host names a server bound to ``host`` answers: loopback names, ``host`` itself, then ``extra``."""
    names = [*LOCAL_HOSTS]
    # 0.0.0.0 and :: are not names a browser sends; what is reachable there must be listed.
    if host and host not in ("0.0.0.0", "::"):
        names.append(_host_name(host))
    names.extend(_host_name(h) if h != "*" else "*" for h in extra)
    return tuple(dict.fromkeys(names))


def create_app(
    corpus: Corpus | LiveCorpus,
    *,
    title: str = "Dateline",
    prebuild: bool = False,
    allowed_hosts: Iterable[str] | None = None,
    root: str | os.PathLike[str] | None = None,
    workers: int = BUILD_WORKERS,
    queue: int = BUILD_QUEUE,
    cache: int = TIMELINE_CACHE,
    build_processes: bool = False,
) -> FastAPI:
    """The web app over ``corpus``: the page at ``/``, the API under ``/api``, the schema at ``/openapi.json``.

    ``corpus`` may be a :class:`LiveCorpus` still loading (the API then says
    so, and ``/api/status`` how far it got); a store is watched for articles
    ingested while it is served. With ``prebuild``, the overview and the
    default timeline (the page's first view) are built as soon as the corpus
    is ready and again whenever it changes. Only requests for one of
    ``allowed_hosts`` (default :data:`LOCAL_HOSTS`; ``"*"`` allows any) are
    answered. ``origin`` paths are shown relative to ``root`` (default: a
    store's folder). Timelines are built by ``workers`` threads with at most
    ``queue`` more waiting (then 503) and ``cache`` kept. When the app shuts
    down, it closes a :class:`LiveCorpus` given (which closes its corpus if it
    opened it, as :func:`~dateline.web.load.live_corpus` does); a plain
    corpus given stays open, its caller's.
    """
    live = corpus if isinstance(corpus, LiveCorpus) else LiveCorpus(corpus)
    hosts = frozenset(_host_name(h) if h != "*" else "*" for h in (allowed_hosts or LOCAL_HOSTS))
    if root is None and live.store is not None:
        root = live.store.path.parent

    def build(key: tuple[int, TimelineParams]) -> Timeline:
        _, params = key
        return corpus_timeline(live.current()[1], params.options(), params.method)

    def _current() -> tuple[int, Corpus]:
        try:
            return live.current()
        except NotReady as e:
            if e.failed:
                raise ApiError(500, e.message) from None
            raise ApiError(503, e.message, {"Retry-After": "1"}) from None

    builds: Builds[tuple[int, TimelineParams], Timeline]
    if build_processes:
        # Made at the first build, when the corpus is there to hand to the processes.
        pool = lambda n: timeline_pool(live.current()[1], n)  # noqa: E731
        builds = Builds(build_in_worker, workers=workers, queue=queue, cache=cache, pool=pool)
    else:
        builds = Builds(build, workers=workers, queue=queue, cache=cache)
    corpus_docs: dict[int, dict[str, Any]] = {}

    def corpus_doc() -> dict[str, Any]:
        generation, current = _current()
        doc = corpus_docs.get(generation)
        if doc is None:
            doc = {**api.corpus_view(current), "title": title}
            corpus_docs.clear()  # only the newest generation is ever asked for again
            corpus_docs[generation] = doc
        return doc

    def warm(generation: int) -> None:
        builds.clear()  # keys carry the generation; this only frees the memory sooner
        if prebuild:
            corpus_doc()
            try:
                builds.get((generation, TimelineParams())).result()
            except Exception:
                log.exception("prebuilding the default timeline failed")

    live.on_change(warm)
    warming: threading.Thread | None = None
    if prebuild and live.status().state == "ready":
        # On a thread: the server is to answer at once, the first view soon after.
        warming = threading.Thread(target=warm, args=(live.generation,), name="dateline-warm", daemon=True)
        warming.start()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        builds.shutdown()
        live.close()

    app = FastAPI(
        title=f"{title} API",
        version=__version__,
        description="Timelines of a news corpus. Every resource is JSON; errors are "
        '`{"ok": false, "error": "...", "status": N}`. See docs/api.md.',
        docs_url=None,  # FastAPI's /docs and /redoc load their assets from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.live = live
    app.state.warming = warming
    app.state.title = title
    app.state.builds = builds
    app.state.allowed_hosts = hosts

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404:
            message = f"not found: {request.url.path}"
        return _error(exc.status_code, message, dict(exc.headers or {}))

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
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = request.headers.get("host")
        response: Response
        if "*" not in hosts and (host is None or _host_name(host) not in hosts):
            # Written here, not Starlette's TrustedHostMiddleware: that one answers in plain text.
            shown = "no Host header" if host is None else f"host {_host_name(host)[:60]!r}"
            response = _error(
                400, f"{shown} is not served here; start dateline serve with --allowed-host NAME to allow it"
            )
        elif len(request.url.query) > api.MAX_QUERY_STRING:
            response = _error(
                400, f"the query string is {len(request.url.query)} bytes; at most {api.MAX_QUERY_STRING} are allowed"
            )
        else:
            live.poll()
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/api/status", summary="Loading and update progress")
    @app.get("/api/status.json", include_in_schema=False)
    def get_status() -> dict[str, Any]:
        """Whether the corpus is served yet (`state`), the progress of annotating it, and its `generation`."""
        return api.status_view(live.status().to_dict(), title)

    @app.get("/api/corpus", summary="Corpus overview")
    @app.get("/api/corpus.json", include_in_schema=False)
    def get_corpus() -> dict[str, Any]:
        """Article count, publication range, articles and date mentions per day, top dates."""
        return corpus_doc()

    async def _timeline_response(params: TimelineParams, fmt: str | None) -> Response:
        generation, _ = _current()
        try:
            future = builds.get((generation, params))
        except Busy as e:
            raise ApiError(503, str(e), {"Retry-After": str(e.retry_after)}) from None
        timeline = await asyncio.wrap_future(future)
        if fmt is None:
            return JSONResponse(api.timeline_view(timeline, params))
        body, media_type = api.export(timeline, fmt)
        headers = {"Content-Security-Policy": EXPORT_CSP} if media_type.startswith("text/html") else {}
        return Response(body, media_type=media_type, headers=headers)

    @app.get("/api/timeline", summary="Build a timeline")
    @app.get("/api/timeline.json", include_in_schema=False)
    async def get_timeline(
        query: str | None = Query(None, description='Words the timeline is about, e.g. `Haftar "no-fly zone"`.'),
        start: str | None = Query(None, alias="from", description="First date, YYYY-MM-DD."),
        end: str | None = Query(None, alias="to", description="Last date, YYYY-MM-DD."),
        dates: str | None = Query(
            None, description=f"Number of dates, 1 to {api.MAX_DATES} (default: chosen from the corpus)."
        ),
        sentences: str | None = Query(None, description=f"Sentences per date, 1 to {api.MAX_SENTENCES} (default 2)."),
        method: str | None = Query(None, description="How dates are ranked (see /api/corpus `methods`)."),
        precision: str | None = Query(
            None, description="`day` (default): entries are days; `any`: also months and years when no day is known."
        ),
        format: str | None = Query(
            None, description="An export format instead of the API JSON (see /api/corpus `formats`)."
        ),
    ) -> Response:
        """The timeline as API JSON, or exported with `format=`."""
        params = TimelineParams.parse(query, start, end, dates, sentences, method, precision)
        fmt = api.check_format(format.strip()) if format and format.strip() else None
        return await _timeline_response(params, fmt)

    @app.get("/api/timeline.{fmt}", summary="Export a timeline")
    async def get_timeline_export(
        fmt: str,
        query: str | None = Query(None),
        start: str | None = Query(None, alias="from"),
        end: str | None = Query(None, alias="to"),
        dates: str | None = Query(None),
        sentences: str | None = Query(None),
        method: str | None = Query(None),
        precision: str | None = Query(None),
    ) -> Response:
        """The timeline in an export format: `/api/timeline.markdown`, `.tilse`, `.timelinejs`, `.csv`, `.html` ..."""
        if api.FORMAT_ALIASES.get(fmt, fmt) not in api.MEDIA_TYPES:
            raise ApiError(404, f"no export format {fmt[:40]!r}; choose from {', '.join(api.MEDIA_TYPES)}")
        params = TimelineParams.parse(query, start, end, dates, sentences, method, precision)
        return await _timeline_response(params, fmt)

    @app.get("/api/articles/{article_id}", summary="One article")
    def get_article(article_id: str) -> dict[str, Any]:
        """The article's text and metadata, its sentences (character spans) and date mentions."""
        return api.article_view(_current()[1], _strip_json(article_id), root)

    @app.get("/api/dates/{day}", summary="Sentences mentioning a date")
    def get_date(
        day: str, limit: str | None = Query(None, description=f"At most this many sentences (1 to {api.MAX_LIMIT}).")
    ) -> dict[str, Any]:
        """Every sentence with a day-precision mention of the date, with provenance."""
        parsed = api.parse_day(_strip_json(day), "date")
        return api.date_view(_current()[1], parsed, api.parse_limit(limit))

    @app.get("/api/search", summary="Search sentences")
    @app.get("/api/search.json", include_in_schema=False)
    def get_search(
        q: str | None = Query(None, description="Words to look for (word prefix, any case)."),
        limit: str | None = Query(
            None, description=f"At most this many sentences (1 to {api.MAX_LIMIT}, default 100)."
        ),
    ) -> dict[str, Any]:
        """Sentences containing one of the words, best match first (BM25), with `highlights` offsets."""
        parsed_limit = api.parse_limit(limit, default=100)
        return api.search_view(_current()[1], q, parsed_limit)

    # StaticFiles resolves paths inside STATIC_DIR only and answers 404 to anything else.
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
