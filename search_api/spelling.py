"""A question respelt as the collection spells its words, before it is parsed.

A word no passage holds is put right where one edit makes it a word the collection holds
("Securty" -> "Security", "countires" -> "countries"), or where the collection writes it apart
("MH17" -> "MH-17"). Short words are left as typed: a short name one letter from a common word
("Deng", "dent") is still a name, and an unknown name stays unknown (a refusal can say so).
"""

from __future__ import annotations

import re
from collections.abc import Callable

TYPO_MIN_LENGTH = 6
LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORD = re.compile(r"\b[^\W\d_][^\W_]+\b(?!['’])")  # not "couldn" of "couldn't"
LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def edits1(word: str) -> set[str]:
    """Every word one edit away: a letter deleted, two swapped, one replaced, one inserted."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    out |= {a + c + b for a, b in splits for c in LETTERS}
    return out - {word}


# a contraction typed without its apostrophe ("didnt", "couldnt")
CONTRACTION = re.compile(r"\b(could|would|should|did|does|do|is|was|were|has|have|had|are|ca|"
                         r"wo|must|need)nt\b", re.IGNORECASE)


def respell(text: str, doc_freq: Callable[[str], int],
            held_words: Callable[[list[str]], set[str]],
            written: Callable[[str], bool] | None = None) -> str:
    """The text with each word the collection lacks in the form it holds, if one is near;
    ``doc_freq(word)`` says how many passages hold a word or phrase, ``held_words(words)``
    which of many single words some passage holds (one look-up for all of a word's edits).
    Both count words by their stem; of edits that tie ("resolution", "resolutou"), one the
    collection writes as such (``written``) wins."""
    text = CONTRACTION.sub(lambda m: f"{m.group(1)}n't", text)
    words = sorted({m.group().lower() for m in WORD.finditer(text)})
    lacking = set(words) - held_words(words)  # one look-up for the whole question

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        low = word.lower()
        if low not in lacking:
            return word
        if LETTER_DIGIT.search(low):  # "MH17" where the collection writes "MH-17"
            apart = LETTER_DIGIT.sub(" ", low)
            return LETTER_DIGIT.sub("-", word) if doc_freq(apart) > 0 else word
        if len(word) < TYPO_MIN_LENGTH or not low.isalpha():
            return word
        held = [(doc_freq(e), e) for e in sorted(held_words(sorted(edits1(low))))]
        df, best = max(held, default=(0, ""))
        if df == 0:
            return word
        tied = [e for f, e in held if f == df]
        if len(tied) > 1 and written is not None:
            best = next((e for e in tied if written(e)), best)
        return best.capitalize() if word[0].isupper() else best

    return WORD.sub(fix, text)
