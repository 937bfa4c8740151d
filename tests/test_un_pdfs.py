"""Real UN PDFs from ../shared: segmentation against HURIDOCS gold, and furniture removal."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
UN = SHARED / "pdfs" / "un"
SCANNED = SHARED / "pdfs" / "scanned"

pytestmark = pytest.mark.skipif(
    not (UN / "labels").is_dir(), reason=f"shared UN PDFs not found at {UN} (fresh clone)"
)

# Measured (exact, fuzzy) minus a small margin, so a regression fails.
FLOORS = {
    "ohchr_1_en.pdf": (0.0, 0.90),
    "ohchr_2_en.pdf": (0.78, 0.95),
    "plan_1_en.pdf": (0.92, 0.92),
    "plan_2_en.pdf": (0.88, 0.92),
}


def _pairs():
    from eval.segmentation import pairs

    return pairs(UN) if UN.is_dir() else []


@pytest.mark.parametrize("pdf,labels", _pairs(), ids=lambda p: p.name)
def test_segmentation_floor(pdf, labels):
    from eval.segmentation import segmentation_scores

    scores = segmentation_scores(pdf, labels)
    exact, fuzzy = FLOORS[pdf.name]
    assert scores["exact"] >= exact, scores
    assert scores["fuzzy"] >= fuzzy, scores


@pytest.mark.parametrize("name", ["ohchr_1_en.pdf", "ohchr_2_en.pdf", "plan_1_en.pdf"])
def test_furniture_gone(name):
    from indexer.clean import clean
    from indexer.load import load

    c = clean(load(UN / name))
    lines = [ln.strip() for ln in c.text.splitlines()]
    assert not [ln for ln in lines if ln.startswith(("GE.", "NATIONSNATIONS", "UNITEDUNITED"))]
    assert not [ln for ln in lines if ln.isdigit()]
    assert not [ln for ln in lines if ln.startswith("Page ") and ln[5:].isdigit()]
    # the running-header symbol survives only inside the first-page masthead, at most once
    symbol = {"ohchr_1_en.pdf": "A/HRC/WG.6/34/ITA/3", "ohchr_2_en.pdf": "A/HRC/WG.6/7/ITA/1",
              "plan_1_en.pdf": "A/RES/48/246"}[name]
    assert lines.count(symbol) <= 1
    assert len(c.pages) > 1 and all(p.start <= p.end for p in c.pages)


def test_page_labels_recorded():
    from indexer.clean import clean
    from indexer.load import load

    c = clean(load(UN / "ohchr_1_en.pdf"))
    labels = {p.index: p.label for p in c.pages}
    assert labels[2] == "2" and labels[3] == "3"


def test_scanned_pdfs():
    from indexer.errors import ScannedPdfError
    from indexer.load import load

    noisy = load(SCANNED / "1971-09-29_A_L.632-EN.pdf")
    assert any(w.startswith("noisy-ocr") for w in noisy.warnings)
    blank = next(p for p in SCANNED.glob("*.pdf") if "Note_Verbale" in p.name)
    with pytest.raises(ScannedPdfError):
        load(blank)
    clean_pdf = load(UN / "plan_1_en.pdf")
    assert clean_pdf.warnings == ()


def test_speech_folder_loses_nothing_to_chrome():
    from indexer.clean_web import find_site_chrome

    for folder in sorted((SHARED / "corpus" / "ungdc-r2p").iterdir()):
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        assert find_site_chrome(texts) == frozenset(), folder.name
