"""Fit the list item gate (``search_api.items``) on the TRAIN split's list questions only.

Each train list question, and each question to refuse that reads as a list, is read as served
and every entity a sentence could speak for is a candidate, labelled by whether it is one of
the question's expected items (a question to refuse has none). The model is fitted on the
entities it decides: those with no supporting sentence in a list that has one. The regularisation
and the threshold are chosen together on out-of-fold probabilities (folds by question): the
pair that makes the most train list questions come out right as ``eval qa`` scores them
(precision and recall of the items both >= LIST_PASS; for a question to refuse, nothing kept),
averaged over neighbouring thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from eval.datasets import Question
from eval.fit import SMOOTHING, fit_linear
from eval.metrics import list_precision_recall
from eval.qa import LIST_PASS, canonical_item
from search_api.items import ITEM_FEATURES, ItemGate, item_features
from search_api.lists import candidate_items
from search_api.retrieve import Timings
from search_api.scorer import LinearScorer

C_GRID = (0.1, 1.0, 10.0)
SUPPORTED = ITEM_FEATURES.index("supported")
THRESHOLDS = np.round(np.arange(0.05, 1.0, 0.01), 2)
FOLDS = 5


@dataclass
class ListCase:
    """One train question's candidate items: features, labels and gold (none to refuse)."""

    x: np.ndarray
    labels: list[str]
    gold: list[str]

    @property
    def y(self) -> np.ndarray:
        return np.asarray([list_precision_recall([label], self.gold)[0] == 1.0
                           for label in self.labels], dtype=int)

    @property
    def open(self) -> np.ndarray:
        """The items the model decides: unsupported ones of a list that has a supported one."""
        supported = self.x[:, SUPPORTED] > 0
        return ~supported if supported.any() else np.zeros(len(self.labels), bool)

    def right(self, keep: np.ndarray) -> bool:
        kept = [label for label, k in zip(self.labels, keep, strict=True) if k]
        precision, recall = list_precision_recall(kept, self.gold)
        return precision >= LIST_PASS and recall >= LIST_PASS


def list_cases(questions: list[Question], engine: Any) -> list[ListCase]:
    """The candidate items of every list question and every question to refuse that the engine
    reads as a list (no filters): for those, whatever it keeps is wrong."""
    cases = []
    for q in questions:
        if not (q.kind == "list" or q.should_refuse) or q.filters:
            continue
        question, vector = engine.understand(engine.held.respelt(q.question), None)
        if question.list_kind is None:
            continue
        question, items, _ = candidate_items(engine, question, vector, Timings())
        cases.append(ListCase(item_features(engine, question, items, vector),
                              [canonical_item(i.label) for i in items],
                              [canonical_item(g) for g in q.expected_items]))
    return cases


def fit_items(cases: list[ListCase]) -> tuple[LinearScorer, dict[str, Any]]:
    """The gate with the (C, threshold) of best out-of-fold list accuracy on train."""
    rule = np.mean([c.right(ItemGate(None).kept(c.x)) for c in cases])
    folds = [cases[k::FOLDS] for k in range(FOLDS)]
    best: tuple[float, float, float, float] = (-1.0, 0.0, 0.0, 0.0)
    for c in C_GRID:
        right = np.zeros(len(THRESHOLDS))
        for k, held_out in enumerate(folds):
            rest = [case for j, fold in enumerate(folds) if j != k for case in fold]
            model = _fit(rest, c)
            for case in held_out:
                right += [case.right(ItemGate(replace(model, threshold=t)).kept(case.x))
                          for t in THRESHOLDS]
        accuracy = right / len(cases)
        smooth = np.convolve(np.pad(accuracy, SMOOTHING, mode="edge"),
                             np.ones(2 * SMOOTHING + 1) / (2 * SMOOTHING + 1), mode="valid")
        i = int(np.argmax(smooth))
        if smooth[i] > best[0]:
            best = (float(smooth[i]), c, float(THRESHOLDS[i]), float(accuracy[i]))
    _, c, threshold, accuracy = best
    gate = replace(_fit(cases, c), threshold=threshold)
    info = {"C": c, "questions": len(cases), "items_decided": int(sum(x.open.sum() for x in cases)),
            "train_list_accuracy_out_of_fold": round(accuracy, 4),
            "train_list_accuracy_rule": round(float(rule), 4)}
    return gate, info


def _fit(cases: list[ListCase], c: float) -> LinearScorer:
    x = np.vstack([case.x[case.open] for case in cases if case.open.any()])
    y = np.concatenate([case.y[case.open] for case in cases if case.open.any()])
    return fit_linear(x, y, c, balanced=False)
