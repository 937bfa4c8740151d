"""What a generative answer sends to the language model: tokens per question at k=5 and k=10,
counted with the bundled model's tokenizer as a proxy for the LLM's own (no LLM is called)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from statistics import mean
from typing import Any

from search_api.prompt import NOT_FOUND, count_tokens


class _Unused:
    """A chat model that is never asked: only the prompts are built."""

    name = "none"

    def complete(self, messages: list[dict[str, str]]) -> str:
        return NOT_FOUND

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        yield NOT_FOUND


def prompt_budget(index_dir: Path, embedder: Any, questions: list[str],
                  ks: tuple[int, ...] = (5, 10)) -> dict[str, Any]:
    """Per k: questions prompted, mean and max tokens sent, mean pieces of evidence."""
    from transformers import AutoTokenizer

    from indexer.settings import Settings, bundled_model_path
    from search_api.service import SearchService

    tokenizer = AutoTokenizer.from_pretrained(bundled_model_path())
    tokenizer.model_max_length = 1 << 30  # counting only: no truncation, no length warning
    service = SearchService(Settings(index_dir=index_dir), embedder=embedder,
                            chat_model=_Unused())
    assert service.writer is not None
    out: dict[str, Any] = {"tokenizer": "all-MiniLM-L6-v2 (WordPiece), a proxy"}
    for k in ks:
        tokens, evidence, refused = [], [], 0
        for question in questions:
            _, given, prompt = service.writer.prepare(question, None, k)
            if prompt is None:
                refused += 1
                continue
            tokens.append(count_tokens(tokenizer, prompt))
            evidence.append(len(given))
        out[f"k{k}"] = {"questions": len(tokens), "refused_not_sent": refused,
                        "mean_tokens": round(mean(tokens)) if tokens else 0,
                        "max_tokens": max(tokens, default=0),
                        "mean_evidence": round(mean(evidence), 1) if evidence else 0}
    return out
