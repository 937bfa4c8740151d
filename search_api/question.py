"""Parse a question once into the typed object that retrieval, ranking and composition read.

What is parsed here is domain knowledge, not wording: UN symbols and resolution numbers, years
and General Assembly session numbers (read by ``search_api.years``), named states, the document
types a question points at.
What kind of answer is wanted (a list, a date, a person...) is decided by a fitted classifier
(``search_api.intent``), not by verb lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from indexer import countries, regions
from indexer.models import Filters
from search_api.norm import mentions_r2p
from search_api.symbols import find_symbols
from search_api.years import (
    DOC_WORDS,
    NEXT_YEAR,
    ORDINAL_SESSION,
    SESSION,
    every_year,
    session_year,
    year_mentions,
)

GENERAL_DEBATE = "general-debate-statement"
RESOLUTION = "security-council-resolution"
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their theirs them then there these they this those through to too
    under until up very was we were what when where which while who whom whose why will with
    would you your yours tell say said says give show find list name named please
    according get gets got getting come comes came coming actually really explicitly
    specifically directly ever together alongside every""".split()
)
# nouns naming what a list is of: the answer kind, not what the evidence must show
LIST_NOUNS = frozenset(
    """state states country countries government governments nation nations member members
    delegation delegations organisation organisations organization organizations
    resolution resolutions document documents speaker speakers ones""".split()
)
# verbs of speaking: a list question's verb, which the evidence need not repeat
SPEAKING = frozenset(
    """talk talked talking speak spoke spoken speaking mention mentioned mentioning refer referred
    referring reference referenced references cite cited citing raise raised raising invoke
    invoked invoking discuss discussed address addressed bring brought up highlight highlighted
    stress stressed emphasise emphasised emphasize emphasized note noted evoke evoked voice voiced
    voicing express expressed expressing quote quoted quotes quoting comment commented
    commenting tribute pointed pointing describe described describing
    used using phrase phrases term terms word words wording expression expressions
    abbreviation abbreviations acronym discussing addressing highlighting stressing noting
    emphasising emphasizing evoking citing
    statement statements speech speeches general debate debates session sessions brought up
    spoke talked""".split()
)
# how a list question says what its items are about ("resolutions that dealt with Somalia"):
# the topic follows; the word itself is not what a quote must show
# a list question's "or" joins two ways of saying what its items share ("myanmar / burma", "set
# up or staffed the tribunal", "its 2008 crisis or the mediation that helped resolve it")
_CONJUNCT_TOKEN = re.compile(r"[a-z0-9'’-]+|[/,;:?!.()]")
RELATIVE = frozenset({"that", "which", "who", "whom"})
ABOUT = frozenset(
    """deal deals dealt dealing concern concerns concerned concerning regarding relating related
    relate relates cover covered covering treat treated treating focus focused focusing
    connection connections connected link links linked linking""".split()
)
# how a list of documents says they came about ("resolutions the Security Council adopted on
# Cyprus"): the organ and the verb describe the documents, not what they must be about
ISSUING = frozenset(
    """security council general assembly unsc unga adopt adopted adopting adoption pass passed
    passing issue issued""".split()
)
R2P_SPELLING = 88  # fuzzy match score (0-100) of "responsibility to protect" in a question
R2P_WORDS = frozenset({"responsibility", "protect", "r2p", "rtop", "norm", "principle"})
R2P_ANY_CASE = re.compile(r"\b(?:r2p|rtop|r to p)\b", re.IGNORECASE)  # users type "r2p"

GENERAL_DEBATE_WORDS = re.compile(r"\bgeneral\s+debates?\b", re.IGNORECASE)
# what makes "the 63rd session" its General Debate, not the Assembly's resolutions of that session
SPEECH_CONTEXT = re.compile(
    r"\b(?:general\s+debates?|speech(?:es)?|statements?|said|say|says|told|tell|delegations?|"
    r"speakers?|address(?:es|ed)?|spoke|speak\w*|mention\w*|talk\w*|invok\w*|rais\w*)\b",
    re.IGNORECASE)
