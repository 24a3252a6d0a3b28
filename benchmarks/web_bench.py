"""Time to first render of ``dateline serve`` on a large corpus (default: T17 bpoil, 1,461 articles).

Prints two separate figures: server ready (read + annotate + app + uvicorn
listening) and, in Debian's Chromium, page load to timeline rendered (the
``dateline:timeline-rendered`` performance mark, counted from navigation
start). As ``dateline serve`` does, the app prebuilds the default timeline,
so that build is part of "app + listen", not of the page load.

    python benchmarks/web_bench.py                      # annotations from the default cache
    python benchmarks/web_bench.py --no-cache -j 8      # cold: annotate everything at startup
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
from playwright.sync_api import sync_playwright

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
    args = parser.parse_args()
    if not args.path.exists():
        raise SystemExit(f"{args.path} is absent (the T17 data sits in ../shared/data/t17)")

    with tempfile.TemporaryDirectory() as empty:
        cache = AnnotationCache(empty if args.no_cache else args.cache_dir)
        t0 = time.perf_counter()
        corpus = load_corpus(args.path, cache=cache, processes=args.processes)
        t_loaded = time.perf_counter()
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(corpus, title=args.path.parent.name, prebuild=True),
                host="127.0.0.1",
                port=port,
                log_level="warning",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
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
