"""question.parse: symbols, years, sessions, states, relations, languages (no model needed)."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.models import Filters
from search_api.question import GENERAL_DEBATE, parse, years_as_topic
from search_api.symbols import find_symbols
from search_api.words import coverage


@pytest.mark.parametrize(("text", "symbols"), [
    ("When was resolution 661 (1990) adopted?", ["S/RES/661"]),
    ("what did S/RES/1244 (1999) decide", ["S/RES/1244"]),
    ("What does UNSCR 425 call for?", ["S/RES/425"]),
    ("sc res 661 sanctions", ["S/RES/661"]),
    ("What does General Assembly resolution 48/246 appropriate?", ["A/RES/48/246"]),
    ("What does A/HRC/WG.6/7/ITA/1 say about migrants?", ["A/HRC/WG.6/7/ITA/1"]),
    ("Which states named focal points?", []),
])
def test_symbols(text: str, symbols: list[str]) -> None:
    assert find_symbols(text)[0] == symbols


@pytest.mark.parametrize(("text", "references"), [
    ("What did Security Council resolution 1244 (1999) establish in Kosovo?", ()),
    ("When was resolution 1674 adopted?", ()),
    ("Which country voiced concern about the actions taken in Libya under resolution 1973?",
     ("S/RES/1973",)),
    ("what did croatia say about GA resolution 75/277?", ("A/RES/75/277",)),
])
def test_a_symbol_after_a_preposition_is_a_reference(text: str, references: tuple) -> None:
    assert parse(text, answer_type="explanation").references == references


def test_symbol_year_is_not_a_filter() -> None:
    q = parse("When was resolution 661 (1990) adopted?", answer_type="date")
    assert q.symbols == ("S/RES/661",)
    assert q.filters.year_from is None and q.years == ()


def test_list_year_is_a_hard_filter_whatever_the_verb() -> None:
    for text in ("Which nations talked about R2P in 2014?",
                 "name the countries that raised the responsibility to protect in 2016",
                 "which delegations cited RtoP during 2014"):
        q = parse(text, answer_type="list-states")
        assert q.list_kind == "states"
        assert (q.filters.year_from, q.filters.year_to) in {(2014, 2014), (2016, 2016)}
        assert q.norm and q.relation == ()  # nothing but "invoked the norm" is asked


def test_session_number_means_general_debate_year() -> None:
    q = parse("which governments cited R2P at the 73rd session?", answer_type="list-states")
    assert (q.filters.year_from, q.filters.doc_type) == (2018, GENERAL_DEBATE)
    q = parse("who mentioned RtoP at the seventy-seventh session", answer_type="list-states")
    assert q.filters.year_from == 2022
    q = parse("who mentioned RtoP at the 67th sesion", answer_type="list-states")  # a typo
    assert q.filters.year_from == 2012
    # a year that dates the speech wins; the session is what the speech speaks of
    q = parse("Which late Maltese president, who had presided over the GA's 45th session, did "
              "Malta pay tribute to in its 2010 statement?", answer_type="person")
    assert (q.filters.year_from, q.filters.year_to, q.years) == (2010, 2010, (1990,))


def test_topic_year_is_soft() -> None:
    q = parse("What was agreed at the 2005 World Summit?", answer_type="explanation")
    assert q.filters.year_from is None and q.years == (2005,)


@pytest.mark.parametrize(("text", "years", "relation"), [
    # a decade is its ten years; "the 1970s and 1980s" both
    ("list the security council resolutions from the 1970s and 1980s that recommended someone "
     "for appointment as secretary-general", (1970, 1989),
     ("recommended", "someone", "appointment", "secretary")),
    ("which resolutions on cyprus were adopted in the 1960s?", (1960, 1969), ("cyprus",)),
    # a month in a date says when, not what the items share
    ("haiti earthquake jan 2010 - which delegations brought up the disaster in haiti?",
     (2010, 2010), ("haiti", "earthquake", "disaster")),
    ("which countries signed the guatemala agreement of 7 august 1987?", (1987, 1987),
     ("signed", "guatemala", "agreement")),
])
def test_decades_and_months_date_a_list(text, years, relation) -> None:
    q = parse(text, answer_type="list-documents" if "resolutions" in text else "list-states")
    assert (q.filters.year_from, q.filters.year_to) == years
    assert q.relation == relation


def test_a_year_beside_a_documents_symbol_may_be_tried_as_a_topic() -> None:
    # the symbol names the document; a year its words speak of may not be its date, so a
    # year filter that leaves no answer is tried again as a boost
    q = parse("GA res 48/161 on central america recalls an earlier assembly resolution of 18 "
              "december 1992 - which one?", answer_type="document")
    assert q.filters.year_from == 1992 and q.inferred_years
    relaxed = years_as_topic(q)
    assert relaxed.filters.year_from is None and relaxed.years == (1992,)
    # a report described in words, with no symbol, is dated by its year
    q = parse("italy's first UPR national report says the crime of torture was brought in in "
              "2002 - in which code?", answer_type="document")
    assert q.filters.year_from == 2002 and not q.inferred_years


@pytest.mark.parametrize(("text", "dated", "topic"), [
    # a year right before a noun modifies it; the year the documents are from is elsewhere
    ("Which 1998 resolution on Kosovo did Albania recall in 2009?", 2009, (1998,)),
    ("how many died in the 1994-1995 war, according to Bosnia's 2007 speech?", 2007,
     (1994, 1995)),
    ("What did Kenya say about the 2005 World Summit in 2011?", 2011, (2005,)),
    ("In the coalition's 2012 report, which states set up focal points?", 2012, ()),
    # right after a document noun, or before the organ, a year dates the documents too
    ("croatia general debate 2020 r2p", 2020, ()),
    ("angola resolutions 1993 security council", 1993, ()),
    ("which states talked about r2p in the 2016 debate?", 2016, ()),
])
def test_the_year_that_dates_the_documents(text, dated, topic) -> None:
    q = parse(text, answer_type="list-states" if "which states" in text else "explanation")
    assert (q.filters.year_from, q.filters.year_to) == (dated, dated)
    assert q.years == topic


@pytest.mark.parametrize(("text", "years"), [
    ("which states have raised R2P since 2015?", (2015, None)),
    ("which states raised R2P after 2019?", (2020, None)),
    ("which delegations spoke of R2P before 2007?", (None, 2006)),
    ("which states mentioned R2P in 2016, the year of the Aleppo siege?", (2016, 2016)),
    # a range of dates is a range of years: the month before each year is part of it
    ("which resolutions renewed the mandate between september 1978 and june 1979?",
     (1978, 1979)),
    ("which states spoke of Libya from 1 March 2011 to June 2012?", (2011, 2012)),
])
def test_open_ranges_and_appositions(text, years) -> None:
    q = parse(text, answer_type="list-states")
    assert (q.filters.year_from, q.filters.year_to) == years
    # neither "since", the apposition nor a range's months is what a quote must show
    assert not {"since", "aleppo", "september", "june", "march"} & set(q.relation)


def test_state_and_year_of_a_speech() -> None:
    q = parse("what did croatia say about the responsibility to protect in 2021?",
              answer_type="explanation")
    assert q.states == ("HRV",)
    assert q.filters.year_from == 2021


def test_a_noun_covers_its_verb() -> None:
    vote = "Adopted at the 476th meeting by 7 votes to none, with 3 abstentions (Egypt, India)."
    assert coverage(("abstained",), vote) == 1.0
    assert coverage(("admitted", "decided"), "its admission; the decision") == 1.0
    assert coverage(("abstained",), "Egypt voted against it.") == 0.0


def test_relation_keeps_what_evidence_must_show() -> None:
    q = parse("Which states named focal points?", answer_type="list-states")
    assert set(q.relation) == {"focal", "points"}
    q = parse("Which member states supported the responsibility to protect in 2009?",
              answer_type="list-states")
    assert q.relation == ("supported",)



def test_a_list_of_documents_is_about_its_topic_not_the_organ_that_adopted_it() -> None:
    q = parse("list the Security Council resolutions on Cyprus adopted in 1974",
              answer_type="list-documents")
    assert q.relation == ("cyprus",) and q.filters.year_from == 1974
    q = parse("which resolutions did the general assembly pass on financing UNMIH?",
              answer_type="list-documents")
    assert set(q.relation) == {"financing", "unmih"}
    # the organ is a topic where states are listed: "Security Council reform"
    q = parse("Which states called for Security Council reform?", answer_type="list-states")
    assert {"security", "council", "reform"} <= set(q.relation)

def test_given_filters_win() -> None:
    given = Filters(year_from=2010, year_to=2012)
    q = parse("Which states spoke of R2P in 2022?", given, answer_type="list-states")
    assert (q.filters.year_from, q.filters.year_to) == (2010, 2012)


def test_language() -> None:
    assert parse("What does the report say?").language == "en"
    assert parse("How do I bake sourdough bread?").language == "en"  # not Portuguese "do"
    assert parse("Qu'est-ce que la responsabilité de protéger dans le rapport de la "
                 "commission ?").language == "fr"


@pytest.mark.parametrize(("text", "speaker"), [
    ("What did Croatia say about the responsibility to protect?", "HRV"),
    ("what did botswana say about r2p in 2019?", "BWA"),
    ("What did the United States say about R2P and Libya in its 2011 speech?", "USA"),
    ("According to Ukraine's 2005 speech, how many people died in the famine?", "UKR"),
    ("How did Liechtenstein characterise the scope of R2P in 2008?", "LIE"),
    ("In Botswana's 2022 statement, which ideals are shared?", "BWA"),
    # a state as the topic, not the speaker: a boost, never a filter
    ("What did resolution 688 (1991) demand of Iraq?", None),
    ("Which resolutions concern Cyprus?", None),
    ("Did Germany or France mention focal points?", None),
    # another verb: what a state did is told by others too (a report, a coalition page)
    ("When did Italy ratify the Genocide Convention, according to A/HRC/WG.6/7/ITA/1?", None),
    ("When did Germany publish its white paper on security policy?", None),
    # a keyword-style heading, or "it" speaking for the one state named
    ("costa rica 71st session 2016 - what did it say on r2p focal points?", "CRI"),
    ("belgium 2011 speech: which french writer did it quote?", "BEL"),
    ("liechtenstein 2011: in which two situations did it say the council acted?", "LIE"),
    ("libya 2011: what did the council decide?", None),
    # "it" is the document the question names, not the state
    ("res 591 (1986), the arms embargo: what did it call on states to prohibit regarding south "
     "africa?", None),
    # a state's position, asked of the speeches; of a resolution it is the topic
    ("What was China's position on R2P in the 2005 general debate?", "CHN"),
    ("What was Israel's position according to resolution 242?", None),
    # what a state said, as a Security Council resolution records it: no speech of its own
    ("According to Security Council resolution 226 (1966), which territory did the Congo say "
     "mercenaries were using as a base?", None),
    ("which paragraphs of resolution 60/1 did Lesotho cite in its 2014 speech?", "LSO"),
])
def test_a_state_as_the_speaker_is_a_hard_filter(text: str, speaker: str | None) -> None:
    q = parse(text, answer_type="explanation")
    assert q.filters.state_iso3 == speaker
    assert parse(text, Filters(state_iso3="GHA"), answer_type="explanation"
                 ).filters.state_iso3 == "GHA"  # a given filter wins


def test_r2p_abbreviations_in_any_case_ask_about_the_norm() -> None:
    spelt = parse("What did Croatia say about the responsibility to protect?")
    for text in ("What did Croatia say about R2P?", "what did croatia say about r2p",
                 "What did Croatia say about RtoP?"):
        q = parse(text)
        assert q.norm and q.terms == spelt.terms, (text, q.terms)
        assert "responsibility to protect" in q.search_text


def test_un_abbreviations_and_their_long_forms_share_terms() -> None:
    from search_api.words import spelt_out

    q = parse("which states did the SC recommend for UN membership?", answer_type="list-states")
    assert {"un", "united", "nations"} <= set(q.terms)
    assert coverage(("un", "membership"), spelt_out("admitted to membership in the United "
                                                    "Nations")) == 1.0
    assert coverage(("united", "nations"), spelt_out("the UN Charter")) == 1.0
    assert spelt_out("a plain sentence") == "a plain sentence"


def test_what_a_list_is_about_is_its_topic_not_the_aboutness_verb() -> None:
    q = parse("which resolutions in 1992 dealt with Somalia?", answer_type="list-documents")
    assert q.relation == ("somalia",)
    q = parse("documents concerning the situation in Haiti", answer_type="list-documents")
    assert q.relation == ("situation", "haiti")
    q = parse("name the countries that told the general debate they were leading a provincial "
              "reconstruction team", answer_type="list-states")
    assert "told" not in q.relation  # telling is speaking: the quote need not say it


def test_a_name_in_a_list_relation_must_be_shown_as_a_phrase() -> None:
    from search_api.relation import shows_phrase

    q = parse("name the states that referred to the Global Centre for the Responsibility to "
              "Protect", answer_type="list-states")
    assert q.phrases == (("global", "centre"),)
    assert shows_phrase(q.phrases[0], "We thank the Global Centre for its work.")
    assert not shows_phrase(q.phrases[0], "at the centre of our global efforts")
    q = parse("which countries mentioned the Global Network of R2P Focal Points?",
              answer_type="list-states")
    assert q.phrases == (("global", "network"), ("focal", "points"))
    assert shows_phrase(("focal", "points"), "appointed a national Focal Point")
    # lower case, or every word capitalised: no names to go by
    assert parse("which states named focal points?", answer_type="list-states").phrases == ()
    assert parse("Which States Named Focal Points?", answer_type="list-states").phrases == ()


def test_plurals_share_the_stem_of_their_singular() -> None:
    from search_api.words import term_key

    assert term_key("votes") == term_key("vote")
    assert term_key("cities") == term_key("city")
    assert term_key("status") == "statu" and term_key("crisis") == "crisi"
    assert term_key("abstentions") == term_key("abstained")
    assert term_key("crises") == term_key("crisis") and term_key("analyses") == "analy"


def test_words_of_one_stem_are_one_word_only_when_they_differ_in_their_ending() -> None:
    from search_api.words import same_word, shows_word, term_key

    assert same_word("abstained", "abstention") and same_word("protect", "protection")
    assert same_word("responsability", "responsibility")  # a typo
    assert term_key("transnistria") == term_key("transformation")
    assert not same_word("transnistria", "transformation")
    assert not same_word("constitution", "construction")
    assert same_word("recommend", "recommendation")  # "-ation"
    assert not same_word("islamophobia", "islamic") and not same_word("internal", "international")
    text = "The challenges concern economic, social and environmental transformation."
    assert not shows_word("transnistria", term_key("transnistria"), text)
    assert shows_word("transformations", term_key("transformations"), text)
    assert shows_word("vote", term_key("votes"), "Votes were cast.")  # short: the key says it
    assert not shows_word("islamophobia", term_key("islamophobia"), "the Islamic State")
    assert not shows_word("islam", term_key("islam"), "We fight Islamophobia.")


def test_every_group_of_states_a_list_names_counts() -> None:
    q = parse("Latin American and Caribbean countries that mentioned R2P at the 60th session",
              answer_type="list-states")
    assert q.relation == ()  # neither group name is left for a quote to show
    assert {"BRA", "MEX", "CUB", "BRB"} <= set(q.members)
    both = parse("which african and asian states invoked R2P?", answer_type="list-states")
    assert {"GHA", "JPN"} <= set(both.members) and "FRA" not in both.members


@pytest.mark.parametrize(("text", "each"), [
    ("states that referred to rtop in both 2014 and 2015", (2014, 2015)),
    ("which governments raised R2P in 2007 and again in 2009?", (2007, 2009)),
    ("Which delegations mentioned R2P at the 60th session and again at the 62nd?",
     (2005, 2007)),
    ("which countries raised R2P at both the 64th and the 65th sessions (2009 and 2010)?",
     (2009, 2010)),
    ("r2p 2013 + 2014 general debates - which states invoked it in both years", (2013, 2014)),
    ("delegations that invoked R2P in 2015 and then again the following year", (2015, 2016)),
    ("which states mentioned R2P between 2014 and 2015", ()),  # any of them: a range
    ("which states invoked r2p in 2014", ()),
])
def test_a_list_of_what_holds_in_every_year_named(text, each) -> None:
    q = parse(text, answer_type="list-states")
    assert q.each_year == each
    assert not {"year", "years", "following"} & set(q.relation)
    if each:  # retrieval spans the years; each is then asked on its own
        assert (q.filters.year_from, q.filters.year_to) == (min(each), max(each))
    assert not any(t.endswith(("nd", "th")) and t[:2].isdigit() for t in q.relation)


def test_either_of_two_relation_words_will_do() -> None:
    from search_api.support import relation_variants

    q = parse("which states brought up r2p in connection with myanmar / burma?",
              answer_type="list-states")
    assert q.relation == ("myanmar", "burma")
    assert q.alternatives == ((("myanmar",), ("burma",)),)
    assert sorted(relation_variants(q)) == [("burma",), ("myanmar",)]
    q = parse("which states voiced reservations or conditions about r2p in 2005?",
              answer_type="list-states")
    assert sorted(relation_variants(q)) == [("conditions",), ("reservations",)]
    plain = parse("which states named focal points?", answer_type="list-states")
    assert relation_variants(plain) == [plain.relation] and not plain.alternatives


@pytest.mark.parametrize(("text", "variants"), [
    # each side a run of words, small words before it skipped
    ("which countries described the ICC as the legal arm or a core element of R2P?",
     [("icc", "core", "element"), ("icc", "legal", "arm")]),
    # a verb particle ("set up") is a small word; the object is shared
    ("list the 1993 resolutions that set up or staffed the yugoslavia tribunal",
     [("set", "yugoslavia", "tribunal"), ("staffed", "yugoslavia", "tribunal")]),
    # a relative clause after the right side belongs to it
    ("which states pointed to kenya - its crisis or the mediation that helped resolve it?",
     [("kenya", "crisis"), ("kenya", "mediation", "helped", "resolve")]),
])
def test_each_side_of_an_or_is_a_way_to_show_the_relation(text, variants) -> None:
    from search_api.support import relation_variants

    q = parse(text, answer_type="list-states" if "states" in text or "countries" in text
              else "list-documents")
    assert sorted(relation_variants(q)) == variants


def test_words_about_wording_are_not_the_relation() -> None:
    q = parse("who used the phrase 'responsible sovereignty' in their general debate speech?",
              answer_type="list-states")
    assert q.relation == ("responsible", "sovereignty")
    q = parse("which countries actually used the abbreviation R2P in their statement?",
              answer_type="list-states")
    assert q.relation == () and q.literal == ("R2P",)


@pytest.mark.parametrize(("text", "years"), [
    ("which UNSC resolutions in 1992 and 1993 imposed an arms embargo?", (1992, 1993)),
    ("nordic countries mentioning r2p between 2009 and 2011", (2009, 2011)),
    ("list the resolutions from 1990 to 1992 on Iraq", (1990, 1992)),
])
def test_two_years_joined_date_the_documents_from_one_to_the_other(text, years) -> None:
    q = parse(text, answer_type="list-documents" if "resolution" in text else "list-states")
    assert (q.filters.year_from, q.filters.year_to) == years


def test_the_wh_phrase_and_typos_of_entity_nouns() -> None:
    from search_api.intent import _spelt, surface_features, wh_phrase

    assert wh_phrase("belgium 2011 speech: which french writer did it quote?") == \
        "which french writer did"
    assert wh_phrase("r2p critics 2009") == "r2p critics 2009"
    assert _spelt("which goverments and countires") == "which governments and countries"
    assert _spelt("the statements and speeches") == "the statements and speeches"
    # "when" inside the question is not the wh-phrase's "when"
    from search_api.intent import FIRST_WORDS, SURFACE

    time = len(FIRST_WORDS) + len(SURFACE) + list(SURFACE).index("time")  # of the wh-phrase
    assert surface_features("which writer did it quote when talking about Libya?")[time] == 0
    assert surface_features("when did it quote a writer?")[time] == 1
    # "United States" and "United Nations" are one state and one body, no plural
    plural = len(FIRST_WORDS) + list(SURFACE).index("plural_states")
    assert surface_features("who spoke for the united states at the council?")[plural] == 0
    assert surface_features("which united nations body?")[plural] == 0
    assert surface_features("which member states spoke?")[plural] == 1


def test_plain_verbs_of_what_a_resolution_did_are_spelt_as_resolutions_write_them() -> None:
    from search_api.words import spelt_out

    assert spelt_out("which resolution set up UNAMIR?").endswith("establish")
    assert spelt_out("who created the commission").endswith("establish")
    assert spelt_out("when was the mandate renewed").endswith("extend")
    assert spelt_out("Decides to establish a mission") == "Decides to establish a mission"


@pytest.mark.parametrize(("text", "kind", "debate"), [
    ("What conditions did Uganda attach to the responsibility to protect at the 60th session?",
     "explanation", True),
    ("at the 60th session, which delegations mentioned srebrenica?", "list-states", True),
    ("During its 48th session, how much did the General Assembly appropriate for the UN "
     "Mission in Haiti?", "number", False),
    ("Which resolution called an emergency special session of the General Assembly on "
     "Hungary?", "document", False),
])
def test_a_session_means_its_general_debate_only_where_speeches_are_asked_about(
        text: str, kind: str, debate: bool) -> None:
    q = parse(text, answer_type=kind)
    assert (q.filters.doc_type == GENERAL_DEBATE) is debate
    if not debate and "48th" in text:
        assert q.filters.year_from is None and q.years[:2] == (1993, 1994)  # a boost



def test_two_years_joined_by_or_date_the_documents_from_one_to_the_other() -> None:
    q = parse("which states brought up crimea in their 2014 or 2015 general debate speeches?",
              answer_type="list-states")
    assert (q.filters.year_from, q.filters.year_to) == (2014, 2015)
    far = parse("which states mentioned r2p in 2005 or 2015?", answer_type="list-states")
    assert (far.filters.year_from, far.filters.year_to) != (2005, 2015)  # not the ten between


def test_a_long_name_with_small_words_is_one_phrase() -> None:
    from search_api.relation import shows_phrase

    q = parse("Which states referred to the Treaty on the Prohibition of Nuclear Weapons?",
              answer_type="list-states")
    assert q.phrases == (("treaty", "prohibition", "nuclear", "weapons"),)
    assert shows_phrase(q.phrases[0], "ratify the Treaty on the Prohibition of Nuclear Weapons")
    assert not shows_phrase(q.phrases[0], "the treaty on nuclear weapons")


@pytest.mark.parametrize(("text", "relation"), [
    ("which states does icrtop say appointed focal points?", ("appointed", "focal", "points")),
    ("which countries issued white papers according to the ICRtoP page?",
     ("issued", "white", "papers")),
    # a lower-case relation after "say" is not a source's name
    ("which states say appointed focal points", ("appointed", "focal", "points")),
])
def test_who_the_list_is_from_is_not_what_its_items_share(text, relation) -> None:
    assert parse(text, answer_type="list-states").relation == relation



def test_a_list_leaves_out_the_states_it_says_it_leaves_out() -> None:
    q = parse("apart from the holy see itself, which countries mentioned pope francis?",
              answer_type="list-states")
    assert q.excluded == ("VAT",) and q.relation == ("pope", "francis")
    assert parse("which states besides Canada brought up r2p in 2005?",
                 answer_type="list-states").excluded == ("CAN",)
    assert parse("which states mentioned r2p?", answer_type="list-states").excluded == ()


def test_two_names_either_side_of_a_slash_are_not_one_phrase() -> None:
    q = parse("2014 general debate: which countries named ISIL / the so-called Islamic State?",
              answer_type="list-states")
    assert q.phrases == () and q.relation == ("isil", "islamic")
    assert q.alternatives == ((("isil",), ("islamic",)),)
    eu = parse("EU countries that talked about the russia-georgia war in 2008",
               answer_type="list-states")
    assert "FRA" in eu.members and "NOR" not in eu.members


def test_accents_are_matched_as_users_type_them() -> None:
    q = parse("which countries talked about cote d'ivoire in 2011?", answer_type="list-states")
    assert coverage(q.relation, "We welcome the end of the crisis in Côte d’Ivoire.") == 1.0
    typed = parse("which countries talked about Côte d'Ivoire in 2011?", answer_type="list-states")
    assert typed.relation == q.relation


def test_an_abbreviation_before_a_name_says_whose_it_is_not_what_a_quote_must_show() -> None:
    q = parse("which delegations cited a UNDP Human Development Report in their speech?",
              answer_type="list-states")
    assert q.relation == ("human", "development", "report")
    assert q.phrases == (("human", "development", "report"),)
    assert "undp" in q.terms  # still searched for
    assert parse("which states mentioned NATO bombing?", answer_type="list-states").relation \
        == ("nato", "bombing")


def test_the_classifier_reads_the_wh_phrase_and_the_question_words_by_tf_idf(tmp_path) -> None:
    from search_api.intent import IntentModel, Vocabulary, features, terms

    assert terms("For which term did Montenegro run?") == [
        "h:which", "h:term", "h:did", "h:montenegro", "h:which term", "h:term did",
        "h:did montenegro", "q:for", "q:which", "q:term", "q:did", "q:montenegro", "q:run"]
    texts = ["which term did it seek", "which state said it", "who said it first",
             "which term was it"]
    vocabulary = Vocabulary.fit(texts)  # kept: terms of at least two of the questions
    assert "h:which term" in vocabulary.index and "q:first" not in vocabulary.index
    x = vocabulary.vector("which term did it say?")
    heads = [i for t, i in vocabulary.index.items() if t.startswith("h:")]
    words = [i for t, i in vocabulary.index.items() if t.startswith("q:")]
    # each part has unit length; a rarer term weighs more ("term" in two questions, "which"
    # in three)
    assert np.isclose(np.linalg.norm(x[heads]), 1) and np.isclose(np.linalg.norm(x[words]), 1)
    assert x[vocabulary.index["q:term"]] > x[vocabulary.index["q:which"]] > 0
    assert not vocabulary.vector("nothing known").any()
    # the model keeps its vocabulary: saved and loaded, it gives the same features and type
    width = len(features("x", np.zeros(4), vocabulary))
    model = IntentModel(("date", "state"), np.ones((2, width), dtype=np.float32),
                        np.asarray([0.0, 1.0], dtype=np.float32), vocabulary)
    model.save(tmp_path / "intent.json")
    loaded = IntentModel.load(tmp_path / "intent.json")
    assert loaded is not None and loaded.fits(4) and not loaded.fits(5)
    assert loaded.vocabulary.index == vocabulary.index
    assert loaded.predict("which state?", np.zeros(4)) == "state"
