"""The Milvus collections of one build, their fields, and filters as Milvus expressions.

A build ``B`` under prefix ``P`` has five collections:

- ``P_B_chunks``: a passage per row: its citation fields, text, its lexical terms (the input
  of a BM25 function, analysed exactly as the local FTS5 index analyses text), its vector,
  the vectors of its sentences (float16, base64) and the document fields filters use;
- ``P_B_docs``: a document per row: its record (metadata, pages, flags) without the text;
- ``P_B_texts``: document texts in parts (a VARCHAR holds at most 65,535 bytes);
- ``P_B_vocab``: how many passages hold each term, written when the build is committed.

``P_builds`` records each build's state, manifest and report; the alias ``P`` names the live
build's chunks collection, so a build becomes visible with one ``alter_alias``. Milvus needs a
vector field in every collection: the collections that are never searched carry a 2-dim one.
"""

from __future__ import annotations

import json
from typing import Any

from indexer.models import Filters

TEXT_PART = 16_000  # characters; at most 4 bytes each in UTF-8, under VARCHAR's 65,535 bytes
MAX_VARCHAR = 65_535
PARTS = ("chunks", "docs", "texts", "vocab")
CHUNK_FIELDS = ["id", "chunk_id", "doc_id", "ordinal", "text", "char_start", "char_end",
                "n_tokens", "page", "page_label", "paragraph", "kind"]
DOC_FIELDS = ["doc_id", "first_id", "n_chunks", "fingerprint", "doc_type", "year", "state_iso3",
              "symbol", "source", "language"]
NIL = [0.0, 0.0]  # the placeholder vector of collections that are never searched


def collection(prefix: str, build: str, part: str) -> str:
    return f"{prefix}_{build}_{part}"


def registry(prefix: str) -> str:
    return f"{prefix}_builds"


def schemas(client: Any, dim: int) -> dict[str, Any]:
    """The schema of each per-build collection."""
    from pymilvus import DataType, Function, FunctionType

    def new(pk: str, pk_type: Any, **pk_args: Any) -> Any:
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field(pk, pk_type, is_primary=True, **pk_args)
        return schema

    def doc_fields(schema: Any) -> None:
        schema.add_field("doc_id", DataType.VARCHAR, max_length=1024)
        schema.add_field("doc_type", DataType.VARCHAR, max_length=64)
        schema.add_field("year", DataType.INT64, nullable=True)
        for name in ("state_iso3", "symbol", "language"):
            schema.add_field(name, DataType.VARCHAR, max_length=256, nullable=True)
        schema.add_field("source", DataType.VARCHAR, max_length=256)
        schema.add_field("step", DataType.INT64)

    chunks = new("id", DataType.INT64)
    for name in ("chunk_id", "kind"):
        chunks.add_field(name, DataType.VARCHAR, max_length=1100)
    for name in ("ordinal", "char_start", "char_end", "n_tokens"):
        chunks.add_field(name, DataType.INT64)
    chunks.add_field("page", DataType.INT64, nullable=True)
    for name in ("page_label", "paragraph"):
        chunks.add_field(name, DataType.VARCHAR, max_length=256, nullable=True)
    chunks.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)
    chunks.add_field("terms", DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True,
                     enable_match=True, analyzer_params={"tokenizer": "standard"})
    chunks.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    chunks.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    chunks.add_field("sentence_spans", DataType.VARCHAR, max_length=MAX_VARCHAR)
    chunks.add_field("sentence_vectors", DataType.VARCHAR, max_length=MAX_VARCHAR)
    doc_fields(chunks)
    chunks.add_function(Function(name="terms_bm25", function_type=FunctionType.BM25,
                                 input_field_names=["terms"], output_field_names=["sparse"]))

    docs = new("key", DataType.VARCHAR, max_length=1024)
    doc_fields(docs)
    for name in ("first_id", "n_chunks"):
        docs.add_field(name, DataType.INT64)
    docs.add_field("fingerprint", DataType.VARCHAR, max_length=64)
    docs.add_field("record", DataType.VARCHAR, max_length=MAX_VARCHAR)
    docs.add_field("nil", DataType.FLOAT_VECTOR, dim=len(NIL))

    texts = new("key", DataType.VARCHAR, max_length=1100)
    texts.add_field("doc_id", DataType.VARCHAR, max_length=1024)
    texts.add_field("part", DataType.INT64)
    texts.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)
    texts.add_field("step", DataType.INT64)
    texts.add_field("nil", DataType.FLOAT_VECTOR, dim=len(NIL))

    vocab = new("term", DataType.VARCHAR, max_length=512)
    vocab.add_field("df", DataType.INT64)
    vocab.add_field("nil", DataType.FLOAT_VECTOR, dim=len(NIL))
    return {"chunks": chunks, "docs": docs, "texts": texts, "vocab": vocab}


def registry_schema(client: Any) -> Any:
    from pymilvus import DataType

    schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=256)
    schema.add_field("build", DataType.VARCHAR, max_length=128)
    schema.add_field("field", DataType.VARCHAR, max_length=32)
    schema.add_field("part", DataType.INT64)
    schema.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("nil", DataType.FLOAT_VECTOR, dim=len(NIL))
    return schema


def index_params(client: Any, part: str, hnsw: bool) -> Any:
    """A collection's indexes: exact (FLAT) dense search, or HNSW for a build of at least
    ``hnsw_min`` vectors."""
    from indexer import ann

    params = client.prepare_index_params()
    if part in ("chunks", "vector"):  # "vector": the dense index alone, to replace it
        if hnsw:
            params.add_index("vector", index_type="HNSW", metric_type="IP",
                             params={"M": ann.HNSW_M, "efConstruction": ann.EF_CONSTRUCTION})
        else:
            params.add_index("vector", index_type="FLAT", metric_type="IP")
    if part == "chunks":
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                         params={"bm25_k1": 1.2, "bm25_b": 0.75})
    elif part != "vector":
        params.add_index("nil", index_type="FLAT", metric_type="L2")
    return params


def split_text(text: str) -> list[str]:
    """A document text in parts short enough for one VARCHAR each ("" is one empty part)."""
    return [text[i : i + TEXT_PART] for i in range(0, len(text), TEXT_PART)] or [""]


def literal(value: Any) -> str:
    """A string or number as a Milvus expression literal."""
    return json.dumps(value) if isinstance(value, str) else str(int(value))


def expression(filters: Filters) -> str:
    """The filters as a Milvus boolean expression over the document fields ("" for none)."""
    clauses = [f"{field} {'==' if op == '=' else op} {literal(value)}"
               for field, op, value in filters.conditions()]
    if filters.language is not None:  # a document of unknown language passes, as locally
        clauses.append(f"(language is null or language == {literal(filters.language)})")
    if filters.doc_ids is not None:
        clauses.append(f"doc_id in {json.dumps(list(filters.doc_ids))}")
    return " and ".join(clauses)


def both(*expressions: str) -> str:
    """The conjunction of the non-empty expressions."""
    return " and ".join(f"({e})" for e in expressions if e)
