"""TimelineJS (JSON and Google-Sheets CSV) and printable HTML exports: format, caps, escaping."""

import csv
import io
import json
from datetime import date, timedelta

import pytest

from dateline.export import EXPORTERS, MAX_EVENTS, SHEET_COLUMNS, render, safe_url
from dateline.model import Precision, SentenceRef, Timeline, TimelineEntry

EVIL = 'Rebels <script>window.__pwned=1</script> took <img src=x onerror=alert(2)> the "town".'

# The TimelineJS JSON format (timeline.knightlab.com/docs/json-format.html), written by hand:
# `events` is required; each event needs `start_date` with an integer `year`, and `text`
# (`headline`/`text` strings); month 1-12, day 1-31 when given.
TIMELINEJS_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "properties": {
        "title": {"type": "object", "properties": {"text": {"$ref": "#/$defs/text"}}},
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_date", "text"],
                "properties": {
                    "start_date": {"$ref": "#/$defs/date"},
                    "text": {"$ref": "#/$defs/text"},
                    "display_date": {"type": "string"},
                    "unique_id": {"type": "string"},
                    "autolink": {"type": "boolean"},
                },
            },
        },
    },
    "$defs": {
        "date": {
            "type": "object",
            "required": ["year"],
            "properties": {
                "year": {"type": "integer"},
                "month": {"type": "integer", "minimum": 1, "maximum": 12},
                "day": {"type": "integer", "minimum": 1, "maximum": 31},
                "display_date": {"type": "string"},
            },
        },
        "text": {"type": "object", "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}},
    },
}
_TYPES = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool}


def validate(value, schema, root=TIMELINEJS_SCHEMA, where="$"):
    """The subset of JSON Schema the schema above uses: type, required, properties, items, $ref, min/max."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    expected = _TYPES[schema["type"]]
    assert isinstance(value, expected) and not (expected is int and isinstance(value, bool)), (
        f"{where}: not {schema['type']}"
    )
    for key in schema.get("required", ()):
        assert key in value, f"{where}: missing {key!r}"
    for key, sub in schema.get("properties", {}).items():
        if key in value:
            validate(value[key], sub, root, f"{where}.{key}")
    if "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], root, f"{where}[{i}]")
    if "minimum" in schema:
        assert schema["minimum"] <= value <= schema["maximum"], f"{where}: {value} out of range"


def ref(text, url=None, title=None, day=date(2011, 3, 2)):
    return SentenceRef(text, "abc123", 4, 10, 90, day, article_name="cnn/1", source="CNN", title=title, url=url)


@pytest.fixture
def timeline():
    return Timeline(
        (
            TimelineEntry(date(2011, 3, 1), Precision.DAY, (ref(EVIL, "javascript:alert(3)", "<b>bold</b>"),), 3, 3.0),
            TimelineEntry(
                date(2011, 3, 1), Precision.MONTH, (ref("NATO took command.", "https://example.test/n"),), 1, 1.0
            ),
            TimelineEntry(date(2011, 1, 1), Precision.YEAR, (ref('=HYPERLINK("http://evil")'),), 1, 0.5),
        ),
        {"articles": 3, "query": ["libya"], "generator": "dateline test"},
    )


def test_new_formats_are_registered():
    assert {"timelinejs", "timelinejs-csv", "html"} <= set(EXPORTERS)


def test_timelinejs_json_validates_against_the_documented_format(timeline):
    doc = json.loads(render(timeline, "timelinejs"))
    validate(doc, TIMELINEJS_SCHEMA)
    assert len(doc["events"]) == 3


def test_the_validator_rejects_what_timelinejs_rejects():
    with pytest.raises(AssertionError):
        validate({"events": [{"text": {"headline": "no date"}}]}, TIMELINEJS_SCHEMA)
    with pytest.raises(AssertionError):
        validate({"events": [{"start_date": {"year": "2011"}, "text": {}}]}, TIMELINEJS_SCHEMA)
    with pytest.raises(AssertionError):
        validate({"title": {}}, TIMELINEJS_SCHEMA)


@pytest.mark.parametrize(
    "index, start_date",
    [
        (0, {"year": 2011}),  # year precision sorts first and carries no month or day
        (1, {"year": 2011, "month": 3}),
        (2, {"year": 2011, "month": 3, "day": 1}),
    ],
)
def test_timelinejs_dates_keep_their_precision(timeline, index, start_date):
    event = json.loads(render(timeline, "timelinejs"))["events"][index]
    assert {k: v for k, v in event["start_date"].items() if k != "display_date"} == start_date


def test_timelinejs_escapes_text_and_drops_non_http_links(timeline):
    out = render(timeline, "timelinejs")
    assert "<script>" not in out and "<img" not in out and "<b>bold" not in out
    assert "&lt;script&gt;" in out
    assert "javascript:" not in out
    assert 'href=\\"https://example.test/n\\"' in out


def test_timelinejs_caps_events_keeping_the_best_scored():
    entries = tuple(
        TimelineEntry(date(2020, 1, 1) + timedelta(days=i), Precision.DAY, (ref(f"Event {i} happened."),), 1, float(i))
        for i in range(MAX_EVENTS + 20)
    )
    doc = json.loads(render(Timeline(entries, {}), "timelinejs"))
    assert len(doc["events"]) == MAX_EVENTS
    kept = [e["display_date"] for e in doc["events"]]
    assert kept == sorted(kept) and kept[0] == (date(2020, 1, 1) + timedelta(days=20)).isoformat()
    rows = list(csv.reader(io.StringIO(render(Timeline(entries, {}), "timelinejs-csv"))))
    assert len(rows) == 1 + 1 + MAX_EVENTS  # header, title row, events


def test_csv_has_exactly_the_google_sheets_template_columns(timeline):
    rows = list(csv.DictReader(io.StringIO(render(timeline, "timelinejs-csv"))))
    header = render(timeline, "timelinejs-csv").splitlines()[0]
    assert header == ",".join(SHEET_COLUMNS)
    assert header.startswith("Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text")
    assert rows[0]["Type"] == "title"
    assert [(r["Year"], r["Month"], r["Day"]) for r in rows[1:]] == [
        ("2011", "", ""),
        ("2011", "3", ""),
        ("2011", "3", "1"),
    ]


def test_csv_neutralises_spreadsheet_formulas_and_html(timeline):
    rows = list(csv.DictReader(io.StringIO(render(timeline, "timelinejs-csv"))))
    formula = rows[1]
    assert formula["Headline"].startswith("'=")
    assert all(not v.startswith(("=", "+", "@")) for r in rows for v in r.values())
    assert "<script>" not in rows[3]["Text"] and "&lt;script&gt;" in rows[3]["Text"]


def test_html_page_is_escaped_and_links_only_http(timeline):
    page = render(timeline, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "javascript:" not in page
    assert 'href="https://example.test/n"' in page
    assert page.count("<section") == 3 and "3 articles" in page


def test_html_page_of_an_empty_timeline():
    page = render(Timeline((), {}), "html")
    assert "No dated events were found" in page


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.test/a", "https://example.test/a"),
        ("HTTP://example.test", "HTTP://example.test"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.test/x", None),
        (None, None),
        ("", None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected
