"""search_api.citations: citation text from metadata and locators only."""

from __future__ import annotations

import re

import pytest

from indexer.models import DocMeta
from search_api.citations import bibtex, bibtex_escape, cite, human_date, oscola

SPEECH = DocMeta(title="Statement by Croatia, 76th session of the UN General Assembly General "
                 "Debate (2021)", doc_type="general-debate-statement", state="Croatia",
                 state_iso3="HRV", session=76, year=2021,
                 publisher="United Nations General Assembly")
RES = DocMeta(title="Security Council resolution 688 (1991)",
              doc_type="security-council-resolution", symbol="S/RES/688 (1991)",
              citation="S/RES/688 (1991)", date="1991-04-05", year=1991,
              publisher="United Nations Security Council")
UPR = DocMeta(title="Summary of Stakeholders' submissions on Italy", symbol="A/HRC/WG.6/34/ITA/3",
              date="2019-08-14", year=2019, publisher="United Nations Human Rights Council")
SEED = DocMeta(title="RtoP in national policy papers and government focal points",
               doc_type="ngo-page", date="2011-02-02", year=2011,
               publisher="International Coalition for the Responsibility to Protect")


def test_cite_speech_built_from_fields() -> None:
    # No stored citation: built from state, session and year.
    assert cite(SPEECH) == ("Statement by Croatia, UN General Assembly, 76th session, "
                            "General Debate (2021)")


@pytest.mark.parametrize("paragraph, expected", [
    ("3", "S/RES/688 (1991), para. 3"), ("PP2", "S/RES/688 (1991), preambular para. 2"),
    ("OP4", "S/RES/688 (1991), para. 4"), (None, "S/RES/688 (1991)"),
])
def test_cite_resolution_paragraphs(paragraph: str | None, expected: str) -> None:
    assert cite(RES, paragraph=paragraph) == expected


def test_cite_prefers_printed_page_label() -> None:
    expected = "A/HRC/WG.6/34/ITA/3, para. 12, p. 3"
    assert cite(UPR, page_label="3", page=5, paragraph="12") == expected
    assert cite(UPR, page=5) == "A/HRC/WG.6/34/ITA/3, p. 5"


def test_cite_seed_page() -> None:
    assert cite(SEED, paragraph="1") == ("International Coalition for the Responsibility to "
                                         "Protect, 'RtoP in national policy papers and government "
                                         "focal points' (2 February 2011), para. 1")
    undated = DocMeta(title="About", doc_type="ngo-page", publisher="ICRtoP")
    assert cite(undated) == "ICRtoP, 'About'"


@pytest.mark.parametrize("date, text", [("2011-02-02", "2 February 2011"),
                                        ("1994-01", "January 1994"), ("2005", "2005"),
                                        (None, None)])
def test_human_date(date: str | None, text: str | None) -> None:
    assert human_date(date) == text


def test_oscola() -> None:
    assert oscola(RES, paragraph="3") == "UNSC Res 688 (5 April 1991) UN Doc S/RES/688, para 3"
    ga = DocMeta(title="x", symbol="A/RES/48/161", date="1994-01-21")
    assert oscola(ga) == "UNGA Res 48/161 (21 January 1994) UN Doc A/RES/48/161"
    assert oscola(UPR, page_label="3") == ("UN Human Rights Council, 'Summary of Stakeholders' "
                                           "submissions on Italy' (14 August 2019) UN Doc "
                                           "A/HRC/WG.6/34/ITA/3, 3")
    assert oscola(SPEECH) == ("Croatia, Statement to the UN General Assembly General Debate "
                              "(76th session, 2021)")
    assert oscola(SEED).endswith("(2 February 2011)")


def _balanced(entry: str) -> bool:
    depth = 0
    for i, ch in enumerate(entry):
        if ch in "{}" and (i == 0 or entry[i - 1] != "\\"):
            depth += 1 if ch == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def test_bibtex_entries_are_valid() -> None:
    entry = bibtex(RES, "S/RES/688 (1991)", paragraph="PP2")
    assert entry.startswith("@techreport{S-RES-688-1991,")
    assert "  number = {S/RES/688 (1991)}," in entry
    assert "  author = {{United Nations Security Council}}," in entry
    assert "preambular para. 2" in entry and entry.endswith("}")
    assert _balanced(entry)
    misc = bibtex(DocMeta(title="Braces {x} & 100% _y_ #1", publisher="A & B"), "k")
    assert misc.startswith("@misc{k,") and _balanced(misc)
    assert r"title = {Braces \{x\} \& 100\% \_y\_ \#1}," in misc
    assert all(re.fullmatch(r"  \w+ = \{.*\},", line) for line in misc.splitlines()[1:-1])


def test_bibtex_escape() -> None:
    assert bibtex_escape(r"a\b~c^d") == r"a\textbackslash{}b\textasciitilde{}c\textasciicircum{}d"
