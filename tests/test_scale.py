"""The columnar corpus: written on an engine, read in place by DuckDB, the same timelines as a store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, batch_sizes, shared_path
from dateline.annotate import Annotator, annotate_all
from dateline.corpus import corpus_timeline
from dateline.engine import LocalEngine, get_engine
from dateline.ingest import IngestError, IngestReport, read_articles
from dateline.store import Store
from dateline.timeline import BuildOptions, Query, get_builder

pytest.importorskip("pyarrow", reason="the scale extra is not installed: pip install 'dateline[scale]'")
pytest.importorskip("duckdb", reason="the scale extra is not installed: pip install 'dateline[scale]'")

from dateline.columnar import ParquetCorpus, is_columnar, partition, present_ids, write_columnar
from dateline.columnar.layout import SCHEMA, SchemaError, facts_file, facts_partitions, partition_file, partitions
from dateline.timeline.facts import RULES, article_facts, current

EXAMPLE = REPO / "examples" / "af447"


def _feed(tmp_path: Path) -> Path:
    """The example's eight articles as one JSONL file (so that partitions of 3 cut it)."""
    path = tmp_path / "af447.jsonl"
    lines = [
        json.dumps({"id": a.name, "time": a.published.isoformat(), "text": a.text}) for a in read_articles(EXAMPLE)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write(paths, out, processes=1, **kw):
    return write_columnar([Path(p) for p in paths], out, LocalEngine(processes), **kw)


def test_columnar_equals_local_annotation(tmp_path):
    feed = _feed(tmp_path)
    result = _write([feed], tmp_path / "c", processes=2, partition_size=3)
    assert result.written == 3 and result.articles == 8
    assert is_columnar(tmp_path / "c")
    expected = list(annotate_all(read_articles(feed)))
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert len(corpus) == 8
        assert list(corpus) == expected
        assert corpus.get(expected[3].article.id) == expected[3]
        assert corpus.get("no-such-id") is None


def test_a_partition_keeps_the_builders_facts_of_its_articles_under_their_rules(tmp_path):
    _write([_feed(tmp_path)], tmp_path / "c", partition_size=3)
    with ParquetCorpus(tmp_path / "c") as corpus:
        version, loaded = corpus.version, list(corpus)
        windowed = corpus.select_window(Query.parse("flight"), date(2009, 6, 1), date(2009, 6, 2))
    assert facts_partitions(tmp_path / "c", version, RULES) == set(partitions(tmp_path / "c", version))
    assert loaded and all(current(a) == article_facts(a) for a in loaded)
    # Loaded without its mentions for the window, an article keeps the facts it was annotated with.
    whole = {a.article.id: current(a) for a in loaded}
    assert any(not a.mentions for a in windowed) and all(current(a) == whole[a.article.id] for a in windowed)
    # Facts of other rules (a Dateline whose rules changed) are not read: the build applies its own.
    folder = facts_file(tmp_path / "c", version, RULES, "x").parent
    folder.rename(folder.with_name("rules=other"))
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert all(a.facts is None for a in corpus)
        assert list(corpus) == loaded  # facts are not compared: the same articles
    # Running the command again gives the partitions the facts of this Dateline's rules, and annotates nothing.
    again = _write([_feed(tmp_path)], tmp_path / "c", processes=2, partition_size=3)
    assert (again.written, again.articles, again.facts) == (0, 0, 3)
    assert "the builder's facts added to 3 partitions written before" in again.summary()
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert [current(a) for a in corpus] == [current(a) for a in loaded]
    assert _write([_feed(tmp_path)], tmp_path / "c", partition_size=3).facts == 0


def test_parquet_stats_leave_out_dates_beyond_the_horizon_as_the_store_does(tmp_path):
    # The last publication is 2011-03-05; 1 June 2031 is past the 30-day horizon (a contract's
    # end, a sidebar), named by two articles so that it would top the dates if it were counted.
    feed = tmp_path / "feed.jsonl"
    records = [
        ("2011-03-03", "Protests began on 3 March 2011. The lease runs until 1 June 2031."),
        ("2011-03-04", "The protests of 3 March 2011 spread. The lease runs until 1 June 2031."),
        ("2011-03-05", "Talks opened on 4 March 2011 after the protests of 3 March 2011."),
    ]
    feed.write_text("".join(json.dumps({"time": t, "text": x}) + "\n" for t, x in records), encoding="utf-8")
    _write([feed], tmp_path / "c")
    with Store(tmp_path / "s.db") as store, ParquetCorpus(tmp_path / "c") as corpus:
        store.add(read_articles(feed))
        store.annotate()
        expected = store.stats()
        assert date(2031, 6, 1) not in dict(expected.mentions_by_day)
        assert expected.top_dates[0] == (date(2011, 3, 3), 3)
        assert corpus.stats() == expected


def _plant_feed(tmp_path: Path, names: Sequence[str]) -> Path:
    """A JSONL feed of the ``names`` among four articles about a plant: one names a day of March 2009
    ("a-day"), one only that month ("a-month"), one only the year ("a-year"), one nothing in it ("none")."""
    records = {
        "a-day": ("2010-01-05", "The plant closed on March 3, 2009, after a fire."),
        "a-month": ("2010-01-06", "The plant closed in March 2009 after a fire."),
        "a-year": ("2010-01-07", "The plant closed in 2009 after a fire."),
        "none": ("2010-01-08", "The plant reopened on January 4, 2010, after repairs."),
    }
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        "".join(json.dumps({"id": n, "time": records[n][0], "text": records[n][1]}) + "\n" for n in names),
        encoding="utf-8",
    )
    return feed


