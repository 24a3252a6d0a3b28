"""The HTTP API, in process: every endpoint, its documented keys, and every error as the one error body."""

import asyncio
import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from conftest import REPO
from dateline.corpus import MemoryCorpus
from dateline.export import EXPORTERS
from dateline.model import AnnotatedArticle, Article, DateMention, Precision, Sentence, Timeline
from dateline.web import create_app, load_corpus
from dateline.web.app import STATIC_DIR


class Client:
    """A synchronous client talking to the ASGI app in process (no socket, no server)."""

    def __init__(self, app, base_url: str = "http://127.0.0.1:8000"):
        self.app = app
        self.base_url = base_url

    def client(self) -> httpx.AsyncClient:
        # raise_app_exceptions=False: a crash must come back as the app's 500 body.
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
        return httpx.AsyncClient(transport=transport, base_url=self.base_url)

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        async def go():
            async with self.client() as client:
                return await client.request(method, url, **kw)

        return asyncio.run(go())

    def get(self, url: str, **kw) -> httpx.Response:
        return self.request("GET", url, **kw)


def evil_article() -> AnnotatedArticle:
    text = "Rebels <script>x()</script> took the bridge on March 2. Nobody was hurt."
    article = Article.create(text, date(2020, 3, 3), name="evil", title="<b>t</b>", url="javascript:alert(1)")
    s0, s1 = Sentence(0, 0, 55, text[:55]), Sentence(1, 56, len(text), text[56:])
    mention = DateMention(44, 51, "March 2", "DATE", "2020-03-02", 0, date(2020, 3, 2), Precision.DAY)
    return AnnotatedArticle(article, (s0, s1), (mention,))


@pytest.fixture
def corpus(small_corpus):
    return MemoryCorpus([*small_corpus, evil_article()])


@pytest.fixture
def client(corpus):
    return Client(create_app(corpus, title="Bridge"))


def assert_error(response: httpx.Response, status: int, words: str = ""):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert words.lower() in body["error"].lower()
    assert "Traceback" not in response.text


# ---- /api/corpus ----


@pytest.mark.parametrize("path", ["/api/corpus", "/api/corpus.json"])
def test_corpus(client, path):
    body = client.get(path).json()
    assert body["ok"] is True and body["title"] == "Bridge"
    assert body["articles"] == 4 and body["sources"] == 2
    assert (body["first_published"], body["last_published"]) == ("2020-03-03", "2020-03-10")
    assert body["published_by_day"][0] == ["2020-03-03", 2]
    assert ["2020-03-02", 3] in body["mentions_by_day"]
    assert body["top_dates"][0] == ["2020-03-02", 3]
    assert "datewise" in body["methods"] and body["formats"] == list(EXPORTERS)


# ---- /api/timeline ----


def test_timeline_default(client):
    body = client.get("/api/timeline").json()
    assert body["ok"] is True
    assert body["params"] == {
        "query": None,
        "from": None,
        "to": None,
        "dates": None,
        "sentences": None,
        "method": "datewise",
        "precision": "day",
    }
    timeline = body["timeline"]
    assert timeline["schema"] == "dateline.timeline/1"
    assert timeline["entries"][0]["date"] == "2020-03-02"
    sentence = timeline["entries"][0]["sentences"][0]
    assert {"text", "article_id", "sentence_index", "start", "end", "published", "title", "url", "link"} <= set(
        sentence
    )


