"""What lines and dates a timeline shows: page furniture, far-future dates, one event once, readable lines."""

from __future__ import annotations

import io
import re
import sys
from datetime import date, timedelta

import pytest

import dateline
from conftest import REPO, make_annotated, shared_path
from dateline.corpus import corpus_stats
from dateline.language import detect_language, language_warning, non_english
from dateline.model import Article
from dateline.progress import report
from dateline.timeline import clean
from dateline.timeline.clean import is_caption, is_promo, run_in_headline
from dateline.timeline.evidence import collect_evidence
from dateline.timeline.furniture import HORIZON_DAYS, MIN_CHARS, _key, _keys, comments_start, find_furniture

SIDEBAR = "#AC 360 8:30 pm ET February 11, 2013 RETWEET Coming up: the man who killed #BinLaden."
NEWS = "Rebels seized the coastal town of Brega after a day of heavy fighting with government troops."


def _outlet_corpus(repeats: int, days: int, source: str = "cnn") -> list:
    """``repeats`` articles of one outlet, published over ``days`` days, each carrying SIDEBAR."""
    return [
        make_annotated(
            [f"Story {i}: the council met in Benghazi to discuss supplies for the city.", SIDEBAR],
            date(2011, 3, 1) + timedelta(days=i % days),
            {0: [date(2011, 3, 1)], 1: [date(2013, 2, 11)]},
            name=f"{source}/{i}",
        )
        for i in range(repeats)
    ]


@pytest.mark.parametrize(
    ("repeats", "days", "furniture"),
    [
        (6, 3, True),  # a template: six articles over three days
        (30, 20, True),
        (5, 5, False),  # a chronology factbox recurs in a handful of articles: still news
        (8, 2, False),  # versions of one story updated within two days share their sentences
    ],
)
def test_sentences_an_outlet_repeats_are_furniture(repeats, days, furniture):
    found = find_furniture(_outlet_corpus(repeats, days))
    # A template counts in its first article only.
    assert [1 in f for f in found] == [False] + [furniture] * (repeats - 1)
    assert all(0 not in f for f in found)


def test_repetition_is_counted_per_outlet():
    corpus = _outlet_corpus(3, 3, "cnn") + _outlet_corpus(3, 3, "reuters")
    assert not any(find_furniture(corpus))


@pytest.mark.parametrize(
    "texts",
    [
        ["Rebels seized the coastal town of Brega.", "The Council met on Monday in New York City."],
        ["A line\nbroken in two by the page.", "  Leading spaces before the words.", "Trailing ones too.  "],
        ["Two  spaces between two words here.", "A tab\there and a form feed\x0c there."],
        ["", "   ", "An empty sentence and a blank one come before this one."],
        ["No\xa0break\u3000ideographic and thin\u2009spaces.", "Soft\xadhyphen is not a space at all."],
        ["ΟΔΥΣΣΕΥΣ ΚΑΙ ΑΧΙΛΛΕΥΣ ΣΤΗΝ ΤΡΟΙΑ", "ΣΟΦΟΣ", "Σ", "İSTANBUL İS A CITY OF FIFTEEN MILLION"],
        ["A NUL\x00inside a sentence keys it one by one.", "As every other sentence of its article."],
        ["Only one sentence in this article, long enough."],
    ],
)
def test_template_keys_are_each_sentences_own(texts):
    # _keys keys an article's sentences at once; it must agree with the key of each sentence alone.
    a = make_annotated(texts, date(2011, 3, 1), {}, name="cnn/1")
    assert _keys(a) == [_key(t) if len(t) >= MIN_CHARS else None for t in texts]
    assert _keys(make_annotated([], date(2011, 3, 1), {}, name="cnn/2")) == []


def test_whitespace_but_the_space_is_unprintable():
    # What lets _keys find a sentence whose whitespace is more than single spaces by str.isprintable.
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]
    assert all(c.lower() == c for c in spaces)


