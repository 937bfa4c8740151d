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


def _case(rows: list[tuple[float, float]], labels: list[str], gold: list[str]):
    """A list question's candidates: (cover, sim) per item, the other features zero."""
    from eval.fit_items import ListCase
    from search_api.items import ITEM_FEATURES
    from search_api.support import MIN_RELATION_COVER

    x = np.zeros((len(rows), len(ITEM_FEATURES)), dtype=np.float32)
    for i, (cover, sim) in enumerate(rows):
        x[i, ITEM_FEATURES.index("cover")] = cover
        x[i, ITEM_FEATURES.index("sim")] = sim
        x[i, ITEM_FEATURES.index("supported")] = float(cover >= MIN_RELATION_COVER)
    return ListCase(x, labels, gold)


def test_the_item_gate_adds_paraphrased_items_but_never_answers_alone() -> None:
    from dataclasses import replace

    from search_api.items import ITEM_FEATURES, ItemGate
    from search_api.scorer import LinearScorer

    coef = np.zeros(len(ITEM_FEATURES), dtype=np.float32)
    coef[ITEM_FEATURES.index("sim")] = 10.0
    scorer = LinearScorer(coef, -5.0, np.zeros_like(coef), np.ones_like(coef), 0.5)
    listed = _case([(0.9, 0.6), (0.3, 0.8), (0.3, 0.2)], ["a", "b", "c"], ["a", "b"])
    assert ItemGate(None).kept(listed.x).tolist() == [True, False, False]  # unfitted: the rule
    assert ItemGate(scorer).kept(listed.x).tolist() == [True, True, False]
    strict = ItemGate(replace(scorer, threshold=0.999))
    assert strict.kept(listed.x).tolist() == [True, False, False]  # a supported item stays
    nothing_shown = _case([(0.3, 0.9), (0.1, 0.8)], ["x", "y"], [])
    assert not ItemGate(scorer).kept(nothing_shown.x).any()  # refused as before
    assert listed.right(np.array([True, True, False])) and not listed.right(
        np.array([True, False, False]))  # recall 0.5


def test_the_item_gate_is_fitted_out_of_fold_and_beats_the_rule_where_sim_tells() -> None:
    from eval.fit_items import fit_items
    from search_api.items import ItemGate

    rng = np.random.default_rng(1)
    cases = []
    for q in range(40):  # one item shows the relation; two paraphrase it; three do not
        sims = [0.7, *rng.uniform(0.6, 0.9, 2), *rng.uniform(0.0, 0.3, 3)]
        covers = [0.9, *rng.uniform(0.2, 0.45, 5)]
        labels = [f"{q}-{i}" for i in range(6)]
        cases.append(_case(list(zip(covers, sims, strict=True)), labels, labels[:3]))
    gate, info = fit_items(cases)
    assert info["train_list_accuracy_rule"] == 0.0  # the rule finds 1 of 3
    assert info["train_list_accuracy_out_of_fold"] > 0.9
    assert all(c.right(ItemGate(gate).kept(c.x)) for c in cases[:5])
