"""FastAPI application factory: the API under /api and metrics (the UI is mounted elsewhere)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from prometheus_client import CollectorRegistry
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route

from indexer.embed import Embedder
from indexer.errors import (
    IndexNotFoundError,
    InvalidQueryError,
    NotFoundError,
    RtopError,
)
from search_api import uploads
from search_api.builds import build_job, not_ready, startup_job
from search_api.filters import listing_where, to_filters
from search_api.guard import UploadGuard, check_key
from search_api.http import error_response, short, status_of
from search_api.jobs import JobQueue
from search_api.metrics import RequestMetrics, metrics_response
from search_api.schemas import (
    AnswerOut,
    AskIn,
    DocumentsParams,
    ErrorOut,
    JobOut,
    SearchOut,
    SearchParams,
)
from search_api.service import SearchService
from search_api.settings import ApiSettings

log = logging.getLogger(__name__)
ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (400, 401, 403, 404, 409, 413, 415, 422, 503)}
MAX_ID = 200  # longest document id accepted in a path


def create_app(settings: ApiSettings, service: SearchService | None = None,
               build_on_start: bool = False, embedder: Embedder | None = None,
               answer_processes: int = 1) -> FastAPI:
    """Build the app; the model and index load at start-up unless a service is given.

    ``answer_processes`` above 1: questions are answered in that many worker processes
    (search_api/workers.py) once the service is open.

    With ``build_on_start`` the app serves at once and a first job brings the index in line
    with the configured corpus (building it when there is none): meanwhile it answers from
    the previous index, or with a 503 saying the first index is being built.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if build_on_start:
            app.state.startup = app.state.jobs.submit("startup",
                                                      startup_job(app, settings, embedder))
        else:
            if getattr(app.state, "service", None) is None:
                app.state.service = SearchService(settings)
            app.state.service.start_workers(answer_processes)
        try:
            yield
        finally:  # SIGTERM: a running build stops at its next batch; the live index stays
            app.state.jobs.close()
            if app.state.service is not None:
                app.state.service.close()

    app = FastAPI(title="RtoP Search", version="0.1.0", lifespan=lifespan,
                  description="Search and cite Responsibility-to-Protect documents. "
                              "Every error answers with the ErrorOut body.")
    app.state.settings = settings
    app.state.service = service
    app.state.jobs = JobQueue()
    app.state.startup = None  # the start-up build job, when there is one
    app.state.answer_processes = answer_processes
    # always installed: with no origins configured no origin is allowed, and a mounted Gradio
    # app sees the parent's CORSMiddleware and adds no CORS headers of its own
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                       allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(UploadGuard, settings=settings)
    _add_metrics(app)
    _add_error_handlers(app)
    _add_routes(app, settings)
    return app


def health_of(app: FastAPI) -> dict[str, Any]:
    """What /api/health reports (the UI's build display reads the same): the index's figures,
    or why there is none yet, and the running job with its progress."""
    state = app.state
    active = state.jobs.active()
    job = active.as_dict() if active else None
    if state.service is None:
        startup = active or state.startup
        message, hint = not_ready(startup)
        status = ("failed" if startup and startup.state in ("failed", "cancelled") else
                  "building" if active and "documents_total" in active.progress else
                  "starting")
        return {"status": status, "index_loaded": False, "message": message, "hint": hint,
                "job": job}
    return {**state.service.health(), "job": job}


def get_service(request: Request) -> SearchService:
    service = request.app.state.service
    if service is None:
        state = request.app.state
        raise IndexNotFoundError(*not_ready(state.jobs.active() or state.startup))
    return service


def get_jobs(request: Request) -> JobQueue:
    return request.app.state.jobs


Service = Annotated[SearchService, Depends(get_service)]
Jobs = Annotated[JobQueue, Depends(get_jobs)]
DocId = Annotated[str, PathParam(max_length=MAX_ID)]


