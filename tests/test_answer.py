"""Pure parts of answering: R2P-norm detection, question filters, term coverage, fusion."""

from __future__ import annotations

import pytest

from indexer.models import Filters
from indexer.reader import fts_query
from search_api.lists import list_kind, supports
from search_api.norm import is_r2p_norm, mentions_r2p
from search_api.query import content_terms, coverage, infer_filters, strip_filter_phrases
from search_api.retrieve import rrf


@pytest.mark.parametrize("sentence", [
    "We support the responsibility to protect.",
    "The Responsibility to Protect must be upheld in Syria.",
    "States have the responsibility to protect their populations from genocide and war crimes.",
    "We reaffirm our commitment to the principle of the responsibility to protect ,which is key.",
    "R2P remains central.",
    "the operationalization of RtoP at the national level",
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
])
def test_other_uses_of_the_words(sentence):
    assert not is_r2p_norm(sentence)


def test_mentions_r2p():
    assert mentions_r2p("Which states referred to the Responsibility to Protect in 2022?")
    assert mentions_r2p("Who mentioned RtoP?") and not mentions_r2p("Who named focal points?")


def test_list_questions_are_detected():
    assert list_kind("Which states named focal points?") == "states"
    assert list_kind("What countries referenced RtoP in white papers?") == "states"
    assert list_kind("Which regional organisations support R2P?") == "organisations"
    assert list_kind("Which crimes does RtoP cover?") is None
    assert list_kind("What did Croatia say in 2021?") is None


def test_filters_inferred_from_the_question_and_given_ones_win():
    q = "Which states referred to the Responsibility to Protect in the 2022 General Debate?"
    inferred = infer_filters(q, Filters())
    assert (inferred.year_from, inferred.year_to, inferred.doc_type) == (
        2022, 2022, "general-debate-statement")
    given = infer_filters(q, Filters(year_from=2010, year_to=2012))
    assert (given.year_from, given.year_to) == (2010, 2012)
    assert infer_filters("What happened after 2005?", Filters()) == Filters()
    assert "2022" not in strip_filter_phrases(q) and "General" not in strip_filter_phrases(q)


def test_coverage_counts_stems_of_content_terms():
    terms = content_terms("Which states referenced RtoP in strategic policy papers?",
                          drop_list_words=True)
    assert terms == ["referenced", "rtop", "strategic", "policy", "papers"]
    # 5 of 5 stems: references~referenced, RtoP, strategic, policy, papers
    full = ("Several states support RtoP by including references to the norm in strategic "
            "policy papers, namely France.")
    assert coverage(terms, full) == 1.0
    # only "rtop" (1 of 5)
    assert coverage(terms, "Ghana and Denmark appointed focal points on RtoP.") == 0.2


def test_support_needs_most_terms_or_the_norm():
    focal = ["focal", "points"]
    assert supports("Ghana and Denmark have appointed focal points.", focal, False)
    assert not supports("France published a white paper.", focal, False)
    r2p = content_terms("referred to the Responsibility to Protect", drop_list_words=True)
    assert supports("We uphold the responsibility to protect.", r2p, True)
    assert not supports("We have a responsibility to protect the ocean.", r2p, True)


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
    from search_api.lists import entities, in_r2p_context, norm_spans

    text = "The European Union and the African Union worked with Ghana and Denmark."
    assert [label for _, label, _ in entities(_sentence(text), "organisations")] == [
        "European Union", "African Union"]
    assert [label for _, label, _ in entities(_sentence(text), "states")] == ["Ghana", "Denmark"]
    speech = _sentence(text, "general-debate-statement", "HRV")
    assert [label for _, label, _ in entities(speech, "states")] == ["Croatia"]
    turning = _sentence("A turning point.", "general-debate-statement", "CRI")
    norm = _sentence("We appoint focal points on the responsibility to protect.",
                     "general-debate-statement", "DNK")
    norms = norm_spans([turning, norm])
    assert in_r2p_context(_sentence("A turning point."), norms)  # an NGO page on RtoP
    assert not in_r2p_context(turning, norms)
    assert in_r2p_context(norm, norms)


def test_a_stance_word_in_the_question_must_be_in_the_sentence():
    terms = content_terms("support the responsibility to protect", drop_list_words=True)
    assert not supports("Libya was destabilised by NATO under the phony principle of the "
                        "responsibility to protect.", terms, True)
    assert supports("The African Union fully supports the responsibility to protect.", terms, True)