@pytest.mark.parametrize(
    "query, check",
    [
        ("dates=1&sentences=1", lambda t: len(t["entries"]) == 1 and len(t["entries"][0]["sentences"]) == 1),
        (
            "query=protesters",
            lambda t: t["meta"]["articles_matching_query"] == 1 and t["meta"]["query"] == ["protesters"],
        ),
        ("query=%22harbour+bridge%22+ferry", lambda t: t["meta"]["query"] == ["harbour bridge", "ferry"]),
        (
            "from=2020-03-05&to=2020-03-09",
            lambda t: {e["date"] for e in t["entries"]} <= {"2020-03-05", "2020-03-06", "2020-03-09"},
        ),
        ("method=pubcount&dates=2", lambda t: t["meta"]["method"] == "pubcount" and len(t["entries"]) <= 2),
        ("dates=&sentences=&from=&method=", lambda t: t["meta"]["method"] == "datewise"),
        ("precision=any", lambda t: t["meta"]["precision"] == "any"),
        ("precision=", lambda t: t["meta"]["precision"] == "day"),
        ("dates=1", lambda t: set(t["entries"][0]["evidence"]) >= {"articles", "lag_days", "score_ratio"}),
    ],
)
def test_timeline_parameters(client, query, check):
    for path in ("/api/timeline", "/api/timeline.json"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, response.text
        assert check(response.json()["timeline"])


@pytest.mark.parametrize(
    "query, words",
    [
        ("dates=0", "dates=0 is out of range; use 1 to 500"),
        ("dates=501", "dates=501 is out of range; use 1 to 500"),
        ("dates=abc", "not a whole number"),
        ("sentences=21", "sentences=21 is out of range; use 1 to 20"),
        ("sentences=0", "sentences=0 is out of range; use 1 to 20"),
        ("sentences=1.5", "not a whole number"),
        ("from=2020-13-01", "from='2020-13-01' is not a date"),
        ("to=yesterday", "not a date"),
        ("from=2020-03-09&to=2020-03-01", "is after"),
        ("method=magic", "method='magic' is unknown"),
        ("precision=month", "precision='month' is unknown; choose from day, any"),
        ("format=pdf", "format='pdf' is unknown"),
    ],
)
def test_timeline_bad_parameters_are_400(client, query, words):
    assert_error(client.get(f"/api/timeline?{query}"), 400, words)


def test_unbalanced_quote_in_query_is_taken_literally(client):
    response = client.get("/api/timeline?query=%22rebels")
    assert response.status_code == 200
    assert response.json()["timeline"]["meta"]["query"] == ['"rebels']


def test_javascript_url_never_becomes_a_link(client):
    entries = client.get("/api/timeline?query=rebels").json()["timeline"]["entries"]
    refs = [s for e in entries for s in e["sentences"] if s["article_name"] == "evil"]
    assert refs and all(s["url"] == "javascript:alert(1)" and s["link"] is None for s in refs)


# ---- exports ----


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_export_format_by_parameter_and_by_extension(client, fmt):
    by_param = client.get(f"/api/timeline?dates=2&format={fmt}")
    # /api/timeline.json is the API's own JSON (Datasette's convention); the export is format=json
    by_ext = client.get(f"/api/timeline.{fmt}?dates=2" if fmt != "json" else "/api/timeline?dates=2&format=json")
    assert by_param.status_code == by_ext.status_code == 200
    assert by_param.text == by_ext.text and by_param.text.strip()
    assert (
        by_param.headers["content-type"].split(";")[0]
        == {
            "json": "application/json",
            "markdown": "text/markdown",
            "tilse": "text/plain",
            "newstls": "application/x-ndjson",
            "timelinejs": "application/json",
            "timelinejs-csv": "text/csv",
            "html": "text/html",
        }[fmt]
    )


def test_json_export_is_the_timeline_document(client):
    doc = client.get("/api/timeline?format=json&dates=2").json()
    assert doc["schema"] == "dateline.timeline/1"
    assert len(Timeline.from_dict(doc)) == 2


@pytest.mark.parametrize("alias, fmt", [("md", "markdown"), ("csv", "timelinejs-csv"), ("txt", "tilse")])
def test_export_extension_aliases(client, alias, fmt):
    assert client.get(f"/api/timeline.{alias}").text == client.get(f"/api/timeline?format={fmt}").text


def test_printable_page_forbids_scripts(client):
    response = client.get("/api/timeline.html?query=rebels")
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text and "&lt;script&gt;" in response.text


def test_unknown_export_extension_is_404(client):
    assert_error(client.get("/api/timeline.pdf"), 404, "no export format 'pdf'")


# ---- /api/articles/{id} ----


def test_article(client, corpus):
    annotated = list(corpus)[1]
    for suffix in ("", ".json"):
        body = client.get(f"/api/articles/{annotated.article.id}{suffix}").json()
        assert body["ok"] is True
        assert body["article"]["id"] == annotated.article.id and body["article"]["text"] == annotated.article.text
        assert [s["index"] for s in body["sentences"]] == [0, 1, 2]
        s = body["sentences"][1]
        assert annotated.article.text[s["start"] : s["end"]] == s["text"]
        assert [m["date"] for m in body["mentions"]] == ["2020-03-05", "2020-03-02"]


def test_article_link_is_only_http(client, corpus):
    evil = [a for a in corpus if a.article.name == "evil"][0]
    body = client.get(f"/api/articles/{evil.article.id}").json()
    assert body["article"]["url"] == "javascript:alert(1)" and body["article"]["link"] is None


@pytest.mark.parametrize(
    "article_id, words",
    [
        ("nope", "no article with id 'nope'"),
        ("0000000000000000", "no article"),
        ("..%2F..%2Fetc%2Fpasswd", "not found"),
    ],
)
def test_unknown_article_is_404(client, article_id, words):
    assert_error(client.get(f"/api/articles/{article_id}"), 404, words)


# ---- /api/dates/{date} ----


def test_sentences_on_a_date(client, corpus):
    body = client.get("/api/dates/2020-03-02").json()
    assert body["ok"] is True and body["date"] == "2020-03-02"
    assert body["count"] == 3 and body["articles"] == 3 and body["truncated"] is False
    names = [s["article_name"] for s in body["sentences"]]
    assert names == ["a1", "a2", "evil"]
    first = body["sentences"][0]
    article = corpus.get(first["article_id"]).article
    assert article.text[first["start"] : first["end"]] == first["text"]


@pytest.mark.parametrize(
    "path, count, shown, truncated",
    [
        ("/api/dates/2020-03-02.json", 3, 3, False),
        ("/api/dates/2020-03-02?limit=2", 3, 2, True),
        ("/api/dates/1999-01-01", 0, 0, False),
    ],
)
def test_dates_table(client, path, count, shown, truncated):
    body = client.get(path).json()
    assert (body["count"], len(body["sentences"]), body["truncated"]) == (count, shown, truncated)


@pytest.mark.parametrize(
    "path, words",
    [
        ("/api/dates/2020-02-30", "not a date"),
        ("/api/dates/March", "not a date"),
        ("/api/dates/2020-03-02?limit=0", "limit=0"),
    ],
)
def test_bad_dates_are_400(client, path, words):
    assert_error(client.get(path), 400, words)


# ---- /api/search ----


@pytest.mark.parametrize(
    "path, count",
    [
        ("/api/search?q=ferry", 1),
        ("/api/search.json?q=bridge&limit=2", 2),
        ("/api/search?q=zebra", 0),
        ("/api/search?q=BRIDGE", 7),
    ],
)
def test_search(client, path, count):
    body = client.get(path).json()
    assert body["ok"] is True and body["count"] == count and len(body["sentences"]) == count
    assert all("link" in s for s in body["sentences"])


@pytest.mark.parametrize(
    "path, words",
    [
        ("/api/search", "q is required"),
        ("/api/search?q=+", "q is required"),
        ("/api/search?q=x&limit=nope", "not a whole number"),
    ],
)
def test_bad_search_is_400(client, path, words):
    assert_error(client.get(path), 400, words)


# ---- errors, schema, static files, safety ----


@pytest.mark.parametrize(
    "method, path, status",
    [
        ("GET", "/nope", 404),
        ("GET", "/api/nope", 404),
        ("POST", "/api/corpus", 405),
        ("DELETE", "/api/timeline", 405),
        ("GET", "/docs", 404),
        ("GET", "/redoc", 404),
    ],
)
def test_unknown_routes_get_the_error_body(client, method, path, status):
    assert_error(client.request(method, path), status)


def test_unexpected_errors_are_500_without_traceback(small_corpus):
    class Broken(MemoryCorpus):
        def stats(self):
            raise RuntimeError("secret internals at /home/someone")

    response = Client(create_app(Broken(small_corpus))).get("/api/corpus")
    assert_error(response, 500, "internal error")
    assert "secret" not in response.text


def test_openapi_is_served_locally(client):
    doc = client.get("/openapi.json").json()
    for path in (
        "/api/corpus",
        "/api/timeline",
        "/api/timeline.{fmt}",
        "/api/articles/{article_id}",
        "/api/dates/{day}",
        "/api/search",
    ):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/api/timeline"]["get"]["parameters"]}
    assert names == {"query", "from", "to", "dates", "sentences", "method", "precision", "format"}


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%2F..%2Fapp.py",
        "/static/..%2F..%2F..%2F..%2Fpyproject.toml",
        "/static/%2e%2e/%2e%2e/cli.py",
        "/static/..%5C..%5Capp.py",
        "/static/%2Fetc%2Fpasswd",
        "/static//etc/passwd",
    ],
)
def test_static_files_never_leave_the_package_folder(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "import" not in response.text and "root:" not in response.text


@pytest.mark.parametrize("asset", ["app.js", "app.css", "index.html"])
def test_assets_are_served_by_the_app(client, asset):
    response = client.get(f"/static/{asset}")
    assert response.status_code == 200 and response.text == (STATIC_DIR / asset).read_text(encoding="utf-8")


def test_page_and_its_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200 and "/static/app.js" in response.text
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_assets_load_nothing_from_elsewhere_and_never_use_innerhtml():
    import re

    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:src|href)="([^"]*)"', index)
    assert refs and all(r.startswith(("/static/", "data:")) for r in refs), refs
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", script)
    # the one absolute URL is the SVG namespace, which is a name and is never fetched
    assert re.findall(r"https?://[^\s\"']+", script) == ["http://www.w3.org/2000/svg"]
    assert not re.findall(r"https?://", (STATIC_DIR / "app.css").read_text(encoding="utf-8"))


