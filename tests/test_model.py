"""With the real bundled model: the nearest chunk, the token limit, query-time answers."""

from __future__ import annotations

import pytest

from indexer.chunk import ChunkerConfig, chunk_document
from indexer.segment import segment
from search_api.retrieve import search

pytestmark = pytest.mark.model


def test_nearest_chunk_to_focal_points_question_holds_the_sentence(store_service):
    question = "which states named focal points"
    hits = search(store_service.reader, store_service.embedder, question, k=1)
    assert "have appointed focal points" in hits[0].chunk.text
    dense = search(store_service.reader, store_service.embedder, question, k=3, mode="dense")
    assert any("have appointed focal points" in h.chunk.text for h in dense)


def test_no_chunk_exceeds_the_models_token_limit(real_embedder, store_service):
    limit = real_embedder.max_tokens
    assert limit == 256
    text = ("The responsibility to protect, as adopted in the 2005 World Summit Outcome, "
            "paragraphs 138-139, binds Member States; ") * 60  # one 1,000-token "sentence"
    doc = store_service.reader.document("003_3f566241155dd1d5").text + "\n\n" + text
    chunks = chunk_document("d", doc, segment(doc), real_embedder.count_tokens,
                            ChunkerConfig(max_tokens=limit))
    counts = real_embedder.count_tokens([c.text for c in chunks])
    assert max(counts) <= limit
    assert all(doc[c.char_start : c.char_end] == c.text for c in chunks)


def test_sentence_vectors_pooled_at_index_time_match_the_question(store_service):
    reader = store_service.reader
    chunk = search(reader, store_service.embedder, "focal points national coordinators", k=1)[0]
    sentences = reader.sentences([chunk.chunk.chunk_id])
    assert len(sentences) > 1
    assert all(chunk.chunk.char_start <= a < b <= chunk.chunk.char_end for _, a, b, _ in sentences)
    q = store_service.embedder.embed(["Who appointed focal points?"])[0]
    best = max(sentences, key=lambda s: float(s[3] @ q))
    assert "focal points" in reader.document(chunk.chunk.doc_id).text[best[1] : best[2]]
