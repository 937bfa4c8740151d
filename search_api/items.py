"""Which entities a list keeps: a fitted model over what each one's sentences show.

Every sentence that could support a list (``support.relation_shown`` is not None) speaks for
its entities. An entity one of whose sentences shows ``support.MIN_RELATION_COVER`` of the
relation is kept; once a list has one, another entity is kept too when the model, fitted on
the train split's list questions by ``rtop-search eval fit``, gives it a probability of at
least its threshold. The features say how much of the relation its best sentences show, how
close they are to the question, and how that compares with the other entities of the same
question: a quote that paraphrases ("paying tribute to the memory of the late Kofi Annan" for
"paid tribute to kofi annan, who had just died") can still count.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from search_api.evidence import Sentence
from search_api.question import Question
from search_api.scorer import LinearScorer
from search_api.support import MIN_RELATION_COVER

if TYPE_CHECKING:
    from search_api.answer import AnswerEngine

MODEL_PATH = Path(__file__).with_name("models") / "items.json"
ITEM_FEATURES = (
    "cover",               # the most of the relation one of its sentences shows
    "sim",                 # its sentence closest to the question (cosine)
    "supported",           # one of its sentences shows MIN_RELATION_COVER of the relation
    "supported_sentences",  # log(1 + how many do)
    "sim_at_best_cover",   # how close its best-covering sentence is to the question
    "cover_at_best_sim",   # how much its closest sentence shows
    "rank",                # log(1 + the retrieval rank of its first sentence)
    "cover_gap",           # cover minus the best cover of any entity of the question
    "sim_gap",             # sim minus the best sim of any entity of the question
    "sentences",           # log(1 + its sentences)
    "entities",            # log(1 + the question's entities)
    "rarest_word",         # a sentence shows the relation's rarest word
)


@dataclass
class Item:
    """One entity of a list, with the sentences that speak for it (in retrieval order until
    ``best_sentences`` keeps the best)."""

    key: str
    label: str
    first: tuple[int, int]
    sentences: list[Sentence]


def item_features(engine: AnswerEngine, question: Question, items: list[Item],
                  vector: np.ndarray) -> np.ndarray:
    """One row of ``ITEM_FEATURES`` per item; ``Sentence.cover`` holds each sentence's share
    of the relation."""
    if not items:
        return np.zeros((0, len(ITEM_FEATURES)), dtype=np.float32)
    rarest = max(question.relation, key=engine.idf) if question.relation else None
    rows = []
    for item in items:
        covers = np.array([s.cover for s in item.sentences])
        sims = np.array([float(s.vector @ vector) for s in item.sentences])
        supported = int((covers >= MIN_RELATION_COVER).sum())
        rare = rarest is not None and any(
            engine.idf.cover((rarest,), s.text) > 0 for s in item.sentences)
        rows.append([covers.max(), sims.max(), float(supported > 0), np.log1p(supported),
                     sims[covers.argmax()], covers[sims.argmax()],
                     np.log1p(min(s.rank for s in item.sentences)), 0.0, 0.0,
                     np.log1p(len(item.sentences)), np.log1p(len(items)), float(rare)])
    x = np.asarray(rows, dtype=np.float32)
    for value, gap in ((0, 7), (1, 8)):
        x[:, gap] = x[:, value] - x[:, value].max()
    return x


class ItemGate:
    """Keeps every item with a supporting sentence and, once the list has one, adds those the
    fitted model accepts; each item with its best sentences (``best_sentences``). A question no
    sentence supports is refused as before: the model only finds what a supported list
    missed, so it never answers a question the collection cannot ("who won the nba finals")."""

    def __init__(self, scorer: LinearScorer | None) -> None:
        self.scorer = scorer

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ItemGate:
        return cls(LinearScorer.fitted(path, ITEM_FEATURES))

    def kept(self, x: np.ndarray) -> np.ndarray:
        """Which of the items (rows of ``item_features``) the list keeps."""
        supported = x[:, ITEM_FEATURES.index("supported")] > 0 if len(x) else np.zeros(0, bool)
        if self.scorer is None or not supported.any():
            return supported
        return supported | (self.scorer.probabilities(x) >= self.scorer.threshold)

    def keep(self, engine: AnswerEngine, question: Question, items: list[Item],
             vector: np.ndarray, per_item: int) -> list[Item]:
        if not items:
            return []
        kept = self.kept(item_features(engine, question, items, vector))
        return [best_sentences(item, per_item) for item, k in zip(items, kept, strict=True) if k]


def best_sentences(item: Item, per_item: int) -> Item:
    """The item with its ``per_item`` best sentences: those that show enough of the relation,
    in retrieval order; for an item the gate added, those that show most of it."""
    supported = [s for s in item.sentences if s.cover >= MIN_RELATION_COVER]
    best = supported or sorted(item.sentences, key=lambda s: (-s.cover, s.rank))
    return Item(item.key, item.label, item.first, best[:per_item])
