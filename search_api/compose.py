"""Direct answers: the answer text starts with what was asked, then the verified quotes.

The head comes from the best quote or from its document's metadata (speaker state, adoption
date, symbol), e.g. ``Botswana (General Debate, 2022): "..." [1]`` or
``S/RES/661 (1990), adopted on 6 August 1990: "..." [1]``; an asked value that is not the source
comes first, then the source: ``Panama — S/RES/502 (1982), adopted on 3 April 1982: "..." [1]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer import countries
from indexer.models import DocMeta
from search_api.candidates import Candidate
from search_api.citations import base_citation, human_date
from search_api.footnotes import names_own_document, written_symbols
from search_api.question import GENERAL_DEBATE, RESOLUTION, Question
from search_api.spans import (
    DATE,
    NUMBER,
    PART_DATE,
    YEAR,
    body_names,
    counting,
    counts_in,
    in_another_role,
    ordinals,
    person_names,
)
from search_api.symbols import normalise_symbol
from search_api.words import term_key

ADOPTION = re.compile(r"\badopt", re.IGNORECASE)


def _speaker(meta: DocMeta) -> str | None:
    if meta.doc_type == GENERAL_DEBATE and meta.state:
        return f"{meta.state} (General Debate, {meta.year})" if meta.year else meta.state
    return None


def _cited(question: Question, best: Candidate) -> str | None:
    """The document the quote cites by symbol, where the question names the quote's own ("which
    report did A/RES/48/246 consider": "1/ A/48/803.")."""
    if not names_own_document(question, best):
        return None
    return next((w for w in written_symbols(best.sentence.text)
                 if normalise_symbol(w) not in question.symbols), None)


def _document(meta: DocMeta) -> str:
    """ "S/RES/661 (1990), adopted on 6 August 1990", or the document's citation."""
    if meta.doc_type == RESOLUTION and meta.date:
        return f"{base_citation(meta)}, adopted on {human_date(meta.date)}"
    return _speaker(meta) or base_citation(meta)


WINDOW = 60  # characters either side of a match that say what it is about
CLAUSE_END = re.compile(r"[;•\n]")  # the items of a list quote


