"""The work of background build jobs: uploads, reindex, and the first build at start-up."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from indexer.embed import Embedder
from indexer.errors import IndexMismatchError, IndexNotFoundError
from search_api import uploads
from search_api.jobs import Job, StopRequested
from search_api.service import SearchService, build, load_embedder
from search_api.settings import ApiSettings

log = logging.getLogger(__name__)


def build_job(service: SearchService, settings: ApiSettings,
              saved: list[Path] | None = None) -> Callable[..., dict[str, Any]]:
    """The work of an upload or reindex job: an incremental build with progress."""

    def work(job: Job, progress: Callable[[dict[str, Any]], None],
             stop: StopRequested) -> dict[str, Any]:
        report = service.reindex(settings.reindex_roots(), on_progress=with_eta(progress),
                                 should_stop=stop)
        return uploads.result(saved, report) if saved is not None else asdict(report)

    return work


def with_eta(progress: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """A build's on_progress that adds the estimated seconds left, from this run's pace in
    characters embedded (documents when the build reports no characters)."""
    started, first = time.monotonic(), None
    unit = ("chars_done", "chars_total")

    def on_progress(p: dict[str, Any]) -> None:
        nonlocal first
        done_key, total_key = unit if p.get("chars_total") else (
            "documents_done", "documents_total")
        first = p[done_key] if first is None else first
        done, total = p[done_key], p[total_key]
        if done == first:  # no pace measured yet
            progress(p)
            return
        rate = (time.monotonic() - started) / (done - first)
        progress({**p, "eta_seconds": round(rate * (total - done), 1)})

    return on_progress


def startup_job(app: FastAPI, settings: ApiSettings,
                embedder: Embedder | None = None) -> Callable[..., dict[str, Any]]:
    """Open the index (when there is a usable one), then bring it in line with the corpus."""

    def work(job: Job, progress: Callable[[dict[str, Any]], None],
             stop: StopRequested) -> dict[str, Any]:
        model = embedder or load_embedder(settings)
        try:
            app.state.service = opened(SearchService(settings, embedder=model))
        except (IndexNotFoundError, IndexMismatchError) as exc:
            log.warning("%s Building the first index of %s in the background.", exc.message,
                        [str(p) for p in settings.reindex_roots()])
        if app.state.service is not None:
            return build_job(app.state.service, settings)(job, progress, stop)
        report = build(settings, settings.reindex_roots(), embedder=model,
                       on_progress=with_eta(progress), should_stop=stop)
        app.state.service = opened(SearchService(settings, embedder=model))
        return asdict(report)

    def opened(service: SearchService) -> SearchService:
        service.start_workers(app.state.answer_processes)
        return service

    return work


def not_ready(job: Job | None) -> tuple[str, str]:
    """What a request hears while there is no index to answer from yet."""
    p = job.progress if job is not None else {}
    if job is not None and job.state in ("failed", "cancelled"):
        reason = (job.error or {}).get("error", "it stopped")
        return (f"There is no index: the first build did not finish ({reason}).",
                "Fix the problem named, then restart the server or run: rtop-search index")
    if "documents_total" in p:
        eta = p.get("eta_seconds")
        return (f"The first index is being built: {p['documents_done']} of "
                f"{p['documents_total']} documents done"
                + (f", about {round(eta)} s left." if eta is not None else "."),
                "Try again when /api/health says status ok.")
    return ("The service is starting: the model is loading and the index is being checked.",
            "Try again in a few seconds; /api/health says when it is ready.")
