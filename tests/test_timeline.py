import itertools
import json
import math
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from conftest import make_annotated, shared_path
from dateline.timeline import (
    BuildOptions,
    CentroidSummarizer,
    MentionRanker,
    PublicationRanker,
    Query,
    auto_length,
    clean,
    collect_evidence,
    get_builder,
)
from dateline.timeline.clean import lead_boilerplate
from dateline.timeline.rank import crowding


def test_evidence_counts_mentions_publications_and_candidates(small_corpus):
    ev = collect_evidence(small_corpus)
    march2 = ev.dates[date(2020, 3, 2)]
    assert len(march2.mentioning) == 2
    assert march2.mentions == 2
    # named on March 2 by a1 and a2; a1 (published March 3) leads with undated news of the day before
    assert sorted((c.article, c.sentence, c.explicit) for c in march2.candidates) == [
        (0, 0, True),
        (0, 1, False),
        (0, 2, False),
        (1, 1, True),
    ]
    # a3 was published on March 10 and its undated third sentence leads that day and the day before
    march10 = ev.dates[date(2020, 3, 10)]
    assert march10.published == {2}
    assert [(c.sentence, c.explicit) for c in march10.candidates] == [(2, False)]
    assert [(c.article, c.sentence) for c in ev.dates[date(2020, 3, 9)].candidates if not c.explicit] == [(2, 2)]
    assert march10.corroboration == 1


def test_publication_days_one_keeps_undated_leads_on_their_day(small_corpus):
    ev = collect_evidence(small_corpus, publication_days=1)
    assert all(c.explicit for c in ev.dates[date(2020, 3, 2)].candidates)


def test_query_keeps_other_sentences_as_context_but_not_eligible(small_corpus):
    ev = collect_evidence(small_corpus, query=Query.parse("council"))
    march2 = ev.dates[date(2020, 3, 2)]
    eligible = {(c.article, c.sentence) for c in march2.candidates if c.eligible}
    assert eligible == {(0, 0), (1, 1)}  # the two sentences naming the council
    assert len(march2.candidates) > len(eligible)


def test_window_bounds_dates(small_corpus):
    ev = collect_evidence(small_corpus, start=date(2020, 3, 4), end=date(2020, 3, 9))
    assert sorted(ev.dates) == [date(2020, 3, 5), date(2020, 3, 6), date(2020, 3, 9)]


@pytest.mark.parametrize(
    "query, matches, misses",
    [
        ("bridge", ["The Bridge closed."], ["Nothing here."]),
        ('"harbour bridge" ferry', ["a harbour bridge", "Ferry operators"], ["harbour", "bridge"]),
        (["libya", "libyan"], ["Libyan forces", "in Libya"], ["Tripoli"]),
    ],
)
def test_query_terms(query, matches, misses):
    q = Query.parse(query)
    assert all(q.matches(t) for t in matches)
    assert not any(q.matches(t) for t in misses)


@pytest.mark.parametrize(
    "terms",
    [
        ["flu"],
        ["oil spill", "bp"],
        ["a-a"],
        ["'s"],
        ["-"],
        ["ab", "abc"],
        ["abc", "ab"],
        ["k"],
        ["s"],
        ["i"],
        ["İ"],
        [""],
    ],
)
@pytest.mark.parametrize(
    "text",
    [
        "Flu, flu-like; Tamiflu. FLU",
        "xa-a-a a-a-a",
        "BP's oil spill: the Oil Spill",
        "abcab abc ab-abc",
        "KELVIN \u212a k",
        "ſ s S ſs",
        "İstanbul istanbul Iİı",
        "it's 's s's '",
        "",
        "- -- a-",
    ],
)
def test_query_finds_what_its_regex_finds(terms, text):
    # matches/count/occurs_in take a faster way than the regexes that define them: the same answers.
    q = Query(tuple(terms))
    word_start = re.compile(r"\b(?:" + "|".join(map(re.escape, terms)) + ")", re.IGNORECASE)
    anywhere = re.compile("(?:" + "|".join(map(re.escape, terms)) + ")", re.IGNORECASE)
    assert q.count(text) == len(word_start.findall(text))
    assert q.matches(text) is (word_start.search(text) is not None)
    assert q.occurs_in(text) is (anywhere.search(text) is not None)


