"""FAISS exact (IndexFlatIP) versus approximate (HNSW, IVF-Flat) search on synthetic embeddings.

Vectors are a clustered synthetic stand-in for sentence embeddings, not uniform noise: a gaussian
mixture of 1,000 clusters spreading in a shared 64-d subspace plus small isotropic noise,
L2-normalised, so inner product = cosine. Queries are fresh draws from the same mixture.
Recall@10 is measured against IndexFlatIP; latency is per single-query call.

Run: ``.venv/bin/python -m eval.ann_bench``
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

DIM = 384
K = 10
TARGET_RECALL = 0.98


def synthetic_vectors(n: int, dim: int = DIM, seed: int = 0, n_clusters: int = 1000) -> np.ndarray:
    """Return ``n`` L2-normalised float32 vectors from a clustered, low-rank gaussian mixture.

    1,000 random (near-orthogonal) cluster centres; points spread around their centre in a shared
    64-d subspace (scale 0.1 per axis) plus isotropic noise (0.01 per axis). Well-separated
    clusters favour IVF; the 64-d within-cluster spread is harder for HNSW than real embeddings.
    """
    rng = np.random.default_rng(seed)
    # Mixture parameters come from a fixed stream so corpus and queries share the same mixture.
    prm = np.random.default_rng(12345)
    centers = prm.standard_normal((n_clusters, dim)).astype(np.float32)
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    basis, _ = np.linalg.qr(prm.standard_normal((dim, 64)))
    basis = (basis.T * 0.1).astype(np.float32)  # 64 x dim, within-cluster spread
    out = np.empty((n, dim), dtype=np.float32)
    for lo in range(0, n, 100_000):
        hi = min(n, lo + 100_000)
        labels = rng.integers(0, n_clusters, hi - lo)
        z = rng.standard_normal((hi - lo, 64), dtype=np.float32)
        noise = rng.standard_normal((hi - lo, dim), dtype=np.float32) * 0.01
        block = centers[labels] + z @ basis + noise
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[lo:hi] = block
    return out


def _recall(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


def _time_single(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[float]]:
    ids = np.empty((len(queries), k), dtype=np.int64)
    times = []
    for i in range(len(queries)):
        t0 = time.perf_counter()
        _, found = index.search(queries[i : i + 1], k)
        times.append((time.perf_counter() - t0) * 1000)
        ids[i] = found[0]
    return ids, times


def _index_mb(index: Any) -> float:
    import faiss

    return faiss.serialize_index(index).nbytes / 2**20


def _nlist(n: int) -> int:
    return max(8, 2 ** round(math.log2(math.sqrt(n))))


def _indexes(
    n: int, hnsw_m: int, ef_construction: int, ef_search: Sequence[int], nprobe: Sequence[int]
) -> Iterator[tuple[str, Any, list[tuple[str, Any]]]]:
    """Yield (name, empty index, [(setting label, setter)]) for each index under test."""
    import faiss

    yield "Flat", faiss.IndexFlatIP(DIM), [("exact", None)]
    hnsw = faiss.IndexHNSWFlat(DIM, hnsw_m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = ef_construction

    def set_ef(ef: int) -> None:
        hnsw.hnsw.efSearch = ef

    yield (
        f"HNSW M={hnsw_m} efC={ef_construction}",
        hnsw,
        [(f"efSearch={ef}", lambda ef=ef: set_ef(ef)) for ef in ef_search],
    )
    nlist = _nlist(n)
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)

    def set_np(p: int) -> None:
        ivf.nprobe = p

    yield (
        f"IVFFlat nlist={nlist}",
        ivf,
        [(f"nprobe={p}", lambda p=p: set_np(p)) for p in nprobe if p <= nlist],
    )


def run_ann_bench(
    sizes: Sequence[int] = (100_000, 1_000_000),
    n_queries: int = 1000,
    seed: int = 0,
    *,
    threads: int | None = None,
    hnsw_m: int = 32,
    ef_construction: int = 80,
    ef_search: Sequence[int] = (32, 64, 128, 256),
    nprobe: Sequence[int] = (8, 16, 32, 64, 128),
) -> list[dict]:
    """Benchmark each index at each size; one row per (size, index, search setting)."""
    import faiss

    threads = threads or os.cpu_count() or 1
    faiss.omp_set_num_threads(threads)
    queries = synthetic_vectors(n_queries, seed=seed + 1_000_003)
    rows: list[dict] = []
    for n in sizes:
        xb = synthetic_vectors(n, seed=seed)
        truth: np.ndarray | None = None
        for name, index, settings in _indexes(n, hnsw_m, ef_construction, ef_search, nprobe):
            t0 = time.perf_counter()
            if not index.is_trained:
                sample = np.random.default_rng(seed).choice(n, min(n, 64 * index.nlist), False)
                index.train(xb[np.sort(sample)])
            index.add(xb)
            build_s = time.perf_counter() - t0
            memory_mb = _index_mb(index)
            if truth is None:  # Flat comes first; batch search is its fastest path
                _, truth = index.search(queries, K)
            for label, apply in settings:
                if apply is not None:
                    apply()
                found, times = _time_single(index, queries, K)
                row = {
                    "n": n,
                    "index": name,
                    "setting": label,
                    "threads": threads,
                    "build_s": round(build_s, 2),
                    "memory_mb": round(memory_mb, 1),
                    "recall_at_10": round(_recall(found, truth), 4),
                    "mean_ms": round(float(np.mean(times)), 3),
                    "p50_ms": round(float(np.median(times)), 3),
                }
                logger.info("%s", row)
                rows.append(row)
            del index
        del xb
    return rows


def _best_approx(rows: Sequence[dict], n: int) -> dict | None:
    ok = [
        r
        for r in rows
        if r["n"] == n and r["index"] != "Flat" and r["recall_at_10"] >= TARGET_RECALL
    ]
    return min(ok, key=lambda r: r["mean_ms"], default=None)


def recommend_index(results: Sequence[dict], latency_budget_ms: float = 10.0) -> str:
    """Say at which corpus size an approximate index should replace IndexFlatIP.

    Flat search cost grows linearly with N, so the measured flat latency is extrapolated to the
    size at which it exceeds ``latency_budget_ms`` per query; the approximate index used there is
    the fastest measured setting reaching recall@10 >= 0.98.
    """
    flats = sorted((r for r in results if r["index"] == "Flat"), key=lambda r: r["n"])
    if not flats:
        return "No IndexFlatIP rows to compare against."
    ref = flats[-1]
    crossover = int(ref["n"] * latency_budget_ms / max(ref["mean_ms"], 1e-9))
    lines = [
        f"IndexFlatIP: {ref['mean_ms']:.2f} ms/query at {ref['n']:,} vectors "
        f"-> exceeds {latency_budget_ms:g} ms/query from about {crossover:,} vectors."
    ]
    for r in flats:
        best = _best_approx(results, r["n"])
        if best is None:
            lines.append(f"At {r['n']:,}: no approximate setting reached recall@10 >= 0.98.")
        else:
            lines.append(
                f"At {r['n']:,}: {best['index']} {best['setting']} recall@10 "
                f"{best['recall_at_10']:.3f}, {best['mean_ms']:.2f} ms "
                f"vs flat {r['mean_ms']:.2f} ms "
                f"({r['mean_ms'] / max(best['mean_ms'], 1e-9):.0f}x faster)."
            )
    lines.append(
        f"Recommendation: stay exact (IndexFlatIP) below ~{crossover:,} vectors; above that use "
        "the approximate index with the best recall/latency listed, keeping its recall@10 "
        "measured against the flat index."
    )
    return "\n".join(lines)


def format_table(rows: Sequence[dict]) -> str:
    """Render benchmark rows as a fixed-width text table."""
    cols = ["n", "index", "setting", "build_s", "memory_mb", "recall_at_10", "mean_ms", "p50_ms"]
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in cols}
    head = "  ".join(c.ljust(widths[c]) for c in cols)
    body = ["  ".join(str(r[c]).ljust(widths[c]) for c in cols) for r in rows]
    return "\n".join([head, "-" * len(head), *body])


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    t0 = time.perf_counter()
    rows = run_ann_bench()
    print(
        f"threads={rows[0]['threads']}, dim={DIM}, k={K}, queries=1000, "
        f"total {time.perf_counter() - t0:.0f} s"
    )
    print(format_table(rows))
    print()
    print(recommend_index(rows))


if __name__ == "__main__":
    main()
