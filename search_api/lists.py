"""List answers ("which states ..."): one item per entity, each with its own supporting quote.

Which sentences support a list is ``search_api.support``'s question. In a statement by a
state (a General Debate speech) the speaking state is the entity; elsewhere the states,
organisations or documents the sentence names.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from indexer import countries
from indexer.models import Hit
from indexer.stores import Store
from search_api.candidates import sentence_features
from search_api.evidence import Citations, Sentence, refusal, sentences_of
from search_api.items import Item
from search_api.norm import is_r2p_norm
from search_api.question import GENERAL_DEBATE, Question, years_as_topic
from search_api.retrieve import Timings, phrase_hits
from search_api.sources import by_acronym, names_in_document
from search_api.support import (
    MIN_RELATION_COVER,
    RARE_RELATION_DF,
    as_topic,
    r2p_ties,
    rarest,
    relation_shown,
    shown_otherwise,
    with_neighbours,
)
from search_api.votes import vote_list

if TYPE_CHECKING:
    from search_api.answer import AnswerEngine

LIST_DEPTH = 60
MAX_CITATIONS_PER_ITEM = 2
NORM_PHRASES = ("responsibility to protect", "r2p", "rtop", "r to p")
NORM_DEPTH = 2000
FOLLOWING = 3  # passages read after each hit: a resolution's paragraphs are passages of their own
NOUNS = {"states": "states", "organisations": "organisations", "documents": "documents"}


def entities(question: Question, sentence: Sentence) -> list[tuple[str, str, int]]:
    """(key, label, position) of the entities a supporting sentence speaks for."""
    meta = sentence.hit.meta
    kind = question.list_kind
    if kind == "documents":
        if meta is None or question.doc_type_hint not in (None, meta.doc_type):
            return []  # "which resolutions": a speech on the topic is not one
        label = meta.symbol or meta.title
        return [(sentence.doc_id, label, 0)]
    if kind == "organisations":
        return [(o.code, countries.ORGANISATIONS[o.code], o.start)
                for o in countries.find_organisations(sentence.text)]
    if meta and meta.doc_type == GENERAL_DEBATE and meta.state_iso3 and \
            not question.said_by_speaker:
        found = [(meta.state_iso3, countries.label(meta.state_iso3), 0)]
    else:
        found = [(m.iso3, countries.label(m.iso3), m.start)
                 for m in countries.find_states(sentence.text) if m.iso3 not in question.states]
    if question.members:
        found = [f for f in found if f[0] in question.members]
    found = [f for f in found if f[0] not in question.excluded]
    return found


def answer_list(engine: AnswerEngine, question: Question, vector: np.ndarray,
                citations: Citations, timings: Timings) -> dict:
    """Look deep, keep supporting sentences, group them per entity.

    A year read from the question is a filter; when nothing within it supports the list, the
    year is tried as what the documents are about instead ("papers issued in 2008"), and then
    each quote must show it: no state invoked R2P in the 2019 debate is no reason to list those
    of every other year.
    """
    result = _answer_list(engine, question, vector, citations, timings)
    if result["refused"] and question.inferred_years:
        relaxed = years_as_topic(question)
        relaxed = replace(relaxed, years_shown=relaxed.years)
        again = _answer_list(engine, relaxed, vector, citations, timings)
        if not again["refused"]:
            return again
    return result


def _answer_list(engine: AnswerEngine, question: Question, vector: np.ndarray,
                 citations: Citations, timings: Timings) -> dict:
    if question.list_kind == "states" and (voted := vote_list(engine, question, vector,
                                                               citations, timings)):
        return voted  # "which members abstained on ...": the record of the vote
    if question.each_year:
        return _in_every_year(engine, question, vector, citations, timings)
    ordered, hits = _items(engine, question, vector, timings)
    started = time.perf_counter()
    result = compose(engine, question, vector, ordered, citations)
    timings.add("answer", started)
    return result or refusal(hits, citations.texts)


def _in_every_year(engine: AnswerEngine, question: Question, vector: np.ndarray,
                   citations: Citations, timings: Timings) -> dict:
    """"in both 2014 and 2015", "at the 60th session and again at the 62nd": the entities of
    every one of those years, each cited once for each year."""
    found = []
    for year in question.each_year:
        one = replace(question, each_year=(), years=(), inferred_years=False,
                      filters=replace(question.filters, year_from=year, year_to=year))
        found.append(_items(engine, one, vector, timings))
    common = set.intersection(*({i.key for i in items} for items, _ in found))
    merged = []
    for item in found[0][0]:
        if item.key in common:
            later = [i for items, _ in found[1:] for i in items if i.key == item.key]
            merged.append(replace(item, sentences=[item.sentences[0]] +
                                  [i.sentences[0] for i in later]))
    result = compose(engine, question, vector, merged, citations,
                     per_item=len(question.each_year))
    return result or refusal(found[0][1], citations.texts)


def _items(engine: AnswerEngine, question: Question, vector: np.ndarray, timings: Timings
           ) -> tuple[list[Item], list[Hit]]:
    """The entities whose sentences support the list, in order of first support; the hits."""
    question, items, hits = candidate_items(engine, question, vector, timings)
    started = time.perf_counter()
    kept = engine.items.keep(engine, question, items, vector, MAX_CITATIONS_PER_ITEM)
    timings.add("answer", started)
    return sorted(kept, key=lambda i: i.first), hits


def candidate_items(engine: AnswerEngine, question: Question, vector: np.ndarray,
                    timings: Timings) -> tuple[Question, list[Item], list[Hit]]:
    """Every entity a sentence that may support the list speaks for (``ItemGate`` decides
    which to keep), with all those sentences; the question as read against its sources;
    the hits."""
    from search_api.candidates import retrieve

    # a relation word the collection never uses (a typo, "countires") cannot be shown
    question = replace(question, relation=tuple(
        t for t in question.relation if engine.reader.doc_freq(t) > 0))
    hits = retrieve(engine.reader, engine.embedder, question, vector, LIST_DEPTH, timings)
    started = time.perf_counter()
    hits += continuations(engine.reader, hits)
    if question.norm:  # every passage naming the norm, however it ranks
        hits += phrase_hits(engine.reader, NORM_PHRASES, NORM_DEPTH, question.filters,
                            exclude={h.chunk.chunk_id for h in hits})
    rare = rarest(engine.reader, question)
    if rare:  # every passage that can show it
        kind = question.filters.doc_type or question.doc_type_hint  # "which resolutions"
        hits += phrase_hits(engine.reader, (rare,), RARE_RELATION_DF,
                            replace(question.filters, doc_type=kind),
                            exclude={h.chunk.chunk_id for h in hits})
    timings.add("fts5", started)
    started = time.perf_counter()
    question, hits = from_named_source(question, hits)
    sentences = sentences_of(engine.reader, hits)
    norm_chunks = {s.hit.chunk for s in sentences if is_r2p_norm(s.text)}
    norm_documents = frozenset(c.doc_id for c in norm_chunks)
    norm_passages = with_neighbours(norm_chunks)
    cover = engine.idf.cover
    also = shown_otherwise(engine, question)

    def shown(sentences: list[Sentence], topic: bool) -> list[Sentence]:
        """The sentences that may support the list, each with its share of the relation."""
        return [s.with_cover(share) for s in sentences if (share := relation_shown(
            question, s, norm_passages, cover, norm_documents, topic, also(s))) is not None]

    possible = shown(sentences, topic=not question.norm)
    speeches = any(s.hit.meta and s.hit.meta.doc_type == GENERAL_DEBATE
                   and s.cover >= MIN_RELATION_COVER for s in possible)
    if not question.norm and speeches and not as_topic(r2p_ties(engine.reader, question)):
        possible = shown(possible, topic=False)
    items: dict[str, Item] = {}
    supported: set[str] = set()
    for sentence in possible:
        shows = sentence.cover >= MIN_RELATION_COVER
        for key, (label, position) in {k: (lb, p) for k, lb, p in reversed(
                entities(question, sentence))}.items():  # each entity once, at its first
            item = items.setdefault(key, Item(key, label, (sentence.rank, position), []))
            if shows and key not in supported:
                supported.add(key)
                item.first = (sentence.rank, position)  # ordered by its first support
            item.sentences.append(sentence)
    timings.add("answer", started)
    return question, list(items.values()), hits


SOURCE_NOUNS = frozenset({"page", "pages", "post", "posts", "blog", "website", "site"})


def from_named_source(question: Question, hits: list[Hit]) -> tuple[Question, list[Hit]]:
    """"what organisations does the ICRtoP about page mention?": a publisher named by its
    acronym limits the list to its documents, and its name and the page are not what a quote
    must show."""
    named = {h.meta.publisher for h in hits if h.meta and h.meta.publisher
             and by_acronym(question.text.lower(), h.meta.publisher)}
    if not named:
        return question, hits
    relation = tuple(t for t in question.relation if t not in SOURCE_NOUNS and t != "about"
                     and not any(by_acronym(t, p) for p in named))
    return replace(question, relation=relation), [h for h in hits if h.meta and
                                                  h.meta.publisher in named]


def continuations(reader: Store, hits: list[Hit]) -> list[Hit]:
    """The next passages of each hit that are not hits: a resolution's masthead matches
    a list question's organ and year, its operative paragraph follows ("Recommends ... that
    the Slovak Republic be admitted")."""
    seen = {h.chunk.chunk_id for h in hits}
    metas = {h.chunk.doc_id: h.meta for h in hits}
    after = reader.following([(h.chunk.doc_id, h.chunk.ordinal) for h in hits], FOLLOWING)
    return [Hit(c, 0.0, None, None, metas[c.doc_id]) for c in after.values()
            if c.chunk_id not in seen]