def test_a_window_loads_the_annotations_of_articles_with_evidence_in_it_at_the_precision_asked(tmp_path):
    # The window is March 2009: the first article names a day of it, the second only its month,
    # the third only the year, the fourth nothing in it.
    _write([_plant_feed(tmp_path, ("a-day", "a-month", "a-year", "none"))], tmp_path / "c")
    query = Query.parse("plant")
    window = (date(2009, 3, 1), date(2009, 3, 31))

    def annotated(precision):
        with ParquetCorpus(tmp_path / "c") as corpus:
            selected = corpus.select_window(query, *window, precision=precision)
        assert [a.article.name for a in selected] == ["a-day", "a-month", "a-year", "none"]
        return [a.article.name for a in selected if a.mentions]

    assert annotated("day") == ["a-day"]
    assert annotated("any") == ["a-day", "a-month", "a-year"]
    with ParquetCorpus(tmp_path / "c") as corpus, pytest.raises(ValueError, match="precision must be one of"):
        corpus.select_window(query, *window, precision="week")


def test_a_window_gives_the_timeline_of_a_full_read_when_a_template_began_before_it(tmp_path):
    # The wire leads every story with the same line, first told on 20 February, before the window
    # (March 2009): inside it, the line repeats a template, and is no timeline line there.
    feed = tmp_path / "feed.jsonl"
    template = "The plant on the river is owned by the Acme company of Ohio."
    days = ["2009-02-20", "2009-02-21", "2009-02-22", "2009-03-05", "2009-03-06", "2009-03-07"]
    feed.write_text(
        "".join(
            json.dumps({"time": day, "source": "wire", "text": f"{template} Story {n} of the week."}) + "\n"
            for n, day in enumerate(days)
        ),
        encoding="utf-8",
    )
    _write([feed], tmp_path / "c")
    options = BuildOptions(query="plant", start=date(2009, 3, 1), end=date(2009, 3, 31))
    with ParquetCorpus(tmp_path / "c") as corpus, Store(tmp_path / "s.db") as store:
        store.add(read_articles(feed))
        store.annotate()
        full = get_builder().build(corpus.select(Query.parse("plant")), options)
        assert full.entries == ()  # every line in the window repeats the template
        windowed = corpus_timeline(corpus, options)
        assert windowed == corpus_timeline(store, options)
        assert windowed.entries == full.entries


