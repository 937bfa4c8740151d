"""The on-disk index: SQLite (documents, chunks, FTS5) + FAISS + manifest.json, and its reader.

Layout: ``INDEX_DIR/current`` is a symlink to ``INDEX_DIR/builds/<name>/`` holding
``index.sqlite``, ``vectors.faiss``, ``manifest.json`` and ``build_report.json``. A build writes a
new folder and swaps the symlink atomically, so readers never see a half-written index and a
build that dies leaves the previous one intact.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import threading
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from indexer.errors import IndexMismatchError, IndexNotFoundError, NotFoundError
from indexer.models import Chunk, DocMeta, Document, Filters, PageSpan

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
SCHEMA = (Path(__file__).with_name("schema.sql")).read_text
KEEP_BUILDS = 2
NO_FILTERS = Filters()


def current_build(index_dir: Path) -> Path | None:
    """The live build folder, or None when no build has finished yet."""
    link = index_dir / "current"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def build_fingerprints(build: Path | None) -> dict[str, str]:
    """doc_id -> fingerprint of the documents in a finished build (empty for None)."""
    if build is None:
        return {}
    conn = sqlite3.connect(f"file:{build / 'index.sqlite'}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT doc_id, fingerprint FROM documents"))
    finally:
        conn.close()


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    build = current_build(index_dir)
    if build is None or not (build / "manifest.json").is_file():
        return None
    return json.loads((build / "manifest.json").read_text())


class IndexWriter:
    """Writes one new build beside the live one, starting from a copy of it (or empty)."""

    def __init__(self, index_dir: Path, dim: int, base: Path | None) -> None:
        self.index_dir = index_dir
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        self._prune_unfinished(builds)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        self.path = builds / f"{stamp}-{os.getpid()}"
        self.path.mkdir()
        if base is not None:
            shutil.copy2(base / "index.sqlite", self.path / "index.sqlite")
            self.vectors = faiss.read_index(str(base / "vectors.faiss"))
        else:
            self.vectors = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.db = sqlite3.connect(self.path / "index.sqlite")
        self.db.executescript(SCHEMA())

    def _prune_unfinished(self, builds: Path) -> None:
        live = current_build(self.index_dir)
        for folder in builds.iterdir():
            if folder != live and not (folder / "manifest.json").is_file():
                shutil.rmtree(folder, ignore_errors=True)

    def fingerprints(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT doc_id, fingerprint FROM documents"))

    def remove_document(self, doc_id: str) -> None:
        rows = self.db.execute("SELECT id, text FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        self.db.executemany(
            "INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES('delete', ?, ?)", rows
        )
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        if rows:
            self.vectors.remove_ids(np.array([r[0] for r in rows], dtype=np.int64))

    def add_document(
        self, doc: Document, fingerprint: str, chunks: list[Chunk], vectors: np.ndarray,
        sentence_vectors: list[np.ndarray],
    ) -> None:
        m = doc.meta
        self.db.execute(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.path, doc.source, fingerprint, doc.content_hash, m.title,
             m.doc_type, m.year, m.state_iso3, m.symbol, json.dumps(asdict(m)),
             json.dumps([asdict(p) for p in doc.pages]), json.dumps(list(doc.flags)), doc.text,
             len(chunks)),
        )
        ids = []
        for c in chunks:
            cur = self.db.execute(
                "INSERT INTO chunks (chunk_id, doc_id, ordinal, char_start, char_end, n_tokens,"
                " page, page_label, paragraph, kind, text) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (c.chunk_id, c.doc_id, c.ordinal, c.char_start, c.char_end, c.n_tokens, c.page,
                 c.page_label, c.paragraph, c.kind, c.text),
            )
            ids.append(cur.lastrowid)
            self.db.executemany(
                "INSERT INTO sentences VALUES (?,?,?,?,?)",
                [(c.chunk_id, c.doc_id, a, b, v.astype(np.float16).tobytes())
                 for (a, b), v in zip(c.sentences, sentence_vectors[len(ids) - 1], strict=True)],
            )
            self.db.execute(
                "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, c.text)
            )
        if ids:
            self.vectors.add_with_ids(vectors, np.array(ids, dtype=np.int64))

    def counts(self) -> tuple[int, int]:
        docs = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        return docs, self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def commit(self, manifest: dict[str, Any], report: dict[str, Any]) -> Path:
        """Finish the build and make it the live index (atomic symlink swap)."""
        self.db.commit()
        self.db.close()
        faiss.write_index(self.vectors, str(self.path / "vectors.faiss"))
        _write_json(self.path / "build_report.json", report)
        _write_json(self.path / "manifest.json", manifest)  # written last: marks completion
        tmp_link = self.index_dir / f".current-{os.getpid()}"
        tmp_link.unlink(missing_ok=True)
        tmp_link.symlink_to(Path("builds") / self.path.name)
        os.replace(tmp_link, self.index_dir / "current")
        _fsync_dir(self.index_dir)
        finished = sorted(p for p in (self.index_dir / "builds").iterdir()
                          if (p / "manifest.json").is_file())
        for old in finished[:-KEEP_BUILDS]:
            shutil.rmtree(old, ignore_errors=True)
        return self.path

    def abort(self) -> None:
        self.db.close()
        shutil.rmtree(self.path, ignore_errors=True)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    with path.open("w") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


STOPWORDS = frozenset(
    "a an and are as at be by did do does for from has have how i in is it its of on or that the "
    "their them they this to was were what when where which who whom why with".split()
)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every content word quoted, OR-ed (BM25 ranks the matches)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]
    return " OR ".join(f'"{w}"' for w in dict.fromkeys(words))


class IndexReader:
    """Read-only access to the live build; safe to share across threads."""

    def __init__(self, index_dir: Path, expected_fingerprint: str | None = None) -> None:
        build = current_build(index_dir)
        if build is None:
            raise IndexNotFoundError(
                f"No index found in {index_dir}.",
                "Build one with: rtop-search index corpus/ --index-dir " + str(index_dir),
            )
        self.path = build
        self.manifest = json.loads((build / "manifest.json").read_text())
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(
                f"The index in {index_dir} has format {self.manifest.get('format_version')}, "
                f"this version reads format {FORMAT_VERSION}.",
                "Rebuild it: rtop-search index --rebuild",
            )
        built_with = self.manifest["model"]["fingerprint"]
        if expected_fingerprint is not None and built_with != expected_fingerprint:
            raise IndexMismatchError(
                f"The index was built with model {self.manifest['model']['name']} "
                f"({built_with}), but the configured model is different ({expected_fingerprint}).",
                "Rebuild it with the configured model: rtop-search index --rebuild, "
                "or set RTOP_MODEL_PATH to the model the index was built with.",
            )
        self.vectors = faiss.read_index(str(build / "vectors.faiss"))
        self._local = threading.local()

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
        clauses, args = [], []
        for column, op, value in (
            ("d.doc_type", "=", filters.doc_type), ("d.year", ">=", filters.year_from),
            ("d.year", "<=", filters.year_to), ("d.state_iso3", "=", filters.state_iso3),
            ("d.symbol", "=", filters.symbol), ("d.source", "=", filters.source),
        ):
            if value is not None:
                clauses.append(f"{column} {op} ?")
                args.append(value)
        if filters.doc_ids is not None:
            clauses.append(f"d.doc_id IN ({','.join('?' * len(filters.doc_ids))})")
            args.extend(filters.doc_ids)
        return (" AND ".join(clauses) or "1"), args

    def allowed_ids(self, filters: Filters) -> np.ndarray:
        where, args = self._where(filters)
        rows = self.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d USING(doc_id) WHERE {where}", args
        )
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def search_dense(
        self, vector: np.ndarray, k: int, filters: Filters = NO_FILTERS
    ) -> list[tuple[int, float]]:
        params = None
        if not filters.is_empty():
            allowed = self.allowed_ids(filters)
            if allowed.size == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        k = min(k, self.vectors.ntotal)
        if k <= 0:
            return []
        scores, ids = self.vectors.search(vector.reshape(1, -1), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search_lexical(
        self, query: str, k: int, filters: Filters = NO_FILTERS, *, match: str | None = None
    ) -> list[tuple[int, float]]:
        """BM25 over chunk text; ``match`` is a raw FTS5 expression used instead of the query."""
        match = match or fts_query(query)
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
        if not ids:
            return {}
        rows = self.db.execute(
            "SELECT id, chunk_id, doc_id, ordinal, text, char_start, char_end, n_tokens, page,"
            f" page_label, paragraph, kind FROM chunks WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {r[0]: Chunk(*r[1:]) for r in rows}

    def sentences(self, chunk_ids: list[str]) -> list[tuple[str, int, int, np.ndarray]]:
        """(chunk_id, char_start, char_end, vector) of every sentence of the given chunks."""
        if not chunk_ids:
            return []
        rows = self.db.execute(
            "SELECT chunk_id, char_start, char_end, vector FROM sentences "
            f"WHERE chunk_id IN ({','.join('?' * len(chunk_ids))}) ORDER BY rowid", chunk_ids,
        )
        return [(c, a, b, np.frombuffer(v, dtype=np.float16).astype(np.float32))
                for c, a, b, v in rows]

    def chunk_vectors(self, ids: list[int]) -> np.ndarray:
        return np.vstack([self.vectors.reconstruct(int(i)) for i in ids]) if ids else np.zeros(
            (0, self.vectors.d), dtype=np.float32)

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

    def documents(self, offset: int = 0, limit: int = 50) -> tuple[int, list[Document]]:
        total = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        rows = self.db.execute(
            "SELECT doc_id, path, source, content_hash, '', meta, pages, flags FROM documents "
            "ORDER BY doc_id LIMIT ? OFFSET ?", (limit, offset),
        )
        return total, [_document(r) for r in rows]

    def distinct(self, column: str) -> list[Any]:
        assert column in {"doc_type", "state_iso3", "source", "year"}
        rows = self.db.execute(
            f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    def document_chunk_count(self, doc_id: str) -> int:
        row = self.db.execute("SELECT count(*) FROM chunks WHERE doc_id = ?", (doc_id,))
        return row.fetchone()[0]

    def counts(self) -> dict[str, int]:
        return {
            "documents": self.db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "chunks": self.db.execute("SELECT count(*) FROM chunks").fetchone()[0],
        }


def _document(row: tuple) -> Document:
    doc_id, path, source, content_hash, text, meta, pages, flags = row
    return Document(
        doc_id=doc_id, path=path, source=source, content_hash=content_hash, text=text,
        meta=DocMeta(**json.loads(meta)), pages=tuple(PageSpan(**p) for p in json.loads(pages)),
        flags=tuple(json.loads(flags)),
    )
