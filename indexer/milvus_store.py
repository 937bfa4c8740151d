"""Builds in Milvus (a server, a cluster, or Milvus Lite): the Backend, with its registry of
builds and the alias naming the live one. The collections are described in
indexer/milvus_schema.py, the writer is indexer/milvus_writer.py, the reader
indexer/milvus_reader.py.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from indexer import milvus_schema as ms
from indexer.errors import StoreUnavailableError
from indexer.settings import Settings

KEEP_BUILDS = 2
PAGE = 1000  # rows read or written per request


def connect(settings: Settings) -> Any:
    """A client of the configured Milvus; a clear error when it cannot be opened."""
    from pymilvus import MilvusClient
    from pymilvus.exceptions import MilvusException

    uri = settings.milvus_uri or ""
    token = settings.milvus_token.get_secret_value() if settings.milvus_token else ""
    if "://" not in uri:  # a Milvus Lite file: its folder is made as an index folder is
        Path(uri).parent.mkdir(parents=True, exist_ok=True)
    try:
        return MilvusClient(uri=uri, token=token)
    except MilvusException as exc:
        if "Open local milvus failed" in str(exc):
            raise StoreUnavailableError(
                f"The Milvus Lite file {uri} is open in another process (a file allows one).",
                "For several processes run a server, `milvus-lite server --data-dir DIR "
                "--port 19530`, and set RTOP_MILVUS_URI=http://127.0.0.1:19530.") from None
        raise StoreUnavailableError(f"Cannot reach Milvus at {uri}: {exc}",
                                    "Check RTOP_MILVUS_URI and that the server is up.") from None


class MilvusBackend:
    """Builds in one Milvus database, under the collection prefix of the settings."""

    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.uri = settings.milvus_uri
        self.prefix = settings.milvus_prefix
        self.client = client or connect(settings)
        name = ms.registry(self.prefix)
        if not self.client.has_collection(name):
            self.client.create_collection(name, schema=ms.registry_schema(self.client),
                                          index_params=ms.index_params(self.client, "", False))
        self.client.load_collection(name)

    def __str__(self) -> str:
        return f"milvus {self.uri} ({self.prefix})"

    # the registry: per build, its state, manifest and report, each a JSON text in parts
    def record(self, build: str, field: str) -> Any:
        rows = self.client.query(
            ms.registry(self.prefix), output_fields=["part", "text"],
            filter=f"build == {ms.literal(build)} and field == {ms.literal(field)}")
        if not rows:
            return None
        return json.loads("".join(r["text"] for r in sorted(rows, key=lambda r: r["part"])))

    def put_record(self, build: str, field: str, value: Any) -> None:
        parts = ms.split_text(json.dumps(value, ensure_ascii=False))
        name = ms.registry(self.prefix)
        self.client.delete(name, filter=f"build == {ms.literal(build)} and "
                                        f"field == {ms.literal(field)}")
        self.client.insert(name, [{"key": f"{build}:{field}:{i}", "build": build, "field": field,
                                   "part": i, "text": t, "nil": ms.NIL}
                                  for i, t in enumerate(parts)])

    def builds(self) -> dict[str, dict[str, Any]]:
        """Every build the registry knows, with its state."""
        rows = self.client.query(ms.registry(self.prefix), filter='field == "state"',
                                 output_fields=["build"])
        return {r["build"]: self.record(r["build"], "state") for r in rows}

    def drop(self, build: str) -> None:
        for part in ms.PARTS:
            self.client.drop_collection(ms.collection(self.prefix, build, part))
        self.client.delete(ms.registry(self.prefix), filter=f"build == {ms.literal(build)}")

    def live(self) -> str | None:
        if self.prefix not in self.client.list_aliases().get("aliases", []):
            return None
        target = self.client.describe_alias(self.prefix)["collection_name"]
        return target.removeprefix(f"{self.prefix}_").removesuffix("_chunks")

    def manifest(self) -> dict[str, Any] | None:
        live = self.live()
        return self.record(live, "manifest") if live else None

    def last_report(self) -> dict[str, Any]:
        live = self.live()
        return (self.record(live, "report") or {}) if live else {}

    def fingerprints(self) -> dict[str, str]:
        live = self.live()
        if live is None:
            return {}
        load(self.client, self.prefix, live)
        return fingerprints(self.client, self.prefix, live)

    def writer(self, dim: int, identity: dict[str, Any], incremental: bool,
               hnsw_min: int) -> Any:
        from indexer.milvus_writer import MilvusWriter

        base = self.live() if incremental else None
        return MilvusWriter(self, dim, base, {**identity, "base": base}, hnsw_min)

    def reader(self, expected_fingerprint: str | None = None) -> Any:
        from indexer.milvus_reader import MilvusReader

        return MilvusReader(self, expected_fingerprint)

    def close(self) -> None:
        self.client.close()


def load(client: Any, prefix: str, build: str) -> None:
    """Load a build's collections for queries (a no-op where they are loaded already)."""
    for part in ms.PARTS:
        client.load_collection(ms.collection(prefix, build, part))


def fingerprints(client: Any, prefix: str, build: str) -> dict[str, str]:
    rows = scan(client, ms.collection(prefix, build, "docs"), ["doc_id", "fingerprint"])
    return {r["doc_id"]: r["fingerprint"] for r in rows}


def scan(client: Any, name: str, fields: list[str], expr: str = "") -> Iterator[dict[str, Any]]:
    """Every row of a collection (matching ``expr``), a page at a time."""
    it = client.query_iterator(name, batch_size=PAGE, filter=expr, output_fields=fields)
    try:
        while batch := it.next():
            yield from batch
    finally:
        it.close()


def encode_vectors(vectors: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vectors, dtype=np.float16).tobytes()).decode("ascii")


def decode_vectors(text: str, dim: int) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(text), dtype=np.float16)
    return raw.reshape(-1, dim).astype(np.float32)
