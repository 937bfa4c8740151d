"""BEIR loading, TREC run writing and question loading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import BeirDataset, load_beir, load_questions, write_trec_run

SCIFACT = Path(__file__).resolve().parents[2] / "shared" / "beir" / "scifact"


def _write_beir(root: Path) -> Path:
    (root / "qrels").mkdir(parents=True)
    corpus = [
        {"_id": "d1", "title": "RtoP", "text": "Responsibility to protect."},
        {"_id": "d2", "text": "No title here."},
    ]
    queries = [{"_id": "q1", "text": "what is rtop"}, {"_id": "q2", "text": "unjudged"}]
    (root / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus) + "\n")
    (root / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries) + "\n")
    (root / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\n")
    return root


def test_load_beir_tiny(tmp_path: Path) -> None:
    ds = load_beir(_write_beir(tmp_path))
    assert isinstance(ds, BeirDataset)
    assert ds.corpus == {
        "d1": {"title": "RtoP", "text": "Responsibility to protect."},
        "d2": {"title": "", "text": "No title here."},
    }
    assert ds.queries == {"q1": "what is rtop"}  # q2 has no qrels in this split
    assert ds.qrels == {"q1": {"d1": 2, "d2": 0}}


def test_load_beir_missing_split(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="dev.tsv"):
        load_beir(_write_beir(tmp_path), split="dev")


def test_write_trec_run_sorts_by_score(tmp_path: Path) -> None:
    path = tmp_path / "run.trec"
    write_trec_run(path, {"q1": [("d2", 0.5), ("d1", 0.9)], "q2": [("d3", 1.0)]}, "dense")
    assert path.read_text().splitlines() == [
        "q1 Q0 d1 1 0.9 dense",
        "q1 Q0 d2 2 0.5 dense",
        "q2 Q0 d3 1 1.0 dense",
    ]
    with pytest.raises(ValueError):
        write_trec_run(path, {"q1": [("d1", 1.0)]}, "bad tag")


def test_load_questions(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    line = {
        "id": "q1",
        "split": "train",
        "kind": "list",
        "answer_type": "list-states",
        "question": "Which states?",
        "gold_docs": ["000_x"],
        "expected_items": ["Ghana"],
        "should_refuse": False,
        "notes": "n",
    }
    path.write_text(json.dumps(line) + "\n\n" + json.dumps({**line, "id": "q2", "split": "dev"}))
    (q, q2) = load_questions(path)
    assert q.id == "q1" and q.expected_items == ("Ghana",) and q.filters == {}
    assert [x.id for x in load_questions(path, "dev")] == ["q2"]
    path.write_text(json.dumps({**line, "kind": "trivia"}) + "\n")
    with pytest.raises(ValueError, match="bad kind"):
        load_questions(path)
    path.write_text(json.dumps({**line, "split": "test"}) + "\n")
    with pytest.raises(ValueError, match="split"):
        load_questions(path)


def test_scifact_test_split_sizes() -> None:
    if not SCIFACT.is_dir():
        pytest.skip(f"BEIR SciFact not available at {SCIFACT} (../shared is absent)")
    ds = load_beir(SCIFACT, split="test")
    assert len(ds.queries) == 300
    assert len(ds.qrels) == 300
    assert len(ds.corpus) == 5183


def test_qa_roots_skip_a_shared_collection_the_corpus_holds_despite_its_codebook(
        tmp_path: Path) -> None:
    from eval.cli import qa_roots

    corpus, shared = tmp_path / "corpus", tmp_path / "shared"
    (corpus / "resolutions").mkdir(parents=True)
    (corpus / "resolutions" / "S_RES_0001_1946_EN_GOLD.txt").write_text("text")
    held = shared / "corpus" / "unsc-resolutions-1946-2002"
    held.mkdir(parents=True)
    (held / "CR-UNSC_Variables.csv").write_text("a,b")  # sorts first, and is no document
    (held / "S_RES_0001_1946_EN_GOLD.txt").write_text("text")
    (shared / "pdfs" / "un").mkdir(parents=True)
    (shared / "pdfs" / "un" / "plan_1_en.pdf").write_bytes(b"%PDF")
    assert qa_roots(shared, corpus) == [corpus, shared / "pdfs" / "un"]
