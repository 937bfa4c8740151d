"""Checks on eval/questions.jsonl: shape, split, coverage, and gold really in gold documents."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from eval.datasets import KINDS, Question, load_questions
from search_api.intent import ANSWER_TYPES

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
QUESTIONS = load_questions(ROOT / "eval" / "questions.jsonl")
# answer types whose expected text may come from a document's metadata, not its text
FROM_METADATA = {"state", "document", "date"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold().strip()


def _texts() -> dict[str, str]:
    folders = [ROOT / "corpus", SHARED / "seeds", SHARED / "corpus" / "ungdc-r2p",
               SHARED / "corpus" / "unsc-resolutions-1946-2002"]
    return {p.stem: _norm(p.read_text(encoding="utf-8")) for folder in folders
            if folder.is_dir() for p in folder.rglob("*.txt")}


def test_ids_unique_and_enough_questions() -> None:
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    assert len(QUESTIONS) >= 300


def test_every_kind_in_both_splits() -> None:
    counts = Counter((q.split, q.kind) for q in QUESTIONS)
    for split in ("train", "dev"):
        for kind in KINDS:
            assert counts[(split, kind)] >= 8, (split, kind)


def test_the_original_question_file_is_in_train() -> None:
    assert all(q.split == "train" for q in QUESTIONS if q.id.startswith("old-"))


def test_labels_are_consistent() -> None:
    for q in QUESTIONS:
        assert q.should_refuse == (q.kind == "refusal"), q.id
        if q.should_refuse:
            assert not q.gold_docs and not q.expected, q.id
            continue
        assert q.answer_type in ANSWER_TYPES, q.id
        assert q.gold_docs, q.id
        if q.kind == "list":
            assert q.answer_type.startswith("list-") and q.expected_items, q.id
        else:
            assert q.expected, q.id


def test_seed_list_answers_are_the_known_ones() -> None:
    items = {q.question: set(q.expected_items) for q in QUESTIONS
             if q.id.startswith("old-") and not q.filters}
    assert items["Which states named focal points?"] >= {
        "Ghana", "Denmark", "Argentina", "Costa Rica", "Netherlands", "Uruguay", "United States"}


def _check(questions: list[Question], texts: dict[str, str]) -> None:
    for q in questions:
        missing = [d for d in q.gold_docs if d not in texts]
        assert not missing, f"{q.id}: unknown gold docs {missing}"
        if q.answer_type in FROM_METADATA or q.kind == "list":
            continue
        gold = " ".join(texts[d] for d in q.gold_docs).replace("-\n", "")
        for s in q.expected:
            assert any(_norm(alt) in gold for alt in s.split("|")), f"{q.id}: {s!r}"


def test_expected_strings_occur_in_gold_docs() -> None:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}): the gold texts cannot be checked")
    texts = _texts()
    _check([q for q in QUESTIONS if q.kind in {"seed", "speech", "resolution"}], texts)


def test_phrasings_are_labelled_train_data_apart_from_dev() -> None:
    from eval.datasets import load_phrasings

    phrasings = load_phrasings(ROOT / "eval" / "intents.jsonl")
    assert len(phrasings) >= 300
    assert {kind for _, kind in phrasings} == set(ANSWER_TYPES)
    dev = {_norm(q.question).strip(" ?.") for q in QUESTIONS if q.split == "dev"}
    assert not [text for text, _ in phrasings if _norm(text).strip(" ?.") in dev]
