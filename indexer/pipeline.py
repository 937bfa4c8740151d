"""Wires the stages: discover, load, clean, segment, chunk, embed, store (incrementally)."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from indexer import ann, catalog, clean, load, segment
from indexer.chunk import ChunkerConfig, chunk_document
from indexer.discover import SourceFile, discover
from indexer.embed import Embedder
from indexer.errors import BuildCancelledError, CorpusError, EmptyDocumentError
from indexer.models import BuildReport, Chunk, Document, RawDocument
from indexer.settings import HNSW_MIN_VECTORS
from indexer.store import FORMAT_VERSION, LocalBackend, build_lock
from indexer.stores import Backend, StoreWriter

log = logging.getLogger(__name__)

PIPELINE_VERSION = 4  # 4: UN documents titled below their masthead; dates of misread headings
WEB_SUFFIXES = {".txt", ".md", ".html", ".htm"}
BATCH_DOCUMENTS = 32  # documents embedded and checkpointed together (a killed build resumes)
Progress = Callable[[dict[str, int]], None]


def pipeline_hash(config: ChunkerConfig) -> str:
    """Changes whenever cleaning, chunking or the packaged metadata rules change."""
    rules = Path(catalog.__file__).with_name("rules.json")
    data = json.dumps([PIPELINE_VERSION, asdict(config)]).encode()
    data += rules.read_bytes() if rules.is_file() else b""
    return hashlib.sha256(data).hexdigest()[:16]


def build_index(
    roots: list[Path],
    index_dir: Path,
    embedder: Embedder,
    config: ChunkerConfig = ChunkerConfig(),  # noqa: B008 - frozen dataclass
    rebuild: bool = False,
    progress: bool = False,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    hnsw_min: int = HNSW_MIN_VECTORS,
    backend: Backend | None = None,
) -> BuildReport:
    """Bring the store (default: the local index folder) in line with the documents under
    ``roots``; returns what it did.

    Holds the index folder's lock (a second build fails at once with IndexBusyError).
    """
    with build_lock(index_dir):
        return _build(roots, backend or LocalBackend(index_dir), embedder, config, rebuild,
                      progress, on_progress, should_stop, hnsw_min)


def _build(roots: list[Path], backend: Backend, embedder: Embedder, config: ChunkerConfig,
           rebuild: bool, progress: bool, on_progress: Progress | None,
           should_stop: Callable[[], bool] | None, hnsw_min: int) -> BuildReport:
    started = time.perf_counter()
    report = BuildReport()
    files, report.skipped = discover(roots)
    raws, chrome, fingerprints = _fingerprint(files)
    manifest = backend.manifest()
    compatible = manifest is not None and manifest.get("format_version") == FORMAT_VERSION and (
        manifest["model"]["fingerprint"] == embedder.fingerprint
        and manifest.get("pipeline") == pipeline_hash(config))
    incremental = compatible and not rebuild
    if manifest is not None and not compatible and not rebuild:
        log.warning("Index built with another model or pipeline: rebuilding from scratch")
    old = backend.fingerprints() if incremental else {}
    failures = _previous_failures(backend) if incremental else {}
    todo = [f for f in files if old.get(f.doc_id) != fingerprints.get(f.doc_id)]
    todo = [f for f in todo if not _still_failing(f, fingerprints, failures, report)]
    removed = sorted(set(old) - {f.doc_id for f in files})
    report.unchanged = len(files) - len(todo) - len(report.failed)
    if incremental and not todo and not removed:
        return _unchanged_report(report, manifest, started)
    identity = {"pipeline": pipeline_hash(config), "model": embedder.fingerprint,
                "format_version": FORMAT_VERSION}
    writer = backend.writer(embedder.dim, identity, incremental, hnsw_min)
    try:
        held = writer.fingerprints()  # the base's documents, plus batches of a resumed build
        for doc_id in sorted(set(held) - {f.doc_id for f in files}):
            writer.remove_document(doc_id)
        writer.checkpoint()
        report.removed = removed
        pending = [f for f in todo if held.get(f.doc_id) != fingerprints.get(f.doc_id)]
        waiting = {f.doc_id for f in pending}
        for f in todo:  # finished by the build this one resumes
            if f.doc_id not in waiting:
                (report.updated if f.doc_id in old else report.added).append(f.doc_id)
        size = {f.doc_id: len(raws[f.doc_id].text) if f.doc_id in raws else 0 for f in todo}
        # characters too: documents differ in length a hundredfold, so time left goes by them
        done = {"documents_done": len(todo) - len(pending), "documents_total": len(todo),
                "chunks_done": 0, "chars_done": sum(size.values()) - sum(
                    size[f.doc_id] for f in pending), "chars_total": sum(size.values())}
        if on_progress is not None:
            on_progress(dict(done))
        for start in range(0, len(pending), BATCH_DOCUMENTS):
            if should_stop is not None and should_stop():
                raise BuildCancelledError("The build was stopped before it finished.",
                                          "Run it again: finished batches are reused.")
            batch = pending[start : start + BATCH_DOCUMENTS]
            _index_batch(batch, raws, chrome, embedder, config, fingerprints, held, old,
                         writer, report, progress)
            writer.checkpoint()
            done["documents_done"] += len(batch)
            done["chars_done"] += sum(size[f.doc_id] for f in batch)
            done["chunks_done"] = report.chunks_embedded
            if on_progress is not None:
                on_progress(dict(done))
        report.documents_total, report.chunks_total = writer.counts()
        report.corpus_version = corpus_version(writer.fingerprints())
        report.seconds = round(time.perf_counter() - started, 3)
        writer.commit(_manifest(embedder, config, report, roots, hnsw_min), asdict(report))
    except (BuildCancelledError, KeyboardInterrupt):
        writer.suspend()
        raise
    except BaseException:
        writer.abort()
        raise
    return report


def _index_batch(batch: list[SourceFile], raws: dict[str, RawDocument],
                 chrome: dict[str, frozenset[str]], embedder: Embedder, config: ChunkerConfig,
                 fingerprints: dict[str, str], held: dict[str, str], old: dict[str, str],
                 writer: StoreWriter, report: BuildReport, progress: bool) -> None:
    """Prepare, embed and write one batch of documents."""
    prepared = []
    for f in batch:
        lines = chrome.get(f.doc_id, frozenset())
        item = _prepare(f, raws.get(f.doc_id), lines, embedder, config, fingerprints, report)
        if item is not None:
            prepared.append(item)
    # a changed document that now fails keeps its previous version in the index
    for doc, _ in prepared:
        if doc.doc_id in held:
            writer.remove_document(doc.doc_id)
    all_chunks = [c for _, chunks in prepared for c in chunks]
    texts = [c.text for c in all_chunks]
    spans = [[(a - c.char_start, b - c.char_start) for a, b in c.sentences] for c in all_chunks]
    vectors, sentence_vectors = embedder.embed_with_spans(texts, spans, progress=progress)
    row = 0
    for doc, chunks in prepared:
        writer.add_document(doc, fingerprints[doc.doc_id], chunks, vectors[row : row + len(chunks)],
                            sentence_vectors[row : row + len(chunks)])
        row += len(chunks)
        (report.updated if doc.doc_id in old else report.added).append(doc.doc_id)
    report.chunks_embedded += len(texts)


def corpus_version(fingerprints: dict[str, str]) -> str:
    """Short stable hash of which documents, in which versions, the index holds."""
    data = json.dumps(sorted(fingerprints.items())).encode()
    return hashlib.sha256(data).hexdigest()[:12]


def _fingerprint(
    files: list[SourceFile],
) -> tuple[dict[str, RawDocument], dict[str, frozenset[str]], dict[str, str]]:
    """Load web-like text up front (site chrome needs the whole folder) and fingerprint all."""
    raws: dict[str, RawDocument] = {}
    folders: dict[Path, list[str]] = defaultdict(list)
    for f in files:
        if f.path.suffix.lower() in WEB_SUFFIXES:
            try:
                raws[f.doc_id] = load.load(f.path)
                folders[f.path.parent].append(f.doc_id)
            except Exception:  # noqa: BLE001 - any failure is reported when the file is prepared
                log.debug("Could not load %s for fingerprinting", f.path, exc_info=True)
    strip: dict[str, frozenset[str]] = {}  # per document: the chrome lines to delete
    for ids in folders.values():
        lines = clean.find_site_chrome([raws[d].text for d in ids])
        kept = clean.chrome_keepers({d: raws[d].text for d in ids}, lines)
        strip.update({d: lines - kept[d] for d in ids})
    catalogs = {root: _catalog_hash(root) for root in {f.root for f in files}}
    fingerprints = {}
    for f in files:
        raw = raws.get(f.doc_id)
        present = sorted(line for line in strip.get(f.doc_id, ()) if raw and line in raw.text)
        data = json.dumps([f.content_hash, present, catalogs[f.root], f.rel_path]).encode()
        fingerprints[f.doc_id] = hashlib.sha256(data).hexdigest()[:20]
    return raws, strip, fingerprints


def _catalog_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("catalog.json")) if root.is_dir() else []:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _prepare(
    f: SourceFile,
    raw: RawDocument | None,
    chrome: frozenset[str],
    embedder: Embedder,
    config: ChunkerConfig,
    fingerprints: dict[str, str],
    report: BuildReport,
) -> tuple[Document, list[Chunk]] | None:
    """One document through load, clean, segment and chunk; failures go to the report."""
    try:
        raw = raw or load.load(f.path)
        meta = catalog.resolve_meta(f.root, f.path, raw.text[:3000])
        cleaned = clean.clean(raw, chrome=chrome, doc_type=meta.doc_type)
        if not cleaned.text.strip():
            raise EmptyDocumentError("Nothing is left after cleaning.",
                                     "Check that the file holds real text, not only navigation.")
        blocks = segment.segment(cleaned.text, doc_type=meta.doc_type)
        doc = Document(f.doc_id, f.rel_path, f.source, f.content_hash, cleaned.text, meta,
                       cleaned.pages, cleaned.flags)
        chunks = chunk_document(f.doc_id, cleaned.text, blocks, embedder.count_tokens, config,
                                cleaned.pages)
    except CorpusError as exc:
        report.failed.append(_failure(f, fingerprints, exc.message, exc.hint))
        return None
    except Exception as exc:  # one bad document never stops the others
        log.exception("Unexpected error while preparing %s", f.path)
        report.failed.append({**_failure(f, fingerprints, f"unexpected error: {exc!r}",
                              "Please report this file; the other documents were indexed."),
                              "retry": True})
        return None
    for flag in cleaned.flags:
        report.flagged.append({"path": str(f.path), "doc_id": f.doc_id, "flag": flag})
    return doc, chunks


def _failure(f: SourceFile, fingerprints: dict[str, str], reason: str, hint: str) -> dict:
    return {"path": str(f.path), "doc_id": f.doc_id, "reason": reason, "hint": hint,
            "fingerprint": fingerprints.get(f.doc_id, "")}


def _previous_failures(backend: Backend) -> dict[str, dict]:
    failed = backend.last_report().get("failed", [])
    return {item["doc_id"]: item for item in failed}


def _still_failing(f: SourceFile, fingerprints: dict[str, str], known: dict[str, dict],
                   report: BuildReport) -> bool:
    """A file that failed before and has not changed is reported again, not retried."""
    item = known.get(f.doc_id)  # an unexpected error (say, a missing library) is retried
    if item and not item.get("retry") and item.get("fingerprint") == fingerprints.get(f.doc_id):
        report.failed.append(item)
        return True
    return False


def _unchanged_report(report: BuildReport, manifest: dict, started: float) -> BuildReport:
    report.documents_total = manifest["documents"]
    report.chunks_total = manifest["chunks"]
    report.corpus_version = manifest["corpus_version"]
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _manifest(embedder: Embedder, config: ChunkerConfig, report: BuildReport,
              roots: list[Path], hnsw_min: int) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "model": {"name": embedder.name, "fingerprint": embedder.fingerprint,
                  "dim": embedder.dim, "max_tokens": embedder.max_tokens,
                  "encoder": embedder.backend},
        "chunker": asdict(config),
        "pipeline": pipeline_hash(config),
        "faiss": "IndexIDMap2(IndexFlatIP), ids = chunks.id, normalised vectors",
        "hnsw": {"file": ann.HNSW_FILE, "written": report.chunks_total >= hnsw_min,
                 "min_vectors": hnsw_min, "m": ann.HNSW_M, "ef_construction": ann.EF_CONSTRUCTION},
        "corpus_version": report.corpus_version,
        "documents": report.documents_total,
        "chunks": report.chunks_total,
        "roots": [str(r) for r in roots],
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