def _add_routes(app: FastAPI, settings: ApiSettings) -> None:
    def key(authorization: Annotated[str | None, Header(
            description="Bearer <RTOP_API_KEY>")] = None) -> None:
        check_key(settings, authorization)  # also checked before the body is read (guard.py)

    keyed = [Depends(key)]

    @app.get("/api/health", tags=["status"], responses=ERRORS)
    def health(request: Request) -> dict[str, Any]:
        """ok with the index's figures; starting or building (with the job) before the first
        index can answer."""
        return health_of(request.app)

    @app.get("/api/search", response_model=SearchOut, responses=ERRORS, tags=["search"])
    def search(service: Service, params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
        if not params.q.strip():
            raise InvalidQueryError("The query is empty.", "Type a few words to search for.")
        return service.search(params.q.strip(), params.k, to_filters(params.filters(), service))

    @app.post("/api/ask", response_model=AnswerOut, responses=ERRORS, tags=["search"])
    def ask(body: AskIn, service: Service) -> dict[str, Any]:
        return service.ask(body.question, to_filters(body.filters, service), body.k, body.mode)

    @app.get("/api/documents", tags=["documents"], responses=ERRORS)
    def documents(service: Service,
                  params: Annotated[DocumentsParams, Query()]) -> dict[str, Any]:
        """A page of documents (filtered), the total matching, and counts per collection."""
        return service.documents(params.offset, params.limit, listing_where(params))

    @app.get("/api/documents/{doc_id}", responses=ERRORS, tags=["documents"])
    def document(doc_id: DocId, service: Service) -> dict[str, Any]:
        return service.document(doc_id)

    @app.get("/api/documents/{doc_id}/text", responses=ERRORS, tags=["documents"])
    def document_text(doc_id: DocId, service: Service) -> dict[str, Any]:
        return service.document_text(doc_id)

    @app.get("/api/facets", tags=["documents"], responses=ERRORS)
    def facets(service: Service) -> dict[str, Any]:
        return service.facets()

    @app.post("/api/documents", dependencies=keyed, responses=ERRORS, tags=["admin"],
              status_code=202, response_model=JobOut)
    def upload(files: list[UploadFile], service: Service, jobs: Jobs) -> dict[str, Any]:
        """Save the files, then index them in a background job; poll /api/jobs/{id}."""
        names = [uploads.check_name(f.filename) for f in files]  # all checked before any is kept
        saved = [uploads.save_stream(name, f.file, settings) for name, f in zip(
            names, files, strict=True)]
        job = jobs.submit("upload", build_job(service, settings, saved),
                          [p.name for p in saved])
        return job.as_dict()

    @app.post("/api/reindex", dependencies=keyed, responses=ERRORS, tags=["admin"],
              status_code=202, response_model=JobOut)
    def reindex(service: Service, jobs: Jobs) -> dict[str, Any]:
        """Re-index the configured corpus in a background job; poll /api/jobs/{id}."""
        return jobs.submit("reindex", build_job(service, settings)).as_dict()

    @app.get("/api/jobs/{job_id}", responses=ERRORS, tags=["admin"], response_model=JobOut)
    def job_status(job_id: Annotated[str, PathParam(max_length=64)],
                   jobs: Jobs) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"No job {short(job_id)!r}.",
                                "Job ids come from POST /api/documents or /api/reindex; "
                                "finished jobs are forgotten after a while.")
        return job.as_dict()

    async def unmatched(request: Request) -> JSONResponse:
        """Any other /api path: 405 when the path exists with other methods, else 404."""
        allowed = sorted({m for r in app.router.routes if isinstance(r, Route) and r is not
                          catch_all and r.matches(request.scope)[0] == Match.PARTIAL
                          for m in (r.methods or ())})
        if allowed:
            return error_response(405, f"Method {request.method} is not allowed here.",
                                  "Allowed: " + ", ".join(allowed),
                                  headers={"Allow": ", ".join(allowed)})
        return error_response(404, "No such API route.", "See /docs for the API's routes.")

    catch_all = Route("/api/{rest:path}", unmatched, include_in_schema=False, methods=[
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"])
    app.router.routes.append(catch_all)



def _field(error: dict[str, Any]) -> str:
    loc = [str(p) for p in error["loc"]]
    if error.get("type") == "json_invalid":
        return "body"
    return short(".".join(loc[1:]) or loc[0])


def _message(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        problem = (error.get("ctx") or {}).get("error", "not valid JSON")
        return f"the body is not valid JSON ({problem}); send a JSON object"
    return error["msg"]


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RtopError)
    async def domain_error(request: Request, exc: RtopError) -> JSONResponse:
        return error_response(status_of(exc), exc.message, exc.hint or None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"field": _field(e), "message": _message(e)} for e in exc.errors()]
        return error_response(422, "Invalid request: " + "; ".join(
            f"{d['field']}: {d['message']}" for d in detail), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), None, exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error on %s", request.url.path)
        return error_response(500, "Internal error", "The error was logged; please report it.")


def _add_metrics(app: FastAPI) -> None:
    registry = CollectorRegistry()
    app.add_middleware(RequestMetrics, registry=registry)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return metrics_response(registry)
