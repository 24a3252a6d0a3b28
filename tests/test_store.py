"""The SQLite store: idempotent ingest, incremental annotation, migrations, crash safety, FTS5 search."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import date

import pytest
from click.testing import CliRunner

from conftest import DATA, REPO, batch_sizes
from dateline import Annotator, Corpus, MemoryCorpus, corpus_timeline
from dateline.cli import cli
from dateline.ingest import IngestError, read_articles
from dateline.model import AnnotatedArticle, Article
from dateline.store import MIGRATIONS, SCHEMA_VERSION, SchemaError, Store, fts_query, is_store
from dateline.store.schema import migrate
from dateline.temporal import get_tagger
from dateline.timeline import BuildOptions, Query

JSONL = DATA / "ingest" / "articles.jsonl"


class CountingTagger:
    """The real tagger, counting the texts it is asked to tag (annotation runs in-process)."""

    name = "counting"

    def __init__(self, version: str = "1"):
        self.version = version
        self.calls: list[str] = []
        self._inner = get_tagger()

    def tag(self, text, reference):
        self.calls.append(text)
        return self._inner.tag(text, reference)


class FixedAnnotator:
    """Hands back prepared annotations, so a store and a MemoryCorpus can hold the very same ones."""

    version = "fixed-1"

    def __init__(self, annotated: list[AnnotatedArticle]):
        self._by_id = {a.article.id: a for a in annotated}

    def annotate(self, article: Article) -> AnnotatedArticle:
        a = self._by_id[article.id]
        return AnnotatedArticle(article, a.sentences, a.mentions)


@pytest.fixture
def twin(tmp_path, small_corpus):
    """The small corpus twice: in a store and in memory."""
    store = Store(tmp_path / "story.db", annotator=FixedAnnotator(small_corpus))
    store.add(a.article for a in small_corpus)
    assert store.annotate() == 3
    yield store, MemoryCorpus(small_corpus)
    store.close()


def _assert_index_matches_sentences(db):
    """FTS5's own check that the index holds exactly the sentences table (raises when not)."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("INSERT INTO sentences_fts (sentences_fts, rank) VALUES ('integrity-check', 1)")


def _count(db, sql="SELECT count(*) FROM articles"):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchone()[0]


# -- files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: Store(p).close(), True),
        (lambda p: p.write_bytes(b""), False),
        (lambda p: p.write_text('{"id": "1"}\n'), False),
        (lambda p: None, False),
    ],
    ids=["store", "empty file", "jsonl", "missing"],
)
def test_is_store(tmp_path, make, expected):
    path = tmp_path / "x.db"
    make(path)
    assert is_store(path) is expected


def test_store_is_in_wal_mode_and_readable_during_a_write(tmp_path):
    db = tmp_path / "story.db"
    with Store(db) as writer, Store(db) as reader:
        writer.add(read_articles(JSONL))
        assert writer._db().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn = writer._db()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO articles (id, published, text) VALUES ('x', '2020-01-01', 'Uncommitted.')")
        # A reader neither blocks nor sees the uncommitted row.
        assert reader.status().articles == 4
        conn.execute("ROLLBACK")


def test_a_store_can_be_read_from_other_threads(tmp_path, small_corpus):
    with Store(tmp_path / "story.db", annotator=FixedAnnotator(small_corpus)) as store:
        store.add(a.article for a in small_corpus)
        store.annotate()
        seen = []
        thread = threading.Thread(target=lambda: seen.append([a.article.name for a in store]))
        thread.start()
        thread.join()
        assert seen == [["a1", "a2", "a3"]]


@pytest.mark.parametrize(
    "setup, message",
    [
        ("PRAGMA user_version = 99", "newer than this Dateline knows"),
        ("CREATE TABLE people (name TEXT)", "not a Dateline store"),
    ],
)
def test_foreign_or_newer_databases_are_refused(tmp_path, setup, message):
    db = tmp_path / "other.db"
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(setup)
        conn.commit()
    with pytest.raises(SchemaError, match=message):
        Store(db)