def test_a_query_term_inside_a_word_makes_a_line_but_does_not_choose_an_article():
    q = Query.parse("flu")
    assert q.occurs_in("Tamiflu stocks ran low.") and q.occurs_in("A new form of influenza.")
    assert not q.matches("A new form of influenza.") and q.matches("Flu-like symptoms.")
    day = date(2009, 4, 22)
    about = make_annotated(
        ["Swine flu spread to Texas on Tuesday.", "Mexico issued a nationwide influenza alert on April 22."],
        date(2009, 4, 28),
        {1: [day]},
        name="flu",
    )
    only_inside = make_annotated(
        ["Mexico issued a nationwide influenza alert on April 22."], date(2009, 4, 28), {0: [day]}, name="influenza"
    )
    ev = collect_evidence([about, only_inside], query=q)
    assert [a.article.name for a in ev.articles] == ["flu"]
    assert [(c.sentence, c.eligible) for c in ev.dates[day].candidates] == [(1, True)]


def test_empty_query_is_no_query():
    assert Query.parse("") is None
    assert Query.parse(None) is None
    assert Query.parse([" "]) is None


def test_mention_ranker_prefers_independent_articles(small_corpus):
    # (a corpus of eight days is all newest days, whose own articles count as their news: tested below)
    ranking = [d for d, _ in MentionRanker(newest=False).rank(collect_evidence(small_corpus))]
    # the two dates two articles name, then the one only one names
    assert set(ranking[:2]) == {date(2020, 3, 2), date(2020, 3, 5)} and ranking[2] == date(2020, 3, 9)
    # dates only published on rank after every mentioned date
    assert ranking[3:] == [date(2020, 3, 3), date(2020, 3, 6), date(2020, 3, 10)]


def test_publication_ranker_counts_publications(small_corpus):
    ranking = PublicationRanker().rank(collect_evidence(small_corpus))
    assert {d for d, _ in ranking} == {date(2020, 3, 3), date(2020, 3, 6), date(2020, 3, 10)}


def test_builder_keeps_budget_and_provenance(small_corpus):
    timeline = get_builder("datewise").build(small_corpus, BuildOptions(dates=2, sentences=1))
    assert [e.date for e in timeline.entries] == [date(2020, 3, 2), date(2020, 3, 5)]
    for entry in timeline.entries:
        assert len(entry.sentences) == 1
        ref = entry.sentences[0]
        annotated = next(a for a in small_corpus if a.article.id == ref.article_id)
        sentence = annotated.sentences[ref.sentence_index]
        assert annotated.article.text[ref.start : ref.end] == sentence.text == ref.text
        assert entry.date in {m.date for m in annotated.mentions_in(ref.sentence_index)}
    assert timeline.entries[0].corroboration == 2
    assert timeline.meta["dates"] == 2


def test_no_near_duplicates_across_the_timeline():
    same = "Rebels seized the oil port of Brega after heavy fighting with government troops."
    corpus = [
        make_annotated(
            [same, "Other words entirely about weather and football games."],
            date(2011, 3, 2),
            {0: [date(2011, 3, 1)]},
            name="x",
        ),
        make_annotated(
            [same, "Something else happened in the capital city that week."],
            date(2011, 3, 3),
            {0: [date(2011, 3, 2)]},
            name="y",
        ),
    ]
    timeline = get_builder().build(corpus, BuildOptions(dates=2, sentences=1))
    texts = [r.text for e in timeline for r in e.sentences]
    assert texts.count(same) == 1


def test_query_restricts_sentences(small_corpus):
    timeline = get_builder().build(small_corpus, BuildOptions(dates=5, sentences=3, query="ferry"))
    sentences = [r.text for e in timeline for r in e.sentences]
    assert sentences and all("erry" in s for s in sentences)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"dates": 0}, "dates must be at least 1"),
        ({"start": date(2020, 2, 1), "end": date(2020, 1, 1)}, "after it ends"),
    ],
)
def test_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BuildOptions(**kwargs)


def test_unknown_method():
    with pytest.raises(ValueError, match="datewise"):
        get_builder("nope")


@pytest.mark.parametrize(
    "n_articles, scores, expected",
    [
        (2, [1.0, 1.0, 1.0], 3),  # tiny corpus: every mentioned date
        (0, [], 0),
        (100, [5, 4, 3, 1, 1], 3),  # only dates two articles mention
        (100, [1, 1], 1),  # nothing corroborated: still one date
        (10000, [9.0] * 500, 30),  # capped
    ],
)
def test_auto_length(n_articles, scores, expected):
    assert auto_length(n_articles, scores) == expected


