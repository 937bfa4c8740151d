"""The values an answer is made of, found in a quote: dates and years, numbers that count
(not those that name: a date's day, "resolution 765"), a person's name (a titled name or a
capitalised pair that names no body, place or state), the name of a body ("Fifth
Committee")."""

from __future__ import annotations

import re
from collections.abc import Callable

from indexer import countries
from search_api.words import fold
from search_api.years import MONTHS

_MONTH = rf"(?:{MONTHS})"
DATE = re.compile(rf"\b\d{{1,2}}\s+{_MONTH}\s+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\b")
# a date without its day or without its year: "in September 1995", "On 18 April, ..."
PART_DATE = re.compile(rf"\b{_MONTH}\s+(?:19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}\b|"
                       rf"\b{_MONTH}\s+\d{{1,2}}\b(?!,?\s*\d)")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# numbers that name, not count: dates, years, symbols ("48/477"), numbered things ("resolution
# 765", "paragraph 4", footnote-like "A/HRC/...")
NOT_A_COUNT = re.compile(
    DATE.pattern + r"|" + YEAR.pattern + r"|\S*\d/\S*|\S*/\d\S*|\b(?:resolutions?|paragraphs?|"
    r"articles?|decisions?|chapters?|sections?|annex|item|meeting)\s+\d+(?:\s*\(\d{4}\))?",
    re.IGNORECASE)


def counts_in(text: str) -> str:
    """The text with every number that names rather than counts blanked (same length)."""
    return NOT_A_COUNT.sub(lambda m: " " * len(m.group()), text)


NUMBER = re.compile(r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
                    r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
                    r"thousand|million|billion)\b", re.IGNORECASE)


HOW_MANY = re.compile(r"\bhow\s+many\s+([^?.,;:]*)", re.IGNORECASE)
# where the counted noun ends: a verb, a preposition or an article ("how many troops did")
_NOT_COUNTED = frozenset("""did does do were was are is had have has could can will would
    should may might in of on from per by the a an to at under for with into that which who
    there""".split())
COUNTED_AFTER = 5  # words after a number that may name what it counts ("24 of its citizens")


def counted_words(question_text: str) -> tuple[str, ...]:
    """What "how many" counts, lower case: "how many NGOs took part" -> ("ngos", "took",
    "part"); up to three words, ending at a verb, a preposition or an article."""
    m = HOW_MANY.search(question_text)
    return _leading_words(m.group(1)) if m else ()


def _leading_words(phrase: str) -> tuple[str, ...]:
    """The phrase's first words, lower case: up to three, ending at a verb, a preposition or
    an article."""
    words: list[str] = []
    for w in re.findall(r"[\w'’-]+", phrase.lower()):
        if w in _NOT_COUNTED or len(words) == 3:
            break
        words.append(w)
    return tuple(words)


_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
          "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
