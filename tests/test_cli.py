"""The CLI end to end on tiny inputs: the seeds, bad input, every output format."""

import json

import pytest
from click.testing import CliRunner

from conftest import REPO, shared_path
from dateline.cli import cli
from dateline.export import EXPORTERS


def test_seeds_timeline_cites_each_event(run):
    result = run("build", shared_path("seeds"), "--format", "json")
    assert result.exit_code == 0, result.output
    timeline = json.loads(result.stdout)
    by_date = {e["date"]: e for e in timeline["entries"]}
    expected = {
        "2019-11-24": ("004_998827260db387d9", "Haftar"),
        "2019-11-25": ("004_998827260db387d9", "no-fly"),
        "2020-01-16": ("000_028eee75ba93bdb3", "State Department"),
    }
    for day, (article, words) in expected.items():
        assert day in by_date, f"{day} missing from {sorted(by_date)}"
        refs = by_date[day]["sentences"]
        assert any(r["article_name"] == article and words in r["text"] for r in refs), refs


def test_markdown_is_the_default(run):
    result = run("build", shared_path("seeds"))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Timeline")
    assert "## 2019-11-24" in result.stdout


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_format_builds(run, fmt, tmp_path):
    out = tmp_path / f"timeline.{fmt}"
    result = run("build", shared_path("seeds"), "--format", fmt, "-o", out, "--dates", "3", "--sentences", "1")
    assert result.exit_code == 0, result.output
    assert "2019-11-24" in out.read_text(encoding="utf-8")


def test_annotate_prints_resolved_dates(run):
    result = run("annotate", shared_path("seeds"))
    assert result.exit_code == 0
    assert "'November 24'" in result.stdout and "-> 2019-11-24 (day)" in result.stdout
    assert "'January 16'" in result.stdout and "-> 2020-01-16 (day)" in result.stdout


def test_second_build_reuses_the_cache(run, tmp_path):
    assert run("build", shared_path("seeds")).exit_code == 0
    cached = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(cached) == 2
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert run("build", shared_path("seeds"), "--query", "Haftar").exit_code == 0
    assert [p.stat().st_mtime_ns for p in cached] == stamps


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["build", "{bad}"], id="build"),
        pytest.param(["annotate", "{bad}"], id="annotate"),
        pytest.param(["ingest", "{db}", "{bad}"], id="ingest"),
        pytest.param(["annotate", "{bad}", "--out", "{out}"], id="annotate --out"),
    ],
)
def test_bad_input_is_one_line_naming_file_and_line(run, tmp_path, command):
    # The project's rule for bad input: one line, naming the file and line; its hint goes on that line.
    if "--out" in command:
        pytest.importorskip("pyarrow", reason="the scale extra is not installed: pip install 'dateline[scale]'")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "1", "time": "2011-02-01", "text": "Fine article."}\n{"id": "2", "time": "yesterday", "text": "x"}\n'
    )
    paths = {"bad": bad, "db": tmp_path / "story.db", "out": tmp_path / "corpus"}
    result = run(*[a.format(**paths) for a in command])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {bad}:2: ") and "--on-error skip" in line


def test_skip_reports_counts(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "1", "time": "2011-02-01", "text": "Rebels took the town on Monday after fierce fighting in the streets."}\n'
        "{not json\n"
    )
    result = run("build", bad, "--on-error", "skip")
    assert result.exit_code == 0, result.output
    assert "skipped 1" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2020-13-01"], "is not a date"),
        (["--dates", "0"], "0 is not in the range"),
        (["--from", "2020-02-01", "--to", "2020-01-01"], "after it ends"),
        (["--method", "nope"], "Invalid value for '--method'"),
    ],
)
def test_bad_options(run, args, message):
    result = CliRunner().invoke(cli, ["build", str(shared_path("seeds")), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_help_teaches_with_examples(run):
    for command in (["--help"], ["build", "--help"], ["annotate", "--help"], ["eval", "--help"]):
        result = run(*command)
        assert result.exit_code == 0
        assert "dateline" in result.output


def test_bundled_example_builds(run):
    result = run("build", REPO / "examples" / "af447", "--format", "json")
    assert result.exit_code == 0, result.output
    timeline = json.loads(result.stdout)
    assert timeline["entries"]
    assert "2009-06-01" in {e["date"] for e in timeline["entries"]}


def test_eval_tls_runs_on_a_tiny_dataset(run, tmp_path):
    pytest.importorskip("tilse")
    out, js = tmp_path / "tls.md", tmp_path / "tls.json"
    result = run(
        "eval", "tls", REPO / "tests" / "data" / "tls" / "dataset", "--rouge", "reimpl", "-o", out, "--json", js
    )
    assert result.exit_code == 0, result.output
    assert "align" in out.read_text(encoding="utf-8")
    assert json.loads(js.read_text(encoding="utf-8"))


def test_eval_dates_runs_our_tagger(run, tmp_path):
    out = tmp_path / "dates.md"
    result = run("eval", "dates", REPO / "tests" / "data" / "timeml", "--tagger", "rules", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "| rules |" in text and "value F1" in text
    assert "\r" not in result.stderr and "doc/s" not in result.stderr  # no bar off a terminal
