"""Read-only access to the live index build: dense, lexical and filtered search, documents."""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer import ann, lexical
from indexer.errors import IndexNotFoundError, NotFoundError
from indexer.models import Chunk, DocMeta, Document, Filters, PageSpan
from indexer.store import check_manifest, current_build
from indexer.stores import LISTING_COLUMNS, NO_FILTERS
from indexer.terms import fts_phrases, fts_query, terms_of

CHUNK_CACHE = 8192  # chunks kept in memory, about 10 MB


class IndexReader:
    """Read-only access to the live build of a local index folder (the Store protocol)."""

    def __init__(self, index_dir: Path, expected_fingerprint: str | None = None) -> None:
        build = current_build(index_dir)
        if build is None:
            raise IndexNotFoundError(
                f"No index found in {index_dir}.",
                "Build one with: rtop-search index corpus/ --index-dir " + str(index_dir),
            )
        self.path = build
        self.name = build.name
        self.manifest = json.loads((build / "manifest.json").read_text())
        check_manifest(self.manifest, str(index_dir), expected_fingerprint)
        self.vectors, self.approximate = ann.read_vectors(build)
        self._local = threading.local()
        self._fields_lock = threading.Lock()
        self._fields: _FilterFields | None = None
        self._chunk_cache: dict[int, Chunk] = {}
        self._chunk_lock = threading.Lock()
        postings = build / lexical.LEXICAL_FILE  # builds before it have FTS5 alone
        self.postings = lexical.Postings(postings) if postings.is_file() else None

    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path / 'index.sqlite'}?mode=ro", uri=True,
                                   check_same_thread=False)
            self._local.db = conn
        return conn

    def build_report(self) -> dict[str, Any]:
        path = self.path / "build_report.json"
        return json.loads(path.read_text()) if path.is_file() else {}

    def _where(self, filters: Filters) -> tuple[str, list[Any]]:
        conditions = filters.conditions()
        clauses = [f"d.{field} {op} ?" for field, op, _ in conditions]
        args: list[Any] = [value for _, _, value in conditions]
        if filters.language is not None:
            clauses.append("coalesce(json_extract(d.meta, '$.language'), ?) = ?")
            args.extend([filters.language, filters.language])
        if filters.doc_ids is not None:
            clauses.append(f"d.doc_id IN ({','.join('?' * len(filters.doc_ids))})")
            args.extend(filters.doc_ids)
        return (" AND ".join(clauses) or "1"), args

    def allowed_ids(self, filters: Filters) -> np.ndarray:
        """Ids of the chunks the filters allow, in id order (from arrays read once per build:
        the same rows as the SQL filter, without a join over every chunk per request)."""
        with self._fields_lock:
            if self._fields is None:
                self._fields = _FilterFields(self.db)
        return self._fields.allowed(filters)

    def search_dense(
        self, vector: np.ndarray, k: int, filters: Filters = NO_FILTERS
    ) -> list[tuple[int, float]]:
        allowed = None if filters.is_empty() else self.allowed_ids(filters)
        return ann.search(self.vectors, self.approximate, vector, k, allowed)

    def search_lexical(
        self, query: str, k: int, filters: Filters = NO_FILTERS, *, phrases: tuple[str, ...] = ()
    ) -> list[tuple[int, float]]:
        """BM25 over chunk text; with ``phrases``, only chunks holding one of them."""
        if not phrases and self.postings is not None:
            terms = self.postings.phrases(query)
            if terms is not None:  # FTS5's ranking from the postings arrays, in milliseconds
                allowed = None if filters.is_empty() else self.allowed_ids(filters)
                return self.postings.search(terms, k, allowed)
        match = fts_phrases(phrases) if phrases else fts_query(query)
        if not match:
            return []
        where, args = self._where(filters)
        rows = self.db.execute(
            "SELECT f.rowid, -bm25(chunks_fts) FROM chunks_fts f "
            "JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.doc_id = c.doc_id "
            f"WHERE chunks_fts MATCH ? AND {where} ORDER BY bm25(chunks_fts) LIMIT ?",
            [match, *args, k],
        )
        return [(int(i), float(s)) for i, s in rows]

    def chunks(self, ids: list[int]) -> dict[int, Chunk]:
        """The chunks of the ids, in id order; the most recently read are kept in memory
        (every question reads fifty or more, and popular passages come back)."""
        found = {i: c for i in ids if (c := self._chunk_cache.get(i)) is not None}
        missing = [i for i in dict.fromkeys(ids) if i not in found]
        if missing:
            rows = self.db.execute(
                "SELECT id, chunk_id, doc_id, ordinal, text, char_start, char_end, n_tokens, "
                "page, page_label, paragraph, kind FROM chunks "
                f"WHERE id IN ({','.join('?' * len(missing))})", missing,
            )
            read = {r[0]: Chunk(*r[1:]) for r in rows}
            found.update(read)
            with self._chunk_lock:
                self._chunk_cache.update(read)
                while len(self._chunk_cache) > CHUNK_CACHE:  # the oldest read go first
                    del self._chunk_cache[next(iter(self._chunk_cache))]
        return {i: found[i] for i in sorted(found)}

    def following(self, keys: list[tuple[str, int]], span: int = 1) -> dict[int, Chunk]:
        """The ``span`` chunks after each (doc_id, ordinal): where a passage goes on."""
        if not keys:
            return {}
        clause = " OR ".join(["(doc_id = ? AND ordinal > ? AND ordinal <= ?)"] * len(keys))
        rows = self.db.execute(
            "SELECT id, chunk_id, doc_id, ordinal, text, char_start, char_end, n_tokens, page,"
            f" page_label, paragraph, kind FROM chunks WHERE {clause}",
            [x for doc_id, ordinal in keys for x in (doc_id, ordinal, ordinal + span)],
        )
        return {r[0]: Chunk(*r[1:]) for r in rows}

    def sentences(self, chunk_ids: list[str]) -> list[tuple[str, int, int, np.ndarray]]:
        """(chunk_id, char_start, char_end, vector) of every sentence of the given chunks."""
        if not chunk_ids:
            return []
        rows = self.db.execute(
            "SELECT chunk_id, char_start, char_end, vector FROM sentences "
            f"WHERE chunk_id IN ({','.join('?' * len(chunk_ids))}) ORDER BY rowid", chunk_ids,
        ).fetchall()
        if not rows:
            return []
        # one conversion of every vector (a list reads hundreds of sentences)
        vectors = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float16).astype(
            np.float32).reshape(len(rows), -1)
        return [(c, a, b, v) for (c, a, b, _), v in zip(rows, vectors, strict=True)]

    def chunk_vectors(self, ids: list[int]) -> np.ndarray:
        if not ids:
            return np.zeros((0, self.vectors.d), dtype=np.float32)
        return self.vectors.reconstruct_batch(np.asarray(ids, dtype=np.int64))

    def document(self, doc_id: str, with_text: bool = True) -> Document:
        row = self.db.execute(
            "SELECT doc_id, path, source, content_hash, "
            f"{'text' if with_text else chr(39) * 2}, meta, pages, flags "
            "FROM documents WHERE doc_id = ?", (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"No document {doc_id!r} in the index.",
                                "List the documents with GET /api/documents.")
        return _document(row)

    def metas(self, doc_ids: list[str]) -> dict[str, DocMeta]:
        rows = self.db.execute(
            f"SELECT doc_id, meta FROM documents WHERE doc_id IN ({','.join('?' * len(doc_ids))})",
            doc_ids,
        )
        return {d: DocMeta(**json.loads(m)) for d, m in rows}

    def documents(self, offset: int = 0, limit: int = 50,
                  where: dict[str, Any] | None = None) -> tuple[int, list[Document]]:
        """One page of documents matching ``where`` (column -> value), and how many match."""
        clause, args = _listing_where(where)
        total = self.db.execute(f"SELECT count(*) FROM documents{clause}", args).fetchone()[0]
        rows = self.db.execute(
            "SELECT doc_id, path, source, content_hash, '', meta, pages, flags FROM documents"
            f"{clause} ORDER BY doc_id LIMIT ? OFFSET ?", (*args, limit, offset),
        )
        return total, [_document(r) for r in rows]

    def count_by(self, column: str, where: dict[str, Any] | None = None) -> dict[Any, int]:
        """How many documents matching ``where`` each value of ``column`` has."""
        assert column in LISTING_COLUMNS
        clause, args = _listing_where(where)
        rows = self.db.execute(f"SELECT {column}, count(*) FROM documents{clause} "
                               f"GROUP BY 1 ORDER BY 1", args)
        return {value: n for value, n in rows if value is not None}

    def distinct(self, column: str) -> list[Any]:
        assert column in LISTING_COLUMNS
        rows = self.db.execute(
            f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    def documents_with_symbol(self, symbol: str) -> list[str]:
        """Ids of the documents whose symbol is ``symbol`` (normalised, with or without year)."""
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE upper(replace(symbol, ' ', '')) = ? "
            "OR upper(replace(symbol, ' ', '')) LIKE ? || '(%'", (symbol, symbol))
        return [r[0] for r in rows]

    def doc_freq(self, term: str) -> int:
        """How many chunks contain the term (stemmed as the lexical index stems)."""
        words = re.findall(r"\w+", term)
        if not words:
            return 0
        if len(words) == 1 and self.postings is not None:
            terms = terms_of(words)[0]
            if len(terms) == 1:
                return self.postings.doc_freq(terms[0])
        row = self.db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                              (f'"{" ".join(words)}"',)).fetchone()
        return int(row[0])

    def held_words(self, words: Sequence[str]) -> set[str]:
        """Which of the single words some chunk holds, from the postings in one pass."""
        if self.postings is None:
            return {w for w in words if self.doc_freq(w) > 0}
        return {w for w, terms in zip(words, terms_of(list(words)), strict=True)
                if len(terms) == 1 and self.postings.doc_freq(terms[0]) > 0}

    def document_chunk_count(self, doc_id: str) -> int:
        row = self.db.execute("SELECT count(*) FROM chunks WHERE doc_id = ?", (doc_id,))
        return row.fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "chunks": self.db.execute("SELECT count(*) FROM chunks").fetchone()[0],
        }


