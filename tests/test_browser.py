"""The real page in Debian's Chromium: build, re-query, open a source sentence; untrusted text never runs;
the axis zooms about the cursor, fits the story, works by keyboard; coarse dates, evidence, search hits.

Needs Playwright's Python client and /usr/bin/chromium (``make sysdeps`` installs it).
Screenshots go to $DATELINE_ARTIFACTS, or tests/artifacts/.
"""

import json
import os
import re
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
    # the page must work under the app's Content-Security-Policy: Chromium reports what it refuses
    page.on(
        "console",
        lambda m: page.problems.append(f"CSP: {m.text}") if "Content Security Policy" in m.text else None,
    )
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


# ---- the axis, the list and the panel, over the bundled example ----


@pytest.fixture(scope="module")
def af447(tmp_path_factory):
    from dateline.annotate import AnnotationCache

    corpus = load_corpus(REPO / "examples" / "af447", cache=AnnotationCache(tmp_path_factory.mktemp("cache")))
    with serving(corpus) as base:
        yield base


TIMELINE_API = re.compile(r"/api/timeline(\?|$)")


def doctor_timeline(page, change):
    """Serve the real /api/timeline answer after ``change(body)`` edits it (output the build cannot make yet)."""

    def handle(route):
        response = route.fetch()
        body = response.json()
        change(body)
        route.fulfill(response=response, json=body)

    page.route(TIMELINE_API, handle)


def marker_x(page, date):
    """The marker's centre on screen, in CSS pixels."""
    box = page.locator(f'#axis .marker[data-date="{date}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def settle(page):
    # the axis redraws on the next animation frame
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def test_wheel_zoom_keeps_the_date_under_the_cursor(page, af447):
    page.goto(af447 + "/")
    wait_ready(page)
    assert page.title() == "Dateline"  # the default title, said once
    for date, deltas in (("2010-05-04", [-300, -300, 200]), ("2009-06-01", [-250, -250, -250, 400])):
        page.click("#zoom-all")
        settle(page)
        x, y = marker_x(page, date)
        page.mouse.move(x, y)
        for delta in deltas:
            before = page.locator("#axis svg").get_attribute("viewBox"), page.url
            page.mouse.wheel(0, delta)
            settle(page)
            now, _ = marker_x(page, date)
            assert abs(now - x) < 1.5, (date, delta, x, now, before)
    # zoomed in to days, the ticks still say which year they show
    x, y = marker_x(page, "2009-06-01")
    page.mouse.move(x + 40, y)
    for _ in range(12):
        page.mouse.wheel(0, -300)
        settle(page)
    labels = page.locator("#axis .tick text").all_text_contents()
    assert labels and re.search(r"\b(19|20)\d\d\b", labels[0]), labels
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d{4})?", labels[-1]), labels
    page.screenshot(path=str(artifacts() / "browser-zoomed-days.png"))
    assert page.problems == []


def test_the_view_fits_the_story_and_marks_an_outlier(page, af447):
    def add_outlier(body):
        entries = body["timeline"]["entries"]
        stray = {**entries[-1], "date": "2013-02-11", "corroboration": 1}
        entries.append(stray)

    doctor_timeline(page, add_outlier)
    page.goto(af447 + "/")
    wait_ready(page)
    dates = page.locator("#entries > li.entry").evaluate_all("items => items.map(i => i.dataset.date)")
    assert dates[-1] == "2013-02-11" and len(dates) >= 6
    # the story fills the axis; the stray date is off it, counted at the right edge
    assert page.locator('#axis .marker[data-date="2013-02-11"]').count() == 0
    assert page.locator("#axis .edge.right").get_attribute("data-count") == "1"
    assert page.locator("#axis .edge.left").count() == 0
    width = page.locator("#axis svg").bounding_box()["width"]
    xs = [marker_x(page, d)[0] for d in dates[:-1]]
    assert max(xs) - min(xs) > 0.7 * width, (xs, width)
    page.screenshot(path=str(artifacts() / "browser-fit-story.png"))
    # the edge marker reaches it, by keyboard too
    page.focus("#axis .edge.right")
    page.keyboard.press("Enter")
    settle(page)
    assert page.locator('#axis .marker[data-date="2013-02-11"]').count() == 1
    assert page.evaluate("document.activeElement.id") == "entry-2013-02-11"
    assert page.locator("#axis .edge.left").get_attribute("data-count") == str(len(dates) - 1)
    # Fit comes back to the story; All shows every date
    page.click("#zoom-reset")
    assert page.locator('#axis .marker[data-date="2013-02-11"]').count() == 0
    page.click("#zoom-all")
    assert page.locator("#axis .marker").count() == len(dates) and page.locator("#axis .edge").count() == 0
    assert page.problems == []


