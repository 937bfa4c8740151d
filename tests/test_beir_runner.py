"""The BEIR runner on a tiny dataset written in the test: same indexing and search code."""

from __future__ import annotations

import json

from eval.beir import evaluate, write_corpus
from eval.datasets import load_beir
from indexer.pipeline import build_index
from indexer.settings import Settings
from search_api.service import SearchService


def test_beir_runner_ranks_and_writes_trec_runs(tmp_path, fake_embedder):
    folder = tmp_path / "tiny"
    (folder / "qrels").mkdir(parents=True)
    docs = {"d1": ("Focal points", "Ghana and Denmark appointed national focal points."),
            "d2": ("Oceans", "Small island states protect the ocean and coral reefs."),
            "d3": ("Courts", "The International Criminal Court prosecutes genocide.")}
    (folder / "corpus.jsonl").write_text("\n".join(
        json.dumps({"_id": k, "title": t, "text": x}) for k, (t, x) in docs.items()))
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in [
        {"_id": "q1", "text": "national focal points"}, {"_id": "q2", "text": "coral reefs"}]))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n")
    dataset = load_beir(folder)
    assert write_corpus(dataset, tmp_path / "docs") == 3
    assert write_corpus(dataset, tmp_path / "docs") == 0  # unchanged files are not rewritten
    build_index([tmp_path / "docs"], tmp_path / "index", fake_embedder)
    service = SearchService(Settings(index_dir=tmp_path / "index"), embedder=fake_embedder)
    table = evaluate(service, dataset, runs_dir=tmp_path / "runs")
    assert table["lexical"]["ndcg@10"] == 1.0  # each query's only relevant doc ranks first
    assert set(table) == {"dense", "lexical", "hybrid"}
    lines = (tmp_path / "runs" / "hybrid.trec").read_text().splitlines()
    assert lines[0].split()[:4] == ["q1", "Q0", "d1", "1"]


def test_beir_runner_adds_the_reranked_run_when_a_reranker_is_set(tmp_path, fake_embedder):
    from eval.datasets import BeirDataset

    docs = {"d1": "Ghana and Denmark appointed national focal points.",
            "d2": "Small island states protect the ocean and coral reefs."}
    (tmp_path / "docs").mkdir()
    for k, text in docs.items():
        (tmp_path / "docs" / f"{k}.txt").write_text(text + "\n")
    build_index([tmp_path / "docs"], tmp_path / "index", fake_embedder)

    class Reversed:  # ranks the passage with the fewest characters first
        name = "reversed"

        def scores(self, query, passages):
            return [-float(len(p)) for p in passages]

    service = SearchService(Settings(index_dir=tmp_path / "index"), embedder=fake_embedder,
                            reranker=Reversed())
    dataset = BeirDataset(corpus={}, queries={"q1": "coral reefs ocean"},
                          qrels={"q1": {"d2": 1}})
    table = evaluate(service, dataset, modes=("hybrid",))
    assert set(table) == {"hybrid", "hybrid+rerank"}
    assert table["hybrid"]["ndcg@10"] == 1.0
    assert table["hybrid+rerank"]["ndcg@10"] < 1.0  # the shorter d1 now ranks first
