"""The malformed-input corpus (tests/malformed_corpus.py) through build and ingest, failing and skipping.

The invariant, per case and mode: exit 0 with every input record read,
collapsed as a duplicate or counted as skipped (and every file not read
named as ignored), or exit != 0 with one error line naming the file (and
the line where there is one). Never a traceback, never a hang (each run is
bounded by an alarm), never a record unaccounted for.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dateline.cli import cli
from dateline.ingest import IngestError, IngestReport, limits, read_articles
from dateline.ingest.files import shown
from malformed_corpus import RECORD_LIMIT, Case, all_cases

CASES = all_cases()
MODES = [("build", False), ("build", True), ("ingest", False), ("ingest", True)]
BOUND = 60  # seconds one run may take before it counts as a hang
_SUMMARY = re.compile(
    r"^read (\d+) articles?(?:, skipped (\d+) \([^)]*\))?(?:, (\d+) duplicates? collapsed)?(?:; ignored (\d+) files?: .*)?$",
    re.M,
)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 250


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (a hang fails the case, never the suite)."""

    def hang(signum, frame):
        raise TimeoutError(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _args(command: str, skip: bool, path: Path, store: Path) -> list[str]:
    if command == "build":
        args = ["build", str(path), "--no-cache", "-j", "1", "--format", "json"]
    else:
        args = ["ingest", str(store), str(path)]
    return args + (["--on-error", "skip"] if skip else [])


def _check(case: Case, command: str, skip: bool, folder: Path, path: Path, result: Result) -> None:
    where = f"{case.name} [{command}{' --on-error skip' if skip else ''}]"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where}: crashed with {result.exception!r}\n{result.output}"
    )
    assert "Traceback" not in result.output, f"{where}: traceback\n{result.output}"
    expect_failure = case.empty or (not skip and case.fatal) or (command == "build" and not case.usable)
    assert (result.exit_code != 0) == expect_failure, f"{where}: exit {result.exit_code}\n{result.output}"
    summary = _SUMMARY.search(result.stderr)
    if result.exit_code == 0 or summary:
        assert summary, f"{where}: no report line\n{result.stderr}"
        read, skipped, duplicates, ignored = (int(g or 0) for g in summary.groups())
        accounted = read + skipped + duplicates
        if case.exact:
            assert accounted == case.records, (
                f"{where}: {accounted} of {case.records} records accounted for\n{result.stderr}"
            )
        else:
            assert accounted >= 1, f"{where}: a broken stream left no trace\n{result.stderr}"
        assert ignored == case.ignored, (
            f"{where}: {ignored} files named as ignored, not {case.ignored}\n{result.stderr}"
        )
        if command == "ingest" and result.exit_code == 0:
            added, present = map(int, re.search(r"added (\d+), already present (\d+)", result.stdout).groups())
            assert added + present == read, f"{where}: read {read}, stored {added + present}"
    if result.exit_code != 0:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, f"{where}: expected one error line\n{result.stderr}"
        # Nothing after it either: a hint on a line of its own once followed the error.
        assert result.stderr.splitlines()[-1] == errors[0], f"{where}: a line after the error\n{result.stderr}"
        record_error = not skip and case.fatal and not case.empty
        target = folder / case.bad if record_error and case.bad else path
        named = shown(target) + (f":{case.line}:" if record_error and case.line else "")
        assert named in errors[0], f"{where}: the error does not name {named}\n{errors[0]}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input_is_read_or_named(case, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", RECORD_LIMIT)
    folder = tmp_path / "in"
    folder.mkdir()
    path = case.make(folder)
    runner = CliRunner()
    for command, skip in MODES:
        store = tmp_path / f"store-{int(skip)}.db"
        with deadline(BOUND):
            result = runner.invoke(cli, _args(command, skip, path, store))
        _check(case, command, skip, folder, path, result)


def _fifo_corpus(root: Path) -> list[tuple[str, Path]]:
    (root / "folder").mkdir()
    (root / "folder" / "good.txt").write_text(" date 2020-01-16 A good seed about Monday.", encoding="utf-8")
    os.mkfifo(root / "folder" / "x.jsonl")
    os.mkfifo(root / "alone.jsonl")
    os.symlink("/dev/zero", root / "folder" / "zero.txt")
    return [("folder", root / "folder"), ("alone", root / "alone.jsonl")]


