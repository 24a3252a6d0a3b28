"""Boilerplate at the start of a sentence: wire datelines, timestamps and page furniture.

News agencies open a story with a dateline ("CAIRO (Reuters) - ...",
"TRIPOLI, March 2 | Wed Mar 2, 2011 7:26am EST TRIPOLI (Reuters) - ...").
It names where the story was filed, not what happened, and would cost a
timeline line its readability (and its ROUGE precision). Scraped pages add
their furniture: a headline run into the page's timestamp and the first
sentence, a live blog's entry headers, reader comments, photo credits,
an agency's credit or a headline in capitals run into the first sentence. No
sentence splitter or boilerplate remover we tried (syntok, nupunkt,
trafilatura) removes these from within a sentence, so the patterns below
do; :func:`lead_boilerplate` only *measures* the prefix, so callers can
move a sentence's span past it and keep provenance exact.
"""

from __future__ import annotations

import itertools
import re

from .memo import TEXTS, remembered

__all__ = ["is_caption", "is_promo", "lead_boilerplate", "run_in_headline"]

# "(Reuters)", "(AP)", and the PTB-escaped "-LRB- Reuters -RRB-" found in pre-tokenised corpora.
_AGENCY = r"(?:\(|-LRB-\s*)[A-Za-z][\w .&/-]{0,30}(?:\)|\s*-RRB-)"
# An upper-case place, an optional ", March 2", the agency, then a dash.
_DATELINE = re.compile(
    r".{0,200}?\b[A-Z]{2,}[A-Z.' -]*(?:,[^()|\n]{0,30}?)?\s*" + _AGENCY + r"\s*(?:--?|\u2014|\u2013)\s+",
    re.DOTALL,
)
# American style: "NEW ORLEANS -- ", "NEW YORK, Sept. 29 -- ", "Tripoli, Libya (CNN) -- ": an
# upper-case place (perhaps after a slug such as "AP" or "NO SALES") and an optional ", Sept. 29"
# or ", Louisiana", or a place in any case with its agency; then a double dash and a new sentence.
_PLACE = r"[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,2}"
_DASH_DATELINE = re.compile(
    r"(?:(?:[A-Z][A-Z.'&-]+\s+)*[A-Z][A-Z.'&-]+(?:\s*,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|" + _PLACE + r"))?"
    r"|" + _PLACE + r"(?:\s*,\s*" + _PLACE + r")?\s*" + _AGENCY + r")"
    r"\s*(?:--|\u2014)\s+(?=[\"'`\u201c\u2018A-Z])"
)
# "WASHINGTON | Tue Mar 1, 2011 12:46pm EST " (a place, then a full timestamp).
_TIMESTAMP = re.compile(
    r"(?:[A-Z][\w ,.'-]{0,40}\|\s*)?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*\s+\w{3,9}\.?\s+\d{1,2}\s*,\s*\d{4}"
    r"\s+\d{1,2}:\d{2}\s*[ap]\.?m\.?\s*[A-Z]{2,4}\s+"
)
# Cheap tests that spare most sentences the patterns: a dateline names its agency in parentheses
# within its first 260 characters, an American one has a double dash, a timestamp a clock time.
_DATELINE_HINT = re.compile(r"\(|-LRB-")
_DASH_DATELINE_HINT = re.compile(r"--|\u2014")
_TIMESTAMP_HINT = re.compile(r"\d:\d\d")
# A credit or a headline in capitals run into the sentence: "AP The chief executive ...",
# "-LRB- AP -RRB- A clearly frustrated ...", "Coast Guard via AP Oil giant BP ...", "NEW CAP FOR
# LEAKING OIL WELL When engineers ...". Three words in capitals at least, so that "BP CEO Tony
# Hayward" stays, and a new sentence must follow. "AP Photo" is left whole for _CAPTION below.
_RUN_IN = re.compile(
    r"(?:(?:-LRB-|\()\s*(?:AP|AFP|Reuters)\s*(?:-RRB-|\))|(?:[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s+via\s+)?(?:AP|AFP)(?!\s+Photo)"
    r"|(?:-?[A-Z][A-Z0-9'&.,/-]*\s+){2,}-?[A-Z][A-Z0-9'&.,/-]*)"
    r"\s+(?=(?:[\"'`\u201c\u2018]+\s*)?(?:[A-Z][a-z]|[AI]\s))"
)
_RUN_IN_HINT = re.compile(r"[A-Z][A-Z]")
# Page furniture of scraped news pages, through which a sentence's start is boilerplate when it
# comes within its first _REACH characters (a headline and standfirst often precede it):
# - a page timestamp or byline: "Friday 11 June 2010 10.07 BST", "13 July 2010 Last updated at
#   09:43 GMT Help", "09:33 UK time, Wednesday, 9 June 2010", "January 31, 2011 | By Ashley Hayes, CNN";
# - a live blog's entry header: "LIBYA, 5:29 p.m. ET, 12:29 a.m. local:", "(Update 9:45 p.m. Cairo)";
# - a reader comment's header: "At 1:51 pm on 28 May 2010, Chris wrote:", "January 31, 2011 at
#   5:47 pm |", "Posted by: oline | September 16, 2008 1:50 PM | Report abuse";
# - a photo credit: "(AP Photo/Gerald Herbert)", "(Getty Images)".
# A clock time alone is not furniture: "shares opened at 08.00 GMT" is news.
_DAY = r"(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s*,?\s+\d\d(?:\d\d)?|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?\s*,\s*\d{4})"
_CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[aApP]\.?[mM]\.?\s*)?"
_ZONE = r"(?:GMT|BST|UTC|CET|[ECMP][SD]T|ET|UK time)\b"
_POSTED = r"\|\s*" + _DAY + r"\s*" + _CLOCK  # a comment's "| September 16, 2008 1:50 PM"
_STAMP = re.compile(
    "|".join(
        (
            _DAY + r"\s*[-,]?\s*(?:Last updated(?:\s+at)?\s*:?\s*)?" + _CLOCK + _ZONE + r"(?:\s+Help\b)?",
            r"Last updated\s*(?:at\s*)?:?\s*(?:"
            + _DAY
            + r"\s*[-,]?\s*)?"
            + _CLOCK
            + r"(?:"
            + _ZONE
            + r")?(?:\s*Help\b)?",
            _DAY
            + r"(?:\s+at\s+"
            + _CLOCK
            + r")?\s*\|(?:\s*By\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*,\s*[A-Z]{2,}\b)?",
            _CLOCK + _ZONE + r"\s*,\s*(?:[A-Z][a-z]+day\s*,\s*)?" + _DAY,
            r"\b[A-Z][A-Z .'-]{1,30},\s*" + _CLOCK + _ZONE + r"(?:\s*,\s*" + _CLOCK + r"local)?\s*:",
            r"\bAt\s+" + _CLOCK + r"on\s+" + _DAY + r"\s*,\s*[^,:]{1,40}?\s+wrote\s*:",
            r"(?:\(|-LRB-)[^()]{0,40}?\b(?:Photo|Images)\b[^()]{0,40}?(?:\)|-RRB-)",
            r"(?:\(|-LRB-)\s*Update[ds]?\b[^()]{0,80}?(?:\)|-RRB-)",
            r"(?:\(|-LRB-)\s*" + _CLOCK + r"[^()]{0,60}?(?:\)|-RRB-)",  # a live blog's "(6:43 p.m. Monday ET, ...)"
            r"(?:Posted by\s*:[^|]{0,60})?" + _POSTED + r"\|\s*Report abuse\b",
            r"Posted by\s*:[^|]{0,60}" + _POSTED,
            r"This Story\s*:(?:\s*\w+\s*\+\s*\|)+",  # a page's "This Story : Read + | Watch + |"
            r"Click (?:on|here)\b[^.|:]{0,60}\b(?:picture|image|photo|gallery)s?\b",
        )
    )
)
_REACH = 400
_SPACE = re.compile(r"\s*")
# ... and every stamp above holds a clock time, a photo credit, a pipe or a "Click".
_STAMP_HINT = re.compile(r"\d[:.]\d\d|Photo|Images|\||Click")
_CLOCK_HINT = re.compile(r"\d[:.]\d\d")  # _STAMP_HINT's clock time, the rest found by str.find
# A caption describes a picture, not an event. Besides the credits, an agency's caption ends with
# its place and full date and no "on" ("A logo is seen at a BP fuel station in London July 27,
# 2010."), where a sentence of news says "on July 27, 2010".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CAPTION = re.compile(
    r"\b(?:Photograph|Photo|Picture|Image)s?\s*:|\bIn this (?:\w+ )?(?:image|photo|handout|file)\b|\bAP Photo\b"
    r"|\b[A-Z][\w.'-]+\s+" + _MONTH + r"\s+\d{1,2}\s*,\s*\d{4}\s*\.?\s*$"
    r"|\b(?:is|are) (?:seen|pictured)\s+(?:at|in|near|outside|inside|during|after|before)\b"
)
# A promo sends the reader elsewhere ("tune in to AC360 at 10 p.m. ET", "For the latest from
# AC360 click here"): it tells no news.
_PROMO = re.compile(
    r"\btune in\b|\bclick here\b|\b(?:watch|see)\b[^.]{0,60}\b[ap]\.?m\.?\s*ET\b"
    r"|\b[ap]\.?m\.?\s*ET\b[^.]{0,40}\bon CNN\b|\bfollow (?:us|him|her|them) on\b",
    re.IGNORECASE,
)


@remembered(TEXTS)
def lead_boilerplate(text: str) -> int:
    """How many leading characters of ``text`` are a dateline, a timestamp or page furniture (0 when none).

    What is left may be too short to be a sentence; it is then no timeline line.
    """
    # Each pattern is tried where its hint (the _*_HINT patterns) is found; these tests find the same
    # by cheaper means (tests/test_timeline.py pins them to the hint patterns): a hint of literals by
    # str.find, which does not scan as a regex does; before the hint, the first character that three
    # of the patterns must start with; and the run-in pattern, anchored and seldom matching, before
    # its hint.
    skip = 0
    while True:
        end = skip
        if text.find("(", end, end + 260) >= 0 or text.find("-LRB-", end, end + 260) >= 0:
            end = _end(_DATELINE.match(text, end), end)
        if "A" <= text[end : end + 1] <= "Z" and (
            text.find("--", end, end + 260) >= 0 or text.find("\u2014", end, end + 260) >= 0
        ):
            end = _end(_DASH_DATELINE.match(text, end), end)
        if (
            "A" <= text[end : end + 1] <= "Z"
            and text.find(":", end, end + 260) >= 0
            and _TIMESTAMP_HINT.search(text, end, end + 260)
        ):
            end = _end(_TIMESTAMP.match(text, end), end)
        match = _RUN_IN.match(text, end)
        if match and _RUN_IN_HINT.search(text, end, end + 260):
            end = match.end()
        if (
            text.find("|", end, _REACH) >= 0
            or text.find("Photo", end, _REACH) >= 0
            or text.find("Images", end, _REACH) >= 0
            or text.find("Click", end, _REACH) >= 0
            or _CLOCK_HINT.search(text, end, _REACH)
        ):
            for match in _STAMP.finditer(text, end, _REACH):
                end = match.end()
            end = _SPACE.match(text, end).end()  # type: ignore[union-attr]  # \s* always matches
        if end == skip:
            return skip
        skip = end