def compose(engine: AnswerEngine, question: Question, vector: np.ndarray,
            ordered: list[Item], citations: Citations,
            per_item: int = MAX_CITATIONS_PER_ITEM) -> dict | None:
    """One citation per item first (so that k covers as many items as it can), then seconds."""
    numbers: dict[str, list[int]] = {i.key: [] for i in ordered}
    for rounds in range(per_item):
        for item in ordered:
            if rounds < len(item.sentences) and not citations.full:
                s = item.sentences[rounds]
                score = engine.ranker.rank(question, [_candidate(question, s, vector, engine)])
                n = citations.add(s.hit, s.start, s.end, s.text, score[0].score)
                if n is not None:
                    numbers[item.key].append(n)
    out = [{"label": i.label, "citations": numbers[i.key]} for i in ordered if numbers[i.key]]
    if not out:
        return None
    noun = NOUNS[question.list_kind or "states"]
    noun = noun if len(ordered) != 1 else noun[:-1]
    shown = "" if len(out) == len(ordered) else \
        f" ({len(out)} shown; ask with a larger k for all)"
    parts = [f"{i['label']} [{', '.join(map(str, i['citations']))}]" for i in out]
    return {"answer": f"{len(ordered)} {noun}{shown}: " + "; ".join(parts) + ".",
            "refused": False, "items": out, "citations": citations.items, "related": []}


def _candidate(question: Question, s: Sentence, vector: np.ndarray, engine: AnswerEngine):
    from search_api.candidates import Candidate

    doc_names = names_in_document(question, engine.texts.get(s.doc_id), s.hit.meta, engine.idf)
    return Candidate(s, sentence_features(question, s, vector, vector, engine.idf, doc_names))
