"""Fit the answer-type classifier and the answer scorer on the TRAIN split only.

Nothing here reads the dev split: thresholds, weights and regularisation are chosen on train
(regularisation by cross-validation within train), and dev is only ever used by ``eval qa``.

Labels for the scorer: a candidate sentence answers its question when it comes from a gold
document and holds an expected string or the evidence quoted in the question's notes; every
candidate of a refusal question is negative.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import numpy as np

from eval.datasets import Question
from eval.metrics import normalize_text
from search_api import intent
from search_api.candidates import FEATURES
from search_api.question import parse
from search_api.retrieve import Timings
from search_api.scorer import LinearScorer

log = logging.getLogger(__name__)
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
EVIDENCE_MATCH = 85


def _is_answer(q: Question, sentence: str, evidence: str) -> bool:
    from rapidfuzz import fuzz

    text = normalize_text(sentence)
    if q.expected and any(normalize_text(alt) in text for e in q.expected
                          for alt in e.split("|") if len(alt) > 2):
        return True
    return len(text) > 30 and bool(evidence) and fuzz.partial_ratio(text, evidence) >= \
        EVIDENCE_MATCH


def scorer_data(questions: list[Question], engine: Any) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray]:
    """Features, labels and question index of every candidate of the non-list questions."""
    xs, ys, groups = [], [], []
    for i, q in enumerate(questions):
        if q.kind == "list":
            continue
        text = engine.held.respelt(q.question)  # as served
        vector = engine.embedder.embed([text])[0]
        kind = q.answer_type if q.answer_type in intent.ANSWER_TYPES else "explanation"
        parsed = parse(text, None, answer_type=kind)
        parsed = replace(parsed, filters=replace(parsed.filters, language=parsed.language))
        ranked, _ = engine.ranked(parsed, vector, Timings())
        evidence = normalize_text(q.notes)
        for c in ranked:
            positive = (not q.should_refuse and c.sentence.doc_id in q.gold_docs
                        and _is_answer(q, c.sentence.text, evidence))
            xs.append(c.features)
            ys.append(int(positive))
            groups.append(i)
    width = len(FEATURES)
    return (np.vstack(xs) if xs else np.zeros((0, width)), np.asarray(ys), np.asarray(groups))


def fit_scorer(x: np.ndarray, y: np.ndarray, groups: np.ndarray,
               questions: list[Question]) -> tuple[LinearScorer, dict[str, Any]]:
    """Logistic regression (C by grouped CV on train), then the refusal threshold on train."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    mean_, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean_) / scale
    best_c, best_ll = C_GRID[0], -np.inf
    for c in C_GRID:
        lls = []
        for tr, te in GroupKFold(n_splits=5).split(z, y, groups):
            model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
            model.fit(z[tr], y[tr])
            p = np.clip(model.predict_proba(z[te])[:, 1], 1e-6, 1 - 1e-6)
            lls.append(np.mean(y[te] * np.log(p) + (1 - y[te]) * np.log(1 - p)))
        if np.mean(lls) > best_ll:
            best_c, best_ll = c, float(np.mean(lls))
    scorer = fit_linear(x, y, best_c)
    info = {"C": best_c, "cv_log_likelihood": round(best_ll, 4), "train_candidates": len(y),
            "train_positive": int(y.sum())}
    return scorer, info


def fold_scorers(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float
                 ) -> dict[int, LinearScorer]:
    """For each question (group), a scorer fitted on the other folds of train: its scores are
    out-of-fold, as a new question's would be, so the threshold is not chosen on scores the
    scorer has already learnt."""
    from sklearn.model_selection import GroupKFold

    out: dict[int, LinearScorer] = {}
    for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
        fold = fit_linear(x[tr], y[tr], c)
        out.update({int(g): fold for g in set(groups[te].tolist())})
    return out


