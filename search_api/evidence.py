"""Sentences from retrieved passages as quotable evidence, scored against a question."""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, replace

import numpy as np

from indexer.models import Hit
from indexer.stores import Store
from search_api.citations import cite

NO_EVIDENCE = "The corpus holds no evidence that answers this question."


@dataclass(frozen=True, eq=False)
class Sentence:
    """One sentence of a hit, with absolute offsets into its document's stored text."""

    hit: Hit
    rank: int
    start: int
    end: int
    text: str
    vector: np.ndarray
    sim: float = 0.0
    cover: float = 0.0

    @property
    def doc_id(self) -> str:
        return self.hit.chunk.doc_id

    def with_cover(self, cover: float) -> Sentence:
        """The sentence with its share of what the question asks (``dataclasses.replace``
        without its cost: a list question reads thousands of sentences)."""
        return Sentence(self.hit, self.rank, self.start, self.end, self.text, self.vector,
                        self.sim, cover)


# "(a)", "(ii)", "(1)", "a)", "-", "•": an item of the list a sentence ending in ":" opens
ITEM = re.compile(r"^\s*(?:\(?(?:[a-z]|[ivx]{1,5}|\d{1,2})\)|[•·▪\-–])\s", re.IGNORECASE)


def with_items(sentences: list[tuple[int, int, np.ndarray]], text: str, offset: int
               ) -> list[tuple[int, int, np.ndarray]]:
    """The sentences, and for a sentence that opens a list ("... both the following
    principles:") one more quote: it with the items that follow it in the passage, since the
    paragraph, not its first line, may be what answers (an item alone may answer too)."""
    out: list[tuple[int, int, np.ndarray]] = []
    for i, (start, end, _) in enumerate(sentences):
        j = i + 1
        if text[start - offset:end - offset].rstrip().endswith(":"):
            while j < len(sentences) and ITEM.match(text[sentences[j][0] - offset:]):
                j += 1
        if j > i + 1:
            merged = np.sum([v for _, _, v in sentences[i:j]], axis=0)
            out.append((start, sentences[j - 1][1],
                        (merged / (np.linalg.norm(merged) or 1.0)).astype(np.float32)))
    return sorted([*sentences, *out], key=lambda x: (x[0], x[1]))


def sentences_of(reader: Store, hits: list[Hit]) -> list[Sentence]:
    """Every sentence of every hit, in rank order, with its stored vector; a sentence that
    opens a list comes with its items."""
    stored: dict[str, list[tuple[int, int, np.ndarray]]] = defaultdict(list)
    for chunk_id, start, end, vector in reader.sentences([h.chunk.chunk_id for h in hits]):
        stored[chunk_id].append((start, end, vector))
    out, seen = [], set()
    for rank, hit in enumerate(hits):
        c = hit.chunk
        for start, end, vector in with_items(sorted(stored[c.chunk_id], key=lambda x: x[0]),
                                             c.text, c.char_start):
            if (c.doc_id, start, end) in seen:
                continue  # the same sentence in an overlapping chunk
            seen.add((c.doc_id, start, end))
            text = c.text[start - c.char_start : end - c.char_start]
            out.append(Sentence(hit, rank, start, end, text, vector))
    return out


class DocTexts:
    """Small cache of stored document texts, the ground truth every quote is checked against."""

    def __init__(self, reader: Store, size: int = 256) -> None:
        self.reader = reader
        self.size = size
        self._cache: OrderedDict[str, str] = OrderedDict()

    def get(self, doc_id: str) -> str:
        if doc_id in self._cache:
            self._cache.move_to_end(doc_id)
            return self._cache[doc_id]
        text = self.reader.document(doc_id).text
        self._cache[doc_id] = text
        if len(self._cache) > self.size:
            self._cache.popitem(last=False)
        return text

    def verified(self, doc_id: str, start: int, end: int, quote: str) -> bool:
        return self.get(doc_id)[start:end] == quote


class Citations:
    """Numbers citations in order of use; a quote that fails the span check is never added."""

    def __init__(self, texts: DocTexts, limit: int | None = None) -> None:
        self.texts = texts
        self.limit = limit  # at most this many citations (the request's k)
        self.items: list[dict] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def add(self, hit: Hit, start: int, end: int, quote: str, score: float) -> int | None:
        key = (hit.chunk.doc_id, start, end)
        if key in self._by_span:
            return self._by_span[key]
        if self.full or not self.texts.verified(hit.chunk.doc_id, start, end, quote):
            return None
        n = len(self.items) + 1
        self.items.append(citation_dict(n, hit, start, end, quote, score))
        self._by_span[key] = n
        return n

    @property
    def full(self) -> bool:
        return self.limit is not None and len(self.items) >= self.limit


def citation_dict(n: int, hit: Hit, start: int, end: int, quote: str, score: float) -> dict:
    """The answer contract's citation object (plus a few extra, additive fields)."""
    c, m = hit.chunk, hit.meta
    assert m is not None
    return {
        "n": n, "doc_id": c.doc_id, "title": m.title, "quote": quote, "char_start": start,
        "char_end": end, "page": c.page, "paragraph": c.paragraph,
        "citation": cite(m, page_label=c.page_label, page=c.page, paragraph=c.paragraph),
        "score": round(float(score), 4),
        "page_label": c.page_label, "chunk_id": c.chunk_id, "doc_type": m.doc_type,
        "date": m.date, "year": m.year, "state": m.state, "symbol": m.symbol,
        "publisher": m.publisher,
    }