def _listing_where(where: dict[str, Any] | None) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause over the listing columns (values are bound, names checked)."""
    items = [(k, v) for k, v in (where or {}).items() if v is not None]
    assert all(k in LISTING_COLUMNS for k, _ in items), items
    if not items:
        return "", ()
    return " WHERE " + " AND ".join(f"{k} = ?" for k, _ in items), tuple(v for _, v in items)


def _document(row: tuple) -> Document:
    doc_id, path, source, content_hash, text, meta, pages, flags = row
    return Document(
        doc_id=doc_id, path=path, source=source, content_hash=content_hash, text=text,
        meta=DocMeta(**json.loads(meta)), pages=tuple(PageSpan(**p) for p in json.loads(pages)),
        flags=tuple(json.loads(flags)),
    )


class _FilterFields:
    """The filterable document fields as arrays, and each chunk's document: a filter is a few
    vectorised comparisons over the documents, then one gather over the chunks."""

    def __init__(self, db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT doc_id, doc_type, year, state_iso3, symbol, source, "
                          "json_extract(meta, '$.language') FROM documents").fetchall()
        position = {row[0]: i for i, row in enumerate(rows)}
        columns = list(zip(*rows, strict=True)) if rows else [()] * 7
        self.doc_ids = np.array(columns[0], dtype=object)
        self.text = {name: np.array(columns[i], dtype=object) for i, name in
                     ((1, "doc_type"), (3, "state_iso3"), (4, "symbol"), (5, "source"))}
        self.year = np.array([np.nan if y is None else y for y in columns[2]], dtype=float)
        self.language = np.array(columns[6], dtype=object)
        # in document order SQLite reads the (doc_id) index, which holds every id; in id order
        # it scans the chunks table, text and all (3 s from a cold disk on 116k chunks)
        chunks = db.execute("SELECT id, doc_id FROM chunks ORDER BY doc_id").fetchall()
        ids = np.array([c for c, _ in chunks], dtype=np.int64)
        docs = np.array([position[d] for _, d in chunks], dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        self.chunk_ids, self.chunk_doc = ids[order], docs[order]

    @functools.lru_cache(maxsize=64)  # noqa: B019 - one per build; dense and lexical both ask
    def allowed(self, filters: Filters) -> np.ndarray:
        keep = np.ones(len(self.doc_ids), dtype=bool)
        for name, op, value in filters.conditions():
            if name == "year":  # a document without a year passes no year condition (as SQL)
                keep &= (self.year >= value) if op == ">=" else (self.year <= value)
            else:
                keep &= self.text[name] == value
        if filters.language is not None:
            keep &= (self.language == filters.language) | (self.language == None)  # noqa: E711
        if filters.doc_ids is not None:
            keep &= np.isin(self.doc_ids, list(filters.doc_ids))
        ids = self.chunk_ids[keep[self.chunk_doc]]
        ids.flags.writeable = False  # shared by every request with these filters
        return ids
