"""Does a sentence invoke the Responsibility to Protect norm, or only use the words?

"responsibility to protect the planet / our oceans / future generations" is not the R2P norm;
"the responsibility to protect", "R2P", "RtoP", and "responsibility to protect populations from
genocide ..." are.
"""

from __future__ import annotations

import re

ABBREVIATION = re.compile(r"\b(?:R2P|RtoP|R to P)\b")
PHRASE = re.compile(r"responsibilit(?:y|ies)\s+to\s+protect\b", re.IGNORECASE)
ATROCITIES = re.compile(
    r"genocide|war crimes|ethnic cleansing|crimes against humanity|atrocit|mass killing",
    re.IGNORECASE,
)
NORM_CONTEXT = re.compile(
    r"(?:principle|concept|doctrine|norm|notion|pillars?|agenda|framework)\s+(?:of\s+)?(?:the\s+)?"
    r"$", re.IGNORECASE,
)
# what follows the phrase when it is used as a noun: "we support the responsibility to protect."
NOUN_USE = re.compile(
    r"^\s*(?:[.;:)\]]|\(|,\s*(?:which|as|adopted|including|and|in|the|a|an|we|it)\b|and\b|"
    r"as\b|is\b|was\b|has\b|must\b|in\b|at\b|remains\b|should\b|$)",
    re.IGNORECASE,
)
# the norm's own object: "the responsibility to protect (civilian) populations"
POPULATIONS = re.compile(r"^\s*(?:the\s+|their\s+|its\s+)?(?:own\s+)?(?:civilian\s+)?populations\b",
                         re.IGNORECASE)
OTHER_OBJECT = re.compile(
    r"^\s*(?:and\s+\w+\s+)?(?:the|our|its|their|this|that|these|his|her|a|all|every)?\s*"
    r"(?:planet|earth|ocean|oceans|seas?|environment|climate|nature|biodiversity|forests?|"
    r"future generations|generations|children|women|girls|rights|health|lives|life|"
    r"economy|heritage|interests|borders|territory|sovereignty|peace|citizens|nationals|"
    r"workers|migrants|refugees|family|families|integrity|resources|water|amazon|"
    r"the\s+(?:planet|earth|environment))\b",
    re.IGNORECASE,
)


def mentions_r2p(text: str) -> bool:
    """True when the text names R2P in any way (a question about the norm)."""
    return bool(ABBREVIATION.search(text) or PHRASE.search(text))


def is_r2p_norm(sentence: str) -> bool:
    """True when the sentence refers to the R2P norm, not to protecting something else."""
    if ABBREVIATION.search(sentence):
        return True
    for match in PHRASE.finditer(sentence):
        before = sentence[max(0, match.start() - 40) : match.start()]
        after = sentence[match.end() : match.end() + 60]
        if match.group(0)[0] == "R" and match.group(0).split()[-1][0] == "P":
            return True  # "Responsibility to Protect", capitalised as the norm's name
        if NORM_CONTEXT.search(before):
            return True
        if POPULATIONS.match(after):
            return True
        if NOUN_USE.match(after):
            return True  # the phrase used as a noun: "support the responsibility to protect."
        if OTHER_OBJECT.match(after) and not ATROCITIES.search(sentence):
            continue
        if ATROCITIES.search(sentence):
            return True
    return False