def refusal(hits: list[Hit], texts: DocTexts, limit: int = 3) -> dict:
    """No evidence: say so, and list the nearest passages separately as "related"."""
    related = Citations(texts)
    for hit in hits[:limit]:
        c = hit.chunk
        related.add(hit, c.char_start, c.char_end, c.text, hit.dense or hit.score)
    return {"answer": NO_EVIDENCE, "refused": True, "items": [], "citations": [],
            "related": related.items}


# a sentence that opens like this leans on the one before it ("It was adopted in 2005.")
LEANS_BACK = re.compile(
    r"^(?:it|its|this|that|these|those|such|he|she|they|their|his|her|there|moreover|"
    r"furthermore|however|therefore|thus|indeed|hence|nonetheless|nevertheless|also|"
    r"in (?:that|this|those|these)|to (?:that|this) end|for (?:that|this) reason|as such|"
    r"that is why|this is why|in addition|likewise|similarly)\b", re.IGNORECASE)


def in_context(reader: Store, texts: DocTexts, s: Sentence) -> Sentence:
    """The sentence with the neighbour it leans on, in the same passage: the one before when
    it opens with a pronoun or connective, the one after when it ends in a colon or the next
    leans back on it, and what follows a sentence cut short (on a comma, inside parentheses).
    Still an exact span of the stored text."""
    spans = [(a, b) for _, a, b, _ in reader.sentences([s.hit.chunk.chunk_id])]
    if (s.start, s.end) not in spans:
        return s
    text = texts.get(s.doc_id)
    i = spans.index((s.start, s.end))
    start, end = s.start, s.end
    if i > 0 and LEANS_BACK.match(s.text) and not text[spans[i - 1][1]:start].strip():
        start = spans[i - 1][0]
    if i + 1 < len(spans) and not text[end:spans[i + 1][0]].strip() and (
            s.text.rstrip().endswith(":") or
            LEANS_BACK.match(text[spans[i + 1][0]:spans[i + 1][1]])):
        end = spans[i + 1][1]
    end = run_on(text, start, end)
    end = with_following_items(text, start, end)
    start, end = line_block(text, start, end)
    if (start, end) == (s.start, s.end):
        return s
    return replace(s, start=start, end=end, text=text[start:end])


RUN_ON = re.compile(r"[^.;]{0,300}?[.;](?=\s|$)")


def unfinished(quote: str) -> bool:
    """A quote cut before its end: it stops on a comma, or inside parentheses."""
    return quote.rstrip().endswith(",") or quote.count("(") > quote.count(")")


def run_on(text: str, start: int, end: int) -> int:
    """Where a quote cut short ("... with 2 abstentions (United Kingdom of Great Britain and
    Northern Ireland,") ends: at the next full stop or semicolon of the document, if near."""
    if not unfinished(text[start:end]):
        return end
    m = RUN_ON.match(text, end)
    return m.end() if m else end


# the next line of the document is an item of a list: a bullet, "(a)", "2."
NEXT_ITEM = re.compile(r"[ \t\xa0]*\n[ \t\xa0]*(?:[•·▪◦●\-–*]|\(?(?:[a-z]|[ivx]{1,5}|\d{1,2})\))"
                       r"[ \t\xa0][^\n]*")
MAX_ITEMS = 12


def with_following_items(text: str, start: int, end: int) -> int:
    """Where a quote that opens a list ("... from the following documents:") or ends on one of
    its items should end: after the items that follow it in the document, which may lie in
    the next passage; the quote stays an exact span of the text."""
    quote = text[start:end].rstrip()
    last_line = quote.rsplit("\n", 1)[-1]
    if not (quote.endswith(":") or ("\n" in quote and NEXT_ITEM.match("\n" + last_line))):
        return end
    for _ in range(MAX_ITEMS):
        if not (m := NEXT_ITEM.match(text, end)):
            break
        end = m.end()
    return end


SHORT_LINE = 60  # a line this short, without a full stop, is a line of a block (an address)
MIN_BLOCK, MAX_BLOCK = 3, 12


def _short(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= SHORT_LINE and not line.endswith((".", ";", ":", "?", "!"))


def line_block(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote that is one short line of a block of such lines (an address, a letterhead) is
    the whole block, between blank lines: "2594 AC, The Hague" alone says no street."""
    lo = text.rfind("\n", 0, start) + 1  # the quote's line
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    if "\n" in text[start:end] or not _short(text[lo:hi]):
        return start, end
    lines = 1
    while lines < MAX_BLOCK and lo > 0:  # the short lines before it
        before = text.rfind("\n", 0, lo - 1) + 1
        if not _short(text[before:lo - 1]):
            break
        lo, lines = before, lines + 1
    while lines < MAX_BLOCK and hi < len(text):  # and after it
        after = text.find("\n", hi + 1)
        after = len(text) if after < 0 else after
        if not _short(text[hi + 1:after]):
            break
        hi, lines = after, lines + 1
    if lines < MIN_BLOCK:
        return start, end
    block = text[lo:hi]
    return lo + len(block) - len(block.lstrip()), lo + len(block.rstrip())
