"""The on-disk index: SQLite (documents, chunks, FTS5) + FAISS + manifest.json, and its reader.

Layout: ``INDEX_DIR/current`` is a symlink to ``INDEX_DIR/builds/<name>/`` holding
``index.sqlite``, ``vectors.faiss``, ``manifest.json`` and ``build_report.json``. A build writes a
new folder and swaps the symlink atomically, so readers never see a half-written index and a
build that dies leaves the previous one intact.

One build at a time: ``INDEX_DIR/build.lock`` is held with flock(2) for the whole build (the
kernel drops it when the process dies, so a killed build leaves no stale lock). A build in
progress keeps a journal: ``build.json`` (base build, pipeline, model) and, per finished batch,
a row in the ``build_journal`` table plus ``batch-NNNNN.npy`` (chunk ids and vectors). A build
that was killed is resumed by the next build with the same ``build.json``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from indexer import ann, lexical
from indexer.errors import IndexBusyError, IndexMismatchError
from indexer.models import Chunk, Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
SCHEMA = (Path(__file__).with_name("schema.sql")).read_text
KEEP_BUILDS = 2
JOURNAL = """CREATE TABLE IF NOT EXISTS build_journal (
    step INTEGER PRIMARY KEY, removed TEXT NOT NULL, vectors TEXT)"""


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index folder's build lock, or raise IndexBusyError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "build.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexBusyError(
                f"Another build is running on {index_dir} ({holder}).",
                "Wait for it to finish, then run this build again.") from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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


def check_manifest(manifest: dict[str, Any], where: str,
                   expected_fingerprint: str | None) -> None:
    """Refuse a build of another format version, or of another model than the configured one."""
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"The index in {where} has format {manifest.get('format_version')}, "
            f"this version reads format {FORMAT_VERSION}.",
            "Rebuild it: rtop-search index --rebuild",
        )
    built_with = manifest["model"]["fingerprint"]
    if expected_fingerprint is not None and built_with != expected_fingerprint:
        raise IndexMismatchError(
            f"The index was built with model {manifest['model']['name']} "
            f"({built_with}), but the configured model is different ({expected_fingerprint}).",
            "Rebuild it with the configured model: rtop-search index --rebuild, "
            "or set RTOP_MODEL_PATH to the model the index was built with.",
        )


class LocalBackend:
    """Builds in a local index folder: SQLite + FAISS, swapped in by a symlink (Backend)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir

    def __str__(self) -> str:
        return str(self.index_dir)

    def manifest(self) -> dict[str, Any] | None:
        return read_manifest(self.index_dir)

    def live(self) -> str | None:
        build = current_build(self.index_dir)
        return build.name if build is not None else None

    def fingerprints(self) -> dict[str, str]:
        return build_fingerprints(current_build(self.index_dir))

    def last_report(self) -> dict[str, Any]:
        build = current_build(self.index_dir)
        return (_read_json(build / "build_report.json") or {}) if build is not None else {}

    def writer(self, dim: int, identity: dict[str, Any], incremental: bool,
               hnsw_min: int) -> IndexWriter:
        base = current_build(self.index_dir) if incremental else None
        return IndexWriter(self.index_dir, dim, base, identity, hnsw_min)

    def reader(self, expected_fingerprint: str | None = None) -> Any:
        from indexer.reader import IndexReader

        return IndexReader(self.index_dir, expected_fingerprint)

    def close(self) -> None:
        """Nothing to let go of: each reader holds its own SQLite connections."""