ORDINAL = re.compile(
    r"\b\d+(?:st|nd|rd|th)\b|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    rf"(?:{'|'.join(_UNITS + _TENS)})\b", re.IGNORECASE)
WHICH = re.compile(r"\b(?:which|what)\s+([^?.,;:]*)", re.IGNORECASE)
NUMBERED_AFTER = 3  # words after an ordinal that may name what it numbers ("92nd plenary meeting")


def numbered_words(question_text: str) -> tuple[str, ...]:
    """What a "which" question asks the number of, lower case, its noun last: "at which
    plenary meeting was it adopted" -> ("plenary", "meeting"); up to three words, ending at a
    verb, a preposition or an article."""
    if HOW_MANY.search(question_text) or not (m := WHICH.search(question_text)):
        return ()
    return _leading_words(m.group(1))


def ordinals(text: str, numbered: tuple[str, ...], key: Callable[[str], str]
             ) -> list[tuple[int, int]]:
    """Spans of the numbers that name what is asked (``numbered_words``), with its noun: an
    ordinal before it, the question's words between ("92nd plenary meeting", "the fifth
    meeting" for "at which plenary meeting"), or a number after it ("item 165" for "under
    which agenda item")."""
    if not numbered:
        return []
    noun, words = key(numbered[-1]), {key(w) for w in numbered}
    found = []
    for m in ORDINAL.finditer(text):
        for w in list(re.finditer(r"[\w'’-]+", text[m.end():m.end() + 60]))[:NUMBERED_AFTER]:
            if key(w.group().lower()) == noun:
                found.append((m.start(), m.end() + w.end()))
            if key(w.group().lower()) not in words:
                break
    for m in re.finditer(r"([\w'’-]+)\s+(?:No\.\s*)?(\d+)\b(?![\d/.,]\d)", text):
        if key(m.group(1).lower()) == noun:
            found.append(m.span())
    return sorted(found)


def counting(text: str, counted: frozenset[str], key: Callable[[str], str]
             ) -> list[tuple[int, int]]:
    """Spans of the numbers that count what is asked: one of the counted words' stems
    (``key``) among the words after it ("7.000 unaccompanied foreign children")."""
    text = counts_in(text)
    return [m.span() for m in NUMBER.finditer(text) if any(
        key(w.lower()) in counted
        for w in re.findall(r"[\w'’-]+", text[m.end():m.end() + 80])[:COUNTED_AFTER])]


def counts(text: str, counted: frozenset[str], key: Callable[[str], str]) -> bool:
    """A number in the text counts what is asked (``counting``)."""
    return bool(counting(text, counted, key))


# the small words inside a name ("Guy Ladreit de Lacharrière", "Javier Pérez de Cuéllar")
PARTICLES = frozenset("de da del della di du van von der den la le dos das bin ibn".split())
_PARTICLE = rf"(?:(?:{'|'.join(sorted(PARTICLES))})\s+)?"
PERSON = re.compile(
    r"\b(?:Mr|Ms|Mrs|Dr|Sir|Judge|Madam|President|Secretary-General|Ambassador|Minister|"
    rf"Prime Minister|King|Queen|Pope|U)\.?\s+[A-Z][\w'’-]+(?:\s+{_PARTICLE}[A-Z][\w'’-]+){{0,3}}")
_LOWER = r"[^\W\dA-Z_]"  # a letter other than a capital A-Z: "Augustinčić", "Hammarskjöld"
CAPITAL_PAIR = re.compile(rf"(?<!^)(?<![.!?]\s)\b[A-Z]{_LOWER}+\s+(?:[A-Z]\.\s+)?[A-Z]{_LOWER}+")
# words that make a capitalised pair the name of a body, a place, a text or an event, not a
# person's ("United Nations", "Foreign Affairs", "Emergency Relief", "Resistance Army")
INSTITUTIONAL = frozenset("""
    nations council assembly affairs relief army representatives representative ministers
    ministry republic committee commission court union office organization organisation force
    forces mission programme program fund agency bank conference summit declaration charter
    convention treaty resolution resolutions government parliament secretariat group party front
    movement coalition centre center institute university board tribunal protocol act
    initiative network rights security peace development general states kingdom islands
    emergency special operation operations assistance observer justice international global
    national regional human world day year decade sea ocean river gulf africa african europe
    european asia asian america american middle east eastern west western north northern south
    southern central member members permanent foreign high prime deputy ambassador minister
    president chairman chair secretary agenda goals report plan strategy framework system law
    crimes criminal court republics federation federal democratic people peoples region zone
    province city island islands state executive director former new york civil the this
    avenue street road suite floor square plaza building
    that these those his her their our its""".split())
TITLES = frozenset("""mr ms mrs dr sir judge madam president secretary-general ambassador
    minister prime king queen pope mayor u""".split())


# the nouns that end or head the name of a body ("the Fifth Committee", "World Federalist
# Movement", "United Nations Observer Mission in El Salvador")
BODY_HEADS = frozenset("""committee commission council assembly court tribunal mission force
    office agency fund programme program organization organisation movement coalition institute
    union league group network centre center secretariat board bank conference authority
    alliance foundation federation association society observatory""".split())
_BODY = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:(?:of|for|on|in|to)(?:\s+the)?|and)\s+)?"
                   r"[A-Z][\w'’-]*)+")


