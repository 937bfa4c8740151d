"""Writes one Milvus build (the StoreWriter of the Milvus backend).

A build writes new collections beside the live ones, starting from a copy of the live build's
rows (incremental by fingerprint, as locally), and is swapped in by moving the alias: readers
keep the build they opened until they open the new one. Every batch's rows carry its step; a
checkpoint records the step, so a killed build resumes by deleting the rows of the unfinished
step.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import numpy as np

from indexer import milvus_schema as ms
from indexer.milvus_store import (
    KEEP_BUILDS,
    PAGE,
    MilvusBackend,
    encode_vectors,
    fingerprints,
    load,
    scan,
)
from indexer.models import Chunk, Document
from indexer.terms import terms_of

log = logging.getLogger(__name__)


class MilvusWriter:
    """One new build's collections; the pipeline's StoreWriter."""

    def __init__(self, backend: MilvusBackend, dim: int, base: str | None,
                 identity: dict[str, Any], hnsw_min: int) -> None:
        self.backend, self.client, self.prefix = backend, backend.client, backend.prefix
        self.dim, self.base, self.identity, self.hnsw_min = dim, base, identity, hnsw_min
        self._rows: dict[str, list[dict[str, Any]]] = {part: [] for part in ms.PARTS}
        self.name = self._resumable()
        self.resumed = self.name is not None
        if self.name is None:
            self.name = datetime.now(UTC).strftime("b%Y%m%dT%H%M%S%f")
            self.step, self.next_id = 0, 1
            for part, schema in ms.schemas(self.client, dim).items():
                self.client.create_collection(  # indexed at once: Milvus loads it for queries
                    self._c(part), schema=schema,
                    index_params=ms.index_params(self.client, part, hnsw=False))
            if base is not None:
                self._copy_base()
            self.checkpoint()

    def _c(self, part: str) -> str:
        return ms.collection(self.prefix, self.name, part)

    def _resumable(self) -> str | None:
        """The unfinished build with this identity, its unfinished step undone; other
        unfinished builds are dropped."""
        found = None
        for build, state in sorted(self.backend.builds().items()):
            if state is None or state.get("state") != "building":
                continue
            if found is None and state.get("identity") == self.identity:
                found = build
                self.step, self.next_id = state["step"], state["next_id"]
            else:
                self.backend.drop(build)
        if found is not None:
            log.info("Resuming the unfinished Milvus build %s", found)
            self.name = found
            load(self.client, self.prefix, found)
            for part in ("chunks", "docs", "texts"):
                self.client.delete(self._c(part), filter=f"step > {self.step}")
        return found

    def _copy_base(self) -> None:
        """Start from the live build's rows (their vectors and ids kept)."""
        assert self.base is not None
        load(self.client, self.prefix, self.base)
        for part in ("chunks", "docs", "texts"):
            source = ms.collection(self.prefix, self.base, part)
            fields = [f["name"] for f in self.client.describe_collection(source)["fields"]
                      if f["name"] != "sparse"]
            batch = []
            for row in scan(self.client, source, fields):
                batch.append(row)
                if part == "chunks":
                    self.next_id = max(self.next_id, row["id"] + 1)
                if len(batch) == PAGE:
                    self.client.insert(self._c(part), batch)
                    batch = []
            if batch:
                self.client.insert(self._c(part), batch)

    def checkpoint(self) -> None:
        self.step += 1
        for part, rows in self._rows.items():
            for start in range(0, len(rows), PAGE):
                self.client.insert(self._c(part), rows[start : start + PAGE])
            rows.clear()
        for part in ("chunks", "docs", "texts"):
            self.client.flush(self._c(part))
        self.backend.put_record(self.name, "state", {
            "state": "building", "identity": self.identity, "step": self.step,
            "next_id": self.next_id})

    def fingerprints(self) -> dict[str, str]:
        return fingerprints(self.client, self.prefix, self.name)

    def remove_document(self, doc_id: str) -> None:
        expr = f"doc_id == {ms.literal(doc_id)}"
        for part in ("chunks", "docs", "texts"):
            self.client.delete(self._c(part), filter=expr)

    def add_document(self, doc: Document, fingerprint: str, chunks: list[Chunk],
                     vectors: np.ndarray, sentence_vectors: list[np.ndarray]) -> None:
        m, step = doc.meta, self.step + 1
        fields = {"doc_id": doc.doc_id, "doc_type": m.doc_type, "year": m.year,
                  "state_iso3": m.state_iso3, "symbol": m.symbol, "language": m.language,
                  "source": doc.source, "step": step}
        first = self.next_id
        for c, vector, sentences, terms in zip(chunks, vectors, sentence_vectors,
                                               terms_of([c.text for c in chunks]), strict=True):
            spans, most = list(c.sentences), ms.MAX_VARCHAR * 3 // 4 // (2 * self.dim)
            if len(spans) > most:  # base64 float16 vectors of this many fill one VARCHAR
                log.warning("%s: %d sentences, only the first %d are kept for quoting",
                            c.chunk_id, len(spans), most)
                spans, sentences = spans[:most], sentences[:most]
            self._rows["chunks"].append({
                "id": self.next_id, "chunk_id": c.chunk_id, "ordinal": c.ordinal,
                "char_start": c.char_start, "char_end": c.char_end, "n_tokens": c.n_tokens,
                "page": c.page, "page_label": c.page_label, "paragraph": c.paragraph,
                "kind": c.kind, "text": c.text, "terms": " ".join(terms),
                "vector": np.asarray(vector, dtype=np.float32).tolist(),
                "sentence_spans": json.dumps(spans),
                "sentence_vectors": encode_vectors(np.asarray(sentences).reshape(-1, self.dim)),
                **fields})
            self.next_id += 1
        record = {"path": doc.path, "content_hash": doc.content_hash, "meta": asdict(m),
                  "pages": [asdict(p) for p in doc.pages], "flags": list(doc.flags)}
        self._rows["docs"].append({"key": doc.doc_id, **fields, "first_id": first,
                                   "n_chunks": len(chunks), "fingerprint": fingerprint,
                                   "record": json.dumps(record, ensure_ascii=False),
                                   "nil": ms.NIL})
        self._rows["texts"].extend(
            {"key": f"{doc.doc_id}#{i}", "doc_id": doc.doc_id, "part": i, "text": part,
             "step": step, "nil": ms.NIL} for i, part in enumerate(ms.split_text(doc.text)))

    def counts(self) -> tuple[int, int]:
        def count(part: str) -> int:
            rows = self.client.query(self._c(part), filter="", output_fields=["count(*)"])
            return int(rows[0]["count(*)"])

        return count("docs"), count("chunks")

    def commit(self, manifest: dict[str, Any], report: dict[str, Any]) -> str:
        """Index and load the collections, then move the alias to them."""
        df: Counter[str] = Counter()
        for row in scan(self.client, self._c("chunks"), ["terms"]):
            df.update(set(row["terms"].split()))
        vocab = [{"term": t[:512], "df": n, "nil": ms.NIL} for t, n in df.items()]
        for start in range(0, len(vocab), PAGE * 10):
            self.client.insert(self._c("vocab"), vocab[start : start + PAGE * 10])
        hnsw = self.counts()[1] >= self.hnsw_min
        for part in ms.PARTS:
            self.client.flush(self._c(part))
        if hnsw:  # a graph index from hnsw_min vectors on, as locally; exact below
            chunks = self._c("chunks")
            self.client.release_collection(chunks)
            self.client.drop_index(chunks, "vector")
            self.client.create_index(chunks, ms.index_params(self.client, "vector", hnsw=True))
            self.client.load_collection(chunks)
        manifest = {**manifest, "store": {"kind": "milvus", "build": self.name,
                                          "dense_index": "HNSW" if hnsw else "FLAT"}}
        self.backend.put_record(self.name, "manifest", manifest)
        self.backend.put_record(self.name, "report", report)
        self.backend.put_record(self.name, "state", {"state": "done",
                                                     "identity": self.identity})
        if self.backend.live() is None:
            self.client.create_alias(self._c("chunks"), self.prefix)
        else:
            self.client.alter_alias(self._c("chunks"), self.prefix)
        finished = sorted(b for b, s in self.backend.builds().items()
                          if s and s.get("state") == "done")
        for old in finished[:-KEEP_BUILDS]:
            self.backend.drop(old)
        return self.name

    def abort(self) -> None:
        self.backend.drop(self.name)

    def suspend(self) -> None:
        """The checkpointed steps stay; the next build with this identity resumes them."""
