"""Does a sentence invoke the Responsibility to Protect norm, or only use the words?

The norm's name is a noun phrase; the same words with an object are a plain verb phrase
("a responsibility to protect the planet / our workers / their own citizens"). So the phrase
counts as the norm when it is named (an abbreviation, capitalised, in quotes, "the principle
of ..."), when it stands as a noun (nothing that can begin an object follows: punctuation, a
verb, a conjunction, a preposition), or when its object is the norm's own: populations,
civilians, a people, those who cannot protect themselves. Any other object counts only in a
sentence about atrocity crimes.
"""

from __future__ import annotations

import re
from functools import lru_cache

ABBREVIATION = re.compile(r"\b(?:R2P|RtoP|R to P)\b")
# not followed by a letter: "protection" is another word, but OCR'd quotes ("protectî") are not
PHRASE = re.compile(r"responsibilit(?:y|ies)\s+to\s+protect(?![a-z])", re.IGNORECASE)
QUOTES = "\"'“”‘’«»„"
ATROCITIES = re.compile(
    r"genocide|war crimes|ethnic cleansing|crimes against humanity|atrocit|mass killing",
    re.IGNORECASE,
)
NORM_CONTEXT = re.compile(
    r"(?:principle|concept|doctrine|norm|notion|pillars?|agenda|framework)\s+(?:of\s+)?(?:the\s+)?"
    r"$", re.IGNORECASE,
)
# what follows the phrase when it is a noun: a verb, a conjunction, a preposition, a relative
NOUN_USE = re.compile(
    r"^(?:as|is|are|was|were|has|have|had|must|should|will|would|can|could|may|might|shall|"
    r"remains?|applies|apply|becomes?|became|means?|requires?|entails?|constitut\w*|"
    r"adopted|agreed|endorsed|enshrined|embodied|set|contained|itself|"
    r"in|at|of|for|by|with|on|to|into|within|under|through|beyond|"
    r"that|which|while|when|where|whereas|if|than|but|yet|nor|so)\b",
    re.IGNORECASE,
)
DETERMINER = re.compile(r"^(?:the|a|an|its|their|this|that|these|our)\b", re.IGNORECASE)
# the norm's own object: "populations", "civilians", "the people of Syria", "those who ..."
NORM_OBJECT = re.compile(
    r"^(?:(?!(?:of|and|or|from|for)\b)[\w’'-]+\s+){0,3}?"  # a few words of the same phrase
    r"(?:populations?|civilians?|peoples?|persons|those|victims|innocents?|men|minorities)\b",
    re.IGNORECASE,
)
OWN_PEOPLE = re.compile(r"^(?:our|my)\b", re.IGNORECASE)  # a government's own


def mentions_r2p(text: str) -> bool:
    """True when the text names R2P in any way (a question about the norm)."""
    return bool(ABBREVIATION.search(text) or PHRASE.search(text))


@lru_cache(maxsize=1 << 15)  # a pure test of one sentence; lists scan the same ones often
def is_r2p_norm(sentence: str) -> bool:
    """True when the sentence refers to the R2P norm, not to protecting something else."""
    if ABBREVIATION.search(sentence):
        return True
    phrases = list(PHRASE.finditer(sentence))
    if not phrases:
        return False
    atrocities = bool(ATROCITIES.search(sentence))
    for match in phrases:
        before = sentence[max(0, match.start() - 40) : match.start()]
        after = sentence[match.end() : match.end() + 80]
        if atrocities or _named(match.group(0), before, after) or _noun_use(after) \
                or _norm_object(after.lstrip()):
            return True
    return False


def _named(phrase: str, before: str, after: str) -> bool:
    """Capitalised as a name, quoted, or "the principle/concept of ..."."""
    capitalised = phrase[0] == "R" and phrase.split()[-1][0] == "P"
    # a quote mark, or a mis-decoded one glued to the phrase ("ìresponsibility to protectî")
    quoted = any(c and (c in QUOTES or not (c.isspace() or c.isascii()))
                 for c in (before[-1:], after[:1]))
    return capitalised or quoted or bool(NORM_CONTEXT.search(before))


def _noun_use(after: str) -> bool:
    """Nothing that can begin an object follows the phrase."""
    rest = after.lstrip()
    if not rest or not rest[0].isalnum():
        # "protect, not overstep, the voices": a verb with an object after the aside
        return not re.match(r"^,\s*not\b", rest)
    if m := re.match(r"^(?:and|or)\s+", rest, re.IGNORECASE):
        # "and the protection of civilians" is a second noun; "and promote rights" a second verb
        return bool(DETERMINER.match(rest[m.end():]))
    return bool(NOUN_USE.match(rest))


def _norm_object(obj: str) -> bool:
    """The object the norm protects, not a government's own people or something else."""
    return bool(NORM_OBJECT.match(obj)) and not OWN_PEOPLE.match(obj)
