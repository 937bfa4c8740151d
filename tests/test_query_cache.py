"""Query vectors are cached (LRU); batches and spans go straight to the model."""

from __future__ import annotations

import numpy as np

from indexer.embed import CachedEmbedder, HashEmbedder


class Counting(HashEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[str]] = []

    def embed(self, texts, *, progress=False):
        self.calls.append(list(texts))
        return super().embed(texts)


def test_a_repeated_query_is_not_encoded_again():
    inner = Counting()
    cached = CachedEmbedder(inner, size=2)
    first = cached.embed(["focal points"])
    first[0, 0] = 99.0  # a caller changing its copy does not change the cache
    again = cached.embed(["focal points"])
    assert inner.calls == [["focal points"]]
    assert np.allclose(again, inner.embed(["focal points"]))
    assert (cached.hits, cached.misses) == (1, 1)
    assert cached.fingerprint == inner.fingerprint and cached.dim == inner.dim


def test_least_recently_used_query_is_evicted():
    inner = Counting()
    cached = CachedEmbedder(inner, size=2)
    for q in ["a", "b", "a", "c", "a", "b"]:
        cached.embed([q])
    # a, b miss; a hits; c misses and evicts b (a was used more recently); a hits; b misses
    assert [c[0] for c in inner.calls] == ["a", "b", "c", "b"]


def test_batches_and_a_zero_size_bypass_the_cache():
    inner = Counting()
    CachedEmbedder(inner, size=4).embed(["x", "y"])
    off = CachedEmbedder(inner, size=0)
    off.embed(["x"])
    off.embed(["x"])
    assert inner.calls == [["x", "y"], ["x"], ["x"]]
