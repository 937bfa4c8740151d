"""The prompt of a generative answer: numbered evidence (verified quotes with their citation)
and the rules every sentence must follow to be shown as fact."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search_api.llm import Messages

NOT_FOUND = "Not in the documents."

RULES = f"""You answer questions about the Responsibility to Protect (R2P) from numbered \
evidence: quotes from UN documents and statements, each with its source.
Rules:
- Use only the evidence. Do not add anything you know from elsewhere.
- Write in English, in short plain sentences.
- End every sentence with the numbers of the evidence that supports it, like [1] or [2][3].
- Copy names, numbers, dates and document symbols exactly as the evidence gives them.
- If the evidence does not answer the question, reply exactly: {NOT_FOUND}"""

LIST_RULE = """- The question asks for a list: write one line per item, as \
"- Name: what the evidence says [n]". Name only items that the cited evidence names."""


def evidence_block(evidence: Sequence[Mapping[str, Any]]) -> str:
    """``[n] citation: "quote"``, one per line."""
    return "\n".join(f'[{c["n"]}] {c["citation"]}: "{c["quote"]}"' for c in evidence)


def messages(question: str, evidence: Sequence[Mapping[str, Any]], is_list: bool) -> Messages:
    system = RULES + ("\n" + LIST_RULE if is_list else "")
    user = f"Question: {question}\n\nEvidence:\n{evidence_block(evidence)}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def count_tokens(tokenizer: Any, prompt: Messages) -> int:
    """Tokens sent, with ``tokenizer`` (the bundled model's) as a proxy for the LLM's own."""
    return sum(len(tokenizer(m["content"], add_special_tokens=False)["input_ids"])
               for m in prompt)
