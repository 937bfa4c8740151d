"""segment(): paragraphs, numbering, resolutions, footnotes, block invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.clean import clean
from indexer.load import load
from indexer.segment import segment

SEED_000 = Path(__file__).resolve().parents[1] / "corpus" / "000_6cbf8074917a557a.txt"

RESOLUTION = """Resolution 678 (1990)
of 29 November 1990

The Security Council,

Recalling and reaffirming its resolutions 660 (1990) of
2 August 1990 and 661 (1990) of 6 August 1990, 1/

Determined to secure full compliance with its decisions,
Acting under Chapter VII of the Charter,

1. Demands that Iraq comply fully with resolution 660
(1990);

2. Decides to remain seized of the matter.

1/ S/21503."""


def texts(text, blocks):
    return [text[b.start : b.end] for b in blocks]


def test_resolution_labels():
    blocks = segment(RESOLUTION, doc_type="security-council-resolution")
    got = [(b.kind, b.paragraph, RESOLUTION[b.start : b.end][:12]) for b in blocks]
    assert got == [
        ("heading", None, "Resolution 6"),
        ("heading", None, "The Security"),
        ("body", "PP1", "Recalling an"),
        ("body", "PP2", "Determined t"),
        ("body", "PP3", "Acting under"),
        ("body", "1", "1. Demands t"),
        ("body", "2", "2. Decides t"),
        ("footnote", None, "1/ S/21503."),
    ]


@pytest.mark.skipif(not SEED_000.exists(), reason="seed 000 not in corpus/")
def test_seed_bullets_inherit_number():
    c = clean(load(SEED_000))
    blocks = segment(c.text)
    bullets = [b for b in blocks if c.text[b.start] == "•"]
    one = next(b for b in blocks if c.text[b.start : b.end].startswith("1. Propose"))
    assert one.paragraph == "1"
    assert any(b.paragraph == "1" for b in bullets)
    assert any(b.paragraph == "2" for b in bullets)
    assert any(b.paragraph == "3" for b in bullets)
    first = next(b for b in blocks if c.text[b.start : b.end].startswith("World leaders"))
    assert first.paragraph is None


def test_page_break_continuation_is_one_block():
    text = ("1. The Council recalled that States must protect their\n"
            "populations from genocide and\n\nwar crimes, as agreed in 2005.\n\n2. Next.")
    blocks = segment(text)
    assert texts(text, blocks)[0].endswith("as agreed in 2005.")
    assert [b.paragraph for b in blocks] == ["1", "2"]


def test_footnotes_after_separator_and_endnote_lists():
    text = ("Reaffirming the Charter of the United Nations,\nthe General Assembly decides.\n\n"
            "______________\n\n1/ A/48/803.\n\n2/ See A/C.5/48/SR.59.\n\n"
            "124 JS2, p.4.\n125 JS16, p.3.\n126 For relevant recommendations see A/HRC/28/4.")
    blocks = segment(text)
    kinds = [(b.kind, text[b.start : b.end]) for b in blocks]
    assert kinds[0][0] == "body"
    assert [k for k, _ in kinds[1:]] == ["footnote"] * 5
    assert kinds[-1][1] == "126 For relevant recommendations see A/HRC/28/4."


def test_headings():
    text = "I. Background\n\n1. The present report was prepared pursuant to resolution 5/1."
    blocks = segment(text)
    assert [(b.kind, b.paragraph) for b in blocks] == [("heading", None), ("body", "1")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1. A", "b c.", "\n", "\n\n", "• x", "1/ y", " ", "Zed"]),
                max_size=40).map("".join),
       st.sampled_from([None, "security-council-resolution"]))
def test_blocks_ordered_stripped_non_overlapping(text, doc_type):
    blocks = segment(text, doc_type=doc_type)
    prev_end = 0
    for b in blocks:
        assert prev_end <= b.start < b.end <= len(text)
        piece = text[b.start : b.end]
        assert piece == piece.strip()
        assert b.kind in {"body", "heading", "footnote"}
        prev_end = b.end
