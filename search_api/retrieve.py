"""Hybrid retrieval: FAISS dense search + SQLite FTS5 BM25, fused, overlapping chunks removed."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from indexer.embed import Embedder
from indexer.models import Filters, Hit
from indexer.stores import Store

RRF_K = 60


@dataclass
class Timings:
    """Milliseconds spent per stage of one request (for the benchmark's breakdown)."""

    ms: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, stage: str, started: float) -> None:
        self.ms[stage] += (time.perf_counter() - started) * 1000


def rrf(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: sum over rankings of 1 / (k + rank), rank starting at 1."""
    fused: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] += 1.0 / (k + rank)
    return dict(fused)


def search(
    reader: Store,
    embedder: Embedder,
    query: str,
    k: int = 10,
    filters: Filters | None = None,
    *,
    mode: str = "hybrid",
    depth: int = 50,
    timings: Timings | None = None,
    query_vector: np.ndarray | None = None,
    dedupe: bool = True,
) -> list[Hit]:
    """Top-k hits for a query; mode is "hybrid", "dense" or "lexical".

    With ``dedupe`` a chunk overlapping a better-ranked chunk of the same document is dropped
    (for display); answers keep them and dedupe sentence by sentence instead.
    """
    filters = filters or Filters()
    timings = timings or Timings()
    depth = max(depth, k * 3)
    dense: list[tuple[int, float]] = []
    lexical: list[tuple[int, float]] = []
    if mode in ("hybrid", "dense"):
        started = time.perf_counter()
        if query_vector is None:
            query_vector = embedder.embed([query])[0]
        timings.add("embed", started)
        started = time.perf_counter()
        dense = reader.search_dense(query_vector, depth, filters)
        timings.add("faiss", started)
    if mode in ("hybrid", "lexical"):
        started = time.perf_counter()
        lexical = reader.search_lexical(query, depth, filters)
        timings.add("fts5", started)
    started = time.perf_counter()
    if mode == "hybrid":
        scores = rrf([[i for i, _ in dense], [i for i, _ in lexical]])
    else:
        scores = dict(dense or lexical)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    chunks = reader.chunks(ranked[: depth * 2])
    dense_of, lexical_of = dict(dense), dict(lexical)
    picked: list[int] = []
    kept: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for row in ranked:
        chunk = chunks.get(row)
        if chunk is None:
            continue
        spans = kept[chunk.doc_id]
        if dedupe and any(chunk.char_start < end and start < chunk.char_end
                          for start, end in spans):
            continue  # an overlapping chunk of the same document already ranks higher
        spans.append((chunk.char_start, chunk.char_end))
        picked.append(row)
        if len(picked) == k:
            break
    missing = [row for row in picked if row not in dense_of]
    if missing and query_vector is not None:  # lexical-only hits get their cosine too
        cosines = reader.chunk_vectors(missing) @ query_vector
        dense_of.update({row: float(c) for row, c in zip(missing, cosines, strict=True)})
    metas = reader.metas(sorted({chunks[row].doc_id for row in picked})) if picked else {}
    hits = [Hit(chunks[row], scores[row], dense_of.get(row), lexical_of.get(row),
                metas.get(chunks[row].doc_id)) for row in picked]
    timings.add("fuse", started)
    return hits


def phrase_hits(reader: Store, phrases: tuple[str, ...], k: int, filters: Filters | None = None,
                exclude: set[str] | None = None) -> list[Hit]:
    """Every chunk holding one of the phrases word for word, best BM25 first."""
    rows = reader.search_lexical("", k, filters or Filters(), phrases=phrases)
    chunks = reader.chunks([row for row, _ in rows])
    picked = [(chunks[row], score) for row, score in rows
              if row in chunks and chunks[row].chunk_id not in (exclude or set())]
    metas = reader.metas(sorted({c.doc_id for c, _ in picked})) if picked else {}
    return [Hit(c, 0.0, None, score, metas.get(c.doc_id)) for c, score in picked]