def test_comment_section_runs_from_its_first_header():
    a = make_annotated(
        [
            "NATO jets struck targets near Tripoli overnight, the alliance said.",
            "April 4, 2011 at 7:58 am | Reply Numerous press reports add to the evidence.",
            "The rebels were appointed a new commander on March 17.",
        ],
        date(2011, 4, 4),
        {2: [date(2011, 3, 17)]},
        name="cnn/1",
    )
    assert comments_start(a) == 1
    assert find_furniture([a]) == [frozenset({1, 2})]
    ev = collect_evidence([a])
    assert date(2011, 3, 17) not in ev.dates  # a reader's date is not a mention


def test_a_template_is_a_line_once_and_a_sidebar_date_beyond_the_horizon_is_none():
    corpus = _outlet_corpus(6, 3)
    ev = collect_evidence(corpus, horizon=None)
    assert sum(c.eligible for d in ev.dates.values() for c in d.candidates if c.sentence == 1) == 1
    # Not counting a template's dates is an option (off by default: factboxes repeat the story's dates).
    ev = collect_evidence(corpus, horizon=None, count_templates=False)
    assert len(ev.dates[date(2013, 2, 11)].mentioning) == 1
    assert date(2013, 2, 11) not in collect_evidence(corpus).dates


def test_stats_count_no_comment_and_no_far_future_date():
    corpus = _outlet_corpus(6, 3)
    top = dict(corpus_stats(corpus).top_dates)
    assert date(2013, 2, 11) not in top and top[date(2011, 3, 1)] == 6


def test_a_date_far_after_the_last_publication_is_not_news():
    last = date(2011, 3, 3)
    a = make_annotated(
        [
            "The ceasefire will be reviewed on March 20, officials said on Thursday.",
            "A trial of the former ministers is planned for the summer, on July 30, lawyers said.",
        ],
        last,
        {0: [last + timedelta(days=HORIZON_DAYS - 13)], 1: [last + timedelta(days=HORIZON_DAYS + 119)]},
        name="a",
    )
    ev = collect_evidence([a])
    assert last + timedelta(days=HORIZON_DAYS - 13) in ev.dates
    assert last + timedelta(days=HORIZON_DAYS + 119) not in ev.dates
    assert last + timedelta(days=HORIZON_DAYS + 119) in collect_evidence([a], horizon=None).dates


@pytest.mark.parametrize(
    ("text", "caption", "promo"),
    [
        ("A logo is seen at a BP fuel station in London July 27, 2010.", True, False),
        ("Oil floats around a work boat at the site of the oil spill in the Gulf of Mexico June 2, 2010.", True, False),
        ("Protesters are pictured outside the embassy in Cairo.", True, False),
        ("The Challenger disaster happened on January 28, 1986.", False, False),
        ("The deal is seen as a step towards peace, diplomats said.", False, False),
        ("And for the latest on Libya, tune in to AC360 at 10 p.m. ET Thursday on CNN.", False, True),
        ("Watch AC360 at 10 p.m. ET Wednesday on CNN.", False, True),
        ("For the latest from AC360 click here.", False, True),
        ("A Facebook page had more than 80,000 followers as of 2 p.m. ET Thursday.", False, False),
        # The shortcuts before the patterns must not miss these: a year closing on spaces, Unicode case.
        ("Smith March 3, 2011\u00a0.\u2003", True, False),
        ("Tune in at 10 p.m. ET to see it.", False, True),
        ("\u017fee it at 10 p.m. ET.", False, True),
        ("Follow us on Twitter.", False, True),
    ],
)
def test_captions_and_promos(text, caption, promo):
    assert is_caption(text) is caption
    assert is_promo(text) is promo


