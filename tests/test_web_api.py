"""The HTTP API, in process: every endpoint, its documented keys, and every error as the one error body."""

import asyncio
import json
from datetime import date

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
        ("dates=0", "dates=0 is out of range"),
        ("dates=501", "out of range"),
        ("dates=abc", "not a whole number"),
        ("sentences=21", "out of range"),
        ("sentences=1.5", "not a whole number"),
        ("from=2020-13-01", "from='2020-13-01' is not a date"),
        ("to=yesterday", "not a date"),
        ("from=2020-03-09&to=2020-03-01", "is after"),
        ("method=magic", "method='magic' is unknown"),
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
    assert names == {"query", "from", "to", "dates", "sentences", "method", "format"}


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
