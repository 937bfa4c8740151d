"""A sentence's footnotes, as UN resolutions write them: "Having considered the report of the
Secretary-General on the financing of the Mission 1/" refers to the note "1/ A/48/803." at the
foot of the page. A question that names a document and asks which document it cites is
answered by the note's symbol, quoted where it stands."""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.models import Hit
from indexer.stores import Store
from search_api.candidates import Candidate
from search_api.evidence import DocTexts
from search_api.question import Question
from search_api.symbols import SYMBOL, normalise_symbol
from search_api.words import stems, term_key

# "1/" in running text: not part of a symbol ("48/246") or a date ("1/2")
MARKER = re.compile(r"(?<![\w/.-])(\d{1,2})/(?=[\s,;.)]|$)")
NOTE_CHUNKS = 12  # passages either side of the sentence's own in which its note may stand


def note_span(text: str, start: int, end: int, words: frozenset[str] = frozenset()
              ) -> tuple[int, int] | None:
    """The span of the note that the sentence ``text[start:end]`` marks: the line opening with
    its "N/" after it (else the last before it: a note is given where it is first marked).
    Of several marks, the one after the words that share most ``words`` (term keys) with the
    question ("the oral report of the Advisory Committee 2/" for "the ACABQ's oral report")."""
    marks = list(MARKER.finditer(text, start, end))
    if not marks:
        return None
    opens = [start] + [m.end() for m in marks[:-1]]
    mark = max(zip(marks, opens, strict=True),
               key=lambda mo: len(stems(text[mo[1]:mo[0].start()]) & words))[0]
    note = re.compile(rf"(?m)^[ \t]*{mark.group(1)}/[ \t]+(\S[^\n]*?)\s*$")
    if found := note.search(text, end):
        return found.span(1)
    before = list(note.finditer(text, 0, start))
    return before[-1].span(1) if before else None


def written_symbols(text: str) -> list[str]:
    """The document symbols the text writes ("A/48/803.", "A/46/864-S/23501"), as written
    without the sentence's full stop."""
    return [m.group().rstrip(".,;") for m in SYMBOL.finditer(text) if m.group().count("/") >= 2]


def names_own_document(question: Question, c: Candidate) -> bool:
    """The question names the quote's document by its symbol: what it asks is another one."""
    meta = c.sentence.hit.meta
    return bool(meta and meta.symbol and normalise_symbol(meta.symbol) in question.symbols)


def cited_note(reader: Store, texts: DocTexts, question: Question, c: Candidate
               ) -> Candidate | None:
    """For a "which document" question naming the quote's document, the quote's note that
    gives a symbol, as a candidate of its own (quoted where it stands, in its passage)."""
    if question.answer_type != "document" or not names_own_document(question, c):
        return None
    s = c.sentence
    text = texts.get(s.doc_id)
    words = frozenset(term_key(t) for t in question.terms)
    span = note_span(text, s.start, s.end, words) if text else None
    if span is None or not written_symbols(text[span[0]:span[1]]):
        return None
    chunk = s.hit.chunk
    passages = reader.following([(chunk.doc_id, chunk.ordinal - 1 - NOTE_CHUNKS)],
                                2 * NOTE_CHUNKS + 1).values()
    home = next((p for p in passages if p.char_start <= span[0] and span[1] <= p.char_end), None)
    if home is None:
        return None
    hit = Hit(home, s.hit.score, s.hit.dense, s.hit.lexical, s.hit.meta)
    note = replace(s, hit=hit, start=span[0], end=span[1], text=text[span[0]:span[1]])
    return replace(c, sentence=note)
