"""BEIR retrieval quality: dense, BM25 and hybrid side by side, through the product's own search."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from eval.datasets import BeirDataset, write_trec_run
from eval.metrics import mean_over_queries, mrr_at_k, ndcg_at_k, recall_at_k
from search_api.rerank import rerank_hits
from search_api.retrieve import search

log = logging.getLogger(__name__)
MODES = ("dense", "lexical", "hybrid")
RERANKED = "hybrid+rerank"  # evaluated when the service has a reranker
# Published test-split nDCG@10 numbers, printed next to ours.
REFERENCES: dict[str, dict[str, float]] = {
    "scifact": {"BM25 (BEIR paper)": 0.665, "BM25 (bm25s, MTEB)": 0.687,
                "all-MiniLM-L6-v2 dense (MTEB)": 0.645},
}


def write_corpus(dataset: BeirDataset, folder: Path) -> int:
    """One text file per BEIR document (title line, blank line, text), written only if changed;
    the indexer then treats them like any other document."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for doc_id, doc in dataset.corpus.items():
        path = folder / f"{doc_id}.txt"
        body = f"{doc['title'].strip()}\n\n{doc['text'].strip()}\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
            written += 1
    return written


def rank_documents(service: Any, query: str, mode: str,
                   depth: int = 100) -> list[tuple[str, float]]:
    """(document id, score) in rank order; a document ranks by its best chunk.

    Mode "hybrid+rerank": the hybrid hits, the first of them reordered by the service's
    cross-encoder."""
    reranked = mode == RERANKED
    hits = search(service.reader, service.embedder, query, depth,
                  mode="hybrid" if reranked else mode, depth=depth)
    if reranked:
        hits = rerank_hits(service.reranker, query, hits)
    best: dict[str, float] = {}
    for h in hits:
        best.setdefault(h.chunk.doc_id, h.score)
    return list(best.items())


def evaluate(service: Any, dataset: BeirDataset, modes: tuple[str, ...] = MODES,
             k: int = 10, runs_dir: Path | None = None) -> dict[str, dict[str, float]]:
    """nDCG@k, Recall@100 and MRR@k per mode, plus mean query latency; TREC run files too."""
    table: dict[str, dict[str, float]] = {}
    if getattr(service, "reranker", None) is not None and RERANKED not in modes:
        modes = (*modes, RERANKED)
    for mode in modes:
        started = time.perf_counter()
        scored = {qid: rank_documents(service, text, mode)
                  for qid, text in dataset.queries.items()}
        seconds = time.perf_counter() - started
        if runs_dir is not None:
            runs_dir.mkdir(parents=True, exist_ok=True)
            write_trec_run(runs_dir / f"{mode}.trec", scored, f"rtop-{mode}")
        run = {qid: [doc for doc, _ in ranked] for qid, ranked in scored.items()}
        table[mode] = {
            f"ndcg@{k}": round(mean_over_queries(run, dataset.qrels, ndcg_at_k, k), 4),
            "recall@100": round(mean_over_queries(run, dataset.qrels, recall_at_k, 100), 4),
            f"mrr@{k}": round(mean_over_queries(run, dataset.qrels, mrr_at_k, k), 4),
            "ms_per_query": round(1000 * seconds / max(len(run), 1), 2),
        }
        log.info("%s: %s", mode, table[mode])
    return table