@pytest.mark.parametrize(
    ("sentence", "eligible"),
    [
        ("They were acting on a threat that had been phoned in to the airport.", False),
        ("He said the talks would resume in Geneva on Monday.", False),
        ("It was the deadliest day since the uprising began.", False),
        ("This week the council voted to extend the mission by six months.", True),
        ("Police evacuated the terminal after a threat was phoned in on Monday.", True),
    ],
)
def test_a_line_that_needs_its_neighbour_is_a_last_resort(sentence, eligible):
    a = make_annotated([sentence], date(2011, 3, 2), {0: [date(2011, 3, 1)]}, name="a")
    (candidate,) = collect_evidence([a]).dates[date(2011, 3, 1)].candidates
    assert candidate.dependent is not eligible
    other = make_annotated(
        ["The airport reopened on March 1 after a search of the terminal by police."],
        date(2011, 3, 2),
        {0: [date(2011, 3, 1)]},
        name="b",
    )
    timeline = dateline.get_builder().build([a, other], dateline.BuildOptions(dates=1, sentences=1))
    (line,) = timeline.entries[0].sentences
    assert (line.article_name == "a") is eligible


def test_a_chronology_entry_is_a_line_of_its_heading_date_only():
    july28, feb22 = date(2011, 7, 28), date(2011, 2, 22)
    text = "July 28 - Abdel Fattah Younes, who defected to the rebels on February 22, is killed."
    a = make_annotated([text], date(2011, 8, 30), {}, name="a")
    start = a.article.text.index("February 22")
    mentions = (
        dateline.DateMention(0, 7, "July 28", "DATE", "2011-07-28", 0, july28, dateline.Precision.DAY),
        dateline.DateMention(start, start + 11, "February 22", "DATE", "2011-02-22", 0, feb22, dateline.Precision.DAY),
    )
    ev = collect_evidence([dateline.AnnotatedArticle(a.article, a.sentences, mentions)])
    assert [c.eligible for c in ev.dates[july28].candidates] == [True]
    assert [c.eligible for c in ev.dates[feb22].candidates] == [False]


def test_af447_demo_tells_each_event_under_one_date(tmp_path):
    articles = dateline.read_articles(REPO / "examples" / "af447")
    timeline = dateline.build_timeline(articles, cache=dateline.AnnotationCache(tmp_path))
    bodies = {e.date for e in timeline for s in e.sentences if "bodies" in s.text}
    assert len(bodies) == 1, bodies
    # No article's lead is split across two neighbouring dates.
    placed: dict[tuple[str, int], date] = {}
    for e in timeline:
        for s in e.sentences:
            placed[(s.article_id, s.sentence_index)] = e.date
    by_article: dict[str, set[date]] = {}
    for (article, index), d in placed.items():
        if index < 5:
            by_article.setdefault(article, set()).add(d)
    for days in by_article.values():
        assert all(abs((a - b).days) != 1 for a in days for b in days), days


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Le Conseil de sécurité des Nations unies a adopté jeudi la résolution 1973, qui autorise le recours à la "
            "force contre les troupes du colonel Kadhafi. Le vote a eu lieu à New York, après des semaines de débats "
            "entre les membres du Conseil sur la situation en Libye et la protection des civils.",
            "fr",
        ),
        (
            "The United Nations Security Council adopted resolution 1973 on Thursday, which authorises the use of "
            "force against Colonel Gaddafi's troops. The vote took place in New York after weeks of debate among the "
            "members of the council about the situation in Libya and the protection of civilians.",
            "en",
        ),
        ("GRAPHIC: Karen Yourish and Laura Stanton - The Washington Post", ""),
    ],
)
def test_language_detection(text, language):
    assert detect_language(text) == language


def test_non_english_articles_are_counted_in_a_warning():
    fr = "Le Conseil de sécurité a adopté la résolution sur la Libye, et les ministres se sont réunis à Paris. " * 3
    articles = [Article.create(fr, date(2011, 3, 18), name="fr")]
    warning = language_warning(non_english(articles))
    assert warning is not None and "1 article is not in English (fr 1)" in warning
    assert language_warning(non_english([])) is None


def test_progress_off_a_terminal_is_a_plain_line():
    out = io.StringIO()
    assert list(report(range(3), "annotating", total=3, stream=out, every=0.0, tty=False)) == [0, 1, 2]
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("annotating: 1/3 articles")
    assert "done" in lines[-1] and "3/3" in lines[-1]
    quiet = io.StringIO()
    list(report(range(3), "annotating", stream=quiet, every=3600, tty=False))
    assert quiet.getvalue() == ""  # quick work says nothing