def test_rerun_writes_nothing_and_a_killed_partition_is_redone(tmp_path):
    out, feed = tmp_path / "c", _feed(tmp_path)
    _write([feed], out, partition_size=3)
    again = _write([feed], out, partition_size=3)
    assert (again.written, again.skipped, again.articles, again.present) == (0, 0, 0, 8)
    assert (
        again.summary()
        == "0 partitions written; 0 articles (0 sentences, 0 date mentions) annotated; 8 already present"
    )
    # A run killed between renames leaves sentences and mentions without the articles file.
    version = Annotator().version
    lost = partitions(out, version)[1]
    partition_file(out, "articles", version, lost).unlink()
    with ParquetCorpus(out) as corpus:
        assert len(corpus) == 5  # the incomplete partition is invisible, not half there
        assert sum(1 for _ in corpus) == 5
        assert sum(n for _, n in corpus.stats().mentions_by_day) == sum(
            1 for a in corpus for m in a.mentions if m.precision and m.precision.value == "day"
        )
    redo = _write([feed], out, partition_size=3)
    assert (redo.written, redo.articles, redo.present) == (1, 3, 5)
    with ParquetCorpus(out) as corpus:
        assert list(corpus) == list(annotate_all(read_articles(feed)))
    assert not list(out.rglob(".tmp-*"))


