"""Answers: parse -> retrieve -> rank -> select -> compose, each a small typed stage.

The question is parsed once (``question.parse``) and flows one way. Ranking and refusal come
from one fitted scorer (``scorer.Ranker``); lists go through ``lists.answer_list``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from indexer.embed import Embedder
from indexer.models import Filters, Hit
from indexer.stores import Store
from search_api import compose, intent, lists
from search_api.candidates import (
    ASKS_VOTE,
    FEATURES,
    VOTE_RECORD,
    Candidate,
    Idf,
    candidates,
    retrieve,
)
from search_api.evidence import Citations, DocTexts, in_context, refusal
from search_api.footnotes import cited_note
from search_api.held import Holdings
from search_api.items import ItemGate
from search_api.question import RESOLUTION, Question, parse, years_as_topic
from search_api.rerank import Reranker, rerank_candidates
from search_api.retrieve import Timings, search
from search_api.scorer import LinearScorer, Ranker
from search_api.sources import by_acronym
from search_api.spans import NUMBER, counts_in, ordinals
from search_api.words import term_key
from search_api.years import predates

EVIDENCE_HITS = 15
CONTINUED = 3  # best hits whose next passages are read too (3 and 5 alike on train)
RETRIEVAL_DEPTH = 50
MAX_PER_DOCUMENT = 2
MAX_SENTENCES = 3
SECOND_QUOTE_SHARE = 0.8  # a further quote must score this share of the best one


class AnswerEngine:
    """Everything an answer needs, loaded once: index, model, fitted intent, scorer and list
    item gate."""

    def __init__(self, reader: Store, embedder: Embedder, texts: DocTexts,
                 ranker: Ranker | None = None, intents: intent.IntentModel | None = None,
                 reranker: Reranker | None = None, items: ItemGate | None = None):
        self.reader, self.embedder, self.texts = reader, embedder, texts
        self.items = items or ItemGate.load()  # which entities a list keeps
        self.reranker = reranker
        self.ranker = ranker or LinearScorer.load()
        intents = intents if intents is not None else intent.IntentModel.load()
        # the classifier reads the bundled model's embeddings; another model uses the fallback
        self.intents = intents if intents is not None and intents.fits(embedder.dim) else None
        self.idf = Idf(reader)
        self.held = Holdings(reader, embedder, texts, self.idf)
        self.common = self.held.common  # a word the collection also writes in lower case

    def understand(self, text: str, filters: Filters | None = None,
                   vector: np.ndarray | None = None) -> tuple[Question, np.ndarray]:
        """The parsed question and its embedding (one model pass)."""
        vector = self.embedder.embed([text])[0] if vector is None else vector
        classify = (lambda t: self.intents.predict(t, vector)) if self.intents else \
            intent.fallback
        question = parse(text, filters, classify=classify)
        if spelt := self.held.written_out(question, vector) or \
                self.held.year_not_symbol(question):  # an abbreviation written out, a year
            return self.understand(spelt, filters)
        asked = filters is None or (filters.year_from is None and filters.year_to is None)
        if asked and self.held.dated_elsewhere(question):
            question = years_as_topic(question)  # "the 1987 agreement, per res 637 (1989)"
        if question.list_kind:  # what each quote must show: a name as a whole
            question = self.held.names_written(question)
        if question.filters.language is None:
            question = replace(question, filters=replace(question.filters,
                                                         language=question.language))
        return question, vector

    def ask(self, text: str, filters: Filters | None = None, k: int = 5) -> dict:
        """Answer a question; the answer contract as a dict."""
        return self.answer(text, filters, k)[0]

    def answer(self, text: str, filters: Filters | None = None, k: int = 5
               ) -> tuple[dict, list[Candidate]]:
        """The answer contract as a dict, and the ranked candidates it was chosen from (a
        one-answer question's; empty for a list or a refusal by name)."""
        timings = Timings()
        ranked: list[Candidate] = []
        started = time.perf_counter()
        question, vector = self.understand(self.held.respelt(text), filters)
        timings.add("embed", started)
        citations = Citations(self.texts, limit=k)
        if why := self.held.not_held(question):
            near = retrieve(self.reader, self.embedder, question, vector, 3, timings)
            result = refusal(near, self.texts)
            result["answer"] += f" {why}"
        elif question.list_kind:
            result = lists.answer_list(self, question, vector, citations, timings)
        else:
            result, ranked = self.answer_one(question, vector, citations, timings)
        result.update({
            "question": text,
            "answer_type": question.answer_type,
            "corpus_version": self.reader.manifest["corpus_version"],
            "filters_applied": {key: v for key, v in question.filters.__dict__.items()
                                if v is not None},
            "timings_ms": {key: round(v, 2) for key, v in timings.ms.items()},
        })
        return result, ranked

    def ranked(self, question: Question, vector: np.ndarray, timings: Timings,
               depth: int = RETRIEVAL_DEPTH, evidence_hits: int = EVIDENCE_HITS,
               ) -> tuple[list[Candidate], list]:
        """Candidates of the best hits, ranked by the fitted scorer; and the hits."""
        hits = retrieve(self.reader, self.embedder, question, vector, depth, timings)
        started = time.perf_counter()
        focus = vector if question.focus == question.text else \
            self.embedder.embed([question.focus])[0]
        evidence = evidence_of(self.reader, hits, evidence_hits)
        if ASKS_VOTE.search(question.text) or question.numbered[-1:] == ("meeting",):
            # the vote and its meeting are recorded at a resolution's end
            evidence = evidence + vote_records(self.reader, self.embedder, question, evidence)
        found = candidates(self.reader, question, evidence, vector, focus, self.idf,
                           self.texts, self.common)
        ranked = self.ranker.rank(question, found)
        if self.reranker is not None:
            ranked = rerank_candidates(self.reranker, question.text, ranked,
                                       self.ranker.threshold)
        timings.add("rank", started)
        return ranked, hits

    def answer_one(self, question: Question, vector: np.ndarray, citations: Citations,
                   timings: Timings) -> tuple[dict, list[Candidate]]:
        """The best quotes, led by what was asked, and the ranked candidates; a year read from
        the question that leaves no answer is tried again as a topic (a boost), not a filter."""
        result, ranked = self._answer_one(question, vector, citations, timings)
        if result["refused"] and question.inferred_years:
            relaxed = years_as_topic(question)
            again, ranked_again = self._answer_one(relaxed, vector, citations, timings)
            if not again["refused"]:
                return again, ranked_again
        return result, ranked

    def _answer_one(self, question: Question, vector: np.ndarray, citations: Citations,
                    timings: Timings) -> tuple[dict, list[Candidate]]:
        ranked, hits = self.ranked(question, vector, timings)
        started = time.perf_counter()
        chosen: list[Candidate] = []
        for c in select(holding_values(question, ranked), self.ranker.threshold,
                        from_source=question.answer_type in ("state", "document")):
            s = in_context(self.reader, self.texts, c.sentence)  # with what it leans on
            if not any(x.sentence.doc_id == s.doc_id and x.sentence.start < s.end and
                       s.start < x.sentence.end for x in chosen):
                chosen.append(replace(c, sentence=s))
        chosen = [c for c in chosen if not predates(question.years, c.sentence)]
        if chosen and (note := cited_note(self.reader, self.texts, question, chosen[0])):
            chosen = [note, *chosen]  # "which report does A/RES/48/246 consider": its note
        if question.answer_type == "date":  # led by a quote dated otherwise than the question
            chosen = [c for c in chosen if compose.head(question, c, self.common) is not None]
        elif question.answer_type in NAMED_ANSWERS and chosen:
            chosen = beside_named(question, chosen, self.common)
        numbered = [(c, n) for c in chosen
                    if (n := citations.add(c.hit, c.sentence.start, c.sentence.end,
                                           c.sentence.text, c.score)) is not None]
        timings.add("answer", started)
        if not numbered or (question.answer_type in NAMED_ANSWERS and
                            compose.head(question, numbered[0][0], self.common) is None):
            # a "who" whose best quote names no one quotes without answering
            return refusal(hits, self.texts), ranked
        return {"answer": compose.answer_text(question, numbered, self.common), "refused": False,
                "items": [], "citations": citations.items, "related": []}, ranked


VOTE_WORDS = "adopted meeting votes to none abstentions unanimously without vote participate"
VOTE_DOCUMENTS = 3


def vote_records(reader: Store, embedder: Embedder, question: Question, hits: list[Hit],
                 every: bool = False) -> list[Hit]:
    """The passages recording the vote ("Adopted at the 2385th meeting by 14 votes to none")
    of the resolutions the question names, else of the best hits' resolutions: the record
    closes the text and shares few words with the question. Those among ``hits`` are left
    out, unless ``every``."""
    named = [d for s in question.symbols for d in reader.documents_with_symbol(s)]
    ranked = [h.chunk.doc_id for h in hits if h.meta and h.meta.doc_type == RESOLUTION]
    docs = tuple(dict.fromkeys(named + ranked))[:VOTE_DOCUMENTS]
    if not docs:
        return []
    seen = set() if every else {h.chunk.chunk_id for h in hits}
    found = search(reader, embedder, VOTE_WORDS, 2 * len(docs),
                   replace(question.filters, doc_ids=docs), mode="lexical", dedupe=False)
    return [h for h in found if h.chunk.chunk_id not in seen]


NOVELTY = FEATURES.index("novelty")
TYPE_MISS = FEATURES.index("type_miss")
DOC_NAMES = FEATURES.index("doc_names_cover")
def evidence_of(reader: Store, hits: list[Hit], evidence_hits: int = EVIDENCE_HITS
                ) -> list[Hit]:
    """The best hits, and the passages after the first few that are resolutions': a
    resolution's masthead may match where its operative paragraph says the answer
    ("Recommends ... that Mr. Boutros Boutros-Ghali be appointed Secretary-General")."""
    evidence = hits[:evidence_hits]
    seen = {h.chunk.chunk_id for h in evidence}
    return evidence + [h for h in lists.continuations(reader, hits[:CONTINUED])
                       if h.meta and h.meta.doc_type == RESOLUTION and h.chunk.chunk_id not in seen]


NAMED_ANSWERS = ("person", "date")  # answers the quote (or its document) must hold
MUST_HOLD_VALUE = ("number",)  # a date may come from the document (its adoption, its year)


BESIDE = 400  # characters between a quote and the sentence that says whose words they are


def beside_named(question: Question, chosen: list[Candidate],
                 common: Callable[[str], bool]) -> list[Candidate]:
    """The quotes, led by one that names someone, if the best names no one and one right
    beside it in its document does: "As Mr. Jan Eliasson stated on 11 September," is whose
    words the best quote is. A name in another document is someone else's."""
    best = chosen[0].sentence
    if compose.head(question, chosen[0], common) is not None:
        return chosen
    for c in chosen[1:]:
        s = c.sentence
        if s.doc_id == best.doc_id and max(s.start - best.end, best.start - s.end) <= BESIDE \
                and compose.head(question, c, common) is not None:
            return [c] + [x for x in chosen if x is not c]
    return chosen


def holding_values(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """The candidates that can answer: for "how many", only quotes that hold a number (a quote
    without one answers nothing, however near it comes), for "at which meeting" those that
    hold one's ordinal where some do ("the 5th meeting"); where the question names something
    in plain words ("the Rohingya", "Tigray"), only quotes from a document that names it.
    An abbreviation may be spelt out in the document instead ("UNMIH"), so it need not be."""
    if question.answer_type in MUST_HOLD_VALUE:  # a number besides those the question says
        asked = re.sub(r"\S*/\S*", " ", question.text)  # not those of a symbol (".../34/...")
        said = {m.group().lower() for m in NUMBER.finditer(asked)}
        numbering = [c for c in ranked if question.numbered and
                     ordinals(c.sentence.text, question.numbered, term_key)]
        ranked = numbering or [c for c in ranked if not c.features[TYPE_MISS] and any(
            m.group().lower() not in said for m in NUMBER.finditer(counts_in(c.sentence.text)))]
    if plain_names(question):
        ranked = [c for c in ranked if c.features[DOC_NAMES] > 0]
    if ASKS_VOTE.search(question.text):  # "who abstained": only the record of a vote says
        ranked = [c for c in ranked if VOTE_RECORD.search(c.sentence.text)]
    # "according to ICRtoP": from its own documents, when the evidence holds some
    named = [c for c in ranked if c.hit.meta and c.hit.meta.publisher and
             by_acronym(question.text.lower(), c.hit.meta.publisher)]
    return named or ranked


def plain_names(question: Question) -> list[str]:
    """The question's names that are plain words, not abbreviations ("UNMIH", "ICRtoP",
    "R2P"): written with at most one capital and no digit."""
    written = {re.sub(r"['’]s$", "", w).strip(".'’").lower(): w
               for w in re.findall(r"[\w'’.-]+", question.text)}
    return [n for n in question.names if (w := written.get(n)) is not None
            and sum(c.isupper() for c in w) <= 1 and not any(c.isdigit() for c in w)]


def select(ranked: list[Candidate], threshold: float, from_source: bool = False
           ) -> list[Candidate]:
    """The best sentence if it clears the threshold, plus close runners-up from other places.
    A sentence with no word the question lacks ("The Security Council,") is passed over while
    another clears the bar: it repeats the question, it does not answer it; unless the answer
    is whose words they are (``from_source``: "which state said ...?")."""
    if not ranked or ranked[0].score < threshold:
        return []
    best = ranked[0].score
    chosen: list[Candidate] = []
    passed: list[Candidate] = []
    for c in ranked:
        if len(chosen) == MAX_SENTENCES or c.score < max(threshold, SECOND_QUOTE_SHARE * best):
            break
        if c.features[NOVELTY] == 0.0 and not from_source:
            passed.append(c)
            continue
        s = c.sentence
        same_doc = [x for x in chosen if x.sentence.doc_id == s.doc_id]
        if len(same_doc) >= MAX_PER_DOCUMENT or any(
                x.sentence.start < s.end and s.start < x.sentence.end for x in same_doc):
            continue
        if any(x.sentence.text == s.text for x in chosen):
            continue
        chosen.append(c)
    return chosen or passed[:1]
