"""The real page in Debian's Chromium: build, re-query, open a source sentence; untrusted text never runs.

Needs Playwright's Python client and /usr/bin/chromium (``make sysdeps`` installs it).
Screenshots go to $DATELINE_ARTIFACTS, or tests/artifacts/.
"""

import json
import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO
from dateline.web import create_app, load_corpus

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# In CI (which installs Chromium and Playwright through `make test`) a missing
# browser is a broken setup, not a reason to skip: the test must run there.
if os.environ.get("CI") and not CHROMIUM.exists():
    raise RuntimeError(f"{CHROMIUM} is absent in CI: `make sysdeps` should have installed Debian's chromium")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright's Python client is not installed (pip install playwright)"
)
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (make sysdeps installs Debian's chromium)"
)


def artifacts() -> Path:
    path = Path(os.environ.get("DATELINE_ARTIFACTS") or REPO / "tests" / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(corpus, title="Dateline"):
    """The app on a free localhost port, in a thread, for the length of the block."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(corpus, title=title), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 950})
    page = context.new_page()
    page.problems = []  # uncaught errors and dialogs: either fails the test
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield page
    context.close()


def wait_ready(page):
    page.wait_for_selector("body[data-timeline=ready]", timeout=30000)


def test_build_requery_and_open_a_source_sentence(page, tmp_path):
    from dateline.annotate import AnnotationCache

    corpus = load_corpus(REPO / "examples" / "af447", cache=AnnotationCache(tmp_path))
    with serving(corpus, title="AF447") as base:
        page.goto(base + "/")
        wait_ready(page)
        assert page.locator("#summary").inner_text().startswith("8 articles")
        assert (
            page.locator("#histogram rect.bar-pub").count() > 0 and page.locator("#histogram rect.bar-ment").count() > 0
        )
        assert page.locator("#axis .marker").count() == page.locator("#entries > li.entry").count() > 0
        page.screenshot(path=str(artifacts() / "browser-af447-timeline.png"), full_page=True)

        # zooming redraws the axis and goes into the URL; a reload restores it; reset clears it
        fitted_markers = page.locator("#axis .marker").count()
        page.click("#zoom-in")
        page.click("#zoom-in")
        page.wait_for_url("**view=**")
        view = page.url.split("view=")[1].split("&")[0]
        zoomed_markers = page.locator("#axis .marker").count()
        assert zoomed_markers < fitted_markers
        page.reload()
        wait_ready(page)
        assert page.locator("#axis .marker").count() == zoomed_markers
        page.wait_for_timeout(400)
        assert page.url.split("view=")[1].split("&")[0] == view
        page.click("#zoom-reset")
        page.wait_for_url(lambda url: "view=" not in url)
        assert page.locator("#axis .marker").count() == fitted_markers

        # a new query: the URL carries it, the timeline is rebuilt from the matching articles
        page.fill("#f-query", "bomb")
        page.fill("#f-sentences", "1")
        page.click("#build")
        page.wait_for_url("**query=bomb**")
        wait_ready(page)
        assert "of 8 articles match the query" in page.locator("#status").inner_text()
        assert all(
            page.locator(".entry").nth(i).locator(".sentence").count() == 1
            for i in range(page.locator(".entry").count())
        )
        exports = page.locator("#exports a[data-format=timelinejs-csv]").get_attribute("href")
        assert "query=bomb" in exports and "format=timelinejs-csv" in exports

        # markers stay clickable
        page.locator("#axis .marker").first.click()
        assert page.locator(".entry.selected").count() == 1

        # a sentence opens its article with that sentence highlighted
        sentence = page.locator("button.sentence").first
        expected = sentence.locator(".text").inner_text()
        sentence.click()
        page.wait_for_selector("#highlight")
        assert " ".join(page.locator("#highlight").inner_text().split()) == " ".join(expected.split())
        assert page.locator("#panel-title").is_visible()
        assert "article=" in page.url and "sentence=" in page.url
        page.screenshot(path=str(artifacts() / "browser-af447-article.png"))

        # the URL is the view: reloading restores the query and the open sentence
        page.reload()
        wait_ready(page)
        page.wait_for_selector("#highlight")
        assert page.input_value("#f-query") == "bomb"
        assert " ".join(page.locator("#highlight").inner_text().split()) == " ".join(expected.split())

        # the overview's top dates open every sentence that mentions the date
        page.locator("#top-dates-list button").first.click()
        page.wait_for_selector("#panel-title:has-text('Sentences mentioning')")
        assert page.locator("#panel .sentence").count() > 0
    assert page.problems == []


EVIL_ARTICLES = [
    {
        "id": "evil/1",
        "time": "2011-03-03",
        "title": "<img src=x onerror=\"window.__pwned=1;document.title='pwned'\">Rebels<script>window.__pwned=2</script>",
        "url": "javascript:window.__pwned=3",
        "source": "<script>window.__pwned=4</script>",
        "text": (
            "Rebels <script>window.__pwned=5;alert(5)</script> seized the port of Brega on March 2, 2011. "
            'Witnesses saw <img src=x onerror="window.__pwned=6;alert(6)"> fighters near the port on March 2, 2011. '
            'Details at <a href="javascript:window.__pwned=7">javascript:window.__pwned=7</a> were posted on March 2, 2011.'
        ),
    },
    {
        "id": "plain/1",
        "time": "2011-03-03",
        "title": "Brega fighting",
        "url": "https://example.test/brega",
        "source": "wire",
        "text": "Rebel fighters took control of Brega on March 2, 2011, witnesses said. The town has an oil terminal.",
    },
]


def test_untrusted_article_text_never_executes(page, tmp_path):
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in EVIL_ARTICLES) + "\n", encoding="utf-8")
    corpus = load_corpus(folder, cache=None)
    with serving(corpus) as base:
        page.goto(base + "/?query=brega")
        wait_ready(page)
        title = page.title()
        # the payloads are on the page, as text
        page.get_by_text("<script>window.__pwned=5;alert(5)</script>", exact=False).first.wait_for()
        evil = page.locator("button.sentence", has_text="window.__pwned=5").first
        assert "<script>window.__pwned=4</script>" in evil.locator(".cite").inner_text()
        evil.click()
        page.wait_for_selector("#highlight")
        assert "<img src=x onerror=" in page.locator("#article-text").inner_text()
        assert page.locator("#panel-title").inner_text().startswith("<img src=x onerror=")
        page.fill("#search-q", "witnesses")
        page.press("#search-q", "Enter")
        page.wait_for_selector("#panel-title:has-text('Sentences containing')")
        page.goto(base + "/?day=2011-03-02")
        page.wait_for_selector("#panel .sentence")
        for export in ("/api/timeline.html", "/api/timeline?format=markdown"):
            page.goto(base + export)
            assert page.evaluate("document.querySelectorAll('script, img').length") == 0
        page.goto(base + "/?query=brega")
        wait_ready(page)
        page.locator("button.sentence", has_text="window.__pwned=5").first.click()
        page.wait_for_selector("#highlight")
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))")
        assert not any(h.strip().lower().startswith("javascript:") for h in hrefs), hrefs
        assert (
            page.evaluate(
                "document.querySelectorAll('#panel script, #panel img, #entries script, #entries img').length"
            )
            == 0
        )
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.title() == title != "pwned"
        page.screenshot(path=str(artifacts() / "browser-untrusted-text.png"))
    assert page.problems == []
