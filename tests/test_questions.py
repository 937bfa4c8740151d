"""Checks on eval/questions.jsonl: shape, coverage, and gold strings really in gold docs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from eval.datasets import KINDS, Question, load_questions

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SPEECHES = SHARED / "corpus" / "ungdc-r2p"
QUESTIONS = load_questions(ROOT / "eval" / "questions.jsonl")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold().strip()


def _seed_texts() -> dict[str, str]:
    return {p.stem: _norm(p.read_text(encoding="utf-8")) for p in (ROOT / "corpus").glob("*.txt")}


def _speech_texts() -> dict[str, str]:
    return {p.stem: _norm(p.read_text(encoding="utf-8")) for p in SPEECHES.glob("*/*.txt")}


def _check_against(questions: list[Question], texts: dict[str, str]) -> None:
    for q in questions:
        missing = [d for d in q.gold_docs if d not in texts]
        assert not missing, f"{q.id}: unknown gold docs {missing}"
        gold = [texts[d] for d in q.gold_docs]
        for s in (*q.expected, *q.expected_items):
            assert any(_norm(s) in g for g in gold), f"{q.id}: {s!r} not in any gold doc"


def test_ids_unique_and_enough_questions() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    assert len(QUESTIONS) >= 40


def test_kinds_covered_with_minimum_counts() -> None:
    counts = Counter(q.kind for q in QUESTIONS)
    assert set(counts) == set(KINDS)
    assert counts["non-norm"] >= 5
    assert counts["out-of-corpus"] >= 8


def test_refusal_flags_match_kind() -> None:
    for q in QUESTIONS:
        assert q.should_refuse == (q.kind == "out-of-corpus"), q.id
        if q.should_refuse:
            assert not q.gold_docs and not q.expected, q.id
        else:
            assert q.gold_docs and q.expected, q.id


def test_list_questions_have_items_and_filters_are_well_formed() -> None:
    for q in QUESTIONS:
        if q.kind == "list":
            assert q.expected_items, q.id
        if q.kind in ("filtered", "non-norm"):
            assert q.filters, q.id
        assert set(q.filters) <= {"year_from", "year_to", "state", "type"}, q.id
        if "year_from" in q.filters and "year_to" in q.filters:
            assert q.filters["year_from"] <= q.filters["year_to"], q.id


def test_the_two_seed_list_questions_are_present() -> None:
    items = {q.question: set(q.expected_items) for q in QUESTIONS
             if q.kind == "list" and q.corpus == "seed"}
    assert items["Which states named focal points?"] == {
        "Ghana",
        "Denmark",
        "Argentina",
        "Costa Rica",
        "Netherlands",
        "Uruguay",
        "United States",
    }
    assert items["Which states referenced RtoP in strategic policy papers?"] == {
        "France",
        "Germany",
        "Norway",
        "United States",
        "United Kingdom",
    }


def test_seed_expected_strings_occur_in_gold_docs() -> None:
    seeds = [q for q in QUESTIONS if q.corpus == "seed"]
    _check_against(seeds, _seed_texts())
    glued = ("francegermany", "denmarkargentina", "germanynorway")
    for q in seeds:
        for s in q.expected:
            assert not any(g in _norm(s).replace(" ", "") for g in glued), q.id


def test_speech_expected_strings_occur_in_gold_docs() -> None:
    if not SPEECHES.is_dir():
        pytest.skip(f"UN General Debate speeches not available at {SPEECHES} (../shared is absent)")
    speeches = [q for q in QUESTIONS if q.corpus == "ungdc-r2p"]
    texts = _speech_texts()
    _check_against(speeches, texts)
    for q in speeches:
        for doc in q.gold_docs:
            _, _, year = doc.split("_")
            if "year_from" in q.filters:
                assert q.filters["year_from"] <= int(year) <= q.filters["year_to"], q.id
            if "state" in q.filters:
                assert doc.startswith(f"{q.filters['state']}_"), q.id
