"""Run the RtoP question set through the same service the API uses, and score every answer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from eval.datasets import Question
from eval.metrics import answer_contains, citation_validity, list_precision_recall
from eval.metrics import refusal_accuracy as refusal_accuracy_of
from search_api.filters import to_filters
from search_api.schemas import FilterIn

log = logging.getLogger(__name__)


@dataclass
class QaResult:
    """One question's answer and scores."""

    question: Question
    answer: dict[str, Any]
    correct: float | None = None
    precision: float | None = None
    recall: float | None = None
    gold_cited: bool | None = None
    valid: float = 1.0
    problems: list[str] = field(default_factory=list)


def score_one(question: Question, answer: dict[str, Any], texts: Mapping[str, str]) -> QaResult:
    """Score one answer against its gold; ``texts`` holds the stored text of cited documents."""
    result = QaResult(question, answer)
    cited = answer["citations"] + answer.get("related", [])
    result.valid = citation_validity(cited, texts)
    if result.valid < 1.0:
        result.problems.append("a quote is not the exact span of its document")
    if question.should_refuse:
        if not answer["refused"]:
            result.problems.append(f"answered instead of refusing: {answer['answer'][:120]!r}")
        return result
    if answer["refused"]:
        result.problems.append("refused though the corpus holds the answer")
    if question.kind == "list":
        labels = [i["label"] for i in answer["items"]]
        result.precision, result.recall = list_precision_recall(labels, question.expected_items)
        if result.precision < 1.0 or result.recall < 1.0:
            result.problems.append(f"items {sorted(labels)} vs expected "
                                   f"{sorted(question.expected_items)}")
    else:
        result.correct = answer_contains(answer["answer"], question.expected)
        if result.correct < 1.0:
            result.problems.append(f"missing expected text {list(question.expected)}: got "
                                   f"{answer['answer'][:200]!r}")
    if question.gold_docs:
        result.gold_cited = any(c["doc_id"] in question.gold_docs for c in answer["citations"])
        if not result.gold_cited:
            result.problems.append(f"no citation from {list(question.gold_docs)}")
    return result


def run_qa(questions: list[Question], services: Mapping[str, Any]) -> list[QaResult]:
    """Ask every question whose corpus has a service; score it."""
    results = []
    for q in questions:
        service = services.get(q.corpus)
        if service is None:
            continue
        filters = to_filters(FilterIn(**q.filters), service) if q.filters else None
        answer = service.ask(q.question, filters)
        docs = {c["doc_id"] for c in answer["citations"] + answer.get("related", [])}
        texts = {d: service.document_text(d)["text"] for d in docs}
        results.append(score_one(q, answer, texts))
    return results


def summarise(results: list[QaResult]) -> dict[str, Any]:
    """Every metric over the run, by kind, plus the failures."""

    def avg(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return round(mean(present), 4) if present else None

    by_kind: dict[str, list[QaResult]] = {}
    for r in results:
        by_kind.setdefault(r.question.kind, []).append(r)
    return {
        "questions": len(results),
        "answer_correctness": avg([r.correct for r in results]),
        "list_precision": avg([r.precision for r in results]),
        "list_recall": avg([r.recall for r in results]),
        "citation_validity": avg([r.valid for r in results]),
        "gold_document_cited": avg([float(r.gold_cited) for r in results
                                    if r.gold_cited is not None]),
        "refusal_accuracy": round(refusal_accuracy_of(
            [r.answer["refused"] for r in results],
            [r.question.should_refuse for r in results]), 4) if results else None,
        "by_kind": {kind: {"n": len(rs), "passed": sum(not r.problems for r in rs)}
                    for kind, rs in sorted(by_kind.items())},
        "failures": [{"id": r.question.id, "kind": r.question.kind,
                      "question": r.question.question, "problems": r.problems}
                     for r in results if r.problems],
    }