def body_names(question_text: str, text: str) -> list[tuple[int, int]]:
    """Spans of the names of bodies in ``text``: capitalised runs holding a body's head noun
    ("Fifth Committee"), other than those the question says itself."""
    asked = question_text.lower()
    spans = [(m.start() + (4 if m.group().startswith("The ") else 0), m.end())
             for m in _BODY.finditer(text) if BODY_HEADS & {w.lower() for w in m.group().split()}]
    return [(a, b) for a, b in spans if text[a:b].lower() not in asked]


def said_in(words: list[str], asked: str) -> bool:
    """The question already names this person: one of the name's own words, however
    accented ("who replaced Judge Lacharrière" is not answered by him)."""
    said = set(re.findall(r"\w+", fold(asked.lower())))
    return any(w in said for w in re.findall(r"\w{3,}", fold(" ".join(words).lower()))
               if w not in PARTICLES)


def _owner(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span without a possessive ending: "Dr. Yavuz" of "Dr. Yavuz’s family"."""
    a, b = span
    return (a, b - 2) if text[a:b].endswith(("'s", "’s")) else span


# the offices a question may ask a person by ("the archbishop who read the statement"), and
# the office a titled name holds ("Ambassador Hédi Annabi"); Mr, Dr, Sir ... hold none
ROLES = re.compile(r"\b(?:(?:prime\s+|foreign\s+)?minister|president|ambassador|judge|king|"
                   r"queen|pope|mayor|secretary-general|archbishop|bishop|cardinal|director|"
                   r"officer|envoy|representative|rapporteur|chair(?:man|person|woman)?|"
                   r"commissioner|governor|prince|emir|sheikh|senator|professor|coordinator|"
                   r"blogger)s?\b", re.IGNORECASE)


ROLE_BEFORE = 80  # characters before a name in which an apposition gives its office


def _role(words: str) -> str:
    return re.sub(r"^(?:prime|foreign)\s+|s$", "", words.lower())


def in_another_role(question_text: str, text: str, span: tuple[int, int]) -> bool:
    """The name holds an office other than every one the question asks by: "Ambassador Hédi
    Annabi" is not "the archbishop who read the statement". A name without an office, or a
    question that names none, holds no other; nor does one the text gives the office asked
    just before ("the Special Representative for Afghanistan, Ambassador Kai Eide")."""
    asked = {_role(m.group()) for m in ROLES.finditer(question_text)}
    held = ROLES.match(text, span[0]) if PERSON.match(text, span[0]) else None
    if not asked or held is None or _role(held.group()) in asked:
        return False
    before = text[max(0, span[0] - ROLE_BEFORE):span[0]]
    return not any(_role(m.group()) in asked for m in ROLES.finditer(before))


def person_names(question_text: str, text: str,
                 common: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """Spans of what may be a person's name in ``text``: a titled name ("Mr. Kofi Annan"), else
    a capitalised pair, not inside a state's name; the name's own words (its title aside) name
    no state, body or place, and the question does not already say it. ``common`` says whether
    a word is a common word (one the collection also writes in lower case): a pair ending in
    one is a heading or a term ("Personal Envoy", "Paris Agreement", "Acting Chief"), not a
    name, whose last word is a surname, a word only names use."""
    asked = question_text.lower()

    def is_name(span: tuple[int, int], titled: bool) -> bool:
        words = text[span[0]:span[1]].split()
        while titled and words and words[0].lower().strip(".") in TITLES:  # "Prime Minister"
            words = words[1:]
        plain = {w.lower().strip(".,'’") for w in words}
        return bool(words) and not (plain & (INSTITUTIONAL | TITLES)) \
            and not countries.find_states(" ".join(words)) \
            and not said_in(words, asked) \
            and not text[span[1]:span[1] + 1].isalpha()  # "United King|dom"
    titled = [_owner(text, m.span()) for m in PERSON.finditer(text) if is_name(m.span(), True)]
    if titled:
        return titled
    states = [(m.start, m.end) for m in countries.find_states(text)]  # "Union of Soviet
    return [_owner(text, m.span()) for m in CAPITAL_PAIR.finditer(text)
            if is_name(m.span(), False) and not (
        common and common(m.group().split()[-1])) and not any(
        a < m.end() and m.start() < b for a, b in states)]  # Socialist Republics": a state
