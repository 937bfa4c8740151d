"""The store interface: what builds write and what retrieval, answers, API and UI read.

Two implementations: SQLite + FAISS in a local folder (indexer/store.py, indexer/reader.py)
and Milvus (indexer/milvus_store.py). Chunk ids are integers the store assigns; a build is
made visible all at once, so a reader sees either the old corpus or the new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from indexer.models import Chunk, DocMeta, Document, Filters
from indexer.settings import Settings

NO_FILTERS = Filters()
LISTING_COLUMNS = frozenset({"doc_type", "state_iso3", "source", "year"})


class Store(Protocol):
    """Read-only access to one finished build; safe to share across threads."""

    name: str  # the build it reads; a new build has a new name
    manifest: dict[str, Any]

    def build_report(self) -> dict[str, Any]: ...

    def search_dense(self, vector: np.ndarray, k: int,
                     filters: Filters = NO_FILTERS) -> list[tuple[int, float]]: ...

    def search_lexical(self, query: str, k: int, filters: Filters = NO_FILTERS, *,
                       phrases: tuple[str, ...] = ()) -> list[tuple[int, float]]:
        """BM25 over chunk text; with ``phrases``, only chunks holding one of them word for
        word, ranked by BM25 of the phrases' words."""
        ...

    def chunks(self, ids: list[int]) -> dict[int, Chunk]: ...

    def following(self, keys: list[tuple[str, int]], span: int = 1) -> dict[int, Chunk]:
        """The ``span`` chunks after each (doc_id, ordinal)."""
        ...

    def sentences(self, chunk_ids: list[str]) -> list[tuple[str, int, int, np.ndarray]]:
        """(chunk_id, char_start, char_end, vector) of every sentence of the given chunks."""
        ...

    def chunk_vectors(self, ids: list[int]) -> np.ndarray: ...

    def document(self, doc_id: str, with_text: bool = True) -> Document: ...

    def metas(self, doc_ids: list[str]) -> dict[str, DocMeta]: ...

    def documents(self, offset: int = 0, limit: int = 50,
                  where: dict[str, Any] | None = None) -> tuple[int, list[Document]]: ...

    def count_by(self, column: str, where: dict[str, Any] | None = None) -> dict[Any, int]: ...

    def distinct(self, column: str) -> list[Any]: ...

    def documents_with_symbol(self, symbol: str) -> list[str]: ...

    def doc_freq(self, term: str) -> int:
        """How many chunks hold the term (stemmed as the lexical index stems)."""
        ...

    def held_words(self, words: Sequence[str]) -> set[str]:
        """Which of the single words some chunk holds, asked at once (a spelling check tries
        hundreds)."""
        ...

    def counts(self) -> dict[str, int]: ...


class StoreWriter(Protocol):
    """Writes one new build, starting from the live one's documents; ``commit`` swaps it in."""

    resumed: bool  # it continues a build that was stopped or killed

    def fingerprints(self) -> dict[str, str]: ...

    def remove_document(self, doc_id: str) -> None: ...

    def add_document(self, doc: Document, fingerprint: str, chunks: list[Chunk],
                     vectors: np.ndarray, sentence_vectors: list[np.ndarray]) -> None: ...

    def checkpoint(self) -> None:
        """What was written so far survives a kill."""
        ...

    def counts(self) -> tuple[int, int]: ...

    def commit(self, manifest: dict[str, Any], report: dict[str, Any]) -> str:
        """Make the build the live one, atomically; returns its name."""
        ...

    def abort(self) -> None: ...

    def suspend(self) -> None:
        """Stop, keeping what was checkpointed for the next build to resume."""
        ...


class Backend(Protocol):
    """Where builds live: the live one's manifest, a writer of the next, a reader."""

    def manifest(self) -> dict[str, Any] | None: ...

    def live(self) -> str | None:
        """The name of the live build, or None before the first one."""
        ...

    def fingerprints(self) -> dict[str, str]:
        """doc_id -> fingerprint of the live build's documents."""
        ...

    def last_report(self) -> dict[str, Any]: ...

    def writer(self, dim: int, identity: dict[str, Any], incremental: bool,
               hnsw_min: int) -> StoreWriter: ...

    def reader(self, expected_fingerprint: str | None = None) -> Store: ...

    def close(self) -> None:
        """Let go of the engine (a Milvus connection); readers opened from it stop working."""
        ...


def open_backend(settings: Settings) -> Backend:
    """The store the settings name (RTOP_STORE): the local folder, or Milvus."""
    if settings.store == "milvus":
        from indexer.milvus_store import MilvusBackend

        return MilvusBackend(settings)
    from indexer.store import LocalBackend

    return LocalBackend(settings.index_dir)
