"""Evaluation data in standard shapes: BEIR folders, TREC run files, the RtoP question set."""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

logger = logging.getLogger(__name__)

Kind = Literal["speech", "list", "resolution", "pdf", "seed", "refusal"]
KINDS: tuple[str, ...] = ("speech", "list", "resolution", "pdf", "seed", "refusal")
SPLITS: tuple[str, ...] = ("train", "dev")


@dataclass(frozen=True)
class BeirDataset:
    """A BEIR split: corpus {id: {title, text}}, queries {id: text}, qrels {qid: {docid: grade}}."""

    corpus: dict[str, dict[str, str]]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _read_qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        for row in reader:
            if not row or row[0] == "query-id":
                continue
            qid, docid, score = row[0], row[1], int(row[2])
            qrels.setdefault(qid, {})[docid] = score
    return qrels


def load_beir(dir: Path, split: str = "test") -> BeirDataset:
    """Load a BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).

    Queries are limited to those judged in the split's qrels, as BEIR's GenericDataLoader does.
    """
    dir = Path(dir)
    qrels_path = dir / "qrels" / f"{split}.tsv"
    for path in (dir / "corpus.jsonl", dir / "queries.jsonl", qrels_path):
        if not path.is_file():
            raise FileNotFoundError(f"BEIR file missing: {path}")
    corpus = {
        str(d["_id"]): {"title": d.get("title") or "", "text": d.get("text") or ""}
        for d in _read_jsonl(dir / "corpus.jsonl")
    }
    qrels = _read_qrels(qrels_path)
    queries = {
        str(q["_id"]): q["text"]
        for q in _read_jsonl(dir / "queries.jsonl")
        if str(q["_id"]) in qrels
    }
    missing = set(qrels) - set(queries)
    if missing:
        logger.warning("%d judged queries have no text in queries.jsonl", len(missing))
    return BeirDataset(corpus=corpus, queries=queries, qrels=qrels)


def write_trec_run(path: Path, run: Mapping[str, Sequence[tuple[str, float]]], tag: str) -> None:
    """Write ``qid Q0 docid rank score tag`` lines, each query's hits sorted by score (stable)."""
    if not tag or any(c.isspace() for c in tag):
        raise ValueError(f"run tag must be a non-empty word, got {tag!r}")
    lines = []
    for qid, hits in run.items():
        ranked = sorted(hits, key=lambda h: -h[1])
        for rank, (docid, score) in enumerate(ranked, start=1):
            if any(c.isspace() for c in f"{qid}{docid}"):
                raise ValueError(f"whitespace in query or doc id: {qid!r} {docid!r}")
            lines.append(f"{qid} Q0 {docid} {rank} {float(score)!r} {tag}\n")
    Path(path).write_text("".join(lines), encoding="utf-8")


@dataclass(frozen=True)
class Question:
    """One line of eval/questions.jsonl (all questions are asked of one index of everything)."""

    id: str
    split: str
    kind: Kind
    answer_type: str
    question: str
    gold_docs: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()  # each must be in the answer; "a|b" accepts either
    expected_items: tuple[str, ...] = ()
    should_refuse: bool = False
    filters: dict[str, int | str] = field(default_factory=dict)
    notes: str = ""


def load_questions(path: Path, split: str | None = None) -> list[Question]:
    """Read a questions JSONL file (one split, or all), validating kind and split."""
    questions = []
    for n, raw in enumerate(_read_jsonl(Path(path)), start=1):
        if raw.get("kind") not in KINDS or raw.get("split") not in SPLITS:
            raise ValueError(
                f"{path}:{n}: bad kind/split {raw.get('kind')!r}/{raw.get('split')!r}"
            )
        if split is not None and raw["split"] != split:
            continue
        questions.append(
            Question(
                id=str(raw["id"]),
                split=raw["split"],
                kind=raw["kind"],
                answer_type=raw.get("answer_type", "explanation"),
                question=raw["question"],
                gold_docs=tuple(raw.get("gold_docs", ())),
                expected=tuple(raw.get("expected", ())),
                expected_items=tuple(raw.get("expected_items", ())),
                should_refuse=bool(raw.get("should_refuse", False)),
                filters=dict(raw.get("filters") or {}),
                notes=raw.get("notes", ""),
            )
        )
    return questions


def load_phrasings(path: Path) -> list[tuple[str, str]]:
    """(question, answer type) pairs that only teach the answer-type classifier: train data
    with no gold documents (eval/intents.jsonl)."""
    return [(str(r["question"]), str(r["answer_type"])) for r in _read_jsonl(Path(path))]
