"""An in-process OpenAI-compatible chat server on a loopback port, with scripted replies.

``FakeLLM.script`` turns the request's messages into the reply text; ``status``, ``raw`` and
``delay`` make it fail the ways real endpoints do (HTTP errors, junk bodies, slowness);
``stall`` pauses a streamed reply after its first piece.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

EVIDENCE_LINE = re.compile(r'^\[(\d+)\] (.*?): "(.*)"$', re.MULTILINE)


def evidence_of(messages: list[dict]) -> dict[int, tuple[str, str]]:
    """The numbered evidence of a prompt: n -> (citation, quote)."""
    return {int(n): (cite, quote) for n, cite, quote in EVIDENCE_LINE.findall(
        messages[-1]["content"])}


def number_of(messages: list[dict], *needles: str) -> int:
    """The number of the first evidence whose quote holds every needle."""
    for n, (_, quote) in sorted(evidence_of(messages).items()):
        if all(x.lower() in quote.lower() for x in needles):
            return n
    raise AssertionError(f"no evidence holds {needles}: {evidence_of(messages)}")


class FakeLLM:
    def __init__(self) -> None:
        self.script: Callable[[list[dict]], str]
        self.reset()
        self.requests: list[dict] = []
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._complete)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                                    log_level="warning",
                                                    timeout_graceful_shutdown=1))

    def reset(self) -> None:
        self.script, self.status, self.raw, self.delay, self.stall = \
            (lambda m: "Not in the documents."), 200, None, 0.0, 0.0

    async def _complete(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status != 200:
            return JSONResponse({"error": {"message": "scripted failure"}},
                                status_code=self.status)
        if self.raw is not None:
            return Response(self.raw, media_type="application/json")
        text = self.script(body["messages"])
        if body.get("stream"):
            return StreamingResponse(self._events(text, self.stall),
                                     media_type="text/event-stream")
        return JSONResponse({"id": "fake", "object": "chat.completion", "model": body["model"],
                             "choices": [{"index": 0, "finish_reason": "stop",
                                          "message": {"role": "assistant", "content": text}}]})

    @staticmethod
    async def _events(text: str, stall: float):
        for i, piece in enumerate(re.findall(r"\S+\s*", text)):
            chunk = {"object": "chat.completion.chunk",
                     "choices": [{"index": 0, "delta": {"content": piece}}]}
            yield f"data: {json.dumps(chunk)}\n\n"
            if i == 0 and stall:
                await asyncio.sleep(stall)
        yield "data: [DONE]\n\n"

    def __enter__(self) -> FakeLLM:
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