class IndexWriter:
    """Writes one new build beside the live one, starting from a copy of it (or empty).

    ``identity`` (base build, pipeline, model) names what the build is for: an unfinished build
    folder with the same identity is resumed, any other unfinished folder is removed. Call only
    while holding ``build_lock``.
    """

    def __init__(self, index_dir: Path, dim: int, base: Path | None,
                 identity: dict[str, Any] | None = None,
                 hnsw_min: int = ann.HNSW_MIN_VECTORS) -> None:
        self.index_dir = index_dir
        self.identity = {**(identity or {}), "base": base.name if base else None}
        builds = index_dir / "builds"
        builds.mkdir(parents=True, exist_ok=True)
        self.path = self._resumable(builds)
        self.resumed = self.path is not None
        self._pending_ids: list[np.ndarray] = []
        self._pending_vectors: list[np.ndarray] = []
        self._pending_removed: list[int] = []
        if self.path is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            self.path = builds / f"{stamp}-{os.getpid()}"
            self.path.mkdir()
            if base is not None:
                shutil.copy2(base / "index.sqlite", self.path / "index.sqlite")
        self.hnsw_min = hnsw_min
        self.vectors = (faiss.read_index(str(base / ann.EXACT_FILE)) if base is not None
                        else faiss.IndexIDMap2(faiss.IndexFlatIP(dim)))
        self.db = sqlite3.connect(self.path / "index.sqlite")
        self.db.executescript(SCHEMA())
        self.db.execute(JOURNAL)
        self.db.commit()
        if self.resumed:
            self._replay()
        else:
            _write_json(self.path / "build.json", self.identity)
        self._step = self.db.execute(
            "SELECT coalesce(max(step), 0) FROM build_journal").fetchone()[0]

    def _resumable(self, builds: Path) -> Path | None:
        """The unfinished build folder with this identity; other unfinished folders go."""
        live, found = current_build(self.index_dir), None
        for folder in sorted(builds.iterdir()):
            if folder == live or (folder / "manifest.json").is_file():
                continue
            journal = folder / "build.json"
            if found is None and journal.is_file() and _read_json(journal) == self.identity:
                found = folder
            else:
                shutil.rmtree(folder, ignore_errors=True)
        if found is not None:
            log.info("Resuming the unfinished build in %s", found)
        return found

    def _replay(self) -> None:
        """Bring the vectors in line with the journal's finished batches, in order."""
        for _, removed, vectors in self.db.execute(
                "SELECT step, removed, vectors FROM build_journal ORDER BY step").fetchall():
            ids = json.loads(removed)
            if ids:
                self.vectors.remove_ids(np.array(ids, dtype=np.int64))
            if vectors:
                batch = np.load(self.path / vectors)
                self.vectors.add_with_ids(batch["vectors"], batch["ids"])

    def checkpoint(self) -> None:
        """Keep what was written since the last checkpoint: a finished batch survives a kill."""
        self._step += 1
        name = None
        if self._pending_ids:
            name = f"batch-{self._step:05d}.npz"
            with (self.path / name).open("wb") as fh:
                np.savez(fh, ids=np.concatenate(self._pending_ids),
                         vectors=np.concatenate(self._pending_vectors))
                fh.flush()
                os.fsync(fh.fileno())
        self.db.execute("INSERT INTO build_journal VALUES (?, ?, ?)",
                        (self._step, json.dumps(self._pending_removed), name))
        self.db.commit()
        self._pending_ids, self._pending_vectors, self._pending_removed = [], [], []

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
            self._pending_removed.extend(r[0] for r in rows)

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
            self._pending_ids.append(np.array(ids, dtype=np.int64))
            self._pending_vectors.append(np.asarray(vectors, dtype=np.float32))

    def counts(self) -> tuple[int, int]:
        docs = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        return docs, self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def commit(self, manifest: dict[str, Any], report: dict[str, Any]) -> str:
        """Finish the build and make it the live index (atomic symlink swap)."""
        self.db.execute("DROP TABLE IF EXISTS build_journal")
        self.db.commit()
        lexical.write_postings(self.db, self.path)
        self.db.close()
        manifest = {**manifest, "lexical": {"file": lexical.LEXICAL_FILE, "ranking":
                                            "FTS5 bm25 (k1 1.2, b 0.75), from chunks_fts"}}
        for leftover in [*self.path.glob("batch-*.npz"), self.path / "build.json"]:
            leftover.unlink(missing_ok=True)
        ann.write_vectors(self.vectors, self.path, self.hnsw_min)
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
        return self.path.name

    def abort(self) -> None:
        """Give the build up: its folder goes, the live index is untouched."""
        self.db.close()
        shutil.rmtree(self.path, ignore_errors=True)

    def suspend(self) -> None:
        """Stop without finishing: checkpointed batches stay for the next build to resume."""
        self.db.close()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


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