# -- ingest ---------------------------------------------------------------------------


def test_reingest_is_idempotent_and_keeps_articles_whole(tmp_path):
    articles = list(read_articles(JSONL))
    with Store(tmp_path / "story.db") as store:
        assert store.add(articles).__dict__ == {"added": 4, "present": 0, "updated": 0}
        assert store.add(read_articles(JSONL), batch_size=3).__dict__ == {"added": 0, "present": 4, "updated": 0}
        assert store.add(read_articles(DATA / "ingest" / "duplicates.jsonl")).__dict__ == {
            "added": 3,
            "present": 0,
            "updated": 0,
        }
        assert store.status().articles == 7
        # Every field, the zone of the timestamps included, survives the round trip, in order.
        assert list(store.articles()) == articles + list(read_articles(DATA / "ingest" / "duplicates.jsonl"))


def test_articles_read_before_a_bad_record_are_kept(tmp_path):
    bad = tmp_path / "bad.jsonl"
    lines = [json.dumps({"id": str(i), "time": "2020-01-01", "text": f"Story {i}."}) for i in range(7)]
    bad.write_text("\n".join(lines[:5] + ["{not json"] + lines[5:]) + "\n")
    with Store(tmp_path / "story.db") as store:
        with pytest.raises(IngestError, match=r"bad\.jsonl:6:"):
            store.add(read_articles(bad), batch_size=2)
        assert store.status().articles == 5
        assert store.add(read_articles(bad, on_error="skip")).__dict__ == {"added": 2, "present": 5, "updated": 0}


