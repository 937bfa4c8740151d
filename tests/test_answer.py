"""Pure parts of answering: R2P-norm detection, list support, term coverage, fusion."""

from __future__ import annotations

import pytest

from indexer.reader import fts_query
from search_api.lists import entities, supports
from search_api.norm import is_r2p_norm, mentions_r2p
from search_api.question import content_terms, coverage, parse
from search_api.retrieve import rrf


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


def test_in_a_speech_a_relation_counts_only_where_the_passage_invokes_r2p():
    q = parse("Which states named R2P focal points?", answer_type="list-states")
    plan = _sentence("We named four focal points for our plan.", "general-debate-statement",
                     "HND")
    assert not supports(q, plan, norm_passages=set())
    assert supports(q, plan, norm_passages={"d:0000"})  # its passage invokes the norm
    assert supports(q, _sentence("We named four focal points."), set())  # not a speech


def test_a_stance_word_in_the_question_must_be_in_the_sentence():
    q = parse("Which states support the responsibility to protect?", answer_type="list-states")
    assert not supports(q, _sentence("Libya was destabilised by NATO under the phony principle "
                                     "of the responsibility to protect."), set())
    assert supports(q, _sentence("The African Union fully supports the responsibility to "
                                 "protect."), set())


def test_an_acronym_is_spelt_out_by_the_initials_of_capitalised_words():
    from search_api.answer import spells

    assert spells("UNOMUR", "the United Nations Observer Mission Uganda-Rwanda, to be")
    assert spells("undof", "United Nations Disengagement\nObserver Force")
    assert spells("ICRP", "International Coalition for the Responsibility to Protect")
    assert not spells("FIFA", "the World Cup final")
    assert not spells("UNDOF", "united nations disengagement observer force")  # no capitals


def test_a_name_the_collection_never_holds_is_refused_but_not_an_acronym_it_spells_out(
        seed_service):
    engine = seed_service.engine
    refused = engine.ask("What did Zorblatt say about RtoP?")
    assert refused["refused"] and "Zorblatt" in refused["answer"]
    # the seed pages never write "ICRP"; they spell it out, so it is not an unknown name
    spelt = engine.ask("What does the ICRP do for civil society?")
    assert "naming Icrp" not in spelt["answer"]
    unknown = engine.ask("What does the QXZV do for civil society?")
    assert unknown["refused"] and "naming Qxzv" in unknown["answer"]