def test_markers_work_by_keyboard(page, af447):
    page.goto(af447 + "/")
    wait_ready(page)
    page.focus("#zoom-all")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.getAttribute('class'), document.activeElement.dataset.date]")
    assert focused[0].startswith("marker"), focused
    width = page.evaluate("getComputedStyle(document.activeElement).strokeWidth")
    unfocused = page.locator("#axis .marker").nth(1).evaluate("m => getComputedStyle(m).strokeWidth")
    assert width != unfocused, (width, unfocused)  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"entry-{focused[1]}"
    assert page.locator(".entry.selected").get_attribute("data-date") == focused[1]
    # → steps to the next marker; Space opens its entry
    page.focus("#axis .marker >> nth=0")
    page.keyboard.press("ArrowRight")
    second = page.locator("#axis .marker").nth(1).get_attribute("data-date")
    assert page.evaluate("document.activeElement.dataset.date") == second
    page.keyboard.press(" ")
    assert page.evaluate("document.activeElement.id") == f"entry-{second}"
    # and the entry's sentences are the next stops
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.entry').dataset.date") == second
    assert page.problems == []


def test_month_and_year_entries_and_why_this_date(page, af447):
    evidence = {"articles": 3, "published_on": 2, "latest_mention": "2010-05-06", "lag_days": 339, "score_ratio": 1.75}

    def add_coarse(body):
        entries = body["timeline"]["entries"]
        first = entries[0]
        entries[0] = {**first, "evidence": evidence}
        entries[1] = {**entries[1], "evidence": None}
        sentence = {**first["sentences"][0], "display": "Decoded (display) text & more"}
        month = {**first, "date": "2009-05", "precision": "month", "corroboration": 2, "sentences": [sentence]}
        month["evidence"] = {**evidence, "score_ratio": None}
        year = {**first, "date": "2009", "precision": "year", "corroboration": 1}
        year.pop("evidence", None)
        entries[:0] = [year, month]

    doctor_timeline(page, add_coarse)
    page.goto(af447 + "/")
    wait_ready(page)
    month = page.locator("#entry-2009-05")
    assert month.locator("time").inner_text() == "May 2009"
    assert page.locator("#entry-2009 time").inner_text() == "2009"
    assert "known to the month" in month.inner_text()
    # the month is a span on the axis: as wide as its 31 days, far wider than a day's dot
    page.click("#zoom-all")
    rect = page.locator('#axis rect.marker.coarse[data-date="2009-05"]')
    assert rect.count() == 1
    day = page.locator('#axis circle.marker[data-date="2009-06-01"]').bounding_box()
    assert rect.bounding_box()["width"] > 3 * day["width"]
    year = page.locator('#axis rect.marker.coarse[data-date="2009"]').bounding_box()
    assert year["width"] > 5 * rect.bounding_box()["width"]
    # "Why this date" on request; an entry without evidence has no disclosure
    assert month.locator(".sentence .text").inner_text() == "Decoded (display) text & more"
    assert re.search(r"sentence \d+$", month.locator(".sentence .cite").inner_text())
    details = page.locator("#entry-2009-06-01 details.evidence")
    assert not details.locator("li").first.is_visible()
    details.locator("summary").click()
    text = details.inner_text()
    assert "3 articles mention this date" in text and "339 days later" in text and "1.75×" in text
    assert "No other candidate date" in month.locator("details.evidence").text_content()
    assert page.locator("#entries > li.entry").nth(3).locator("details").count() == 0  # evidence: null
    assert page.locator("#entry-2009 details").count() == 0  # no evidence key
    page.screenshot(path=str(artifacts() / "browser-coarse-evidence.png"), full_page=True)
    assert page.problems == []


def test_the_date_expression_that_placed_a_line_is_marked(page, af447):
    page.goto(af447 + "/")
    wait_ready(page)
    page.locator("#entry-2010-05-04 button.sentence").first.click()
    page.wait_for_selector("#highlight")
    assert page.locator("#highlight mark.date-expr").all_inner_texts() == ["May 4"]
    assert "date=2010-05-04" in page.url
    page.reload()
    page.wait_for_selector("#highlight mark.date-expr")
    # the open panel narrows the page: the axis is redrawn to its new width, not shrunk
    page.wait_for_function(
        "() => document.querySelector('#axis svg').viewBox.baseVal.width === Math.max(480, document.querySelector('#axis').clientWidth)"
    )
    page.screenshot(path=str(artifacts() / "browser-date-expression.png"))
    assert page.problems == []