def test_killed_ingest_leaves_a_clean_store_and_a_rerun_completes_it(tmp_path):
    n = 30_000
    big, db = tmp_path / "big.jsonl", tmp_path / "story.db"
    with big.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"g/{i}", "time": "2020-01-01", "text": f"Story {i} about the harbour bridge."}))
            f.write("\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "ingest", str(db), str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed: set[str] = set()
    try:
        deadline = time.monotonic() + 60
        while not committed and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
            if not is_store(db):
                continue
            try:
                with closing(sqlite3.connect(db, timeout=5)) as conn:
                    committed = {r[0] for r in conn.execute("SELECT id FROM articles")}
            except sqlite3.OperationalError:  # the schema is not there yet
                continue
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert committed, "saw no committed rows before the ingest ended"
    with Store(db) as store:
        assert store._db().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after_kill = {r[0] for r in store._db().execute("SELECT id FROM articles")}
    assert committed <= after_kill
    assert len(after_kill) < n, "the ingest finished before it was killed: make the input bigger"
    result = CliRunner().invoke(cli, ["ingest", str(db), str(big)])
    assert result.exit_code == 0, result.output
    assert f"added {n - len(after_kill)}, already present {len(after_kill)}" in result.stdout
    assert _count(db) == _count(db, "SELECT count(DISTINCT id) FROM articles") == n


# -- annotation -----------------------------------------------------------------------


def test_only_new_articles_are_annotated(tmp_path):
    tagger = CountingTagger()
    db = tmp_path / "story.db"
    first, second = (
        list(read_articles(REPO / "examples" / "af447"))[:5],
        list(read_articles(REPO / "examples" / "af447"))[5:],
    )
    with Store(db, annotator=Annotator(tagger=tagger)) as store:
        store.add(first)
        assert len(store) == 0 and store.get(first[0].id) is None  # not annotated yet: not in the corpus view
        assert store.annotate() == 5 and len(tagger.calls) == 5
        assert store.annotate() == 0 and len(tagger.calls) == 5
        store.add(first + second)
    # A fresh process (here: a fresh Store) finds the annotations on disk.
    with Store(db, annotator=Annotator(tagger=tagger)) as store:
        assert store.pending() == len(second)
        assert store.annotate() == len(second)
        assert sorted(tagger.calls) == sorted(a.text for a in first + second)
        assert len(store) == len(first + second) and store.status().pending == 0


def test_an_annotator_upgrade_reannotates_everything_once(tmp_path):
    db = tmp_path / "story.db"
    articles = list(read_articles(REPO / "examples" / "af447"))
    old, new = CountingTagger("1"), CountingTagger("2")
    with Store(db, annotator=Annotator(tagger=old)) as store:
        store.add(articles)
        store.annotate()
        hits = store.search(Query.parse("wreckage"), limit=1000)
    with Store(db, annotator=Annotator(tagger=new)) as store:
        status = store.status()
        assert (status.annotated, status.stale, status.pending) == (0, len(articles), 0)
        assert len(store) == 0  # stale annotations are never served
        assert store.annotate() == len(articles) and len(new.calls) == len(articles)
        assert store.annotate() == 0
        # The stale sentences left the index: no hit twice.
        assert store.search(Query.parse("wreckage"), limit=1000) == hits
        _assert_index_matches_sentences(db)


def test_store_annotations_equal_fresh_ones(tmp_path):
    articles = list(read_articles(REPO / "examples" / "af447"))
    with Store(tmp_path / "story.db") as store:
        store.add(articles)
        store.annotate(processes=2)
        assert list(store) == [Annotator().annotate(a) for a in articles]


# -- the corpus interface ---------------------------------------------------------------


def test_store_is_a_corpus(twin):
    store, _ = twin
    assert isinstance(store, Corpus)


@pytest.mark.parametrize(
    "terms",
    [
        ("bridge",),
        ("brid",),
        ("harbour bridge",),
        ("ferry operators",),
        ("protesters",),
        ("pontoon",),
        ("zebra",),
        ("march 2",),
        ("six weeks",),
        ("stranded commuters", "mayor"),
        ("cable",),
        ("--",),
        ("n't",),
        ("bridge cables were",),
        ("on march",),
    ],
)
def test_select_and_search_agree_with_memory(twin, terms):
    store, memory = twin
    q = Query(terms)
    assert [a.article.id for a in store.select(q)] == [a.article.id for a in memory.select(q)]
    assert store.search(q) == memory.search(q)
    assert store.search(q, limit=1) == memory.search(q, limit=1)


@pytest.mark.parametrize("day", [date(2020, 3, 2), date(2020, 3, 5), date(2020, 3, 9), date(2021, 1, 1)])
def test_sentences_on_agree_with_memory(twin, day):
    store, memory = twin
    assert store.sentences_on(day) == memory.sentences_on(day)


def test_stats_get_iter_and_timeline_agree_with_memory(twin, small_corpus):
    store, memory = twin
    assert store.stats() == memory.stats()
    assert list(store) == small_corpus and len(store) == 3
    assert store.get(small_corpus[1].article.id) == small_corpus[1] and store.get("nope") is None
    for options in (BuildOptions(dates=2), BuildOptions(dates=2, query="protesters")):
        assert corpus_timeline(store, options) == corpus_timeline(memory, options)


@pytest.mark.parametrize(
    "terms, expected",
    [
        (("bridge",), '"bridge"*'),
        (("harbour bridge", "ferry"), '"harbour bridge"* OR "ferry"*'),
        (('say "no"',), '"say ""no"""*'),
        (("a AND b", "NEAR(x)", "-x", "title:x"), '"a AND b"* OR "NEAR(x)"* OR "-x"* OR "title:x"*'),
        (("--",), None),
        (("bridge", "..."), None),
    ],
)
def test_fts_query_translation(terms, expected):
    assert fts_query(Query(terms)) == expected


@pytest.mark.parametrize(
    "text, query, found",
    [
        # The index folds accents, but the query's exact match decides, as in memory.
        ("The Café Royal reopened.", "cafe", False),
        ("The café royal reopened.", "CAFÉ", True),
        ('He said "no deal" again.', 'said "no', True),
        ("Talks on the no-fly zone resumed.", "no-fly zone", True),
        ("Talks on the no-fly zone resumed.", "fly", True),
        ("Talks on the no-fly zone resumed.", "zon", True),
        ("Talks on the no-fly zone resumed.", "one", False),
        ("Troops left AND returned.", "AND returned", True),
        ("Troops left and returned.", "left NEAR", False),
        ("U.S. envoys arrived.", "u.s.", True),
    ],
)
def test_fts_search_is_safe_and_word_prefix(tmp_path, text, query, found):
    article = Article.create(text, date(2020, 1, 1), name="only")
    with Store(tmp_path / "story.db") as store:
        store.add([article])
        store.annotate()
        q = Query((query.lower(),))
        assert bool(store.search(q)) is found
        assert bool(store.select(q)) is found


# -- schema migrations ------------------------------------------------------------------

V1 = """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT, title TEXT, url TEXT, source TEXT,
    published TEXT NOT NULL, timestamp TEXT, origin TEXT, text TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
PRAGMA user_version = 1;
"""


def test_a_v1_store_is_migrated_and_keeps_its_articles(tmp_path):
    db = tmp_path / "old.db"
    article = Article.create(
        "The bridge closed to cars on March 5, causing long traffic jams.",
        date(2020, 3, 6),
        name="old-1",
        source="Harbour Times",
        url="https://example.org/1",
    )
    with closing(sqlite3.connect(db)) as conn:
        conn.executescript(V1)
        conn.execute(
            "INSERT INTO articles (id, name, url, source, published, text) VALUES (?, ?, ?, ?, ?, ?)",
            (article.id, article.name, article.url, article.source, "2020-03-06", article.text),
        )
        conn.commit()
    with Store(db) as store:
        assert _count(db, "PRAGMA user_version") == SCHEMA_VERSION == 3
        assert (store.status().articles, store.status().pending) == (1, 1)
        assert store.add([article]).present == 1
        assert store.annotate() == 1
        assert store.get(article.id).article == article
        assert [r.article_name for r in store.search(Query.parse("traffic"))] == ["old-1"]
        assert [r.article_name for r in store.sentences_on(date(2020, 3, 5))] == ["old-1"]


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path):
    db = tmp_path / "story.db"
    Store(db).close()
    broken = MIGRATIONS + (("CREATE TABLE extra (a TEXT)", "THIS IS NOT SQL"),)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        with pytest.raises(sqlite3.OperationalError):
            migrate(conn, broken)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchall()
        # The step applies once it is fixed.
        assert migrate(conn, MIGRATIONS + (("CREATE TABLE extra (a TEXT)",),)) == SCHEMA_VERSION + 1


