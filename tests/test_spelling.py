"""A question respelt as the collection spells its words (pure; a set of words stands in for
the index's document frequencies)."""

from __future__ import annotations

from search_api.spelling import edits1, respell

HELD = {"security", "council", "guatemala", "dent", "countries", "mh 17", "which", "the",
        "in", "of", "2015", "flight", "said"}


def doc_freq(term: str) -> int:
    return int(term in HELD)


def held(words: list[str]) -> set[str]:
    return set(words) & HELD


def test_one_edit_covers_drops_swaps_changes_and_additions():
    assert {"security"} <= edits1("securty")  # a letter dropped
    assert "security" in edits1("secuirty")  # two swapped
    assert "guatemala" in edits1("guatamala")  # one changed
    assert "securty" not in edits1("securty")


def test_typos_take_the_collections_spelling_and_keep_their_case():
    assert respell("Which Securty Council?", doc_freq, held) == "Which Security Council?"
    assert respell("which countires in 2015", doc_freq, held) == "which countries in 2015"
    assert respell("Guatamala said", doc_freq, held) == "Guatemala said"


def test_a_letter_digit_name_is_written_as_the_collection_writes_it():
    assert respell("the flight MH17", doc_freq, held) == "the flight MH-17"


def test_short_words_and_unknown_names_stay_as_typed():
    assert respell("Deng said", doc_freq, held) == "Deng said"  # "dent" is one letter off
    assert respell("Wiesenthal said", doc_freq, held) == "Wiesenthal said"


def test_a_contraction_typed_without_its_apostrophe_gets_it_back():
    assert respell("which member didnt vote", doc_freq, held) == "which member didn't vote"
    assert respell("he couldnt attend", doc_freq, held) == "he couldn't attend"



def test_of_edits_the_index_counts_alike_one_the_collection_writes_wins() -> None:
    # the index counts words by stem: "resolution" and "resolutou" (a broken word) tie
    def by_stem(word: str) -> int:
        return 900 if word in ("resolution", "resolutou") else doc_freq(word)

    def held_stems(words: list[str]) -> set[str]:
        return {w for w in words if by_stem(w) > 0}

    assert respell("which resoluton", by_stem, held_stems) == "which resolutou"  # blind tie
    assert respell("which resoluton", by_stem, held_stems,
                   written=lambda w: w == "resolution") == "which resolution"
