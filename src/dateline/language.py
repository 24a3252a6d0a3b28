"""Which language an article is in: Dateline's date rules read English only.

A French article gets wrong dates with no error ("résolution 1973" becomes the
year 1973), so the CLI warns with a count of articles that are not English.
Most news in English is recognised at once by its function words; only the
others are asked of ``py3langid`` (langid.py's bundled model, numpy only, no
download), whose model takes a few seconds to load.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from .model import Article

__all__ = ["detect_language", "language_warning", "non_english"]

# How much of a text the detectors read: a few paragraphs tell the language.
SAMPLE_CHARS = 3000
# English prose is 40-55% function words; French or German text has under 10% English ones.
ENGLISH_SHARE = 0.3
# Below this many words (a caption, a graphic's credit) a language cannot be told reliably.
MIN_WORDS = 30
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language ``text`` is written in ("en", "fr", ...); "" when too short to tell."""
    sample = text[:SAMPLE_CHARS]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return ""
    if sum(w in ENGLISH_STOP_WORDS for w in words) / len(words) >= ENGLISH_SHARE:
        return "en"
    import py3langid  # type: ignore[import-untyped]  # ships no type hints

    return str(py3langid.classify(sample)[0])


def non_english(articles: Iterable[Article]) -> Counter[str]:
    """How many of ``articles`` are in each language other than English."""
    found: Counter[str] = Counter()
    for article in articles:
        lang = detect_language(article.text)
        if lang and lang != "en":
            found[lang] += 1
    return found


def language_warning(found: Counter[str]) -> str | None:
    """A one-line warning from :func:`non_english`'s counts, or None when every article is in English."""
    if not found:
        return None
    n = sum(found.values())
    langs = ", ".join(f"{lang} {k}" for lang, k in found.most_common())
    return (
        f"warning: {n} {'article is' if n == 1 else 'articles are'} not in English ({langs}); "
        f"Dateline reads English only, so {'its' if n == 1 else 'their'} dates may be wrong"
    )
