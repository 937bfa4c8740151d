"""What the items of a list answer must share (``Question.relation``): the question's words
once the list noun, the verbs of speaking, the source it cites ("according to ICRtoP") and the
constraints are set aside; the names in it, shown word for word; the two sides of an "or"."""

from __future__ import annotations

import functools
import re

from indexer import countries
from search_api.words import STOPWORDS, content_terms, term_key

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
    spoke talked told tells telling""".split()
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
# who a list question says the list is from ("according to the ICRtoP page", "does ICRtoP
# say"): a source, not what the items share; a name is capitalised, whatever case the rest is
_SOURCE = r"(?:the\s+)?(?:icrtop|coalition|(?-i:[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*))(?:'s)?"
ATTRIBUTION = re.compile(
    rf"\b(?:according to|per|as per|in the view of|says?|said by)\s+{_SOURCE}"
    r"(?:\s+\w+){0,3}?(?=[,?.]|$)"
    rf"|\b(?:does|do|did)\s+{_SOURCE}\s+(?:say|list|name|mention)\b", re.IGNORECASE)


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


# an abbreviation before a name whose owner it says: "the UNDP Human Development Report", "the
# OSCE Minsk Group", "the ICC Rome Statute"; documents name them without it as often as with
QUALIFIER = re.compile(r"\b([A-Z]{2,6})\s+(?=[A-Z][a-z][\w'’-]*\s+[A-Z][a-z])")


def qualifiers(text: str) -> frozenset[str]:
    """The abbreviations, lower case, that qualify a name the text writes after them."""
    return frozenset(m.group(1).lower() for m in QUALIFIER.finditer(text))


def name_phrases(text: str, relation: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Runs of two or more capitalised relation words: a proper name ("Global Centre", "Focal
    Points"), which a quote must show as a phrase, not word by word; not a state's name
    ("Salvadorian" answers "El Salvador"). A question written in title case names nothing
    this way."""
    words = list(re.finditer(r"[A-Za-z][\w'’-]*", text))
    if sum(w.group()[0].isupper() for w in words) * 2 > len(words):
        return ()
    phrases, run = [], []
    end = 0
    for m in [*words, None]:
        word = m.group() if m else ""
        if m and text[end:m.start()].strip():  # "ISIL / the Islamic State": two names
            if len(run) >= 2 and not countries.resolve_state(" ".join(run)):
                phrases.append(tuple(run))
            run = []
        end = m.end() if m else end
        if word[:1].isupper() and word.lower() in relation:
            run.append(word.lower())
            continue
        if run and word in NAME_JOINS:  # "Treaty on the Prohibition of ..."
            continue
        if len(run) >= 2 and not countries.resolve_state(" ".join(run)):
            phrases.append(tuple(run))  # a state's name is the state's, however written
        run = []
    return tuple(phrases)


def relation_runs(text: str, relation: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    """Runs of two or more relation words in a row in the question, small words of a name
    allowed between ("law of the sea"): each run's words and its words as written, the
    longest first, then the shorter runs within it (each one word shorter at either end)."""
    runs: list[tuple[tuple[str, ...], str]] = []
    run: list[re.Match[str]] = []
    for m in [*re.finditer(r"[A-Za-z][\w'’-]*", text), None]:
        word = m.group().lower() if m else ""
        if m and run and not text[run[-1].end():m.start()].strip() and (
                word in relation or word in NAME_JOINS):
            run.append(m)
            continue
        content = [r for r in run if r.group().lower() in relation]
        for size in range(len(content), 1, -1):
            for first in dict.fromkeys((0, len(content) - size)):
                part = content[first:first + size]
                runs.append((tuple(r.group().lower() for r in part),
                             text[part[0].start():part[-1].end()]))
        run = [m] if m and word in relation else []
    return runs


# not an apostrophe inside a word: "rhodesia's hostile acts ... assess botswana's needs"
QUOTED = re.compile(r"(?<!\w)[\"“‘']([^\"“”‘’']{3,80})[\"”’'](?!\w)")
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


# the small words between a name's or a quoted phrase's words ("swords into ploughshares")
NAME_JOINS = frozenset({"of", "on", "the", "and", "for", "in", "to", "into", "a", "an", "by",
                        "with", "from", "at"})
_JOIN = rf"(?:(?:\s+(?:{'|'.join(sorted(NAME_JOINS))}))*\s+|\s*-\s*)"  # or "Molotov-Ribbentrop"


def shows_phrase(phrase: tuple[str, ...], text: str) -> bool:
    """The words of the phrase in a row, each by its stem ("focal points" for "Focal Point"),
    the small words of a name allowed between ("Treaty on the Prohibition of Nuclear
    Weapons")."""
    return _phrase(phrase).search(text) is not None


@functools.lru_cache(maxsize=1024)
def _phrase(phrase: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b" + _JOIN.join(rf"{re.escape(term_key(w))}\w*" for w in phrase),
                      re.IGNORECASE)
