"""A chat client for any OpenAI-compatible ``/v1`` endpoint (Ollama, vLLM, llama.cpp, hosted).

Only the documented ``POST /chat/completions`` schema is used, through httpx: no SDK. Every call
has one deadline for the whole reply (connect, wait and read together), so a slow or stalled
endpoint ends in ``LLMError`` at the timeout, never a hang.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any, Protocol

import httpx

from indexer.errors import LLMError

Messages = list[dict[str, str]]


class ChatModel(Protocol):
    """Writes a reply to chat messages; ``stream`` yields it in pieces as it arrives."""

    name: str

    def complete(self, messages: Messages) -> str: ...

    def stream(self, messages: Messages) -> Iterator[str]: ...


class OpenAICompatible:
    """``POST {base_url}/chat/completions`` with a deadline of ``timeout_s`` per reply."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 30.0, max_tokens: int = 600) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.name, self.timeout_s, self.max_tokens = model, timeout_s, max_tokens
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    def complete(self, messages: Messages) -> str:
        body = b"".join(self._bytes(messages, stream=False))
        try:
            reply = json.loads(body)
            content = reply["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise self._junk(body) from exc
        if not isinstance(content, str):
            raise self._junk(body)
        return content

    def stream(self, messages: Messages) -> Iterator[str]:
        """The reply's pieces, parsed from the server-sent events of a streamed completion; a
        body with no event at all is junk."""
        buffer, head, events = b"", b"", 0
        for data in self._bytes(messages, stream=True):
            head = head or data
            buffer += data
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                events += line.strip().startswith(b"data:")
                if piece := self._event(line.strip()):
                    yield piece
        events += buffer.strip().startswith(b"data:")
        if piece := self._event(buffer.strip()):
            yield piece
        if not events:
            raise self._junk(head)

    def _event(self, line: bytes) -> str | None:
        if not line.startswith(b"data:"):
            return None
        data = line[5:].strip()
        if data == b"[DONE]":
            return None
        try:
            delta = json.loads(data)["choices"][0].get("delta", {})
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise self._junk(data) from exc
        content = delta.get("content") if isinstance(delta, dict) else None
        return content if isinstance(content, str) else None

    def _bytes(self, messages: Messages, stream: bool) -> Iterator[bytes]:
        """The raw reply as it arrives, against one deadline for all of it: a reader thread
        does the HTTP, so a server that stalls mid-reply cannot hold the caller past it."""
        deadline = time.monotonic() + self.timeout_s
        body = {"model": self.name, "messages": messages, "temperature": 0,
                "max_tokens": self.max_tokens, "stream": stream}
        pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, args=(body, pieces), daemon=True).start()
        while True:
            try:
                kind, value = pieces.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise self._slow() from None
            if kind == "data":
                yield value
            elif kind == "error":
                raise value
            else:
                return

    def _read(self, body: dict[str, Any], pieces: queue.Queue[tuple[str, Any]]) -> None:
        """POST and put ("data", bytes)... then ("end", None), or ("error", LLMError)."""
        try:
            with httpx.stream("POST", self.url, json=body, headers=self.headers,
                              timeout=httpx.Timeout(self.timeout_s)) as response:
                if response.status_code != 200:
                    response.read()
                    raise LLMError(f"The language model endpoint {self.url} answered HTTP "
                                   f"{response.status_code}: {response.text[:200]}",
                                   "Check RTOP_LLM_BASE_URL, RTOP_LLM_MODEL and RTOP_LLM_API_KEY.")
                for data in response.iter_bytes():
                    pieces.put(("data", data))
            pieces.put(("end", None))
        except LLMError as exc:
            pieces.put(("error", exc))
        except httpx.TimeoutException:
            pieces.put(("error", self._slow()))
        except httpx.HTTPError as exc:
            pieces.put(("error", LLMError(
                f"The language model endpoint {self.url} could not be reached "
                f"({type(exc).__name__}).", "Start the model server or fix RTOP_LLM_BASE_URL.")))

    def _slow(self) -> LLMError:
        return LLMError(f"The language model did not answer within {self.timeout_s:g} s.",
                        "Raise RTOP_LLM_TIMEOUT_S or use a smaller model.")

    def _junk(self, body: bytes) -> LLMError:
        return LLMError("The language model's reply is not an OpenAI-style chat completion: "
                        f"{body[:120]!r}", "Check that RTOP_LLM_BASE_URL ends in /v1.")
