"""eval fit: out-of-fold scorers for choosing the answer threshold (scikit-learn, no index)."""

from __future__ import annotations

import numpy as np

from eval.fit import fold_scorers


def test_each_question_is_scored_by_a_model_that_never_saw_it() -> None:
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(20), 6)  # 20 questions, 6 candidates each
    x = rng.normal(size=(len(groups), 3)).astype(np.float32)
    y = (x[:, 0] > 0.5).astype(int)
    scorers = fold_scorers(x, y, groups, c=1.0)
    assert set(scorers) == set(range(20))
    assert len({id(s) for s in scorers.values()}) == 5  # one model per fold
    same_fold = [g for g in range(20) if scorers[g] is scorers[7]]
    assert len(same_fold) == 4  # 20 questions in 5 folds, none split across folds
    assert all(0.0 <= p <= 1.0 for p in scorers[7].probabilities(x).tolist())
