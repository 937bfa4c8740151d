"""Pure parts of answering: R2P-norm detection, list support, term coverage, fusion."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from indexer.terms import fts_query
from search_api.lists import entities
from search_api.norm import is_r2p_norm, mentions_r2p
from search_api.question import parse
from search_api.retrieve import rrf
from search_api.support import supports
from search_api.words import content_terms, coverage


@pytest.mark.parametrize("sentence", [
    "We support the responsibility to protect.",
    "The Responsibility to Protect must be upheld in Syria.",
    "States have the responsibility to protect their populations from genocide and war crimes.",
    "We reaffirm our commitment to the principle of the responsibility to protect ,which is key.",
    "R2P remains central.",
    "the operationalization of RtoP at the national level",
    # named in quotes, or used as a noun before a verb, a preposition or a conjunction
    "That is what the “responsibility to protect” asks of us.",
    "No fashionable idea such as the responsibility to protect can excuse interference.",
    "We spoke a great deal about the responsibility to protect, yet did little.",
    "Talks on the responsibility to protect and the protection of civilians continue.",
    "Protection concerns, ìresponsibility to protectî and reform were on the agenda.",
    # the norm's own object
    "The world failed in its responsibility to protect the people of Rwanda.",
    "Who will take up the responsibility to protect defenceless civilians?",
    "We share a responsibility to protect those who cannot protect themselves.",
])
def test_sentences_invoking_the_norm(sentence):
    assert is_r2p_norm(sentence)


@pytest.mark.parametrize("sentence", [
    "It is our responsibility to protect the planet for future generations.",
    "We have a responsibility to protect our oceans and seas.",
    "Governments have a responsibility to protect their citizens from the virus.",
    "Each of us has a responsibility to protect peace in the region.",
    "The responsibility to protect the environment falls on all of us.",
    "Every nation bears a vital responsibility to protect, not overstep, the voices of the weak.",
    "My Government has a responsibility to protect our people from the pandemic.",
    "Parents have a responsibility to protect and educate their children.",
    "We have a responsibility to protect the health of the citizens of all countries.",
    "There is a shared responsibility to protect cultural diversity.",
])
def test_other_uses_of_the_words(sentence):
    assert not is_r2p_norm(sentence)


def test_mentions_r2p():
    assert mentions_r2p("Which states referred to the Responsibility to Protect in 2022?")
    assert mentions_r2p("Who mentioned RtoP?") and not mentions_r2p("Who named focal points?")


def test_coverage_counts_stems_of_content_terms():
    terms = content_terms("referenced RtoP in strategic policy papers")
    assert terms == ["referenced", "rtop", "strategic", "policy", "papers"]
    # 5 of 5 stems: references~referenced, RtoP, strategic, policy, papers
    full = ("Several states support RtoP by including references to the norm in strategic "
            "policy papers, namely France.")
    assert coverage(terms, full) == 1.0
    # only "rtop" (1 of 5)
    assert coverage(terms, "Ghana and Denmark appointed focal points on RtoP.") == 0.2


def test_support_shows_the_relation_not_the_verb():
    focal = parse("Which states named focal points?", answer_type="list-states")
    assert supports(focal, _sentence("Ghana and Denmark have appointed focal points."), set())
    assert not supports(focal, _sentence("France published a white paper."), set())
    norm = parse("which nations talked about R2P in 2014?", answer_type="list-states")
    assert supports(norm, _sentence("We uphold the responsibility to protect."), set())
    assert not supports(norm, _sentence("We have a responsibility to protect the ocean."), set())


def test_an_abbreviation_is_shown_by_the_name_it_stands_for():
    from types import SimpleNamespace

    from search_api.held import spelling
    from search_api.support import shown_otherwise

    # a small word may give the abbreviation its letter: "in" gives UNIFIL's second I
    text = "Decides to renew the mandate of the United Nations Interim Force in Lebanon;"
    assert spelling("unifil", text) == "United Nations Interim Force in Lebanon"
    assert spelling("unifil", "the United Nations force in Lebanon") is None
    q = parse("which resolutions renewed UNIFIL's mandate in 1979?",
              answer_type="list-documents")
    renews, later = _sentence(text, "resolution"), _sentence(
        "Decides to renew the mandate of the Force for five months;", "resolution")
    def every(terms, text):  # every word of the relation shown
        return float(coverage(terms, text) == 1.0)

    assert not supports(q, renews, set(), every) and not supports(q, later, set(), every)
    documents = {"d": f"{text} ... Decides to renew the mandate of the Force"}
    engine = SimpleNamespace(  # the collection writes "UNIFIL" in capitals, never in lower case
        common=lambda w: w != "unifil", texts=SimpleNamespace(get=documents.get),
        held=SimpleNamespace(written=lambda w, case: w in ("UNIFIL", "renewed", "mandate")))
    also = shown_otherwise(engine, q)
    assert also(renews) == ("unifil",) and supports(q, renews, set(), every, also=also(renews))
    # in a list of documents, a document that spells it out shows it in each of its sentences
    assert also(later) == ("unifil",) and supports(q, later, set(), every, also=also(later))
    states = parse("which states praised UNIFIL in 2006?", answer_type="list-states")
    assert shown_otherwise(engine, states)(later) == ()


def test_a_list_quotes_what_the_question_quotes():
    q = parse("which resolutions recommended admitting a 'republic of the congo' to the UN?",
              answer_type="list-documents")
    assert q.quoted == (("republic", "congo"),)
    assert supports(q, _sentence("Recommends to the General Assembly that the Republic of the "
                                 "Congo be admitted to membership in the United Nations."), set())
    # the rest of the relation, without the phrase quoted, is another republic's admission
    assert not supports(q, _sentence("Recommends to the General Assembly that the Republic of "
                                     "Cyprus be admitted to membership in the United Nations."),
                        set())


def test_a_state_named_in_the_relation_is_shown_by_its_name_not_word_by_word():
    q = parse("central african republic at the 68th session - who mentioned it",
              answer_type="list-states")
    speech = "general-debate-statement"
    assert supports(q, _sentence("The situation in the Central African Republic worsens.",
                                 speech, "MNE"), {"d:0000"})
    assert not supports(q, _sentence("From the Democratic Republic of the Congo, the African "
                                     "continent faces conflicts.", speech, "LSO"), {"d:0000"})


def test_the_rarest_relation_word_may_be_one_both_alternatives_share():
    from types import SimpleNamespace

    from search_api.support import rarest

    reader = SimpleNamespace(doc_freq={"avian": 3, "bird": 2, "flu": 5}.get)
    q = parse("name the countries that raised avian flu / bird flu", answer_type="list-states")
    assert rarest(reader, q) == "flu"  # "avian" or "bird" alone a quote may lack
    burma = parse("which states raised myanmar / burma", answer_type="list-states")
    assert rarest(SimpleNamespace(doc_freq=lambda t: 4), burma) is None


def test_rrf_matches_hand_computed_scores():
    # item 1: ranks 1 and 2 -> 1/61 + 1/62; item 2: rank 2 and 1 -> same; item 3: rank 3 only
    scores = rrf([[1, 2, 3], [2, 1]], k=60)
    assert scores[1] == pytest.approx(1 / 61 + 1 / 62)
    assert scores[2] == pytest.approx(1 / 62 + 1 / 61)
    assert scores[3] == pytest.approx(1 / 63)


def test_fts_query_quotes_every_word_and_survives_operators():
    assert fts_query('Which states "named" focal-points? AND OR NEAR(') == (
        '"states" OR "named" OR "focal" OR "points" OR "near"')
    assert fts_query("the of and") == ""
    assert fts_query("A/RES/60/1") == '"res" OR "60" OR "1"'


def _sentence(text: str, doc_type: str = "ngo-page", state_iso3: str | None = None):
    from indexer.models import Chunk, DocMeta, Hit
    from search_api.evidence import Sentence

    chunk = Chunk("d:0000", "d", 0, text, 0, len(text), 10)
    meta = DocMeta(title="t", doc_type=doc_type, state_iso3=state_iso3)
    return Sentence(Hit(chunk, 1.0, meta=meta), 0, 0, len(text), text, vector=None)


def test_entities_are_named_states_orgs_or_the_speaker():
    text = "The European Union and the African Union worked with Ghana and Denmark."
    orgs = parse("Which organisations worked with states?", answer_type="list-organisations")
    states = parse("Which states worked with the unions?", answer_type="list-states")
    assert [label for _, label, _ in entities(orgs, _sentence(text))] == [
        "European Union", "African Union"]
    assert [label for _, label, _ in entities(states, _sentence(text))] == ["Ghana", "Denmark"]
    speech = _sentence(text, "general-debate-statement", "HRV")
    assert [label for _, label, _ in entities(states, speech)] == ["Croatia"]


def test_a_list_of_what_one_speaker_said_lists_the_states_its_speech_names():
    said = parse("which countries did the UK say in 2007 it supports for permanent membership"
                 " of the security council", answer_type="list-states")
    assert said.said_by_speaker and said.filters.state_iso3 == "GBR"
    assert said.filters.year_from == 2007 and said.members == ()  # no "permanent members"
    text = "We support permanent membership of the Security Council for Germany and Japan."
    speech = _sentence(text, "general-debate-statement", "GBR")
    assert [label for _, label, _ in entities(said, speech)] == ["Germany", "Japan"]
    # the one speech asked about is read whole, R2P or not
    assert supports(said, speech, norm_passages=set())
    pronoun = parse("botswana 68th session - terrorist attacks in which countries did it "
                    "condemn", answer_type="list-states")
    assert pronoun.said_by_speaker and pronoun.filters.state_iso3 == "BWA"
    assert "botswana" not in pronoun.relation  # its own speech need not name it
    # the listed states speak: "it" is the topic, not a speaker
    topic = parse("south sudan 71st session - which countries mentioned it in their speeches",
                  answer_type="list-states")
    assert not topic.said_by_speaker and topic.filters.state_iso3 is None
    assert [label for _, label, _ in entities(topic, speech)] == ["United Kingdom"]


def test_each_side_of_an_or_between_two_names_is_the_whole_name() -> None:
    from search_api.support import relation_variants

    q = parse("which states mentioned the Summit of the Future or the Pact for the Future in "
              "the 2024 general debate?", answer_type="list-states")
    assert q.alternatives == ((("summit", "future"), ("pact", "future")),)
    # the word both names share stays in each way of showing the relation
    assert sorted(relation_variants(q)) == [("future", "pact"), ("summit", "future")]
    # a quote showing one name keeps its words, though it does not show the other
    for text in ("The Summit of the Future renewed our commitment.",
                 "The Pact for the Future can rebuild trust."):
        assert supports(q, _sentence(text, "general-debate-statement", "LVA"), set())


def test_in_a_speech_a_relation_counts_only_where_the_passage_invokes_r2p():
    q = parse("Which states named R2P focal points?", answer_type="list-states")
    plan = _sentence("We named four focal points for our plan.", "general-debate-statement",
                     "HND")
    assert not supports(q, plan, norm_passages=set())
    assert supports(q, plan, norm_passages={"d:0000"})  # its passage invokes the norm
    assert supports(q, _sentence("We named four focal points."), set())  # not a speech


def test_a_relation_most_speeches_speak_of_away_from_r2p_is_a_topic_of_its_own():
    from types import SimpleNamespace

    from indexer.models import Chunk
    from search_api.support import as_topic, r2p_ties

    def passage(doc_id: str, ordinal: int, text: str) -> Chunk:
        return Chunk(f"{doc_id}:{ordinal:04d}", doc_id, ordinal, text, 0, len(text), 10)

    texts = {"CAN_60": ["We need to prepare for pandemics, including avian flu.",
                        "Trade must be fair."],
             "BHS_60": ["Avian flu threatens the region.", "Tourism recovers."],
             "KOR_60": ["We joined the partnership on avian flu.",
                        "We uphold the responsibility to protect populations from genocide."]}
    chunks = [passage(d, i, t) for d, ts in texts.items() for i, t in enumerate(ts)]
    held = [c for c in chunks if "avian flu" in c.text.lower()]
    reader = SimpleNamespace(
        doc_freq=lambda t: 3 if t in ("avian", "flu") else 900,
        search_lexical=lambda q, k, f, phrases=(): [(i, 1.0) for i in range(len(held))],
        chunks=lambda ids: {i: held[i] for i in ids},
        metas=lambda ids: {},
        following=lambda keys, span: {
            n: c for n, c in enumerate(chunks) for d, o in keys
            if c.doc_id == d and o < c.ordinal <= o + span})
    q = parse("name the countries that raised avian flu in the general debate",
              answer_type="list-states")
    ties = r2p_ties(reader, q)  # every speech holding it, whatever the question's years
    assert ties == {"CAN_60": False, "BHS_60": False, "KOR_60": True}
    assert as_topic(ties)  # most speak of it away from R2P
    assert not as_topic({"DNK_67": True, "GHA_65": True, "HND_65": False})  # "focal points"
    flu = _sentence(texts["CAN_60"][0], "general-debate-statement", "CAN")
    assert not supports(q, flu, norm_passages=set())
    assert supports(q, flu, norm_passages=set(), topic=True)
    assert not supports(q, _sentence("Influenza is a threat.", "general-debate-statement",
                                     "CAN"), norm_passages=set(), topic=True)


def test_in_a_speech_a_name_counts_without_r2p_in_its_passage():
    q = parse("which delegations mentioned boko haram?", answer_type="list-states")
    named = _sentence("We condemn the abductions by Boko Haram in Nigeria.",
                      "general-debate-statement", "IRL")
    assert supports(q, named, norm_passages=set())  # a name means the same thing anywhere
    plain = parse("which delegations mentioned focal points?", answer_type="list-states")
    tension = _sentence("The peninsula remains a focal point of international tension.",
                        "general-debate-statement", "NIC")
    assert not supports(plain, tension, norm_passages=set())  # plain words: R2P's sense
    first = parse("which delegations mentioned srebrenica?", answer_type="list-states")
    assert not supports(first, _sentence("Srebrenica must not be forgotten.",
                                         "general-debate-statement", "IRL"),
                        norm_passages=set())  # the first word of a sentence is no name


def test_r2p_said_of_the_speeches_is_asked_of_the_speech_not_the_passage():
    q = parse("which states mentioned the Ebola outbreak in speeches that also mention R2P?",
              answer_type="list-states")
    assert q.norm_of_documents and q.relation == ("ebola", "outbreak")
    s = _sentence("The Ebola outbreak has taken thousands of lives.",
                  "general-debate-statement", "LUX")
    assert not supports(q, s, set(), norm_documents=frozenset())
    assert supports(q, s, set(), norm_documents=frozenset({s.doc_id}))
    over = parse("name the countries that invoked R2P over syria in 2013",
                 answer_type="list-states")
    assert over.norm and not over.norm_of_documents  # R2P is part of the relation here
    assert parse("of the countries that raised R2P in 2014, which ones also talked about "
                 "ebola?", answer_type="list-states").norm_of_documents
    assert parse("Of the countries that raised R2P in 2014, which referred to Mali?",
                 answer_type="list-states").norm_of_documents
    assert parse("which governments mentioned Sri Lanka in statements where they also invoked "
                 "the responsibility to protect", answer_type="list-states").norm_of_documents
    assert parse("srebrenica - which countries brought it up in their r2p general debate "
                 "speeches?", answer_type="list-states").norm_of_documents


def test_a_quoted_phrase_must_be_shown_as_one():
    q = parse("which states spoke of 'human security'?", answer_type="list-states")
    assert q.phrases == (("human", "security"),)
    assert supports(q, _sentence("We champion human security everywhere."), set())
    assert not supports(q, _sentence("Security is a human right."), set())
    apostrophes = parse("which resolutions dealt with rhodesia's hostile acts against botswana "
                        "and the mission to assess botswana's needs?",
                        answer_type="list-documents")
    assert apostrophes.phrases == ()  # an apostrophe inside a word opens no quote


def test_a_stance_word_in_the_question_must_be_in_the_sentence():
    q = parse("Which states support the responsibility to protect?", answer_type="list-states")
    assert not supports(q, _sentence("Libya was destabilised by NATO under the phony principle "
                                     "of the responsibility to protect."), set())
    assert supports(q, _sentence("The African Union fully supports the responsibility to "
                                 "protect."), set())


def test_an_acronym_is_spelt_out_by_the_initials_of_capitalised_words():
    from search_api.held import spells

    assert spells("UNOMUR", "the United Nations Observer Mission Uganda-Rwanda, to be")
    assert spells("undof", "United Nations Disengagement\nObserver Force")
    assert spells("ICRP", "International Coalition for the Responsibility to Protect")
    assert not spells("FIFA", "the World Cup final")
    assert not spells("UNDOF", "united nations disengagement observer force")  # no capitals


def test_a_name_the_collection_never_holds_is_refused_but_not_an_acronym_it_spells_out(
        store_service):
    engine = store_service.engine
    refused = engine.ask("What did Zorblatt say about RtoP?")
    assert refused["refused"] and "Zorblatt" in refused["answer"]
    # the seed pages never write "ICRP"; they spell it out, so it is not an unknown name
    spelt = engine.ask("What does the ICRP do for civil society?")
    assert "naming Icrp" not in spelt["answer"]
    unknown = engine.ask("What does the QXZV do for civil society?")
    assert unknown["refused"] and "naming Qxzv" in unknown["answer"]


def test_a_sentence_opening_a_list_is_quoted_with_its_items():
    import numpy as np

    from search_api.evidence import with_items

    text = ("1. Affirms that peace should include both the following principles:\n\n"
            "(i) Withdrawal of armed forces;\n\n(ii) Termination of all claims;\n\n"
            "2. Decides to remain seized of the matter.")
    offset = 100  # the chunk starts at character 100 of its document
    spans = [(m.start() + offset, m.end() + offset) for m in
             __import__("re").finditer(r"[^\n]+", text)]
    unit = np.eye(4, dtype=np.float32)
    merged = with_items([(s, e, unit[i]) for i, (s, e) in enumerate(spans)], text, offset)
    # every sentence stays a candidate, and the opening one with its items is one more
    assert [(s, e) for s, e, _ in merged] == [spans[0], (spans[0][0], spans[2][1]), *spans[1:]]
    whole = text[merged[1][0] - offset:merged[1][1] - offset]
    assert whole.startswith("1. Affirms") and whole.endswith("Termination of all claims;")
    assert np.isclose(np.linalg.norm(merged[1][2]), 1.0)
    # a colon with no items after it, or items with no colon before them: no more quotes
    plain = [(0, 9, unit[0]), (10, 20, unit[1])]
    assert [(s, e) for s, e, _ in with_items(plain, "Remember:\n(a) nothing", 0)] == [
        (0, 9), (0, 20), (10, 20)]
    assert [(s, e) for s, e, _ in with_items(plain, "Remember.\n(a) nothing", 0)] == [
        (0, 9), (10, 20)]


def test_names_count_where_their_document_holds_them():
    from indexer.models import DocMeta
    from search_api.sources import names_in_document

    q = parse("What is Megan Schmidt's role at ICRtoP?", answer_type="explanation")
    idf = lambda term: 1.0  # noqa: E731 - every name weighs the same
    meta = DocMeta(title="IJ Central blog post", doc_type="blog-post")
    assert names_in_document(q, "written by Megan Schmidt, ICRtoP Outreach Officer", meta,
                             idf) == 1.0
    assert names_in_document(q, "Norway promotes the role of women.", meta, idf) == 0.0
    croatia = DocMeta(title="Statement", doc_type="general-debate-statement", state="Croatia")
    asked = parse("How did Croatia describe the focal points?", answer_type="explanation")
    assert names_in_document(asked, "We named a focal point.", croatia, idf) == 1.0
    assert names_in_document(parse("what is r2p?", answer_type="explanation"), "", meta,
                             idf) == 1.0  # no names asked: nothing to miss


@pytest.mark.parametrize(("text", "role"), [
    ("1. Decides that all States shall prevent the sale of arms;", "operative"),
    ("4, Calls upon all parties to cooperate", "operative"),
    ("Strongly condemns the attack", "operative"),
    ("Recalling its resolution 733 (1992),", "preambular"),
    ("Deeply concerned by the situation,", "preambular"),
    ("Reiterating its call,", "preambular"),
    ("The Security Council,", None),
    ("During the debate we spoke of R2P.", None),
])
def test_a_resolution_paragraph_is_operative_or_preambular_by_its_opening(text, role):
    from search_api.paragraphs import paragraph_role

    assert paragraph_role(text) == role


def test_a_named_symbol_counts_as_part_of_what_the_question_asks(store_service):
    from search_api.candidates import FEATURES, sentence_features

    q = parse("UNSCR 338 adoption date", answer_type="date")
    about = _sentence("Date of adoption of resolution 338 (1973): 22 October 1973")
    other = _sentence("Requests a report within thirty days from the date of the adoption.")
    vector = __import__("numpy").ones(1, dtype="float32")
    about = __import__("dataclasses").replace(about, vector=vector)
    other = __import__("dataclasses").replace(other, vector=vector)
    idf = store_service.engine.idf
    cover = FEATURES.index("cover")
    assert sentence_features(q, about, vector, vector, idf)[cover] == 1.0
    assert sentence_features(q, other, vector, vector, idf)[cover] == 2 / 3  # not the 338


def test_words_that_describe_the_document_are_not_what_its_answer_must_cover(store_service):
    from dataclasses import replace

    import numpy as np

    from indexer.models import DocMeta
    from search_api.candidates import FEATURES, sentence_features

    q = parse("what do schmidt and wolf call civil society's role, in their IJ Central post?",
              answer_type="explanation")
    meta = DocMeta(title="A new norm", doc_type="blog-post",
                   notes="Blog post by Megan Schmidt and Amelia Wolf, written for the IJ "
                         "Central blog.")
    vector = np.ones(1, dtype="float32")

    def features(text: str) -> np.ndarray:
        s = _sentence(text)
        s = replace(s, hit=replace(s.hit, meta=meta), vector=vector)
        return sentence_features(q, s, vector, vector, store_service.engine.idf)

    byline = features("This post was written for the IJ Central blog by Megan Schmidt and "
                      "Amelia Wolf.")
    answer = features("Civil society plays a role as the driving force of the norm.")
    content, cover = FEATURES.index("content_cover"), FEATURES.index("idf_cover")
    assert byline[cover] > answer[cover]  # the byline holds more of the question's words
    assert byline[content] == 0.0 < answer[content]  # but none of what it asks
    # R2P's words describe the whole collection, not one document ("selected because the text
    # matches responsibility to protect"); a question asking only what describes the document
    # asks all its words
    meta = replace(meta, notes="An IJ Central blog post, selected because the text matches "
                               "responsibility to protect.")
    q = parse("What did the IJ Central post say about the responsibility to protect?",
              answer_type="explanation")
    said = features("We uphold the responsibility to protect.")
    assert said[content] == 1.0 > said[cover]  # R2P's words are still asked
    q = parse("What did the IJ Central post say?", answer_type="explanation")
    assert features("The IJ Central post said so.")[content] == \
        features("The IJ Central post said so.")[cover] > 0.0


def test_a_passage_goes_on_in_the_chunks_after_it(store_service):
    reader = store_service.engine.reader
    doc_id = "000_6cbf8074917a557a"
    after = reader.following([(doc_id, 0)], span=2)
    assert sorted(c.ordinal for c in after.values()) == [1, 2]
    assert all(c.doc_id == doc_id for c in after.values())
    assert reader.following([]) == {}


def test_of_several_matches_the_head_takes_the_one_beside_what_was_asked():
    from search_api.compose import nearest
    from search_api.spans import YEAR

    text = ("• Germany’s White Paper on German Security Policy (2006); • The United Kingdom’s "
            "National Security Strategy (2008); • The United States’ National Security "
            "Strategy, (2010);")
    q = parse("In which year was the UK national security strategy of the United Kingdom "
              "published?", answer_type="date")
    spans = [m.span() for m in YEAR.finditer(text)]
    assert text[slice(*nearest(q, text, spans))] == "2008"
    plain = parse("In which year was it published?", answer_type="date")
    assert text[slice(*nearest(plain, text, spans))] == "2006"  # nothing to go by: the first
    assert nearest(q, text, []) is None


def test_a_name_in_the_relation_counts_only_where_the_sentence_shows_it_whole():
    q = parse("name the states that referred to the Global Centre for the Responsibility to "
              "Protect", answer_type="list-states")
    assert supports(q, _sentence("Croatia works with the Global Centre for the "
                                 "Responsibility to Protect."), set())
    assert not supports(q, _sentence("Croatia is at the centre of global efforts to "
                                     "protect."), set())


def test_an_answer_names_the_resolution_or_speaker_it_quotes_whatever_was_asked():
    import numpy as np

    from indexer.models import Chunk, DocMeta, Hit
    from search_api.candidates import Candidate
    from search_api.compose import answer_text
    from search_api.evidence import Sentence

    text = "Adopted at the 2350th meeting by 10 votes to 1 (Panama), with 4 abstentions."
    meta = DocMeta(title="Resolution 502", doc_type="security-council-resolution",
                   symbol="S/RES/502 (1982)", date="1982-04-03", year=1982)
    hit = Hit(Chunk("r:0001", "r", 1, text, 0, len(text), 20), 1.0, meta=meta)
    best = Candidate(Sentence(hit, 0, 0, len(text), text, np.zeros(1)), np.zeros(1), 0.9)
    asked = parse("Which country cast the only vote against resolution 502?",
                  answer_type="state")
    answer = answer_text(asked, [(best, 1)])
    assert answer.startswith("Panama — S/RES/502 (1982), adopted on 3 April 1982: “Adopted")
    explained = parse("What happened to resolution 502?", answer_type="explanation")
    assert answer_text(explained, [(best, 1)]).startswith("S/RES/502 (1982), adopted on")


def test_a_question_about_a_vote_matches_the_resolution_s_vote_record(store_service):
    import dataclasses

    import numpy as np

    from search_api.candidates import FEATURES, sentence_features

    vector = np.ones(1, dtype=np.float32)
    record = dataclasses.replace(_sentence(
        "Adopted at the 2184th meeting by 11 votes to none, with 4 abstentions."), vector=vector)
    other = dataclasses.replace(_sentence("Deplores the continued detention of the hostages."),
                                vector=vector)
    at = FEATURES.index("vote_match")
    idf = store_service.engine.idf
    asked = parse("What was the vote on resolution 461 (1979)?", answer_type="number")
    assert sentence_features(asked, record, vector, vector, idf)[at] == 1.0
    assert sentence_features(asked, other, vector, vector, idf)[at] == 0.0
    plain = parse("What did resolution 461 (1979) deplore?", answer_type="explanation")
    assert sentence_features(plain, record, vector, vector, idf)[at] == 0.0


def test_a_date_the_question_states_is_not_the_date_it_asks_for():
    from search_api.compose import _first
    from search_api.spans import DATE

    q = parse("By what date must the report on the mandate ending 30 June 1994 be submitted?",
              answer_type="date")
    text = ("Requests the report for the mandate period ending 30 June 1994 no later than "
            "31 August 1994;")
    assert _first(q, text, DATE) == "31 August 1994"
    only = "Notes the mandate period ending 30 June 1994;"
    assert _first(q, only, DATE) == "30 June 1994"  # nothing else to say


def test_a_year_tried_as_a_topic_must_be_shown_by_each_quote():
    from dataclasses import replace

    q = parse("which countries mentioned r2p in 2019?", answer_type="list-states")
    relaxed = replace(q, years_shown=(2019,))
    assert supports(q, _sentence("We support the responsibility to protect."), set())
    assert not supports(relaxed, _sentence("We support the responsibility to protect."), set())
    assert supports(relaxed, _sentence("In 2019 we upheld the responsibility to protect."),
                    set())


def test_a_person_head_falls_back_to_a_name_that_is_no_state_nor_the_question_s():
    import numpy as np

    from indexer.models import Chunk, DocMeta, Hit
    from search_api.candidates import Candidate
    from search_api.compose import head
    from search_api.evidence import Sentence

    text = ("This post was written for the IJ Central blog by Megan Schmidt, ICRtoP Outreach "
            "Officer, and Amelia Wolf of Costa Rica.")
    hit = Hit(Chunk("b:0001", "b", 1, text, 0, len(text), 20), 1.0,
              meta=DocMeta(title="blog", doc_type="blog-post"))
    best = Candidate(Sentence(hit, 0, 0, len(text), text, np.zeros(1)), np.zeros(1), 0.9)
    assert head(parse("who wrote the IJ Central blog post", answer_type="person"),
                best) == "Megan Schmidt"
    # the question's own name is not the answer; "Costa Rica" is a state, not a person
    other = head(parse("who worked with Megan Schmidt on the blog post?",
                       answer_type="person"), best)
    assert other not in ("Megan Schmidt", "Costa Rica", None)


def test_a_name_a_speech_greets_answers_only_who_was_greeted_or_held_those_offices():
    import numpy as np

    from indexer.models import Chunk, DocMeta, Hit
    from search_api.candidates import Candidate
    from search_api.compose import head
    from search_api.evidence import Sentence

    text = "I would like to begin by welcoming Mr. John Ashe to the presidency."
    hit = Hit(Chunk("g:0001", "g", 1, text, 0, len(text), 20), 1.0,
              meta=DocMeta(title="Guatemala", doc_type="general-debate-statement", year=2013,
                           state_iso3="GTM"))
    best = Candidate(Sentence(hit, 0, 0, len(text), text, np.zeros(1)), np.zeros(1), 0.9)

    def who(question: str) -> str | None:
        return head(parse(question, answer_type="person"), best)

    # the Assembly's president, greeted in the opening lines, is not the head of a commission
    assert who("guatemala 2013: who was the head of the commission against impunity?") is None
    assert who("who presided over the assembly when guatemala spoke in 2013?") == "Mr. John Ashe"
    assert who("whom did guatemala welcome in its 2013 speech?") == "Mr. John Ashe"


def test_a_date_head_is_a_date_the_quote_or_its_document_holds_and_the_question_does_not():
    import numpy as np

    from indexer.models import Chunk, DocMeta, Hit
    from search_api.candidates import Candidate
    from search_api.compose import head
    from search_api.evidence import Sentence

    def best(text: str) -> Candidate:
        hit = Hit(Chunk("k:0001", "k", 1, text, 0, len(text), 20), 1.0,
                  meta=DocMeta(title="Republic of Korea", doc_type="general-debate-statement",
                               year=2016, state_iso3="KOR"))
        return Candidate(Sentence(hit, 0, 0, len(text), text, np.zeros(1)), np.zeros(1), 0.9)

    asked = parse("On what date did North Korea carry out its fifth nuclear test, according "
                  "to South Korea's 2016 speech?", answer_type="date")
    # the quote holds no date and its document's year is the question's own: no answer
    assert head(asked, best("North Korea's fifth nuclear test exposed its ambitions.")) is None
    assert head(asked, best("The fifth test, on 9 September 2016, exposed them.")) == \
        "9 September 2016"
    # a date without its year, or without its day, is a date
    assert head(asked, best("On 18 April, we raised our flag in Havana.")) == "18 April"
    assert head(asked, best("In September 1995, I was elected.")) == "September 1995"
    # a question that does not state the year is answered by the document's
    plain = parse("When did South Korea speak of the fifth nuclear test?", answer_type="date")
    assert head(plain, best("North Korea's fifth nuclear test exposed its ambitions.")) == "2016"


@pytest.mark.parametrize(("text", "names"), [
    ("Then Prime Minister Tony Blair came.", ["Prime Minister Tony Blair"]),
    ("The Secretary-General appointed U Thant.", ["U Thant"]),
    ("We note that Francis Deng said so.", ["Francis Deng"]),
    ("A monument by our sculptor, Antun Augustinčić, stands here.", ["Antun Augustinčić"]),
    # names of bodies, places and titles alone are no one's name
    ("We thank the United Nations and the Executive Director.", []),
    ("As the United Kingdom said in New York.", []),
    ("Our Minister Mr. said so.", []),
])
def test_a_person_is_a_name_not_a_body_a_place_or_a_title(text, names) -> None:
    from search_api.spans import person_names

    assert [text[a:b] for a, b in person_names("who was it?", text)] == names


def test_a_pair_of_common_words_is_no_name_but_a_titled_one_still_is() -> None:
    from search_api.spans import person_names

    def common(word: str) -> bool:  # as written: the engine's test reads it in lower case
        return word.lower() in {"personal", "envoy", "driving", "progress"}

    text = "We thank his Personal Envoy and Francis Deng for Driving Progress."
    assert [text[a:b] for a, b in person_names("who was it?", text, common)] == ["Francis Deng"]
    assert len(person_names("who was it?", text)) == 3  # without the test, every pair
    titled = "We thank Mr. Personal Envoy."  # a title makes it a name whatever its words
    assert [titled[a:b] for a, b in person_names("who?", titled, common)] == \
        ["Mr. Personal Envoy"]


def test_a_common_word_is_one_the_collection_writes_in_lower_case(seed_service) -> None:
    common = seed_service.engine.common
    assert common("Crimes") and common("governments")  # the seed pages write them so
    assert not common("Schmidt") and not common("Wolf")  # the blog post's authors: names
    assert not common("Hammarskjöld")  # in no passage at all


@pytest.mark.parametrize(("text", "plain"), [
    ("Which delegation raised R2P over the Rohingya crisis in 2019?", ["rohingya"]),
    # abbreviations may be spelt out in the document: they need not be in it
    ("When was the UNMIH financing resolution adopted?", []),
    ("what does the ICRtoP page say of RtoP?", []),
])
def test_a_name_in_plain_words_must_be_in_the_answer_s_document(text, plain) -> None:
    from search_api.answer import DOC_NAMES, holding_values, plain_names
    from search_api.candidates import FEATURES, Candidate

    q = parse(text, answer_type="state")
    assert plain_names(q) == plain

    def candidate(doc_names: float) -> Candidate:
        features = np.zeros(len(FEATURES), dtype=np.float32)
        features[DOC_NAMES] = doc_names
        return Candidate(_sentence("x"), features, 0.9)

    kept = holding_values(q, [candidate(0.0), candidate(0.5)])
    assert [c.features[DOC_NAMES] for c in kept] == ([0.5] if plain else [0.0, 0.5])


def test_a_publisher_is_named_by_its_own_words_not_by_r2p_s() -> None:
    from search_api.sources import by_acronym, names_publisher

    icrtop = "International Coalition for the Responsibility to Protect"
    assert not names_publisher("Which state said the responsibility to protect failed?", icrtop)
    assert names_publisher("what does the international coalition say?", icrtop)
    assert by_acronym("according to icrtop, who appointed focal points?", icrtop)
    assert not by_acronym("according to the coalition, who appointed focal points?", icrtop)


def test_a_number_answer_needs_a_number_the_question_does_not_say() -> None:
    from search_api.answer import holding_values
    from search_api.candidates import FEATURES, Candidate

    q = parse("What is the half-life of carbon-14 according to A/HRC/WG.6/34/ITA/3?",
              answer_type="number")

    def candidate(text: str) -> Candidate:
        return Candidate(_sentence(text), np.zeros(len(FEATURES), dtype=np.float32), 0.9)

    kept = holding_values(q, [candidate("Carbon-14 is mentioned."),
                              candidate("It summarises 34 submissions."),
                              candidate("In 2019 it was done.")])
    assert [c.sentence.text for c in kept] == ["It summarises 34 submissions."]


def test_a_word_asked_about_as_a_word_must_be_in_the_quote() -> None:
    q = parse("which countries used the abbreviation R2P?", answer_type="list-states")
    assert supports(q, _sentence("We strongly supported the responsibility to protect (R2P)."),
                    set())
    assert not supports(q, _sentence("We support the responsibility to protect."), set())


def test_a_quote_that_only_repeats_the_question_is_passed_over_unless_its_source_answers():
    import numpy as np

    from search_api.answer import NOVELTY, select
    from search_api.candidates import FEATURES, Candidate

    def candidate(text: str, novelty: float, score: float, doc: str) -> Candidate:
        features = np.zeros(len(FEATURES), dtype=np.float32)
        features[NOVELTY] = novelty
        s = _sentence(text)
        s = __import__("dataclasses").replace(s, hit=__import__("dataclasses").replace(
            s.hit, chunk=__import__("dataclasses").replace(s.hit.chunk, doc_id=doc)))
        return Candidate(s, features, score)

    formula = candidate("The Security Council,", 0.0, 0.9, "a")
    operative = candidate("Decides to establish a Committee.", 0.6, 0.85, "b")
    assert [c.sentence.text for c in select([formula, operative], 0.5)] == [
        "Decides to establish a Committee."]
    assert select([formula], 0.5) == [formula]  # nothing else clears the bar
    said = [c.sentence.text for c in select([formula, operative], 0.5, from_source=True)]
    assert said[0] == "The Security Council,"


def test_a_question_names_a_source_by_its_kind_its_publisher_or_an_acronym():
    from indexer.models import DocMeta
    from search_api.sources import is_acronym, source_named

    coalition = "International Coalition for the Responsibility to Protect"
    assert is_acronym("icrtop", coalition) and is_acronym("ICRtoP", coalition)
    assert is_acronym("unhcr", "United Nations High Commissioner for Refugees")
    assert not is_acronym("icr", coalition) and not is_acronym("coalition", coalition)
    blog = DocMeta(title="A post", doc_type="blog-post", publisher=coalition)
    assert source_named("Who wrote the IJ Central blog post?", blog)
    assert source_named("according to icrtop, what is a focal point?", blog)
    assert source_named("what does the coalition for the responsibility to protect do?", blog)
    assert not source_named("What did Ghana say about focal points?", blog)
    assert not source_named("anything", None)


def test_a_quote_takes_in_the_sentence_it_leans_on_and_stays_an_exact_span():
    from indexer.models import Chunk, Hit
    from search_api.evidence import Sentence, in_context

    text = ("Ghana set up a focal point in 2010. It reports to the foreign minister. "
            "Other news. In two cases the Council acted: Libya and Côte d'Ivoire.")
    parts = ["Ghana set up a focal point in 2010.", "It reports to the foreign minister.",
             "Other news.", "In two cases the Council acted:", "Libya and Côte d'Ivoire."]
    spans = [(text.index(p), text.index(p) + len(p)) for p in parts]

    class Reader:
        def sentences(self, chunk_ids):
            return [("d:0000", a, b, None) for a, b in spans]

    class Texts:
        def get(self, doc_id):
            return text

    hit = Hit(Chunk("d:0000", "d", 0, text, 0, len(text), 20), 1.0, None, None, None)

    def quote(i):
        a, b = spans[i]
        return in_context(Reader(), Texts(), Sentence(hit, 0, a, b, text[a:b], np.zeros(2)))

    both = "Ghana set up a focal point in 2010. It reports to the foreign minister."
    assert quote(1).text == both
    assert quote(0).text == quote(1).text  # the next sentence leans back on it
    assert quote(2).text == "Other news."
    q = quote(3)
    assert q.text.startswith("In two cases the Council acted:") and q.text.endswith("Ivoire.")
    assert text[q.start:q.end] == q.text


def test_the_lead_of_a_document_is_measured_against_the_best_other_one():
    from search_api.candidates import best_of_others

    # a: 0.9 is best, so its rival is b's 0.5; b and c face a's 0.9; one document faces none
    assert best_of_others({"a": 0.9, "b": 0.5, "c": 0.2}) == {"a": 0.5, "b": 0.9, "c": 0.9}
    assert best_of_others({"a": 0.7, "b": 0.7}) == {"a": 0.7, "b": 0.7}  # a tie
    assert best_of_others({"a": 0.3}) == {"a": 0.0}


def test_symbols_are_cited_by_passages_as_resolutions_write_them():
    from search_api.symbols import mention_of

    assert mention_of("S/RES/1973") == "resolution 1973"
    assert mention_of("A/RES/63/308") == "63 308"
    assert mention_of("A/HRC/WG.6/7/ITA/1") == "A HRC WG 6 7 ITA 1"


def test_a_quote_opening_a_list_takes_in_the_items_that_follow_in_the_document():
    from search_api.evidence import with_following_items

    text = ("Several papers refer to it.\nSee the following documents:\n"
            "  • Germany's White Paper (2006)\n  • The United Kingdom's Strategy (2008);\n"
            "See excerpts below.")
    opener = text.index("See the")
    end = with_following_items(text, opener, text.index("\n  •"))
    assert text[opener:end].endswith("Strategy (2008);")  # both items, not the next line
    first_item = text.index("(2006)") + len("(2006)")
    assert with_following_items(text, opener, first_item) == end  # ends on an item: go on
    plain = text.index("\nSee the")
    assert with_following_items(text, 0, plain) == plain  # no list opened: unchanged


def test_how_many_is_answered_only_by_a_quote_holding_a_number():
    from search_api.answer import TYPE_MISS, holding_values
    from search_api.candidates import FEATURES, Candidate

    def candidate(miss: float) -> Candidate:
        features = np.zeros(len(FEATURES), dtype=np.float32)
        features[TYPE_MISS] = miss
        return Candidate(_sentence("x" if miss else "5 died"), features, 0.9)

    with_number, without = candidate(0.0), candidate(1.0)
    how_many = parse("How many people died?", answer_type="number")
    assert holding_values(how_many, [without, with_number]) == [with_number]
    when = parse("When was it adopted?", answer_type="date")  # the date may be the document's
    assert holding_values(when, [without]) == [without]



def test_a_short_line_of_an_address_block_is_quoted_as_the_whole_block():
    from search_api.evidence import line_block

    text = ("Please visit our website.\n\nThe Hague\nBezuidenhoutseweg 99A\n2594 AC, The Hague\n"
            "The Netherlands\n\nA sentence of prose that runs on and ends with a full stop.")
    line = text.index("2594")
    start, end = line_block(text, line, line + len("2594 AC, The Hague"))
    assert text[start:end] == ("The Hague\nBezuidenhoutseweg 99A\n2594 AC, The Hague\n"
                               "The Netherlands")
    prose = text.index("A sentence")
    assert line_block(text, prose, len(text)) == (prose, len(text))  # prose stays as it is
    two = "Resolution 687 (1991)\nof 3 April 1991\n\nThe Security Council,"
    assert line_block(two, 0, 21) == (0, 21)  # two lines make no block


def test_a_passage_next_to_one_invoking_r2p_counts_as_invoking_it():
    from indexer.chunk import chunk_id
    from indexer.models import Chunk
    from search_api.support import with_neighbours

    norm = Chunk(chunk_id("LIE_66_2011", 7), "LIE_66_2011", 7, "R2P ...", 0, 7, 3)
    assert with_neighbours({norm}) == {"LIE_66_2011:0006", "LIE_66_2011:0007",
                                       "LIE_66_2011:0008"}
    q = parse("which delegations mentioned r2p in connection with libya?",
              answer_type="list-states")
    libya = _sentence("The situation in Libya called for action.", "general-debate-statement",
                      "LIE")
    assert supports(q, libya, with_neighbours({replace(norm, doc_id="d", ordinal=1)}))
    assert not supports(q, libya, with_neighbours({replace(norm, doc_id="d", ordinal=2)}))


def test_a_list_of_documents_or_bodies_is_asked_for_in_the_plural():
    from search_api.intent import _spelt, allowed

    assert not allowed("list-documents", "what mission did resolution 626 establish?")
    assert allowed("list-documents", "list the resolutions on cyprus")
    assert allowed("list-organisations", "which peacekeeping missions were in africa?")
    assert allowed("state", "which delegation mentioned boko haram first?")
    # a place needs "where" or a noun for one
    assert not allowed("place", "which SADC (southern african development community) members "
                                "brought up R2P in 2012?")
    assert allowed("place", "in which city was the summit held?")
    assert allowed("place", "Where is the ICRtoP office?")
    # a list asked for in so many words is a list, whoever it names
    assert not allowed("person", "who mentioned kofi annan in their 2012 speech (list)")
    assert allowed("list-states", "who mentioned kofi annan in their 2012 speech (list)")
    assert allowed("number", "What fax number does ICRtoP list for its office?")
    # those who speak in the debate are its states
    assert not allowed("person", "who invoked eleanor roosevelt in their general debate speech?")
    assert allowed("person", "who did resolution 331 ask the secretary-general to invite?")
    assert not allowed("explanation", "which council members abstained on resolution 271?")
    # a singular noun is not a typo of its plural
    assert _spelt("which resolution") == "which resolution"
    assert _spelt("which countires") == "which countries"


def test_a_vote_question_reads_the_record_that_closes_the_resolution(tmp_path):
    import shutil
    from pathlib import Path

    from indexer.embed import HashEmbedder
    from indexer.settings import Settings
    from search_api.answer import vote_records
    from search_api.service import SearchService, build

    source = Path(__file__).parents[1] / "corpus" / "security-council-resolutions"
    folder = tmp_path / "resolutions"
    folder.mkdir()
    for name in ("catalog.json", "S_RES_0515_1982_EN_GOLD.txt", "S_RES_0516_1982_EN_GOLD.txt"):
        shutil.copy2(source / name, folder / name)
    settings = Settings(index_dir=tmp_path / "index", corpus_paths=[folder])
    build(settings, [folder], embedder=HashEmbedder())
    engine = SearchService(settings, embedder=HashEmbedder()).engine
    question = parse("which member did not take part in the vote on resolution 515 (1982)?",
                     answer_type="state")
    found = vote_records(engine.reader, engine.embedder, question, [])
    assert found and found[0].chunk.doc_id == "S_RES_0515_1982_EN_GOLD"
    assert any("did not participate" in h.chunk.text for h in found)


def test_a_quote_cut_short_runs_on_to_the_end_of_its_sentence():
    from search_api.evidence import run_on

    text = ("Adopted at the 2330th meeting by 13 votes to none, with 2 abstentions (United "
            "Kingdom of Great Britain and Northern Ireland,\nUnited States of America). Next.")
    cut = text.index("\n")
    assert text[:run_on(text, 0, cut)].endswith("United States of America).")
    whole = text.index(" Next")
    assert run_on(text, 0, whole) == whole  # a finished quote stays as it is


def test_a_name_typed_in_lower_case_that_no_passage_holds_is_unknown():
    from types import SimpleNamespace

    from search_api.held import Holdings

    pieces = {"": 2, "sahnoun": 5, "resigning": 3, "somalia": 3}  # with [CLS] and [SEP]
    engine = SimpleNamespace(
        reader=SimpleNamespace(doc_freq=lambda w: int(w in {"somalia", "resolution",
                                                            "commented"})),
        embedder=SimpleNamespace(count_tokens=lambda ws: [pieces[w] for w in ws]))
    q = parse("which resolution commented on sahnoun resigning in somalia?",
              answer_type="document")
    # "sahnoun" is cut in pieces (no English word) and held nowhere; "resigning" is a word
    assert Holdings.unknown_names(engine, q) == ["sahnoun"]


def test_a_list_from_a_named_publisher_reads_only_its_documents() -> None:
    from indexer.models import Chunk, DocMeta, Hit
    from search_api.lists import from_named_source

    def hit(doc: str, publisher: str | None) -> Hit:
        return Hit(Chunk(f"{doc}:0000", doc, 0, "text", 0, 4, 1), 1.0,
                   meta=DocMeta(title="t", doc_type="ngo-page", publisher=publisher))

    hits = [hit("page", "International Coalition for the Responsibility to Protect"),
            hit("speech", None)]
    q = parse("what organisations does the ICRtoP about page mention?",
              answer_type="list-organisations")
    narrowed, kept = from_named_source(q, hits)
    assert [h.chunk.doc_id for h in kept] == ["page"] and narrowed.relation == ()
    plain = parse("which organisations worked on Darfur?", answer_type="list-organisations")
    assert from_named_source(plain, hits) == (plain, hits)


def test_a_question_about_a_vote_is_answered_by_the_record_of_one() -> None:
    from search_api.answer import holding_values
    from search_api.candidates import FEATURES, Candidate

    def candidate(text: str) -> Candidate:
        return Candidate(_sentence(text, "security-council-resolution"),
                         np.zeros(len(FEATURES), dtype=np.float32), 0.9)

    operative = candidate("Calls upon Israel to rescind the order to deport civilians;")
    record = candidate("Adopted at the 2385th meeting by 14 to none. One member (United States "
                       "of America) did not participate in the voting.")
    q = parse("who abstained when the council told israel to rescind the order?",
              answer_type="state")
    assert holding_values(q, [operative, record]) == [record]
    assert holding_values(q, [operative]) == []  # no record: nothing says who abstained


def test_a_body_is_a_capitalised_name_with_a_body_s_head_noun() -> None:
    from search_api.spans import body_names

    text = ("[on the report of the Fifth Committee (A/48/826/Add.1)] and the World Federalist "
            "Movement - Institute for Global Policy and the European Union. The Organization "
            "for Security and Co-operation in Europe met Mr. Smith in New York.")
    assert [text[a:b] for a, b in body_names("which committee reported?", text)] == [
        "Fifth Committee", "World Federalist Movement", "Institute for Global Policy",
        "European Union", "Organization for Security and Co-operation in Europe"]
    # the question's own body is not its answer
    assert "Fifth Committee" not in [text[a:b] for a, b in body_names(
        "what did the Fifth Committee report?", text)]


def test_numbers_that_name_are_not_counts() -> None:
    from search_api.spans import counts_in

    text = ("Condemns the massacre of 17 June 1992 (resolution 765 (1992), decision 48/477, "
            "paragraph 4): 23 recommendations, within sixty days")
    kept = counts_in(text)
    assert len(kept) == len(text)
    assert "17" not in kept and "765" not in kept and "477" not in kept and " 4)" not in kept
    assert "23 recommendations" in kept and "sixty" in kept


def test_a_who_question_whose_best_quote_names_no_one_is_refused(seed_service) -> None:
    """A person question answered by a quote that names no person would quote without
    answering: it is refused (the seed pages never name ICRtoP's director)."""
    answer = seed_service.ask("who is the director of ICRtoP?")
    assert answer["refused"] and not answer["citations"]
    named = seed_service.ask("who wrote the IJ Central blog post?")
    assert not named["refused"] and "Megan Schmidt" in named["answer"]



def test_a_names_words_joined_by_a_hyphen_show_it() -> None:
    from search_api.relation import shows_phrase

    assert shows_phrase(("molotov", "ribbentrop", "pact"), "the Molotov-Ribbentrop Pact of 1939")
    assert not shows_phrase(("molotov", "ribbentrop", "pact"), "Molotov, Ribbentrop and a pact")
    # a quoted phrase's small words are the question's own ("the 'swords into ploughshares'")
    assert shows_phrase(("swords", "ploughshares"), "beat their swords into ploughshares")


def test_an_acronym_the_question_spells_out_is_not_missing_from_the_collection() -> None:
    from types import SimpleNamespace

    from search_api.held import Holdings

    engine = SimpleNamespace(
        reader=SimpleNamespace(doc_freq=lambda w: 0 if w == "onuca" else 5,
                               documents_with_symbol=lambda s: []),
        spelt_out_near=lambda acronym, question: False, unknown_names=lambda question: [])
    spelt = parse("UN Observer Group in Central America (ONUCA) - which resolution set it up?",
                  answer_type="document")
    assert Holdings.absent(engine, spelt) is None  # the texts write the name, in English
    bare = parse("which resolution set up ONUCA?", answer_type="document")
    assert Holdings.absent(engine, bare) == "Onuca"


def test_a_who_answer_is_led_by_the_name_beside_its_best_quote_not_by_any_name() -> None:
    from types import SimpleNamespace

    from search_api.answer import beside_named

    def quote(doc: str, start: int, text: str) -> SimpleNamespace:
        meta = SimpleNamespace(doc_type="document")
        return SimpleNamespace(
            sentence=SimpleNamespace(doc_id=doc, start=start, end=start + len(text), text=text),
            hit=SimpleNamespace(meta=meta))

    q = parse("Whose words that R2P 'must move from declaration to action' did Palau quote?",
              answer_type="person")
    words = quote("palau", 100, "The responsibility to protect must move from declaration.")
    speaker = quote("palau", 60, "As Mr. Jan Eliasson stated on 11 September,")
    elsewhere = quote("blog", 60, "This post was written by Mr. Owen Ruiz, an officer.")
    assert beside_named(q, [words, elsewhere, speaker], None) == [speaker, words, elsewhere]
    assert beside_named(q, [words, elsewhere], None) == [words, elsewhere]  # someone else


def test_a_resolutions_masthead_brings_its_next_passages_as_evidence() -> None:
    from types import SimpleNamespace

    from indexer.models import Chunk, DocMeta, Hit
    from search_api.answer import evidence_of

    def chunk(doc: str, n: int) -> Chunk:
        return Chunk(f"{doc}:{n:04d}", doc, n, f"passage {n}", 0, 9, 2)

    resolution = DocMeta(title="Resolution 720", doc_type="security-council-resolution")
    speech = DocMeta(title="A speech", doc_type="general-debate-statement")
    hits = [Hit(chunk("res720", 0), 1.0, meta=resolution),
            Hit(chunk("speech", 4), 0.9, meta=speech),
            Hit(chunk("res999", 0), 0.8, meta=resolution)]
    reader = SimpleNamespace(following=lambda keys, span: {
        i: chunk(doc, ordinal + d) for i, (doc, ordinal, d) in enumerate(
            (doc, ordinal, d) for doc, ordinal in keys for d in range(1, span + 1))})
    ids = [h.chunk.chunk_id for h in evidence_of(reader, hits, evidence_hits=2)]
    # the two best hits, then what follows each resolution among the first three
    assert ids[:2] == ["res720:0000", "speech:0004"]
    assert "res720:0001" in ids and "res999:0001" in ids
    assert not any(i.startswith("speech:0005") for i in ids)  # a speech goes on as it likes


def test_a_year_beside_a_named_document_of_another_year_is_its_topic() -> None:
    from types import SimpleNamespace

    from indexer.models import DocMeta
    from search_api.held import Holdings

    metas = {"S_RES_0637": DocMeta(title="t", year=1989)}
    engine = SimpleNamespace(reader=SimpleNamespace(
        documents_with_symbol=lambda s: ["S_RES_0637"] if s == "S/RES/637" else [],
        metas=lambda ids: {i: metas[i] for i in ids}))
    signed = parse("name the countries whose presidents signed the guatemala agreement of 7 "
                   "august 1987, per security council res 637", answer_type="list-states")
    assert signed.filters.year_from == 1987
    assert Holdings.dated_elsewhere(engine, signed)  # the agreement's year, not the document's
    same = parse("what did resolution 637 of 1989 support?", answer_type="explanation")
    assert not Holdings.dated_elsewhere(engine, same)
    listed = parse("which 1987 security council resolutions led to res 637?",
                   answer_type="list-documents")
    assert not Holdings.dated_elsewhere(engine, listed)  # the year dates what is listed


def test_a_name_written_in_lower_case_is_a_phrase_when_the_collection_writes_it_as_one():
    from types import SimpleNamespace

    from indexer.models import Chunk
    from search_api.held import Holdings
    from search_api.relation import relation_runs

    assert relation_runs("who mentioned the green climate fund in 2016", (
        "mentioned", "green", "climate", "fund")) == [
        (("mentioned", "green", "climate", "fund"), "mentioned the green climate fund"),
        (("mentioned", "green", "climate"), "mentioned the green climate"),
        (("green", "climate", "fund"), "green climate fund"),
        (("mentioned", "green"), "mentioned the green"), (("climate", "fund"), "climate fund")]
    passages = ["We thank the Board of the Green Climate Fund.", "We are green and climate-wise."]
    reader = SimpleNamespace(search_lexical=lambda q, k, f, phrases=(): [
        (i, 1.0) for i, p in enumerate(passages) if phrases[0] in p.lower()],
        chunks=lambda rows: {i: Chunk(f"d:{i}", "d", i, passages[i], 0, 9, 9) for i in rows},
        metas=lambda ids: {})
    held = SimpleNamespace(reader=reader, common=lambda w: w != "obama")
    held.named = lambda written: Holdings._named(held, written)
    q = parse("green climate fund - who mentioned it between 2015 and 2019?",
              answer_type="list-states")
    assert Holdings.names_written(held, q).phrases == (("green", "climate", "fund"),)
    # a name the collection never writes with capitals is no phrase; nor is one of a word
    # only names use, which says what it names on its own
    assert Holdings.names_written(held, parse("which states mentioned climate and green growth",
                                              answer_type="list-states")).phrases == ()
    obama = parse("which delegations mentioned president obama", answer_type="list-states")
    assert Holdings.names_written(held, obama).phrases == ()


def test_an_abbreviation_no_passage_holds_is_written_out_as_a_found_document_spells_it():
    from types import SimpleNamespace

    from search_api.held import Holdings

    text = ("Decides to renew the mandate of the United Nations Disengagement Observer Force "
            "for another period of six months.")
    passage = SimpleNamespace(text=text)
    held = SimpleNamespace(reader=SimpleNamespace(
        doc_freq=lambda w: 0 if w.lower() == "undof" else 3,
        search_lexical=lambda q, k, f: [], search_dense=lambda v, k, f: [(1, 0.9)],
        chunks=lambda ids: {1: passage}))
    held.passages_near = lambda *args: Holdings.passages_near(held, *args)
    q = parse("undof mandate renewals in 1992 - which resolutions", answer_type="list-documents")
    spelt = Holdings.written_out(held, q, np.zeros(3))
    assert spelt == ("United Nations Disengagement Observer Force (undof) mandate renewals in "
                     "1992 - which resolutions")
    again = parse(spelt, answer_type="list-documents")
    assert Holdings.written_out(held, again, np.zeros(3)) is None  # written out once
    assert "disengagement" in again.relation
    plain = parse("which resolutions renewed the mandate in 1992", answer_type="list-documents")
    assert Holdings.written_out(held, plain, np.zeros(3)) is None


def test_a_resolution_number_no_document_carries_that_reads_as_a_year_is_a_year() -> None:
    from types import SimpleNamespace

    from search_api.held import Holdings

    held = SimpleNamespace(reader=SimpleNamespace(
        documents_with_symbol=lambda s: ["S_RES_0467"] if s == "S/RES/467" else []))
    q = parse("unsc resolution 1980 condemning the shelling of unifil headquarters",
              answer_type="document")
    assert q.symbols == ("S/RES/1980",)
    spelt = Holdings.year_not_symbol(held, q)
    assert spelt == "unsc resolution of 1980 condemning the shelling of unifil headquarters"
    again = parse(spelt, answer_type="document")
    assert again.symbols == () and again.filters.year_from == 1980
    held_one = parse("what did resolution 467 condemn?", answer_type="explanation")
    assert Holdings.year_not_symbol(held, held_one) is None
    cited = parse("which country criticised the action taken under resolution 1973?",
                  answer_type="state")
    assert Holdings.year_not_symbol(held, cited) is None  # a reference: a passage may cite it


def test_a_speech_the_collection_does_not_hold_is_refused_by_name() -> None:
    from types import SimpleNamespace

    from search_api.held import Holdings

    years = {"EST": {2011: 1, 2012: 1}}
    held = SimpleNamespace(reader=SimpleNamespace(
        count_by=lambda column, where: years.get(where["state_iso3"], {})))
    held._speech_years = lambda iso3: Holdings._years_of_speeches(held, iso3)
    missing = parse("estonia 68th session (2013): what did it say about syria and the "
                    "responsibility to protect?", answer_type="explanation")
    assert missing.filters.state_iso3 == "EST" and missing.filters.year_from == 2013
    assert Holdings.missing_speech(held, missing) == "Estonia in 2013"
    held_one = parse("estonia 66th session (2011): what did it say about syria?",
                     answer_type="explanation")
    assert Holdings.missing_speech(held, held_one) is None
    # another year in the question may be the speech's: nothing is refused on a guess
    two = parse("In Libya's 2009 general debate speech, who did it ask about a plane shot down "
                "in 1961?", answer_type="person")
    assert two.years and Holdings.missing_speech(held, two) is None


def test_a_document_cannot_answer_for_a_year_after_it_unless_its_quote_names_that_year() -> None:
    from indexer.models import Chunk, DocMeta, Hit
    from search_api.evidence import Sentence
    from search_api.years import predates

    def quote(text: str, year: int) -> Sentence:
        meta = DocMeta(title="Resolution", doc_type="security-council-resolution", year=year)
        hit = Hit(Chunk("r:0001", "r", 1, text, 0, len(text), 20), 1.0, meta=meta)
        return Sentence(hit, 0, 0, len(text), text, np.zeros(1))

    vacancy = "Noting with regret the death of Judge Baxter, the Council decides the date."
    later = parse("who was elected to the court in 1987 to replace the judge?",
                  answer_type="person")
    assert later.years and min(later.years) == 1987
    assert predates(later.years, quote(vacancy, 1953))
    assert not predates(later.years, quote(vacancy, 1987))  # of the year asked about
    assert not predates(later.years, quote("The election shall take place in 1987.", 1986))
    assert not predates(parse("who was elected to the court?", answer_type="person").years,
                        quote(vacancy, 1953))  # no year asked about
