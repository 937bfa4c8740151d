"""HNSW for large indexes: same ids as the exact vectors, high recall, filters still exact."""

from __future__ import annotations

import json

import faiss
import numpy as np
import pytest

from indexer import ann
from indexer.models import Filters
from indexer.pipeline import build_index
from indexer.reader import IndexReader


def _exact(n: int = 4000, dim: int = 32, seed: int = 0) -> tuple[faiss.Index, np.ndarray]:
    """Clustered unit vectors (as text embeddings are) with gappy ids, in an exact index."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    x = centres[rng.integers(0, 40, n)] + 0.5 * rng.normal(size=(n, dim))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    ids = np.arange(n, dtype=np.int64) * 3 + 7  # ids are SQLite row ids: not 0..n-1
    index.add_with_ids(x, ids)
    return index, ids


def _queries(dim: int = 32, n: int = 50) -> np.ndarray:
    """Queries near the data (a query is about what the corpus holds)."""
    exact, ids = _exact(dim=dim)
    rng = np.random.default_rng(1)
    q = exact.reconstruct_batch(rng.choice(ids, n)) + 0.3 * rng.normal(size=(n, dim))
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


def test_hnsw_keeps_ids_and_vectors_and_finds_the_exact_neighbours():
    exact, ids = _exact()
    hnsw = ann.build_hnsw(exact)
    assert hnsw.ntotal == exact.ntotal
    assert np.allclose(hnsw.reconstruct(int(ids[5])), exact.reconstruct(int(ids[5])))
    found = 0
    for q in _queries():
        truth = {i for i, _ in ann.search(exact, False, q, 10)}
        got = ann.search(hnsw, True, q, 10)
        assert len(got) == 10 and {i for i, _ in got} <= set(ids.tolist())
        found += len(truth & {i for i, _ in got})
    assert found / (10 * len(_queries())) >= 0.98


@pytest.mark.parametrize("share", [0.02, 0.6])
def test_filtered_search_returns_only_allowed_ids(share, monkeypatch):
    """A selective filter is searched exactly; a broad one through HNSW with a wider search."""
    exact, ids = _exact()
    hnsw = ann.build_hnsw(exact)
    monkeypatch.setattr(ann, "EXACT_FILTER_MAX", 500)  # 2% (80 ids) exact, 60% through HNSW
    allowed = np.sort(np.random.default_rng(2).choice(ids, int(share * ids.size), replace=False))
    found = 0
    for q in _queries():
        truth = ann.search(exact, False, q, 10, allowed)
        got = ann.search(hnsw, True, q, 10, allowed)
        assert {i for i, _ in got} <= set(allowed.tolist()) and len(got) == 10
        found += len({i for i, _ in truth} & {i for i, _ in got})
        if share < 0.1:
            assert [i for i, _ in got] == [i for i, _ in truth]  # exact: same hits, same order
            assert [s for _, s in got] == pytest.approx([s for _, s in truth], abs=1e-5)
    assert found / (10 * len(_queries())) >= 0.98


def test_filter_allowing_fewer_than_k_returns_them_all():
    exact, ids = _exact(n=500)
    hnsw = ann.build_hnsw(exact)
    got = ann.search(hnsw, True, _queries()[0], 10, ids[:3])
    assert sorted(i for i, _ in got) == sorted(ids[:3].tolist())


def test_build_writes_hnsw_from_the_threshold_on(seed_copy, tmp_path, fake_embedder):
    small = build_index([seed_copy], tmp_path / "small", fake_embedder)
    reader = IndexReader(tmp_path / "small")
    assert not reader.approximate and not (reader.path / ann.HNSW_FILE).exists()
    build_index([seed_copy], tmp_path / "big", fake_embedder, hnsw_min=1)
    reader = IndexReader(tmp_path / "big")
    assert reader.approximate and (reader.path / ann.EXACT_FILE).is_file()
    manifest = json.loads((reader.path / "manifest.json").read_text())
    assert manifest["hnsw"]["written"] and manifest["hnsw"]["min_vectors"] == 1
    assert reader.vectors.ntotal == reader.counts()["chunks"] == small.chunks_total
    vector = fake_embedder.embed(["early warning of atrocity crimes"])[0]
    hits = reader.search_dense(vector, 5)
    assert hits == reader.search_dense(vector, 5)
    doc = reader.chunks([hits[0][0]])[hits[0][0]].doc_id
    only = reader.search_dense(vector, 50, Filters(doc_ids=(doc,)))
    assert only and {reader.chunks([i])[i].doc_id for i, _ in only} == {doc}
    ids = [i for i, _ in hits]
    assert np.allclose(reader.chunk_vectors(ids), np.vstack([reader.vectors.reconstruct(i)
                                                             for i in ids]))


def test_a_search_runs_on_its_own_thread_and_leaves_the_threads_setting_as_it_was():
    exact, ids = _exact()
    query = _queries()[0]
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(3)
    try:
        expected = exact.search(query.reshape(1, -1), 10)[1][0].tolist()
        assert [i for i, _ in ann.search(exact, False, query, 10)] == expected
        assert faiss.omp_get_max_threads() == 3  # a build on this thread keeps its threads
    finally:
        faiss.omp_set_num_threads(before)
