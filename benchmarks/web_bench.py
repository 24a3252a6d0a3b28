"""Time to first render of ``dateline serve`` on a large corpus (default: T17 bpoil, 1,461 articles), and its behaviour under load.

Prints two separate figures: server ready (read + annotate + app + uvicorn
listening) and, in Debian's Chromium, page load to timeline rendered (the
``dateline:timeline-rendered`` performance mark, counted from navigation
start). As ``dateline serve`` does, the app prebuilds the default timeline;
here the page is loaded once that build is done, so it is part of "app +
listen", not of the page load.

With ``--load``, runs ``dateline serve PATH`` in a process of its own on
loopback and keeps ``--concurrency`` clients busy for ``--seconds`` (at
most ``--max-requests``): half ask for timelines no one asked for before
(a sliding date window and a changing number of dates, so none is cached;
a 503 is waited out as its ``Retry-After`` says), half ask for the cheap
endpoints (``/``, ``/api/articles/ID``, ``/api/dates/DAY``, ``/api/corpus``,
``/api/search``). Prints requests/s and p50/p95/p99 latency per endpoint.

    python benchmarks/web_bench.py                      # annotations from the default cache
    python benchmarks/web_bench.py --no-cache -j 8      # cold: annotate everything at startup
    python benchmarks/web_bench.py --load story.db      # load: 16 clients, 30 s
"""

from __future__ import annotations

import argparse
import os
import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from dateline.annotate import AnnotationCache
from dateline.web import create_app, load_corpus

BPOIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "t17" / "bpoil" / "articles.jsonl"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rendered_ms(page, url: str) -> float:
    """Navigate to ``url`` and return ms from navigation start to the timeline being rendered."""
    page.goto(url)
    page.wait_for_selector("body[data-timeline=ready]", timeout=600_000)
    return page.evaluate("performance.getEntriesByName('dateline:timeline-rendered').at(-1).startTime")


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def load_bench(args: argparse.Namespace) -> None:
    """``dateline serve`` in a process of its own, under ``args.concurrency`` clients on loopback."""
    import asyncio
    import datetime as dt
    import shutil
    import subprocess
    import sys
    from collections import Counter, defaultdict

    import httpx

    port = free_port()
    exe = args.dateline or shutil.which("dateline", path=str(Path(sys.executable).parent)) or "dateline"
    cmd = [exe, "serve", str(args.path), "--port", str(port), "-j", str(args.processes)]
    if args.cache_dir:
        cmd += ["--cache-dir", str(args.cache_dir)]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    try:
        t0 = time.perf_counter()
        with httpx.Client(base_url=base, timeout=30) as c:
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"dateline serve exited with {server.returncode}")
                try:
                    status = c.get("/api/status")
                    # A Dateline without /api/status listens only once it is ready.
                    if status.status_code == 404 or status.json()["state"] == "ready":
                        break
                except httpx.TransportError:
                    pass
                if time.perf_counter() - t0 > 600:
                    raise SystemExit("the server was not ready within 600 s")
                time.sleep(0.2)
            ready = time.perf_counter() - t0
            corpus = c.get("/api/corpus").json()
            days = [d for d, _ in corpus["top_dates"]] or [corpus["first_published"]]
            first = dt.date.fromisoformat(corpus["first_published"])
            span = max(1, (dt.date.fromisoformat(corpus["last_published"]) - first).days)
            refs = c.get(f"/api/dates/{days[0]}?limit=50").json()["sentences"]
            ids = [s["article_id"] for s in refs] or ["x"]
            # Search for the names these sentences use most, as a reader would.
            names = Counter(
                w for s in refs for w in s["text"].split() if w[:1].isupper() and len(w) > 3 and w.isalpha()
            )
            words = [w for w, _ in names.most_common(4)] or ["news"]
            c.get("/api/timeline")  # the prebuilt first view, as a page load would find it

        results: dict[str, list[tuple[int, float]]] = defaultdict(list)
        ends: dict[str, float] = {}
        began = [0.0]
        waits = 0
        issued = 0
        deadline = time.perf_counter() + args.seconds

        def next_slot() -> int | None:
            nonlocal issued
            if time.perf_counter() > deadline or issued >= args.max_requests:
                return None
            issued += 1
            return issued

        async def timed_get(c: httpx.AsyncClient, url: str, name: str) -> httpx.Response | None:
            # A request the connection failed (reset, refused) is counted as lost (status 0), not fatal.
            t = time.perf_counter()
            try:
                r: httpx.Response | None = await c.get(url)
            except httpx.TransportError:
                r = None
            results[name].append((r.status_code if r is not None else 0, time.perf_counter() - t))
            ends[name] = time.perf_counter()
            return r

        async def timelines(c: httpx.AsyncClient, k: int) -> None:
            nonlocal waits
            n = k
            while (slot := next_slot()) is not None:
                n += args.concurrency
                start = first + dt.timedelta(days=n % span)
                url = f"/api/timeline?from={start}&dates={5 + n % 40}"
                r = await timed_get(c, url, "/api/timeline")
                if r is not None and r.status_code == 503:
                    waits += 1
                    await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), 5.0))
                del slot

        cheap = [
            ("/", lambda i: "/"),
            ("/api/articles", lambda i: f"/api/articles/{ids[i % len(ids)]}"),
            ("/api/dates", lambda i: f"/api/dates/{days[i % len(days)]}"),
            ("/api/corpus", lambda i: "/api/corpus"),
            ("/api/search", lambda i: f"/api/search?q={words[i % len(words)]}&limit=20"),
        ]

        async def browse(c: httpx.AsyncClient, k: int) -> None:
            i = k
            while next_slot() is not None:
                name, url = cheap[i % len(cheap)]
                i += 1
                await timed_get(c, url(i), name)

        async def run() -> float:
            limits = httpx.Limits(max_connections=args.concurrency * 2)
            async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as c:
                t = began[0] = time.perf_counter()
                half = args.concurrency // 2 if args.timeline_clients is None else args.timeline_clients
                await asyncio.gather(
                    *(timelines(c, k) for k in range(half)),
                    *(browse(c, k) for k in range(args.concurrency - half)),
                )
                return time.perf_counter() - t

        wall = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(30)

    print(f"corpus: {args.path} ({corpus['articles']} articles), server ready in {ready:.1f} s")
    half = args.concurrency // 2 if args.timeline_clients is None else args.timeline_clients
    print(
        f"load: {args.concurrency} clients on loopback ({half} asking for distinct timelines, "
        f"the others for cheap endpoints), {wall:.1f} s, {sum(map(len, results.values()))} requests"
    )
    print(
        f"{'endpoint':<16}{'requests':>9}{'req/s':>8}{'2xx':>6}{'503':>6}{'5xx':>5}{'lost':>5}"
        f"{'p50 s':>8}{'p95 s':>8}{'p99 s':>8}"
    )
    for name in ["/", "/api/articles", "/api/dates", "/api/corpus", "/api/search", "/api/timeline"]:
        rows = results.get(name, [])
        if not rows:
            continue
        ok = [t for code, t in rows if 0 < code < 400]
        busy = sum(code == 503 for code, _ in rows)
        other = sum(code >= 500 and code != 503 for code, _ in rows)
        lost = sum(code == 0 for code, _ in rows)  # the connection failed: no answer at all
        shown = ok or [t for _, t in rows]
        p = [percentile(shown, q) for q in (50, 95, 99)]
        active = ends[name] - began[0]  # requests/s while this endpoint was being asked for
        print(
            f"{name:<16}{len(rows):>9}{len(rows) / active:>8.1f}{len(ok):>6}{busy:>6}{other:>5}{lost:>5}"
            f"{p[0]:>8.3f}{p[1]:>8.3f}{p[2]:>8.3f}"
        )
    print(f"(latencies of answered requests; {waits} timeline requests were told 503 + Retry-After and waited)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=BPOIL)
    parser.add_argument("--no-cache", action="store_true", help="annotate in a fresh, empty cache (cold start)")
    parser.add_argument(
        "--cache-dir", type=Path, help="annotation cache (default: $DATELINE_CACHE or ~/.cache/dateline)"
    )
    parser.add_argument("-j", "--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--query", default="oil spill", help="the query of the re-query measurement")
    parser.add_argument("--screenshot", type=Path, help="save a full-page screenshot of the first view here")
    parser.add_argument("--load", action="store_true", help="measure requests under load instead of page renders")
    parser.add_argument("--concurrency", type=int, default=16, help="clients at once (--load)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the load lasts (--load)")
    parser.add_argument("--dateline", help="the dateline executable to serve with (--load; default: this one's)")
    parser.add_argument(
        "--timeline-clients", type=int, help="how many of the clients ask for timelines (--load; default half)"
    )
    parser.add_argument("--max-requests", type=int, default=5000, help="at most this many requests (--load)")
    args = parser.parse_args()
    if not args.path.exists():
        raise SystemExit(f"{args.path} is absent (the T17 data sits in ../shared/data/t17)")
    if args.load:
        load_bench(args)
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as empty:
        cache = AnnotationCache(empty if args.no_cache else args.cache_dir)
        t0 = time.perf_counter()
        corpus = load_corpus(args.path, cache=cache, processes=args.processes)
        t_loaded = time.perf_counter()
        port = free_port()
        app = create_app(corpus, title=args.path.parent.name, prebuild=True)
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        if app.state.warming is not None:
            app.state.warming.join()  # the first view is built on a thread; the page comes after it
        t_ready = time.perf_counter()
        base = f"http://127.0.0.1:{port}/"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1300, "height": 950})
                first = rendered_ms(page, base)
                entries = page.locator("#entries > li.entry").count()
                if args.screenshot:
                    page.screenshot(path=str(args.screenshot), full_page=True)
                again = rendered_ms(page, base)
                queried = rendered_ms(page, base + "?" + f"query={args.query.replace(' ', '+')}")
                browser.close()
        finally:
            server.should_exit = True
            thread.join(10)

    print(
        f"corpus: {args.path} ({len(corpus)} articles, {'cold: empty cache' if args.no_cache else 'annotation cache as found'}, {args.processes} processes)"
    )
    print(
        f"server ready:                     {t_ready - t0:8.2f} s  (read + annotate {t_loaded - t0:.2f} s, app with the default timeline prebuilt + listen {t_ready - t_loaded:.2f} s)"
    )
    print(
        f"page load -> timeline rendered:   {first / 1000:8.2f} s  (first view, {entries} dates, served from the prebuilt timeline)"
    )
    print(f"reload -> timeline rendered:      {again / 1000:8.2f} s  (timeline cached by the server)")
    print(f"query {args.query!r} -> rendered: {queried / 1000:8.2f} s  (new timeline built)")


if __name__ == "__main__":
    main()
