"""Site chrome of scraped web pages: lines repeated across a site, and trailing contact footers."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from indexer.edits import Edit, Lines, delete_line, iter_lines

MAX_CHROME_CHARS = 80
MAX_CHROME_WORDS = 10
MIN_SHARE = 0.5

# Generic web chrome recognised without repetition (share bars, sign-in links).
_GENERIC = re.compile(
    r"^(?:member sign in|sign in|log ?in|pdf print e-?mail|print e-?mail|share this|contact|"
    r"(?:facebook|twitter|instagram|linkedin|youtube)\s*:?\s*(?:join us|follow us)!?)$",
    re.I,
)
_CONTACT = re.compile(
    r"^(?:(?:phone|tel|telephone|fax|e-?mail)\s*:.*|contact(?: us)?|c/o .*|"
    r".*\b(?:suite|avenue|street|st\.|road|p\.?o\.? box)\b.*\d.*|.*\b\d{4,5}\b.*|"
    r"[A-Z][\w'. -]{0,40})$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.?!…,]['\"”’)]?$")


def _short(line: str) -> bool:
    return 0 < len(line) <= MAX_CHROME_CHARS and len(line.split()) <= MAX_CHROME_WORDS


def _norm(line: str) -> str:
    return " ".join(line.replace("\xa0", " ").split())


def find_site_chrome(texts: Sequence[str], *, min_share: float = MIN_SHARE) -> frozenset[str]:
    """Short lines that recur in at least ``min_share`` of the documents (and in two or more).

    Lines that end like a sentence are never chrome, so "Thank you." in many speeches survives.
    """
    if len(texts) < 2:
        return frozenset()
    need = max(2, math.ceil(min_share * len(texts)))
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update({_norm(line) for line in text.splitlines()})
    return frozenset(
        line
        for line, n in counts.items()
        if n >= need and _short(line) and not _SENTENCE_END.search(line)
    )


def keepers(texts: dict[str, str], chrome: frozenset[str]) -> dict[str, frozenset[str]]:
    """For each document (keyed by a sortable id), the chrome lines it keeps.

    Repeated chrome belongs in the index once: the first document, in key order, that holds a
    chrome line keeps it; every other document loses it.
    """
    lines_of = {key: {_norm(x) for x in text.splitlines()} for key, text in texts.items()}
    kept: dict[str, set[str]] = {key: set() for key in texts}
    for line in chrome:
        holder = next((key for key in sorted(texts) if line in lines_of[key]), None)
        if holder is not None:
            kept[holder].add(line)
    return {key: frozenset(lines) for key, lines in kept.items()}


def chrome_edits(text: str, chrome: frozenset[str]) -> list[Edit]:
    """Delete chrome lines, generic share/sign-in lines and a trailing contact footer."""
    lines = iter_lines(text)
    edits = [
        delete_line(ln)
        for ln in lines
        if (n := _norm(ln.text)) and (n in chrome or (_short(n) and _GENERIC.match(n)))
    ]
    edits.extend(delete_line(ln) for ln in _contact_footer(lines, chrome))
    return edits


def _contact_footer(lines: list[Lines], chrome: frozenset[str]) -> list[Lines]:
    """The trailing run of short address/phone lines, if it holds a phone/fax line or chrome."""
    block: list[Lines] = []
    for ln in reversed(lines):
        n = _norm(ln.text)
        if not n:
            block.append(ln)
            continue
        if _short(n) and (n in chrome or _CONTACT.match(n)) and not _SENTENCE_END.search(n):
            block.append(ln)
            continue
        break
    # a footer counts as chrome only when the site repeats it: a page's own contact block is
    # content (someone may ask for the address), and the first page holding repeated chrome
    # keeps it, so that it is in the index once (see keepers())
    has_anchor = any(_norm(ln.text) in chrome for ln in block)
    return block if has_anchor else []
