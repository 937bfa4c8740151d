"""The served application: the API (search_api) with the UI (ui) mounted at /."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Mount

from search_api.app import create_app, health_of
from search_api.builds import build_job
from search_api.http import error_response
from search_api.service import SearchService
from search_api.settings import ApiSettings

UI_UPLOAD_TIMEOUT = 3600.0  # seconds the UI waits for its upload's build


def create_server_app(settings: ApiSettings, service: SearchService | None = None,
                      build_on_start: bool = False, answer_processes: int = 1) -> FastAPI:
    """API + UI; the UI's uploads go through the same job queue as the API's."""
    from ui.app import mount_ui

    app = create_app(settings, service, build_on_start=build_on_start,
                     answer_processes=answer_processes)
    mount_ui(app, lambda: app.state.service,
             upload_indexer(app, settings) if settings.api_key is not None else None,
             max_file_size=settings.max_upload_bytes, get_health=lambda: health_of(app),
             generative=settings.llm_configured or bool(service and service.writer))
    _project_errors_in_ui(app)
    return app


def upload_indexer(app: FastAPI, settings: ApiSettings) -> Callable[[list[Path]], dict]:
    """The UI's uploads: a job on the API's queue (one build at a time), waited for."""

    def index_uploads(saved: list[Path]) -> dict[str, Any]:
        jobs = app.state.jobs
        job = jobs.submit("upload", build_job(app.state.service, settings, saved),
                          [p.name for p in saved])
        job = jobs.wait(job.id, UI_UPLOAD_TIMEOUT)
        if job is None or job.state != "done" or job.result is None:
            error = (job.error if job else None) or {"error": "The build did not finish."}
            return {"files": [{"file": p.name, "status": "failed", "reason": error["error"],
                               "hint": error.get("detail") or ""} for p in saved]}
        return job.result

    return index_uploads


def _project_errors_in_ui(app: FastAPI) -> None:
    """404 and 405 from the mounted UI app answer with the project's error body too."""

    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code in (404, 405):
            return error_response(exc.status_code, str(exc.detail), None, exc.headers)
        return await http_exception_handler(request, exc)

    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            route.app.add_exception_handler(StarletteHTTPException, http_error)


