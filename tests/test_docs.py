"""Docs that tests keep from drifting: every command, option group and format is documented."""

import re

import pytest

from conftest import REPO
from dateline.cli import cli
from dateline.export import EXPORTERS
from dateline.ingest import FORMATS

README = (REPO / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        yield prefix + name
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + name + " ")


@pytest.mark.parametrize("command", sorted(_commands(cli)))
def test_every_command_is_in_the_readme(command):
    assert f"dateline {command}" in README


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_export_format_is_in_the_readme(fmt):
    assert re.search(rf"`{fmt}`", README), f"format {fmt} is not documented in README.md"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_input_format_is_in_the_readme(fmt):
    assert re.search(rf"`{fmt}`", README), f"input format {fmt} is not documented in README.md"


def test_readme_two_commands_match_ci():
    assert "make demo" in README and "make test" in README
    assert (REPO / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"


def test_json_schema_doc_lists_every_key():
    doc = (REPO / "docs" / "json-schema.md").read_text(encoding="utf-8")
    from datetime import date

    from dateline.model import Precision, SentenceRef, TimelineEntry

    entry = TimelineEntry(date(2020, 1, 1), Precision.DAY, (SentenceRef("t", "a", 0, 0, 1, date(2020, 1, 1)),))
    missing = [f"entries[].{k}" for k in entry.to_dict() if f"`entries[].{k}`" not in doc]
    missing += [f"sentences[].{k}" for k in entry.sentences[0].to_dict() if f"`sentences[].{k}`" not in doc]
    assert not missing, f"undocumented keys in docs/json-schema.md: {missing}"


def test_readme_demo_sample_is_real_output(tmp_path, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path))
    block = README.split("<!-- demo-output -->")[1].split("<!-- /demo-output -->")[0]
    sample = [line for line in block.splitlines() if line.strip() and not line.startswith(("```", "(..."))]
    result = CliRunner().invoke(cli, ["build", str(REPO / "examples" / "af447")])
    assert result.exit_code == 0
    output = result.stdout.splitlines()
    missing = [line for line in sample if line not in output]
    assert not missing, f"README demo lines not in `dateline build examples/af447` output: {missing}"


def test_paths_named_in_the_readme_exist():
    """Every `src/...`, `tests/...` or `docs/...` path the README names is in the tree."""
    paths = set(re.findall(r"`((?:src|tests|docs|benchmarks)/[\w./-]+)`", README))
    assert paths, "the README names no paths"
    missing = sorted(p for p in paths if not (REPO / p).exists())
    assert not missing, f"README names paths that do not exist: {missing}"


def test_modules_named_in_the_readme_exist():
    """Every `dateline.x.y` module the README names can be imported."""
    import importlib

    names = set(re.findall(r"`(dateline(?:\.\w+)+)`", README))
    assert "dateline.timeline" in names
    missing = []
    for name in sorted(names):
        try:
            importlib.import_module(name)
        except ImportError:
            module, _, attr = name.rpartition(".")
            if not hasattr(importlib.import_module(module), attr):
                missing.append(name)
    assert not missing, f"README names modules that do not exist: {missing}"


def test_license_is_declared():
    assert (REPO / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    assert 'license = "Apache-2.0"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert "Apache License 2.0" in README
