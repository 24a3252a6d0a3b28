"""Page furniture: sentences of a scraped page that are not the story.

Scraped pages carry text that is not the article: an outlet's sidebar
("#AC 360 8:30 pm ET February 11, 2013 RETWEET ..."), its comment policy
("Views expressed in the comments do not represent those of Reuters"),
and readers' comments ("April 4, 2011 at 7:58 am | Reply ..."). Their dates
are not mentions and they are never timeline lines. Two general signs find
them, whatever the outlet:

- **repetition within an outlet**: a sentence found verbatim in many
  articles of one outlet, published over several days, is the page's
  template, not news corroborated by many reports: it is a line in its
  first article only (news repeated verbatim, such as a wire's background
  paragraph, recurs in a handful of articles; a sidebar in dozens; but so
  do an agency's chronology factbox and a BBC explainer, whose dates are
  the story's: the builder still counts a template's dates, see
  :class:`dateline.timeline.evidence.EvidenceCollector` and BENCHMARKS.md);
- **the comment section**: readers' comments come after the article, so
  from the first comment header on ("DATE at TIME | Reply", "| Report
  abuse", "At TIME on DATE, NAME wrote:", "Posted by:") the page is
  comments. Pattern matching is by hand: no boilerplate remover we tried
  (trafilatura, justext) works on text already stripped of its markup.

A date far after every publication date is not news either:
:data:`HORIZON_DAYS` and :func:`beyond_horizon`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from datetime import date

from ..model import AnnotatedArticle

__all__ = [
    "HORIZON_DAYS",
    "MIN_DAYS",
    "MIN_REPEATS",
    "beyond_horizon",
    "comments_start",
    "find_comments",
    "find_furniture",
    "find_templates",
    "outlet",
]

# A sentence in at least this many articles of one outlet, published on at least MIN_DAYS days,
# is furniture. On Timeline17 furniture recurs in 8 to 200 articles of an outlet, news repeated
# verbatim (a factbox's "March 17 - The U.N. Security Council votes ...") in at most 5.
MIN_REPEATS = 6
# ... over several days, so that the few versions of one story updated within a day or two
# (which share most of their sentences) are not taken for a template.
MIN_DAYS = 3
# Sentences this short ("U.S.", "Reuters.") repeat everywhere and say nothing; they are left alone.
MIN_CHARS = 20
# A date more than this many days after the corpus's last publication is not news: a page's
# sidebar or comments crawled later, or a plan far ahead.
HORIZON_DAYS = 30

_DAY = r"(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s*,?\s+\d\d(?:\d\d)?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*,\s*\d{4})"
_CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[aApP]\.?[mM]\.?\s*)?"
_COMMENT_HEADER = re.compile(
    r"|".join(
        (
            # "April 4 , 2011 at 7:58 am | Reply", "February 24 , 2011 03:18 pm at 3:18 pm |"
            _DAY + r"\s+(?:" + _CLOCK + r")?at\s+" + _CLOCK + r"\s*\|",
            r"\|\s*Report abuse\b",
            r"\bAt\s+" + _CLOCK + r"on\s+" + _DAY + r"\s*,\s*[^,:]{1,40}?\s+wrote\s*:",
            r"\bPosted by\s*:",
        )
    )
)


def outlet(article: AnnotatedArticle) -> str:
    """The outlet an article comes from: its source, else its name's prefix (``LibyaWar_cnn`` of ``LibyaWar_cnn/43``)."""
    a = article.article
    if a.source:
        return a.source
    name = a.name or ""
    return name.rsplit("/", 1)[0] if "/" in name else ""


