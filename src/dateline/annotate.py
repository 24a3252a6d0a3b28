"""Annotation: split each article into sentences and resolve its date mentions, once.

Annotation is per article and independent, so it is cached (keyed by
everything it reads: the article's text and publication date, and the
annotator's version; see :func:`annotation_key`) and can run in several
processes. Building a timeline, or building another one with a different
query, reuses the cached annotations.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from .model import AnnotatedArticle, Article, DateMention, Sentence
from .progress import report
from .temporal import DateTagger, get_tagger, value_to_date

__all__ = [
    "AnnotationCache",
    "Annotator",
    "PunktSplitter",
    "SentenceSplitter",
    "SyntokSplitter",
    "annotate_all",
    "annotation_json",
    "annotation_key",
    "default_cache_dir",
]

# Types whose value can name a calendar date a timeline can use.
_DATED_TYPES = frozenset({"DATE", "TIME"})


class SentenceSplitter(Protocol):
    """Splits text into sentences with character offsets."""

    name: str
    version: str

    def split(self, text: str) -> list[tuple[int, int]]: ...


# A blank line ends a paragraph, and a paragraph always ends a sentence
# (headlines and "Read: ..." teasers have no full stop).
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        yield start, brk.start()
        start = brk.end()
    yield start, len(text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class PunktSplitter:
    """Sentence splitter backed by nupunkt (Punkt with a bundled model; handles ``U.S.``, ``Gen.``, ``Nov. 24``, quotes).

    The default: it shares 94% of syntok's sentence ends on news text, scores
    the same on Timeline17, and is about 19 times faster
    (``benchmarks/annotate_speed.py``). Paragraphs (blank lines) are split first.
    """

    name = "punkt"
    version = "2"

    def split(self, text: str) -> list[tuple[int, int]]:
        """Character spans ``(start, end)`` of the sentences of ``text``, without surrounding whitespace."""
        from nupunkt import sent_spans

        spans: list[tuple[int, int]] = []
        for p_start, p_end in _paragraphs(text):
            paragraph = text[p_start:p_end]
            if not paragraph.strip():
                continue
            glue = False
            for s, e in sent_spans(paragraph):
                start, end = _trimmed(text, p_start + s, p_start + e)
                if start >= end:
                    continue
                if glue:  # the sentence before ended on a title: this one is its continuation
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((start, end))
                glue = _TITLE_END.search(text, spans[-1][0], spans[-1][1]) is not None
        return spans


# Punkt ends a sentence at a rank or title followed by a name ("Coast Guard Rear Adm. | Mary
# Landry said", "Lt. | Col. Smith"), which no sentence ends on.
_TITLE_END = re.compile(r"\b(?:Adm|Brig|Capt|Cmdr|Col|Cpl|Gen|Gov|Lt|Maj|Pvt|Rep|Rev|Sen|Sgt|Supt|Dr|Mr|Mrs|Ms)\.$")


class SyntokSplitter:
    """Sentence splitter backed by syntok (``pip install 'dateline[syntok]'``): slower, token-based."""

    name = "syntok"
    version = "1"

    def split(self, text: str) -> list[tuple[int, int]]:
        """Character spans ``(start, end)`` of the sentences of ``text``."""
        try:
            from syntok import segmenter
        except ImportError:  # pragma: no cover - depends on the install
            raise ImportError("SyntokSplitter needs syntok: pip install 'dateline[syntok]'") from None

        spans: list[tuple[int, int]] = []
        for paragraph in segmenter.analyze(text):
            for sentence in paragraph:
                if not sentence:
                    continue
                last = sentence[-1]
                spans.append((sentence[0].offset, last.offset + len(last.value)))
        return spans


@dataclass(frozen=True)
class Annotator:
    """Turns an :class:`Article` into an :class:`AnnotatedArticle`: sentences plus date mentions."""

    tagger: DateTagger = field(default_factory=get_tagger)
    splitter: SentenceSplitter = field(default_factory=PunktSplitter)

    @property
    def version(self) -> str:
        """Changes whenever the annotations could change; caches key on it."""
        return f"{self.splitter.name}-{self.splitter.version}.{self.tagger.name}-{self.tagger.version}"

    def annotate(self, article: Article) -> AnnotatedArticle:
        """Split ``article`` into sentences and tag its dates against its publication date."""
        text = article.text
        sentences = tuple(
            Sentence(index=i, start=start, end=end, text=text[start:end])
            for i, (start, end) in enumerate(self.splitter.split(text))
        )
        starts = [s.start for s in sentences]
        mentions = []
        # The tagger sees the whole text: tense and earlier dates in the
        # neighbourhood decide how a partial date resolves.
        for timex in self.tagger.tag(text, article.published):
            index = bisect.bisect_right(starts, timex.start) - 1
            resolved = value_to_date(timex.value) if timex.type in _DATED_TYPES else None
            mentions.append(
                DateMention(
                    start=timex.start,
                    end=timex.end,
                    text=timex.text,
                    type=timex.type,
                    value=timex.value,
                    sentence=max(index, 0),
                    date=resolved[0] if resolved else None,
                    precision=resolved[1] if resolved else None,
                )
            )
        return AnnotatedArticle(article=article, sentences=sentences, mentions=tuple(mentions))


def default_cache_dir() -> Path:
    """``$DATELINE_CACHE`` if set, else ``$XDG_CACHE_HOME/dateline`` (``~/.cache/dateline``)."""
    if os.environ.get("DATELINE_CACHE"):
        return Path(os.environ["DATELINE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dateline"


def annotation_key(article: Article, version: str) -> str:
    """A hex digest of everything an annotation by ``version`` depends on: the text and the publication date.

    Not the article id: it hashes the source, which annotation never reads, and not the
    publication date, which it does (relative dates resolve against it; issue 23). The
    tagger is given the publication date only, never ``timestamp``, so the time and zone
    stay out; a tagger that read them would have to enter them here.
    """
    h = hashlib.sha256()
    for part in (version, article.published.isoformat(), article.text):
        data = part.encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(data))
        h.update(data)
    return h.hexdigest()


def annotation_json(annotated: AnnotatedArticle) -> str:
    """``annotated`` as the JSON text the annotation cache writes."""
    return json.dumps(annotated.to_dict(), ensure_ascii=False)


class AnnotationCache:
    """A folder of annotated articles, one JSON file per :func:`annotation_key` (text, date, annotator version).

    Files are written atomically (temp file + rename), so a crash never
    leaves a half-written entry and several processes can share a cache.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def _path(self, version: str, article: Article) -> Path:
        key = annotation_key(article, version)
        return self.directory / version / key[:2] / f"{key}.json"

    def get(self, version: str, article: Article) -> AnnotatedArticle | None:
        """The cached annotation of ``article``, or None.

        The cached article is replaced by the one given, so metadata that
        does not enter the content hash (name, origin, title) is current.
        """
        path = self._path(version, article)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        cached = AnnotatedArticle.from_dict(data)
        if cached.article.text != article.text or cached.article.published != article.published:
            return None
        return AnnotatedArticle(article=article, sentences=cached.sentences, mentions=cached.mentions)

    def put(self, version: str, annotated: AnnotatedArticle) -> None:
        """Store an annotation."""
        path = self._path(version, annotated.article)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(annotation_json(annotated))
        os.replace(tmp, path)


