"""Retrieval and answer metrics: pure functions, no I/O.

Retrieval metrics follow pytrec_eval / trec_eval as used by BEIR: a document is relevant when its
qrels grade is > 0, a ranked list is de-duplicated (first occurrence kept) before scoring.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence

Metric = Callable[[Sequence[str], Mapping[str, int], int], float]


def _dedupe(ranked: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ranked))


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")


def ndcg_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """nDCG@k with linear gains, as pytrec_eval's ``ndcg_cut`` (used by BEIR) computes it.

    DCG = sum over ranks i=1..k of rel_i / log2(i + 1) (gain = the grade itself, not 2^rel - 1);
    IDCG is the same sum over the grades sorted best-first. Returns 0.0 when nothing is relevant.
    """
    _check_k(k)
    dcg = sum(
        max(qrels.get(doc, 0), 0) / math.log2(i + 2) for i, doc in enumerate(_dedupe(ranked)[:k])
    )
    ideal = sorted((g for g in qrels.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def recall_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """Relevant documents in the top k divided by all relevant documents (pytrec_eval recall_k)."""
    _check_k(k)
    relevant = {doc for doc, g in qrels.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(_dedupe(ranked)[:k])) / len(relevant)


def mrr_at_k(ranked: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """Reciprocal rank of the first relevant document within the top k, else 0.0."""
    _check_k(k)
    for i, doc in enumerate(_dedupe(ranked)[:k]):
        if qrels.get(doc, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def mean_over_queries(
    run: Mapping[str, Sequence[str]],
    qrels: Mapping[str, Mapping[str, int]],
    metric: Metric,
    k: int,
) -> float:
    """Mean of ``metric`` over the queries in ``qrels`` that have at least one relevant doc.

    Queries with no relevant document are skipped, as BEIR does. A judged query missing from
    ``run`` scores 0 (trec_eval ``-c``), so an incomplete run cannot look better than it is.
    """
    scores = [
        metric(run.get(qid, []), judged, k)
        for qid, judged in qrels.items()
        if any(g > 0 for g in judged.values())
    ]
    return sum(scores) / len(scores) if scores else 0.0


def normalize_text(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed to single spaces, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).casefold().strip()


def answer_contains(answer_text: str, expected: Sequence[str]) -> float:
    """Share of ``expected`` strings present in the answer (normalised); 1.0 if none expected."""
    if not expected:
        return 1.0
    answer = normalize_text(answer_text)
    return sum(normalize_text(e) in answer for e in expected) / len(expected)


def answer_matches(answer_text: str, expected: Sequence[str]) -> bool:
    """Every expected string is in the answer (normalised); "a|b" accepts either alternative."""
    answer = normalize_text(answer_text)
    return all(any(normalize_text(alt) in answer for alt in e.split("|")) for e in expected)


def refusal_precision_recall(refused: Sequence[bool],
                             should_refuse: Sequence[bool]) -> tuple[float, float]:
    """(precision, recall) of refusing: refused-and-should / refused, / should.

    No refusal at all has precision 1.0; nothing to refuse has recall 1.0.
    """
    both = sum(a and b for a, b in zip(refused, should_refuse, strict=True))
    made, wanted = sum(map(bool, refused)), sum(map(bool, should_refuse))
    return (both / made if made else 1.0), (both / wanted if wanted else 1.0)


def normalize_label(label: str) -> str:
    """Normalise a list item (a state name): ``'the  United-States.'`` -> ``'united states'``."""
    text = re.sub(r"[^\w\s]", " ", normalize_text(label))
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ")


def list_precision_recall(
    predicted_labels: Sequence[str], expected_labels: Sequence[str]
) -> tuple[float, float]:
    """(precision, recall) of predicted labels against expected ones, compared as label sets.

    An empty prediction has precision 1.0 only if nothing was expected; an empty expectation has
    recall 1.0.
    """
    predicted = {normalize_label(p) for p in predicted_labels} - {""}
    expected = {normalize_label(e) for e in expected_labels} - {""}
    hits = len(predicted & expected)
    precision = hits / len(predicted) if predicted else float(not expected)
    recall = hits / len(expected) if expected else 1.0
    return precision, recall


def citation_validity(citations: Sequence[Mapping[str, object]], texts: Mapping[str, str]) -> float:
    """Share of citations whose ``texts[doc_id][char_start:char_end] == quote`` exactly.

    Each citation needs ``doc_id``, ``char_start``, ``char_end`` and ``quote``; a citation of an
    unknown document or with bad offsets is invalid. No citations -> 1.0 (vacuously valid).
    """
    if not citations:
        return 1.0
    valid = 0
    for c in citations:
        text = texts.get(str(c.get("doc_id")))
        start, end = c.get("char_start"), c.get("char_end")
        if (
            text is not None
            and isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start < end <= len(text)
            and text[start:end] == c.get("quote")
        ):
            valid += 1
    return valid / len(citations)


def refusal_accuracy(refused: Sequence[bool], should_refuse: Sequence[bool]) -> float:
    """Share of questions where the system refused exactly when it should have."""
    if len(refused) != len(should_refuse):
        raise ValueError(f"length mismatch: {len(refused)} vs {len(should_refuse)}")
    if not refused:
        raise ValueError("no questions to score")
    return sum(bool(a) == bool(b) for a, b in zip(refused, should_refuse, strict=True)) / len(
        refused
    )