@pytest.mark.parametrize(
    "text, kept",
    [
        ("CAIRO (Reuters) - Egypt's army said on Sunday it would rule the country.", "Egypt's army said"),
        (
            "TRIPOLI , March 2 | Wed Mar 2 , 2011 7:26 am EST TRIPOLI , March 2 -LRB- Reuters -RRB- - "
            "Libyan leader Muammar Gaddafi called on Wednesday for a U.N. inquiry.",
            "Libyan leader",
        ),
        ("WASHINGTON | Tue Mar 1 , 2011 12:46 pm EST Libya may become a peaceful democracy, she said.", "Libya may"),
        ("BEIRUT (AP) - Fighting resumed.", "Fighting resumed."),  # too short a line then (see below)
        ("NEW ORLEANS -- Robotic submarines removed a leaking cap from the well Saturday.", "Robotic"),
        ("NO SALES NEW ORLEANS -- BP robots attached a new cap on top of the leak Monday.", "BP robots"),
        ("NEW YORK , Sept. 29 -- Without a bailout plan, stocks fell sharply around the globe.", "Without"),
        ("Tripoli , Libya -LRB- CNN -RRB- -- Libyan aircraft bombed a section of eastern Libya.", "Libyan aircraft"),
        ("NATO -- the alliance of 28 nations -- said it would take command.", "NATO"),
        # page furniture of scraped pages: a headline run into the page's timestamp, a live blog's
        # entry header, a reader comment's header, a photo credit
        (
            "BP oil spill estimates double Friday 11 June 2010 10.07 BST New figures mean the well leaks "
            "twice as much oil.",
            "New figures",
        ),
        ("13 July 2010 Last updated at 09:43 GMT Help BP has installed a new sealing cap on the well.", "BP has"),
        ("Last updated : 19 January , 2010 - 14:10 GMT Haiti earthquake : aid is slow to arrive.", "Haiti"),
        ("Maggie Shiels | 09:33 UK time , Wednesday , 9 June 2010 BP is getting blasted from every corner.", "BP is"),
        ("LIBYA , 5:32 p.m. ET , 12:32 a.m. local : The United States on Monday condemned the violence.", "The United"),
        ("At 1:51 pm on 28 May 2010 , Chris wrote : I was surprised to find that BP only owns the field.", "I was"),
        ("-LRB- AP Photo -RRB- President Obama warned Sunday that the spill is a disaster.", "President"),
        ("(Pall Stefansson/Getty Images) The global outlook grows more dire by the day.", "The global"),
        ("-LRB- Update 9:45 p.m. Cairo , 2:45 p.m. ET -RRB- Egypt 's health minister said 611 were hurt.", "Egypt"),
        ("January 31 , 2011 at 5:47 pm | The events in Tunisia and Egypt are flash democracy.", "The events"),
        ("January 31 , 2011 | By Ashley Hayes , CNN Army soldiers stand guard outside the museum.", "Army"),
        ("8 November 2011 Last updated at 06:28 Michael Jackson 's doctor has been found guilty.", "Michael"),
        ("20 June 11 16:14 GMT Supporters of President Bashar al-Assad say his speech was encouraging.", "Supporters"),
        ("February 27th , 2011 10:05 pm ET It was explained why the U.S. is low-key on Libya.", "It was"),
        ("-LRB- Updated 7:40 a.m. -RRB- A major Egyptian protest group says the crackdown goes on.", "A major"),
        (
            "Posted by : oline | September 16 , 2008 1:50 PM | Report abuse If by investigation you mean smears.",
            "If by",
        ),
        ("Earl | September 24 , 2008 3:33 PM | Report abuse Obama should propose moving the debate to DC.", "Obama"),
        ("This Story : Read + | Watch + | Talk + | The bad news keeps coming for Icelanders.", "The bad"),
        ("Click on any image to get a bigger picture December 9 : Marines patrol near the border.", "December 9"),
        # an agency's credit or a headline in capitals run into the sentence
        ("AP The chief executive of BP says the spill's impact will be modest.", "The chief"),
        ("-LRB- AP -RRB- A clearly frustrated President Obama said the system failed.", "A clearly"),
        ("Coast Guard via AP Oil giant BP told investigators that a test had warned.", "Oil giant"),
        ("NEW CAP FOR LEAKING OIL WELL When engineers removed the cap, oil flowed again.", "When"),
        ("ROUGH CUT -LRB- NO REPORTER NARRATION -RRB- The Syrian navy shelled Latakia.", "The Syrian"),
        ("STATEMENT BY JERMAINE JACKSON `` Today 's press conference announced a concert.", "`` Today"),
        # not boilerplate: a parenthesis inside a sentence, a clock time in the news, a plain sentence,
        # two words in capitals, an agency as the subject
        ("BP CEO Tony Hayward said the company would pay for the clean-up.", "BP CEO"),
        ("US President Barack Obama said the leak must stop.", "US President"),
        ("AP reported that the well was capped.", "AP reported"),
        ("The U.S. (AP) - said nobody was hurt in the blast.", "The U.S."),
        ("Shares opened at 08.00 GMT and fell 5% by noon.", "Shares"),
        ("The rig exploded on 20 April 2010 at 9:45 pm CDT, killing 11 workers.", "The rig"),
        ("Rebels took the town on Monday.", "Rebels"),
    ],
)
def test_lead_boilerplate(text, kept):
    assert text[lead_boilerplate(text) :].startswith(kept)


