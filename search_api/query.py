"""Checks on the raw question text at the edges (API, CLI, UI); parsing is in question.py."""

from __future__ import annotations

from indexer.errors import InvalidQueryError

MAX_QUESTION = 1000

def check_question(text: str | None, what: str = "question") -> str:
    """The stripped text, or a clear error when it is empty or longer than MAX_QUESTION."""
    text = (text or "").strip()
    if not text:
        raise InvalidQueryError(f"The {what} is empty.",
                                "Type one, e.g. 'Which states named focal points?'")
    if len(text) > MAX_QUESTION:
        raise InvalidQueryError(f"The {what} is longer than {MAX_QUESTION:,} characters.",
                                "Ask a shorter question.")
    return text
