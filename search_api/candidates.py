"""Retrieve for a parsed question and turn the passages' sentences into scored candidates.

Retrieval fuses the plain hybrid ranking with rankings restricted to what the question points
at (a symbol's document, the years or states it names), so constraints act as boosts, not as
filters. Every candidate sentence gets a feature vector that the fitted scorer reads: properties of
the question and the sentence only, never ranks or fused scores, whose scale depends on the
size of the collection (a weight fitted on them would not carry over to another corpus).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from indexer import countries
from indexer.embed import Embedder
from indexer.models import Hit
from indexer.stores import Store
from search_api.evidence import DocTexts, Sentence, sentences_of
from search_api.norm import is_r2p_norm
from search_api.paragraphs import acts_as_asked, paragraph_role
from search_api.question import GENERAL_DEBATE, Question
from search_api.retrieve import RRF_K, Timings, search
from search_api.sources import describing, mentions_symbol, names_in_document, source_named
from search_api.spans import CAPITAL_PAIR, DATE, NUMBER, YEAR, counts, person_names
from search_api.words import (
    LONG_FORM,
    coverage,
    shows_word,
    singular,
    spelt_out,
    stems,
    term_key,
)

TARGET_WEIGHT = 3.0  # a ranking within the document a symbol names outweighs the others
FEATURES = (
    "sim", "sim_focus", "chunk_dense", "cover", "idf_cover",
    "title_cover", "names_cover", "type_date", "type_number", "type_person", "type_state",
    "type_document", "type_org", "symbol_match", "symbol_miss", "year_match", "year_miss",
    "state_match", "doc_type_match", "heading", "log_len", "norm_q", "norm_s", "norm_match",
    "predicate_cover", "novelty", "doc_names_cover", "operative", "preambular", "type_miss",
    "q_unknown", "q_best_cover", "vote_match", "source_named", "cover_lead", "names_lead",
    "q_best_sim", "acts_as_asked", "content_cover", "counts_asked",
)
# how a resolution records its vote, and a question that asks about one
VOTE_RECORD = re.compile(r"\b\d+\s+(?:votes?\s+)?to\s+(?:\d+|none|one)\b|\bunanimously\b|"
                         r"\bwithout\s+(?:a\s+)?vote\b|\babstentions?\b|"
                         r"\bdid not participate in the vot", re.IGNORECASE)
ASKS_VOTE = re.compile(r"\bvot(?:e|es|ed|ing)\b|\babstain|\babstention|\bunanimous|"
                       r"\bin favou?r\b|\bvoted against\b", re.IGNORECASE)
TYPED = {"date": "type_date", "number": "type_number", "person": "type_person",
         "state": "type_state", "document": "type_document", "organisation": "type_org"}


@dataclass(frozen=True, eq=False)
class Candidate:
    """A sentence that may answer the question, its features and its fitted score."""

    sentence: Sentence
    features: np.ndarray
    score: float = 0.0

    @property
    def hit(self) -> Hit:
        return self.sentence.hit


def retrieve(reader: Store, embedder: Embedder, question: Question,
             query_vector: np.ndarray, depth: int, timings: Timings) -> list[Hit]:
    """Hybrid hits fused with hits inside the documents, years and states the question names."""
    f, text = question.filters, question.search_text
    rankings: list[tuple[float, list[Hit]]] = [
        (1.0, search(reader, embedder, text, depth, f, query_vector=query_vector,
                     timings=timings, dedupe=False))]
    targeted = [d for s in question.symbols for d in reader.documents_with_symbol(s)]
    if targeted:
        within = replace(f, doc_ids=tuple(dict.fromkeys(targeted)))
        rankings.append((TARGET_WEIGHT, search(reader, embedder, text, depth, within,
                                               query_vector=query_vector, timings=timings,
                                               dedupe=False)))
    if question.years:
        years = replace(f, year_from=min(question.years), year_to=max(question.years))
        rankings.append((1.0, search(reader, embedder, text, depth, years,
                                     query_vector=query_vector, timings=timings, dedupe=False)))
    for state in question.states[:2] if f.state_iso3 is None else ():  # a speaker filter holds
        rankings.append((1.0, search(reader, embedder, text, depth,
                                     replace(f, state_iso3=state), query_vector=query_vector,
                                     timings=timings, dedupe=False)))
    if len(rankings) == 1:
        return rankings[0][1]
    fused: dict[str, float] = defaultdict(float)
    by_id: dict[str, Hit] = {}
    for weight, hits in rankings:
        for rank, hit in enumerate(hits, start=1):
            fused[hit.chunk.chunk_id] += weight / (RRF_K + rank)
            by_id.setdefault(hit.chunk.chunk_id, hit)
    order = sorted(fused, key=fused.__getitem__, reverse=True)
    return [replace(by_id[c], score=fused[c]) for c in order[:depth]]


WEIGHTED_KEPT = 4096  # term tuples whose weights are kept (a question brings a few)


class Idf:
    """Inverse document frequency of terms over the index's chunks, cached per reader."""

    def __init__(self, reader: Store) -> None:
        self.reader = reader
        self.n = max(1, reader.counts()["chunks"])
        self._cache: dict[str, float] = {}
        self._weighted: dict[tuple[str, ...], tuple] = {}

    def __call__(self, term: str) -> float:
        if term not in self._cache:
            # "un" is as common as the "United Nations" the documents write
            df = self.reader.doc_freq(term)
            if long := LONG_FORM.get(term):
                df = max(df, self.reader.doc_freq(long))
            self._cache[term] = math.log((self.n + 1) / (df + 1)) + 1.0
        return self._cache[term]

    def unknown(self, terms: tuple[str, ...]) -> float:
        """IDF-weighted share of the terms that no passage of the collection holds: what the
        question asks about is not there ("carbonara"), or is misspelt."""
        if not terms:
            return 0.0
        missing = sum(self(t) for t in terms if self(t) >= self.absent)
        return missing / sum(self(t) for t in terms)

    @property
    def absent(self) -> float:
        """The IDF of a term no chunk holds."""
        return math.log(self.n + 1) + 1.0

    def cover(self, terms: tuple[str, ...], text: str) -> float:
        """IDF-weighted share of the terms (by stem) that the text contains."""
        if not terms:
            return 0.0
        weights, total = self._weights(terms)
        present = stems(text)  # most keys are not there: no closer look for them
        return sum(w for key, word, w in weights
                   if key in present and shows_word(word, key, text)) / total

    def _weights(self, terms: tuple[str, ...]
                 ) -> tuple[tuple[tuple[str, str, float], ...], float]:
        """Each term's stem, singular and IDF, and the IDFs' sum (a question's terms meet
        every sentence)."""
        if (known := self._weighted.get(terms)) is None:
            if len(self._weighted) >= WEIGHTED_KEPT:  # a server meets questions without end
                self._weighted.clear()
            weights = tuple((term_key(t), singular(t), self(t)) for t in terms)
            known = self._weighted[terms] = (weights, sum(w for _, _, w in weights))
        return known