def _lead_boilerplate_by_hint_patterns(text: str) -> int:
    """lead_boilerplate as it reads with its hints searched as the _*_HINT patterns, which its cheaper tests stand for."""
    skip = 0
    while True:
        end = skip
        for pattern, hint in (
            (clean._DATELINE, clean._DATELINE_HINT),
            (clean._DASH_DATELINE, clean._DASH_DATELINE_HINT),
            (clean._TIMESTAMP, clean._TIMESTAMP_HINT),
            (clean._RUN_IN, clean._RUN_IN_HINT),
        ):
            match = pattern.match(text, end) if hint.search(text, end, end + 260) else None
            if match:
                end = match.end()
        if clean._STAMP_HINT.search(text, end, clean._REACH):
            for match in clean._STAMP.finditer(text, end, clean._REACH):
                end = match.end()
            end = clean._SPACE.match(text, end).end()  # type: ignore[union-attr]
        if end == skip:
            return skip
        skip = end


_PAD = "x " * 140  # 280 characters: a hint this far in is out of reach


@pytest.mark.parametrize(
    "text",
    [
        "TRIPOLI, March 2 (Reuters) - Rebels fought on.",
        "TRIPOLI, March 2 " + _PAD + "(Reuters) - the agency beyond the hint's reach.",
        "CAIRO -LRB- Reuters -RRB- - Protesters gathered.",
        "NEW ORLEANS -- Oil reached the shore.",
        "NEW ORLEANS \u2014 Oil reached the shore.",
        "new orleans -- a place in lower case is no dateline.",
        "NEW ORLEANS " + _PAD + "-- the dash beyond the hint's reach.",
        "WASHINGTON | Tue Mar 1, 2011 12:46pm EST The president spoke.",
        "WASHINGTON | Tue Mar 1, 2011 " + _PAD + "12:46pm EST the clock beyond reach.",
        "wASHINGTON | Tue Mar 1, 2011 12:46pm EST a lower-case first letter.",
        "(Reuters) The agency's credit with no two capitals in a row within reach " + _PAD,
        "(AP) The agency's credit, and AP within reach.",
        "AP The chief executive of BP says the spill's impact will be modest.",
        " AP A leading space.",
        " | A pipe and a leading space.",
        "(Update 9:45 p.m.) A live blog's entry without a clock in reach" + _PAD,
        "(Update) no clock, no pipe, no photo: the stamp is not looked for.",
        "Shares opened at 08.00 GMT and fell 5% by noon.",
        _PAD + _PAD + "20 April 2010 16.26 BST A stamp beyond the reach of 400 characters.",
        "Click here for the pictures of the day.",
        "(Getty Images) The global outlook grows more dire by the day.",
        "",
        "(",
        "A",
    ],
)
def test_lead_boilerplate_looks_for_its_hints_as_the_hint_patterns(text):
    assert lead_boilerplate(text) == _lead_boilerplate_by_hint_patterns(text)


@pytest.mark.parametrize("hint", ["(", "-LRB-", "--", "\u2014", "1:45", "|", "Photo", "Images", "Click", "1.45"])
@pytest.mark.parametrize("reach", [260, 400])
def test_lead_boilerplate_finds_a_hint_as_far_as_the_hint_patterns(hint, reach):
    # A hint wholly within reach, straddling its end, or just beyond; after a leading space, which
    # a stamp's hint (even without a stamp) has skipped, after a dateline, or in a place's name.
    for at in range(reach - len(hint) - 1, reach + 2):
        for head in (" WASHINGTON", "NEW ORLEANS -- WASHINGTON", " (AP) WASHINGTON", "A"):
            for fill, tail in itertools.product("xA", ("AP) - Rebels took the town.", " Rebels took the town.")):
                text = head + fill * (at - len(head)) + hint + tail
                assert lead_boilerplate(text) == _lead_boilerplate_by_hint_patterns(text), text


@pytest.mark.slow
def test_lead_boilerplate_looks_for_its_hints_as_the_hint_patterns_on_a_corpus():
    path = shared_path("data", "t17", "libya", "articles.jsonl")
    with path.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line, _ in zip(f, range(100))]
    # From every sentence start on (a rough split is enough): a page's head, its datelines, its comments.
    starts = [t[m.end() :][:600] for t in texts for m in re.finditer(r"(?:^|[.!?] )", t)]
    assert len(starts) > 2000
    assert [lead_boilerplate(t) for t in starts] == [_lead_boilerplate_by_hint_patterns(t) for t in starts]


