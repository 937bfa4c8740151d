"""Rank candidate sentences with a fitted model; the same score decides refusal.

``score`` is the model's estimated probability (0-1) that a sentence answers the question:
a logistic regression over the candidate features, fitted on the train split of the question
set by ``rtop-search eval fit``, with the answer threshold chosen on train too. A cross-encoder
or any other ranker can stand in through the ``Ranker`` protocol.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from search_api.candidates import FEATURES, Candidate
from search_api.question import Question

log = logging.getLogger(__name__)
MODEL_PATH = Path(__file__).with_name("models") / "scorer.json"


class Ranker(Protocol):
    """Scores candidates for a question (higher is better) and says when to refuse."""

    threshold: float

    def rank(self, question: Question, candidates: list[Candidate]) -> list[Candidate]: ...


@dataclass(frozen=True)
class LinearScorer:
    """sigmoid(coef . standardised features + intercept); threshold fitted on train."""

    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    list_threshold: float = 0.0

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinearScorer:
        return cls.fitted(path, FEATURES) or cls.untrained()

    @classmethod
    def fitted(cls, path: Path, features: tuple[str, ...]) -> LinearScorer | None:
        """The model saved at ``path``; None when there is none or it has other features."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        if tuple(data["features"]) != features:
            log.warning("%s was fitted on other features; using the unfitted prior until "
                        "`rtop-search eval fit` is run", path)
            return None
        return cls(np.asarray(data["coef"], dtype=np.float32), float(data["intercept"]),
                   np.asarray(data["mean"], dtype=np.float32),
                   np.asarray(data["scale"], dtype=np.float32), float(data["threshold"]),
                   float(data.get("list_threshold", 0.0)))

    @classmethod
    def untrained(cls) -> LinearScorer:
        """Before ``eval fit``: dense similarity plus term coverage, as a plain prior."""
        coef = np.zeros(len(FEATURES), dtype=np.float32)
        for name, weight in (("sim", 4.0), ("idf_cover", 3.0), ("names_cover", 1.0)):
            coef[FEATURES.index(name)] = weight
        return cls(coef, -4.0, np.zeros_like(coef), np.ones_like(coef), 0.5)

    def save(self, path: Path = MODEL_PATH, features: tuple[str, ...] = FEATURES,
             what: str = "answer scorer (eval fit): P(sentence answers)", **info: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({
            "what": f"{what} = sigmoid(coef . (x - mean) / scale + intercept)",
            "features": list(features), "coef": np.round(self.coef, 6).tolist(),
            "intercept": round(self.intercept, 6), "mean": np.round(self.mean, 6).tolist(),
            "scale": np.round(self.scale, 6).tolist(), "threshold": round(self.threshold, 4),
            "list_threshold": round(self.list_threshold, 4), **info}, indent=1))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def rank(self, question: Question, candidates: list[Candidate]) -> list[Candidate]:
        if not candidates:
            return []
        probs = self.probabilities(np.vstack([c.features for c in candidates]))
        scored = [replace(c, score=float(p)) for c, p in zip(candidates, probs, strict=True)]
        return sorted(scored, key=lambda c: c.score, reverse=True)
