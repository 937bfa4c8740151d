"""Values read from quotes: people's names and the numbers that count what is asked."""

from __future__ import annotations

import pytest

from search_api.spans import counted_words, counts, in_another_role, person_names
from search_api.words import term_key

RECORD = "Noting with regret the death of Judge Guy Ladreit de Lacharrière on 10 March 1987,"


def test_a_name_keeps_its_small_words() -> None:
    found = [RECORD[a:b] for a, b in person_names("who died?", RECORD)]
    assert found == ["Judge Guy Ladreit de Lacharrière"]


def test_the_person_a_question_names_is_not_its_answer_however_it_is_accented() -> None:
    assert person_names("who was elected to replace judge lacharriere?", RECORD) == []
    assert person_names("who replaced Judge Ladreit?", RECORD) == []


def test_a_name_in_another_office_than_the_one_asked_is_not_the_answer() -> None:
    def others(question: str, text: str) -> list[str]:
        return [text[a:b] for a, b in person_names(question, text)
                if in_another_role(question, text, (a, b))]

    thanks = "We thank Ambassador Hédi Annabi and Mr. Jan Eliasson for their work."
    assert others("name the archbishop who read the statement", thanks) == [
        "Ambassador Hédi Annabi"]  # Mr. holds no office: he may be the one asked for
    assert others("which ambassador did they thank?", thanks) == []
    assert others("who did they thank?", thanks) == []  # no office asked
    # the office asked may stand just before a name that carries another
    support = ("our full support for the Special Representative of the Secretary-General for "
               "Afghanistan, Ambassador Kai Eide, and")
    assert others("who was the special representative for afghanistan?", support) == []
    assert others("which judge did they support?", support) == ["Ambassador Kai Eide"]


@pytest.mark.parametrize(("question", "counted"), [
    ("How many NGOs took part in the consultation?", ("ngos", "took", "part")),
    ("how many people were held in italian prisons", ("people",)),
    ("roughly how many member states voted in favour", ("member", "states", "voted")),
    ("what was the vote on resolution 242", ()),
])
def test_what_how_many_counts(question: str, counted: tuple[str, ...]) -> None:
    assert counted_words(question) == counted


def test_a_number_counts_what_is_asked_only_beside_it() -> None:
    text = "In July 2009 the Committee reported about 7.000 unaccompanied foreign children."

    def asked(question: str) -> frozenset[str]:
        return frozenset(map(term_key, counted_words(question)))

    assert counts(text, asked("how many unaccompanied children were there?"), term_key)
    assert not counts(text, asked("how many NGOs took part in July 2009?"), term_key)
    assert not counts(text, asked("how many committees reported in 2009?"), term_key)  # a year


def test_a_pair_inside_a_states_name_is_no_one() -> None:
    text = "Adopted by 9 votes, with 2 abstentions (Union of Soviet Socialist Republics, Syria)."
    assert person_names("who was it?", text) == []


def test_a_pair_ending_in_a_common_word_is_a_term_not_a_name() -> None:
    def common(word: str) -> bool:
        return word.lower() in {"agreement", "acting", "chief", "personal", "envoy"}

    text = "Luxembourg ratified the Paris Agreement; the Acting Chief thanked Jan Eliasson."
    assert [text[a:b] for a, b in person_names("who?", text, common)] == ["Jan Eliasson"]


def test_a_name_is_read_without_its_possessive() -> None:
    text = "My heart goes out to Dr. Yavuz’s family."
    assert [text[a:b] for a, b in person_names("who?", text)] == ["Dr. Yavuz"]


def test_how_many_is_answered_by_the_number_of_what_it_counts() -> None:
    from types import SimpleNamespace

    from search_api import compose
    from search_api.question import parse

    q = parse("how many unaccompanied minors were reported missing in italy?",
              answer_type="number")
    text = ("As of January 2019, 4,492 minors previously registered were reported missing. "
            "135 VIS noted a new law.")
    best = SimpleNamespace(sentence=SimpleNamespace(text=text),
                           hit=SimpleNamespace(meta=SimpleNamespace(doc_type="document")))
    assert compose.head(q, best) == "4,492"


@pytest.mark.parametrize("question, numbered", [
    ("at which plenary meeting did the general assembly adopt A/RES/48/246?",
     ("plenary", "meeting")),
    ("At which meeting was resolution 2 (1946) adopted?", ("meeting",)),
    ("what session of the assembly took it up", ("session",)),
    ("how many meetings did the council hold?", ()),  # a count, not a number that names
])
def test_what_a_which_question_asks_the_number_of(question: str,
                                                  numbered: tuple[str, ...]) -> None:
    from search_api.spans import numbered_words

    assert numbered_words(question) == numbered


def test_which_meeting_is_answered_by_the_ordinal_that_numbers_it() -> None:
    from types import SimpleNamespace

    from search_api import compose
    from search_api.question import parse
    from search_api.spans import ordinals

    text = "Decides to include it in the agenda of its forty-ninth session. 92nd plenary meeting"
    assert [text[a:b] for a, b in ordinals(text, ("plenary", "meeting"), term_key)] == [
        "92nd plenary meeting"]
    assert [text[a:b] for a, b in ordinals(text, ("session",), term_key)] == [
        "forty-ninth session"]
    assert ordinals("Adopted at the 5th meeting", ("session",), term_key) == []
    assert ordinals("its forty-ninth session the item", ("agenda", "item"), term_key) == []
    q = parse("at which plenary meeting did the general assembly adopt A/RES/48/246?",
              answer_type="number")
    assert q.numbered == ("plenary", "meeting")
    best = SimpleNamespace(sentence=SimpleNamespace(text="92nd plenary meeting 5 April 1994"),
                           hit=SimpleNamespace(meta=SimpleNamespace(doc_type="document")))
    assert compose.head(q, best) == "92nd plenary meeting"
    assert parse("how many meetings were held?", answer_type="number").numbered == ()


def test_which_item_is_answered_by_the_number_after_it() -> None:
    from search_api.spans import ordinals

    text = "A/RES/48/246 11 May 1994 Forty-eighth session Agenda item 165 RESOLUTION ADOPTED"
    assert [text[a:b] for a, b in ordinals(text, ("agenda", "item"), term_key)] == ["item 165"]
    assert ordinals("on 15 May 1994, item 16/2", ("item",), term_key) == []  # a symbol's part