# ---- load_corpus and the serve command ----


def test_load_corpus_reads_the_example(tmp_path):
    from dateline.annotate import AnnotationCache

    corpus = load_corpus(REPO / "examples" / "af447", cache=AnnotationCache(tmp_path))
    assert isinstance(corpus, MemoryCorpus) and len(corpus) == 8


def test_load_corpus_serves_a_real_store(tmp_path):
    from dateline.ingest import read_articles
    from dateline.store import Store

    path = tmp_path / "af447.db"
    with Store.open(path) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
    corpus = load_corpus(path)  # annotates the pending articles into the store
    assert isinstance(corpus, Store) and len(corpus) == 8
    client = Client(create_app(corpus))
    assert client.get("/api/corpus").json()["articles"] == 8
    entries = client.get("/api/timeline?dates=3").json()["timeline"]["entries"]
    ref = entries[0]["sentences"][0]
    article = client.get(f"/api/articles/{ref['article_id']}").json()["article"]
    assert article["text"][ref["start"] : ref["end"]].split() == ref["text"].split()
    assert client.get(f"/api/dates/{entries[0]['date']}").json()["count"] >= 1


def fake_run(monkeypatch):
    """Replace the server loop of ``serve``: record the app and the bound socket's address, then return."""
    from dateline.web import command

    calls = []

    def run(app, sock):
        calls.append((app, sock.getsockname()))
        sock.close()

    monkeypatch.setattr(command, "run", run)
    return calls