def test_files_are_laid_out_for_reading_a_few_articles(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "c"
    _write([_feed(tmp_path)], out, partition_size=3)
    version = Annotator().version
    articles = pq.ParquetFile(partition_file(out, "articles", version, partitions(out, version)[0]))
    meta = articles.metadata
    # One row group, statistics only where readers filter (the text's made footers of 1 MB), a page index.
    assert meta.num_row_groups == 1 and meta.row_group(0).num_rows == 3
    with_stats = {
        meta.schema.column(i).name for i in range(meta.num_columns) if meta.row_group(0).column(i).is_stats_set
    }
    assert with_stats == {"ord", "pos", "published"}
    assert all(meta.row_group(0).column(i).has_offset_index for i in range(meta.num_columns))
    assert not (out / "sentences").exists()
    # Dictionaries only where values repeat: a dictionary page is read whole before any row of its column.
    part = partitions(out, version)[0]
    files = {
        "articles": partition_file(out, "articles", version, part),
        "terms": partition_file(out, "terms", version, part),
        "facts": facts_file(out, version, RULES, part),
    }

    def with_dictionary(path: Path) -> set[str]:
        chunks = pq.ParquetFile(path).metadata.row_group(0)
        return {
            chunks.column(i).path_in_schema for i in range(chunks.num_columns) if chunks.column(i).has_dictionary_page
        }

    assert {t: with_dictionary(f) for t, f in files.items()} == {
        "articles": {"ord", "published", "source", "origin", "annotator"},
        "terms": set(),
        "facts": set(),
    }


def test_a_corpus_of_another_layout_is_refused_with_what_to_do(tmp_path, run):
    out, feed = tmp_path / "c", _feed(tmp_path)
    _write([feed], out, partition_size=3)
    manifest = json.loads((out / "corpus.json").read_text())
    assert manifest["schema"] == SCHEMA
    (out / "corpus.json").write_text(json.dumps({**manifest, "schema": SCHEMA - 1}))
    with pytest.raises(SchemaError, match=f"schema {SCHEMA - 1}.*dateline annotate PATH... --out NEWDIR"):
        ParquetCorpus(out)
    with pytest.raises(SchemaError):
        _write([feed], out, partition_size=3)
    for args in (["build", str(out), "--query", "brazil"], ["annotate", str(feed), "--out", str(out)]):
        r = run(*args)
        assert r.exit_code != 0 and f"schema {SCHEMA - 1}" in r.output and "Traceback" not in r.output, r.output


def test_small_files_share_partitions_and_duplicates_across_paths_collapse(tmp_path):
    # Eight one-article files: a partition each made a build pay DuckDB's cost of a file eight times.
    result = _write([EXAMPLE, EXAMPLE / "01-2009-06-01-jet-goes-missing.txt"], tmp_path / "c", partition_size=100)
    assert result.written == 1 and result.articles == 8
    assert result.report.duplicates == 1 and result.report.read == 8
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert list(corpus) == list(annotate_all(read_articles(EXAMPLE)))
    assert _write([EXAMPLE], tmp_path / "d", partition_size=3).written == 3


def test_a_grown_feed_and_a_folder_with_a_file_added_get_their_new_articles_only(tmp_path):
    out, feed = tmp_path / "c", _feed(tmp_path)
    lines = feed.read_text(encoding="utf-8").splitlines(keepends=True)
    feed.write_text("".join(lines[:5]), encoding="utf-8")
    _write([feed], out, partition_size=3)
    feed.write_text("".join(lines), encoding="utf-8")  # the feed grew by three articles
    grown = _write([feed], out, partition_size=3)
    assert (grown.written, grown.articles, grown.present) == (1, 3, 5)
    expected = list(annotate_all(read_articles(feed)))
    with ParquetCorpus(out) as corpus:
        got = list(corpus)
    assert len(got) == len({a.article.id for a in got}) == 8  # each article once (it was in twice before)
    assert got == expected  # and in the feed's order: the new partition sorts after the first records
    # A folder: a file added between two others is written alone, the others are left as they were.
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("01-2009-06-01-jet-goes-missing.txt", "03-2009-06-02-wreckage-confirmed.txt"):
        (folder / name).write_bytes((EXAMPLE / name).read_bytes())
    _write([folder], tmp_path / "f")
    added_file = "02-2009-06-02-wreckage-found.txt"
    (folder / added_file).write_bytes((EXAMPLE / added_file).read_bytes())
    added = _write([folder], tmp_path / "f")
    assert (added.written, added.articles, added.present) == (1, 1, 2)
    with ParquetCorpus(tmp_path / "f") as corpus:
        assert sorted(a.article.id for a in corpus) == sorted(a.id for a in read_articles(folder))
    assert present_ids(tmp_path / "f", Annotator().version) == {a.id for a in read_articles(folder)}


def test_a_corpus_holding_an_article_twice_says_so(tmp_path):
    # As the writer before f334bc3 left a grown feed: its first articles in two partitions.
    out, feed = tmp_path / "c", _feed(tmp_path)
    _write([feed], out, partition_size=3)
    version = Annotator().version
    _write([feed], tmp_path / "other", partition_size=8)
    (copy,) = partitions(tmp_path / "other", version)
    for table in ("mentions", "terms", "articles"):
        partition_file(out, table, version, copy).write_bytes(
            partition_file(tmp_path / "other", table, version, copy).read_bytes()
        )
    again = _write([feed], out, partition_size=3)
    assert (again.written, again.present, again.twice) == (0, 8, 8)
    assert again.summary().endswith(
        "; the corpus holds 8 articles twice, written so by an older Dateline"
        " (annotate the input into a new folder to drop the copies)"
    )
    assert _write([feed], tmp_path / "other", partition_size=8).twice == 0


def test_partitions_cut_the_new_articles_in_input_order(tmp_path):
    articles = list(read_articles(_feed(tmp_path)))
    present = {articles[1].id, articles[2].id, articles[6].id}
    parts = list(partition(articles, tmp_path, "v", size=2, prefix="0000.", present=present))
    assert [[a.id for a in p.articles] for p in parts] == [
        [articles[0].id, articles[3].id],
        [articles[4].id, articles[5].id],
        [articles[7].id],
    ]
    # Each sorts where its first article is in the input, the articles already present counted.
    assert [p.order for p in parts] == ["0000.0000000.000000000", "0000.0000000.000000004", "0000.0000000.000000007"]
    assert sorted(p.order for p in parts) == [p.order for p in parts]
    assert len({p.id for p in parts}) == 3 and all(p.version == "v" for p in parts)
    assert list(partition(articles, tmp_path, "v", present={a.id for a in articles})) == []


def _bad_jsonl(tmp_path: Path) -> Path:
    good = '{"id": "a", "time": "2020-01-02", "text": "The bridge closed on Monday. It reopened on Friday."}'
    path = tmp_path / "feed.jsonl"
    path.write_text(
        good + "\n" + '{"id": "b", "text": "no date"}\n' + good.replace('"a"', '"c"').replace("bridge", "road") + "\n"
    )
    return path


def test_bad_input_fails_or_is_counted_as_locally(tmp_path, run):
    feed = _bad_jsonl(tmp_path)
    local = run(*["annotate", str(feed)])
    columnar = run(*["annotate", str(feed), "--out", str(tmp_path / "c")])
    assert local.exit_code != 0 and columnar.exit_code != 0
    assert "Traceback" not in columnar.output
    # The same error as locally, each followed on its one line by its own hint.
    with pytest.raises(IngestError) as raised:
        list(read_articles(feed))
    assert f"{feed}:2:" in str(raised.value)
    for result in (local, columnar):
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"Error: {raised.value} (")
    skip = run(*["annotate", str(feed), "--out", str(tmp_path / "c"), "--on-error", "skip"])
    assert skip.exit_code == 0, skip.output
    assert "read 2 articles, skipped 1" in skip.output
    report = IngestReport()
    result = write_columnar([feed], tmp_path / "d", LocalEngine(1), on_error="skip", report=report)
    assert result.articles == 2 and len(report.skipped) == 1 and report.skipped[0].line == 2


