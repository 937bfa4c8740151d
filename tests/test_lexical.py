"""BM25 from the postings arrays ranks as FTS5's bm25() does, with and without filters."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.embed import HashEmbedder
from indexer.lexical import LEXICAL_FILE
from indexer.models import Filters
from indexer.pipeline import build_index
from indexer.reader import IndexReader

QUERIES = ["Which states named focal points?", "responsibility to protect", "protecting protect",
           "genocide prevention early warning", "Côte d'Ivoire", "carbonara", "the of and"]


@pytest.fixture
def reader(tmp_path, seed_copy):
    notes = seed_copy / "notes"
    notes.mkdir()
    for i in range(30):
        (notes / f"note-{i}.txt").write_text(
            f"Note {i}. " + "Genocide prevention and early warning. " * (i % 4)
            + ("State {i} protects populations; protecting them is a duty. " if i % 3 else "")
            + "A focal point was named.\n")
    build_index([seed_copy], tmp_path / "index", HashEmbedder())
    return IndexReader(tmp_path / "index")


def _fts5(reader, query, k, filters):
    postings, reader.postings = reader.postings, None
    try:
        return reader.search_lexical(query, k, filters)
    finally:
        reader.postings = postings


@pytest.mark.parametrize("filters", [Filters(), Filters(doc_type="speech"),
                                     Filters(language="en", year_from=2000)])
def test_postings_rank_as_fts5_does(reader, filters):
    assert (reader.path / LEXICAL_FILE).is_file()
    assert reader.manifest["lexical"]["file"] == LEXICAL_FILE
    for query in QUERIES:
        ours, theirs = reader.search_lexical(query, 20, filters), _fts5(reader, query, 20, filters)
        assert np.allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-5), query
        assert _by_score(ours) == _by_score(theirs), query
    assert reader.search_lexical("carbonara", 10) == [] == reader.search_lexical("the of", 10)


def _by_score(hits):
    """The ids at each score, best first; the last score's group may be cut anywhere by k,
    so only its size counts (tied chunks come in no defined order in FTS5)."""
    groups: dict[float, set[int]] = {}
    for i, score in hits:
        groups.setdefault(round(score, 4), set()).add(i)
    ranked = [groups[s] for s in sorted(groups, reverse=True)]
    return ranked[:-1] + [len(ranked[-1])] if ranked else []


def test_document_frequencies_come_from_the_postings(reader):
    for term in ("protect", "protecting", "focal", "carbonara", "focal point", "Côte"):
        with_postings = reader.doc_freq(term)
        postings, reader.postings = reader.postings, None
        assert with_postings == reader.doc_freq(term), term
        reader.postings = postings
    assert reader.doc_freq("protecting") == reader.doc_freq("protect") > 0


def test_a_word_of_several_terms_is_left_to_fts5(reader):
    assert reader.postings.phrases("focal points") == ["focal", "point"]
    assert reader.postings.phrases("state_of_emergency") is None  # one \w+ word, three terms
    got = reader.search_lexical("state_of_emergency", 5)
    assert got == _fts5(reader, "state_of_emergency", 5, Filters())