PARALLEL_THRESHOLD = 32
_worker_annotator: Annotator | None = None


def _init_worker(annotator: Annotator) -> None:
    global _worker_annotator
    _worker_annotator = annotator


def _annotate_in_worker(article: Article) -> AnnotatedArticle:
    assert _worker_annotator is not None
    return _worker_annotator.annotate(article)


def annotate_all(
    articles: Iterable[Article],
    annotator: Annotator | None = None,
    *,
    cache: AnnotationCache | None = None,
    processes: int = 1,
    progress: bool = False,
) -> Iterator[AnnotatedArticle]:
    """Annotate ``articles`` (in their order), reading and filling ``cache``, in ``processes`` processes."""
    annotator = annotator or Annotator()
    version = annotator.version
    articles = list(articles)
    cached: dict[int, AnnotatedArticle] = {}
    todo: list[tuple[int, Article]] = []
    for i, article in enumerate(articles):
        hit = cache.get(version, article) if cache is not None else None
        if hit is not None:
            cached[i] = hit
        else:
            todo.append((i, article))

    def fresh() -> Iterator[AnnotatedArticle]:
        pending = [a for _, a in todo]
        # Below a few dozen articles a process pool costs more than it saves.
        if processes > 1 and len(pending) >= PARALLEL_THRESHOLD:
            ctx = get_context("fork" if os.name == "posix" else "spawn")
            with ctx.Pool(processes, initializer=_init_worker, initargs=(annotator,)) as pool:
                yield from pool.imap(_annotate_in_worker, pending, chunksize=8)
        else:
            for article in pending:
                yield annotator.annotate(article)

    results = fresh()
    if progress and todo:
        # A bar on a terminal, plain lines elsewhere (a log, CI): a redrawn bar is noise in a log.
        results = report(results, "annotating", total=len(todo))
    next_todo = 0
    for i in range(len(articles)):
        if i in cached:
            yield cached[i]
            continue
        annotated = next(results)
        assert todo[next_todo][0] == i
        next_todo += 1
        if cache is not None:
            cache.put(version, annotated)
        yield annotated
    next(results, None)  # run the report to its end, so that off a terminal it says it finished