# Page debris that must never be a timeline line (issue 22's cases).
DEBRIS = {
    "reader comment header": re.compile(r"\bat \d{1,2}:\d\d\s*[ap]m\s*\||\|\s*(?:Reply|Report abuse)\b|\bwrote\s*:"),
    "sidebar": re.compile(r"RETWEET|\bbit \.|ly\\/"),
    "caption": re.compile(r"\bis seen at\b|\bAP Photo\b|Photograph\s*:"),
    "promo": re.compile(r"tune in|click here|\bAC360\b.*\bET\b", re.IGNORECASE),
}


def _t17(topic: str, **options):
    articles = list(dateline.read_articles(shared_path("data", "t17", topic), on_error="skip"))
    annotated = list(dateline.annotate_all(articles, cache=dateline.AnnotationCache()))
    return dateline.get_builder().build(annotated, dateline.BuildOptions(**options)), annotated


@pytest.mark.slow
@pytest.mark.parametrize(
    ("topic", "options"),
    [("libya", {}), ("libya", {"query": "Haftar"}), ("libya", {"query": "Gaddafi"}), ("bpoil", {}), ("syria", {})],
)
def test_t17_timelines_show_no_debris_and_no_far_future(topic, options):
    timeline, annotated = _t17(topic, **options)
    last = max(a.article.published for a in annotated)
    for entry in timeline:
        assert entry.date <= last + timedelta(days=HORIZON_DAYS), entry.date
        for s in entry.sentences:
            for kind, pattern in DEBRIS.items():
                assert not pattern.search(s.text), (kind, s.text)


def test_build_warns_with_a_count_of_articles_not_in_english(tmp_path, run):
    fr = tmp_path / "fr.txt"
    fr.write_text(
        " date 2011-03-18\nLe Conseil de sécurité des Nations unies a adopté jeudi la résolution 1973, qui autorise "
        "le recours à la force contre les troupes du colonel Kadhafi. Le vote a eu lieu le 17 mars à New York, après "
        "des semaines de débats entre les membres du Conseil sur la situation en Libye.\n",
        encoding="utf-8",
    )
    result = run("build", fr)
    assert result.exit_code == 0
    assert "1 article is not in English (fr 1)" in result.stderr
    assert "not in English" not in run("build", REPO / "examples" / "af447").stderr


@pytest.mark.parametrize(
    ("sentence", "lead"),
    [
        (
            "Saudi Arabia recalls ambassador to Syria Protests have continued in cities across Syria despite the "
            "crackdown by security forces Saudi Arabia has said it is recalling its ambassador from Damascus in protest.",
            "Saudi Arabia has said it is recalling its ambassador from Damascus in protest.",
        ),
        (
            "Syria crisis : Gulf Arab states expel Syrian ambassadors The BBC's Paul Wood in Homs reports heavy "
            "shelling Gulf Arab states say they are expelling Syrian ambassadors in their countries and recalling envoys.",
            "Gulf Arab states say they are expelling Syrian ambassadors in their countries and recalling envoys.",
        ),
        # A subject told again is an object after a verb or a continued name: the sentence stays whole.
        (
            "Iran 's security chief has told President Assad that Syria is part of a vital regional alliance that "
            "Iran will not allow to be broken, Iran 's state media said.",
            None,
        ),
        (
            "US President Barack Obama met the Israeli prime minister as US President Barack Obama had promised "
            "in his speech to the United Nations in New York.",
            None,
        ),
        ("Mexico City has lifted all restrictions imposed last month after the swine flu outbreak.", None),
    ],
)
def test_a_headline_run_into_the_first_sentence_is_cut(sentence, lead):
    cut = run_in_headline(sentence)
    assert (sentence[cut:] if cut else None) == lead


