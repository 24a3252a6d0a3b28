"""The store commands end to end: dateline ingest, dateline stats, dateline build STORE."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import DATA, REPO
from dateline.store import Store

EXAMPLE = REPO / "examples" / "af447"


def test_ingest_is_idempotent_across_several_paths(run, tmp_path):
    db = tmp_path / "story.db"
    result = run("ingest", db, DATA / "ingest" / "articles.jsonl", DATA / "ingest" / "duplicates.jsonl")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "added 7, already present 0"
    assert "read 7 articles, 1 duplicate collapsed" in result.stderr
    again = run("ingest", db, DATA / "ingest" / "articles.jsonl")
    assert again.stdout.strip() == "added 0, already present 4"


def test_built_from_a_store_equals_built_from_files(run, tmp_path):
    db = tmp_path / "story.db"
    assert run("ingest", db, EXAMPLE).exit_code == 0
    for args in ([], ["--query", "wreckage debris"], ["--dates", "3", "--from", "2009-06-02"]):
        from_store = run("build", db, "--format", "json", *args)
        from_files = run("build", EXAMPLE, "--format", "json", *args)
        assert from_store.exit_code == 0, from_store.output
        assert json.loads(from_store.stdout)["entries"] == json.loads(from_files.stdout)["entries"]


def test_build_annotates_only_what_ingest_added(run, tmp_path):
    db = tmp_path / "story.db"
    run("ingest", db, EXAMPLE)
    assert run("build", db).exit_code == 0
    run("ingest", db, DATA / "ingest" / "articles.jsonl")
    with Store(db) as store:
        assert (store.status().annotated, store.pending()) == (8, 4)
    assert run("build", db, "--dates", "2").exit_code == 0
    with Store(db) as store:
        assert (store.status().annotated, store.pending()) == (12, 0)


def test_build_from_a_store_says_which_file_options_it_ignores(run, tmp_path):
    db = tmp_path / "story.db"
    run("ingest", db, EXAMPLE)
    plain = run("build", db, "--dates", "2")
    assert plain.exit_code == 0 and "warning" not in plain.stderr
    flagged = run("build", db, "--dates", "2", "--no-cache", "--input-format", "jsonl", "--cache-dir", tmp_path / "c")
    assert flagged.exit_code == 0, flagged.output
    assert f"warning: --input-format, --cache-dir, --no-cache do not apply to the store {db}" in flagged.stderr
    assert flagged.stdout == plain.stdout
    assert not (tmp_path / "c").exists()


def test_stats_text_and_json(run, tmp_path):
    db = tmp_path / "story.db"
    run("ingest", db, EXAMPLE)
    text = run("stats", db).stdout
    assert "articles     8 (no source names)" in text
    assert "0 by " in text and "8 pending" in text and f"dateline build {db}" in text
    run("build", db)
    data = json.loads(run("stats", db, "--json").stdout)
    assert (data["articles"], data["annotated"], data["pending"], data["schema_version"]) == (8, 8, 0, 3)
    assert (data["failed"], data["failures"]) == (0, [])
    assert data["first_published"] == "2009-06-01"
    assert data["corpus"]["top_dates"][0] == ["2009-06-01", 6]
    run("ingest", db, DATA / "ingest" / "articles.jsonl")
    assert "articles     12 from 1 source\n" in run("stats", db).stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["ingest", "{db}", "{bad}"], "bad.jsonl:2: bad JSON"),
        (["ingest", "{bad}", "{example}"], "is not a Dateline store"),
        (["stats", "{bad}"], "is not a Dateline store"),
        (["build", "{empty}"], "holds no articles"),
    ],
)
def test_expected_failures_are_one_line_errors(run, tmp_path, args, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "1", "time": "2011-02-01", "text": "Fine article."}\n{not json\n')
    Store(tmp_path / "empty.db").close()
    paths = {"db": tmp_path / "story.db", "bad": bad, "example": EXAMPLE, "empty": tmp_path / "empty.db"}
    result = run(*[a.format(**paths) for a in args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_bad_record_keeps_what_came_before_and_skip_adds_the_rest(run, tmp_path):
    bad, db = tmp_path / "bad.jsonl", tmp_path / "story.db"
    bad.write_text(
        '{"id": "1", "time": "2011-02-01", "text": "Fine article."}\n{not json\n'
        '{"id": "3", "time": "2011-02-02", "text": "Another fine article."}\n'
    )
    failed = run("ingest", db, bad)
    assert "1 article read before it was added" in failed.output and "--on-error skip" in failed.output
    skipped = run("ingest", db, bad, "--on-error", "skip")
    assert skipped.exit_code == 0
    assert "skipped 1 (1 bad JSON)" in skipped.stderr
    assert skipped.stdout.strip() == "added 1, already present 1"


@pytest.mark.parametrize("command", ["ingest", "stats"])
def test_help_has_examples(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"dateline {command} story.db" in result.output


@pytest.mark.parametrize(
    "fmt, expected", [("markdown", "# AF447: the search"), ("html", "<title>AF447: the search</title>")]
)
def test_build_title_sets_the_heading(run, tmp_path, fmt, expected):
    db = tmp_path / "story.db"
    run("ingest", db, EXAMPLE)
    for path in (db, EXAMPLE):
        result = run("build", path, "--dates", "2", "--format", fmt, "--title", "AF447: the search")
        assert result.exit_code == 0, result.output
        assert expected in result.stdout and "Timeline</" not in result.stdout
        assert "# Timeline\n" not in result.stdout


def test_an_article_that_cannot_be_annotated_is_reported_and_the_rest_build(run, tmp_path, monkeypatch):
    from dateline.annotate import Annotator

    annotate = Annotator.annotate

    def failing(self, article):
        if "POISON" in article.text:
            raise OverflowError("date value out of range")
        return annotate(self, article)

    monkeypatch.setattr(Annotator, "annotate", failing)
    db, poison = tmp_path / "story.db", tmp_path / "poison.jsonl"
    poison.write_text(
        json.dumps({"id": "bad", "time": "2011-03-01", "text": "POISON in 99999999 days from now."}) + "\n"
    )
    run("ingest", db, EXAMPLE, poison)
    for _ in range(2):  # the first build marks it failed; later builds skip it
        built = run("build", db, "--dates", "2")
        assert built.exit_code == 0, built.output
        assert "## 2009-06-01" in built.stdout
        assert f"warning: 1 article of {db} could not be annotated and is left out" in built.stderr
    text = run("stats", db).stdout
    assert "annotated    8 by " in text and "0 pending" in text
    assert "failed       1 could not be annotated, skipped by builds:" in text
    assert f"{poison}:1: OverflowError: date value out of range" in text
    data = json.loads(run("stats", db, "--json").stdout)
    assert (data["annotated"], data["failed"], data["pending"]) == (8, 1, 0)
    assert data["failures"][0]["reason"] == "OverflowError: date value out of range"
    assert data["failures"][0]["name"] == "bad"


def test_reingest_with_a_corrected_date_says_so_and_rebuilds_under_it(run, tmp_path):
    db, before, after = tmp_path / "story.db", tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    text = "Rebels took the port yesterday, a spokesman said on Tuesday."
    before.write_text(json.dumps({"id": "w1", "time": "2011-02-28", "text": text}) + "\n")
    after.write_text(json.dumps({"id": "w1", "time": "2011-06-15", "text": text}) + "\n")
    run("ingest", db, before)
    assert "## 2011-02-27" in run("build", db).stdout
    again = run("ingest", db, after)
    assert again.stdout.strip() == "added 0, already present 1, dates corrected 1"
    rebuilt = run("build", db).stdout
    assert "## 2011-06-14" in rebuilt and "2011-02-27" not in rebuilt


def test_serving_a_store_with_an_article_that_cannot_be_annotated_serves_the_rest(tmp_path, monkeypatch):
    from dateline.annotate import Annotator
    from dateline.ingest import read_articles
    from dateline.model import Article
    from dateline.web.load import load_corpus

    annotate = Annotator.annotate

    def failing(self, article):
        if "POISON" in article.text:
            raise OverflowError("date value out of range")
        return annotate(self, article)

    monkeypatch.setattr(Annotator, "annotate", failing)
    db = tmp_path / "story.db"
    with Store(db) as store:
        store.add(read_articles(EXAMPLE))
        store.add([Article.create("POISON on 9999-12-31.", date(2011, 3, 1))])
    for _ in range(2):
        corpus = load_corpus(db)
        assert len(corpus) == 8 and corpus.status().failed == 1
        corpus.close()