# -- concurrency ------------------------------------------------------------------------


def _create_and_ingest(dbs: list[str], shard: str, barrier, errors) -> None:
    """In a child process, for each new store: wait for the others, then open (create) it and ingest."""
    import random

    for db in dbs:
        try:
            barrier.wait(60)
            # Starts a few milliseconds apart, as separate commands do: that is when one
            # process is half-way through creating the store another opens.
            time.sleep(random.uniform(0, 0.003))
            with Store(db) as store:
                store.add(read_articles(shard))
        except BaseException as e:
            errors.put(f"{type(e).__name__}: {e}")


def test_processes_creating_one_store_at_once_all_succeed(tmp_path):
    import multiprocessing

    # Spawned, as separate commands are: a fork would copy whatever threads earlier tests left in
    # this process (a Dask client's, DuckDB's), and a forked child of a threaded process can crash.
    ctx = multiprocessing.get_context("spawn")
    workers, rounds = 8, 60
    shards = []
    for i in range(workers):
        shard = tmp_path / f"shard{i}.jsonl"
        # Each shard has articles of its own and articles every other shard has too.
        rows = [{"id": f"s{i}/{j}", "time": "2020-01-02", "text": f"Shard {i} story {j}."} for j in range(10)]
        rows += [{"id": f"common/{j}", "time": "2020-01-01", "text": f"Common story {j}."} for j in range(10)]
        shard.write_text("".join(json.dumps(r) + "\n" for r in rows))
        shards.append(shard)
    serial = tmp_path / "serial.db"
    with Store(serial) as store:
        for shard in shards:
            store.add(read_articles(shard))
        expected = store.status().articles
    assert expected == workers * 10 + 10
    dbs = [str(tmp_path / f"concurrent{r}.db") for r in range(rounds)]
    barrier, errors = ctx.Barrier(workers), ctx.Queue()
    procs = [ctx.Process(target=_create_and_ingest, args=(dbs, str(s), barrier, errors)) for s in shards]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert all(p.exitcode == 0 for p in procs), "a process hung or died"
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert not failures, f"{len(failures)} of {workers * rounds} opens failed: {sorted(set(failures))}"
    for db in dbs:
        assert _count(db) == _count(db, "SELECT count(DISTINCT id) FROM articles") == expected
        assert _count(db, "PRAGMA user_version") == SCHEMA_VERSION