@pytest.mark.parametrize(
    "text",
    [
        "Wed Jun 2 , 2010 2:39 pm EDT HOUSTON , June 2 -LRB- Reuters -RRB- - BP -LRB- BP .",  # furniture only
        "BEIRUT (AP) - Fighting resumed.",
        "Photograph : Rex Features Shares in BP hit a 14-year low this morning after the oil giant reported.",
        "In this image made from video provided by BP , Wednesday , June 2 , 2010 , shows the site of the spill.",
        "AP Photo/Transocean BP has begun work on a relief well that could be used to plug the leak.",
        "April 21 : In this aerial photo taken in the Gulf of Mexico , the Deepwater Horizon rig is seen burning.",
    ],
)
def test_furniture_and_captions_are_no_timeline_lines(text):
    a = make_annotated([text], date(2010, 6, 2), {0: []}, name="page")
    [candidate] = collect_evidence([a]).dates[date(2010, 6, 2)].candidates
    assert not candidate.eligible


def test_page_timestamp_dates_are_not_mentions():
    text = "BP shares slump Friday 11 June 2010 10.07 BST Shares in BP fell on Friday as the leak went on."
    a = make_annotated([text], date(2010, 6, 12), {0: [date(2010, 6, 11)]}, name="page")
    stamp, told = text.index("Friday 11 June 2010"), text.index("on Friday") + 3
    mentions = (
        replace(a.mentions[0], start=stamp, end=stamp + 19, text="Friday 11 June 2010"),
        replace(a.mentions[0], start=told, end=told + 6, text="Friday"),
    )
    ev = collect_evidence([replace(a, mentions=mentions)])
    assert ev.dates[date(2010, 6, 11)].mentions == 1  # "on Friday" in the news, not the page's stamp
    assert ev.sentence_text(ev.dates[date(2010, 6, 11)].candidates[0]).startswith("Shares in BP fell")


def test_trimmed_dateline_keeps_provenance_exact():
    dateline = "CAIRO (Reuters) - "
    a = make_annotated(
        [dateline + "The army took power in Cairo on Sunday after days of protest."],
        date(2020, 3, 3),
        {0: [date(2020, 3, 1)]},
        name="wire",
    )
    at = a.article.text.index("Sunday")  # the mention sits after the dateline
    a = replace(a, mentions=tuple(replace(m, start=at, end=at + 6, text="Sunday") for m in a.mentions))
    ev = collect_evidence([a])
    ref = ev.ref(ev.dates[date(2020, 3, 1)].candidates[0])
    assert ref.text.startswith("The army")
    assert a.article.text[ref.start : ref.end] == ref.text
    untrimmed = collect_evidence([a], trim_datelines=False)
    assert untrimmed.ref(untrimmed.dates[date(2020, 3, 1)].candidates[0]).text.startswith(dateline.strip())


def test_summarizer_prefers_eligible_sentences_and_avoids_repeats(small_corpus):
    ev = collect_evidence(small_corpus, query=Query.parse("bridge"))
    chosen = CentroidSummarizer().summarize(ev, sorted(ev.dates), k=2, limit=10)
    picked = [c for _, cs in chosen for c in cs]
    assert picked and all(c.eligible for c in picked)
    assert len({(c.article, c.sentence) for c in picked}) == len(picked)


@pytest.mark.parametrize("raw, terms", [("n't", ("n't",)), ('"oil spill', ('"oil', "spill"))])
def test_unbalanced_quotes_are_taken_literally(raw, terms):
    assert Query.parse(raw).terms == terms


def _recalled(days_later: int, name: str):
    return make_annotated(
        ["The dam failed and the valley flooded."],
        date(2020, 5, 1) + timedelta(days=days_later),
        {0: [date(2020, 5, 1)]},
        name=name,
    )


def test_mention_ranker_weighs_hindsight():
    """A date still named weeks later outranks one only reported on the day, article for article."""
    recalled = [_recalled(20, "late")]
    same_day = [make_annotated(["The bridge reopened today."], date(2020, 6, 1), {0: [date(2020, 6, 1)]}, name="day")]
    # (the corpus's last day, June 1, is not lifted here: see the test of ``newest`` below)
    ranking = MentionRanker(newest=False).rank(collect_evidence(recalled + same_day))
    assert [d for d, _ in ranking][:2] == [date(2020, 5, 1), date(2020, 6, 1)]
    assert dict(MentionRanker(hindsight_days=0).rank(collect_evidence(recalled)))[date(2020, 5, 1)] < 1.01
    # the hindsight is capped: a month later and a year later weigh alike
    month, year = (
        dict(MentionRanker().rank(collect_evidence([_recalled(n, "x")])))[date(2020, 5, 1)] for n in (30, 365)
    )
    assert month == pytest.approx(year)


