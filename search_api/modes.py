"""Answer modes behind one protocol: extractive (verified quotes) and generative (a written
answer checked sentence by sentence, search_api.generative.Writer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from indexer.models import Filters
from search_api.answer import AnswerEngine

MODES = ("extractive", "generative")


class AnswerMode(Protocol):
    """Answers a question in the answer contract; ``stream`` yields ("draft", text so far)
    while an answer is being written, then ("answer", the contract)."""

    def ask(self, text: str, filters: Filters | None = None, k: int = 5) -> dict[str, Any]: ...

    def stream(self, text: str, filters: Filters | None = None, k: int = 5
               ) -> Iterator[tuple[str, Any]]: ...


def extractive(result: dict[str, Any]) -> dict[str, Any]:
    """An extractive answer with the contract's generative fields empty."""
    return {**result, "mode": "extractive", "fallback": False, "sentences": [],
            "unsupported": [], "warnings": result.get("warnings", [])}


def fallback(result: dict[str, Any], warning: str,
             unsupported: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The extractive answer, flagged, saying why the written one is not shown."""
    return {**extractive(result), "fallback": True, "unsupported": unsupported or [],
            "warnings": [*result.get("warnings", []), warning]}


class Extractive:
    """The extractive engine's answer as it is."""

    def __init__(self, engine: AnswerEngine) -> None:
        self.engine = engine

    def ask(self, text: str, filters: Filters | None = None, k: int = 5) -> dict[str, Any]:
        return extractive(self.engine.ask(text, filters, k))

    def stream(self, text: str, filters: Filters | None = None, k: int = 5
               ) -> Iterator[tuple[str, Any]]:
        yield "answer", self.ask(text, filters, k)
