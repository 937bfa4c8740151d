"""Scale figures for the benchmark: a build's time and peak memory, the build beside the torch
baseline, a build killed halfway and resumed, torch vs ONNX on the same texts, and HNSW vs
exact on the index's real vectors and queries."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
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


# The pipeline issue 11 measured (66 min for the 3,857 speeches): the torch encoder in batches
# of 32, 128-token chunks overlapping by one sentence. The bench builds it beside the
# configured pipeline.
BASELINE_ENV = {"RTOP_ENCODER": "torch", "RTOP_EMBED_BATCH_SIZE": "32",
                "RTOP_CHUNK_MAX_TOKENS": "128", "RTOP_CHUNK_OVERLAP_SENTENCES": "1"}


def measure_build(corpus: Path, index: Path, env: dict[str, str] | None = None,
                  kill_at: float | None = None) -> dict[str, Any]:
    """``rtop-search index`` in its own process: seconds and peak resident memory.

    ``kill_at`` (a share of the documents): SIGKILL the build once its finished batches hold
    that share, and return what it had done by then instead.
    """
    import psutil

    exe = Path(sys.executable).with_name("rtop-search")
    started = time.perf_counter()
    proc = subprocess.Popen([str(exe), "index", str(corpus), "--index-dir", str(index)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    watched, peak, total = psutil.Process(proc.pid), 0, _document_count(corpus)
    while proc.poll() is None:
        try:
            peak = max(peak, watched.memory_info().rss)
        except psutil.Error:
            break
        if kill_at is not None and _finished_documents(index) >= kill_at * total:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return {"killed_after_s": round(time.perf_counter() - started, 1),
                    "documents_done": _finished_documents(index), "documents_total": total}
        time.sleep(0.1)
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"the benchmark build failed: {err.decode()[-2000:]}")
    manifest = json.loads((index / "current" / "manifest.json").read_text())
    return {"documents": manifest["documents"], "chunks": manifest["chunks"],
            "seconds": round(seconds, 1), "chunks_per_s": round(manifest["chunks"] / seconds, 1),
            "peak_rss_mb": round(peak / 2**20, 1), "corpus_version": manifest["corpus_version"],
            "encoder": (env or {}).get("RTOP_ENCODER", os.environ.get("RTOP_ENCODER", "default"))}


def _document_count(corpus: Path) -> int:
    from indexer.discover import discover

    return len(discover([corpus])[0])


def _finished_documents(index: Path) -> int:
    """Documents in the checkpointed batches of the build under way (read-only, from outside)."""
    builds = index / "builds"
    for folder in sorted(builds.iterdir()) if builds.is_dir() else []:
        db = folder / "index.sqlite"
        if (folder / "manifest.json").is_file() or not db.is_file():
            continue
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.Error:
            return 0  # the schema is not written yet, or a batch is being committed
    return 0


def sample_corpus(corpus: Path, target: Path, n: int) -> Path:
    """Every k-th document of ``corpus`` (so all years are in it), copied with its folders."""
    from indexer.discover import discover

    corpus = corpus.resolve()  # discover gives absolute paths
    files = discover([corpus])[0]
    step = max(1, len(files) // n)
    for f in files[::step][:n]:
        copy = target / f.path.relative_to(corpus)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(f.path, copy)
    for catalog in corpus.rglob("catalog.json"):
        copy = target / catalog.relative_to(corpus)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(catalog, copy)
    return target


def build_speedup(corpus: Path, work: Path) -> dict[str, Any]:
    """The configured build and the baseline (BASELINE_ENV) on the same documents, one after
    the other in this run."""
    ours = measure_build(corpus, work / "speed-configured")
    baseline = measure_build(corpus, work / "speed-baseline", env=BASELINE_ENV)
    return {"corpus": str(corpus), "documents": ours["documents"], "configured": ours,
            "baseline": {**baseline, "settings": BASELINE_ENV},
            "speedup_vs_torch": round(baseline["seconds"] / ours["seconds"], 3)}


def resume_check(corpus: Path, work: Path, uninterrupted: Path, share: float = 0.5
                 ) -> dict[str, Any]:
    """Kill a build of ``corpus`` at ``share`` of its documents, run it again, and compare the
    result with the uninterrupted build in ``uninterrupted``."""
    index = work / "resumed"
    killed = measure_build(corpus, index, kill_at=share)
    resumed = measure_build(corpus, index)
    whole = json.loads((uninterrupted / "current" / "manifest.json").read_text())
    return {"killed": killed, "resumed": resumed,
            "same_corpus_version": resumed["corpus_version"] == whole["corpus_version"],
            "same_chunks": _digest(index) == _digest(uninterrupted),
            "max_vector_difference": _vector_difference(index, uninterrupted)}


def _digest(index: Path) -> str:
    """A hash of every chunk's id, citation span and text, in id order."""
    db = sqlite3.connect(f"file:{index / 'current' / 'index.sqlite'}?mode=ro", uri=True)
    digest = hashlib.sha256()
    for row in db.execute("SELECT chunk_id, char_start, char_end, text FROM chunks "
                          "ORDER BY chunk_id"):
        digest.update(json.dumps(row).encode())
    db.close()
    return digest.hexdigest()


def _vector_difference(a: Path, b: Path) -> float:
    """The largest difference between the two builds' vectors of the same chunk."""
    import faiss

    from indexer import ann

    vectors = {}
    for name, index in (("a", a), ("b", b)):
        db = sqlite3.connect(f"file:{index / 'current' / 'index.sqlite'}?mode=ro", uri=True)
        rows = dict(db.execute("SELECT id, chunk_id FROM chunks"))
        db.close()
        ids, matrix = ann.vectors_of(faiss.read_index(str(index / "current" / ann.EXACT_FILE)))
        vectors[name] = {rows[int(i)]: v for i, v in zip(ids, matrix, strict=True)}
    common = vectors["a"].keys() & vectors["b"].keys()
    if common != vectors["a"].keys() | vectors["b"].keys():
        return float("inf")
    return float(max(np.abs(vectors["a"][c] - vectors["b"][c]).max() for c in common))


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