def nearest(question: Question, text: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Of several matches in a quote, the one whose own clause (an item of a list, else the
    words around it) holds most of the question's words, names twice: in a list of papers and
    their years, the year of the United Kingdom's; the first of equals."""
    if not spans:
        return None
    names = {term_key(n) for n in question.names}
    terms = {term_key(t) for t in question.terms} | names

    def weight(span: tuple[int, int]) -> int:
        start = max([m.end() for m in CLAUSE_END.finditer(text, 0, span[0])], default=0)
        after = CLAUSE_END.search(text, span[1])
        end = after.start() if after else len(text)
        around = text[max(start, span[0] - WINDOW): min(end, span[1] + WINDOW)]
        words = {term_key(w) for w in re.findall(r"[a-z0-9]+", around.lower())}
        # a state the question names, however either writes it ("UK", "United Kingdom's")
        states = {m.iso3 for m in countries.find_states(around)} & set(question.states)
        return len(words & terms) + len(words & names) + 2 * len(states)

    return max(spans, key=weight)  # max keeps the first of equal weights


def _pick(question: Question, text: str, spans: list[tuple[int, int]]) -> str | None:
    """The span beside the question's words; a value the question itself states ("the mandate
    ending 30 June 1994") is not what it asks, unless there is no other."""
    asked = question.text.lower()
    new = [(a, b) for a, b in spans if text[a:b].lower() not in asked]
    span = nearest(question, text, new or spans)
    return text[span[0]:span[1]] if span else None


def _first(question: Question, text: str, *patterns: re.Pattern[str]) -> str | None:
    """``_pick`` among the matches of the first pattern that has any."""
    for pattern in patterns:
        if found := _pick(question, text, [m.span() for m in pattern.finditer(text)]):
            return found
    return None


# a speech greets, thanks or pays tribute to the Assembly's president, their predecessor and
# the Secretary-General: a name in such a sentence answers only a question about those offices
# or about whom the speech greets
GREETS = re.compile(r"\b(?:congratulat|thank|salut|welcom|commend|tribute|appreciation|"
                    r"gratitude|grateful)\w*", re.IGNORECASE)
GREETED = re.compile(r"\b(?:assembly|secretary[- ]general|sg|predecessor|pga|presided)\b",
                     re.IGNORECASE)


def head(question: Question, best: Candidate,
         common: Callable[[str], bool] | None = None) -> str | None:
    """What was asked, as the answer's first words; None where the quote itself answers.
    ``common`` tells a common word from a name's (``spans.person_names``)."""
    meta, text = best.hit.meta, best.sentence.text
    if meta is None:
        return None
    t = question.answer_type
    if t == "state":
        if speaker := _speaker(meta):
            return speaker
        states = {(m.start, m.end): m.iso3 for m in countries.find_states(text)
                  if m.iso3 not in question.states}
        span = nearest(question, text, list(states))
        return countries.label(states[span]) if span else None
    if t == "document":  # a question naming the quote's document asks which one it cites
        return _cited(question, best) or _document(meta)
    if t == "date":
        if meta.doc_type == RESOLUTION and (ADOPTION.search(question.text) or not
                                            DATE.search(text)):
            return _document(meta)
        found = _first(question, text, DATE, PART_DATE, YEAR) or human_date(meta.date) or (
            str(meta.year) if meta.year else None)
        # a date the question states already ("according to Korea's 2016 speech, on what
        # date ...") is not what it asks: the quote holds no answer
        return None if found and found.lower() in question.text.lower() else found
    if t == "person":  # a titled name, else a capitalised pair that names no body or place,
        if meta.doc_type == GENERAL_DEBATE and GREETS.search(text) and not (
                GREETED.search(question.text) or GREETS.search(question.text)):
            return None  # the Assembly's president, a predecessor, the Secretary-General
        return _pick(question, text, [  # in no office other than those the question asks
            s for s in person_names(question.text, text, common)
            if not in_another_role(question.text, text, s)])
    if t == "number":  # "how many minors": a number of minors first, else any count
        if question.numbered and (found := _pick(question, text, ordinals(
                text, question.numbered, term_key))):
            return found  # "at which meeting": "the fifth meeting"
        counted = frozenset(map(term_key, question.counted))
        return _pick(question, text, counting(text, counted, term_key)) or \
            _first(question, counts_in(text), NUMBER)
    if t == "organisation":  # a body beside the question's words, else a known organisation
        if found := _pick(question, text, body_names(question.text, text)):
            return found
        orgs = countries.find_organisations(text)
        return countries.ORGANISATIONS[orgs[0].code] if orgs else None
    if question.states or meta.doc_type in (GENERAL_DEBATE, RESOLUTION):
        return _document(meta)  # say whose words these are
    return None


def source(meta: DocMeta | None) -> str | None:
    """Whose words a quote is, where its document says: a resolution or a speaker."""
    if meta is None or meta.doc_type not in (GENERAL_DEBATE, RESOLUTION):
        return None
    return _document(meta)


def answer_text(question: Question, chosen: list[tuple[Candidate, int]],
                common: Callable[[str], bool] | None = None) -> str:
    """Head, then each quote with its citation number; a head that is not the quote's source
    names it too ("Panama — S/RES/502 (1982), adopted on 3 April 1982"), so that the answer
    says which resolution or which state said it whatever was asked."""
    quotes = " ".join(f"“{c.sentence.text}” [{n}]" for c, n in chosen)
    first = head(question, chosen[0][0], common)
    said = source(chosen[0][0].hit.meta)
    if said and first and said not in first:
        first = f"{first} — {said}"
    first = first or said
    return f"{first}: {quotes}" if first else quotes
