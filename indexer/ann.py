"""Dense search over the index's vectors: exact (flat) for small indexes, HNSW for large ones.

A build always keeps the exact vectors (``vectors.faiss``, the base of the next incremental
build). From ``HNSW_MIN_VECTORS`` on it also writes ``vectors.hnsw``, which the reader then
loads instead. Filters stay exact: a selective filter is searched exactly over the vectors it
allows; a broad one through HNSW restricted to the allowed ids, with a wider search.
The constants are measured by ``rtop-search bench`` (recall@10 against exact search on the
real corpus vectors and queries, and latency at each size).
"""

from __future__ import annotations

import logging
from pathlib import Path

import faiss
import numpy as np

from indexer.settings import HNSW_MIN_VECTORS

log = logging.getLogger(__name__)

EXACT_FILE = "vectors.faiss"
HNSW_FILE = "vectors.hnsw"
# Question-to-passage queries are hard for a graph index (they sit far from the passages):
# on 20,553 real chunk vectors with the 393 evaluation questions as queries, recall@10 was
# 0.89 at efSearch 64 and 0.984 at 512 with efConstruction 80, 0.994 at 512 with 200 (1.4 ms
# a query against 3.3 ms exact). Below HNSW_MIN_VECTORS exact search stays under ~8 ms.
HNSW_M = 32
EF_CONSTRUCTION = 200
EF_SEARCH = 512
EXACT_FILTER_MAX = 20_000  # a filter allowing at most this many vectors is searched exactly
MAX_EF_SEARCH = 4096


def vectors_of(index: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of an IndexIDMap2 over a flat index, without copying row by row."""
    ids = faiss.vector_to_array(index.id_map).astype(np.int64)
    flat = faiss.downcast_index(index.index)
    vectors = faiss.vector_to_array(flat.codes).view(np.float32).reshape(-1, index.d)
    return ids, vectors


def build_hnsw(exact: faiss.Index, m: int = HNSW_M,
               ef_construction: int = EF_CONSTRUCTION) -> faiss.Index:
    """An HNSW index with the same ids and vectors as the exact one."""
    ids, vectors = vectors_of(exact)
    hnsw = faiss.IndexHNSWFlat(exact.d, m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = ef_construction
    index = faiss.IndexIDMap2(hnsw)
    index.add_with_ids(vectors, ids)
    return index


def write_vectors(exact: faiss.Index, folder: Path, hnsw_min: int = HNSW_MIN_VECTORS) -> None:
    """The exact vectors, and the HNSW index too when there are at least ``hnsw_min``."""
    faiss.write_index(exact, str(folder / EXACT_FILE))
    if exact.ntotal >= hnsw_min:
        log.info("building the HNSW index over %d vectors", exact.ntotal)
        faiss.write_index(build_hnsw(exact), str(folder / HNSW_FILE))


def read_vectors(folder: Path) -> tuple[faiss.Index, bool]:
    """The index to search (HNSW when the build has one) and whether it is approximate."""
    hnsw = folder / HNSW_FILE
    if hnsw.is_file():
        return faiss.read_index(str(hnsw)), True
    return faiss.read_index(str(folder / EXACT_FILE)), False


def search(index: faiss.Index, approximate: bool, vector: np.ndarray, k: int,
           allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
    """Top ``k`` (id, inner product), restricted to ``allowed`` ids when given."""
    k = min(k, index.ntotal if allowed is None else allowed.size)
    if k <= 0:
        return []
    query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
    if approximate and allowed is not None and allowed.size <= EXACT_FILTER_MAX:
        return exact_subset(index, query[0], k, allowed)
    if approximate:
        # a filter leaves a share of the graph's neighbours usable: widen the search to match
        share = 1.0 if allowed is None else allowed.size / index.ntotal
        ef = int(min(MAX_EF_SEARCH, max(EF_SEARCH, k) / max(share, 1e-3)))
        params = faiss.SearchParametersHNSW(efSearch=ef)
    else:
        params = faiss.SearchParameters()
    selector = None
    if allowed is not None:
        selector = faiss.IDSelectorBatch(allowed)
        params.sel = selector
    # One query vector gains nothing from faiss's OpenMP threads, which then spin waiting for
    # the next parallel region: 33 ms of CPU per answer on the 273 speeches instead of 40-42,
    # at the same latency. The setting is this thread's own (OpenMP's) and is put back after,
    # so a build on the same thread keeps its threads.
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        scores, ids = index.search(query, k, params=params)
    finally:
        faiss.omp_set_num_threads(threads)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def exact_subset(index: faiss.Index, vector: np.ndarray, k: int,
                 allowed: np.ndarray) -> list[tuple[int, float]]:
    """Exact top ``k`` among the ``allowed`` ids (their vectors read back from the index)."""
    vectors = index.reconstruct_batch(allowed)
    scores = vectors @ vector
    top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(allowed[i]), float(scores[i])) for i in top]