def test_search_hits_are_highlighted_in_server_order(page, af447):
    page.goto(af447 + "/?search=wreckage")
    page.wait_for_selector("#panel .sentence")
    marks = page.locator("#panel .sentence .text mark").all_inner_texts()
    hits = page.locator("#panel .sentence").count()
    assert len(marks) >= hits > 0 and all(m.lower().startswith("wreckage") for m in marks), marks
    page.screenshot(path=str(artifacts() / "browser-search.png"))

    # a server that ranks and highlights: its order and offsets are what the page shows
    def ranked(route):
        response = route.fetch()
        body = response.json()
        body["sentences"].reverse()
        for hit in body["sentences"]:
            hit["highlights"] = [[0, 4], [6, 9]]
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/api/search\?"), ranked)
    expected = list(reversed(page.locator("#panel .sentence .text").all_inner_texts()))
    page.fill("#search-q", "wreckage")
    page.press("#search-q", "Enter")
    page.wait_for_function("t => document.querySelector('#panel .sentence .text').textContent === t", arg=expected[0])
    assert page.locator("#panel .sentence .text").all_inner_texts() == expected
    first = page.locator("#panel .sentence .text").first
    assert first.locator("mark").all_inner_texts() == [expected[0][0:4], expected[0][6:9]]
    assert page.problems == []


def test_a_failed_build_clears_the_old_timeline(page, af447):
    page.goto(af447 + "/")
    wait_ready(page)
    assert page.locator("#entries .entry").count() > 0
    page.fill("#f-from", "2010-05-01")
    page.fill("#f-to", "2009-01-01")
    page.click("#build")
    page.wait_for_selector("body[data-timeline=error]")
    assert "is after" in page.locator("#status.error").inner_text()
    assert page.locator("#entries .entry").count() == 0 and page.locator("#axis .marker").count() == 0
    assert page.problems == []


def test_a_server_still_loading_shows_progress_then_the_page(page, af447):
    calls = {"corpus": 0}

    def loading(route):
        calls["corpus"] += 1
        if calls["corpus"] <= 2:
            route.fulfill(status=503, json={"ok": False, "error": "the corpus is loading", "status": 503})
        else:
            route.continue_()

    page.route(re.compile(r"/api/corpus$"), loading)
    status = {"ok": True, "state": "loading", "phase": "annotating", "done": 3, "total": 8, "articles": None}
    page.route(re.compile(r"/api/status$"), lambda route: route.fulfill(json=status))
    page.goto(af447 + "/")
    page.wait_for_function("() => document.querySelector('#summary').textContent.includes('3 of 8')")
    assert page.locator("#summary").inner_text() == "Loading the corpus… annotating: 3 of 8 articles"
    wait_ready(page)
    assert page.locator("#summary").inner_text().startswith("8 articles") and calls["corpus"] == 3
    assert page.problems == []


def test_a_new_build_rereads_the_overview(page, af447):
    grown = {"on": False}

    def corpus(route):
        response = route.fetch()
        body = response.json()
        if grown["on"]:  # as a served store answers once more articles were ingested
            body["articles"] += 1
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/api/corpus$"), corpus)
    page.goto(af447 + "/")
    wait_ready(page)
    assert page.locator("#summary").inner_text().startswith("8 articles")
    grown["on"] = True
    page.select_option("#f-method", page.locator("#f-method option").last.get_attribute("value"))
    chosen = page.input_value("#f-method")
    page.click("#build")
    page.wait_for_function("() => document.querySelector('#summary').textContent.startsWith('9 articles')")
    assert page.input_value("#f-method") == chosen
    assert page.problems == []


def test_serve_on_a_store_shows_an_article_ingested_after_start(page, tmp_path):
    import subprocess
    import sys

    dateline = Path(sys.executable).parent / "dateline"
    store = tmp_path / "story.db"
    subprocess.run([dateline, "ingest", store, REPO / "examples" / "af447"], check=True, capture_output=True)
    later = tmp_path / "later"
    later.mkdir()
    (later / "zeppelin.txt").write_text(
        " date 2009-06-04 Zeppelin joins the search\n\nA zeppelin searched the Atlantic for the wreckage on June 3, 2009.\n",
        encoding="utf-8",
    )
    with serving(load_corpus(store)) as base:
        page.goto(base + "/")
        wait_ready(page)
        assert page.locator("#summary").inner_text().startswith("8 articles")
        subprocess.run([dateline, "ingest", store, later], check=True, capture_output=True)
        # no reload, no restart: the page sees the new article and offers to rebuild
        page.wait_for_function(
            "() => document.querySelector('#summary').textContent.startsWith('9 articles')", timeout=15000
        )
        assert "1 new article" in page.locator("#news").inner_text()
        page.click("#rebuild")
        wait_ready(page)
        assert "from 9 articles" in page.locator("#status").inner_text()
        page.fill("#search-q", "zeppelin")
        page.press("#search-q", "Enter")
        page.wait_for_selector("#panel .sentence:has-text('zeppelin')")
    assert page.problems == []
