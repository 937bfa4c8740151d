"""The lexical terms a store without FTS5 indexes are the local FTS5 index's own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from indexer.milvus_schema import expression, split_text
from indexer.models import Filters
from indexer.terms import TOKENIZE, fts_phrases, holds_phrase, terms_of


def test_the_schema_tokenizes_as_the_terms_module_does():
    schema = (Path(__file__).parents[1] / "indexer" / "schema.sql").read_text()
    assert f"tokenize='{TOKENIZE}'" in schema


def test_terms_are_stemmed_folded_and_in_order():
    assert terms_of(["Protecting the populations of Côte d'Ivoire (R2P)", "", "votes"]) == [
        ["protect", "the", "popul", "of", "cote", "d", "ivoir", "r2p"], [], ["vote"]]


def test_a_term_matches_in_fts5_exactly_when_it_is_among_the_terms():
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='{TOKENIZE}')")
    texts = ["States protected civilians.", "The protection of civilians", "A focal point"]
    db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", enumerate(texts))
    for word in ("protect", "protecting", "civilian", "focal"):
        stem = terms_of([word])[0][0]
        fts = {r[0] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"{word}"',))}
        ours = {i for i, terms in enumerate(terms_of(texts)) if stem in terms}
        assert fts == ours, word


def test_phrases():
    assert fts_phrases(("responsibility to protect", "r2p", "")) == \
        '"responsibility to protect" OR "r2p"'
    terms = terms_of(["the responsibility to protect them"])[0]
    assert holds_phrase(terms, terms_of(["responsibility to protect"])[0])
    assert not holds_phrase(terms, terms_of(["protect responsibility"])[0])
    assert not holds_phrase(terms, [])


def test_filters_become_one_milvus_expression():
    assert expression(Filters()) == ""
    assert expression(Filters(doc_type="speech", year_from=2005, year_to=2010,
                              state_iso3="CRI", language="en", doc_ids=("a", 'b"c'))) == (
        'doc_type == "speech" and year >= 2005 and year <= 2010 and state_iso3 == "CRI" and '
        '(language is null or language == "en") and doc_id in ["a", "b\\"c"]')


def test_a_long_text_is_split_into_parts_that_join_back():
    text = "x" * 40_001
    parts = split_text(text)
    assert len(parts) == 3 and "".join(parts) == text and split_text("") == [""]


def test_terms_remembered_for_short_texts_are_the_terms_made_afresh():
    words = ["Protecting", "votes", "Côte", "protecting", "", "R2P"]
    first = terms_of(words)
    again = terms_of(["unrelated words first", *words])[1:]  # all remembered now
    assert first == again == [terms_of([w])[0] for w in words]
    assert again[0] is not first[0]  # each caller gets its own list to change
