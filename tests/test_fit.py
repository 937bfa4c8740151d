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


def test_the_threshold_sits_on_the_plateau_not_on_a_lone_spike() -> None:
    from eval.fit import best_threshold

    # answerable and right at 0.6-0.9; refusals score 0.2-0.5; one lucky refusal at 0.85
    outcomes = [(s, False, True) for s in (0.6, 0.65, 0.7, 0.75, 0.8, 0.9)]
    outcomes += [(s, True, False) for s in (0.2, 0.3, 0.4, 0.45, 0.5, 0.85)]
    t, acc = best_threshold(outcomes)
    assert 0.5 < t <= 0.6  # every refusal below, every answer above, but the lucky one
    assert acc == 11 / 12
    assert best_threshold([]) == (0.01, 0.0)
