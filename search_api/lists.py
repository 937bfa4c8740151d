"""List questions ("which states ..."): one item per entity, each with its own supporting quote.

An entity counts only when its sentence supports the question: the sentence must carry most of
the question's content terms (or, for a question about the R2P norm, invoke the norm). In a
statement by a state (a General Debate speech) the speaking state is the entity.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from indexer import countries
from indexer.embed import Embedder
from indexer.models import Filters
from indexer.reader import IndexReader
from search_api.evidence import Citations, Sentence, refusal, sentences_of
from search_api.norm import is_r2p_norm, mentions_r2p
from search_api.query import content_terms, coverage, strip_filter_phrases
from search_api.retrieve import Timings, phrase_hits, search

LIST_QUESTION = re.compile(
    r"^\s*(?:which|what|name|list)\s+(?:the\s+)?(?:other\s+|member\s+|regional\s+)?"
    r"(?P<kind>states|countries|governments|nations|organi[sz]ations)\b",
    re.IGNORECASE,
)
R2P_TERMS = {"responsibility", "protect", "r2p", "rtop"}
SPEAKER_TYPES = {"general-debate-statement"}
LIST_DEPTH = 60
MIN_COVERAGE = 0.6  # both words of "focal points"; 3 of 5 for longer predicates
MAX_CITATIONS_PER_ITEM = 2
NORM_MATCH = '"responsibility to protect" OR "r2p" OR "rtop" OR "r to p"'
NORM_DEPTH = 2000


def list_kind(question: str) -> str | None:
    """"states" or "organisations" for a list question, else None."""
    match = LIST_QUESTION.match(question)
    if not match:
        return None
    return "organisations" if match.group("kind").lower().startswith("organi") else "states"


@dataclass
class _Item:
    key: str
    label: str
    first: tuple[int, int]
    sentences: list[Sentence]


def supports(sentence: str, terms: list[str], norm_required: bool) -> bool:
    """Does this sentence support the question's predicate?"""
    if norm_required:
        if not is_r2p_norm(sentence):
            return False
        rest = [t for t in terms if t not in R2P_TERMS and not t.startswith("refer")
                and t not in {"invoked", "mentioned", "spoke", "spoken"}]
        return not rest or coverage(rest, sentence) >= MIN_COVERAGE
    return coverage(terms, sentence) >= MIN_COVERAGE


def norm_spans(sentences: list[Sentence]) -> dict[str, list[tuple[int, int]]]:
    """Per document, the spans of the sentences that invoke the R2P norm."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for s in sentences:
        if is_r2p_norm(s.text):
            spans.setdefault(s.doc_id, []).append((s.start, s.end))
    return spans


def in_r2p_context(sentence: Sentence, norms: dict[str, list[tuple[int, int]]]) -> bool:
    """A speech covers every topic: there a sentence counts only if its passage invokes the
    R2P norm ("focal points" of a national plan are not R2P focal points)."""
    meta = sentence.hit.meta
    if meta is None or meta.doc_type not in SPEAKER_TYPES:
        return True
    chunk = sentence.hit.chunk
    return any(chunk.char_start <= a and b <= chunk.char_end
               for a, b in norms.get(sentence.doc_id, ()))


def entities(sentence: Sentence, kind: str) -> list[tuple[str, str, int]]:
    """(key, label, position) of the entities a supporting sentence speaks for."""
    meta = sentence.hit.meta
    if kind == "states" and meta and meta.doc_type in SPEAKER_TYPES and meta.state_iso3:
        return [(meta.state_iso3, countries.label(meta.state_iso3), 0)]
    if kind == "organisations":
        return [(o.code, countries.ORGANISATIONS[o.code], o.start)
                for o in countries.find_organisations(sentence.text)]
    return [(m.iso3, countries.label(m.iso3), m.start)
            for m in countries.find_states(sentence.text)]


def answer_list(
    reader: IndexReader,
    embedder: Embedder,
    question: str,
    kind: str,
    filters: Filters,
    query_vector: np.ndarray,
    citations: Citations,
    timings: Timings,
) -> dict:
    """Look deep, keep supporting sentences, group them per entity."""
    hits = search(reader, embedder, question, LIST_DEPTH, filters, depth=LIST_DEPTH * 2,
                  query_vector=query_vector, timings=timings, dedupe=False)
    started = time.perf_counter()
    norm_required = mentions_r2p(question)
    if norm_required:  # every passage naming the norm, however it ranks
        seen = {h.chunk.chunk_id for h in hits}
        hits += phrase_hits(reader, NORM_MATCH, NORM_DEPTH, filters, exclude=seen)
    timings.add("fts5", started)
    started = time.perf_counter()
    predicate = strip_filter_phrases(LIST_QUESTION.sub(" ", question))
    terms = content_terms(predicate, drop_list_words=True)
    items: dict[str, _Item] = {}
    sentences = sentences_of(reader, hits)
    norms = {} if norm_required else norm_spans(sentences)
    for sentence in sentences:
        if not supports(sentence.text, terms, norm_required):
            continue
        if not norm_required and not in_r2p_context(sentence, norms):
            continue
        for key, label, position in entities(sentence, kind):
            item = items.setdefault(key, _Item(key, label, (sentence.rank, position), []))
            if len(item.sentences) < MAX_CITATIONS_PER_ITEM and all(
                    s is not sentence for s in item.sentences):
                item.sentences.append(sentence)
    ordered = sorted(items.values(), key=lambda i: i.first)
    out_items, parts = [], []
    for item in ordered:
        numbers = [n for s in item.sentences
                   if (n := citations.add(s.hit, s.start, s.end, s.text, s.hit.score)) is not None]
        if numbers:
            out_items.append({"label": item.label, "citations": numbers})
            parts.append(f"{item.label} [{', '.join(map(str, numbers))}]")
    timings.add("answer", started)
    if not out_items:
        return refusal(hits, citations.texts)
    noun = kind if len(out_items) != 1 else kind[:-1]
    answer = f"{len(out_items)} {noun}: " + "; ".join(parts) + "."
    return {"answer": answer, "refused": False, "items": out_items,
            "citations": citations.items, "related": []}