def test_summarizer_centroid_weighs_hindsight():
    """What was still said about a date weeks later outweighs what two reports said on the day."""
    day = date(2020, 5, 1)
    on_the_day = [
        make_annotated(["Crowds watched the water rise behind the dam today."], day, {0: [day]}, name=f"day{i}")
        for i in range(2)
    ]
    recalled = make_annotated(
        ["The dam failed on May 1 and the valley flooded."], day + timedelta(days=20), {0: [day]}, name="later"
    )
    ev = collect_evidence(on_the_day + [recalled])

    def line(summarizer):
        [(_, [c])] = summarizer.summarize(ev, [day], k=1, limit=1)
        return ev.sentence_text(c)

    assert line(CentroidSummarizer()) == "The dam failed on May 1 and the valley flooded."
    assert line(CentroidSummarizer(hindsight=0)).startswith("Crowds watched")


def test_dateline_dates_are_not_mentions():
    """ "CAIRO, March 2 (Reuters) -" says when a story was filed, not what happened then."""
    from dateline.model import AnnotatedArticle, Article, DateMention, Precision, Sentence

    text = "CAIRO, March 2 (Reuters) - Protesters filled Tahrir Square again on Monday, witnesses said."
    article = Article.create(text, date(2011, 3, 2))
    mentions = (
        DateMention(7, 14, "March 2", "DATE", "2011-03-02", 0, date(2011, 3, 2), Precision.DAY),
        DateMention(
            text.index("Monday"),
            text.index("Monday") + 6,
            "Monday",
            "DATE",
            "2011-02-28",
            0,
            date(2011, 2, 28),
            Precision.DAY,
        ),
    )
    ev = collect_evidence([AnnotatedArticle(article, (Sentence(0, 0, len(text), text),), mentions)])
    assert ev.dates[date(2011, 2, 28)].mentioning == {0}
    assert ev.dates[date(2011, 3, 2)].mentioning == set()  # only published that day
    assert ev.dates[date(2011, 3, 2)].published == {0}


def test_sentence_vectors_compare_stems_not_inflections():
    from dateline.timeline.vectors import stemmed_words, tfidf_vectors

    assert stemmed_words()("The troops killed and are killing; the army kills.") == (
        "troop",
        "kill",
        "kill",
        "armi",
        "kill",
    )
    v = tfidf_vectors(["Protesters were killed in Deraa.", "In Deraa, killing protesters.", "Oil prices rose."])
    similarity = (v @ v.T).toarray()
    assert similarity[0, 1] == pytest.approx(1.0)  # protest|kill|deraa on both sides
    assert similarity[0, 2] == 0.0
    with pytest.raises(ValueError):
        tfidf_vectors(["It was the one.", "And so on."])


def test_mention_ranker_weighs_relevance_to_the_query():
    """Dates named by articles about the query outrank dates named by articles that mention it in passing."""
    passing, about = date(2020, 5, 1), date(2020, 5, 2)
    articles = [
        make_annotated(
            [
                "Oil prices fell in Asia and Europe as traders sold shares and bonds.",
                "Markets in Tokyo, Paris and London closed lower on the day, with a brief note on Syria.",
            ],
            date(2020, 5, 20),
            {0: [passing]},
            name=f"markets{i}",
        )
        for i in range(2)
    ] + [
        make_annotated(
            ["Syria's army shelled Homs again.", "Syrian activists said the Syrian shelling went on."],
            date(2020, 5, 20),
            {0: [about]},
            name=f"syria{i}",
        )
        for i in range(2)
    ]
    ev = collect_evidence(articles, query=Query.parse("syria syrian"))
    assert ev.relevance[0] < 1 < ev.relevance[2]
    assert max(ev.relevance) <= 4.0
    # (all four were published on the corpus's one day, which counts them as its news unless newest=False)
    assert [d for d, _ in MentionRanker(newest=False).rank(ev)][0] == about
    # counted alike, the tie goes to the earlier date
    assert [d for d, _ in MentionRanker(relevance_exponent=0, newest=False).rank(ev)][0] == passing
    # without a query every article is as relevant as any other
    assert collect_evidence(articles).relevance == [1.0] * 4


def test_coverage_is_the_share_of_days_with_an_article():
    articles = [_recalled(n, f"a{n}") for n in (0, 2, 4, 9)]  # published on 4 of the 10 days from the first to the last
    assert collect_evidence(articles).coverage == pytest.approx(0.4)
    assert collect_evidence([]).coverage == 0.0


