"""The claim check of written answers: splitting into sentences, markers, and each gate."""

from __future__ import annotations

import pytest

from search_api.claims import Checker, Claim, cited_numbers, named, split_claims

EVIDENCE = [
    {"n": 1, "quote": "Demands that Iraq, as a contribution to removing the threat, immediately "
                      "end this repression;", "citation": "S/RES/688 (1991), para. 2",
     "symbol": "S/RES/688 (1991)", "doc_type": "security-council-resolution", "year": 1991},
    {"n": 2, "quote": "Croatia also upholds the responsibility to protect, as adopted by "
                      "consensus in the 2005 World Summit outcome document.",
     "citation": "Statement by Croatia, UN General Assembly, 76th session, General Debate (2021)",
     "state": "Croatia", "doc_type": "general-debate-statement", "year": 2021},
    {"n": 3, "quote": "Condemns the repression of the Iraqi civilian population, including in "
                      "Kurdish-populated areas;", "citation": "S/RES/688 (1991), para. 1",
     "doc_type": "security-council-resolution"},
]


@pytest.mark.parametrize(("text", "numbers"), [
    ("a [1]", (1,)), ("a [1, 3]", (1, 3)), ("a [2-4]", (2, 3, 4)), ("a [1][2]", (1, 2)),
    ("a [2] and [2]", (2,)), ("no marker", ()),
])
def test_markers(text: str, numbers: tuple[int, ...]) -> None:
    assert cited_numbers(text) == numbers


def test_split_keeps_markers_with_their_sentence_and_lines_as_items() -> None:
    reply = ("Croatia upholds R2P [2]. The Council demanded an end to repression. [1] "
             "It has no marker.\n- Croatia: upholds it [2]\n2. Iraq - must end repression [1]")
    claims = split_claims(reply)
    assert [c.cites for c in claims] == [(2,), (1,), (), (2,), (1,)]
    assert claims[1].text == "The Council demanded an end to repression. [1]"
    assert [c.item for c in claims] == [None, None, None, "Croatia", "Iraq"]
    assert claims[0].bare == "Croatia upholds R2P."


@pytest.mark.parametrize(("sentence", "why"), [
    ("Croatia upholds the R2P norm agreed by consensus in 2005 [2].", None),
    ("The Security Council demanded that Iraq end the repression in 1991 [1].", None),
    ("The Council condemned repression in Kurdish areas [3].", None),
    ("Croatia upholds the responsibility to protect.", "no citation marker"),
    ("Croatia upholds the responsibility to protect [7].", "cites [7], which was not among"),
    ("Croatia upheld the responsibility to protect in 2009 [2].", "2009 is not in the cited"),
    ("Croatia and Denmark uphold the responsibility to protect [2].", "'Denmark' is not named"),
    ("Croatia upholds it at the Human Rights Council [2].", "'Human Rights Council' is not"),
    ("Three states uphold the responsibility to protect [2].", "'Three' is not stated"),
    ("Croatia wants sanctions, tribunals and peacekeepers everywhere [2].", "content words"),
])
def test_each_gate(sentence: str, why: str | None) -> None:
    [claim] = split_claims(sentence)
    reason = Checker().reason(claim, {e["n"]: e for e in EVIDENCE})
    assert (reason is None) if why is None else (why in reason)


def test_a_list_item_must_be_named_in_its_own_evidence() -> None:
    by_n = {e["n"]: e for e in EVIDENCE}
    assert Checker().reason(Claim("Croatia: upholds R2P [2]", (2,), "Croatia"), by_n) is None
    why = Checker().reason(Claim("Croatia: upholds R2P [1]", (1,), "Croatia"), by_n)
    assert why == "the item 'Croatia' is not named in its cited evidence [1]"
    assert named("S/RES/688 (1991)", "S/RES/688 (1991), para. 2")
    assert named("Republic of Croatia", "Statement by Croatia")


def test_meaning_far_from_the_quote_is_dropped() -> None:
    def embed(texts):  # the claim orthogonal to every quote
        import numpy as np

        return np.array([[1.0, 0.0]] + [[0.0, 1.0]] * (len(texts) - 1))

    claim = Claim("Croatia upholds the responsibility to protect [2].", (2,))
    reason = Checker(embed=embed).reason(claim, {e["n"]: e for e in EVIDENCE})
    assert reason == "its meaning is far from the cited quote [2] (similarity 0.00)"
