"""Direct answers: the answer text starts with what was asked, then the verified quotes.

The head comes from the best quote or from its document's metadata (speaker state, adoption
date, symbol), e.g. ``Botswana (General Debate, 2022): "..." [1]`` or
``S/RES/661 (1990), adopted on 6 August 1990: "..." [1]``.
"""

from __future__ import annotations

import re

from indexer import countries
from indexer.models import DocMeta
from search_api.candidates import DATE, NUMBER, PERSON, YEAR, Candidate
from search_api.citations import base_citation, human_date
from search_api.question import GENERAL_DEBATE, RESOLUTION, Question

ADOPTION = re.compile(r"\badopt", re.IGNORECASE)


def _speaker(meta: DocMeta) -> str | None:
    if meta.doc_type == GENERAL_DEBATE and meta.state:
        return f"{meta.state} (General Debate, {meta.year})" if meta.year else meta.state
    return None


def _document(meta: DocMeta) -> str:
    """ "S/RES/661 (1990), adopted on 6 August 1990", or the document's citation."""
    if meta.doc_type == RESOLUTION and meta.date:
        return f"{base_citation(meta)}, adopted on {human_date(meta.date)}"
    return _speaker(meta) or base_citation(meta)


def head(question: Question, best: Candidate) -> str | None:
    """What was asked, as the answer's first words; None where the quote itself answers."""
    meta, text = best.hit.meta, best.sentence.text
    if meta is None:
        return None
    t = question.answer_type
    if t == "state":
        if speaker := _speaker(meta):
            return speaker
        states = countries.find_states(text)
        return countries.label(states[0].iso3) if states else None
    if t == "document":
        return _document(meta)
    if t == "date":
        if meta.doc_type == RESOLUTION and (ADOPTION.search(question.text) or not
                                            DATE.search(text)):
            return _document(meta)
        if m := DATE.search(text) or YEAR.search(text):
            return m.group()
        return human_date(meta.date) or (str(meta.year) if meta.year else None)
    if t == "person":
        m = PERSON.search(text)
        return m.group() if m else None
    if t == "number":
        m = NUMBER.search(YEAR.sub(" ", text))
        return m.group() if m else None
    if t == "organisation":
        orgs = countries.find_organisations(text)
        return countries.ORGANISATIONS[orgs[0].code] if orgs else None
    if question.states or meta.doc_type in (GENERAL_DEBATE, RESOLUTION):
        return _document(meta)  # say whose words these are
    return None


def answer_text(question: Question, chosen: list[tuple[Candidate, int]]) -> str:
    """Head, then each quote with its citation number."""
    quotes = " ".join(f"“{c.sentence.text}” [{n}]" for c, n in chosen)
    first = head(question, chosen[0][0])
    return f"{first}: {quotes}" if first else quotes