RESOLUTION_WORDS = re.compile(r"\b(?:resolutions?|unscr|scr|res)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


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
    inferred_years: bool = False  # the year filter was read from the question, not given
    each_year: tuple[int, ...] = ()  # a list of what holds in every one of these years
    years_shown: tuple[int, ...] = ()  # a list whose quotes must name one of these years
    literal: tuple[str, ...] = ()  # words asked about as words ("the abbreviation R2P")
    norm_of_documents: bool = False  # R2P qualifies the speeches or speakers, not the relation

    @property
    def search_text(self) -> str:
        """What lexical retrieval searches: the question, abbreviations spelt out."""
        return spelt_out(self.text)

    @property
    def list_kind(self) -> str | None:
        """"states", "organisations" or "documents" for a list question, else None."""
        return self.answer_type.removeprefix("list-") if self.answer_type.startswith(
            "list-") else None


def content_terms(text: str) -> list[str]:
    """Lower-case content words, in order, without stopwords."""
    return list(dict.fromkeys(w for w in _WORD.findall(text.lower())
                              if w not in STOPWORDS and len(w) > 1))


# nouns whose first letters differ from their verb's, common in how resolutions record what
# was done ("with 3 abstentions" answers "who abstained")
IRREGULAR_STEMS = {"abste": "absta", "admis": "admit", "decis": "decid", "invas": "invad",
                   "expul": "expel"}


def singular(word: str) -> str:
    """"votes" -> "vote", "cities" -> "city", "boxes" -> "box"; "status", "crisis", "process"
    and short words stay."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    return word[:-1]


@lru_cache(maxsize=1 << 16)
def term_key(word: str) -> str:
    """A crude stem: the first five letters of the singular ("referenced", "references" ->
    "refer"; "votes" -> "vote", "cities" -> "city"), a noun and its verb alike ("abstentions",
    "abstained" -> "absta"); a noun of state or office in "-ship" is whole."""
    word = singular(word)
    if word.endswith("ship"):  # "membership" is not "members", "leadership" not "leaders"
        return word
    return IRREGULAR_STEMS.get(word[:5], word[:5])


@lru_cache(maxsize=8192)
def stems(text: str) -> frozenset[str]:
    """The term keys of the text's words (cached: a sentence meets many sets of terms)."""
    return frozenset(term_key(w) for w in _WORD.findall(text.lower()))


def coverage(terms: list[str] | tuple[str, ...], sentence: str) -> float:
    """Share of the terms (by stem) that the sentence contains."""
    if not terms:
        return 0.0
    present = stems(sentence)
    keys = {term_key(t) for t in terms}
    return len(keys & present) / len(keys)


def find_states(text: str) -> list[str]:
    """ISO3 codes of the states a question names, in any letter case."""
    found = [m.iso3 for m in countries.find_states(text)]
    if not found and text != text.title():
        found = [m.iso3 for m in countries.find_states(text.title())
                 if m.surface.lower() not in STOPWORDS]
    return list(dict.fromkeys(found))


# a state as the speaker, not the topic: "what did Croatia say", "how did Liechtenstein
# characterise", "Botswana's 2022 statement"; then only that state's documents can answer.
# Other verbs ("when did Italy ratify", "did Germany publish") leave the state a boost.
SPEAKER_BEFORE = re.compile(r"\b(?:did|does|do|has|had)\s+(?:the\s+)?$", re.IGNORECASE)
SPEECH_VERB = re.compile(
    r"^\s+(?:say|state|argue|call|propose|suggest|describe|characteri[sz]e|cite|quote|mention|"
    r"refer|stress|emphasi[sz]e|warn|urge|note|express|tell|highlight|reaffirm|welcome|"
    r"contrast|link|credit|announce|recall|raise|invoke|speak|talk|ask|criticis|criticiz|"
    r"condemn|insist|claim|declare|pledge|commit)", re.IGNORECASE)
SPEAKER_AFTER = re.compile(
    r"^['’]s\s+(?:(?:\d{4}|\d{2}(?:st|nd|rd|th)\s+session|general\s+debate)\s+)*"
    r"(?:speech|statement|address|delegation)", re.IGNORECASE)
# "China's position on R2P in the 2005 general debate": a stance, where speeches are asked of
SPEAKER_STANCE = re.compile(r"^['’]s\s+(?:position|positions|view|views|stance|attitude)\b",
                            re.IGNORECASE)
JOINED = re.compile(r"^\s*(?:,|or\b|and\b)", re.IGNORECASE)  # "Germany or France": no one speaker
# a state heading a keyword-style question: "belgium 2011 speech: which writer did it quote"
SPEAKER_HEADING = re.compile(
    r"^\s*(?:[-–:]|(?:19|20)\d\d\b|\d{2}(?:st|nd|rd|th)\s+session|general\s+debate|speech|"
    r"statement)", re.IGNORECASE)
SPEECH_HEADING = re.compile(r"^[^:?–-]{0,30}\b(?:session|general\s+debate|speech|statement)\b",
                            re.IGNORECASE)
# "what did it say": the pronoun speaks for the one state the question names
PRONOUN_SPEAKS = re.compile(r"\b(?:did|does|has|had)\s+(?:it|they)\b(?=" +
                            SPEECH_VERB.pattern.removeprefix("^") + ")", re.IGNORECASE)


def _speaks(text: str, start: int, end: int) -> bool:
    after = text[end:]
    return bool((SPEAKER_BEFORE.search(text[:start]) and SPEECH_VERB.match(after))
                or SPEAKER_AFTER.match(after)
                or (SPEAKER_STANCE.match(after) and bool(SPEECH_CONTEXT.search(text)))
                or (not text[:start].strip() and SPEAKER_HEADING.match(after) and bool(
                    SPEECH_HEADING.match(after) or PRONOUN_SPEAKS.search(after))))


def acting_state(text: str) -> bool:
    """A state is the subject of the question's verb ("what conditions did Uganda attach")."""
    return any(SPEAKER_BEFORE.search(text[:m.start]) for m in countries.find_states(text))


def find_speaker(text: str) -> str | None:
    """The ISO3 code of the one state the question names as the speaker, if any."""
    for candidate in (text, text.title()):
        mentions = [m for m in countries.find_states(candidate)
                    if m.surface.lower() not in STOPWORDS and not m.adjective]
        speakers = {m.iso3 for m in mentions if _speaks(text, m.start, m.end)
                    and not (len(mentions) > 1 and JOINED.match(text[m.end:]))}
        if not speakers and len({m.iso3 for m in mentions}) == 1 and \
                PRONOUN_SPEAKS.search(text):
            speakers = {mentions[0].iso3}
        if mentions:
            return speakers.pop() if len(speakers) == 1 else None
    return None


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
    words = set(_WORD.findall(text.lower()))
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


# UN abbreviations and the names they stand for: either form counts as the other
UN_ABBREVIATIONS = (("un", "united nations"), ("unsc", "security council"),
                    ("sc", "security council"), ("unga", "general assembly"),
                    ("ga", "general assembly"), ("sg", "secretary-general"),
                    ("icc", "international criminal court"))
_SHORT = {short: re.compile(rf"\b{short}\b", re.IGNORECASE) for short, _ in UN_ABBREVIATIONS}


# how resolutions word what a question says in plain words: a body is "established", a
# mandate "extended" ("set up UNAMIR" asks for "Decides to establish ... UNAMIR")
RESOLUTION_VERBS = ((re.compile(r"\b(?:set(?:s|ting)?\s+up|creat\w*|found(?:s|ed|ing)|"
                                r"launch\w*)\b", re.I), "establish"),
                    (re.compile(r"\b(?:renew\w*|prolong\w*)\b", re.I), "extend"))


@lru_cache(maxsize=1 << 15)
def spelt_out(text: str) -> str:
    """The text with each R2P abbreviation followed by the words it stands for, so that
    lexical search finds the documents that spell it out ("r2p" -> "r2p responsibility to
    protect"); a UN abbreviation or its long form is followed by the other ("UN" and "United
    Nations" then share their terms); a plain verb for what a resolution did, by the verb
    resolutions use ("set up" -> "establish")."""
    text = R2P_ANY_CASE.sub(lambda m: f"{m.group()} responsibility to protect", text)
    low = text.lower()
    other = [long for short, long in UN_ABBREVIATIONS if _SHORT[short].search(text)] + \
        list({long: short for short, long in reversed(UN_ABBREVIATIONS) if long in low}.values())
    other += [verb for pattern, verb in RESOLUTION_VERBS
              if pattern.search(text) and verb not in low]
    return f"{text} {' '.join(other)}" if other else text


# who a list question says the list is from ("according to the ICRtoP page", "does ICRtoP
# say"): a source, not what the items share; a name is capitalised, whatever case the rest is
_SOURCE = r"(?:the\s+)?(?:icrtop|coalition|(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))(?:'s)?"
ATTRIBUTION = re.compile(
    rf"\b(?:according to|per|as per|in the view of|says?|said by)\s+{_SOURCE}"
    r"(?:\s+\w+){0,3}?(?=[,?.]|$)"
    rf"|\b(?:does|do|did)\s+{_SOURCE}\s+(?:say|list|name|mention)\b", re.IGNORECASE)


_R2P = r"(?:r2p|rtop|r to p|respons\w*\s+to\s+protect)"
_SPEECHES = r"(?:speech|speeches|statement|statements|address|addresses|remarks)"
_SPEAKERS = r"(?:states|countries|countires|nations|governments|goverments|delegations|members)"
# R2P said of the documents or of the speakers, not of what the list asks about: "in speeches
# that also mention R2P", "whose R2P speeches refer to ...", "of the countries that raised R2P
# in 2014, which ones also talked about ..."
NORM_OF_DOCUMENTS = re.compile(
    rf"\b{_R2P}\s+{_SPEECHES}\b"
    rf"|\b{_SPEECHES}\s+(?:(?:that|which|where|in\s+which)\s+)?(?:they\s+)?(?:also\s+)?\w+\s+"
    rf"(?:to\s+)?(?:the\s+)?{_R2P}"
    rf"|\b{_SPEAKERS}\s+(?:that|which|who)\s+(?:\w+\s+){{1,3}}?(?:the\s+)?{_R2P}\b.*\balso\b"
    rf"|\bof\s+the\s+{_SPEAKERS}\s+(?:that|which|who)\s+(?:\w+\s+){{1,3}}?(?:the\s+)?{_R2P}\b",
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
    speaker = None if is_list else find_speaker(rest)
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
    states = find_states(rest)
    focus = re.sub(r"\s+", " ", rest).strip(" ,?.") or text
    norm = asks_about_r2p(text)
    # "R2P" asks what "the responsibility to protect" asks: the same terms
    terms = [t for t in content_terms(spelt_out(focus)) if not R2P_ANY_CASE.fullmatch(t)]
    said = ATTRIBUTION.sub(" ", re.sub(r"\([^)]*\)", " ", rest_of_list))
    said = NEXT_YEAR.sub(" ", said)
    relation = tuple(t for t in content_terms(said) if t not in LIST_NOUNS and t not in SPEAKING
                     and t not in ("year", "years")
                     and t not in R2P_WORDS and t not in ABOUT and not t.isdigit()
                     and not (kind == "list-documents" and t in ISSUING))
    phrases = tuple(dict.fromkeys(name_phrases(said, relation) + quoted_phrases(said,
                                                                              relation)))
    alternatives = conjuncts(said, relation)
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
        language=detect_language(text),
        doc_type_hint=hint, members=tuple(sorted(members or ())),
        norm_of_documents=norm and bool(relation) and bool(NORM_OF_DOCUMENTS.search(text)),
        inferred_years=("year_from" in hard and given.year_from is None
                        and given.year_to is None and not session and not states
                        and not DOC_WORDS.search(rest)))


def conjuncts(text: str, relation: tuple[str, ...]
              ) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The relation words on either side of each "or" (or "/"): the run of relation words
    next to it, leading small words skipped ("the legal arm or a core element"); the right
    side takes in a relative clause that follows it ("the mediation that helped resolve it")."""
    tokens = _CONJUNCT_TOKEN.findall(text.lower())
    found = []
    for i, token in enumerate(tokens):
        if token not in ("or", "/"):
            continue
        left, _ = _run(tokens[i - 1 :: -1] if i else [], relation)
        right, end = _run(tokens[i + 1 :], relation)
        rest = tokens[i + 1 + end :]
        if right and rest and rest[0] in RELATIVE:
            right += tuple(t for t in _clause(rest) if t in relation)
        if left and right:
            found.append((left[::-1], right))
    return tuple(found)


def _run(tokens: list[str], relation: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    """The relation words at the start of ``tokens``, after any small words; and how many
    tokens they and the small words took."""
    run: list[str] = []
    for n, token in enumerate(tokens):
        if token in relation:
            run.append(token)
        elif run or not (token in STOPWORDS or token in LIST_NOUNS):
            return tuple(run), n
    return tuple(run), len(tokens)


def _clause(tokens: list[str]) -> list[str]:
    """The tokens up to the next punctuation or "or"."""
    end = next((i for i, t in enumerate(tokens) if not t[0].isalnum() or t == "or"),
               len(tokens))
    return tokens[:end]


def name_phrases(text: str, relation: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Runs of two or more capitalised relation words: a proper name ("Global Centre", "Focal
    Points"), which a quote must show as a phrase, not word by word; not a state's name
    ("Salvadorian" answers "El Salvador"). A question written in title case names nothing
    this way."""
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", text))
    if sum(w.group()[0].isupper() for w in words) * 2 > len(words):
        return ()
    phrases, run = [], []
    for m in [*words, None]:
        word = m.group() if m else ""
        if word[:1].isupper() and word.lower() in relation:
            run.append(word.lower())
            continue
        if run and word in NAME_JOINS:  # "Treaty on the Prohibition of ..."
            continue
        if len(run) >= 2 and not countries.resolve_state(" ".join(run)):
            phrases.append(tuple(run))  # a state's name is the state's, however written
        run = []
    return tuple(phrases)


QUOTED = re.compile(r"[\"“‘']([^\"“”‘’']{3,80})[\"”’']")


# a word asked about as a word: "used the abbreviation R2P", "the acronym RtoP"
AS_A_WORD = re.compile(r"\b(?:abbreviation|acronym|term|word|expression)\s+[\"'‘“]?"
                       r"([A-Za-z]*[A-Z0-9][\w-]*)\b")


def quoted_phrases(text: str, relation: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """What the question quotes ("spoke of 'human security'"): a phrase a quote must show
    word for word, its relation words in order."""
    out = []
    for m in QUOTED.finditer(text):
        words = tuple(w for w in content_terms(m.group(1)) if w in relation)
        if len(words) >= 2:
            out.append(words)
    return tuple(out)


NAME_JOINS = frozenset({"of", "on", "the", "and", "for", "in", "to"})
_JOIN = rf"(?:\s+(?:{'|'.join(sorted(NAME_JOINS))}))*\s+"


def shows_phrase(phrase: tuple[str, ...], text: str) -> bool:
    """The words of the phrase in a row, each by its stem ("focal points" for "Focal Point"),
    the small words of a name allowed between ("Treaty on the Prohibition of Nuclear
    Weapons")."""
    pattern = _JOIN.join(rf"{re.escape(term_key(w))}\w*" for w in phrase)
    return re.search(rf"\b{pattern}", text, re.IGNORECASE) is not None


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
