"""Run the RtoP question set through the same service the API uses, and score every answer.

An answer is correct when:
- refusal questions: it refuses;
- list questions: it does not refuse and its items reach precision and recall >= 0.8 against the
  gold items (states compared by ISO code, documents by resolution number or symbol);
- every other question: it does not refuse, every expected string is in the answer text and,
  where gold documents are given, one of them is cited.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from eval.datasets import Question
from eval.metrics import (
    answer_matches,
    citation_validity,
    list_precision_recall,
    refusal_precision_recall,
)
from indexer import countries
from search_api.filters import to_filters
from search_api.schemas import FilterIn

log = logging.getLogger(__name__)
LIST_PASS = 0.8
ASK_K = 50  # citations allowed per answer: enough for every item of a long list


@dataclass
class QaResult:
    """One question's answer and scores."""

    question: Question
    answer: dict[str, Any]
    correct: bool = False
    precision: float | None = None
    recall: float | None = None
    gold_cited: bool | None = None
    valid: float = 1.0
    problems: list[str] = field(default_factory=list)


def canonical_item(label: str) -> str:
    """A list item in a comparable form: a state's ISO code, a resolution's number.

    A gold item may give alternatives ("Ceylon|Sri Lanka"): the first that resolves counts.
    """
    for alt in label.split("|"):
        if iso3 := countries.resolve_state(alt.strip()):
            return iso3
    label = label.split("|")[0].strip()
    if m := re.search(r"(?:S/RES/|resolution\s+|^)0*(\d{1,4})\b", label, re.IGNORECASE):
        return f"res{m.group(1)}"
    return label


def score_one(question: Question, answer: dict[str, Any], texts: Mapping[str, str]) -> QaResult:
    """Score one answer against its gold; ``texts`` holds the stored text of cited documents."""
    result = QaResult(question, answer)
    cited = answer["citations"] + answer.get("related", [])
    result.valid = citation_validity(cited, texts)
    if result.valid < 1.0:
        result.problems.append("a quote is not the exact span of its document")
    if question.should_refuse:
        result.correct = bool(answer["refused"])
        if not answer["refused"]:
            result.problems.append(f"answered instead of refusing: {answer['answer'][:160]!r}")
        return result
    if answer["refused"]:
        result.problems.append("refused though the corpus holds the answer")
        return result
    if question.gold_docs:
        result.gold_cited = any(c["doc_id"] in question.gold_docs for c in answer["citations"])
    if question.kind == "list":
        labels = [canonical_item(i["label"]) for i in answer["items"]]
        gold = [canonical_item(x) for x in question.expected_items]
        result.precision, result.recall = list_precision_recall(labels, gold)
        result.correct = result.precision >= LIST_PASS and result.recall >= LIST_PASS
        if not result.correct:
            result.problems.append(f"items {sorted(labels)} vs expected {sorted(gold)}")
        return result
    contains = answer_matches(answer["answer"], question.expected)
    if not contains:
        result.problems.append(f"missing {list(question.expected)}: "
                               f"got {answer['answer'][:240]!r}")
    if result.gold_cited is False:
        result.problems.append(f"no citation from {list(question.gold_docs)}")
    result.correct = contains and result.gold_cited is not False
    return result


def ask(question: Question, service: Any) -> dict[str, Any]:
    filters = to_filters(FilterIn(**question.filters), service) if question.filters else None
    return service.ask(question.question, filters, ASK_K)


def run_qa(questions: list[Question], service: Any) -> list[QaResult]:
    """Ask every question of one service (an index of every corpus); score each answer."""
    results = []
    for q in questions:
        answer = ask(q, service)
        docs = {c["doc_id"] for c in answer["citations"] + answer.get("related", [])}
        texts = {d: service.document_text(d)["text"] for d in docs}
        results.append(score_one(q, answer, texts))
    return results


def summarise(results: list[QaResult]) -> dict[str, Any]:
    """Accuracy overall and per kind, refusal precision/recall, citations, and the failures."""

    def avg(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(mean(present), 4) if present else None

    by_kind: dict[str, list[QaResult]] = {}
    for r in results:
        by_kind.setdefault(r.question.kind, []).append(r)
    refused = [bool(r.answer["refused"]) for r in results]
    should = [r.question.should_refuse for r in results]
    precision, recall = refusal_precision_recall(refused, should) if results else (None, None)
    return {
        "questions": len(results),
        "accuracy": avg([float(r.correct) for r in results]),
        "by_kind": {kind: {"n": len(rs), "correct": sum(r.correct for r in rs),
                           "accuracy": avg([float(r.correct) for r in rs])}
                    for kind, rs in sorted(by_kind.items())},
        "refusal_precision": round(precision, 4) if precision is not None else None,
        "refusal_recall": round(recall, 4) if recall is not None else None,
        "list_precision": avg([r.precision for r in results]),
        "list_recall": avg([r.recall for r in results]),
        "gold_document_cited": avg([float(r.gold_cited) for r in results
                                    if r.gold_cited is not None]),
        "citation_validity": avg([r.valid for r in results]),
        "failures": [{"id": r.question.id, "kind": r.question.kind,
                      "question": r.question.question, "problems": r.problems}
                     for r in results if r.problems],
    }