def test_annotate_out_reports_its_partitions_as_they_are_done(tmp_path, run, monkeypatch):
    import dateline.columnar.write as write
    from dateline import progress

    seen = []

    def recording(items, desc, **kw):
        for item in progress.report(items, desc, **kw):
            seen.append((desc, kw.get("unit"), item.id))
            yield item

    monkeypatch.setattr(write, "report_progress", recording)
    _write([_feed(tmp_path)], tmp_path / "quiet", partition_size=3)
    assert seen == []  # a library call reports nothing unless asked
    out = tmp_path / "c"
    result = run("annotate", _feed(tmp_path), "--out", out, "--partition-size", "3")
    assert result.exit_code == 0, result.output
    assert [(d, u) for d, u, _ in seen] == [(f"annotating into {out}", "partition")] * 3
    assert sorted(i for _, _, i in seen) == partitions(out, Annotator().version)


def test_cli_needs_out_for_several_paths(tmp_path, run):
    r = run(*["annotate", str(EXAMPLE), str(EXAMPLE), "--engine", "dask"])
    assert r.exit_code != 0 and "--out" in r.output


def test_a_worker_with_other_timeline_rules_refuses_to_write_their_facts(tmp_path):
    from dateline.columnar.write import FactsTask, Partition, annotate_partition, facts_partition

    article = next(iter(read_articles(EXAMPLE)))
    task = Partition("p", "0", str(tmp_path), Annotator().version, (article,), rules="other")
    with pytest.raises(RuntimeError, match=r"timeline rules are .* the client's other"):
        annotate_partition(task)
    with pytest.raises(RuntimeError, match="install the same Dateline version"):
        facts_partition(FactsTask(str(tmp_path), Annotator().version, "p", rules="other"))


def test_get_engine_names():
    assert get_engine("local", processes=2).workers == 2
    with pytest.raises(ValueError):
        get_engine("spark")
    with pytest.raises(ValueError):
        get_engine("local", scheduler="tcp://127.0.0.1:1")


