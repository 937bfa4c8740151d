"""Read what a question implies: filters (year, General Debate) and its content terms."""

from __future__ import annotations

import re

from indexer.errors import InvalidQueryError
from indexer.models import Filters

MAX_QUESTION = 1000

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom whose why will with
    would you your yours tell say said says give show find list name named""".split()
)
LIST_WORDS = frozenset(
    "state states country countries government governments nation nations member members "
    "organisation organisations organization organizations".split()
)
YEAR = r"((?:19|20)\d\d)"
YEAR_RANGE = re.compile(
    rf"\b(?:between|from|in|of|during)\s+(?:the\s+)?(?:general\s+debates?\s+of\s+)?{YEAR}"
    rf"\s*(?:and|to|-|–)\s*{YEAR}\b", re.IGNORECASE)
YEAR_ONE = re.compile(rf"\b(?:in|during|at|of)\s+(?:the\s+)?{YEAR}\b", re.IGNORECASE)
GENERAL_DEBATE = re.compile(r"\bgeneral\s+debates?\b", re.IGNORECASE)


def infer_filters(question: str, given: Filters) -> Filters:
    """Filters the question states ("in the 2022 General Debate"); given filters win."""
    changes: dict[str, object] = {}
    if given.year_from is None and given.year_to is None:
        if span := YEAR_RANGE.search(question):
            years = sorted(int(y) for y in span.groups())
            changes["year_from"], changes["year_to"] = years
        elif year := YEAR_ONE.search(question):
            changes["year_from"] = changes["year_to"] = int(year.group(1))
    if GENERAL_DEBATE.search(question) and given.doc_type is None:
        changes["doc_type"] = "general-debate-statement"
    if not changes:
        return given
    return Filters(**{**given.__dict__, **changes})


def strip_filter_phrases(question: str) -> str:
    """The question without the phrases that became filters."""
    text = YEAR_RANGE.sub(" ", question)
    text = YEAR_ONE.sub(" ", text)
    return GENERAL_DEBATE.sub(" ", text)


def focus(question: str, filters: Filters) -> str:
    """What a sentence must answer: the question without what the filters already fix
    (the state, the years), so that sentences are not chosen just for naming the state."""
    from indexer import countries

    text = strip_filter_phrases(question) if (filters.year_from or filters.doc_type) else question
    if filters.state_iso3:
        for mention in reversed(countries.find_states(text)):
            if mention.iso3 == filters.state_iso3:
                text = text[: mention.start] + text[mention.end :]
    return re.sub(r"\s+", " ", text).strip()


def content_terms(text: str, *, drop_list_words: bool = False) -> list[str]:
    """Lower-case content words, in order, without stopwords (and list nouns if asked)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    terms = [w for w in words if w not in STOPWORDS and len(w) > 1]
    if drop_list_words:
        terms = [w for w in terms if w not in LIST_WORDS]
    return list(dict.fromkeys(terms))


def term_key(word: str) -> str:
    """A crude stem: the first five letters ("referenced", "references" -> "refer")."""
    return word[:5]


def coverage(terms: list[str], sentence: str) -> float:
    """Share of the question's content terms (by stem) that the sentence contains."""
    if not terms:
        return 0.0
    present = {term_key(w) for w in re.findall(r"[a-z0-9]+", sentence.lower())}
    keys = {term_key(t) for t in terms}
    return len(keys & present) / len(keys)


def check_question(text: str | None, what: str = "question") -> str:
    """The stripped text, or a clear error when it is empty or longer than MAX_QUESTION."""
    text = (text or "").strip()
    if not text:
        raise InvalidQueryError(f"The {what} is empty.",
                                "Type one, e.g. 'Which states named focal points?'")
    if len(text) > MAX_QUESTION:
        raise InvalidQueryError(f"The {what} is longer than {MAX_QUESTION:,} characters.",
                                "Ask a shorter question.")
    return text