def _run_in_headline_tokenising_all(text: str) -> int:
    """run_in_headline as it reads tokenising the whole sentence first, which its shortcut stands for."""
    kicker = clean._KICKER.match(text)
    tokens = [(m.start(), m.group()) for m in clean._TOKEN.finditer(text, kicker.end() if kicker else 0)]
    if len(tokens) < 2 * clean._MIN_LEAD_WORDS or not tokens[0][1][:1].isupper():
        return 0
    first, second = tokens[0][1], tokens[1][1]
    if first in clean._NOT_SUBJECTS:
        return 0
    for j in range(3, len(tokens) - clean._MIN_LEAD_WORDS + 1):
        start, word = tokens[j]
        prev = tokens[j - 1][1]
        if (
            word == first
            and tokens[j + 1][1] == second
            and len(prev) > 1
            and (prev[:1].islower() or prev[:1].isdigit())
            and prev.lower() not in clean._FUNCTION_WORDS
        ):
            return start
    return 0


_LEAD = "Gulf Arab states say they are expelling Syrian ambassadors in their countries and recalling envoys."


@pytest.mark.parametrize(
    "text",
    [
        "Gulf Arab states expel Syrian ambassadors The reports heavy shelling " + _LEAD,
        "Syria crisis : Gulf Arab states expel envoys The BBC reports heavy shelling " + _LEAD,
        "Gulf Arab Gulf Arab states expel Syrian ambassadors " + _LEAD,  # the words again, too early
        "Gulf Gulf Arab Arab states expel Syrian ambassadors The reports heavy shelling " + _LEAD,
        "Gulf Arab states expel Syrian ambassadors The reports heavy shelling Gulf Arab",  # too near the end
        "Gulf Arab states expel " + "x " * 8 + "shelling Gulf Arab states say a b c d e f g h i j.",  # 20 tokens
        "Gulf Arab states expel " + "x " * 8 + "shelling Gulf Arab states say a b c d e f g h i.",  # 19 tokens
        "Gulf Arab states expel ambassadors and Gulf states say they are expelling Syrian ambassadors now.",
        "Gulf Arabia states expel ambassadors shelling Gulf Arab states say they are expelling all envoys now.",
        "gulf Arab states expel ambassadors shelling gulf Arab states say they are expelling all envoys now.",
        "Monday Arab states expel ambassadors shelling Monday Arab states say they are expelling all envoys now.",
        # the words again at the fourth token, the first place looked at; in 19 tokens and in 20
        "Gulf Arab shelling Gulf Arab states say they are expelling Syrian ambassadors in all their countries and envoys.",
        "Gulf Arab shelling Gulf Arab states say they are expelling Syrian ambassadors in all their lands and other envoys.",
        "Gulf",
        "",
    ],
)
def test_a_headline_is_looked_for_as_by_tokenising_the_whole_sentence(text):
    assert run_in_headline(text) == _run_in_headline_tokenising_all(text)


def test_a_cut_headline_keeps_the_span_exact():
    sentence = (
        "Saudi Arabia recalls ambassador to Syria Protests have continued in cities across Syria despite the "
        "crackdown by security forces Saudi Arabia has said it is recalling its ambassador from Damascus in protest."
    )
    a = make_annotated([sentence], date(2011, 8, 8), {}, name="bbc/1")
    ev = collect_evidence([a], trim_headlines=True)
    (candidate,) = ev.dates[date(2011, 8, 8)].candidates
    ref = ev.ref(candidate)
    assert ref.text.startswith("Saudi Arabia has said")
    assert a.article.text[ref.start : ref.end] == ref.text


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"query": "Gaddafi"},
        {"query": "Gaddafi", "dates": 12},
        {"start": date(2011, 8, 1), "end": date(2011, 10, 31)},
    ],
)
def test_libya_gaddafis_death_on_the_corpus_last_day_makes_the_timeline(options):
    """The newest events of a developing story have had no time to be recalled; they still make the timeline."""
    timeline, annotated = _t17("libya", **options)
    assert max(a.article.published for a in annotated) == date(2011, 10, 20)
    assert date(2011, 10, 20) in {entry.date for entry in timeline}
