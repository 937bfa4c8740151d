"""Read-only access to one finished Milvus build (the Store protocol).

Passages, texts and vectors are read from Milvus on each call; the documents' listing fields
(a few per document) are read once when the reader opens, and answer the listing, facet and
symbol lookups as the local store's SQL does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from indexer import ann
from indexer import milvus_schema as ms
from indexer.errors import IndexNotFoundError, NotFoundError, StoreUnavailableError
from indexer.milvus_store import MilvusBackend, decode_vectors, load, scan
from indexer.models import Chunk, DocMeta, Document, Filters, PageSpan
from indexer.store import check_manifest
from indexer.stores import LISTING_COLUMNS, NO_FILTERS
from indexer.terms import holds_phrase, query_words, terms_of

MAX_LIMIT = 16_384  # Milvus's largest top-k


class MilvusReader:
    """The live build when it was opened; a later build is read by a new reader."""

    def __init__(self, backend: MilvusBackend, expected_fingerprint: str | None = None) -> None:
        self.client, self.prefix = backend.client, backend.prefix
        name = backend.live()
        if name is None:
            raise IndexNotFoundError(f"No index in {backend}.",
                                     "Build one with: RTOP_STORE=milvus rtop-search index corpus/")
        self.name, self.backend = name, backend
        self._call(lambda: load(self.client, self.prefix, name))
        self.manifest = backend.record(name, "manifest")
        check_manifest(self.manifest, str(backend), expected_fingerprint)
        self.dim = self.manifest["model"]["dim"]
        self.approximate = self.manifest["store"]["dense_index"] == "HNSW"
        rows = self._call(lambda: list(scan(self.client, self._c("docs"), ms.DOC_FIELDS)))
        self.docs = {r["doc_id"]: r for r in sorted(rows, key=lambda r: r["doc_id"])}

    def _c(self, part: str) -> str:
        return ms.collection(self.prefix, self.name, part)

    def _call(self, fn: Any) -> Any:
        from pymilvus.exceptions import MilvusException

        try:
            return fn()
        except MilvusException as exc:
            raise StoreUnavailableError(f"Milvus failed on build {self.name}: {exc.message}",
                                        "Check the server; a reindex may have dropped this "
                                        "build, and a restart opens the live one.") from None

    def build_report(self) -> dict[str, Any]:
        return self.backend.record(self.name, "report") or {}

    def search_dense(self, vector: np.ndarray, k: int,
                     filters: Filters = NO_FILTERS) -> list[tuple[int, float]]:
        k = min(k, MAX_LIMIT)
        params = {"metric_type": "IP", "params": {"ef": max(ann.EF_SEARCH, k)}}
        found = self._call(lambda: self.client.search(
            self._c("chunks"), data=[np.asarray(vector, dtype=np.float32).tolist()],
            anns_field="vector", limit=k, filter=ms.expression(filters), output_fields=[],
            search_params=params))
        return [(int(h["id"]), float(h["distance"])) for h in found[0]]

    def search_lexical(self, query: str, k: int, filters: Filters = NO_FILTERS, *,
                       phrases: tuple[str, ...] = ()) -> list[tuple[int, float]]:
        """BM25 over the passages' terms; with ``phrases``, only passages holding one."""
        if not phrases:
            terms = terms_of([" ".join(query_words(query))])[0]
            return self._bm25(" ".join(terms), k, ms.expression(filters)) if terms else []
        wanted = [t for t in terms_of(list(phrases)) if t]
        if not wanted:
            return []
        holds = " or ".join("(" + " and ".join(f"text_match(terms, {ms.literal(t)})"
                                               for t in dict.fromkeys(p)) + ")" for p in wanted)
        words = " ".join(dict.fromkeys(t for p in wanted for t in p))
        rows = self._bm25(words, k, ms.both(ms.expression(filters), holds), with_terms=True)
        return [(i, s) for i, s, terms in rows
                if any(holds_phrase(terms.split(), p) for p in wanted)]

    def _bm25(self, text: str, k: int, expr: str, with_terms: bool = False) -> list[Any]:
        found = self._call(lambda: self.client.search(
            self._c("chunks"), data=[text], anns_field="sparse", limit=min(k, MAX_LIMIT),
            filter=expr, output_fields=["terms"] if with_terms else [],
            search_params={"metric_type": "BM25"}))
        # the BM25 score: Milvus gives it as the distance, Milvus Lite as its negation
        if with_terms:
            return [(int(h["id"]), abs(float(h["distance"])), h["entity"]["terms"])
                    for h in found[0]]
        return [(int(h["id"]), abs(float(h["distance"]))) for h in found[0]]

    def _rows(self, ids: list[int], fields: list[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        return self._call(lambda: self.client.query(self._c("chunks"), ids=ids,
                                                    output_fields=fields))

    def chunks(self, ids: list[int]) -> dict[int, Chunk]:
        return {r["id"]: Chunk(*(r[f] for f in ms.CHUNK_FIELDS[1:]))
                for r in self._rows(list(ids), ms.CHUNK_FIELDS)}

    def _chunk_id(self, doc_id: str, ordinal: int) -> int | None:
        doc = self.docs.get(doc_id)
        return doc["first_id"] + ordinal if doc and 0 <= ordinal < doc["n_chunks"] else None

    def following(self, keys: list[tuple[str, int]], span: int = 1) -> dict[int, Chunk]:
        """The ``span`` chunks after each (doc_id, ordinal): a document's ids run in order."""
        ids = {i for doc_id, ordinal in keys for step in range(1, span + 1)
               if (i := self._chunk_id(doc_id, ordinal + step)) is not None}
        return self.chunks(sorted(ids))

    def sentences(self, chunk_ids: list[str]) -> list[tuple[str, int, int, np.ndarray]]:
        ids = []
        for chunk_id in chunk_ids:
            doc_id, _, ordinal = chunk_id.rpartition(":")
            if ordinal.isdigit() and (i := self._chunk_id(doc_id, int(ordinal))) is not None:
                ids.append(i)
        out = []
        for r in sorted(self._rows(ids, ["chunk_id", "sentence_spans", "sentence_vectors"]),
                        key=lambda r: r["id"]):
            vectors = decode_vectors(r["sentence_vectors"], self.dim)
            spans = json.loads(r["sentence_spans"])
            out.extend((r["chunk_id"], a, b, v) for (a, b), v in zip(spans, vectors, strict=True))
        return out

    def chunk_vectors(self, ids: list[int]) -> np.ndarray:
        by_id = {r["id"]: r["vector"] for r in self._rows(list(ids), ["vector"])}
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray([by_id[i] for i in ids], dtype=np.float32)

    def _records(self, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not doc_ids:
            return {}
        rows = self._call(lambda: self.client.query(self._c("docs"), ids=list(doc_ids),
                                                    output_fields=["record"]))
        return {r["key"]: json.loads(r["record"]) for r in rows}

    def _document(self, doc_id: str, record: dict[str, Any], text: str) -> Document:
        return Document(
            doc_id=doc_id, path=record["path"], source=self.docs[doc_id]["source"],
            content_hash=record["content_hash"], text=text, meta=DocMeta(**record["meta"]),
            pages=tuple(PageSpan(**p) for p in record["pages"]), flags=tuple(record["flags"]))

    def document(self, doc_id: str, with_text: bool = True) -> Document:
        record = self._records([doc_id]).get(doc_id)
        if record is None or doc_id not in self.docs:
            raise NotFoundError(f"No document {doc_id!r} in the index.",
                                "List the documents with GET /api/documents.")
        text = ""
        if with_text:
            parts = self._call(lambda: self.client.query(
                self._c("texts"), filter=f"doc_id == {ms.literal(doc_id)}",
                output_fields=["part", "text"]))
            text = "".join(p["text"] for p in sorted(parts, key=lambda p: p["part"]))
        return self._document(doc_id, record, text)

    def metas(self, doc_ids: list[str]) -> dict[str, DocMeta]:
        return {d: DocMeta(**r["meta"]) for d, r in self._records(doc_ids).items()}

    def _matching(self, where: dict[str, Any] | None) -> list[dict[str, Any]]:
        items = [(k, v) for k, v in (where or {}).items() if v is not None]
        assert all(k in LISTING_COLUMNS for k, _ in items), items
        return [d for d in self.docs.values() if all(d[k] == v for k, v in items)]

    def documents(self, offset: int = 0, limit: int = 50,
                  where: dict[str, Any] | None = None) -> tuple[int, list[Document]]:
        matching = self._matching(where)
        page = [d["doc_id"] for d in matching[offset : offset + limit]]
        records = self._records(page)
        return len(matching), [self._document(d, records[d], "") for d in page]

    def count_by(self, column: str, where: dict[str, Any] | None = None) -> dict[Any, int]:
        assert column in LISTING_COLUMNS
        counts: dict[Any, int] = {}
        for d in self._matching(where):
            if d[column] is not None:
                counts[d[column]] = counts.get(d[column], 0) + 1
        return dict(sorted(counts.items()))

    def distinct(self, column: str) -> list[Any]:
        assert column in LISTING_COLUMNS
        return sorted({d[column] for d in self.docs.values() if d[column] is not None})

    def documents_with_symbol(self, symbol: str) -> list[str]:
        """Ids of the documents whose symbol is ``symbol`` (normalised, with or without year)."""
        out = []
        for doc_id, d in self.docs.items():
            own = (d["symbol"] or "").replace(" ", "").upper()
            if own and (own == symbol or own.startswith(symbol + "(")):
                out.append(doc_id)
        return out

    def doc_freq(self, term: str) -> int:
        """How many chunks hold the term (stemmed as the lexical index stems)."""
        words = re.findall(r"\w+", term)
        terms = terms_of([" ".join(words)])[0] if words else []
        if len(terms) != 1:
            return len(self.search_lexical("", MAX_LIMIT, phrases=(term,))) if terms else 0
        rows = self._call(lambda: self.client.query(self._c("vocab"), ids=terms,
                                                    output_fields=["df"]))
        return int(rows[0]["df"]) if rows else 0

    def held_words(self, words: Sequence[str]) -> set[str]:
        """Which of the single words some chunk holds: one query of the vocabulary."""
        terms = terms_of(list(words))
        wanted = sorted({t[0] for t in terms if len(t) == 1})
        if not wanted:
            return set()
        rows = self._call(lambda: self.client.query(self._c("vocab"), ids=wanted,
                                                    output_fields=["df"]))
        held = {r["term"] for r in rows if int(r["df"]) > 0}
        return {w for w, t in zip(words, terms, strict=True) if len(t) == 1 and t[0] in held}

    def counts(self) -> dict[str, int]:
        return {"documents": len(self.docs),
                "chunks": sum(d["n_chunks"] for d in self.docs.values())}