def _about(published: date, named: date, subject: bool, name: str):
    line = "Gomez won the election by a wide margin." if subject else "The election was won by a wide margin."
    return make_annotated([line, "Gomez thanked the voters."], published, {0: [named]}, name=name)


def test_a_sparse_corpus_counts_the_dates_named_about_its_subject():
    """Covered on a few days over years, an article names many dates; those named with the subject count most."""
    aside, subject = date(2015, 3, 1), date(2016, 3, 1)
    articles = [_about(date(2017, 1, 5 + i), aside, False, f"aside{i}") for i in range(2)]
    articles.append(_about(date(2019, 6, 1), subject, True, "subject"))
    ev = collect_evidence(articles, query=Query.parse("gomez"))
    assert ev.coverage < 0.01
    assert ev.dates[aside].about == set() and ev.dates[subject].about == {2}
    assert [d for d, _ in MentionRanker().rank(ev)][0] == subject
    # weighed as a crisis (every day covered, every article alike), two articles outweigh one, and the last
    # day's own article, the corpus's news of that day, outweighs both
    crisis = {"coverage_exponent": 0, "density_exponent": 0}
    assert [d for d, _ in MentionRanker(**crisis, newest=False).rank(ev)][0] == aside
    assert [d for d, _ in MentionRanker(**crisis).rank(ev)][0] == date(2019, 6, 1)
    # without a query, every mention is about the corpus's subject
    assert collect_evidence(articles).dates[aside].about == {0, 1}


def test_the_newest_days_are_scored_as_if_they_had_been_recalled():
    """The corpus's last day cannot be named weeks later: its score is lifted by what hindsight could not give."""
    old, newest = date(2020, 5, 1), date(2020, 6, 20)
    recalled = [
        make_annotated(["The dam failed and the valley flooded."], date(2020, 5, 31), {0: [old]}, name=f"r{i}")
        for i in range(2)
    ]
    today = [
        make_annotated(["The new dam opened to crowds today."], newest, {0: [newest]}, name=f"t{i}") for i in range(3)
    ]
    daily = [
        make_annotated(["Repairs went on."], date(2020, 5, 1) + timedelta(days=n), {}, name=f"d{n}") for n in range(50)
    ]
    ev = collect_evidence(recalled + today + daily)
    assert [d for d, _ in MentionRanker().rank(ev)][0] == newest
    assert [d for d, _ in MentionRanker(newest=False).rank(ev)][0] == old


def test_the_newest_days_articles_count_as_their_news():
    """On the corpus's last day, an article published that day reports its news: it counts as naming the day."""
    old, newest = date(2020, 5, 1), date(2020, 6, 20)
    recalled = [
        make_annotated(["The dam failed and the valley flooded."], date(2020, 5, 31), {0: [old]}, name=f"r{i}")
        for i in range(2)
    ]
    named = [make_annotated(["The new dam opened to crowds today."], newest, {0: [newest]}, name="named")]
    reported = [make_annotated(["Crowds gathered at the new dam."], newest, {}, name=f"p{i}") for i in range(3)]
    daily = [
        make_annotated(["Repairs went on."], date(2020, 5, 1) + timedelta(days=n), {}, name=f"d{n}") for n in range(50)
    ]
    ev = collect_evidence(recalled + named + reported + daily)
    ranker = MentionRanker(density_exponent=0)  # the day's crowded coverage aside
    ranking = dict(ranker.rank(ev))
    # one naming article and three of the day, each as if it named it, lifted alike: 4 x (1 + ln 31)
    assert ranking[newest] == pytest.approx(4 * (1 + math.log(31)), rel=1e-3)
    assert max(ranking, key=ranking.__getitem__) == newest
    # a month before the end, the day's articles count publication_weight, as any day's do
    month_before = collect_evidence(
        recalled
        + named
        + reported
        + daily
        + [make_annotated(["Repairs went on."], newest + timedelta(days=30), {}, name="later")]
    )
    assert dict(ranker.rank(month_before))[newest] == pytest.approx(1 + 3 * 0.25, rel=1e-2)