def _end(match: re.Match[str] | None, end: int) -> int:
    return match.end() if match else end


def is_caption(text: str) -> bool:
    """True for a picture's caption or credit ("Photograph: Rex Features ...", "In this image made from video ...")."""
    return _may_be_caption(text) and _CAPTION.search(text) is not None


def is_promo(text: str) -> bool:
    """True for a promotion of a show or page ("tune in to AC360 at 10 p.m. ET", "click here")."""
    return _may_be_promo(text) and _PROMO.search(text) is not None


# Cheap tests that spare most sentences the two patterns above (a regex that opens on \b tries
# every position): what each of their branches cannot match without.
def _may_be_caption(text: str) -> bool:
    if (
        "Photo" in text
        or "Picture" in text
        or "Image" in text
        or "In this " in text
        or "seen" in text
        or "pictured" in text
    ):
        return True
    # ... or it ends on a year: "... in London July 27, 2010."
    tail = text.rstrip()
    tail = tail[:-1].rstrip() if tail.endswith(".") else tail
    return tail[-4:].isdecimal()


def _may_be_promo(text: str) -> bool:
    if not text.isascii():  # the pattern ignores case the Unicode way ("ſ" is an "s"): no shortcut
        return True
    low = text.lower()
    return (
        "tune in" in low
        or "click here" in low
        or "on cnn" in low
        or "follow " in low
        or (("watch" in low or "see" in low) and "et" in low)
    )


