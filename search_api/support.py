"""Does a sentence support a list: does it show the relation the question asks about?

A sentence supports the list when it shows the relation the question asks about, not the
question's verb: the relation is what is left of the question after its list noun, verbs of
speaking and the constraints (``Question.relation``). With nothing left, a question about R2P
asks who invoked the norm.

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
from collections.abc import Callable
from typing import TYPE_CHECKING

from indexer import countries
from indexer.chunk import chunk_id
from indexer.models import Chunk, Filters
from indexer.stores import Store
from search_api.evidence import Sentence
from search_api.held import spells
from search_api.norm import is_r2p_norm
from search_api.question import GENERAL_DEBATE, RESOLUTION, Question
from search_api.relation import NAME_JOINS, shows_phrase
from search_api.retrieve import phrase_hits
from search_api.words import coverage, spelt_out, term_key

if TYPE_CHECKING:
    from search_api.answer import AnswerEngine

# share of the relation a quote must show (IDF-weighted): on train, the best accuracy averaged
# over its neighbours on a grid of 0.025 (0.8288, 0.8316, 0.8305, 0.8293, 0.8226 for 0.475-0.575)
MIN_RELATION_COVER = 0.525
RARE_RELATION_DF = 400  # a relation word in at most this many passages: read every one of them
ORGAN = frozenset({"security", "council", "unsc", "sc"})


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
    """Does the sentence show the relation the question asks about (``relation_shown``, at
    least ``MIN_RELATION_COVER`` of it)?"""
    shown = relation_shown(question, sentence, norm_passages, cover, norm_documents, topic, also)
    return shown is not None and shown >= MIN_RELATION_COVER


def relation_shown(question: Question, sentence: Sentence, norm_passages: set[str],
                   cover: Callable[[tuple[str, ...], str], float] = coverage,
                   norm_documents: frozenset[str] = frozenset(), topic: bool = False,
                   also: tuple[str, ...] = ()) -> float | None:
    """How much of the relation the question asks about the sentence shows (0-1), or None
    when it cannot support the list however much it shows (a year, a quoted phrase or a
    named state it lacks; a speech's passage away from R2P where R2P's sense is asked).

    ``cover`` measures how much of the relation a sentence holds (IDF-weighted in answers, so
    that "haiti" counts for more than "security council" in a collection of resolutions);
    ``norm_passages`` and ``norm_documents`` are the passages and documents that invoke R2P;
    ``topic``: the relation is a topic of its own, which a speech need not tie to R2P;
    ``also``: the relation's words the sentence shows otherwise (``shown_otherwise``).
    """
    meta = sentence.hit.meta
    if question.years_shown and not any(str(y) in sentence.text for y in question.years_shown):
        return None
    if not all(_word(w).search(sentence.text) for w in question.literal):
        return None
    if not question.relation:
        return 1.0 if not question.norm or is_r2p_norm(sentence.text) else None
    said = spelt_out(sentence.text)
    said += "".join(f" {w}" for w in also)
    if (states := named_states(question)) and not states <= {
            m.iso3 for m in countries.find_states(sentence.text)}:
        return None  # "the Central African Republic", not "African ... Republic"
    named = [p for p in question.phrases if shows_phrase(p, said)]
    if any(p not in named for p in question.quoted):  # "used the phrase 'human security'"
        return None
    shown = {term_key(w) for p in named for w in p}
    for phrase in question.phrases:  # a name's words count only as a name it shows
        if phrase not in named and (
                words := tuple(w for w in phrase if term_key(w) not in shown)):
            said = _name_words(words).sub(" ", said)
    variants = relation_variants(question)
    if meta and meta.doc_type == RESOLUTION:  # its words are its organ's: "recommended
        variants = [tuple(t for t in v if t not in ORGAN) or v for v in variants]  # by it"
    share = max(cover(r, said) for r in variants)
    if not (meta and meta.doc_type == GENERAL_DEBATE) or question.said_by_speaker:
        return share  # one speech asked about is read whole
    if question.norm_of_documents:
        return share if sentence.doc_id in norm_documents else None
    tied = topic or sentence.hit.chunk.chunk_id in norm_passages or (
        not question.norm and names_relation(question, sentence.text))
    return share if tied else None


@functools.lru_cache(maxsize=256)
def named_states(question: Question) -> frozenset[str]:
    """The states whose names of three words or more are part of the relation ("central african
    republic"): a quote shows them by name, not word by word. A shorter name has a word of its
    own that the cover already weighs ("Salvador"; requiring "El Salvador" by name broke the
    "Group of Friends for El Salvador" on train)."""
    text = question.text  # in any letter case: title case keeps every offset
    return frozenset(m.iso3 for m in [*countries.find_states(text),
                                      *countries.find_states(text.title())]
                     if len(words := text[m.start:m.end].lower().split()) >= 3
                     and all(w in question.relation or w in NAME_JOINS for w in words)
                     and m.iso3 not in question.excluded)


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



def with_neighbours(chunks: set[Chunk]) -> set[str]:
    """The ids of the chunks and of the passages either side of each: a passage is about 128
    words, and the thought that links a topic to R2P may run over into the next."""
    return {chunk_id(c.doc_id, c.ordinal + d) for c in chunks for d in (-1, 0, 1)}


def rarest(reader: Store, question: Question) -> str | None:
    """The relation's word or phrase held by fewest passages, if few enough to read them all;
    not one of two alternatives ("myanmar / burma"), which a quote may lack; a word both
    alternatives share is one it must show ("flu" of "avian flu / bird flu")."""
    either = {w for left, right in question.alternatives for w in set(left) ^ set(right)}
    terms = [" ".join(p) for p in question.phrases] + [t for t in question.relation
                                                       if t not in either]
    held = [(reader.doc_freq(t), t) for t in terms]
    held = [(df, t) for df, t in held if 0 < df <= RARE_RELATION_DF]
    return min(held)[1] if held else None
