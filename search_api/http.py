"""The API edge's error contract: HTTP status of each domain error and the one error body."""

from __future__ import annotations

from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from indexer.errors import (
    AuthError,
    IndexBusyError,
    IndexMismatchError,
    IndexNotFoundError,
    InvalidQueryError,
    NotFoundError,
    RtopError,
    StoreUnavailableError,
)

STATUS: dict[type[RtopError], int] = {
    IndexNotFoundError: 503,
    IndexMismatchError: 503,
    StoreUnavailableError: 503,
    IndexBusyError: 409,
    InvalidQueryError: 422,
    NotFoundError: 404,
    AuthError: 403,
}
MAX_ECHO = 40  # longest piece of a request echoed back in an error message


def status_of(exc: RtopError) -> int:
    """The status of the nearest class in STATUS (or the error's own ``status``), else 400."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return getattr(exc, "status", 400)


def short(value: str) -> str:
    """A request value as it may appear in a message: at most MAX_ECHO characters."""
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + f"… ({len(value)} chars)"


def error_response(status: int, error: str, detail: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The project's one error body: ``{"error": message, "detail": hint or field list}``."""
    return JSONResponse({"error": error, "detail": jsonable_encoder(detail)}, status_code=status,
                        headers=headers)