# A headline run into an article's first sentence restates its subject where the sentence proper
# begins: "Saudi Arabia recalls ambassador to Syria [caption] Saudi Arabia has said it is recalling
# its ambassador ...", "Syria crisis : Gulf Arab states expel ... Gulf Arab states say ...". The
# headline's first two words (after a kicker such as "Syria crisis :") recur after a word that is
# not a function word, with no punctuation between: the sentence starts there. No sentence
# splitter splits there (nothing marks the end of the headline), so this is measured by hand.
_TOKEN = re.compile(r"[^\W_][\w'-]*|[^\w\s]+")
_KICKER = re.compile(r"[^:.!?]{1,40}?\s:\s")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "but",
        "as",
        "that",
        "than",
        "into",
        "over",
        "after",
        "before",
        "about",
        "against",
        "between",
        "during",
        "under",
        "his",
        "her",
        "its",
        "their",
        "our",
        "your",
        "my",
        "this",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "when",
        "where",
        "while",
        "who",
        "which",
        "what",
        "if",
        "said",
        "says",
        "told",
        "tells",
        "hit",
        "met",
        "meets",
    ]
)
# A subject that is a date or "I" starts sentences of its own ("Thursday morning, ...").
_NOT_SUBJECTS = frozenset(
    [
        "I",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
# The sentence proper is long: a subject restated near the end starts a clause, not the lead.
_MIN_LEAD_WORDS = 10


@remembered(TEXTS)
def run_in_headline(text: str) -> int:
    """How many leading characters of an article's first sentence are a headline run into it (0 when none)."""
    kicker = _KICKER.match(text)
    base = kicker.end() if kicker else 0
    # Tokenising the sentence is what costs (a page's first "sentence" can be its whole head), so
    # its first five tokens are enough to give up on most: when the first two words do not occur
    # again where the loop below looks for them.
    found = _TOKEN.finditer(text, base)
    tokens = [(m.start(), m.group()) for m in itertools.islice(found, 5)]
    if len(tokens) < 5 or not tokens[0][1][:1].isupper():
        return 0
    first, second = tokens[0][1], tokens[1][1]
    if first in _NOT_SUBJECTS or text.find(first, tokens[3][0]) < 0 or text.find(second, tokens[4][0]) < 0:
        return 0
    tokens += [(m.start(), m.group()) for m in found]
    if len(tokens) < 2 * _MIN_LEAD_WORDS:
        return 0
    for j in range(3, len(tokens) - _MIN_LEAD_WORDS + 1):
        start, word = tokens[j]
        prev = tokens[j - 1][1]
        # The headline's first two words again ("Saudi Arabia", "Syria 's"; one word alone is often
        # an object: "told President Assad"), after a lower-case word that is no function word
        # ("... by security forces Saudi Arabia has said"; after a capital it would continue a name).
        if (
            word == first
            and tokens[j + 1][1] == second
            and len(prev) > 1
            and (prev[:1].islower() or prev[:1].isdigit())
            and prev.lower() not in _FUNCTION_WORDS
        ):
            return start
    return 0