def test_serve_command_binds_to_localhost_by_default(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from dateline.web.command import serve

    calls = fake_run(monkeypatch)
    args = [str(REPO / "examples" / "af447"), "--cache-dir", str(tmp_path), "-j", "1", "--port", "0"]
    result = CliRunner().invoke(serve, args)
    assert result.exit_code == 0, result.output
    app, (host, port) = calls[0]
    assert host == "127.0.0.1" and port > 0
    assert f"on http://127.0.0.1:{port}/" in result.output  # the port bound, not the one asked for
    assert app.state.live.wait(60) and app.state.live.status().articles == 8
    assert app.state.allowed_hosts == {"127.0.0.1", "localhost", "[::1]"}


def test_serve_command_on_a_store_says_which_file_options_it_ignores(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from dateline.ingest import read_articles
    from dateline.store import Store
    from dateline.web.command import serve

    db = tmp_path / "story.db"
    with Store(db) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
    fake_run(monkeypatch)
    result = CliRunner().invoke(serve, [str(db), "--on-error", "skip", "-j", "1", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert f"warning: --on-error does not apply to the store {db}" in result.output


def test_serve_command_reports_bad_input(tmp_path):
    from click.testing import CliRunner

    from dateline.web.command import serve

    bad = tmp_path / "bad.txt"
    bad.write_text("no date header here\n", encoding="utf-8")
    result = CliRunner().invoke(serve, [str(bad), "--no-cache"])
    assert result.exit_code != 0 and "missing ' date YYYY-MM-DD' header" in result.output
    assert "Traceback" not in result.output


def test_every_response_key_is_in_docs_api_md(client, corpus):
    doc = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    article_id = list(corpus)[0].article.id
    bodies = {
        "/api/corpus": client.get("/api/corpus").json(),
        "/api/timeline": client.get("/api/timeline").json(),
        "/api/articles": client.get(f"/api/articles/{article_id}").json(),
        "/api/dates": client.get("/api/dates/2020-03-02").json(),
        "/api/search": client.get("/api/search?q=bridge").json(),
        "/api/status": client.get("/api/status").json(),
        "error": client.get("/api/dates/nope").json(),
    }
    missing = [f"{where}: {key}" for where, body in bodies.items() for key in body if f"`{key}`" not in doc]
    missing += [f"params.{k}" for k in bodies["/api/timeline"]["params"] if f"`{k}`" not in doc]
    missing += [f"article.{k}" for k in bodies["/api/articles"]["article"] if f"`{k}`" not in doc]
    missing += [f"sentences[].{k}" for k in bodies["/api/dates"]["sentences"][0] if f"`{k}`" not in doc]
    missing += [f"search sentences[].{k}" for k in bodies["/api/search"]["sentences"][0] if f"`{k}`" not in doc]
    missing += [f"format {f}" for f in EXPORTERS if f"`{f}`" not in doc]
    assert not missing, f"undocumented keys in docs/api.md: {missing}"


@pytest.mark.parametrize(
    "raw_path", ["/static/../../cli.py", "/static/../web/app.py", "/../pyproject.toml", "/static/%2e%2e/%2e%2e/cli.py"]
)
def test_raw_path_traversal_over_a_real_socket(corpus, raw_path):
    """Clients normalise ``../`` away; a raw request line must not reach a file either."""
    import http.client
    import socket
    import threading
    import time

    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(corpus), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive()
            time.sleep(0.02)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.putrequest("GET", raw_path, skip_host=False)  # http.client sends the path as given
        conn.endheaders()
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        assert response.status == 404, body
        assert json.loads(body)["ok"] is False and "import" not in body
    finally:
        server.should_exit = True
        thread.join(10)


def test_prebuild_serves_the_first_view_from_cache(small_corpus):
    app = create_app(MemoryCorpus(small_corpus), prebuild=True)
    app.state.warming.join(30)
    assert app.state.builds.info().cached == 1  # built before any request
    client = Client(app)
    assert client.get("/api/timeline").status_code == 200
    assert app.state.builds.info().hits == 1
    lazy = create_app(MemoryCorpus(small_corpus))
    assert lazy.state.warming is None and lazy.state.builds.info().cached == 0


# ---- hardening: headers, bounds, hosts (issues 21, 23) ----


@pytest.mark.parametrize(
    "path", ["/", "/api/corpus", "/api/timeline?dates=1", "/api/dates/nope", "/static/app.js", "/nope", "/api/status"]
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "http" not in csp and "*" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_style():
    """Under the CSP an inline block would not run: everything must come from /static/."""
    import re

    index = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index), "inline <script>"
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", index), "inline style or event handler"


@pytest.mark.parametrize(
    "path, words",
    [
        ("/api/timeline?query=" + "x" * 501, "query is 501 characters long; at most 500"),
        ("/api/timeline?query=" + "+".join(f"w{i}" for i in range(21)), "query has 21 terms; at most 20"),
        ("/api/search?q=" + "y" * 600, "q is 600 characters long; at most 500"),
        ("/api/timeline?from=0001-01-01", "from=0001-01-01 is out of range; use a date from 1000-01-01 to 9000-12-31"),
        ("/api/timeline?to=9999-12-31", "out of range; use a date from 1000-01-01"),
        ("/api/timeline?from=20200301", "is not a date; use YYYY-MM-DD"),
        ("/api/dates/2020-W10-1", "not a date; use YYYY-MM-DD"),
        ("/api/dates/0001-01-01", "out of range"),
        ("/api/timeline?dates=" + "9" * 500, "is not a whole number; use 1 to 500"),
        ("/api/articles/" + "a" * 200, "article id is 200 characters long; at most 128"),
        ("/api/corpus?pad=" + "z" * 5000, "query string is 5004 bytes; at most 4096"),
        ("/api/search?q=a&limit=5001", "limit=5001 is out of range; use 1 to 5000"),
        ("/api/dates/2020-03-02?limit=0", "limit=0 is out of range; use 1 to 5000"),
    ],
)
def test_parameters_past_their_bounds_are_400_saying_the_bound(client, path, words):
    response = client.get(path)
    assert_error(response, 400, words)
    assert len(response.text) < 400  # the message quotes a long value cut short, on one line


def test_head_of_the_page(client):
    response = client.request("HEAD", "/")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    "host, status",
    [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
        ("localhost.", 400),
    ],
)
def test_only_the_bound_host_names_are_answered(client, host, status):
    response = client.get("/api/corpus", headers={"Host": host})
    assert response.status_code == status
    if status == 400:
        assert_error(response, 400, "is not served here; start dateline serve with --allowed-host")
        assert "articles" not in response.json()


def test_allowed_hosts_widen_the_check(corpus):
    from dateline.web.app import allowed_hosts_for

    hosts = allowed_hosts_for("0.0.0.0", ["newsroom.local", "10.0.0.5:8000"])
    assert hosts == ("127.0.0.1", "localhost", "[::1]", "newsroom.local", "10.0.0.5")
    app = create_app(corpus, allowed_hosts=hosts)
    assert Client(app, "http://newsroom.local:8000").get("/api/corpus").status_code == 200
    assert Client(app, "http://0.0.0.0:8000").get("/api/corpus").status_code == 400
    assert Client(create_app(corpus, allowed_hosts=["*"]), "http://any.example").get("/").status_code == 200
    assert allowed_hosts_for("::1") == ("127.0.0.1", "localhost", "[::1]")


def test_serve_command_passes_the_allowed_hosts(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from dateline.web.command import serve

    calls = fake_run(monkeypatch)
    args = [str(REPO / "examples" / "af447"), "--cache-dir", str(tmp_path), "--port", "0"]
    result = CliRunner().invoke(serve, [*args, "--allowed-host", "a.example", "--allowed-host", "b.example"])
    assert result.exit_code == 0, result.output
    assert calls[0][0].state.allowed_hosts == {"127.0.0.1", "localhost", "[::1]", "a.example", "b.example"}


@pytest.mark.parametrize(
    "origin, root, shown",
    [
        ("/srv/news/libya/articles.jsonl:12", "/srv/news", "libya/articles.jsonl:12"),
        ("/srv/news/a.txt", "/srv/news", "a.txt"),
        ("/home/someone/secret/a.txt", "/srv/news", "a.txt"),
        ("/home/someone/secret/b.jsonl:3", None, "b.jsonl:3"),
        ("../../etc/x.jsonl:7", None, "x.jsonl:7"),
        ("stories/a.txt", None, "stories/a.txt"),
        (None, "/srv", None),
    ],
)
def test_origin_is_relative_to_the_corpus_root(origin, root, shown):
    from dateline.web.api import relative_origin

    assert relative_origin(origin, root) == shown


def test_article_origin_never_shows_an_absolute_path(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from dateline.web.command import serve

    folder = (REPO / "examples" / "af447").resolve()
    calls = fake_run(monkeypatch)
    result = CliRunner().invoke(serve, [str(folder), "--cache-dir", str(tmp_path), "--port", "0"])
    assert result.exit_code == 0, result.output
    app = calls[0][0]
    assert app.state.live.wait(60)
    first = next(iter(app.state.live.current()[1]))
    assert first.article.origin.startswith(str(folder))  # what ingest recorded
    origin = Client(app).get(f"/api/articles/{first.article.id}").json()["article"]["origin"]
    assert origin == Path(first.article.origin).name and not origin.startswith("/")


# ---- the serve command's socket ----


def test_serving_is_printed_only_once_bound_and_a_failed_bind_is_one_line(monkeypatch, tmp_path):
    import socket

    from click.testing import CliRunner

    from dateline.web.command import serve

    calls = fake_run(monkeypatch)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        args = [str(REPO / "examples" / "af447"), "--cache-dir", str(tmp_path), "--port", str(port)]
        result = CliRunner().invoke(serve, args)
    assert result.exit_code != 0 and not calls
    assert "serving" not in result.output and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert lines == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port or --host"
    ]


# ---- timelines under load (issue 23) ----


class Gate:
    """A corpus_timeline stand-in that blocks until released, counting the builds it was asked for."""

    def __init__(self):
        import threading

        self.release = threading.Event()
        self.started = threading.Event()
        self.calls = []

    def __call__(self, corpus, options, method):
        self.calls.append(options)
        self.started.set()
        assert self.release.wait(30), "the test never released the build"
        return Timeline((), {"method": method})


def test_timelines_are_built_off_the_event_loop_shared_and_refused_past_the_queue(monkeypatch, corpus):
    import time

    from dateline.web import app as app_module

    gate = Gate()
    monkeypatch.setattr(app_module, "corpus_timeline", gate)
    client = Client(create_app(corpus, workers=1, queue=1))

    async def go():
        async with client.client() as c:
            first = asyncio.create_task(c.get("/api/timeline?dates=3"))
            same = asyncio.create_task(c.get("/api/timeline?dates=3"))
            queued = asyncio.create_task(c.get("/api/timeline?dates=4"))
            while not gate.started.is_set():
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.05)
            # one build runs, one waits: the third distinct timeline is refused at once
            refused = await c.get("/api/timeline?dates=5")
            t0 = time.perf_counter()
            cheap = [await c.get(p) for p in ("/", "/api/corpus", "/api/dates/2020-03-02", "/api/search?q=bridge")]
            cheap_s = time.perf_counter() - t0
            gate.release.set()
            return await first, await same, await queued, refused, cheap, cheap_s

    first, same, queued, refused, cheap, cheap_s = asyncio.run(go())
    assert first.status_code == same.status_code == queued.status_code == 200
    assert [o.dates for o in gate.calls] == [3, 4]  # the identical request joined the first build
    assert_error(refused, 503, "timelines are being built; try again in")
    assert int(refused.headers["retry-after"]) >= 1
    assert all(r.status_code == 200 for r in cheap) and cheap_s < 10  # answered while the build was blocked
    info = client.app.state.builds.info()
    assert (info.misses, info.shared, info.refused, info.in_flight) == (2, 1, 1, 0)


def test_the_timeline_cache_is_bounded_and_least_recently_used_goes_first():
    from dateline.web.builds import Builds

    built = []
    builds = Builds(lambda k: built.append(k) or k * 10, cache=2)
    assert [builds.get(k).result() for k in (1, 2, 1, 3, 1, 2)] == [10, 20, 10, 30, 10, 20]
    assert built == [1, 2, 3, 2]  # 2 was the least recently used when 3 came
    assert builds.info().cached == 2


def test_a_failed_build_is_not_cached():
    from dateline.web.builds import Builds

    attempts = []

    def build(key):
        attempts.append(key)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return key

    builds = Builds(build)
    with pytest.raises(RuntimeError):
        builds.get("k").result()
    assert builds.get("k").result() == "k" and attempts == ["k", "k"]


# ---- loading and live updates (issue 22) ----


class SlowAnnotator:
    """The real annotator, held back until released: the corpus stays 'loading' meanwhile."""

    def __init__(self):
        import threading

        from dateline.annotate import Annotator

        self.inner = Annotator()
        self.version = self.inner.version
        self.release = threading.Event()

    def annotate(self, article):
        assert self.release.wait(30), "the test never released the annotator"
        return self.inner.annotate(article)


def test_the_api_answers_at_once_while_the_corpus_loads():
    from dateline.ingest import read_articles
    from dateline.web import LiveCorpus

    articles = list(read_articles(REPO / "examples" / "af447"))
    annotator = SlowAnnotator()
    live = LiveCorpus.annotating(articles, annotator)
    client = Client(create_app(live, prebuild=True))
    status = client.get("/api/status").json()
    assert status == {
        "ok": True,
        "title": "Dateline",
        "state": "loading",
        "phase": "annotating",
        "done": 0,
        "total": 8,
        "articles": None,
        "generation": 0,
        "error": None,
    }
    for path in ("/api/corpus", "/api/timeline", "/api/search?q=jet", "/api/dates/2009-06-01"):
        response = client.get(path)
        assert_error(response, 503, "loading the corpus: 0 of 8 articles annotated")
        assert response.headers["retry-after"] == "1"
    assert client.get("/").status_code == 200  # the page loads and can show the progress
    annotator.release.set()
    assert live.wait(60)
    status = client.get("/api/status").json()
    assert (status["state"], status["phase"], status["articles"], status["generation"]) == ("ready", None, 8, 1)
    assert client.get("/api/corpus").json()["articles"] == 8
    assert client.app.state.builds.info().cached == 1  # prebuilt once ready


def test_a_failed_load_says_why():
    from dateline.ingest import read_articles
    from dateline.web import LiveCorpus

    class Broken:
        version = "broken-1"

        def annotate(self, article):
            raise ValueError("the tagger fell over")

    live = LiveCorpus.annotating(list(read_articles(REPO / "examples" / "af447")), Broken())
    assert live.wait(30)
    client = Client(create_app(live))
    assert client.get("/api/status").json()["state"] == "failed"
    assert_error(client.get("/api/corpus"), 500, "could not be loaded: ValueError: the tagger fell over")


def test_serve_on_a_store_sees_an_article_ingested_after_start(tmp_path):
    import time

    from dateline.ingest import read_articles
    from dateline.store import Store
    from dateline.web import LiveCorpus

    articles = list(read_articles(REPO / "examples" / "af447"))
    path = tmp_path / "story.db"
    with Store(path) as store:
        store.add(articles[:7])
        store.annotate()
    live = LiveCorpus(Store.open(path), interval=0)
    client = Client(create_app(live, prebuild=True))
    assert client.get("/api/corpus").json()["articles"] == 7
    before = client.get("/api/timeline").json()
    assert client.get("/api/status").json()["generation"] == 0
    newest = articles[7]
    assert client.get(f"/api/articles/{newest.id}").status_code == 404

    with Store(path) as other:  # another process's ingest, as `dateline ingest` does it
        other.add([newest])
    deadline = time.monotonic() + 60
    while client.get("/api/status").json()["generation"] == 0:  # each request may start a check
        assert time.monotonic() < deadline, "the new article was never seen"
        time.sleep(0.05)
    assert live.wait(60)
    status = client.get("/api/status").json()
    assert (status["state"], status["articles"], status["generation"]) == ("ready", 8, 1)
    assert client.get("/api/corpus").json()["articles"] == 8
    assert client.get(f"/api/articles/{newest.id}").json()["article"]["id"] == newest.id
    after = client.get("/api/timeline").json()
    assert after["timeline"]["meta"] != before["timeline"]["meta"]  # rebuilt over 8 articles, not cached
    # nothing new: checks go on without moving the generation
    for _ in range(5):
        client.get("/api/status")
        live.wait(10)
    assert client.get("/api/status").json()["generation"] == 1


def test_a_store_with_nothing_annotated_loads_first(tmp_path):
    from dateline.ingest import read_articles
    from dateline.store import Store
    from dateline.web import LiveCorpus

    path = tmp_path / "story.db"
    with Store(path) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
    live = LiveCorpus(Store.open(path))
    assert live.wait(60)
    status = live.status()
    assert (status.state, status.articles, status.total, status.generation) == ("ready", 8, 8, 1)


def _recording_closes(monkeypatch) -> list:
    """Record every store :meth:`~dateline.store.Store.close` from now on (the store still closes)."""
    from dateline.store import Store

    closed: list = []
    real = Store.close

    def close(self):
        closed.append(self)
        real(self)

    monkeypatch.setattr(Store, "close", close)
    return closed


def test_a_live_corpus_closes_the_store_it_opened_once_its_work_is_done(tmp_path, monkeypatch):
    from dateline.ingest import read_articles
    from dateline.store import Store
    from dateline.web.load import live_corpus

    path = tmp_path / "story.db"
    with Store(path) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
    closed = _recording_closes(monkeypatch)
    live = live_corpus(path)  # annotates its 8 pending articles on a thread
    live.close()  # at once: the annotation is not cut short, the store closes after it
    assert live.wait(60)
    assert len(closed) == 1 and closed[0] is live.store
    live.close()
    assert len(closed) == 1  # closed once
    with Store(path) as store:
        assert (len(store), store.pending()) == (8, 0)


def _get_through_lifespan(app, url: str) -> dict:
    """GET ``url`` between the app's startup and its shutdown, as a server runs it."""

    async def go() -> httpx.Response:
        async with app.router.lifespan_context(app), Client(app).client() as client:
            return await client.get(url)

    return asyncio.run(go()).json()


def test_a_corpus_handed_to_the_app_stays_open_and_one_it_opened_closes_at_shutdown(tmp_path, monkeypatch):
    from dateline.ingest import read_articles
    from dateline.store import Store
    from dateline.web.load import live_corpus

    path = tmp_path / "story.db"
    with Store(path) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
        store.annotate()
    closed = _recording_closes(monkeypatch)
    with Store.open(path) as mine:
        assert _get_through_lifespan(create_app(mine), "/api/corpus")["articles"] == 8
        assert closed == []  # the caller's store: still open, still usable
        assert len(mine) == 8
    assert closed == [mine]  # by its own `with`
    closed.clear()
    live = live_corpus(path)
    assert _get_through_lifespan(create_app(live), "/api/corpus")["articles"] == 8
    assert closed == [live.store]


# ---- search ranking and highlights ----


def test_search_ranks_by_bm25_and_gives_highlights(client):
    body = client.get("/api/search?q=bridge+cars").json()
    assert body["ranked"] == "bm25"
    scores = [s["score"] for s in body["sentences"]]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    # the sentences naming both terms come first
    both = [s for s in body["sentences"] if "cars" in s["text"].lower() and "bridge" in s["text"].lower()]
    assert both and body["sentences"][: len(both)] == both
    for s in body["sentences"]:
        shown = [s["text"][a:b].lower() for a, b in s["highlights"]]
        assert shown and all(w.startswith(("bridge", "cars")) for w in shown), shown


@pytest.mark.parametrize(
    "text, q, spans",
    [
        ("The Bridge and the bridges", "bridge", [[4, 10], [19, 26]]),
        ("oil spill, an oil spill", '"oil spill"', [[0, 9], [14, 23]]),
        ("subridge only", "bridge", []),
        ("Gaddafi's death", "gaddafi death", [[0, 7], [10, 15]]),
    ],
)
def test_highlight_offsets(text, q, spans):
    from dateline.timeline import Query
    from dateline.web.api import highlights

    assert highlights(text, Query.parse(q)) == spans


def test_timelines_built_in_a_process_equal_those_built_on_a_thread(corpus):
    threaded = Client(create_app(corpus)).get("/api/timeline?dates=3&query=bridge").json()
    app = create_app(corpus, build_processes=True)
    try:
        in_process = Client(app).get("/api/timeline?dates=3&query=bridge").json()
    finally:
        app.state.builds.shutdown()
    assert in_process == threaded and in_process["timeline"]["entries"]


def test_a_store_is_served_under_the_annotator_given(tmp_path):
    from dateline.annotate import Annotator, SyntokSplitter
    from dateline.ingest import read_articles
    from dateline.store import Store

    db, other = tmp_path / "story.db", Annotator(splitter=SyntokSplitter())
    with Store(db) as store:
        store.add(read_articles(REPO / "examples" / "af447"))
    corpus = load_corpus(db, annotator=other)  # annotates the store under that annotator, and serves it
    assert corpus.version == other.version and len(corpus) == 8
    # The build processes open the store by path: under the same annotator, not the default one.
    threaded = Client(create_app(corpus)).get("/api/timeline?dates=3").json()
    app = create_app(corpus, build_processes=True)
    try:
        in_process = Client(app).get("/api/timeline?dates=3").json()
    finally:
        app.state.builds.shutdown()
    assert in_process == threaded and len(in_process["timeline"]["entries"]) == 3
