"""A generated corpus of malformed and odd inputs, for tests/test_malformed.py.

Each :class:`Case` writes its files into an empty folder and says what a
reader must account for: how many records (read + duplicates + skipped),
how many files it must name as ignored, whether the default mode must fail
(and on which file and line), and whether any article is usable. Nothing is
checked in: the files are made here, small, on every run.

Run it to look at the corpus: ``python tests/malformed_corpus.py OUT`` writes
every case into ``OUT/<case>/`` and prints one line per case.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# What tests/test_malformed.py sets limits.MAX_RECORD_BYTES to, so that "too large" cases stay small.
RECORD_LIMIT = 64 * 1024


@dataclass(frozen=True)
class Case:
    """One malformed input and what any read of it must account for."""

    name: str
    make: Callable[[Path], Path]  # writes the files into an empty folder, returns the path to read
    records: int  # read + duplicates + skipped, in every mode that exits 0
    fatal: bool  # the default mode (--on-error fail) must stop, naming `bad` (and `line`)
    bad: str | None = None  # the file the error names, relative to the folder (None: the path read)
    line: int | None = None
    ignored: int = 0  # files the report names as ignored
    usable: bool = True  # at least one article can be read
    exact: bool = True  # False: the reader cannot know how many records a broken stream held (at least 1)
    empty: bool = False  # nothing at all to read: every mode fails with "no articles found"


def good(i: int, **extra: object) -> dict[str, object]:
    """A valid record, distinct for each ``i``."""
    return {
        "id": f"g{i}",
        "time": f"2011-03-{i:02d}",
        "text": f"Talks {i} resumed in Geneva on Monday, March {i}.",
        **extra,
    }


def line(record: object) -> bytes:
    return json.dumps(record).encode() + b"\n"


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def file_case(
    name: str, filename: str, data: bytes, records: int, fatal: bool, line_no: int | None = None, **kw: object
) -> Case:
    """A single file holding ``data``."""
    return Case(name, lambda d: _write(d / filename, data), records, fatal, filename, line_no, **kw)  # type: ignore[arg-type]


def jsonl_between(name: str, middle: bytes, records: int = 1, fatal: bool = True, **kw: object) -> list[Case]:
    """A good record, ``middle`` (one physical line or more), a good record: plain, gzip named .jsonl, .jsonl.gz."""
    data = line(good(1)) + middle + line(good(2))
    total = records + 2
    line_no = 2 if fatal else None
    return [
        file_case(f"jsonl-{name}", "a.jsonl", data, total, fatal, line_no, **kw),
        file_case(f"jsonl-gz-named-jsonl-{name}", "a.jsonl", gzip.compress(data), total, fatal, line_no, **kw),
        file_case(f"jsonl-gz-{name}", "a.jsonl.gz", gzip.compress(data), total, fatal, line_no, **kw),
    ]


def record_cases() -> list[Case]:
    """One bad (or odd) record between two good ones, each in three containers."""
    bad_json = {
        "truncated": b'{"time": "2011-03-05", "text": "cut',
        "trailing-comma": b'{"time": "2011-03-05", "text": "x",}',
        "single-quotes": b"{'time': '2011-03-05', 'text': 'x'}",
        "unquoted-keys": b'{time: "2011-03-05", text: "x"}',
        "missing-value": b'{"time": "2011-03-05", "text": }',
        "junk-after": b'{"time": "2011-03-05", "text": "x"} trailing junk',
        "bare-word": b"hello",
        "control-char-in-string": b'{"time": "2011-03-05", "text": "a\x01b"}',
        "huge-integer-id": b'{"id": ' + b"9" * 5000 + b', "time": "2011-03-05", "text": "x"}',
        "unclosed-array": b"[" * 50,
        "lone-closer": b"}",
    }
    not_object = {"number": b"7", "string": b'"text"', "null": b"null", "true": b"true", "nested-array": b"[[1, 2]]"}
    wrong = {
        "time-int": {"time": 20110305, "text": "x"},
        "time-float": {"time": 2011.5, "text": "x"},
        "time-null": {"time": None, "text": "x"},
        "time-list": {"time": ["2011-03-05"], "text": "x"},
        "time-object": {"time": {"y": 2011}, "text": "x"},
        "text-int": {"time": "2011-03-05", "text": 5},
        "text-list": {"time": "2011-03-05", "text": ["a", "b"]},
        "text-null": {"time": "2011-03-05", "text": None},
        "text-object": {"time": "2011-03-05", "text": {"body": "x"}},
        "id-float": {"id": 1.5, "time": "2011-03-05", "text": "x"},
        "id-bool": {"id": True, "time": "2011-03-05", "text": "x"},
        "id-list": {"id": [1], "time": "2011-03-05", "text": "x"},
        "title-int": {"time": "2011-03-05", "text": "x", "title": 3},
        "url-list": {"time": "2011-03-05", "text": "x", "url": ["http://a"]},
        "source-object": {"time": "2011-03-05", "text": "x", "source": {"name": "a"}},
        "missing-time": {"text": "x"},
        "missing-text": {"time": "2011-03-05"},
        "empty-object": {},
    }
    bad_time = [
        "03/08/2011",
        "2011-02-30",
        "2011-13-01",
        "",
        " ",
        "2011",
        "2011-08",
        "tomorrow",
        "2011-08-03T25:00",
        "2011-08-03T10:00+25:00",
        "2011-08-03T10:00:00+99:99",
        "0000-01-01",
        "\u0662\u0660\u0661\u0661-\u0660\u0668-\u0660\u0663",  # Arabic-Indic digits
        "2011-08-03Z",
        "2011-08-03T10:00:00.1234567",
    ]
    # Publication dates at the calendar's edges: refused with one line (limits.EARLIEST/LATEST_PUBLISHED).
    edge_time = [
        "0001-01-01",
        "0001-01-01T00:00:00+05:00",
        "0001-01-01T00:00:00-05:00",
        "0999-12-31",
        "9000-01-01",
        "9999-12-31",
        "9999-12-31T23:59:59-05:00",
    ]
    cases: list[Case] = []
    for key, raw in bad_json.items():
        # The record before the junk is read, the junk counted: two on that line.
        cases += jsonl_between(f"bad-json-{key}", raw + b"\n", records=2 if key == "junk-after" else 1)
    for key, raw in not_object.items():
        cases += jsonl_between(f"not-object-{key}", raw + b"\n")
    for key, record in wrong.items():
        cases += jsonl_between(f"wrong-{key}", line(record))
    for i, value in enumerate(bad_time):
        cases += jsonl_between(f"bad-time-{i}", line({"time": value, "text": "Body."}))
    for value in edge_time:
        cases += jsonl_between(
            f"edge-time-{value[:10]}{value[10:].replace(':', '')}", line({"time": value, "text": "Body."})
        )
    for key, text in {"empty": "", "spaces": "   ", "newlines": "\n\t\n"}.items():
        # Empty text is skipped and reported in every mode, never fatal.
        cases += jsonl_between(f"empty-text-{key}", line({"time": "2011-03-05", "text": text}), fatal=False)
    # Odd but valid records: read, never fatal.
    odd = {
        "int-id": {"id": 31883, "time": "1999-07-02T01:06:03Z", "text": "Acme said on Thursday it would buy."},
        "negative-int-id": {"id": -4, "time": "2011-03-05", "text": "Negative ids are ids."},
        "huge-int-id": {"id": 2**70, "time": "2011-03-05", "text": "A big id."},
        "extra-keys": {"time": "2011-03-05", "text": "Extra keys.", "sentences": [{"raw": "x"}], "vector": None},
        "nul-in-text": {"time": "2011-03-05", "text": "Before\u0000after, on Monday."},
        "controls-in-text": {"time": "2011-03-05", "text": "Bell\u0007 and escape\u001b on March 3."},
        "rtl-and-emoji": {"time": "2011-03-05", "text": "\u202eReversed\u202c text \U0001f600 on March 2."},
        "long-word": {"time": "2011-03-05", "text": "A" * 20000 + " on Monday."},
        "punctuation-only": {"time": "2011-03-05", "text": "?!... --- ;;;"},
        "digits-only": {"time": "2011-03-05", "text": "2011 2012 99999999999999999999"},
        "paired-surrogates": {"time": "2011-03-05", "text": "Smile \ud83d\ude00 on Monday."},
        "huge-relative-days": {"time": "2011-03-05", "text": "It happened 10000000000000000000 days ago."},
        "huge-relative-weeks": {"time": "2011-03-05", "text": "It ended 99999999999 weeks later."},
        "huge-relative-from-now": {"time": "2011-03-05", "text": "The talks resume 99999999 days from now."},
        "huge-relative-years": {"time": "2011-03-05", "text": "The vault opens 99999999999 years from now."},
        "huge-relative-months": {"time": "2011-03-05", "text": "It began 99999999999 months ago."},
        "huge-relative-centuries": {"time": "2011-03-05", "text": "It began 99999999999 centuries ago."},
        "calendar-end-next-day": {"time": "2011-03-05", "text": "On 9999-12-31 it ended. The next day it began."},
        "calendar-end-next-week": {
            "time": "2011-03-05",
            "text": "On 9999-12-31 it ended. The following week, it began.",
        },
        "calendar-end-sunday": {"time": "2011-03-05", "text": "On 9999-12-31 it ended. The following Sunday it began."},
        "calendar-start-previous-week": {
            "time": "2011-03-05",
            "text": "On 0001-01-01 it ended. The previous week it began.",
        },
        "calendar-start-weekend": {"time": "2011-03-05", "text": "On 0001-01-01 it ended. That weekend, it began."},
        "limit-edges-published": {"time": "1000-01-01", "text": "Yesterday, 10000 weeks ago and 10000 months ago."},
        "limit-edges-published-late": {
            "time": "8999-12-31",
            "text": "Tomorrow, 10000 weeks later and 10000 months from now.",
        },
        "time-with-space": {"time": "2011-03-05 10:00:00", "text": "A space between date and time."},
        "time-with-zone": {"time": "2011-03-05T10:00:00+05:30", "text": "A zone east of UTC."},
        "time-padded": {"time": " 2011-03-05 ", "text": "Spaces around the time."},
        "nested-ok": {"time": "2011-03-05", "text": "Nested 99 deep.", "extra": json.loads("[" * 98 + "]" * 98)},
        "brackets-in-text": {"time": "2011-03-05", "text": "[" * 500 + " brackets in text {{{ on Monday"},
    }
    for key, record in odd.items():
        cases += jsonl_between(f"odd-{key}", line(record), fatal=False)
    # Lone surrogates in any field: replaced by U+FFFD, the record kept.
    for key in ("text", "title", "id", "source", "url"):
        record: dict[str, object] = {"time": "2011-03-05", "text": "Lone surrogate here."}
        record[key] = "Lone \ud800 surrogate in " + key
        cases += jsonl_between(f"lone-surrogate-{key}", line(record), fatal=False)
    cases += jsonl_between("lone-surrogate-time", line({"time": "2011-03-05\udc80", "text": "x"}))
    # Nesting: refused with one line (limits.MAX_NESTING), at top level or inside a field.
    for depth in (101, 1000, 100_000):
        cases += jsonl_between(f"deep-array-{depth}", b"[" * depth + b"]" * depth + b"\n")
    cases += jsonl_between(
        "deep-field", b'{"time": "2011-03-05", "text": "x", "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"
    )
    cases += jsonl_between(
        "deep-text-field", b'{"time": "2011-03-05", "text": ' + b'{"a":' * 3000 + b"1" + b"}" * 3000 + b"}\n"
    )
    cases += jsonl_between("deep-unclosed", b"[" * 100_000 + b"\n")
    # Encoding.
    cases += jsonl_between("bad-utf8-byte", b'{"time": "2011-03-05", "text": "caf\xe9"}\n')
    cases += jsonl_between("overlong-utf8", b'{"time": "2011-03-05", "text": "\xc0\xaf"}\n')
    cases += jsonl_between("cesu-surrogate-bytes", b'{"time": "2011-03-05", "text": "\xed\xa0\x80"}\n')
    cases += jsonl_between("nel-latin1-byte", b'{"time": "2011-03-05", "text": "a\x85b"}\n')
    # Size: a line over the record limit (the limit is lowered for the tests).
    cases += jsonl_between("too-large", line({"time": "2011-03-05", "text": "x" * (RECORD_LIMIT + 10)}))
    cases += jsonl_between(
        "too-large-unicode", line({"time": "2011-03-05", "text": "\u00e9" * (RECORD_LIMIT // 2 + 10)})
    )
    return cases


def separator_cases() -> list[Case]:
    """Records separated by something other than LF, several on a line, blank lines: none silently lost."""
    recs = [json.dumps(good(i)).encode() for i in (1, 2, 3)]
    broken = b'{"time": "2011-03-04", "text": }'
    plain = {
        "bare-cr": (b"\r".join(recs) + b"\r", 3, False, None),
        "crlf": (b"\r\n".join(recs) + b"\r\n", 3, False, None),
        "mixed-breaks": (recs[0] + b"\r" + recs[1] + b"\r\n" + recs[2] + b"\n", 3, False, None),
        "u2028": ("\u2028".encode().join(recs) + b"\n", 3, False, None),
        "u2029": ("\u2029".encode().join(recs) + b"\n", 3, False, None),
        "nel": ("\u0085".encode().join(recs) + b"\n", 3, False, None),
        "array-one-line": (b"[" + b", ".join(recs) + b"]\n", 3, False, None),
        "array-with-bad-element": (b"[" + recs[0] + b", 5, " + recs[1] + b"]\n", 3, True, 1),
        "empty-array": (b"[]\n" + recs[0] + b"\n", 1, False, None),
        "concatenated": (b"".join(recs) + b"\n", 3, False, None),
        "concatenated-spaces": (b"  ".join(recs) + b"\n", 3, False, None),
        "concatenated-broken-middle": (recs[0] + broken + recs[1] + b"\n", 3, True, 1),
        "u2028-broken-middle": (recs[0] + "\u2028".encode() + broken + "\u2028".encode() + recs[1] + b"\n", 3, True, 1),
        "bare-cr-broken-middle": (recs[0] + b"\r" + broken + b"\r" + recs[1] + b"\r", 3, True, 2),
        "blank-lines": (b"\n\n" + recs[0] + b"\n   \n\t\n" + recs[1] + b"\n\n", 2, False, None),
        "no-final-newline": (recs[0] + b"\n" + recs[1], 2, False, None),
        "bom": (b"\xef\xbb\xbf" + recs[0] + b"\n" + recs[1] + b"\n", 2, False, None),
        "bom-mid-file": (recs[0] + b"\n\xef\xbb\xbf" + recs[1] + b"\n", 2, False, None),
        "form-feed": (recs[0] + b"\x0c" + recs[1] + b"\n", 2, False, None),
        "duplicate": (recs[0] + b"\n" + recs[0] + b"\n" + recs[1] + b"\n", 3, False, None),
    }
    cases = []
    for key, (data, records, fatal, line_no) in plain.items():
        cases.append(file_case(f"lines-{key}", "a.jsonl", data, records, fatal, line_no))
        cases.append(file_case(f"lines-gz-{key}", "a.ndjson.gz", gzip.compress(data), records, fatal, line_no))
    return cases


def container_cases() -> list[Case]:
    """Whole files that are compressed, damaged, empty, huge or in another encoding."""
    data = line(good(1)) + line(good(2)) + line(good(3))
    packed = gzip.compress(data)

    def zip_bytes() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("a.jsonl", data)
        return buffer.getvalue()

    endless = b'{"time": "2011-03-05", "text": "' + b"y" * (RECORD_LIMIT * 3)  # one line that never ends
    cases = [
        file_case("gz-truncated", "a.jsonl.gz", packed[: len(packed) // 2], 3, True, exact=False, usable=False),
        file_case("gz-bad-crc", "a.jsonl.gz", packed[:-8] + b"\0\0\0\0" + packed[-4:], 3, True, exact=False),
        file_case(
            "gz-garbage-after-magic", "a.jsonl", b"\x1f\x8b" + b"garbage" * 10, 1, True, exact=False, usable=False
        ),
        file_case("gz-empty-stream", "a.jsonl.gz", gzip.compress(b""), 0, True, empty=True, usable=False),
        file_case("gz-of-gz", "a.jsonl.gz", gzip.compress(packed), 1, True, exact=False, usable=False),
        file_case(
            "gz-multi-member", "a.jsonl.gz", gzip.compress(line(good(1))) + gzip.compress(line(good(2))), 2, False
        ),
        file_case(
            "gz-bad-utf8-inside",
            "a.jsonl.gz",
            gzip.compress(line(good(1)) + b'{"time": "2011-03-05", "text": "\xff"}\n'),
            2,
            True,
            2,
        ),
        file_case("plain-named-gz", "a.jsonl.gz", data, 3, False),
        file_case("bz2-named-jsonl", "a.jsonl", bz2.compress(data), 1, True, usable=False),
        file_case("xz-named-jsonl", "a.jsonl", lzma.compress(data), 1, True, usable=False),
        file_case("zip-named-jsonl", "a.jsonl", zip_bytes(), 1, True, usable=False),
        file_case("empty-file", "a.jsonl", b"", 0, True, empty=True, usable=False),
        file_case("blank-file", "a.jsonl", b"\n \n\t\r\n", 0, True, empty=True, usable=False),
        file_case("utf16-le", "a.jsonl", data.decode().encode("utf-16"), 1, True, 1, usable=False),
        file_case("utf16-be-bom", "a.jsonl", b"\xfe\xff" + data.decode().encode("utf-16-be"), 1, True, 1, usable=False),
        file_case("utf16-no-bom", "a.jsonl", data.decode().encode("utf-16-le"), 3, True, 1, usable=False, exact=False),
        file_case(
            "latin1-file",
            "a.jsonl",
            '{"time": "2011-03-05", "text": "Caf\u00e9 cr\u00e8me"}\n'.encode("latin-1"),
            1,
            True,
            1,
            usable=False,
        ),
        file_case("endless-line", "a.jsonl", endless, 1, True, 1, usable=False),
        file_case("endless-line-gz", "a.jsonl", gzip.compress(endless), 1, True, 1, usable=False),
        file_case("binary-junk", "a.jsonl", bytes(range(256)) * 4, 1, True, exact=False, usable=False),
        file_case("nul-bytes", "a.jsonl", b"\0" * 1000 + b"\n" + line(good(1)), 2, True, 1),
    ]
    return cases


def seed_cases() -> list[Case]:
    """The seed format: one .txt per article."""
    body = b"Ministers met in Berlin on Sunday to discuss the ceasefire."
    bad = {
        "no-header": (b"Ministers met in Berlin.", 1),
        "bad-date": (b" date 2020-13-45 " + body, 1),
        "words-date": (b"date January 17 " + body, 1),
        "feb-30": (b" date 2020-02-30 " + body, 1),
        "year-1": (b" date 0001-01-01 " + body, 1),
        "year-9999": (b" date 9999-12-31 " + body, 1),
        "latin1": (b" date 2020-01-17 Caf\xe9 au lait.", 1),
        "utf16": (" date 2020-01-17 x".encode("utf-16"), 1),
        "binary": (bytes(range(256)), None),
        "too-large": (b" date 2020-01-17 " + b"z" * (RECORD_LIMIT + 1), None),
    }
    never_fatal = {"empty-body": b" date 2020-01-17   \n\n ", "header-only": b" date 2020-01-17"}
    fine = {
        "bom": b"\xef\xbb\xbf date 2020-01-17 " + body,
        "crlf": b" date 2020-01-17\r\n" + body + b"\r\nSecond line.\r\n",
        "bare-cr": b" date 2020-01-17\r" + body + b"\rSecond line.\r",
        "tab-header": b"date\t2020-01-17\n" + body,
        "nul-in-body": b" date 2020-01-17 Before\0after on Monday.",
        "huge-relative": b" date 2020-01-17 It happened 10000000000000000000 days ago, 99999999999 weeks later.",
        "edge-published": b" date 1000-01-01 Yesterday it began, 10000 weeks ago.",
    }
    cases = []
    for key, (data, line_no) in bad.items():
        cases.append(file_case(f"seed-{key}", "a.txt", data, 1, True, line_no, usable=False))
        cases.append(_with_good_seed(f"seed-folder-{key}", "b.txt", data, line_no))
    for key, data in never_fatal.items():
        cases.append(file_case(f"seed-{key}", "a.txt", data, 1, False, usable=False))
    for key, data in fine.items():
        cases.append(file_case(f"seed-{key}", "a.txt", data, 1, False))
    cases.append(file_case("seed-gz", "a.txt.gz", gzip.compress(b" date 2020-01-17 " + body), 1, False))
    cases.append(file_case("seed-gz-named-txt", "a.txt", gzip.compress(b" date 2020-01-17 " + body), 1, False))
    cases.append(
        file_case(
            "seed-gz-bomb",
            "a.txt",
            gzip.compress(b" date 2020-01-17 " + b"z" * (RECORD_LIMIT * 20)),
            1,
            True,
            usable=False,
        )
    )
    return cases


def _with_good_seed(name: str, bad_name: str, data: bytes, line_no: int | None) -> Case:
    def make(d: Path) -> Path:
        _write(d / "a.txt", b" date 2020-01-16 A good seed about the talks on Monday.")
        _write(d / bad_name, data)
        return d

    return Case(name, make, 2, True, bad_name, line_no)


def html_cases() -> list[Case]:
    """Saved web pages read by trafilatura."""
    para = b"<p>" + b"Ministers met in Berlin on Sunday to discuss the ceasefire in Libya. " * 8 + b"</p>"

    def page(meta: bytes, body: bytes = para) -> bytes:
        return b"<html><head><title>T</title>" + meta + b"</head><body><article>" + body + b"</article></body></html>"

    dated = b'<meta property="article:published_time" content="2020-01-19">'
    bad = {
        "no-date": page(b""),
        "no-text": page(dated, b""),
        "year-1": page(b'<meta property="article:published_time" content="0001-01-01">'),
        "empty-file": b"",
        "binary": bytes(range(256)) * 8,
        "too-large": page(dated, para * (RECORD_LIMIT // len(para) + 2)),
        "deep-divs": page(dated, b"<div>" * 100_000 + para + b"</div>" * 100_000),
        "script-only": page(dated, b"<script>alert(1)</script>"),
    }
    fine = {
        "ok": page(dated),
        "latin1-charset": page(
            b'<meta charset="iso-8859-1">' + dated, b"<p>" + b"Caf\xe9 cr\xe8me on Sunday in Berlin. " * 20 + b"</p>"
        ),
        "unclosed-tags": page(dated, b"<p><b><i>" + para + b"<div><span>"),
        "lone-surrogate-entity": page(dated, para + b"<p>&#xd800; entity</p>"),
    }
    cases = []
    for key, data in bad.items():
        cases.append(file_case(f"html-{key}", "a.html", data, 1, True, usable=False))
    for key, data in fine.items():
        cases.append(file_case(f"html-{key}", "a.html", data, 1, False))
    cases.append(file_case("html-gz", "a.html.gz", gzip.compress(page(dated)), 1, False))
    cases.append(file_case("html-gz-named-htm", "a.htm", gzip.compress(page(dated)), 1, False))
    return cases


def _folder(files: dict[str, bytes], root: str = "") -> Callable[[Path], Path]:
    def make(d: Path) -> Path:
        for name, data in files.items():
            if name.endswith("/"):
                (d / name).mkdir(parents=True, exist_ok=True)
            else:
                _write(d / name, data)
        return d / root if root else d

    return make


def file_system_cases() -> list[Case]:
    """Non-regular files, links, odd names, unknown types, empty folders."""
    seed = b" date 2020-01-16 A good seed about the talks on Monday."

    def fifo(name: str, with_good: bool) -> Callable[[Path], Path]:
        def make(d: Path) -> Path:
            if with_good:
                _write(d / "good.txt", seed)
            os.mkfifo(d / name)
            return d if with_good else d / name

        return make

    def link(target: str, name: str, with_good: bool = True) -> Callable[[Path], Path]:
        def make(d: Path) -> Path:
            if with_good:
                _write(d / "good.txt", seed)
            os.symlink(target, d / name)
            return d if with_good else d / name

        return make

    def raw_name(name: bytes, data: bytes) -> Callable[[Path], Path]:
        def make(d: Path) -> Path:
            with open(os.path.join(os.fsencode(d), name), "wb") as f:
                f.write(data)
            return d

        return make

    def linked_folder(d: Path) -> Path:
        _write(d / "real" / "a.txt", seed)
        (d / "corpus").mkdir()
        _write(d / "corpus" / "b.txt", b" date 2020-01-17 Another seed about Tuesday.")
        os.symlink(d / "real", d / "corpus" / "linked")
        return d / "corpus"

    def loop(d: Path) -> Path:
        _write(d / "a.txt", seed)
        os.symlink(d, d / "self")
        return d

    cases = [
        Case("fs-fifo-jsonl-in-folder", fifo("x.jsonl", True), 2, True, "x.jsonl"),
        Case("fs-fifo-txt-in-folder", fifo("x.txt", True), 2, True, "x.txt"),
        Case("fs-fifo-jsonl-alone", fifo("x.jsonl", False), 1, True, usable=False),
        Case("fs-dev-zero-jsonl", link("/dev/zero", "zero.jsonl"), 2, True, "zero.jsonl"),
        Case("fs-dev-zero-txt", link("/dev/zero", "zero.txt"), 2, True, "zero.txt"),
        Case("fs-dev-zero-html", link("/dev/zero", "zero.html"), 2, True, "zero.html"),
        Case("fs-dev-zero-alone", link("/dev/zero", "zero.jsonl", False), 1, True, usable=False),
        Case("fs-dev-null-jsonl", link("/dev/null", "null.jsonl"), 2, True, "null.jsonl"),
        Case("fs-broken-link", link("/nonexistent/x.txt", "gone.txt"), 2, True, "gone.txt"),
        # Named on the command line but not there: one line naming it, in every mode.
        Case("fs-missing-path", lambda d: d / "missing.jsonl", 0, True, empty=True, usable=False),
        Case(
            "fs-broken-link-alone", link("/nonexistent/x.jsonl", "gone.jsonl", False), 0, True, empty=True, usable=False
        ),
        Case("fs-link-to-folder", linked_folder, 1, False, ignored=1),
        Case("fs-link-loop", loop, 1, False, ignored=1),
        Case("fs-folder-named-jsonl", _folder({"x.jsonl/": b"", "x.jsonl/a.txt": seed}), 1, False),
        Case("fs-unknown-csv", _folder({"a.txt": seed, "b.csv": b"a,b\n"}), 2, True, "b.csv"),
        Case("fs-unknown-json", _folder({"a.txt": seed, "b.json": b"[]"}), 2, True, "b.json"),
        Case("fs-unknown-no-ext", _folder({"a.txt": seed, "data": b"x"}), 2, True, "data"),
        Case("fs-unknown-gz", _folder({"a.txt": seed, "b.gz": gzip.compress(b"x")}), 2, True, "b.gz"),
        Case("fs-unknown-bz2", _folder({"a.txt": seed, "b.jsonl.bz2": bz2.compress(b"x")}), 2, True, "b.jsonl.bz2"),
        Case("fs-empty-folder", _folder({}), 0, True, empty=True, usable=False),
        Case(
            "fs-only-notes",
            _folder({"README.md": b"hi", "LICENSE": b"x", ".hidden.jsonl": b"x"}),
            0,
            True,
            ignored=3,
            empty=True,
            usable=False,
        ),
        Case(
            "fs-notes-and-article", _folder({"README.txt": b"hi", "a.txt": seed, "notes.md": b"n"}), 1, False, ignored=2
        ),
        Case("fs-hidden-folder", _folder({".git/": b"", ".git/x.txt": b"x", "a.txt": seed}), 1, False, ignored=1),
        # A reference timeline makes the folder a news-tls dataset: x is a topic without articles, a.txt loose.
        Case(
            "fs-references-in-plain-folder",
            _folder({"a.txt": seed, "x/timelines.jsonl": b"[]\n"}),
            1,
            True,
            "x",
            ignored=1,
            usable=False,
        ),
        Case("fs-non-utf8-name-seed", raw_name(b"caf\xe9.txt", seed), 1, False),
        Case("fs-non-utf8-name-jsonl", raw_name(b"\xff\xfe.jsonl", line(good(1))), 1, False),
        Case("fs-non-utf8-name-bad", raw_name(b"bad\xe9.txt", b"no header"), 1, True, usable=False),
        Case("fs-newline-in-name", _folder({"a\nb.txt": seed}), 1, False),
        Case("fs-space-and-quote-name", _folder({'it\'s a "seed".txt': seed}), 1, False),
        Case("fs-deep-folders", _folder({"/".join("d" * 40) + "/a.txt": seed}), 1, False),
        Case(
            "fs-mixed-formats",
            _folder({"a.txt": seed, "b.jsonl": line(good(1)), "c.jsonl.gz": gzip.compress(line(good(2)))}),
            3,
            False,
        ),
    ]
    return cases


def newstls_cases() -> list[Case]:
    """news-tls dataset folders: every file not read is named, a topic without articles is an error."""
    arts = line(good(1, source="t")) + line(good(2, source="t"))
    other = line(good(3)) + line(good(4))
    refs = {"timelines.jsonl": b'[["2011-03-01T00:00:00", ["Reference."]]]\n', "keywords.json": b'["talks"]'}

    def topic(name: str, files: dict[str, bytes]) -> dict[str, bytes]:
        return {f"{name}/{k}": v for k, v in files.items()}

    ok = topic("t1", {"articles.jsonl": arts, **refs})
    int_ids = b"".join(
        line({"id": 31883 + i, "time": "1999-07-02T01:06:03Z", "title": None, "text": f"Acme {i} said on Thursday."})
        for i in range(3)
    )
    preprocessed = b"".join(
        line(
            {
                **good(i),
                "id": 100 + i,
                "sentences": [{"raw": "x", "tokens": {"keys": ["raw"], "data": [["x"]]}}],
                "title_sentence": None,
                "vector": None,
            }
        )
        for i in (5, 6)
    )
    cases = [
        Case("newstls-ok", _folder(ok), 2, False, ignored=2),
        Case("newstls-topic-folder", _folder(ok, "t1"), 2, False, ignored=2),
        Case("newstls-int-ids", _folder(topic("Acme", {"articles.jsonl": int_ids, **refs})), 3, False, ignored=2),
        Case(
            "newstls-misspelt",
            _folder({**ok, **topic("t2", {"article.jsonl": other, **refs})}),
            3,
            True,
            "t2",
            ignored=2,
        ),
        Case(
            "newstls-misspelt-only", _folder(topic("t2", {"article.jsonl": other, **refs})), 1, True, "t2", usable=False
        ),
        Case(
            "newstls-gz-topic",
            _folder({**ok, **topic("t2", {"articles.jsonl.gz": gzip.compress(other), **refs})}),
            4,
            False,
            ignored=4,
        ),
        Case(
            "newstls-preprocessed-gz",
            _folder(topic("t3", {"articles.preprocessed.jsonl.gz": gzip.compress(preprocessed), **refs})),
            2,
            False,
            ignored=2,
        ),
        Case(
            "newstls-preprocessed-plain", _folder(topic("t3", {"articles.preprocessed.jsonl": preprocessed})), 2, False
        ),
        Case(
            "newstls-two-copies",
            _folder(topic("t1", {"articles.jsonl": arts, "articles.jsonl.gz": gzip.compress(arts), **refs})),
            2,
            False,
            ignored=3,
        ),
        Case(
            "newstls-extra-jsonl",
            _folder(topic("t1", {"articles.jsonl": arts, "more.jsonl": other, **refs})),
            2,
            False,
            ignored=3,
        ),
        Case(
            "newstls-beside-seeds",
            _folder({"articles.jsonl": arts, "a.txt": b" date 2020-01-01 x", "b.txt": b" date 2020-01-02 y"}),
            2,
            False,
            ignored=2,
        ),
        Case(
            "newstls-loose-top-files",
            _folder({**ok, "loose.jsonl": other, "notes.txt": b"x", "data.csv": b"a", "README.md": b"r"}),
            2,
            False,
            ignored=6,
        ),
        Case(
            "newstls-subfolder-in-topic",
            _folder({**ok, "t1/time_annotated/": b"", "t1/time_annotated/x.txt": b"x"}),
            2,
            False,
            ignored=3,
        ),
        Case("newstls-refs-only-topic", _folder({**ok, **topic("t2", refs)}), 3, True, "t2", ignored=2),
        Case("newstls-empty-topic", _folder({**ok, "t2/": b""}), 3, True, "t2", ignored=2),
        Case("newstls-hidden-topic", _folder({**ok, ".t2/articles.jsonl": other}), 2, False, ignored=3),
        Case(
            "newstls-articles-is-folder",
            _folder({**ok, "t2/articles.jsonl/": b"", "t2/timelines.jsonl": b"[]\n"}),
            3,
            True,
            "t2",
            ignored=2,
        ),
        Case(
            "newstls-bad-record",
            _folder(topic("t1", {"articles.jsonl": arts + b"{bad\n", **refs})),
            3,
            True,
            "t1/articles.jsonl",
            3,
            ignored=2,
        ),
        Case(
            "newstls-gz-named-articles-jsonl",
            _folder(topic("t1", {"articles.jsonl": gzip.compress(arts), **refs})),
            2,
            False,
            ignored=2,
        ),
    ]

    def fifo_topic(d: Path) -> Path:
        _folder(ok)(d)
        (d / "t2").mkdir()
        os.mkfifo(d / "t2" / "articles.jsonl")
        return d

    cases.append(Case("newstls-fifo-articles", fifo_topic, 3, True, "t2/articles.jsonl", ignored=2))
    return cases


def all_cases() -> list[Case]:
    """Every case, names unique."""
    cases = record_cases() + separator_cases() + container_cases() + seed_cases() + html_cases()
    cases += file_system_cases() + newstls_cases()
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases


def main(out: Path) -> None:
    """Write every case into ``out/<case>/`` and list them."""
    for case in all_cases():
        folder = out / case.name
        folder.mkdir(parents=True)
        path = case.make(folder)
        print(f"{case.name}\t{path}\trecords={case.records}\tfatal={case.fatal}\tignored={case.ignored}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
