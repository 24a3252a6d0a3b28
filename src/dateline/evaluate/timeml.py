"""Read TimeML (``.tml``) documents: the plain text of ``<TEXT>``, its DCT and its gold TIMEX3s.

Offsets index the plain text of the ``<TEXT>`` element with every tag removed
and every entity decoded, which is how TempEval-3 Task A counts characters.
The text is rebuilt while walking the parsed XML tree, so a timex's offsets
are correct by construction (``doc.text[t.start:t.end] == t.text``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

__all__ = ["GoldTimex", "TimeMLDoc", "TimeMLError", "read_timeml", "read_timeml_dir", "tml_paths"]


class TimeMLError(ValueError):
    """A ``.tml`` file that cannot be read; the message names the file."""


@dataclass(frozen=True)
class GoldTimex:
    """One gold TIMEX3: its extent in the document's plain text and its attributes."""

    start: int
    end: int
    text: str
    type: str
    value: str
    tid: str


@dataclass(frozen=True)
class TimeMLDoc:
    """One TimeML document: id, creation time (the tagger's reference date), text and gold timexes."""

    id: str
    dct: date
    dct_value: str  # the DCT's raw TIMEX3 value, e.g. "1998-08-07T06:18:00"
    text: str
    timexes: tuple[GoldTimex, ...]
    path: str = ""


def read_timeml(path: str | Path) -> TimeMLDoc:
    """Parse one ``.tml`` file into a :class:`TimeMLDoc`."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise TimeMLError(f"{path}: cannot parse TimeML: {exc}") from exc

    text_elems = root.findall(".//TEXT")
    if len(text_elems) != 1:
        raise TimeMLError(f"{path}: expected exactly one <TEXT> element, found {len(text_elems)}")

    dct_value = _dct_value(root, path)
    try:
        dct = date.fromisoformat(dct_value[:10])
    except ValueError as exc:
        raise TimeMLError(f"{path}: DCT value {dct_value!r} does not start with a YYYY-MM-DD date") from exc

    docid = (root.findtext("DOCID") or "").strip() or path.stem
    out = _TextBuilder()
    timexes: list[GoldTimex] = []
    _walk(text_elems[0], out, timexes, path)
    return TimeMLDoc(
        id=docid,
        dct=dct,
        dct_value=dct_value,
        text=out.text(),
        timexes=tuple(sorted(timexes, key=lambda t: (t.start, t.end))),
        path=str(path),
    )


def read_timeml_dir(path: str | Path) -> list[TimeMLDoc]:
    """Every ``.tml`` file under ``path`` (recursively), sorted by relative path."""
    root = Path(path)
    if not root.is_dir():
        raise TimeMLError(f"{root}: not a directory of .tml files")
    return [read_timeml(p) for p in tml_paths(root)]


def tml_paths(root: Path) -> Iterator[Path]:
    """The ``.tml`` files under ``root``, recursively, sorted by relative path."""
    yield from sorted((p for p in root.rglob("*.tml") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())


def _dct_value(root: ET.Element, path: Path) -> str:
    # TimeBank/AQUAINT put the DCT in <DCT><TIMEX3 functionInDocument="CREATION_TIME">;
    # other TimeML corpora only mark the TIMEX3's function, so accept either.
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME" and timex.get("value"):
            return timex.get("value", "")
    dct = root.find(".//DCT/TIMEX3")
    if dct is not None and dct.get("value"):
        return dct.get("value", "")
    raise TimeMLError(f'{path}: no document creation time (a TIMEX3 with functionInDocument="CREATION_TIME")')


class _TextBuilder:
    """The plain text being rebuilt, with its running length (avoids re-joining to find offsets)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, piece: str | None) -> None:
        if piece:
            self.parts.append(piece)
            self.length += len(piece)

    def text(self) -> str:
        return "".join(self.parts)


def _walk(elem: ET.Element, out: _TextBuilder, timexes: list[GoldTimex], path: Path) -> None:
    """Append ``elem``'s text to ``out`` (not its tail), collecting TIMEX3 extents on the way."""
    start, first_part = out.length, len(out.parts)
    out.add(elem.text)
    for child in elem:
        _walk(child, out, timexes, path)
        out.add(child.tail)
    if elem.tag == "TIMEX3":
        extent = "".join(out.parts[first_part:])
        # The protocol scores only timexes with a non-empty extent (empty ones are implicit).
        if extent.strip():
            tid = elem.get("tid", "")
            if not elem.get("type") or elem.get("value") is None:
                raise TimeMLError(f"{path}: TIMEX3 {tid or extent!r} lacks a type or value")
            timexes.append(GoldTimex(start, out.length, extent, elem.get("type", ""), elem.get("value", ""), tid))
