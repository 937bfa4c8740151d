"""FastAPI application factory: the API under /api, metrics, and the UI mounted at /."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.errors import AuthError, InvalidQueryError, RtopError
from indexer.settings import Settings
from search_api import uploads
from search_api.filters import to_filters
from search_api.schemas import AnswerOut, AskIn, ErrorOut, SearchOut, SearchParams
from search_api.service import SearchService

log = logging.getLogger(__name__)
ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorOut} for s in (401, 403, 404, 413, 415, 422, 503)}


def create_app(settings: Settings, service: SearchService | None = None,
               with_ui: bool = True) -> FastAPI:
    """Build the app; the model and index load at start-up unless a service is given."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "service", None) is None:
            app.state.service = SearchService(settings)
        yield

    app = FastAPI(title="RtoP Search", version="0.1.0", lifespan=lifespan,
                  description="Search and cite Responsibility-to-Protect documents.")
    app.state.settings = settings
    app.state.service = service
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization"])
    _add_metrics(app)
    _add_error_handlers(app)
    _add_routes(app, settings)
    if with_ui:
        from ui.app import mount_ui

        mount_ui(app, lambda: app.state.service)
    return app


def get_service(request: Request) -> SearchService:
    return request.app.state.service


Service = Annotated[SearchService, Depends(get_service)]


def _require_key(settings: Settings) -> Callable[..., None]:
    def check(authorization: Annotated[str | None, Header()] = None) -> None:
        if settings.api_key is None:
            raise AuthError("This action is disabled: the server has no API key configured.",
                            "Start the server with RTOP_API_KEY set to enable it.")
        token = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(token, settings.api_key.get_secret_value()):
            raise AuthError("Missing or wrong API key.",
                            "Send the header 'Authorization: Bearer <RTOP_API_KEY>'.")

    return check


def _add_routes(app: FastAPI, settings: Settings) -> None:
    keyed = [Depends(_require_key(settings))]

    @app.get("/api/health", tags=["status"])
    def health(service: Service) -> dict[str, Any]:
        return service.health()

    @app.get("/api/search", response_model=SearchOut, responses=ERRORS, tags=["search"])
    def search(service: Service, params: Annotated[SearchParams, Query()]) -> dict[str, Any]:
        if not params.q.strip():
            raise InvalidQueryError("The query is empty.", "Type a few words to search for.")
        return service.search(params.q.strip(), params.k, to_filters(params.filters(), service))

    @app.post("/api/ask", response_model=AnswerOut, responses=ERRORS, tags=["search"])
    def ask(body: AskIn, service: Service) -> dict[str, Any]:
        return service.ask(body.question, to_filters(body.filters, service), body.k)

    @app.get("/api/documents", tags=["documents"])
    def documents(service: Service, offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
        return service.documents(offset, limit)

    @app.get("/api/documents/{doc_id}", responses=ERRORS, tags=["documents"])
    def document(doc_id: str, service: Service) -> dict[str, Any]:
        return service.document(doc_id)

    @app.get("/api/documents/{doc_id}/text", responses=ERRORS, tags=["documents"])
    def document_text(doc_id: str, service: Service) -> dict[str, Any]:
        return service.document_text(doc_id)

    @app.get("/api/facets", tags=["documents"])
    def facets(service: Service) -> dict[str, Any]:
        return service.facets()

    @app.post("/api/documents", dependencies=keyed, responses=ERRORS, tags=["admin"])
    async def upload(files: list[UploadFile], service: Service) -> dict[str, Any]:
        saved = [await uploads.save(f, settings) for f in files]
        report = service.reindex()
        return uploads.result(saved, report)

    @app.post("/api/reindex", dependencies=keyed, responses=ERRORS, tags=["admin"])
    def reindex(service: Service) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(service.reindex())


def _error(status: int, error: str, detail: Any = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": jsonable_encoder(detail)}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RtopError)
    async def domain_error(request: Request, exc: RtopError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.hint or None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"field": ".".join(str(p) for p in e["loc"][1:]) or e["loc"][0],
                   "message": e["msg"]} for e in exc.errors()]
        return _error(422, "Invalid request: " + "; ".join(
            f"{d['field']}: {d['message']}" for d in detail), detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error on %s", request.url.path)
        return _error(500, "Internal error", "The error was logged; please report it.")


def _add_metrics(app: FastAPI) -> None:
    registry = CollectorRegistry()
    requests = Counter("rtop_requests_total", "HTTP requests", ["method", "route", "status"],
                       registry=registry)
    latency = Histogram("rtop_request_seconds", "HTTP request latency", ["method", "route"],
                        registry=registry,
                        buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))

    @app.middleware("http")
    async def measure(request: Request, call_next: Callable) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", None) or ("/ui" if not request.url.path.startswith(
            "/api") else "unmatched")
        requests.labels(request.method, path, str(response.status_code)).inc()
        latency.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