# -- articles that cannot be annotated ---------------------------------------------------


class FailingTagger(CountingTagger):
    """The real tagger, raising (as an overflowing date once did) on texts containing ``POISON``."""

    def tag(self, text, reference):
        if "POISON" in text:
            raise OverflowError("date value out of range")
        return super().tag(text, reference)


def _poisoned(n: int, every: int) -> list[Article]:
    return [
        Article.create(
            f"Story {i}: the bridge closed on Monday{' POISON' if i % every == 0 else ''}.",
            date(2020, 3, 3),
            name=f"s{i}",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize("processes", [1, 2])
def test_an_article_that_cannot_be_annotated_is_marked_failed_and_skipped(tmp_path, processes):
    # 40 articles: above annotate_all's threshold, so processes=2 runs a real process pool.
    articles = _poisoned(40, every=7)
    bad = [a for a in articles if "POISON" in a.text]
    tagger = FailingTagger()
    with Store(tmp_path / "story.db", annotator=Annotator(tagger=tagger)) as store:
        store.add(articles)
        assert store.annotate(processes=processes) == len(articles) - len(bad)
        status = store.status()
        assert (status.annotated, status.failed, status.pending, status.stale) == (34, 6, 0, 0)
        assert [(f.name, f.reason) for f in store.failures()] == [
            (a.name, "OverflowError: date value out of range") for a in bad
        ]
        assert len(store) == 34 and store.get(bad[0].id) is None
        # Skipped from now on: the next build does not try (nor die on) them again.
        calls = len(tagger.calls)
        assert store.annotate(processes=processes) == 0 and len(tagger.calls) == calls
        assert corpus_timeline(store, BuildOptions(dates=2)).entries
    # Another annotator version tries them again (and, fixed, annotates them).
    with Store(tmp_path / "story.db", annotator=Annotator(tagger=CountingTagger("2"))) as store:
        status = store.status()
        assert (status.failed, status.stale, status.pending) == (0, 34, 6)
        assert store.annotate() == 40 and store.failures() == []


def test_a_v2_store_with_a_poisoned_article_is_migrated_and_builds(tmp_path, monkeypatch):
    db = tmp_path / "old.db"
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        migrate(conn, MIGRATIONS[:2])
    articles = _poisoned(5, every=2)
    with closing(sqlite3.connect(db)) as conn:
        conn.executemany(
            "INSERT INTO articles (id, name, published, text) VALUES (?, ?, ?, ?)",
            [(a.id, a.name, a.published.isoformat(), a.text) for a in articles],
        )
        conn.commit()
    with Store(db, annotator=Annotator(tagger=FailingTagger())) as store:
        assert _count(db, "PRAGMA user_version") == 3
        assert store.annotate() == 2 and store.status().failed == 3


# -- a corrected publication date ----------------------------------------------------------


def _yesterday(store: Store, article_id: str) -> date:
    (mention,) = [m for m in store.get(article_id).mentions if m.text == "yesterday"]
    return mention.date


def test_reingesting_with_a_corrected_date_reannotates_under_it(tmp_path):
    from datetime import datetime, timedelta, timezone

    text = "Troops left the city yesterday, officials said."
    first = Article.create(text, date(2011, 3, 1), name="wire/1")
    corrected = Article.create(text, date(2011, 6, 15), name="wire/1-corrected")
    assert first.id == corrected.id  # the same text from the same source: the same article
    db = tmp_path / "story.db"
    with Store(db) as store:
        store.add([first])
        store.annotate()
        assert _yesterday(store, first.id) == date(2011, 2, 28)
        assert store.add([corrected]).__dict__ == {"added": 0, "present": 1, "updated": 1}
        status = store.status()
        assert (status.articles, status.annotated, status.pending) == (1, 0, 1)
        assert store.get(first.id) is None  # the old annotation is never served
        assert store.annotate() == 1
        assert _yesterday(store, first.id) == date(2011, 6, 14)
        # The date is corrected; the name stays the first ingest's.
        assert store.get(first.id).article.published == date(2011, 6, 15)
        assert store.get(first.id).article.name == "wire/1"
        assert store.add([corrected]).__dict__ == {"added": 0, "present": 1, "updated": 0}
        # A timestamp in another zone is a correction too (the day in the article's zone may move).
        zoned = Article.create(
            text, date(2011, 6, 15), timestamp=datetime(2011, 6, 15, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
        )
        assert store.add([zoned]).updated == 1 and store.pending() == 1
        assert store.annotate() == 1 and store.get(first.id).article.timestamp == zoned.timestamp
        assert [r.sentence_index for r in store.search(Query.parse("troops"))] == [0]
    _assert_index_matches_sentences(db)


def test_an_annotation_made_before_a_date_correction_is_not_kept(tmp_path):
    """An ingest correcting the date while a build annotates: the build's stale result is dropped."""
    text = "Troops left the city yesterday, officials said."
    db = tmp_path / "story.db"

    class CorrectingTagger(CountingTagger):
        def tag(self, text, reference):
            if len(self.calls) == 0:  # another process corrects the date mid-annotation
                with Store(db) as other:
                    assert other.add([Article.create(text, date(2011, 6, 15))]).updated == 1
            return super().tag(text, reference)

    with Store(db, annotator=Annotator(tagger=CorrectingTagger())) as store:
        store.add([Article.create(text, date(2011, 3, 1))])
        assert store.annotate() == 0 and store.pending() == 1
        assert store.annotate() == 1
        assert _yesterday(store, Article.create(text, date(2011, 6, 15)).id) == date(2011, 6, 14)


def test_articles_read_once_are_remembered_within_a_bound(tmp_path, monkeypatch):
    # A server builds timeline after timeline from one store: its articles' sentences and
    # mentions are read once, then remembered (the last REMEMBERED_ARTICLES read).
    from dateline.store import store as store_module

    with Store(tmp_path / "story.db") as store:
        store.add(read_articles(REPO / "examples" / "af447"))
        store.annotate()
        reads = batch_sizes(monkeypatch, Store, "_read_annotated")
        first = list(store)
        assert reads == [8]
        again = store.select(Query.parse("flight"))
        assert reads == [8] and all(any(a is b for b in first) for a in again)  # nothing read twice
        assert store.get(first[0].article.id) is first[0]

        monkeypatch.setattr(store_module, "REMEMBERED_ARTICLES", 3)
        store._remembered.clear()
        assert [a.article.id for a in store] == [a.article.id for a in first]
        assert len(store._remembered) == 3  # the last three read
        reads.clear()
        assert list(store) == first
        assert reads == [5]  # the five forgotten, read again
        store.close()
        assert not store._remembered  # closing gives the memory back
