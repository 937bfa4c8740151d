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
import shutil
import sqlite3
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from indexer.models import Chunk, Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
SCHEMA = (Path(__file__).with_name("schema.sql")).read_text
KEEP_BUILDS = 2


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
