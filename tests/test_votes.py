"""The states a resolution's vote record names, by the part of the vote asked about."""

from __future__ import annotations

import pytest

from search_api.votes import asked_vote, voters

RECORD = ("Adopted at the 1433rd meeting by 10 votes to 2 (Cuba, Yemen), with 3 abstentions "
          "(Algeria, France and India). One member (United States of America) did not "
          "participate in the voting.")


@pytest.mark.parametrize(("question", "kind"), [
    ("which members abstained on resolution 255?", "abstain"),
    ("who voted against resolution 82", "against"),
    ("which council member didnt take part in the vote on resolution 515?", "absent"),
    ("which states did not participate in the voting?", "absent"),
    ("which resolutions concern Cyprus?", None),
])
def test_the_part_of_the_vote_a_question_asks_about(question: str, kind: str | None) -> None:
    assert asked_vote(question) == kind


@pytest.mark.parametrize(("kind", "states"), [
    ("against", ["CUB", "YEM"]),
    ("abstain", ["DZA", "FRA", "IND"]),
    ("absent", ["USA"]),
])
def test_a_record_names_states_in_brackets_by_the_count_they_belong_to(kind, states) -> None:
    assert [iso3 for iso3, _ in voters(RECORD, kind)] == states


def test_a_unanimous_record_names_no_one() -> None:
    assert voters("Adopted unanimously at the 1382nd meeting.", "abstain") == []
