"""Parse a question once into the typed object that retrieval, ranking and composition read.

What is parsed here is domain knowledge, not wording: UN symbols and resolution numbers, years
and General Assembly session numbers (read by ``search_api.years``), named states, the document
types a question points at; what a list's items must share is read by ``search_api.relation``,
over the vocabulary of ``search_api.words``.
What kind of answer is wanted (a list, a date, a person...) is decided by a fitted classifier
(``search_api.intent``), not by verb lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer import countries, regions
from indexer.models import Filters
from search_api.norm import mentions_r2p
from search_api.relation import (
    ABOUT,
    AS_A_WORD,
    ATTRIBUTION,
    ISSUING,
    LIST_NOUNS,
    SPEAKING,
    conjuncts,
    name_phrases,
    qualifiers,
    quoted_phrases,
)
from search_api.spans import counted_words, numbered_words
from search_api.speaker import SPEECH_CONTEXT, acting_state, find_speaker
from search_api.symbols import find_symbols
from search_api.words import R2P_ANY_CASE, STOPWORDS, WORD, content_terms, spelt_out
from search_api.years import (
    DECADE_WORD,
    DOC_WORDS,
    NEXT_YEAR,
    ORDINAL_SESSION,
    SESSION,
    dated_months,
    every_year,
    session_year,
    year_mentions,
)

GENERAL_DEBATE = "general-debate-statement"
RESOLUTION = "security-council-resolution"
R2P_SPELLING = 88  # fuzzy match score (0-100) of "responsibility to protect" in a question
R2P_WORDS = frozenset({"responsibility", "protect", "r2p", "rtop", "norm", "principle"})
GENERAL_DEBATE_WORDS = re.compile(r"\bgeneral\s+debates?\b", re.IGNORECASE)
RESOLUTION_WORDS = re.compile(r"\b(?:resolutions?|unscr|scr|res)\b", re.IGNORECASE)
@dataclass(frozen=True)
class Question:
    """A question as parsed once: what is asked, about what, within which constraints."""

    text: str
    focus: str
    terms: tuple[str, ...]
    filters: Filters
    answer_type: str = "explanation"
    years: tuple[int, ...] = ()  # years that are the topic, not a hard filter: soft boosts
    states: tuple[str, ...] = ()  # ISO3 of the states named
    symbols: tuple[str, ...] = ()  # normalised UN symbols named, e.g. "S/RES/661"
    references: tuple[str, ...] = ()  # those named as references ("under resolution 1973")
    norm: bool = False  # asks about the R2P norm
    relation: tuple[str, ...] = ()  # for lists: what each quote must show
    phrases: tuple[tuple[str, ...], ...] = ()  # names in the relation, shown word for word
    # the two sides of an "or" in the relation, either of which will do
    alternatives: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    names: tuple[str, ...] = ()  # capitalised or rare words the evidence should contain
    language: str = "en"
    doc_type_hint: str | None = None
    members: tuple[str, ...] = ()  # a list limited to a group of states ("African states")
    excluded: tuple[str, ...] = ()  # states a list leaves out ("apart from the Holy See")
    inferred_years: bool = False  # the year filter was read from the question, not given
    each_year: tuple[int, ...] = ()  # a list of what holds in every one of these years
    years_shown: tuple[int, ...] = ()  # a list whose quotes must name one of these years
    literal: tuple[str, ...] = ()  # words asked about as words ("the abbreviation R2P")
    quoted: tuple[tuple[str, ...], ...] = ()  # phrases it quotes, which a list's quotes show
    norm_of_documents: bool = False  # R2P qualifies the speeches or speakers, not the relation
    said_by_speaker: bool = False  # a list of the states one speaker names ("did the UK back")
    counted: tuple[str, ...] = ()  # what "how many" counts ("ngos", "took", "part")
    numbered: tuple[str, ...] = ()  # what "at which plenary meeting" asks the number of

    @property
    def search_text(self) -> str:
        """What lexical retrieval searches: the question, abbreviations spelt out."""
        return spelt_out(self.text)

    @property
    def list_kind(self) -> str | None:
        """"states", "organisations" or "documents" for a list question, else None."""
        return self.answer_type.removeprefix("list-") if self.answer_type.startswith(
            "list-") else None


def find_states(text: str) -> list[str]:
    """ISO3 codes of the states a question names, in any letter case."""
    found = [m.iso3 for m in countries.find_states(text)]
    if not found and text != text.title():
        found = [m.iso3 for m in countries.find_states(text.title())
                 if m.surface.lower() not in STOPWORDS]
    return list(dict.fromkeys(found))


QUESTION_WORDS = {
    "en": "the of and to in is that for on with as by this are be it what which who when where "
          "how why did does do was were has have said",
    "fr": "le la les des et du un une est que dans pour sur par au aux quel quelle quels qui "
          "quand comment pourquoi",
    "es": "el la los las de y en que por con para una del se al qué cuál quién cuándo cómo",
    "de": "der die das und ist nicht mit von den zu im für auf ein eine welche wer wann wie",
    "pt": "o os da do das dos em para com não uma que por ao qual quem quando como",
}


def detect_language(text: str) -> str:
    """The question's language from its function words; English unless another language has
    clearly more of them (a short English question must not read as Portuguese "do")."""
    words = set(WORD.findall(text.lower()))
    hits = {lang: len(words & set(sw.split())) for lang, sw in QUESTION_WORDS.items()}
    best = max(hits, key=hits.__getitem__)
    return best if best != "en" and hits[best] >= 3 and hits[best] > hits["en"] + 1 else "en"


def _names(text: str) -> list[str]:
    """Capitalised words past the first, and words with digits: what evidence must hold."""
    out = []
    for i, m in enumerate(re.finditer(r"[A-Za-z][\w'’.-]*", text)):
        word = re.sub(r"['’]s$", "", m.group()).strip(".'’")
        if i and word[:1].isupper() and word.lower() not in STOPWORDS and len(word) > 2:
            out.append(word.lower())
    return list(dict.fromkeys(out))


def asks_about_r2p(text: str) -> bool:
    """The question names R2P, even misspelt ("responsability to protect")."""
    from rapidfuzz import fuzz

    return (mentions_r2p(text) or bool(R2P_ANY_CASE.search(text))
            or fuzz.partial_ratio("responsibility to protect", text.lower()) >= R2P_SPELLING)


_R2P = r"(?:r2p|rtop|r to p|respons\w*\s+to\s+protect)"
_SPEECHES = r"(?:speech|speeches|statement|statements|address|addresses|remarks)"
_SPEAKERS = r"(?:states|countries|countires|nations|governments|goverments|delegations|members)"
# R2P said of the documents or of the speakers, not of what the list asks about: "in speeches
# that also mention R2P", "whose R2P speeches refer to ...", "of the countries that raised R2P
# in 2014, which ones also talked about ..."
NORM_OF_DOCUMENTS = re.compile(
    rf"\b{_R2P}\s+(?:general\s+debate\s+)?{_SPEECHES}\b"
    rf"|\b{_SPEECHES}\s+(?:(?:that|which|where|in\s+which)\s+)?(?:they\s+)?(?:also\s+)?\w+\s+"
    rf"(?:to\s+)?(?:the\s+)?{_R2P}"
    rf"|\b{_SPEAKERS}\s+(?:that|which|who)\s+(?:\w+\s+){{1,3}}?(?:the\s+)?{_R2P}\b.*\balso\b"
    rf"|\bof\s+the\s+{_SPEAKERS}\s+(?:that|which|who)\s+(?:\w+\s+){{1,3}}?(?:the\s+)?{_R2P}\b",
    re.IGNORECASE)


# "which countries did the UK say it supports", "attacks in which countries did it condemn":
# the states listed are what one speaker named, not the speakers
SAID_BY_SPEAKER = re.compile(rf"\b{_SPEAKERS}\s+(?:did|does|do|has|had|would|will)\s+(?!they\b)",
                             re.IGNORECASE)


# a year that dates a speech: "its 2010 statement", "Malta's 2008 general debate speech"
DATED_SPEECH = re.compile(r"\s*(?:general\s+debate\s+)?(?:speech|statement|address)\b",
                          re.IGNORECASE)


# a speech named as such: a state the question says spoke is its speaker
SPEECH_NOUNS = re.compile(r"\b(?:general\s+debates?|speech(?:es)?|statements?|addresses)\b",
                          re.IGNORECASE)


def parse(text: str, given: Filters | None = None, answer_type: str | None = None,
          classify=None) -> Question:
    """The typed question. ``classify(text) -> answer type`` decides the kind of answer."""
    given = given or Filters()
    references: list[str] = []
    symbols, rest = find_symbols(text, references)
    hard: dict[str, object] = {}
    kind = answer_type or (classify(text) if classify else "explanation")
    is_list = kind.startswith("list-")
    session = SESSION.search(rest)
    dating, topical = year_mentions(rest)
    years = [y for first, last in topical for y in range(first, last + 1)]
    said_by_speaker = kind == "list-states" and bool(SAID_BY_SPEAKER.search(text))
    speaker = find_speaker(rest, named_document=bool(symbols)) \
        if not is_list or said_by_speaker else None
    if speaker and any(s.startswith("S/") for s in symbols) and not SPEECH_NOUNS.search(text):
        speaker = None  # "per resolution 226, what did the Congo say": the Council's record
    said_by_speaker = said_by_speaker and speaker is not None
    if session and dating and DATED_SPEECH.match(rest, dating[3]):
        # "who presided over the 45th session, in its 2010 statement": the year dates the
        # speech, the session is what it speaks of
        years = [y for y in (session_year(session),) if y] + years
        session = None
    if session and (year := session_year(session)):
        if SPEECH_CONTEXT.search(text) or kind in ("list-states", "state") or speaker or \
                acting_state(rest):
            hard["year_from"] = hard["year_to"] = year
            hard["doc_type"] = GENERAL_DEBATE
        else:  # the Assembly's session runs into the next year: a boost for both
            years = [year, year + 1] + years
        rest = rest[: session.start()] + " " + rest[session.end():]
    elif dating:
        first, last, start, end = dating
        if is_list or DOC_WORDS.search(rest) or find_states(rest):
            hard["year_from"], hard["year_to"] = first, last
        elif first and last:
            years = list(range(first, last + 1)) + years
        rest = rest[:start] + " " + rest[end:]
    if GENERAL_DEBATE_WORDS.search(text):
        hard["doc_type"] = GENERAL_DEBATE
    if speaker:
        hard["state_iso3"] = speaker
    filters = _merge(given, hard)
    members, rest_of_list = regions.group_in(rest) if is_list else (None, rest)
    excluded, rest_of_list = left_out(rest_of_list) if is_list else ((), rest_of_list)
    states = find_states(rest)
    focus = re.sub(r"\s+", " ", rest).strip(" ,?.") or text
    norm = asks_about_r2p(text)
    # "R2P" asks what "the responsibility to protect" asks: the same terms
    terms = [t for t in content_terms(spelt_out(focus)) if not R2P_ANY_CASE.fullmatch(t)]
    said = ATTRIBUTION.sub(" ", re.sub(r"\([^)]*\)", " ", rest_of_list))
    said = re.sub(r"\bso[- ]called\b", " ", NEXT_YEAR.sub(" ", said), flags=re.IGNORECASE)
    months = dated_months(text)  # "sept 1960": when, not what the items share
    relation = tuple(t for t in content_terms(said) if t not in LIST_NOUNS and t not in SPEAKING
                     and t not in ("year", "years")
                     and t not in R2P_WORDS and t not in ABOUT and not t.isdigit()
                     and t not in months and not DECADE_WORD.fullmatch(t)
                     and not (kind == "list-documents" and t in ISSUING)
                     and not (speaker and countries.resolve_state(t) == speaker)
                     and t not in qualifiers(said))
    quoted = quoted_phrases(said, relation)
    phrases = tuple(dict.fromkeys(name_phrases(said, relation) + quoted))
    alternatives = tuple((_phrase_of(left, phrases, 0), _phrase_of(right, phrases, -1))
                         for left, right in conjuncts(said, relation))
    each = every_year(text) if is_list else ()
    if each:
        filters = replace(filters, year_from=min(each), year_to=max(each))
        relation = tuple(t for t in relation if not ORDINAL_SESSION.fullmatch(t))
    hint = None
    if RESOLUTION_WORDS.search(text) or symbols:
        hint = RESOLUTION if any(s.startswith("S/") for s in symbols) or not symbols else None
    if filters.doc_type:
        hint = filters.doc_type
    return Question(
        text=text, focus=focus, terms=tuple(terms), filters=filters, answer_type=kind,
        years=tuple(years), states=tuple(states), symbols=tuple(symbols), norm=norm,
        references=tuple(references), relation=relation, phrases=phrases,
        alternatives=alternatives, each_year=each,
        names=tuple(_names(rest)),
        literal=tuple(AS_A_WORD.findall(text)) if is_list else (),
        quoted=quoted if is_list else (),
        language=detect_language(text),
        doc_type_hint=hint, members=tuple(sorted(members or ())), excluded=excluded,
        norm_of_documents=norm and bool(relation) and bool(NORM_OF_DOCUMENTS.search(text)),
        said_by_speaker=said_by_speaker, counted=counted_words(text),
        numbered=numbered_words(text) if kind == "number" else (),
        inferred_years=("year_from" in hard and given.year_from is None
                        and given.year_to is None and not session and not states
                        and (bool(symbols) or not DOC_WORDS.search(rest))))


def _phrase_of(side: tuple[str, ...], phrases: tuple[tuple[str, ...], ...], which: int
               ) -> tuple[str, ...]:
    """One side of an "or" as the whole name it is part of ("the Summit of the Future or the
    Pact for the Future": "Summit of the Future" and "Pact for the Future", not "future" and
    "pact"); ``which`` picks among names sharing the word: the first (left side) or the last."""
    names = [p for p in phrases if set(side) <= set(p)]
    return names[which] if names else side


# "apart from the Holy See itself, which countries ...": states a list leaves out
LEFT_OUT = re.compile(r"\b(?:apart\s+from|except(?:\s+for)?|excluding|other\s+than|besides|"
                      r"leaving\s+out|not\s+counting)\s+(?:the\s+)?([^,;?]*)", re.IGNORECASE)


def left_out(text: str) -> tuple[tuple[str, ...], str]:
    """The states the text says a list leaves out, and the text without saying so."""
    for m in LEFT_OUT.finditer(text):
        if states := find_states(m.group(1)):
            return tuple(states), text[:m.start()] + " " + text[m.end():]
    return (), text


def years_as_topic(question: Question) -> Question:
    """The question with its inferred year filter turned into a boost ("papers of 2008")."""
    f = question.filters
    years = tuple(range(f.year_from or 0, (f.year_to or 0) + 1))
    return replace(question, filters=replace(f, year_from=None, year_to=None),
                   years=years if len(years) <= 30 else (), inferred_years=False)


def _merge(given: Filters, inferred: dict[str, object]) -> Filters:
    """Inferred filters fill in what the caller left open; given filters win."""
    changes = {k: v for k, v in inferred.items() if getattr(given, k) is None}
    if given.year_from is not None or given.year_to is not None:
        changes.pop("year_from", None)
        changes.pop("year_to", None)
    return replace(given, **changes) if changes else given
