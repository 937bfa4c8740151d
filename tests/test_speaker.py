"""speaker.find_speaker: the state whose speech a question asks about (no model needed)."""

from __future__ import annotations

import pytest

from search_api.speaker import acting_state, find_speaker


@pytest.mark.parametrize(("text", "speaker"), [
    ("What did Croatia say about the responsibility to protect?", "HRV"),
    ("Botswana's 2022 statement on R2P", "BWA"),
    ("belgium 2011 speech: which french writer did it quote?", "BEL"),
    ("China's position on R2P in the 2005 general debate", "CHN"),
    # a state the question is about, or two states, is no one speaker
    ("When did Italy ratify the Rome Statute?", None),
    ("What did Germany or France say about Libya?", None),
    ("Which states talked about Syria?", None),
])
def test_the_speaker_is_the_state_whose_words_are_asked_for(text, speaker) -> None:
    assert find_speaker(text) == speaker


def test_it_speaks_for_the_one_state_named_unless_a_document_is() -> None:
    text = "croatia 2016: what did it say about refugees?"
    assert find_speaker(text) == "HRV"
    # "res 591 (1986) ... what did it call on states to do": the resolution's words
    assert find_speaker("what did it call on states to prohibit regarding South Africa?",
                        named_document=True) is None


def test_a_state_acting_is_the_subject_of_the_verb() -> None:
    assert acting_state("what conditions did Uganda attach to R2P?")
    assert not acting_state("what happened in Uganda in 2005?")
