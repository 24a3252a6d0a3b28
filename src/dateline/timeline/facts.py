"""The builder's rules applied ahead: what they say of an article whatever the question.

Most of what a build does to an article does not depend on the question:
where each sentence begins after a wire dateline or a run-in headline, whether
what is left could be a timeline line, whether it opens on a pronoun, each
sentence's template key, where readers' comments begin, how many words the
article has. On a million-article corpus, a query selecting 10,000 articles
spent about half its builder's time there (BENCHMARKS.md, section 5).
:func:`article_facts` answers all of it at once, when an article is
annotated into a columnar corpus, and the builder reads the answers instead
of applying the rules again.

The answers are only as good as the rules that gave them: :data:`RULES`
names this module's rules and those it applies (``clean.py``,
``furniture.py``, this file) by a hash of their source, so that an answer
kept from other rules is never used (:func:`current`), and a build computes
it afresh. No version number to remember to bump: changing a rule changes
its source.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
from array import array
from importlib import resources

from .._version import __version__
from ..model import AnnotatedArticle, ArticleFacts
from .clean import is_caption, is_promo, lead_boilerplate, run_in_headline
from .furniture import _keys, comments_start
from .memo import TEXTS, remembered

__all__ = [
    "DEPENDENT",
    "LEAD_SENTENCES",
    "MAX_WORDS",
    "MIN_WORDS",
    "NEEDS_NEIGHBOUR",
    "RULES",
    "USABLE",
    "article_facts",
    "current",
    "from_bytes",
    "key_hash",
    "sentence_skip",
    "to_bytes",
    "usable",
]

# Lead sentences of an article published on a date describe that date's news
# even without naming it; deeper sentences are usually background.
LEAD_SENTENCES = 5
# Sentences shorter or longer than this (in words) make poor timeline lines:
# headlines and fragments on one side, run-on quotes on the other.
MIN_WORDS, MAX_WORDS = 5, 60
# A sentence's flags: what follows its dateline could be a timeline line; it opens on a pronoun.
USABLE, DEPENDENT = 1, 2

# A timeline line is a full statement: headlines and captions (no closing
# punctuation) and questions are not.
_CLOSING = (".", "!", '"', "'", "\u201d", "\u2019", ")")

# A sentence that opens on a pronoun needs the sentence before it ("They were acting on a threat
# that had been phoned in."): alone, as a timeline line, it does not say who.
NEEDS_NEIGHBOUR = re.compile(
    r"(?:[\"'`\u201c\u2018]+\s*)?(?:(?:They|He|She|His|Her|Their|Them|These|Those)\b"
    r"|(?:It|This|That)\s+(?:is|was|has|had|would|will|could|came|comes|means|meant)\b)"
)


@remembered(TEXTS)
def usable(text: str) -> bool:
    """True when ``text`` (a sentence after its dateline) could be a timeline line: a full statement of usable length."""
    words = len(text.split())
    return (
        MIN_WORDS <= words <= MAX_WORDS
        and text.rstrip().endswith(_CLOSING)
        and not is_caption(text)
        and not is_promo(text)
    )


def sentence_skip(text: str, index: int, *, datelines: bool = True, headlines: bool = True) -> int:
    """Where sentence ``index`` with ``text`` begins after a leading dateline (``datelines``) and, for an
    article's first sentence, a headline run into it (``headlines``)."""
    cut = lead_boilerplate(text) if datelines else 0
    if headlines and index == 0:  # a headline runs only into an article's first sentence
        cut += run_in_headline(text[cut:])
    return cut


def _rules_version() -> str:
    package = resources.files(__package__)
    try:
        source = b"".join(package.joinpath(name).read_bytes() for name in ("clean.py", "furniture.py", "facts.py"))
    except OSError:  # installed without its sources (bytecode only): the release names the rules
        return f"release-{__version__}"
    return hashlib.sha1(source).hexdigest()[:16]


RULES = _rules_version()


def key_hash(key: str | None) -> int:
    """A signed 64-bit hash of a sentence's template key (see :func:`~dateline.timeline.furniture.find_templates`), the same in every process; 0 for None."""
    if key is None:
        return 0
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) or 1


def article_facts(annotated: AnnotatedArticle) -> ArticleFacts:
    """The facts of ``annotated`` under the builder's default settings (datelines and headlines trimmed).

    Only the sentences a build may read get their skip and flags: the lead
    sentences and those holding a date mention; the others are marked -1.
    """
    sentences = annotated.sentences
    read = {m.sentence for m in annotated.mentions} | set(range(min(LEAD_SENTENCES, len(sentences))))
    skips = array("i", [-1] * len(sentences))
    flags = bytearray(len(sentences))
    for index in sorted(read):
        if not 0 <= index < len(sentences):
            continue
        text = sentences[index].text
        cut = sentence_skip(text, index)
        rest = text[cut:]
        skips[index] = cut
        flags[index] = (USABLE if usable(rest) else 0) | (DEPENDENT if NEEDS_NEIGHBOUR.match(rest) else 0)
    comments = comments_start(annotated)
    return ArticleFacts(
        rules=RULES,
        words=len(annotated.article.text.split()),
        comments=-1 if comments is None else comments,
        skips=skips,
        flags=bytes(flags),
        keys=array("q", map(key_hash, _keys(annotated))),
    )


def to_bytes(facts: ArticleFacts) -> bytes:
    """``facts`` (not their rules) as bytes, little-endian: words and comments (int32), then per sentence its skip
    (int32), its flags (a byte) and its key (int64)."""
    skips, keys = array("i", facts.skips), array("q", facts.keys)
    if sys.byteorder == "big":
        skips.byteswap()
        keys.byteswap()
    return struct.pack("<ii", facts.words, facts.comments) + skips.tobytes() + bytes(facts.flags) + keys.tobytes()


def from_bytes(data: bytes, rules: str = RULES) -> ArticleFacts:
    """The facts :func:`to_bytes` wrote, as computed by ``rules``."""
    n = (len(data) - 8) // 13
    if len(data) != 8 + 13 * n:
        raise ValueError(f"{len(data)} bytes are no article's facts")
    words, comments = struct.unpack_from("<ii", data)
    skips, keys = array("i"), array("q")
    skips.frombytes(data[8 : 8 + 4 * n])
    keys.frombytes(data[8 + 5 * n :])
    if sys.byteorder == "big":
        skips.byteswap()
        keys.byteswap()
    return ArticleFacts(rules, words, comments, skips, data[8 + 4 * n : 8 + 5 * n], keys)


def current(annotated: AnnotatedArticle) -> ArticleFacts | None:
    """The article's facts when the rules that gave them are this Dateline's, else None (compute afresh)."""
    facts = annotated.facts
    return (
        facts if facts is not None and facts.rules == RULES and len(facts.skips) == len(annotated.sentences) else None
    )
