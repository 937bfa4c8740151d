"""Extractive answers with verified quotes, list answers, and refusal when there is no evidence."""

from __future__ import annotations

import time

import numpy as np

from indexer.embed import Embedder
from indexer.models import Filters
from indexer.reader import IndexReader
from search_api import lists
from search_api.evidence import (
    Citations,
    DocTexts,
    Sentence,
    refusal,
    score,
    sentences_of,
)
from search_api.query import content_terms, focus, infer_filters
from search_api.retrieve import Timings, search

# Calibrated on eval/questions.jsonl (rtop-search eval qa): a sentence is evidence when it is
# close to the question, or shares most of its content words and is not far from it.
MIN_SENTENCE_SIM = 0.40
MIN_COVER = 0.5
MIN_SIM_WITH_COVER = 0.2
COVER_WEIGHT = 0.25
MAX_ANSWER_SENTENCES = 3
EVIDENCE_HITS = 12


def ask(
    reader: IndexReader,
    embedder: Embedder,
    texts: DocTexts,
    question: str,
    filters: Filters | None = None,
    k: int = 5,
) -> dict:
    """Answer a question from the index; the answer contract as a dict."""
    timings = Timings()
    started = time.perf_counter()
    filters = infer_filters(question, filters or Filters())
    query_vector = embedder.embed([question])[0]
    timings.add("embed", started)
    citations = Citations(texts)
    kind = lists.list_kind(question)
    if kind:
        result = lists.answer_list(reader, embedder, question, kind, filters, query_vector,
                                   citations, timings)
    else:
        result = _answer_factual(reader, embedder, question, filters, k, query_vector,
                                 citations, timings)
    result.update({
        "question": question,
        "corpus_version": reader.manifest["corpus_version"],
        "filters_applied": {k: v for k, v in filters.__dict__.items() if v is not None},
        "timings_ms": {k: round(v, 2) for k, v in timings.ms.items()},
    })
    return result


def _answer_factual(
    reader: IndexReader,
    embedder: Embedder,
    question: str,
    filters: Filters,
    k: int,
    query_vector: np.ndarray,
    citations: Citations,
    timings: Timings,
) -> dict:
    hits = search(reader, embedder, question, max(k, EVIDENCE_HITS), filters,
                  query_vector=query_vector, timings=timings, dedupe=False)
    started = time.perf_counter()
    target = focus(question, filters)
    vector = query_vector if target == question else embedder.embed([target])[0]
    scored = score(sentences_of(reader, hits[:EVIDENCE_HITS]), vector, content_terms(target))
    chosen = _choose(scored)
    parts = []
    for s in chosen:
        n = citations.add(s.hit, s.start, s.end, s.text, s.sim)
        if n is not None:
            parts.append(f"{s.text} [{n}]")
    timings.add("answer", started)
    if not parts:
        return refusal(hits, citations.texts)
    return {"answer": " ".join(parts), "refused": False, "items": [],
            "citations": citations.items, "related": []}


def _choose(scored: list[Sentence]) -> list[Sentence]:
    """The best few sentences above the threshold, at most two from one document."""
    ranked = sorted(scored, key=lambda s: s.sim + COVER_WEIGHT * s.cover, reverse=True)
    chosen: list[Sentence] = []
    for s in ranked:
        if len(chosen) == MAX_ANSWER_SENTENCES:
            break
        if s.sim < MIN_SENTENCE_SIM and not (s.cover >= MIN_COVER and s.sim >= MIN_SIM_WITH_COVER):
            continue
        if sum(c.doc_id == s.doc_id for c in chosen) >= 2:
            continue
        if any(c.doc_id == s.doc_id and c.start < s.end and s.start < c.end for c in chosen):
            continue
        chosen.append(s)
    return chosen