def fit_linear(x: np.ndarray, y: np.ndarray, c: float, balanced: bool = True) -> LinearScorer:
    """A logistic regression (class-balanced unless told) on standardised features, as a
    LinearScorer."""
    from sklearn.linear_model import LogisticRegression

    mean_, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=2000,
                               class_weight="balanced" if balanced else None)
    model.fit((x - mean_) / scale, y)
    return LinearScorer(model.coef_[0].astype(np.float32), float(model.intercept_[0]),
                        mean_.astype(np.float32), scale.astype(np.float32), 0.5)


def choose_threshold(questions: list[Question], service: Any,
                     per_question: dict[int, Any] | None = None) -> tuple[float, float]:
    """The answer threshold that makes the most train questions come out right.

    Every non-list train question is answered once with no threshold, by its out-of-fold
    scorer where ``per_question`` gives one (``fold_scorers``); an answerable question is right
    at threshold t when its best quote scores >= t and the answer is correct (as ``eval qa``
    scores it), a refusal question when its best quote scores < t.
    """
    from eval.qa import ask, score_one

    engine = service.engine
    keep = engine.ranker
    outcomes = []
    try:
        for i, q in enumerate(questions):
            if q.kind == "list":
                continue
            engine.ranker = replace((per_question or {}).get(i, keep), threshold=0.0)
            answer = ask(q, service)
            top = max((c["score"] for c in answer["citations"]), default=0.0)
            texts = {d: service.document_text(d)["text"] for d in
                     {c["doc_id"] for c in answer["citations"]}}
            right = q.should_refuse or score_one(q, answer, texts).correct
            outcomes.append((top, q.should_refuse, right))
    finally:
        engine.ranker = keep
    return best_threshold(outcomes)


SMOOTHING = 5  # steps of 0.01 either side: the accuracy curve is flat and ragged near its top


def best_threshold(outcomes: list[tuple[float, bool, bool]]) -> tuple[float, float]:
    """The threshold of highest accuracy averaged over its neighbours (a ragged curve's single
    best step is noise), and the accuracy at it. ``outcomes``: (best quote's score, should
    refuse, answer correct) per question."""
    grid = np.round(np.arange(0.01, 1.0, 0.01), 2)
    acc = np.asarray([sum((top < t) if refuse else (top >= t and ok)
                          for top, refuse, ok in outcomes) / max(1, len(outcomes))
                      for t in grid])
    smooth = np.convolve(np.pad(acc, SMOOTHING, mode="edge"),
                         np.ones(2 * SMOOTHING + 1) / (2 * SMOOTHING + 1), mode="valid")
    i = int(np.argmax(smooth))
    return float(grid[i]), float(acc[i])


def fit_intent(questions: list[Question], embedder: Any,
               phrasings: list[tuple[str, str]] = ()) -> tuple[intent.IntentModel, dict]:
    """Multinomial logistic regression on the answer types of the train questions plus the
    train-only phrasings (eval/intents.jsonl: wordings labelled with their answer type only);
    C by stratified 5-fold CV over both."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    labelled = [(q.question, q.answer_type) for q in questions
                if q.answer_type in intent.ANSWER_TYPES]
    labelled += [(text, kind) for text, kind in phrasings if kind in intent.ANSWER_TYPES]
    texts = [text for text, _ in labelled]
    vocabulary = intent.Vocabulary.fit(texts)
    x = np.vstack([intent.features(text, v, vocabulary)
                   for text, v in zip(texts, embedder.embed(texts), strict=True)])
    y = np.asarray([kind for _, kind in labelled])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = {c: float(np.mean(cross_val_score(LogisticRegression(C=c, max_iter=3000), x, y,
                                               cv=folds))) for c in (10.0, 30.0, 100.0, 300.0)}
    best = max(scores, key=scores.__getitem__)
    model = LogisticRegression(C=best, max_iter=3000).fit(x, y)
    fitted = intent.IntentModel(tuple(model.classes_), model.coef_.astype(np.float32),
                                model.intercept_.astype(np.float32), vocabulary)
    return fitted, {"C": best, "cv_accuracy": round(scores[best], 4), "questions": len(labelled)}
