"""Optional local cross-encoders: a reranker of candidates and an NLI model for claim checks.

Both load a sentence-transformers ``CrossEncoder`` from a folder the user gives
(``RTOP_RERANKER_PATH``, ``RTOP_NLI_PATH``); nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from indexer.errors import RtopError

if TYPE_CHECKING:
    from indexer.models import Hit
    from search_api.candidates import Candidate

RERANK_DEPTH = 30  # candidates or hits the cross-encoder reads


class Reranker(Protocol):
    """Relevance of each passage to the query (higher is better)."""

    name: str

    def scores(self, query: str, passages: Sequence[str]) -> list[float]: ...


def _cross_encoder(path: Path, setting: str) -> Any:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import CrossEncoder

    try:
        return CrossEncoder(str(path), device="cpu", local_files_only=True)
    except (OSError, ValueError) as exc:
        raise RtopError(f"{setting}={path} could not be loaded as a CrossEncoder: {exc}",
                        "Point it at a folder saved with CrossEncoder.save_pretrained.") from exc


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder read from a local folder."""

    def __init__(self, path: Path) -> None:
        self.model = _cross_encoder(path, "RTOP_RERANKER_PATH")
        self.name = path.name

    def scores(self, query: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        out = np.asarray(self.model.predict([(query, p) for p in passages],
                                            show_progress_bar=False))
        return (out if out.ndim == 1 else out[:, -1]).astype(float).tolist()


class CrossEncoderNLI:
    """An NLI CrossEncoder: the probability of its "entailment" label."""

    def __init__(self, path: Path) -> None:
        self.model = _cross_encoder(path, "RTOP_NLI_PATH")
        labels = {i: str(v).lower() for i, v in self.model.config.id2label.items()}
        found = [i for i, v in labels.items() if "entail" in v and "not" not in v]
        if not found:
            raise RtopError(f"RTOP_NLI_PATH={path} has no 'entailment' label ({labels}).",
                            "Use an NLI cross-encoder (labels contradiction/entailment/neutral).")
        self.index = int(found[0])

    def entailment(self, premise: str, hypothesis: str) -> float:
        logits = np.asarray(self.model.predict([(premise, hypothesis)], apply_softmax=True,
                                               show_progress_bar=False))
        return float(logits.reshape(1, -1)[0, self.index])


def rerank_candidates(reranker: Reranker, query: str, ranked: list[Candidate],
                      threshold: float) -> list[Candidate]:
    """The candidates that clear the scorer's threshold, reordered by the reranker; the rest
    after them as they were. Refusal stays with the fitted scorer, the order is the reranker's."""
    passing = [c for c in ranked[:RERANK_DEPTH] if c.score >= threshold]
    if len(passing) < 2:
        return ranked
    scores = reranker.scores(query, [c.sentence.text for c in passing])
    order = sorted(range(len(passing)), key=lambda i: -scores[i])
    chosen = {id(c) for c in passing}
    return [passing[i] for i in order] + [c for c in ranked if id(c) not in chosen]


def rerank_hits(reranker: Reranker, query: str, hits: list[Hit]) -> list[Hit]:
    """The first RERANK_DEPTH hits reordered by the reranker (score = its score)."""
    head, tail = hits[:RERANK_DEPTH], hits[RERANK_DEPTH:]
    scores = reranker.scores(query, [h.chunk.text for h in head])
    order = sorted(range(len(head)), key=lambda i: -scores[i])
    return [replace(head[i], score=scores[i]) for i in order] + tail
