"""Metric tests with hand-computed expected values (the comment beside each says how)."""

from __future__ import annotations

import math

import pytest

from eval.metrics import (
    answer_contains,
    citation_validity,
    list_precision_recall,
    mean_over_queries,
    mrr_at_k,
    ndcg_at_k,
    recall_at_k,
    refusal_accuracy,
)

L2, L3, L4 = math.log2(2), math.log2(3), math.log2(4)


def test_ndcg_binary_hand_computed() -> None:
    # ranked [d3, d1, d2], rels {d1:1, d2:1}: DCG = 0/log2(2) + 1/log2(3) + 1/log2(4)
    # IDCG = 1/log2(2) + 1/log2(3)
    expected = (1 / L3 + 1 / L4) / (1 / L2 + 1 / L3)
    assert ndcg_at_k(["d3", "d1", "d2"], {"d1": 1, "d2": 1}, 10) == pytest.approx(expected)
    assert expected == pytest.approx(0.6934, abs=1e-4)


def test_ndcg_graded_uses_linear_gain() -> None:
    # ranked [a, b], rels {a:1, b:2}: DCG = 1/log2(2) + 2/log2(3) = 2.2619
    # IDCG = 2/log2(2) + 1/log2(3) = 2.6309 (linear gain as pytrec_eval; 2^rel-1 would differ)
    expected = (1 / L2 + 2 / L3) / (2 / L2 + 1 / L3)
    assert ndcg_at_k(["a", "b"], {"a": 1, "b": 2}, 10) == pytest.approx(expected)
    assert expected == pytest.approx(0.8597, abs=1e-4)


def test_ndcg_cutoff_and_edge_cases() -> None:
    # k=1, ranked [d3, d1], rels {d1:1, d2:1}: DCG@1 = 0 -> 0.0
    assert ndcg_at_k(["d3", "d1"], {"d1": 1, "d2": 1}, 1) == 0.0
    # k=2, ranked [d1], 2 relevant: DCG = 1; IDCG@2 = 1 + 1/log2(3) (k larger than the list is fine)
    assert ndcg_at_k(["d1"], {"d1": 1, "d2": 1}, 2) == pytest.approx(1 / (1 + 1 / L3))
    assert ndcg_at_k(["d1"], {}, 10) == 0.0  # nothing relevant
    assert ndcg_at_k(["d1"], {"d1": 0}, 10) == 0.0  # grade 0 is not relevant
    assert ndcg_at_k([], {"d1": 1}, 10) == 0.0
    # duplicates count once: [d1, d1, d2] == [d1, d2] -> perfect ranking
    assert ndcg_at_k(["d1", "d1", "d2"], {"d1": 1, "d2": 1}, 3) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        ndcg_at_k(["d1"], {"d1": 1}, 0)


def test_recall_at_k() -> None:
    # 3 relevant (d1, d2, d5); top-2 of [d1, d3, d2] holds d1 only -> 1/3
    assert recall_at_k(["d1", "d3", "d2"], {"d1": 1, "d2": 2, "d5": 1}, 2) == pytest.approx(1 / 3)
    # top-10 holds d1, d2 -> 2/3 (k larger than list)
    assert recall_at_k(["d1", "d3", "d2"], {"d1": 1, "d2": 2, "d5": 1}, 10) == pytest.approx(2 / 3)
    # duplicates are not counted twice: [d1, d1] with 2 relevant -> 1/2
    assert recall_at_k(["d1", "d1"], {"d1": 1, "d2": 1}, 2) == pytest.approx(0.5)
    assert recall_at_k(["d1"], {"d1": 0}, 10) == 0.0


def test_mrr_at_k() -> None:
    # first relevant at rank 3 -> 1/3; cut at k=2 -> 0
    assert mrr_at_k(["a", "b", "c"], {"c": 1}, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["a", "b", "c"], {"c": 1}, 2) == 0.0
    # [a, a, c]: duplicate a collapses, c moves to rank 2 -> 1/2
    assert mrr_at_k(["a", "a", "c"], {"c": 1}, 10) == pytest.approx(0.5)


def test_mean_over_queries_skips_unjudged_and_zeroes_missing() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}, "q4": {"d": 1}}
    run = {"q1": ["a"], "q2": ["x", "b"], "q3": ["c"]}
    # q3 has no relevant doc -> skipped; q4 missing from run -> 0
    # MRR: (1 + 1/2 + 0) / 3 = 0.5
    assert mean_over_queries(run, qrels, mrr_at_k, 10) == pytest.approx(0.5)
    assert mean_over_queries({}, {"q": {"a": 0}}, ndcg_at_k, 10) == 0.0


def test_answer_contains() -> None:
    answer = "It covers  Genocide,\nwar   crimes and ethnic cleansing."
    # 3 of 4 present after case folding and whitespace collapsing -> 0.75
    expected = ["genocide", "War Crimes", "ethnic cleansing", "crimes against humanity"]
    assert answer_contains(answer, expected) == pytest.approx(0.75)
    assert answer_contains("anything", []) == 1.0


def test_list_precision_recall() -> None:
    predicted = ["ghana", "the United States", "Costa  Rica", "France"]
    expected = ["Ghana", "United States", "Costa Rica", "Uruguay", "Netherlands"]
    # 3 hits; precision 3/4, recall 3/5
    assert list_precision_recall(predicted, expected) == pytest.approx((0.75, 0.6))
    assert list_precision_recall([], ["Ghana"]) == (0.0, 0.0)
    assert list_precision_recall([], []) == (1.0, 1.0)
    # duplicates collapse: {ghana} vs {ghana} -> (1, 1)
    assert list_precision_recall(["Ghana", "GHANA."], ["Ghana"]) == (1.0, 1.0)


def test_citation_validity() -> None:
    texts = {"d1": "The State carries the primary responsibility."}
    citations = [
        {"doc_id": "d1", "char_start": 4, "char_end": 9, "quote": "State"},  # exact slice
        {"doc_id": "d1", "char_start": 0, "char_end": 3, "quote": "the"},  # case differs
        {"doc_id": "d2", "char_start": 0, "char_end": 3, "quote": "The"},  # unknown doc
        {"doc_id": "d1", "char_start": 40, "char_end": 99, "quote": "x"},  # out of range
    ]
    assert citation_validity(citations, texts) == pytest.approx(0.25)  # 1 of 4
    assert citation_validity([], texts) == 1.0


def test_refusal_accuracy() -> None:
    # agree on 1st and 3rd of 4 -> 0.5
    assert refusal_accuracy([True, False, False, True], [True, True, False, False]) == 0.5
    with pytest.raises(ValueError):
        refusal_accuracy([True], [True, False])


def test_ann_bench_tiny() -> None:
    pytest.importorskip("faiss")
    from eval.ann_bench import recommend_index, run_ann_bench

    rows = run_ann_bench(sizes=(2000,), n_queries=20, threads=1, ef_search=(16, 64), nprobe=(4, 16))
    assert {r["index"].split()[0] for r in rows} == {"Flat", "HNSW", "IVFFlat"}
    for r in rows:
        assert 0.0 <= r["recall_at_10"] <= 1.0
    assert [r["recall_at_10"] for r in rows if r["index"] == "Flat"] == [1.0]
    assert "IndexFlatIP" in recommend_index(rows)
