"""Generative answers: an LLM writes from the extractive engine's evidence; every sentence is
checked against the quotes it cites before it is shown as fact.

The extractive engine decides whether the collection answers at all (its fitted scorer refuses
as before, and the model is not asked); its citations, plus the next best quotes up to ``k``,
are the numbered evidence. Whatever goes wrong with the model (down, slow, junk, nothing that
survives the checks) ends in the extractive answer, flagged, with a warning that says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from indexer.errors import LLMError
from indexer.models import Filters
from search_api.answer import AnswerEngine
from search_api.candidates import Candidate
from search_api.claims import Checker, Claim, split_claims
from search_api.evidence import citation_dict
from search_api.llm import ChatModel, Messages
from search_api.modes import extractive, fallback
from search_api.prompt import NOT_FOUND, messages

MAX_EXTRA_EVIDENCE = 10  # a one-answer question's evidence: enough context, a short prompt


def _sentence(claim: Claim, reason: str | None) -> dict[str, Any]:
    return {"text": claim.bare, "citations": list(claim.cites), "supported": reason is None,
            "reason": reason}


class Writer:
    """Asks the chat model with numbered evidence and keeps only the supported sentences."""

    def __init__(self, engine: AnswerEngine, model: ChatModel, checker: Checker) -> None:
        self.engine, self.model, self.checker = engine, model, checker

    def prepare(self, text: str, filters: Filters | None, k: int
                ) -> tuple[dict[str, Any], list[dict[str, Any]], Messages | None]:
        """The extractive answer, the evidence and the prompt (None: do not ask the model)."""
        result, ranked = self.engine.answer(text, filters, k)
        if result["refused"]:
            return result, [], None
        evidence = self.evidence(k, result, ranked)
        is_list = bool(result["items"])
        return result, evidence, messages(text, evidence, is_list)

    def evidence(self, k: int, result: dict[str, Any],
                 ranked: list[Candidate]) -> list[dict[str, Any]]:
        """The extractive citations, then (for a one-answer question) the next best verified
        quotes of the candidates the answer was chosen from, up to ``k`` (at most
        MAX_EXTRA_EVIDENCE) in all."""
        evidence = list(result["citations"])
        if result["items"]:
            return evidence
        k = min(k, MAX_EXTRA_EVIDENCE)
        taken = {(c["doc_id"], c["char_start"], c["char_end"]) for c in evidence}
        for c in ranked:
            if len(evidence) >= k:
                break
            s = c.sentence
            key = (s.doc_id, s.start, s.end)
            if key in taken or not self.engine.texts.verified(s.doc_id, s.start, s.end, s.text):
                continue
            taken.add(key)
            evidence.append(citation_dict(len(evidence) + 1, c.hit, s.start, s.end, s.text,
                                          c.score))
        return evidence

    def ask(self, text: str, filters: Filters | None = None, k: int = 5) -> dict[str, Any]:
        result, evidence, prompt = self.prepare(text, filters, k)
        if prompt is None:
            return extractive(result)
        try:
            reply = self.model.complete(prompt)
        except LLMError as exc:
            return fallback(result, f"{exc.message} Showing the extractive answer.")
        return self.checked(reply, result, evidence)

    def stream(self, text: str, filters: Filters | None = None, k: int = 5
               ) -> Iterator[tuple[str, Any]]:
        """("draft", text so far) while the model writes, then ("answer", checked result)."""
        result, evidence, prompt = self.prepare(text, filters, k)
        if prompt is None:
            yield "answer", extractive(result)
            return
        reply = ""
        try:
            for piece in self.model.stream(prompt):
                reply += piece
                yield "draft", reply
        except LLMError as exc:
            yield "answer", fallback(result, f"{exc.message} Showing the extractive answer.")
            return
        yield "answer", self.checked(reply, result, evidence)

    def checked(self, reply: str, result: dict[str, Any],
                evidence: list[dict[str, Any]]) -> dict[str, Any]:
        """The reply's supported sentences as the answer; the rest under ``unsupported``."""
        if reply.strip().rstrip(".").lower() == NOT_FOUND.rstrip(".").lower():
            return fallback(result, "The language model found no answer in the evidence. "
                                    "Showing the extractive answer.")
        checks = self.checker.check(split_claims(reply), evidence)
        sentences = [_sentence(c, why) for c, why in checks]
        unsupported = [s for s in sentences if not s["supported"]]
        kept = [c for c, why in checks if why is None]
        if not kept:
            return fallback(result, "No sentence of the written answer is supported by the "
                                    "evidence it cites. Showing the extractive answer.",
                            unsupported)
        items = [{"label": c.item, "citations": list(c.cites)} for c in kept if c.item]
        answer = "\n".join(f"- {c.text}" if c.item else c.text for c in kept) if items else \
            " ".join(c.text for c in kept)
        return {**result, "answer": answer, "items": items,
                "citations": evidence, "mode": "generative", "fallback": False,
                "model": self.model.name, "sentences": sentences, "unsupported": unsupported,
                "warnings": [f"{len(unsupported)} sentence(s) of the written answer were not "
                             "supported by their cited evidence and are not shown as fact."]
                if unsupported else []}
