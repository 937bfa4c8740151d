"""Footnotes of UN resolutions: a sentence's "N/" mark and the note that gives its symbol."""

from __future__ import annotations

from search_api.footnotes import note_span, written_symbols
from search_api.words import term_key

TEXT = ("Having considered the report of the Secretary-General on the financing of the Mission 1/"
        " and the oral report of the Advisory Committee 2/ thereon,\n"
        "Recalling resolution 48/246 of 5 April 1994,\n______________\n\n"
        "1/ A/48/803.\n\n2/ See A/C.5/48/SR.59.\n\n"
        "Endorses the recommendations made by the Advisory Committee in its oral report; 2/\n")


def _note(sentence: str, question_words: str = "") -> str | None:
    start = TEXT.index(sentence)
    words = frozenset(term_key(w) for w in question_words.split())
    span = note_span(TEXT, start, start + len(sentence), words)
    return TEXT[span[0]:span[1]] if span else None


def test_a_mark_is_read_from_its_note_and_a_symbol_is_not_a_mark() -> None:
    preamble = TEXT.split("\n")[0]
    assert _note(preamble) == "A/48/803."  # the first mark, the question saying nothing more
    assert _note(preamble, "oral report advisory committee") == "See A/C.5/48/SR.59."
    assert _note("Recalling resolution 48/246 of 5 April 1994,") is None  # "48/246" marks none
    # marked again later, the note stands where it was first marked
    assert _note("Endorses the recommendations made by the Advisory Committee in its oral "
                 "report; 2/") == "See A/C.5/48/SR.59."


def test_the_symbols_a_note_writes() -> None:
    assert written_symbols("See A/C.5/48/SR.59.") == ["A/C.5/48/SR.59"]
    assert written_symbols("3/ A/46/864-S/23501, annex.") == ["A/46/864-S/23501"]
    assert written_symbols("The group of cooperating countries") == []
