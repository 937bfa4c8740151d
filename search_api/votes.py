"""Who voted how: the states a resolution's vote record names ("Adopted at the 1433rd meeting
by 10 votes to none, with 5 abstentions (Algeria, Brazil, France, India, Pakistan)").

A record names states in brackets after the count they belong to: the votes against ("by 13
votes to 2 (Cuba, Yemen)"), the abstentions, or before "did not participate in the voting"
("One member (United States of America) did not participate"). A list question about a vote
("which members abstained on ...") is answered from the record of the resolution it names, else
of the one whose passage the answer scorer ranks best, one item per state with the record as
its quote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from indexer import countries
from indexer.models import Hit
from search_api.candidates import VOTE_RECORD
from search_api.evidence import Citations, in_context, refusal, sentences_of
from search_api.question import RESOLUTION, Question
from search_api.retrieve import Timings

if TYPE_CHECKING:
    from search_api.answer import AnswerEngine

ASKED = (("abstain", re.compile(r"\babstain|\babstention", re.IGNORECASE)),
         ("absent", re.compile(r"\bparticipat|\babsent\b|\b(?:did\s*n[o']?t|didnt)\s+"
                               r"(?:vote|take\s+part)", re.IGNORECASE)),
         ("against", re.compile(r"\bagainst\b|\bopposed\b|\bvoted\s+no\b", re.IGNORECASE)))
ACTION = {"abstain": "abstained", "absent": "did not take part", "against": "voted against"}
BRACKETS = re.compile(r"\(([^()]*)\)")


def asked_vote(text: str) -> str | None:
    """"abstain", "absent" or "against": which part of a vote the question asks about."""
    return next((kind for kind, pattern in ASKED if pattern.search(text)), None)


def voters(record: str, kind: str) -> list[tuple[str, int]]:
    """(ISO3, position) of the states the record names for that part of the vote."""
    found = []
    for m in BRACKETS.finditer(record):
        before = record[max(0, m.start() - 30):m.start()].lower()
        after = record[m.end():m.end() + 40].lower()
        part = ("abstain" if "abstention" in before else
                "absent" if "not participate" in after else
                "against" if re.search(r"\bto\s+(?:\d+|one|two|three|four)\s*$", before) else
                None)
        if part == kind:
            found += [(s.iso3, m.start(1) + s.start) for s in countries.find_states(m.group(1))]
    return found


def vote_list(engine: AnswerEngine, question: Question, vector: np.ndarray,
              citations: Citations, timings: Timings) -> dict | None:
    """The states of the asked part of the vote of the resolution the question is about (a
    refusal when its record names none); None when there is no record to read."""
    from search_api.answer import vote_records
    from search_api.lists import Item, compose

    kind = asked_vote(question.text)
    if kind is None or not (doc := resolution_asked(engine, question, vector, timings)):
        return None
    # a record cut short inside its brackets runs on ("(Colombia, Finland, Paraguay,")
    records = [in_context(engine.reader, engine.texts, s) for s in sentences_of(
        engine.reader, vote_records(engine.reader, engine.embedder, question, [doc], every=True))
        if s.doc_id == doc.chunk.doc_id and VOTE_RECORD.search(s.text)]
    if not records:
        return None
    for s in records:
        if named := voters(s.text, kind):
            items = [Item(iso3, countries.label(iso3), (0, position), [s])
                     for iso3, position in dict(named).items()]
            return compose(engine, question, vector, items, citations)
    # its record names no one who voted so ("adopted unanimously"): no other list answers
    result = refusal([s.hit for s in records], citations.texts)
    result["answer"] += f" The record of the vote on {doc.meta.symbol} names no state that " \
        f"{ACTION[kind]}."
    return result


def resolution_asked(engine: AnswerEngine, question: Question, vector: np.ndarray,
                     timings: Timings) -> Hit | None:
    """A passage of the resolution the question is about: one it names, else the one whose
    passage the answer scorer ranks best."""
    ranked, hits = engine.ranked(question, vector, timings)
    named = {d for s in question.symbols for d in engine.reader.documents_with_symbol(s)}
    for c in ranked:
        meta = c.hit.meta
        if meta and meta.doc_type == RESOLUTION and (not named or c.sentence.doc_id in named):
            return c.hit
    return next((h for h in hits if h.chunk.doc_id in named), None)
