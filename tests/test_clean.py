"""clean(): chrome, glued state names, whitespace, PDF furniture, speeches, offset map."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.clean import apply_edits, chrome_keepers, clean, find_site_chrome
from indexer.edits import Edit
from indexer.load import load
from indexer.models import PageSpan, RawDocument

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def raw(text: str, fmt: str = "txt", **kw) -> RawDocument:
    return RawDocument(path="x", fmt=fmt, text=text, **kw)


def check_offsets(r: RawDocument, c) -> None:
    assert len(c.offsets) == len(c.text) + 1
    assert list(c.offsets) == sorted(c.offsets)
    assert all(0 <= o <= len(r.text) for o in c.offsets)


def test_apply_edits_offsets():
    text, offsets = apply_edits("ab  cd", [Edit(2, 4, " "), Edit(0, 0, "X")])
    assert text == "Xab cd"
    # "X" is a replacement at 0; "a" 0, "b" 1, " " replacement at 2, "c" 4, "d" 5, end 6
    assert offsets == [0, 0, 1, 2, 4, 5, 6]


@pytest.mark.skipif(not SEED_FILES, reason="seed documents not in corpus/")
def test_seed_chrome_kept_once():
    """Repeated chrome is in the index once: the first page holding it keeps it."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEED_FILES}
    chrome = find_site_chrome(list(texts.values()))
    assert {"Member Sign In", "PDF Print E-mail", "Browse Documents by Region:"} <= chrome
    assert "708 Third Avenue, Suite 1715, New York, NY 10017" in chrome
    kept = chrome_keepers(texts, chrome)
    cleaned = {p.stem: clean(load(p), chrome=chrome - kept[p.stem]).text for p in SEED_FILES}
    for line in ("708 Third Avenue, Suite 1715, New York, NY 10017", "Browse Documents by Region:"):
        holders = [name for name, text in cleaned.items() if line in text]
        assert holders == [min(n for n, t in texts.items() if line in t)], line
    # the about page's own contact block is not repeated on the site: it is content
    about = cleaned[SEED_FILES[1].stem]
    assert "Phone: +31 70 363-4484" in about and "Bezuidenhoutseweg 99A" in about
    assert "is a global network of civil society organizations" in about


@pytest.mark.skipif(not SEED_FILES, reason="seed documents not in corpus/")
def test_seed_000_glued_names_split():
    c = clean(load(SEED_FILES[0]))
    assert "France, Germany, Norway" in c.text
    assert "FranceGermanyNorway" not in c.text


def test_glued_split_only_for_known_states():
    c = clean(raw("Support from DenmarkArgentina and the McDonaldCorp team, IJCentral."))
    assert "Denmark, Argentina" in c.text
    assert "McDonaldCorp" in c.text and "IJCentral" in c.text


def test_chrome_keeps_real_sentences():
    texts = ["Thank you.\nWe support the responsibility to protect.\nMember Sign In"] * 3
    chrome = find_site_chrome(texts)
    assert "Thank you." not in chrome and "Member Sign In" in chrome


def test_chrome_needs_a_share_of_the_folder():
    texts = ["Common line\nA"] + [f"Document {i}" for i in range(9)]
    assert find_site_chrome(texts) == frozenset()


def test_whitespace_normalised():
    r = raw("  One\xa0 two   three  \n\n\n\n\nFour\t\tfive \n")
    c = clean(r)
    assert c.text == "One two three\n\nFour five"
    check_offsets(r, c)


def test_contact_footer_dropped_only_when_repeated_chrome():
    text = ("A real paragraph about RtoP.\n\nNew York\n155 E. 44th St, Suite 1715\n"
            "Phone: +1212 599-1320\nFax: +1212 599-1332")
    assert clean(raw(text)).text == text  # a page's own address is content
    chrome = frozenset({"New York"})
    assert clean(raw(text), chrome=chrome).text == "A real paragraph about RtoP."


def test_flags_from_warnings():
    c = clean(raw("Text.", fmt="pdf", warnings=("noisy-ocr: 4% of tokens look like debris",)))
    assert c.flags == ("noisy-ocr",)


def test_speech_repairs():
    r = raw(
        "We are closer to making 15  genocide a crime of the past, as agreed in 2005\n"
        "and in resolution 1973 (2011) on Libya, inter-\nnational law\n12\n\nmust be upheld.\n"
    )
    c = clean(r, doc_type="general-debate-statement")
    assert "closer to making genocide" in c.text
    assert "in 2005 and in resolution 1973 (2011)" in c.text
    assert "international law must be upheld." in c.text
    check_offsets(r, c)


BODIES = [
    "States bear the primary responsibility to protect.",
    "The international community should assist States.",
    "Collective action follows when national authorities manifestly fail.",
    "Prevention is the priority.",
]


def _furniture_pdf(path: Path, n: int = 4) -> Path:
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    for i in range(1, n + 1):
        pdf.add_page()
        pdf.cell(0, 8, "A/HRC/WG.6/34/ITA/3", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.multi_cell(0, 6, f"{i}. {BODIES[i - 1]}")
        pdf.set_y(-30)
        pdf.cell(0, 8, f"GE.19-13879{i}(E)", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 8, str(i + 10), align="C")
    pdf.output(str(path))
    return path


def test_pdf_headers_footers_and_page_labels(tmp_path):
    r = load(_furniture_pdf(tmp_path / "f.pdf"))
    c = clean(r)
    assert "A/HRC/WG.6/34/ITA/3" not in c.text and "GE.19" not in c.text
    assert [p.label for p in c.pages] == ["11", "12", "13", "14"]
    for i, p in enumerate(c.pages, start=1):
        assert c.text[p.start : p.end].strip() == f"{i}. {BODIES[i - 1]}"
    check_offsets(r, c)


def test_masthead_glyphs_dropped():
    text = "UNITED A UNITED A\nNATIONSNATIONS\nGeneral Assembly\n\nThe General Assembly,"
    r = raw(text, fmt="pdf", pages=(PageSpan(1, 0, len(text)),))
    assert clean(r).text == "General Assembly\n\nThe General Assembly,"


TEXTS = st.lists(
    st.sampled_from(list("ab Z-\n\t\xa012.,:") + ["Phone: 1", "France", "Norway", "15  x"]),
    max_size=60,
).map("".join)
# The cleaner's replacements only ever produce separators (spaces, newlines, ", ").
SEPARATORS = {" ", "\n", ","}


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([None, "general-debate-statement"]), st.sampled_from(["txt", "pdf"]))
def test_offset_map_invariant(text, doc_type, fmt):
    pages = (PageSpan(1, 0, len(text)),) if fmt == "pdf" else ()
    r = raw(text, fmt=fmt, pages=pages)
    c = clean(r, doc_type=doc_type, chrome=frozenset({"ab"}))
    check_offsets(r, c)
    for i, ch in enumerate(c.text):
        assert r.text[c.offsets[i]] == ch or ch in SEPARATORS


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 5), st.text(max_size=3)), max_size=6),
)
def test_apply_edits_property(text, specs):
    edits = [Edit(min(s, len(text)), min(s + n, len(text)), r) for s, n, r in specs]
    new, offsets = apply_edits(text, edits)
    assert len(offsets) == len(new) + 1 and offsets == sorted(offsets)
    kept = [e for e in sorted(edits) if e.repl]
    produced = {c for e in kept for c in e.repl}
    for i, ch in enumerate(new):
        assert text[offsets[i]:offsets[i] + 1] == ch or ch in produced