def comments_start(article: AnnotatedArticle) -> int | None:
    """The index of the sentence where readers' comments begin (None when the page has none)."""
    for s in article.sentences:
        if ("|" in s.text or "wrote" in s.text or "Posted" in s.text) and _COMMENT_HEADER.search(s.text):
            return s.index
    return None


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _keys(article: AnnotatedArticle) -> list[str | None]:
    """:func:`_key` of each sentence of ``article`` (None for one shorter than :data:`MIN_CHARS`).

    A template test keys every sentence of the corpus, and splitting each into words is what costs.
    A sentence whose whitespace is single spaces between words is its own key but for the case:
    such sentences are lower-cased all at once, joined by NULs (``lower()`` works character by
    character but for a final sigma, which a NUL closes as the sentence's end would). Whitespace
    other than the space is never printable (tests/test_content.py pins it), so the test is cheap.
    """
    texts = [s.text for s in article.sentences]
    joined = "\x00".join(texts)
    keys = joined.lower().split("\x00")
    if len(keys) != len(texts):  # a sentence holds a NUL (or there is none)
        keys = [_key(t) for t in texts]
    elif (
        "  " in joined
        or "\x00 " in joined
        or " \x00" in joined
        or joined[:1] == " "
        or joined[-1:] == " "
        or not all(map(str.isprintable, texts))
    ):
        for j, t in enumerate(texts):
            if "  " in t or t[:1] == " " or t[-1:] == " " or not t.isprintable():
                keys[j] = _key(t)
    return [k if len(t) >= MIN_CHARS else None for t, k in zip(texts, keys)]


def find_templates(
    articles: Sequence[AnnotatedArticle],
    *,
    min_repeats: int = MIN_REPEATS,
    min_days: int = MIN_DAYS,
    keys: Sequence[Sequence[Hashable]] | None = None,
) -> list[frozenset[int]]:
    """For each article, the indices of its sentences that repeat an outlet's template told first elsewhere.

    ``keys``, one per sentence of each article, stand for the sentences' template keys when known
    ahead (their hashes, :func:`dateline.timeline.facts.key_hash`, 0 for a sentence too short).
    """
    # Hashing sentences by outlet is all a template needs: it is repeated verbatim. Nearly every
    # sentence is in one article only, so the articles holding a sentence are first only counted
    # (a Counter, no set per sentence), and listed for the few sentences counted often enough.
    outlets = [outlet(a) for a in articles]
    if keys is None:
        keys = [_keys(a) for a in articles]
    held: list[set[Hashable]] = []
    counts: dict[str, Counter[Hashable]] = defaultdict(Counter)
    for o, row in zip(outlets, keys):
        distinct = set(row)
        distinct.discard(None)
        distinct.discard(0)  # a hash's "too short"; never a key's text
        counts[o].update(distinct)
        held.append(distinct)
    often = {o: {k for k, n in c.items() if n >= min_repeats} for o, c in counts.items()}
    seen: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
    for i, (o, distinct) in enumerate(zip(outlets, held)):
        for k in distinct & often[o]:
            seen[o, k].append(i)
    # Each template keeps its first article (earliest published): a chronology factbox an agency
    # attaches to every story ("June 2 - BP tries another capping strategy") is news told once.
    keeper: dict[tuple[str, Hashable], int] = {}
    for template, where in seen.items():
        if len({articles[i].article.published for i in where}) >= min_days:
            keeper[template] = min(where, key=lambda i: (articles[i].article.published, i))
    result: list[frozenset[int]] = []
    for n, (o, row, distinct) in enumerate(zip(outlets, keys, held)):
        told = {k for k in distinct & often[o] if keeper.get((o, k), n) != n}
        result.append(frozenset(j for j, k in enumerate(row) if k in told) if told else frozenset())
    return result


def find_comments(
    articles: Sequence[AnnotatedArticle], starts: Sequence[int | None] | None = None
) -> list[frozenset[int]]:
    """For each article, the indices of its sentences in readers' comments (from the first header on).

    ``starts`` gives where the comments of each article begin when known ahead (-1: it has none;
    None: not known, so :func:`comments_start` finds it).
    """
    result = []
    for i, a in enumerate(articles):
        known = starts[i] if starts is not None else None
        start = comments_start(a) if known is None else known if known >= 0 else None
        result.append(frozenset(range(start, len(a.sentences))) if start is not None else frozenset())
    return result


def find_furniture(
    articles: Sequence[AnnotatedArticle], *, min_repeats: int = MIN_REPEATS, min_days: int = MIN_DAYS
) -> list[frozenset[int]]:
    """For each article, the indices of its sentences that are furniture (a template told first elsewhere, comments)."""
    templates = find_templates(articles, min_repeats=min_repeats, min_days=min_days)
    return [t | c for t, c in zip(templates, find_comments(articles))]


def beyond_horizon(day: date, last_published: date | None, horizon: int = HORIZON_DAYS) -> bool:
    """True when ``day`` is more than ``horizon`` days after the corpus's last publication."""
    # A difference, not a sum: 30 days after 9999-12-20 is not a date.
    return last_published is not None and (day - last_published).days > horizon
