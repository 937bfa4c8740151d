"""Paragraph segmentation of UN PDFs measured against HURIDOCS gold paragraphs.

Run: python -m eval.segmentation [../shared/pdfs/un]
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from indexer.clean import clean
from indexer.load import load
from indexer.segment import segment

log = logging.getLogger(__name__)

FUZZY_MIN = 90.0


def _norm(text: str) -> str:
    return " ".join(text.split())


def gold_paragraphs(labels_path: Path) -> list[str]:
    """The gold main-language paragraphs of one labels file."""
    data = json.loads(Path(labels_path).read_text(encoding="utf-8"))
    return [_norm(p["main_language"]) for p in data["paragraphs"] if p["main_language"].strip()]


def predicted_paragraphs(pdf_path: Path) -> list[str]:
    """Our blocks for one PDF: load, clean, segment."""
    cleaned = clean(load(Path(pdf_path)))
    return [_norm(cleaned.text[b.start : b.end]) for b in segment(cleaned.text)]


def segmentation_scores(pdf_path: Path, labels_path: Path) -> dict:
    """Share of gold paragraphs found as one block: exactly, and with rapidfuzz ratio >= 90."""
    from rapidfuzz import fuzz, process

    gold = gold_paragraphs(labels_path)
    blocks = predicted_paragraphs(pdf_path)
    exact_set = set(blocks)
    exact = sum(1 for g in gold if g in exact_set)
    fuzzy = 0
    misses: list[str] = []
    for g in gold:
        best = process.extractOne(g, blocks, scorer=fuzz.ratio) if blocks else None
        if best and best[1] >= FUZZY_MIN:
            fuzzy += 1
        else:
            misses.append(g)
    n = len(gold) or 1
    return {
        "document": Path(pdf_path).name,
        "gold": len(gold),
        "blocks": len(blocks),
        "exact": exact / n,
        "fuzzy": fuzzy / n,
        "misses": misses,
    }


def pairs(folder: Path) -> list[tuple[Path, Path]]:
    """(English PDF, labels) pairs in a folder laid out like shared/pdfs/un."""
    out = []
    for labels in sorted((folder / "labels").glob("*.json")):
        stem = labels.stem.rsplit("_", 2)[0]
        pdf = folder / f"{stem}_en.pdf"
        if pdf.exists():
            out.append((pdf, labels))
    return out


def main(argv: list[str] | None = None) -> None:
    """Print a per-document table of exact and fuzzy paragraph matches."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared/pdfs/un"
    rows = [segmentation_scores(pdf, labels) for pdf, labels in pairs(folder)]
    out = sys.stdout
    out.write(f"{'document':<18}{'gold':>6}{'blocks':>8}{'exact':>8}{'fuzzy':>8}\n")
    for r in rows:
        out.write(
            f"{r['document']:<18}{r['gold']:>6}{r['blocks']:>8}"
            f"{r['exact']:>8.1%}{r['fuzzy']:>8.1%}\n"
        )
    if "-v" in args:
        for r in rows:
            out.write(f"\n== {r['document']} misses\n")
            for m in r["misses"]:
                out.write(f"  {m[:160]}\n")


if __name__ == "__main__":
    main()
