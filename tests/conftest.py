"""Shared fixtures: tiny hand-made annotated corpora and the location of ../shared."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from dateline.cli import cli
from dateline.model import AnnotatedArticle, Article, DateMention, Precision, Sentence

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the shared data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared benchmark data sits beside the repository)")
    return path


def batch_sizes(monkeypatch, owner: type, method: str) -> list[int]:
    """Record, from now on, how many items each call of ``owner.method`` is given (its first argument's length)."""
    sizes: list[int] = []
    real = getattr(owner, method)

    def counting(self, items, *args, **kwargs):
        sizes.append(len(items))
        return real(self, items, *args, **kwargs)

    monkeypatch.setattr(owner, method, counting)
    return sizes


def make_annotated(
    text_sentences: list[str], published: date, mentions: dict[int, list[date]], *, name: str, source: str | None = None
) -> AnnotatedArticle:
    """An annotated article from sentences and, per sentence index, the day dates it mentions."""
    text, sentences, offset = "", [], 0
    for i, s in enumerate(text_sentences):
        sentences.append(Sentence(i, offset, offset + len(s), s))
        text += s + " "
        offset += len(s) + 1
    article = Article.create(text.strip(), published, name=name, source=source)
    ms = []
    for index, days in mentions.items():
        sent = sentences[index]
        for d in days:
            ms.append(
                DateMention(sent.start, sent.start + 4, sent.text[:4], "DATE", d.isoformat(), index, d, Precision.DAY)
            )
    return AnnotatedArticle(article, tuple(sentences), tuple(ms))


@pytest.fixture
def small_corpus() -> list[AnnotatedArticle]:
    """Three articles about a made-up story: two dates corroborated twice, one once."""
    d1, d2, d3 = date(2020, 3, 2), date(2020, 3, 5), date(2020, 3, 9)
    return [
        make_annotated(
            [
                "The city council voted on Monday to close the harbour bridge for repairs.",
                "Engineers had warned for months that the bridge cables were corroded.",
                "The mayor said the closure would last until the summer at the earliest.",
            ],
            date(2020, 3, 3),
            {0: [d1]},
            name="a1",
            source="Harbour Times",
        ),
        make_annotated(
            [
                "Traffic backed up for miles on Thursday after the harbour bridge closed to cars.",
                "The council had voted on March 2 to shut the bridge for urgent cable repairs.",
                "Ferry operators added extra crossings to carry stranded commuters.",
            ],
            date(2020, 3, 6),
            {0: [d2], 1: [d1]},
            name="a2",
            source="City Wire",
        ),
        make_annotated(
            [
                "Protesters marched to the town hall on March 9 demanding a temporary bridge.",
                "The bridge closed to cars on March 5, causing long traffic jams across the city.",
                "Officials said a pontoon crossing could be built within six weeks.",
            ],
            date(2020, 3, 10),
            {0: [d3], 1: [d2]},
            name="a3",
            source="Harbour Times",
        ),
    ]


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke the ``dateline`` command in-process with a private annotation cache."""
    monkeypatch.setenv("DATELINE_CACHE", str(tmp_path / "cache"))

    def invoke(*args):
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke
