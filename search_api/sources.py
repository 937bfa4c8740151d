"""Which document a question points at: by its symbol, its kind ("the blog post"), its
publisher in full or by an acronym ("according to ICRtoP"), the names it holds, and the words
its metadata describes it by."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from indexer.models import DocMeta
from search_api.question import R2P_WORDS, Question
from search_api.words import stems, term_key

R2P_KEYS = frozenset(term_key(w) for w in R2P_WORDS)


def mentions_symbol(symbol: str, text: str) -> bool:
    """The text refers to the symbol's document: "resolution 338 (1973)", "S/RES/338"."""
    number = symbol.split("/RES/")[-1] if "/RES/" in symbol else symbol
    return re.search(rf"(?<![\w/]){re.escape(number)}(?![\w/])", text) is not None


# the nouns by which a question names a kind of document ("the IJ Central blog post")
KIND_NOUNS = {"blog-post": r"\bblog|\bpost\b", "ngo-page": r"\bpage\b|\bwebsite\b",
              "general-debate-statement": r"\bspeech|\bstatement|\bgeneral debate",
              "security-council-resolution": r"\bresolution|\bunscr?\b",
              "document": r"\breport\b|\bdocument\b|\bpaper\b"}


NAME_GAPS = frozenset({"for", "the", "of", "and", "on", "in"})


def is_acronym(token: str, name: str) -> bool:
    """The token reads as prefixes of the name's words in order, small words optional:
    "icrtop" is I(nternational) C(oalition) R(esponsibility) to P(rotect)."""
    words = re.findall(r"[a-z]+", name.lower())

    def fits(t: str, i: int) -> bool:
        if not t:
            return i == len(words) or all(w in NAME_GAPS for w in words[i:])
        if i == len(words):
            return False
        w = words[i]
        if w in NAME_GAPS and fits(t, i + 1):
            return True
        return any(t[:n] == w[:n] and fits(t[n:], i + 1) for n in range(1, min(len(w),
                                                                                len(t)) + 1))
    return len(token) >= 3 and len(words) >= 2 and fits(token.lower(), 0)


def source_named(text: str, meta: DocMeta | None) -> bool:
    """The question names the document's kind ("blog post") or its publisher, in full or by
    an acronym ("according to ICRtoP")."""
    return meta is not None and _names_source(text, meta.doc_type, meta.publisher or "")


@functools.lru_cache(maxsize=4096)
def _names_source(text: str, doc_type: str, publisher: str) -> bool:
    if (kind := KIND_NOUNS.get(doc_type)) and re.search(kind, text.lower()):
        return True
    return names_publisher(text, publisher)


@functools.lru_cache(maxsize=4096)
def names_publisher(text: str, publisher: str) -> bool:
    """The question names the publisher, in full or by an acronym ("according to ICRtoP");
    the words of R2P in its name are the topic of every question, not its name."""
    low = text.lower()
    own = [w for w in re.findall(r"[a-z]+", publisher.lower())
           if w not in NAME_GAPS and w not in ("responsibility", "protect")]
    if own and sum(w in low for w in own) >= max(2, 2 * len(own) // 3):
        return True
    return by_acronym(low, publisher)


@functools.lru_cache(maxsize=8192)
def by_acronym(low: str, publisher: str) -> bool:
    """The lower-cased question names the publisher by an acronym ("icrtop", "unsc")."""
    return any(is_acronym(t, publisher) for t in re.findall(r"[a-z][a-z0-9]{2,}", low)
               if t not in NAME_GAPS)


def names_in_document(question: Question, text: str, meta: DocMeta | None,
                      idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the question's names (by stem) found anywhere in the document or
    its metadata: the document that holds "Megan Schmidt" is the one that can say her role."""
    if not question.names:
        return 1.0
    held = " ".join([text, meta.title, meta.citation or "", meta.state or ""] if meta else
                    [text]).lower()
    total = sum(idf(n) for n in question.names)
    return sum(idf(n) for n in question.names
               if re.search(rf"\b{re.escape(term_key(n))}", held)) / total


@functools.lru_cache(maxsize=4096)  # a document's sentences all ask it
def describing(meta: DocMeta) -> frozenset[str]:
    """The stems of the words a document's metadata describes it by (title, citation, speaker,
    publisher, catalogue notes: "in their IJ Central post", "the ICRtoP page"); R2P's own
    words are what the whole collection is about, never a description of one document."""
    said = (meta.title, meta.citation, meta.state, meta.publisher, meta.notes)
    return stems(" ".join(x for x in said if x)) - R2P_KEYS