def test_fifo_and_dev_zero_never_block_the_real_command(tmp_path):
    # A real process each, so that a blocking open() would show as a timeout rather than hang pytest.
    # A FIFO named on the command line once hung `build` in is_store's check, before any reader saw it.
    dateline = [sys.executable, "-m", "dateline.cli"]
    runs = []
    for label, path in _fifo_corpus(tmp_path):
        for command, skip in MODES:
            args = _args(command, skip, path, tmp_path / f"{label}-{command}-{int(skip)}.db")
            runs.append(
                (label, args, subprocess.Popen(dateline + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
            )
    try:
        for label, args, proc in runs:
            _check_fifo_run(label, args, proc)
    finally:
        for _, _, proc in runs:  # a failure (or a hang) must not leave the others blocked forever
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _check_fifo_run(label: str, args: list[str], proc: subprocess.Popen[bytes]) -> None:
    try:
        _out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"hang: {' '.join(args)}")
    text = err.decode()
    assert "Traceback" not in text, text
    skip = "skip" in args
    if skip and (label == "folder" or args[0] == "ingest"):
        # Skipped and counted; a store may well be left empty, a build has nothing to build.
        assert proc.returncode == 0, text
        assert ("skipped 2 (2 not a regular file)" if label == "folder" else "skipped 1 (1 not a regular file)") in text
    elif skip:
        assert proc.returncode != 0, text
        assert "skipped 1 (1 not a regular file)" in text and "Error: no usable articles" in text, text
    else:
        assert proc.returncode != 0, text
        assert "Error: " in text and "not a regular file (a FIFO (named pipe))" in text, text


# Kinds no generated file can reach, and the test that covers each instead.
COVERED_ELSEWHERE = {
    "mixed formats": "detect_format only; test_ingest.py::test_detect_format_says_why_it_cannot_tell",
    "bad HTML": "trafilatura's own failure; test_ingest.py::test_an_extraction_failure_is_one_line",
}


def _kinds_the_readers_know() -> set[str]:
    """Every ``kind`` an IngestError is given in dateline.ingest, read from the source (a new kind needs a case)."""
    kinds: set[str] = set()
    for module in Path(limits.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id == "IngestError":
                given = [k.value for k in node.keywords if k.arg == "kind"] + node.args[3:4]
            elif node.func.id == "error":  # jsonl's local error(reason, kind)
                given = node.args[1:2]
            else:
                continue
            for expr in given:
                kinds |= _strings(expr)
    return kinds


def _strings(expr: ast.expr) -> set[str]:
    """The string values ``expr`` may take: a literal, or either branch of ``a if cond else b``."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.Name):  # a parameter passed on (jsonl's error(reason, kind)): its callers count
        return set()
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body) | _strings(expr.orelse)
    raise AssertionError(f"a kind that is not a literal: {ast.unparse(expr)}")


def test_every_error_kind_has_a_case_and_the_library_report_accounts_for_every_record(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", RECORD_LIMIT)
    seen: set[str] = set()
    for case in CASES:
        folder = tmp_path / case.name
        folder.mkdir()
        path = case.make(folder)
        report = IngestReport()
        try:
            with deadline(BOUND):
                yielded = sum(1 for _ in read_articles(path, on_error="skip", report=report))
        except IngestError as e:
            assert case.empty, f"{case.name}: raised under skip: {e}"
            seen.add(e.kind)
            continue
        seen.update(report.by_reason())
        accounted = report.read + report.duplicates + len(report.skipped)
        assert yielded == report.read, case.name
        assert accounted == case.records if case.exact else accounted >= 1, f"{case.name}: {report.summary()}"
        assert len(report.ignored) == case.ignored, f"{case.name}: {report.summary()}"
    known = _kinds_the_readers_know()
    assert set(COVERED_ELSEWHERE) <= known, "a kind covered elsewhere no longer exists"
    assert known - set(COVERED_ELSEWHERE) - seen == set(), "error kinds no malformed case produces"