@pytest.fixture(scope="module")
def mj_pair(tmp_path_factory):
    """A T17 topic as a store and as a columnar corpus of the same articles."""
    topic = shared_path("data", "t17", "mj")
    root = tmp_path_factory.mktemp("mj")
    store = Store(root / "mj.db")
    store.add(read_articles(topic, on_error="skip"))
    store.annotate(processes=2)
    write_columnar([topic], root / "c", LocalEngine(2), on_error="skip", partition_size=25)
    corpus = ParquetCorpus(root / "c")
    yield store, corpus
    store.close()
    corpus.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        BuildOptions(),
        BuildOptions(query="murray propofol"),
        BuildOptions(query="jackson", dates=8, sentences=1),
        BuildOptions(query="murray", start=date(2010, 1, 1), end=date(2010, 6, 30)),
        BuildOptions(start=date(2011, 9, 1), end=date(2011, 11, 30), dates=5),
        BuildOptions(query="jackson", start=date(2009, 7, 1), end=date(2010, 3, 31), precision="any"),
    ],
)
def test_parquet_timeline_equals_store_timeline(mj_pair, options):
    store, corpus = mj_pair
    assert corpus_timeline(corpus, options).to_dict() == corpus_timeline(store, options).to_dict()


@pytest.mark.slow
def test_parquet_corpus_answers_like_the_store(mj_pair):
    store, corpus = mj_pair
    assert len(corpus) == len(store)
    assert corpus.stats() == store.stats()
    query = Query.parse("propofol")
    assert query is not None
    assert corpus.search(query, limit=7) == store.search(query, limit=7)
    assert [a.article.id for a in corpus.select(query)] == [a.article.id for a in store.select(query)]
    day = corpus.stats().top_dates[0][0]
    assert corpus.sentences_on(day) == store.sentences_on(day)


@pytest.mark.slow
def test_cli_build_and_serve_open_a_parquet_corpus(mj_pair, run):
    store, corpus = mj_pair
    args = ["--query", "murray", "--from", "2010-01-01", "--to", "2011-12-31", "--format", "json"]
    on_store = run(*["build", str(store.path), *args])
    on_parquet = run(*["build", str(corpus.path), *args])
    assert on_parquet.exit_code == 0, on_parquet.output
    assert on_parquet.stdout == on_store.stdout

    from dateline.web.load import load_corpus

    served = load_corpus(corpus.path)
    assert isinstance(served, ParquetCorpus) and len(served) == len(store)


@pytest.mark.parametrize(
    "terms", [["air france"], ["BRAZIL", "wreck"], ["a.f."], ["-"], ["'s"], ["zzzz"], ["Airbus A330"]]
)
def test_term_lookup_selects_what_the_text_matches(tmp_path, terms):
    feed = _feed(tmp_path)
    _write([feed], tmp_path / "c", partition_size=3)
    query = Query.parse(terms)
    assert query is not None
    expected = [a for a in annotate_all(read_articles(feed)) if query.matches(a.article.text)]
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert corpus.select(query) == expected


def test_replicated_corpus_moves_dates_by_whole_weeks(tmp_path):
    from dateline.columnar.synthetic import replicate, synthetic_articles

    base = list(read_articles(EXAMPLE))
    made = list(synthetic_articles(base, 20))
    assert len({a.id for a in made}) == 20
    assert all(
        (b.published - a.published).days == 14 and a.published.weekday() == b.published.weekday()
        for a, b in zip(made, made[16:])
    )
    _write([_feed(tmp_path)], tmp_path / "c", partition_size=3)
    with ParquetCorpus(tmp_path / "c") as corpus:
        version, original = corpus.version, list(corpus)
    assert replicate(tmp_path / "c", tmp_path / "r", version, 19) == 7  # 3 partitions x 2 copies + 1 cut short
    with ParquetCorpus(tmp_path / "r") as big:
        copies = list(big)
    assert len(copies) == len({a.article.id for a in copies}) == 19
    for a, b in zip(original, copies[8:16]):
        assert b.article.text == a.article.text and b.article.id != a.article.id
        assert (b.article.published - a.article.published).days == 7
        assert [m.date and (m.date - d).days for m, d in zip(b.mentions, [m.date for m in a.mentions])] == [
            7 if m.date else None for m in a.mentions
        ]
    assert all(current(a) == article_facts(a) for a in copies)  # the facts are copied with the text


