"""Scale figures for the benchmark: a build's time and peak memory, torch vs ONNX on the same
texts, HNSW vs exact on the index's real vectors and queries, and a server's cold start."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

QUERY_FILTERS = ({"doc_type": "speech"}, {"year_from": 2015, "year_to": 2016},
                 {"state_iso3": "FRA"})


def measure_build(corpus: Path, index: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``rtop-search index`` in its own process: seconds and peak resident memory."""
    import psutil

    exe = Path(sys.executable).with_name("rtop-search")
    started = time.perf_counter()
    proc = subprocess.Popen([str(exe), "index", str(corpus), "--index-dir", str(index)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            break
        time.sleep(0.1)
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"the benchmark build failed: {err.decode()[-2000:]}")
    manifest = json.loads((index / "current" / "manifest.json").read_text())
    return {"documents": manifest["documents"], "chunks": manifest["chunks"],
            "seconds": round(seconds, 1), "chunks_per_s": round(manifest["chunks"] / seconds, 1),
            "peak_rss_mb": round(peak / 2**20, 1), "corpus_version": manifest["corpus_version"]}


def compare_encoders(chosen: Any, torch: Any, texts: Sequence[str],
                     queries: Sequence[str]) -> dict[str, Any]:
    """The configured encoder against torch on the same chunk texts and one-query calls."""
    timed = {}
    vectors = {}
    for name, encoder in (("torch", torch), (chosen.backend, chosen)):
        encoder.embed(list(texts[:32]))  # warm-up
        started = time.perf_counter()
        vectors[name] = encoder.embed(list(texts))
        batch_s = time.perf_counter() - started
        singles = []
        for q in queries:
            started = time.perf_counter()
            encoder.embed([q])
            singles.append((time.perf_counter() - started) * 1000)
        timed[name] = {"chunks_per_s": round(len(texts) / batch_s, 1),
                       "query_p50_ms": round(median(singles), 2)}
    cosine = (vectors["torch"] * vectors[chosen.backend]).sum(axis=1)
    mine = timed[chosen.backend]
    return {"backend": chosen.backend, "texts": len(texts), "queries": len(queries),
            "by_backend": timed,
            "speedup_vs_torch": round(mine["chunks_per_s"] / timed["torch"]["chunks_per_s"], 3),
            "query_speedup_vs_torch": round(timed["torch"]["query_p50_ms"]
                                            / mine["query_p50_ms"], 3),
            "mean_cosine_vs_torch": round(float(cosine.mean()), 7),
            "min_cosine_vs_torch": round(float(cosine.min()), 7)}


def eval_questions() -> list[str]:
    """The project's evaluation questions (train and dev): realistic queries for recall."""
    lines = resources.files("eval").joinpath("questions.jsonl").read_text().splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def _recall(truth: list[list[int]], got: list[list[int]]) -> float:
    found = sum(len(set(t) & set(g)) for t, g in zip(truth, got, strict=True))
    return round(found / max(1, sum(len(t) for t in truth)), 4)


def _timed(search: Any, queries: np.ndarray) -> tuple[list[list[int]], float]:
    results, times = [], []
    for q in queries:
        started = time.perf_counter()
        results.append([i for i, _ in search(q)])
        times.append((time.perf_counter() - started) * 1000)
    return results, round(median(times), 3)


def ann_on_corpus(index_dir: Path, embedder: Any, sizes: Sequence[float] = (0.125, 0.25, 0.5, 1.0),
                  k: int = 10) -> dict[str, Any]:
    """HNSW vs exact on the index's own vectors and the eval questions: recall@k and latency
    at growing sizes (the crossover), and recall under filters at full size."""
    import faiss

    from indexer import ann
    from indexer.models import Filters
    from indexer.reader import IndexReader

    reader = IndexReader(index_dir)
    exact = faiss.read_index(str(reader.path / ann.EXACT_FILE))
    ids, vectors = ann.vectors_of(exact)
    queries = embedder.embed(eval_questions())
    rows = []
    for share in sizes:
        n = max(k, int(len(ids) * share))
        pick = np.random.default_rng(0).permutation(len(ids))[:n]
        sub = faiss.IndexIDMap2(faiss.IndexFlatIP(exact.d))
        sub.add_with_ids(vectors[pick], ids[pick])
        started = time.perf_counter()
        hnsw = ann.build_hnsw(sub)
        build_s = time.perf_counter() - started
        truth, exact_ms = _timed(lambda q, s=sub: ann.search(s, False, q, k), queries)
        got, hnsw_ms = _timed(lambda q, h=hnsw: ann.search(h, True, q, k), queries)
        rows.append({"vectors": n, "exact_p50_ms": exact_ms, "hnsw_p50_ms": hnsw_ms,
                     "recall_at_10": _recall(truth, got), "hnsw_build_s": round(build_s, 1)})
    filtered = []
    for spec in QUERY_FILTERS:
        allowed = reader.allowed_ids(Filters(**spec))
        if allowed.size == 0:
            continue
        truth, exact_ms = _timed(lambda q, a=allowed: ann.search(exact, False, q, k, a), queries)
        got, hnsw_ms = _timed(lambda q, a=allowed: ann.search(hnsw, True, q, k, a), queries)
        filtered.append({"filter": spec, "allowed": int(allowed.size),
                         "path": "exact subset" if allowed.size <= ann.EXACT_FILTER_MAX
                         else "hnsw filtered", "exact_p50_ms": exact_ms, "hnsw_p50_ms": hnsw_ms,
                         "recall_at_10": _recall(truth, got)})
    faster = [r["vectors"] for r in rows if r["hnsw_p50_ms"] < r["exact_p50_ms"] / 2]
    return {"queries": len(queries), "m": ann.HNSW_M, "ef_search": ann.EF_SEARCH,
            "ef_construction": ann.EF_CONSTRUCTION, "sizes": rows, "filtered": filtered,
            "hnsw_twice_as_fast_from": min(faster) if faster else None,
            "configured_min_vectors": ann.HNSW_MIN_VECTORS}
