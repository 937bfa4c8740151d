"""Who speaks in a question: the state whose speech is asked about ("what did Croatia say",
"Botswana's 2022 statement"), not a state the question is about."""

from __future__ import annotations

import re

from indexer import countries
from search_api.words import STOPWORDS

# what makes "the 63rd session" its General Debate, not the Assembly's resolutions of that session
SPEECH_CONTEXT = re.compile(
    r"\b(?:general\s+debates?|speech(?:es)?|statements?|said|say|says|told|tell|delegations?|"
    r"speakers?|address(?:es|ed)?|spoke|speak\w*|mention\w*|talk\w*|invok\w*|rais\w*)\b",
    re.IGNORECASE)
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


def find_speaker(text: str, named_document: bool = False) -> str | None:
    """The ISO3 code of the one state the question names as the speaker, if any; a pronoun
    ("what did it call on states to do") speaks for the state only when the question names no
    document, whose words it would otherwise be ("res 591 (1986) ... what did it call for")."""
    for candidate in (text, text.title()):
        mentions = [m for m in countries.find_states(candidate)
                    if m.surface.lower() not in STOPWORDS and not m.adjective]
        speakers = {m.iso3 for m in mentions if _speaks(text, m.start, m.end)
                    and not (len(mentions) > 1 and JOINED.match(text[m.end:]))}
        if not speakers and not named_document and len({m.iso3 for m in mentions}) == 1 \
                and PRONOUN_SPEAKS.search(text):
            speakers = {mentions[0].iso3}
        if mentions:
            return speakers.pop() if len(speakers) == 1 else None
    return None
