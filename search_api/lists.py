"""List answers ("which states ..."): one item per entity, each with its own supporting quote.

A sentence supports the list when it shows the relation the question asks about, not the
question's verb: the relation is what is left of the question after its list noun, verbs of
speaking and the constraints (``Question.relation``). With nothing left, a question about R2P
asks who invoked the norm. In a statement by a state (a General Debate speech) the speaking
state is the entity; elsewhere the states, organisations or documents the sentence names.

A speech touches every topic, so in a speech a relation that the speeches mostly tie to R2P is
read in R2P's sense: the passage must invoke the norm too ("focal points" of R2P, not "a focal
point of tension"), unless the relation is a name the sentence writes as one ("Boko Haram",
"Hurricane Katrina"), which means the same thing anywhere; or unless the question says R2P of
the speeches ("in speeches that also mention R2P"), when the speech must invoke it somewhere.
A relation most speeches speak of away from R2P is a topic of its own ("avian flu", "piracy").
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from indexer import countries
from indexer.chunk import chunk_id
from indexer.models import Chunk, Filters, Hit
from indexer.stores import Store
from search_api.candidates import by_acronym, names_in_document, sentence_features
from search_api.evidence import Citations, Sentence, refusal, sentences_of
from search_api.held import spells
from search_api.norm import is_r2p_norm
from search_api.question import GENERAL_DEBATE, RESOLUTION, Question, years_as_topic
from search_api.relation import shows_phrase
from search_api.retrieve import Timings, phrase_hits
from search_api.votes import vote_list
from search_api.words import coverage, spelt_out, term_key

if TYPE_CHECKING:
    from search_api.answer import AnswerEngine

LIST_DEPTH = 60
MIN_RELATION_COVER = 0.55  # share of the relation a quote must show (IDF-weighted): fitted on train
MAX_CITATIONS_PER_ITEM = 2
NORM_PHRASES = ("responsibility to protect", "r2p", "rtop", "r to p")
NORM_DEPTH = 2000
RARE_RELATION_DF = 400  # a relation word in at most this many passages: read every one of them
FOLLOWING = 3  # passages read after each hit: a resolution's paragraphs are passages of their own
ORGAN = frozenset({"security", "council", "unsc", "sc"})
NOUNS = {"states": "states", "organisations": "organisations", "documents": "documents"}


@dataclass
class Item:
    key: str
    label: str
    first: tuple[int, int]
    sentences: list[Sentence]


def relation_variants(question: Question) -> list[tuple[str, ...]]:
    """The relation with one side of each "or" ("myanmar / burma", "set up or staffed"):
    either will do."""
    return list(_variants(question.relation, question.alternatives))


@functools.lru_cache(maxsize=256)  # a list question asks it of every sentence it reads
def _variants(relation: tuple[str, ...], alternatives: tuple) -> tuple[tuple[str, ...], ...]:
    variants = [relation]
    for left, right in alternatives:  # a word both sides share stays ("... of the Future")
        variants = [tuple(t for t in v if t not in set(drop) - set(other)) for v in variants
                    for drop, other in ((left, right), (right, left))]
    return tuple(dict.fromkeys(variants))


@functools.lru_cache(maxsize=1024)
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _name_words(phrase: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b{re.escape(term_key(w))}\w*" for w in phrase),
                      re.IGNORECASE)


def supports(question: Question, sentence: Sentence, norm_passages: set[str],
             cover: Callable[[tuple[str, ...], str], float] = coverage,
             norm_documents: frozenset[str] = frozenset(), topic: bool = False,
             also: tuple[str, ...] = ()) -> bool:
    """Does the sentence show the relation the question asks about?

    ``cover`` measures how much of the relation a sentence holds (IDF-weighted in answers, so
    that "haiti" counts for more than "security council" in a collection of resolutions);
    ``norm_passages`` and ``norm_documents`` are the passages and documents that invoke R2P;
    ``topic``: the relation is a topic of its own, which a speech need not tie to R2P;
    ``also``: the relation's words the sentence shows otherwise (``shown_otherwise``).
    """
    meta = sentence.hit.meta
    if question.years_shown and not any(str(y) in sentence.text for y in question.years_shown):
        return False
    if not all(_word(w).search(sentence.text) for w in question.literal):
        return False
    if question.relation:
        said = spelt_out(sentence.text)
        said += "".join(f" {w}" for w in also)
        named = [p for p in question.phrases if shows_phrase(p, said)]
        shown = {term_key(w) for p in named for w in p}
        for phrase in question.phrases:  # a name's words count only as a name it shows
            if phrase not in named and (
                    words := tuple(w for w in phrase if term_key(w) not in shown)):
                said = _name_words(words).sub(" ", said)
        variants = relation_variants(question)
        if meta and meta.doc_type == RESOLUTION:  # its words are its organ's: "recommended
            variants = [tuple(t for t in v if t not in ORGAN) or v for v in variants]  # by it"
        if max(cover(r, said) for r in variants) < MIN_RELATION_COVER:
            return False
        if not (meta and meta.doc_type == GENERAL_DEBATE) or question.said_by_speaker:
            return True  # one speech asked about is read whole
        if question.norm_of_documents:
            return sentence.doc_id in norm_documents
        return topic or sentence.hit.chunk.chunk_id in norm_passages or (
            not question.norm and names_relation(question, sentence.text))
    if question.norm:
        return is_r2p_norm(sentence.text)
    return True


def as_topic(ties: dict[str, bool]) -> bool:
    """Is what the speeches speak of a topic of its own ("avian flu", "piracy"), not a sense of
    R2P ("focal points" of R2P)? It is when most speeches that speak of it do so away from R2P
    (``ties``: for each speech, whether it ties it to R2P)."""
    return bool(ties) and sum(ties.values()) < len(ties) / 2


def r2p_ties(reader: Store, question: Question) -> dict[str, bool]:
    """For each speech with a passage holding the relation's rarest word or phrase, in any year
    and by any speaker (a few years' speeches are too few to say how the collection uses it):
    whether R2P is invoked in that passage or beside it. Empty when every word of the
    relation is too common to read all its passages."""
    rare = rarest(reader, question)
    if rare is None:
        return {}
    hits = phrase_hits(reader, (rare,), RARE_RELATION_DF, Filters(doc_type=GENERAL_DEBATE))
    around = reader.following([(h.chunk.doc_id, h.chunk.ordinal - 2) for h in hits], 3)
    near = with_neighbours({c for c in [*around.values(), *(h.chunk for h in hits)]
                            if is_r2p_norm(c.text)})
    ties: dict[str, bool] = {}
    for h in hits:
        ties[h.chunk.doc_id] = ties.get(h.chunk.doc_id, False) or h.chunk.chunk_id in near
    return ties


def names_relation(question: Question, text: str) -> bool:
    """The sentence writes a word of the relation as a name: capitalised, not as the first
    word of the sentence ("the downing of flight MH17", "Boko Haram")."""
    keys = {term_key(t) for t in question.relation}
    return any(term_key(m.group().lower()) in keys
               for m in re.finditer(r"(?<=\S\s)[A-Z][\w'’-]*", text.lstrip()))


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
    shown = [s for s in sentences if supports(question, s, norm_passages, cover, norm_documents,
                                              topic=not question.norm, also=also(s))]
    speeches = any(s.hit.meta and s.hit.meta.doc_type == GENERAL_DEBATE for s in shown)
    if not question.norm and speeches and not as_topic(r2p_ties(engine.reader, question)):
        shown = [s for s in shown if supports(question, s, norm_passages, cover, norm_documents,
                                              also=also(s))]
    items: dict[str, Item] = {}
    for sentence in shown:
        for key, label, position in entities(question, sentence):
            item = items.setdefault(key, Item(key, label, (sentence.rank, position), []))
            if len(item.sentences) < MAX_CITATIONS_PER_ITEM and all(
                    s is not sentence for s in item.sentences):
                item.sentences.append(sentence)
    timings.add("answer", started)
    return sorted(items.values(), key=lambda i: i.first), hits


def shown_otherwise(engine: AnswerEngine, question: Question
                    ) -> Callable[[Sentence], tuple[str, ...]]:
    """The relation's abbreviations a sentence shows without writing them (a word the
    collection writes in capitals, never in lower case): by the name it stands for ("UNIFIL"
    by "United Nations Interim Force in Lebanon"), and in a list of documents by a document
    that names it anywhere ("Decides to renew the mandate of the Force")."""
    names = tuple(w for w in question.relation if len(w) >= 3 and w.isalpha()
                  and not engine.common(w) and engine.held.written(w.upper(), re.NOFLAG))
    in_documents = question.list_kind == "documents"
    held: dict[tuple[str, str], bool] = {}

    def in_document(name: str, doc_id: str) -> bool:
        if (name, doc_id) not in held:
            text = engine.texts.get(doc_id)
            held[name, doc_id] = _word(name).search(text) is not None or spells(name, text)
        return held[name, doc_id]

    def also(sentence: Sentence) -> tuple[str, ...]:
        return tuple(w for w in names if spells(w, sentence.text) or (
            in_documents and in_document(w, sentence.doc_id)))

    return also


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


def with_neighbours(chunks: set[Chunk]) -> set[str]:
    """The ids of the chunks and of the passages either side of each: a passage is about 128
    words, and the thought that links a topic to R2P may run over into the next."""
    return {chunk_id(c.doc_id, c.ordinal + d) for c in chunks for d in (-1, 0, 1)}


def rarest(reader: Store, question: Question) -> str | None:
    """The relation's word or phrase held by fewest passages, if few enough to read them all;
    not one of two alternatives ("myanmar / burma"), which a quote may lack."""
    either = {w for pair in question.alternatives for side in pair for w in side}
    terms = [" ".join(p) for p in question.phrases] + [t for t in question.relation
                                                       if t not in either]
    held = [(reader.doc_freq(t), t) for t in terms]
    held = [(df, t) for df, t in held if 0 < df <= RARE_RELATION_DF]
    return min(held)[1] if held else None


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
