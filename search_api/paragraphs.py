"""How a resolution's paragraphs open: an operative paragraph acts ("Decides", "Condemns"), a
preambular one recalls and notes ("Recalling", "Deeply concerned")."""

from __future__ import annotations

import re

from search_api.words import STOPWORDS, term_key

# how a resolution's paragraphs open: preambular ones recall and note ("Recalling its
# resolution 733 (1992)", "Deeply concerned"), operative ones act ("Decides", "Strongly
# condemns", "Calls upon"); a paragraph number and an adverb may come first
PARAGRAPH_OPENING = re.compile(
    r"^\s*(?:\d{1,3}\s*[.,]\s*|\([a-z]\)\s*)?(?:(?:deeply|gravely|further|also|strongly|"
    r"seriously|profoundly|again|once again|hereby|urgently|solemnly|firmly|fully)\s+)?"
    r"([A-Za-z]+)", re.IGNORECASE)
PREAMBULAR_WORDS = frozenset(
    """having aware mindful conscious convinced concerned alarmed determined desirous noting
    recognizing recognising reaffirming recalling considering bearing taking welcoming
    expressing emphasizing emphasising stressing acknowledging affirming""".split())
OPERATIVE_WORDS = frozenset(
    """decides demands calls requests urges authorizes authorises condemns recommends
    establishes appeals invites affirms reaffirms welcomes endorses approves determines declares
    deplores expresses encourages commends insists notes takes reiterates emphasizes emphasises
    stresses underlines censures warns instructs directs extends adopts accepts regrets
    considers supports confirms agrees""".split())
NOT_PARTICIPLES = frozenset({"during", "bring", "according", "notwithstanding", "nothing",
                             "something", "everything", "king", "spring", "morning", "evening"})


def paragraph_role(text: str) -> str | None:
    """"operative", "preambular" or None, by the word a resolution's paragraph opens with."""
    m = PARAGRAPH_OPENING.match(text)
    word = m.group(1).lower() if m else ""
    if word in OPERATIVE_WORDS:
        return "operative"
    if word in PREAMBULAR_WORDS or (word.endswith("ing") and word not in NOT_PARTICIPLES
                                    and m and m.group(1)[0].isupper()):
        return "preambular"
    return None


ACTION_WORDS = 4  # "Decides to establish a ...": the words that say what a paragraph does


def acts_as_asked(text: str, asked: set[str]) -> bool:
    """An operative paragraph whose action is the one the question asks about: "Decides to
    establish ..." for "which resolution set up ...", "Extends the mandate" for "renewed"."""
    m = PARAGRAPH_OPENING.match(text)
    if not m or m.group(1).lower() not in OPERATIVE_WORDS:
        return False
    words = re.findall(r"[a-z]+", text[m.start(1):].lower())[:ACTION_WORDS]
    return any(term_key(w) in asked for w in words if w not in STOPWORDS)
