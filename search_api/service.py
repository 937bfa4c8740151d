"""The service both the API and the UI call: one loaded model and index, and what they answer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from indexer.chunk import ChunkerConfig
from indexer.embed import CachedEmbedder, Embedder, SentenceTransformerEmbedder
from indexer.errors import IndexNotFoundError, InvalidQueryError
from indexer.models import BuildReport, Filters
from indexer.pipeline import build_index
from indexer.settings import Settings
from indexer.stores import Backend, open_backend
from search_api import retrieve
from search_api.answer import AnswerEngine
from search_api.claims import Checker
from search_api.evidence import DocTexts, citation_dict
from search_api.generative import Writer
from search_api.llm import ChatModel, OpenAICompatible
from search_api.modes import MODES, AnswerMode, Extractive
from search_api.rerank import (
    RERANK_DEPTH,
    CrossEncoderNLI,
    CrossEncoderReranker,
    Reranker,
    rerank_hits,
)
from search_api.settings import ApiSettings
from search_api.workers import AnswerWorkers, shares_store

log = logging.getLogger(__name__)


def load_embedder(settings: Settings) -> Embedder:
    """The configured encoder (RTOP_ENCODER) of the configured model."""
    if settings.encoder.startswith("onnx"):
        from indexer.embed_onnx import OnnxEmbedder

        return OnnxEmbedder(settings.resolved_model_path(), settings.model_cache,
                            settings.model_name, settings.embed_batch_size,
                            threads=settings.encoder_threads or None,
                            quantized=settings.encoder == "onnx-int8")
    return SentenceTransformerEmbedder(settings.resolved_model_path(), settings.model_name,
                                       settings.embed_batch_size)


def chunker_config(settings: Settings) -> ChunkerConfig:
    return ChunkerConfig(max_tokens=settings.chunk_max_tokens,
                         overlap_sentences=settings.chunk_overlap_sentences)


def build(settings: Settings, roots: list[Path], rebuild: bool = False, progress: bool = False,
          embedder: Embedder | None = None, backend: Backend | None = None,
          **hooks: Any) -> BuildReport:
    """Index ``roots`` into the configured index folder (``hooks``: on_progress, should_stop)."""
    embedder = embedder or load_embedder(settings)
    return build_index(roots, settings.index_dir, embedder, chunker_config(settings),
                       rebuild=rebuild, progress=progress, hnsw_min=settings.hnsw_min_vectors,
                       backend=backend or open_backend(settings), **hooks)


def index_stats(settings: Settings) -> dict[str, Any]:
    """Counts, manifest and last build report, read without loading the model."""
    backend = open_backend(settings)
    manifest = backend.manifest()
    if manifest is None:
        raise IndexNotFoundError(f"No index in {backend}.",
                                 "Build one with: rtop-search index corpus/")
    reader = backend.reader()
    return {"path": f"{backend} build {reader.name}", **reader.counts(),
            "manifest": manifest, "last_build": reader.build_report()}


def load_chat_model(settings: Settings) -> ChatModel | None:
    """The configured OpenAI-compatible endpoint, or None (answers stay extractive)."""
    if not (isinstance(settings, ApiSettings) and settings.llm_configured):
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    assert settings.llm_base_url and settings.llm_model
    return OpenAICompatible(settings.llm_base_url, settings.llm_model, key,
                            settings.llm_timeout_s, settings.llm_max_tokens)


def load_reranker(settings: Settings) -> Reranker | None:
    if isinstance(settings, ApiSettings) and settings.reranker_path:
        return CrossEncoderReranker(settings.reranker_path)
    return None


def load_checker(settings: Settings, embedder: Embedder) -> Checker:
    nli = CrossEncoderNLI(settings.nli_path) if isinstance(settings, ApiSettings) and \
        settings.nli_path else None
    return Checker(embedder.embed, nli)


class SearchService:
    """Search, answers and documents over one index, with the model loaded once.

    Another process may build the index (a second replica, a command-line build): the live
    build is looked up at most every ``FRESH_S`` seconds, and a new one is opened when it
    has changed."""

    FRESH_S = 1.0

    def __init__(self, settings: Settings, embedder: Embedder | None = None,
                 chat_model: ChatModel | None = None, reranker: Reranker | None = None,
                 backend: Backend | None = None) -> None:
        self.settings = settings
        self.backend = backend or open_backend(settings)
        if self.backend.manifest() is None:  # fail before the slow model load
            raise IndexNotFoundError(f"No index found in {self.backend}.",
                                     f"Build one with: rtop-search index --index-dir "
                                     f"{settings.index_dir}")
        self.embedder = CachedEmbedder(embedder or load_embedder(settings),
                                       settings.query_cache_size)
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self.reader = self.backend.reader(self.embedder.fingerprint)
        self.texts = DocTexts(self.reader)
        self.chat_model = chat_model or load_chat_model(settings)
        self.reranker = reranker or load_reranker(settings)
        self.checker = load_checker(settings, self.embedder)
        self.engine = AnswerEngine(self.reader, self.embedder, self.texts,
                                   reranker=self.reranker)
        self.writer = self._writer(self.engine)
        self.workers: AnswerWorkers | None = None

    def start_workers(self, n: int) -> None:
        """Answer /api/ask in ``n`` processes opened from the settings (1: in this one)."""
        if n <= 1 or self.workers is not None:
            return
        if not (isinstance(self.settings, ApiSettings) and shares_store(self.settings)):
            log.warning("A Milvus Lite file belongs to one process: answering in this one")
            return
        self.workers = AnswerWorkers(self.settings, n)

    def close(self) -> None:
        """Stop the answer processes (at server shutdown)."""
        if self.workers is not None:
            self.workers.close()
            self.workers = None

    def _writer(self, engine: AnswerEngine) -> Writer | None:
        return Writer(engine, self.chat_model, self.checker) if self.chat_model else None

    def fresh(self) -> None:
        """Open the live build if another process has swapped one in since the last look."""
        now = time.monotonic()
        if now - self._checked < self.FRESH_S:
            return
        self._checked = now
        if self.backend.live() not in (None, self.reader.name):
            log.info("A new build is live: opening it")
            self.reload()

    def reload(self) -> None:
        """Open the newest build (after a reindex); requests in flight keep the old one."""
        reader = self.backend.reader(self.embedder.fingerprint)
        texts = DocTexts(reader)
        engine = AnswerEngine(reader, self.embedder, texts, self.engine.ranker,
                              self.engine.intents, self.reranker)
        self.reader, self.texts, self.engine, self.writer = \
            reader, texts, engine, self._writer(engine)

    @property
    def default_mode(self) -> str:
        """Generative when a language model is configured, else extractive."""
        return "generative" if self.writer else "extractive"

    def answer_mode(self, mode: str | None) -> AnswerMode:
        """The answerer of ``mode`` (None: the default); a clear error when it cannot be had."""
        mode = mode or self.default_mode
        if mode not in MODES:
            raise InvalidQueryError(f"Unknown answer mode '{mode}'.",
                                    f"Use one of: {', '.join(MODES)}.")
        if mode == "extractive":
            return Extractive(self.engine)
        if self.writer is None:
            raise InvalidQueryError("Generative answers need a language model, and none is "
                                    "configured.", "Set RTOP_LLM_BASE_URL and RTOP_LLM_MODEL "
                                    "(any OpenAI-compatible /v1 endpoint), or ask with mode "
                                    "'extractive'.")
        return self.writer

    def search(self, query: str, k: int = 10, filters: Filters | None = None,
               mode: str = "hybrid") -> dict[str, Any]:
        self.fresh()
        reader, texts = self.reader, self.texts
        timings = retrieve.Timings()
        depth = max(k, RERANK_DEPTH) if self.reranker else k
        hits = retrieve.search(reader, self.embedder, query, depth, filters, mode=mode,
                               timings=timings)
        if self.reranker is not None:
            hits = rerank_hits(self.reranker, query, hits)[:k]
        results = []
        for n, hit in enumerate(hits, start=1):
            c = hit.chunk
            if texts.verified(c.doc_id, c.char_start, c.char_end, c.text):
                item = citation_dict(n, hit, c.char_start, c.char_end, c.text, hit.score)
                item.update({"dense": hit.dense, "lexical": hit.lexical})
                results.append(item)
        return {"query": query, "results": results,
                "corpus_version": reader.manifest["corpus_version"],
                "timings_ms": {k: round(v, 2) for k, v in timings.ms.items()}}

    def ask(self, question: str, filters: Filters | None = None, k: int = 5,
            mode: str | None = None) -> dict[str, Any]:
        """The answer contract; ``mode`` extractive or generative (default: generative when a
        language model is configured)."""
        self.fresh()
        answerer = self.answer_mode(mode)
        workers = self.workers
        # a written answer waits seconds on the language model: it stays on a server thread,
        # where it holds no answer process from the questions behind it
        if isinstance(answerer, Extractive) and workers is not None and workers.ready and (
                answer := workers.ask(self.reader.name, question, filters, k, mode)) is not None:
            return answer
        return answerer.ask(question, filters, k)

    def ask_stream(self, question: str, filters: Filters | None = None, k: int = 5,
                   mode: str | None = None) -> Iterator[tuple[str, Any]]:
        """("draft", text so far) while a model writes, then ("answer", the answer contract);
        an extractive answer has no drafts, and comes from the answer processes as ask's."""
        self.fresh()
        answerer = self.answer_mode(mode)
        if isinstance(answerer, Extractive):
            yield "answer", self.ask(question, filters, k, mode)
            return
        yield from answerer.stream(question, filters, k)

    def documents(self, offset: int = 0, limit: int = 50,
                  where: dict[str, Any] | None = None) -> dict[str, Any]:
        """A page of documents matching ``where``; ``collections`` counts the documents of each
        collection under the other conditions (so every collection can be offered)."""
        self.fresh()
        reader = self.reader
        total, docs = reader.documents(offset, limit, where)
        others = {k: v for k, v in (where or {}).items() if k != "source"}
        return {"total": total, "offset": offset, "limit": limit,
                "collections": reader.count_by("source", others),
                "documents": [self._doc_summary(d) for d in docs]}

    def document(self, doc_id: str) -> dict[str, Any]:
        self.fresh()
        return self._doc_summary(self.reader.document(doc_id, with_text=False))

    def document_text(self, doc_id: str) -> dict[str, Any]:
        self.fresh()
        doc = self.reader.document(doc_id)
        return {"doc_id": doc.doc_id, "text": doc.text,
                "pages": [asdict(p) for p in doc.pages],
                "corpus_version": self.reader.manifest["corpus_version"]}

    def metas(self, doc_ids: list[str]) -> dict[str, Any]:
        """DocMeta of each document (for citation export)."""
        return self.reader.metas(doc_ids) if doc_ids else {}

    def health(self) -> dict[str, Any]:
        self.fresh()
        m = self.reader.manifest
        return {"status": "ok", "index_loaded": True, "model": m["model"]["name"],
                "answer_modes": ["extractive", "generative"] if self.writer else ["extractive"],
                "llm": self.chat_model.name if self.chat_model else None,
                "reranker": self.reranker.name if self.reranker else None,
                # processes answering questions now (0: the server itself), and whether more
                # are still loading
                "answer_processes": self.workers.n if self.workers and self.workers.ready
                else 0,
                "answer_processes_loading": bool(self.workers and self.workers.loading),
                "corpus_version": m["corpus_version"], "built_at": m["built_at"],
                **self.reader.counts()}

    def facets(self) -> dict[str, list[Any]]:
        """Values the filters accept: document types, states (ISO3), years, sources."""
        self.fresh()
        return {"type": self.reader.distinct("doc_type"),
                "state": self.reader.distinct("state_iso3"),
                "year": self.reader.distinct("year"), "source": self.reader.distinct("source")}

    def build_report(self) -> dict[str, Any]:
        return self.reader.build_report()

    def reindex(self, roots: list[Path], **hooks: Any) -> BuildReport:
        """Rebuild ``roots`` incrementally, then serve the new build (``hooks`` as in build)."""
        with self._lock:
            report = build(self.settings, roots, embedder=self.embedder, backend=self.backend,
                           **hooks)
            self.reload()
            return report

    @staticmethod
    def _doc_summary(doc: Any) -> dict[str, Any]:
        return {"doc_id": doc.doc_id, "path": doc.path, "source": doc.source,
                "content_hash": doc.content_hash, "flags": list(doc.flags), **asdict(doc.meta)}
