"""What a corpus says about each date: who mentions it, who was published on it, which sentences.

This is the one view of the annotated corpus that date rankers and
summarizers share, computed once per build after the query and the date
window are applied.
"""

from __future__ import annotations

import functools
import math
import re
import shlex
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..model import AnnotatedArticle, DateMention, Period, Precision, SentenceRef
from .facts import (
    DEPENDENT,
    LEAD_SENTENCES,
    NEEDS_NEIGHBOUR,
    USABLE,
    current,
    sentence_skip,
    usable,
)
from .furniture import HORIZON_DAYS, beyond_horizon, find_comments, find_templates

__all__ = [
    "Candidate",
    "DateEvidence",
    "Evidence",
    "EvidenceCollector",
    "PRECISIONS",
    "Query",
    "When",
    "check_precision",
    "collect_evidence",
    "hindsight_weight",
    "mention_when",
]

# A timeline's date: a day, or a month or a year (a coarse date, "in March 2011", "in 1985").
When = date | Period
# What a build may date its entries by: days only, or days, months and years.
PRECISIONS = ("day", "any")


def check_precision(precision: str) -> None:
    """ValueError naming the choices unless ``precision`` is one of :data:`PRECISIONS`."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")


# News of a day is published that day and the next (the morning paper, a
# late wire): an undated lead sentence speaks for both days.
PUBLICATION_DAYS = 2
# An article's relevance (query terms per word, over the median article's) is
# capped here, so that a three-word snippet full of query terms cannot
# outweigh the coverage.
MAX_RELEVANCE = 4.0


def mention_when(m: DateMention) -> When | None:
    """The day, month or year a mention names (None when it names none of them)."""
    if m.date is None or m.precision is None:
        return None
    return m.date if m.precision is Precision.DAY else Period.of(m.date, m.precision)


def hindsight_weight(lag: int, days: int, factor: float = 1.0) -> float:
    """``1 + factor * ln(1 + lag)``, ``lag`` (days from a date to an article naming it) clipped to ``[0, days]``.

    What is still said about a date days later is what the date is
    remembered for; the date ranker and the summarizer's centroid both
    weigh their evidence this way.
    """
    return 1.0 + factor * math.log1p(min(max(lag, 0), days))


def _days_back(day: date, days: int) -> list[date]:
    """``day`` and the ``days - 1`` days before it, as far as the calendar goes (0001-01-01 has no day before)."""
    return [day - timedelta(days=k) for k in range(min(days, day.toordinal()))]


def _split(query: str) -> list[str]:
    """Words and "quoted phrases"; an unbalanced quote (``n't``, ``"oil``) is taken literally."""
    try:
        return shlex.split(query)
    except ValueError:
        return query.split()


@dataclass(frozen=True)
class Query:
    """Query terms, in any case: an article is about the query when it names one as a word or a word's start
    (:meth:`matches`, what a search index finds); a sentence of such an article may describe a date when a term
    occurs anywhere in it (:meth:`occurs_in`)."""

    terms: tuple[str, ...]

    @classmethod
    def parse(cls, query: str | Sequence[str] | None) -> Query | None:
        """``"oil spill" BP`` or ``["oil spill", "BP"]`` -> a query; empty -> None."""
        if query is None:
            return None
        terms: Sequence[str] = _split(query) if isinstance(query, str) else list(query)
        terms = tuple(t.strip().lower() for t in terms if t and t.strip())
        return cls(terms) if terms else None

    def __post_init__(self) -> None:
        anywhere = "(?:" + "|".join(re.escape(t) for t in self.terms) + ")"
        object.__setattr__(self, "_regex", re.compile(r"\b" + anywhere, re.IGNORECASE))
        object.__setattr__(self, "_anywhere", re.compile(anywhere, re.IGNORECASE))
        # In ASCII text, ASCII terms are found much faster in the lower-cased text (the same positions:
        # ASCII lower-cases one character to one), without the \b that keeps a regex from skipping ahead.
        fast = all(t and t.isascii() for t in self.terms)
        lower = re.compile("(?:" + "|".join(re.escape(t.lower()) for t in self.terms) + ")") if fast else None
        object.__setattr__(self, "_lower", lower)

    def _named(self, text: str) -> Iterator[re.Match[str]]:
        """``self._regex.finditer(text)``, faster: each place a term occurs, tested for a word start there."""
        if not all(self.terms):  # an empty term matches everywhere: the regex's own walk
            yield from self._regex.finditer(text)  # type: ignore[attr-defined]
            return
        if self._lower is not None and text.isascii():  # type: ignore[attr-defined]
            search, haystack = self._lower.search, text.lower()  # type: ignore[attr-defined]
        else:
            search, haystack = self._anywhere.search, text  # type: ignore[attr-defined]
        at, pos = self._regex.match, 0  # type: ignore[attr-defined]
        while (found := search(haystack, pos)) is not None:
            match = at(text, found.start())
            if match is None:
                pos = found.start() + 1
            else:
                yield match
                pos = match.end()

    def matches(self, text: str) -> bool:
        """True when ``text`` names a query term as a word or a word's start ("flu" in "flu", "flu-like")."""
        return next(self._named(text), None) is not None

    def occurs_in(self, text: str) -> bool:
        """True when a query term occurs anywhere in ``text``, inside a word too ("flu" in "influenza", "Tamiflu").

        This is news-tls's test of whether a sentence may be a timeline line
        (``keyword in sentence.lower()``), and the right one within an article
        already about the story: a sentence of a swine flu article that speaks of
        influenza speaks of the flu. It is looser than :meth:`matches`, which
        chooses the articles, so "oil" also finds "turmoil" and "soil"; on
        Timeline17 such lines were never chosen (see BENCHMARKS.md).
        """
        if self._lower is not None and text.isascii():  # type: ignore[attr-defined]
            return self._lower.search(text.lower()) is not None  # type: ignore[attr-defined]
        return self._anywhere.search(text) is not None  # type: ignore[attr-defined]

    def count(self, text: str) -> int:
        """How many times ``text`` names a query term."""
        return sum(1 for _ in self._named(text))


@dataclass(frozen=True)
class Candidate:
    """A sentence said about a date: it names the date, or leads an article of that day or the next.

    Every such sentence tells a summarizer what the date is about; only the
    ``eligible`` ones (a full sentence of usable length, in which a query
    term occurs when there is a query) may be picked as a timeline line.
    """

    article: int  # index into Evidence.articles
    sentence: int
    explicit: bool
    eligible: bool = True
    skip: int = 0  # leading characters of the sentence that are boilerplate (a dateline, page furniture)
    # It opens on a pronoun and needs the sentence before it: a line only when its date has no other.
    dependent: bool = False


_Day = date  # DateEvidence's field ``date`` hides the type inside the class


@dataclass
class DateEvidence:
    """Everything the corpus says about one date: a day, or a month or year (``precision``)."""

    date: date  # the day, or the period's first day
    mentioning: set[int] = field(default_factory=set)  # articles mentioning the date
    # Of those, the articles that name the date in a sentence where a query term occurs: they say
    # the date is the subject's (every mentioning article when there is no query).
    about: set[int] = field(default_factory=set)
    # For each mentioning article, how many days after the date it was
    # published (0 when it names a date on or after its publication).
    hindsight: dict[int, int] = field(default_factory=dict)
    mentions: int = 0  # mentions in all sentences
    published: set[int] = field(default_factory=set)  # articles published on the date
    candidates: list[Candidate] = field(default_factory=list)
    precision: Precision = Precision.DAY

    @property
    def key(self) -> When:
        """The date as :attr:`Evidence.dates` keys it: the day itself, or its :class:`Period`."""
        return self.date if self.precision is Precision.DAY else Period(self.date, self.precision)

    @property
    def end(self) -> _Day:
        """The date's last day: the day itself, or the period's last day."""
        return self.date if self.precision is Precision.DAY else Period(self.date, self.precision).end

    @property
    def corroboration(self) -> int:
        """Distinct articles that mention the date or were published on it."""
        return len(self.mentioning | self.published)


@dataclass
class Evidence:
    """The annotated articles of a build and the evidence per date."""

    articles: list[AnnotatedArticle]
    dates: dict[When, DateEvidence]  # days by their date; months and years (``precision="any"``) by Period
    query: Query | None = None
    # For each article, how much it is about the query: its query terms per
    # word over the median article's, at most MAX_RELEVANCE (1 for every
    # article when there is no query).
    relevance: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.relevance:
            self.relevance = [1.0] * len(self.articles)

    @property
    def coverage(self) -> float:
        """How continuously the story is covered: the share of days, from its first article to its last, with one.

        A crisis is covered every day (Timeline17's topics: .5 to 1); a person
        or a company over years only when something happens (Entities: .04 to .16).
        """
        published = {a.article.published for a in self.articles}
        if not published:
            return 0.0
        return len(published) / ((max(published) - min(published)).days + 1)

    @property
    def first_published(self) -> date | None:
        """When the coverage began: the earliest publication date of the build's articles."""
        return min((a.article.published for a in self.articles), default=None)

    def sentence_text(self, c: Candidate) -> str:
        """The candidate's text without a leading dateline, whitespace collapsed."""
        return self.ref(c).text

    def ref(self, c: Candidate) -> SentenceRef:
        """The candidate as a timeline sentence with its provenance (the span skips a leading dateline)."""
        ref = self.articles[c.article].ref(c.sentence)
        if not c.skip:
            return ref
        raw = self.articles[c.article].sentences[c.sentence].text
        return replace(ref, text=" ".join(raw[c.skip :].split()), start=ref.start + c.skip)


# What follows a chronology entry's date: "July 28 - ...", "April 28: ...".
_ENTRY_MARK = re.compile(r"\s*(?:--?|\u2013|\u2014|:)\s")


def _heads_entry(text: str, start: int, end: int, sentence_start: int) -> bool:
    """True when the date mention at ``start:end`` opens its sentence as a chronology entry's heading."""
    return not text[sentence_start:start].strip() and _ENTRY_MARK.match(text, end) is not None


def collect_evidence(
    annotated: Sequence[AnnotatedArticle],
    *,
    query: Query | None = None,
    start: date | None = None,
    end: date | None = None,
    publication_days: int = PUBLICATION_DAYS,
    trim_datelines: bool = True,
    drop_furniture: bool = True,
    count_templates: bool = True,
    horizon: int | None = HORIZON_DAYS,
    trim_headlines: bool = True,
    precision: str = "day",
) -> Evidence:
    """Gather, for every day in ``[start, end]``, its mentions, publications and candidates.

    With ``precision="any"``, every month and year named at that precision
    ("in March 2011", "in 1985") that overlaps the window is a date too,
    keyed by its :class:`~dateline.model.Period`: a timeline may then say
    what happened in a month or a year when no day of it is known.

    With a query, only articles naming a query term count, and only
    sentences in which a term occurs (:meth:`Query.occurs_in`, as news-tls
    tests them) are eligible as timeline lines; the others still say what a
    date is about. With
    ``trim_datelines``, a wire dateline ("CAIRO, March 2 (Reuters) -") and
    a scraped page's furniture before a sentence (a headline run into the
    page's timestamp, a reader comment's header) are boilerplate: their
    dates are not mentions, and they are cut from the sentence, which must
    still be a usable line without them. Picture captions are never lines.
    With ``drop_furniture``, a page's readers' comments
    (:func:`dateline.timeline.furniture.find_comments`) say nothing: their
    dates are not mentions and they are no candidates; an outlet's template
    (a sentence it repeats across its articles,
    :func:`~dateline.timeline.furniture.find_templates`) is a line in its
    first article only, and its dates count as mentions unless
    ``count_templates`` is off (on Timeline17 not counting them costs date
    F1 .0055: an agency's chronology factbox and a BBC explainer repeat the
    story's own dates; a sidebar's dates are beyond the horizon). A date more than
    ``horizon`` days after the last publication is not news and gets no
    evidence (None: no limit). With ``trim_headlines``, a headline run into
    an article's first sentence (:func:`dateline.timeline.clean.run_in_headline`)
    is cut from its span too ("Syria crisis : Gulf Arab states expel Syrian
    ambassadors BBC 's Paul Wood ... Gulf Arab states say ..." is a line from
    "Gulf Arab states say" on). On Timeline17 the headline's words are often
    the reference's words, yet cutting them moves ``reimpl`` R1 +.0006 and R2
    -.0002 and leaves the Entities figures as they are (see BENCHMARKS.md).
    """
    check_precision(precision)
    coarse = precision == "any"
    # Query terms per article, counted once: they choose the articles and measure their relevance.
    counts = [query.count(a.article.text) if query else 1 for a in annotated]
    # Furniture is found over every article given: a template shows in the whole outlet, not only the query's share.
    none = [frozenset[int]() for _ in annotated]
    # The rules' answers kept with the articles (.facts), where they are this Dateline's.
    known = [current(a) for a in annotated]
    starts = [None if f is None else f.comments for f in known]
    # Template keys are compared across articles: hashes for every article, or texts for every article.
    hashed = [f.keys for f in known if f is not None]
    keys = hashed if len(hashed) == len(known) else None
    unread = find_comments(annotated, starts) if drop_furniture else none  # no mentions, no lines
    templates = find_templates(annotated, keys=keys) if drop_furniture else none  # lines in their first article only
    if not count_templates:
        unread = [u | t for u, t in zip(unread, templates)]
    last_published = max((a.article.published for a in annotated), default=None)
    articles = [a for a, n in zip(annotated, counts) if n]
    # A sentence's skip and flags are the facts' only under the settings they were computed with.
    known = [f for f, n in zip(known, counts) if n] if trim_datelines and trim_headlines else [None] * len(articles)
    unread = [f for f, n in zip(unread, counts) if n]
    templates = [f for f, n in zip(templates, counts) if n]
    dates: dict[When, DateEvidence] = {}

    def evidence(when: When) -> DateEvidence | None:
        if when in dates:  # it passed the tests below before
            return dates[when]
        first, last = (when.start, when.end) if isinstance(when, Period) else (when, when)
        if (start and last < start) or (end and first > end):
            return None
        if horizon is not None and beyond_horizon(first, last_published, horizon):
            return None
        if when not in dates:
            dates[when] = (
                DateEvidence(when.start, precision=when.precision) if isinstance(when, Period) else DateEvidence(when)
            )
        return dates[when]

    for i, annotated_article in enumerate(articles):
        published_on = annotated_article.article.published
        by_sentence: dict[int, set[When]] = defaultdict(set)
        sentences = annotated_article.sentences
        skips: dict[int, int] = {}  # where a sentence begins after a leading dateline or page furniture
        heading: dict[int, When] = {}  # a chronology entry's date ("July 28 - Younes is killed")

        # Called only within this iteration, so the loop's current values are the ones meant.
        @functools.cache
        def names_query(index: int) -> bool:
            return query is not None and query.occurs_in(sentences[index].text)  # noqa: B023

        facts = known[i]

        def skip(index: int) -> int:
            if index not in skips:  # noqa: B023
                cut = -1 if facts is None else facts.skips[index]  # noqa: B023
                if cut < 0:  # not known ahead
                    text = sentences[index].text  # noqa: B023
                    cut = sentence_skip(text, index, datelines=trim_datelines, headlines=trim_headlines)
                skips[index] = cut  # noqa: B023
            return skips[index]  # noqa: B023

        for m in annotated_article.mentions:
            when = mention_when(m)
            if when is None or (isinstance(when, Period) and not coarse) or m.sentence in unread[i]:
                continue
            if m.start < sentences[m.sentence].start + skip(m.sentence):
                continue  # "TRIPOLI, March 2 (Reuters) -" says when a story was filed, not what happened
            if isinstance(when, Period) and published_on <= when.end:
                # "this year", "earlier this month": a month or year named while it lasts frames the news;
                # it is an event's date when it is recalled after it ended ("in 1985, Jobs was ousted").
                continue
            by_sentence[m.sentence].add(when)
            if _heads_entry(
                annotated_article.article.text, m.start, m.end, sentences[m.sentence].start + skip(m.sentence)
            ):
                heading[m.sentence] = when
            ev = evidence(when)
            if ev is not None:
                ev.mentioning.add(i)
                if query is None or names_query(m.sentence):
                    ev.about.add(i)
                ev.mentions += 1
                ev.hindsight[i] = max(ev.hindsight.get(i, 0), (published_on - ev.end).days)
        published = evidence(published_on)
        if published is not None:
            published.published.add(i)
        # Only the lead sentences and those naming a date can be lines; the others are not even read.
        for index in sorted(by_sentence.keys() | range(min(LEAD_SENTENCES, len(sentences)))):
            if index in unread[i]:
                continue
            sentence = sentences[index]
            mentioned = by_sentence.get(index)
            if mentioned:
                targets = [evidence(d) for d in mentioned]
            else:
                # An undated lead sentence reports the news of its publication day (or the day before).
                targets = [evidence(d) for d in _days_back(published_on, publication_days)]
            cut = skip(index)
            text = sentence.text[cut:]
            # The cheap tests first: most sentences of a query's articles do not name it.
            if facts is not None and facts.skips[index] >= 0:
                flags = facts.flags[index]
                fit, dependent = bool(flags & USABLE), bool(flags & DEPENDENT)
            else:
                fit, dependent = None, NEEDS_NEIGHBOUR.match(text) is not None
            eligible = (
                index not in templates[i]
                and (query is None or query.occurs_in(text))
                and (usable(text) if fit is None else fit)
            )
            candidate = Candidate(i, index, explicit=bool(mentioned), eligible=eligible, skip=cut, dependent=dependent)
            if index in heading:
                # A chronology entry tells the news of its heading's date; the other dates it names are background.
                other, entry = replace(candidate, eligible=False), heading[index]
                for ev in targets:
                    if ev is not None:
                        ev.candidates.append(candidate if entry == ev.key else other)
            else:
                for ev in targets:
                    if ev is not None:
                        ev.candidates.append(candidate)
    relevance = _relevance(articles, [n for n in counts if n], [f.words if f else None for f in known]) if query else []
    return Evidence(articles=articles, dates=dates, query=query, relevance=relevance)


def _relevance(
    articles: Sequence[AnnotatedArticle], counts: Sequence[int], words: Sequence[int | None] = ()
) -> list[float]:
    """Each article's query terms (``counts``) per word over the median article's, capped.

    An article that names the query once in passing (a Libya story with a
    line on Syria) is mostly about something else, and so are the dates it
    names. Relative to the median, the scale depends neither on how many
    terms the query has nor on how often this story's coverage uses them.
    Empty (every article counts 1, see :class:`Evidence`) when there is nothing to compare.
    """
    words = words or [None] * len(articles)
    density = [n / max(1, len(a.article.text.split()) if w is None else w) for a, n, w in zip(articles, counts, words)]
    median = statistics.median(density) if density else 0.0
    return [min(d / median, MAX_RELEVANCE) for d in density] if median > 0 else []


@dataclass(frozen=True)
class EvidenceCollector:
    """:func:`collect_evidence` with its settings: the evidence stage of a builder."""

    publication_days: int = PUBLICATION_DAYS
    trim_datelines: bool = True
    drop_furniture: bool = True
    count_templates: bool = True
    horizon: int | None = HORIZON_DAYS
    trim_headlines: bool = True

    def collect(
        self,
        annotated: Sequence[AnnotatedArticle],
        *,
        query: Query | None = None,
        start: date | None = None,
        end: date | None = None,
        precision: str = "day",
    ) -> Evidence:
        """The evidence of ``annotated`` under these settings, dated by days or by ``precision="any"``."""
        return collect_evidence(
            annotated,
            query=query,
            start=start,
            end=end,
            publication_days=self.publication_days,
            trim_datelines=self.trim_datelines,
            drop_furniture=self.drop_furniture,
            count_templates=self.count_templates,
            horizon=self.horizon,
            trim_headlines=self.trim_headlines,
            precision=precision,
        )
