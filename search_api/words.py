"""The words of questions and documents: stopwords, a crude stem, the abbreviations a
question and a document may use for each other ("UN", "United Nations"), and a resolution's
verbs for plain ones ("set up" -> "establish")."""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

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
R2P_ANY_CASE = re.compile(r"\b(?:r2p|rtop|r to p)\b", re.IGNORECASE)  # users type "r2p"
WORD = re.compile(r"[a-z0-9]+")
KEY_LETTERS = 5  # a term key is the first five letters of the singular
WORD_ENDING = 5  # letters in which two words of one stem may differ ("-ation", "-ed")
TYPO_EDITS = 2


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _unaccented(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char)
                   if not unicodedata.combining(c)) or char


def fold(text: str) -> str:
    """The text without accents: "Côte d'Ivoire" as users type it, "Cote d'Ivoire"."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _unaccented(m.group()), text)


def content_terms(text: str) -> list[str]:
    """Lower-case content words, in order, without stopwords or accents."""
    return list(dict.fromkeys(w for w in WORD.findall(fold(text.lower()))
                              if w not in STOPWORDS and len(w) > 1))


# nouns whose first letters differ from their verb's, common in how resolutions record what
# was done ("with 3 abstentions" answers "who abstained")
IRREGULAR_STEMS = {"abste": "absta", "admis": "admit", "decis": "decid", "invas": "invad",
                   "expul": "expel"}


# Greek plurals in -es of nouns in -is: the plain rule would make "crises" "crise"
GREEK_PLURALS = {plural: plural[:-2] + "is" for plural in (
    "crises", "analyses", "emphases", "hypotheses", "theses", "diagnoses", "syntheses")}


def singular(word: str) -> str:
    """"votes" -> "vote", "cities" -> "city", "boxes" -> "box", "crises" -> "crisis";
    "status", "crisis", "process" and short words stay."""
    if word in GREEK_PLURALS:
        return GREEK_PLURALS[word]
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
    return IRREGULAR_STEMS.get(word[:KEY_LETTERS], word[:KEY_LETTERS])


@lru_cache(maxsize=8192)
def stems(text: str) -> frozenset[str]:
    """The term keys of the text's words, accents aside (cached: a sentence meets many sets
    of terms)."""
    return frozenset(map(term_key, WORD.findall(fold(text.lower()))))


@lru_cache(maxsize=8192)
def keyed(text: str) -> dict[str, set[str]]:
    """The text's words (singular, accents aside) by term key."""
    found: dict[str, set[str]] = {}
    for word in WORD.findall(fold(text.lower())):
        found.setdefault(term_key(word), set()).add(singular(word))
    return found


@lru_cache(maxsize=8192)
def long_keys(text: str) -> frozenset[str]:
    """The term keys of the text's words too long for their key to say them whole."""
    return frozenset(term_key(w) for w in WORD.findall(fold(text.lower()))
                     if len(w) > KEY_LETTERS + WORD_ENDING)


def shows_word(word: str, key: str, text: str) -> bool:
    """The text holds the word: a word of its term key that is the same word (``same_word``).
    Two words short enough for their key to say most of them need no look ("vote",
    "abstain")."""
    if key not in stems(text):
        return False
    if len(word) <= KEY_LETTERS + WORD_ENDING and key not in long_keys(text):
        return True
    return any(same_word(word, w) for w in keyed(text).get(key, ()))


@lru_cache(maxsize=1 << 16)
def same_word(a: str, b: str) -> bool:
    """Two words of one term key are one word when each differs from what they share by at
    most its last five letters ("protect", "protection"; "recommend", "recommendation"), by
    a typo ("responsability") or as the table of irregular stems says: "transnistria" is not
    "transformation", "islamophobia" not "islamic", nor "internal" "international"."""
    from rapidfuzz.distance import Levenshtein

    common = len(os.path.commonprefix((a, b)))
    if common < KEY_LETTERS:  # one key only by IRREGULAR_STEMS: "abstained", "abstention"
        return True
    return common >= max(len(a), len(b)) - WORD_ENDING or \
        Levenshtein.distance(a, b) <= TYPO_EDITS


def coverage(terms: list[str] | tuple[str, ...], sentence: str) -> float:
    """Share of the terms (by stem) that the sentence contains."""
    if not terms:
        return 0.0
    present = stems(sentence)
    keys = {term_key(t) for t in terms}
    return len(keys & present) / len(keys)


# UN abbreviations and the names they stand for: either form counts as the other
UN_ABBREVIATIONS = (("un", "united nations"), ("unsc", "security council"),
                    ("sc", "security council"), ("unga", "general assembly"),
                    ("ga", "general assembly"), ("sg", "secretary-general"),
                    ("icc", "international criminal court"))
_SHORT = re.compile(rf"\b(?:{'|'.join(short for short, _ in UN_ABBREVIATIONS)})\b", re.IGNORECASE)
LONG_FORM = dict(UN_ABBREVIATIONS)  # "sc" -> "security council"
SHORT_FORM: dict[str, str] = {}  # "security council" -> "unsc", the first abbreviation listed
for _short, _long in UN_ABBREVIATIONS:
    SHORT_FORM.setdefault(_long, _short)
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
    resolutions use ("set up" -> "establish"). Accents are dropped: the words are matched,
    never quoted."""
    text = R2P_ANY_CASE.sub(lambda m: f"{m.group()} responsibility to protect", text)
    low = text.lower()
    shorts = {m.lower() for m in _SHORT.findall(text)}
    other = [long for short, long in UN_ABBREVIATIONS if short in shorts] + \
        [short for long, short in SHORT_FORM.items() if long in low]
    other += [verb for pattern, verb in RESOLUTION_VERBS
              if pattern.search(text) and verb not in low]
    text = fold(text)
    return f"{text} {' '.join(other)}" if other else text