@pytest.mark.slow
def test_the_web_api_serves_a_parquet_corpus_as_a_store(mj_pair):
    import asyncio

    import httpx

    from dateline.web import create_app

    store, corpus = mj_pair

    def get(app, url: str) -> dict:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
                return await client.get(url)

        response = asyncio.run(go())
        assert response.status_code == 200, response.text
        return response.json()

    on_store, on_parquet = create_app(store), create_app(corpus)
    for url in ["/api/timeline?query=murray&dates=5", "/api/search?q=propofol", "/api/corpus"]:
        assert get(on_parquet, url) == get(on_store, url)


def test_serve_command_serves_a_parquet_corpus_and_says_which_file_options_it_ignores(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from dateline.web.command import serve
    from test_web_api import Client, fake_run

    _write([_feed(tmp_path)], tmp_path / "c")
    calls = fake_run(monkeypatch)
    result = CliRunner().invoke(serve, [str(tmp_path / "c"), "--no-cache", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert f"warning: --no-cache does not apply to the columnar corpus {tmp_path / 'c'}" in result.stderr
    assert "serving 8 articles" in result.stderr
    app = calls[0][0]
    try:
        # Timelines are built in processes of their own, which open the corpus by path.
        body = Client(app).get("/api/timeline?dates=3").json()
    finally:
        # What the app's shutdown does, which the replaced server loop never reaches.
        app.state.builds.shutdown()
        app.state.live.close()
    assert body["ok"] and len(body["timeline"]["entries"]) == 3


def test_serve_command_on_an_empty_parquet_corpus_is_one_line(tmp_path):
    from click.testing import CliRunner

    from dateline.web.command import serve

    _write([_feed(tmp_path)], tmp_path / "c")
    for part in (tmp_path / "c" / "articles").rglob("*.parquet"):
        part.unlink()  # a partition without its articles file is incomplete: none is left to serve
    result = CliRunner().invoke(serve, [str(tmp_path / "c"), "--port", "0"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert f"{tmp_path / 'c'} holds no articles annotated by this Dateline's annotator" in error


def test_a_served_parquet_corpus_is_closed_with_the_server(tmp_path):
    import duckdb

    from dateline.timeline import Query
    from dateline.web.load import live_corpus

    _write([_feed(tmp_path)], tmp_path / "c")
    live = live_corpus(tmp_path / "c")
    _, corpus = live.current()
    assert len(corpus.select(Query.parse("flight"))) > 0
    live.close()  # what the app's shutdown does: the DuckDB connection `serve` opened goes with it
    with pytest.raises(duckdb.ConnectionException):
        corpus.select(Query.parse("flight"))


def test_articles_loaded_once_are_remembered_with_or_without_their_mentions(tmp_path, monkeypatch):
    # A server builds timeline after timeline from one corpus: an article is read from Parquet
    # once, then remembered, and a window's articles without mentions are never served whole.
    from dateline.columnar import corpus as corpus_module

    _write([_plant_feed(tmp_path, ("a-day", "a-month", "none"))], tmp_path / "c")
    plant, reopened = Query.parse("plant"), Query.parse("reopened")
    window = (date(2009, 3, 1), date(2009, 3, 31))
    with ParquetCorpus(tmp_path / "c") as fresh:
        expect_window = fresh.select_window(plant, *window)
        expect_all = fresh.select(plant)
        expect_reopened = fresh.select(reopened)
    assert [a.article.name for a in expect_window if a.mentions] == ["a-day"]
    assert all(a.mentions for a in expect_all)

    read = batch_sizes(monkeypatch, ParquetCorpus, "_fetch")
    with ParquetCorpus(tmp_path / "c") as corpus:
        assert corpus.select_window(plant, *window) == expect_window and read == [3]
        assert corpus.select(plant) == expect_all and read == [3, 2]  # the two read without mentions
        assert corpus.select_window(plant, *window) == expect_window and read == [3, 2]  # mentions left out again
        assert corpus.select(reopened) == expect_reopened and read == [3, 2]  # confirmed on remembered text
        monkeypatch.setattr(corpus_module, "REMEMBERED_ARTICLES", 2)
        corpus._remembered.clear()
        assert corpus.select(plant) == expect_all and len(corpus._remembered) == 2
        corpus.close()
        assert not corpus._remembered