def test_an_article_in_crowded_coverage_counts_less_than_one_in_quiet_coverage():
    """Three articles of a campaign's thick coverage naming a day count less than two of a quiet year naming theirs."""
    start = date(2020, 1, 1)
    quiet = [make_annotated(["Life went on."], start + timedelta(days=n), {}, name=f"q{n}") for n in range(0, 1000, 20)]
    campaign = [
        make_annotated(["The campaign went on."], start + timedelta(days=500 + n // 5), {}, name=f"c{n}")
        for n in range(100)
    ]
    crowded, alone = start + timedelta(days=505), start + timedelta(days=205)
    naming = [
        make_annotated(["The debate was held."], crowded + timedelta(days=5), {0: [crowded]}, name=f"d{i}")
        for i in range(3)
    ] + [make_annotated(["She married."], alone + timedelta(days=5), {0: [alone]}, name=f"m{i}") for i in range(2)]
    ev = collect_evidence(quiet + campaign + naming)
    ranking = [d for d, _ in MentionRanker().rank(ev)]
    assert ranking.index(alone) < ranking.index(crowded)
    alike = [d for d, _ in MentionRanker(density_exponent=0).rank(ev)]
    assert alike.index(crowded) < alike.index(alone)
    # The corpus spans 981 days with 155 articles. Within 69 days (.07 of 981) of a naming article of the campaign
    # lie its 100 articles, 6 quiet ones and the 3 naming articles: 109 in 139 days, over 155 in 981.
    dense = crowding(ev, 0.07)
    assert dense[-5] == pytest.approx((109 / 139) / (155 / 981))
    assert dense[0] == dense[-1] == 1.0  # quiet coverage: fewer articles around than on average, counted in full


def test_the_c_stemmer_gives_the_pure_python_stems():
    """PyStemmer (a dependency, which snowballstemmer hands out when installed) stems exactly as the pure-Python Porter."""
    pytest.importorskip("Stemmer")
    from snowballstemmer import porter_stemmer

    from dateline.timeline.vectors import stemmed_words

    words = ["killed", "kills", "killing", "generalizations", "oscillators", "hopefully", "relational", "ÉTÉ", "naïve"]
    words = [w.lower() for w in words]
    analyze = stemmed_words()
    assert analyze(" ".join(words)) == tuple(porter_stemmer.PorterStemmer().stemWord(w) for w in words)


def test_the_builders_rules_are_remembered_across_builds(small_corpus):
    # A server or an evaluation builds many timelines from the same articles: what the rules say of
    # a text (its dateline, whether it can be a line, its template keys, its words) is looked up.
    from dateline.timeline import memo
    from dateline.timeline.facts import usable
    from dateline.timeline.vectors import _stemmed

    rules = (lead_boilerplate, usable, _stemmed)
    memo.forget()
    assert not any(memo.sizes().values())
    first = get_builder().build(small_corpus, BuildOptions(dates=3))
    computed = [rule.cache_info().misses for rule in rules]
    assert all(computed), computed
    again = get_builder().build(small_corpus, BuildOptions(dates=3, query="bridge"))
    assert [rule.cache_info().misses for rule in rules] == computed  # nothing computed twice
    assert again.entries and get_builder().build(small_corpus, BuildOptions(dates=3)) == first
    memo.forget()
    assert not any(memo.sizes().values())
    with memo.remembering(False):  # every rule's answer computed afresh, none kept
        assert get_builder().build(small_corpus, BuildOptions(dates=3)) == first
    assert [(rule.cache_info().hits, rule.cache_info().currsize) for rule in rules] == [(0, 0)] * 3


def test_remembered_words_are_each_threads_stems():
    # Snowball stemmers keep state between calls: each thread stems with its own.
    from concurrent.futures import ThreadPoolExecutor

    from dateline.timeline import memo
    from dateline.timeline.vectors import stemmed_words

    texts = [f"Troops killed {n} protesters, fleeing agencies reported; rebuilding continues {n}." for n in range(400)]
    memo.forget()
    alone = [stemmed_words()(t) for t in texts]
    memo.forget()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(stemmed_words(), texts))
    assert together == alone
    assert alone[0] == ("troop", "kill", "protest", "flee", "agenc", "report", "rebuild", "continu")


def test_the_evidence_stage_reads_only_sentences_that_can_be_lines():
    # Sentences made when read (a Parquet corpus's): a build reads the lead ones and those naming a date.
    from dateline.model import Sentences
    from dateline.timeline.facts import LEAD_SENTENCES, article_facts

    day = date(2020, 3, 2)
    body = [f"Background sentence number {i} says nothing dated at all." for i in range(12)]
    body[9] = "Protesters filled the square on Monday and the police watched them."
    articles = []
    for k in range(3):
        made = make_annotated(body, day + timedelta(days=1), {9: [day]}, name=f"a{k}.txt")
        spans = [(s.start, s.end) for s in made.sentences]
        # With the builder's facts (as a Parquet corpus keeps them), no rule reads the other sentences either.
        articles.append(replace(made, sentences=Sentences(made.article.text, spans), facts=article_facts(made)))
    timeline = get_builder().build(articles, BuildOptions(dates=1, sentences=1))
    assert [e.date for e in timeline.entries] == [day]
    read = {i for a in articles for i, s in enumerate(a.sentences._made) if s is not None}
    assert read == set(range(LEAD_SENTENCES)) | {9}
