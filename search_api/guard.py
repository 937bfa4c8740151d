"""Checks made before a request body is read: the key, and the size of an upload.

FastAPI parses a multipart body before any dependency runs, so a route-level key check comes
too late to refuse a 200 MB upload from a client without a key. This ASGI middleware looks at
the headers first (Authorization, Content-Length) and then counts the body as it streams in.
"""

from __future__ import annotations

import secrets
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from indexer.errors import AuthError
from search_api.http import error_response, status_of
from search_api.settings import ApiSettings

KEYED = {("POST", "/api/documents"), ("POST", "/api/reindex")}
FRAMING = 256 * 1024  # room for multipart boundaries and part headers


def check_key(settings: ApiSettings, authorization: str | None) -> None:
    """Accept only ``Authorization: Bearer <RTOP_API_KEY>``; raise AuthError otherwise."""
    if settings.api_key is None:
        raise AuthError("This action is disabled: the server has no API key configured.",
                        "Start the server with RTOP_API_KEY set to enable it.")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme != "Bearer" or not secrets.compare_digest(
            token.strip().encode(), settings.api_key.get_secret_value().encode()):
        raise AuthError("Missing or wrong API key.",
                        "Send the header 'Authorization: Bearer <RTOP_API_KEY>'.")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in, once it passes the limit."""


class UploadGuard:
    """Refuse keyed requests without the key, and bodies over the limit, before reading them."""

    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.settings = settings
        self.limit = settings.max_upload_bytes + FRAMING

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"].rstrip("/")) not in KEYED:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        try:
            check_key(self.settings, headers.get("authorization"))
        except AuthError as exc:
            await self._refuse(scope, receive, send, status_of(exc), exc.message, exc.hint)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, receive, send, 413, self._too_large(),
                               "Split the document or raise RTOP_MAX_UPLOAD_MB.")
            return
        await self.app(scope, self._limited(receive), send)

    def _too_large(self) -> str:
        return f"The upload is larger than {self.settings.max_upload_mb} MB."

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(413, self._too_large())
            return message

        return limited

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, error: str,
                      detail: Any) -> None:
        # the body is not read; the connection is closed so the client stops sending it
        response = error_response(status, error, detail, headers={"Connection": "close"})
        await response(scope, receive, send)