def sentence_features(question: Question, s: Sentence, query_vector: np.ndarray,
                      focus_vector: np.ndarray, idf: Idf, doc_names: float = 1.0,
                      best_cover: float | None = None,
                      common: Callable[[str], bool] | None = None) -> np.ndarray:
    """The feature vector of one candidate sentence (names in FEATURES); ``doc_names`` is
    ``names_in_document`` of its document, ``best_cover`` the best ``idf_cover`` among the
    question's candidates (how well the evidence found covers the question at all); ``common``
    tells a common word from a name's (``spans.person_names``)."""
    hit, meta, text = s.hit, s.hit.meta, s.text
    doc_type = meta.doc_type if meta else None
    symbol = (meta.symbol or "").upper().replace(" ", "") if meta else ""
    title = " ".join(x for x in (meta.title, meta.citation or "", meta.state or "") if x) \
        if meta else ""
    t = question.answer_type
    norm_s = float(is_r2p_norm(text))
    states_in = {m.iso3 for m in countries.find_states(text)}
    if meta and meta.state_iso3:
        states_in.add(meta.state_iso3)
    symbol_match = float(any(symbol == q or symbol.startswith(q + "(") for q in
                             question.symbols))
    year = meta.year if meta else None
    names = {term_key(n) for n in question.names}
    predicate = tuple(t for t in question.terms if term_key(t) not in names)
    asked = {term_key(t) for t in question.terms}
    words = {term_key(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}
    worded = spelt_out(text)  # "R2P" counts as the words a question may use for it
    role = paragraph_role(text)
    # a symbol the question names is part of what it asks: met by its document or a mention
    symbols = sum(symbol_match or mentions_symbol(q, text) for q in question.symbols)
    # the question's words that describe the document itself say which document, not what
    # the answer says (a byline covers them, the answer need not); a question with nothing
    # else asks all its words
    described = describing(meta) if meta else frozenset()
    content = tuple(t for t in question.terms if term_key(t) not in described) or \
        question.terms

    def share(value: float, terms: tuple[str, ...]) -> float:
        n = len(set(map(term_key, terms)))
        return (value * n + symbols) / (n + len(question.symbols)) if question.symbols and \
            n + len(question.symbols) else value

    values = {
        "sim": float(s.vector @ query_vector),
        "sim_focus": float(s.vector @ focus_vector),
        "chunk_dense": float(hit.dense or 0.0),
        "cover": share(coverage(question.terms, worded), question.terms),
        "idf_cover": share(idf.cover(question.terms, worded), question.terms),
        "title_cover": idf.cover(question.terms, title),
        "names_cover": idf.cover(question.names, text + " " + title)
        if question.names else 1.0,
        "type_date": float(t == "date" and bool(DATE.search(text) or YEAR.search(text))),
        "type_number": float(t == "number" and bool(NUMBER.search(YEAR.sub("", text)))),
        "type_person": float(t == "person" and bool(person_names(question.text, text, common))),
        "type_state": float(t == "state" and (doc_type == GENERAL_DEBATE or bool(states_in))),
        "type_document": float(t == "document" and bool(symbol)),
        "type_org": float(t == "organisation" and bool(countries.find_organisations(text)
                                                       or CAPITAL_PAIR.search(text))),
        "symbol_match": symbol_match,
        "symbol_miss": float(bool(question.symbols) and not symbol_match),
        "year_match": float(bool(question.years) and year in question.years),
        "year_miss": float(bool(question.years) and year is not None
                           and year not in question.years),
        "state_match": float(bool(question.states) and bool(states_in & set(question.states))),
        "doc_type_match": float(question.doc_type_hint is not None
                                and doc_type == question.doc_type_hint),
        "heading": float(hit.chunk.kind == "heading" or len(text) < 40),
        "log_len": math.log(1 + len(text)) / 6.0,
        "norm_q": float(question.norm),
        "norm_s": norm_s,
        "norm_match": float(question.norm) * norm_s,
        # the question's words other than its names: what is said about them ("guides")
        "predicate_cover": share(idf.cover(predicate, worded) if predicate else 0.0,
                                 predicate),
        # an answer adds something: share of the sentence's words not in the question
        "novelty": len(words - asked) / max(1, len(words)),
        "doc_names_cover": doc_names,
        "operative": float(role == "operative"),
        "preambular": float(role == "preambular"),
        "acts_as_asked": float(acts_as_asked(text, asked)),
        "q_unknown": idf.unknown(question.terms),
        "vote_match": float(bool(ASKS_VOTE.search(question.text) and VOTE_RECORD.search(text))),
        "source_named": float(source_named(question.text, meta)),
        "content_cover": idf.cover(content, worded),
    }
    # "how many NGOs": a number beside what is counted, not any number
    values["counts_asked"] = values["type_number"] if not question.counted else float(
        values["type_number"] > 0 and counts(text, frozenset(map(term_key, question.counted)),
                                             term_key))
    # an answer of a kind with a form (a date, a number, a name) must hold one
    values["type_miss"] = float(t in TYPED and not values[TYPED[t]])
    values["q_best_cover"] = values["idf_cover"] if best_cover is None else best_cover
    values["cover_lead"] = values["names_lead"] = 0.0  # set over all candidates (candidates)
    values["q_best_sim"] = values["sim"]
    return np.asarray([values[name] for name in FEATURES], dtype=np.float32)


def best_of_others(by_doc: dict[str, float]) -> dict[str, float]:
    """For each document, the best value among the other documents (0 when there are none)."""
    ranked = sorted(by_doc.values(), reverse=True)
    top, second = (ranked + [0.0, 0.0])[:2]
    return {d: second if v == top else top for d, v in by_doc.items()}


def candidates(reader: Store, question: Question, hits: list[Hit],
               query_vector: np.ndarray, focus_vector: np.ndarray, idf: Idf,
               texts: DocTexts, common: Callable[[str], bool] | None = None
               ) -> list[Candidate]:
    """Every sentence of the hits with its features (score filled in by the scorer)."""
    found = sentences_of(reader, hits)
    metas = {s.doc_id: s.hit.meta for s in found}
    doc_names = {d: names_in_document(question, texts.get(d), meta, idf)
                 for d, meta in metas.items()}
    rows = [sentence_features(question, s, query_vector, focus_vector, idf, doc_names[s.doc_id],
                              common=common) for s in found]
    if rows:
        cover, sim = FEATURES.index("idf_cover"), FEATURES.index("sim")
        by_doc: dict[str, float] = defaultdict(float)
        for sentence, row in zip(found, rows, strict=True):
            by_doc[sentence.doc_id] = max(by_doc[sentence.doc_id], float(row[cover]))
        # how far a document's evidence leads the best of every other document
        cover_rival, names_rival = best_of_others(by_doc), best_of_others(doc_names)
        set_all = {"q_best_cover": max(by_doc.values()),
                   "q_best_sim": max(row[sim] for row in rows)}  # how near it comes at all
        for sentence, row in zip(found, rows, strict=True):
            for name, value in set_all.items():
                row[FEATURES.index(name)] = value
            row[FEATURES.index("cover_lead")] = row[cover] - cover_rival[sentence.doc_id]
            row[FEATURES.index("names_lead")] = doc_names[sentence.doc_id] - \
                names_rival[sentence.doc_id]
    return [Candidate(s, row) for s, row in zip(found, rows, strict=True)]
