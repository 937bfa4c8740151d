"""The optional cross-encoders: loading from a local folder, reranking search and answer
candidates, NLI in the claim check. Nothing is downloaded: each test builds a tiny random
BERT cross-encoder in a temporary folder with the bundled model's tokenizer, which tests the
loading and the plumbing, not the quality of any real reranker."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from indexer.errors import RtopError
from search_api.claims import Checker, Claim
from search_api.rerank import CrossEncoderNLI, CrossEncoderReranker
from search_api.retrieve import Timings

QUESTION = "Which organisation did the ICRtoP coalition grow out of?"


def tiny_cross_encoder(folder: Path, labels: list[str] | None = None) -> Path:
    """A random one-layer BERT with ``labels`` as outputs (one score when None)."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from indexer.settings import bundled_model_path

    tokenizer = AutoTokenizer.from_pretrained(bundled_model_path())
    labels = labels or ["LABEL_0"]
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64,
                        num_labels=len(labels), id2label=dict(enumerate(labels)),
                        label2id={v: i for i, v in enumerate(labels)})
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def reranker(tmp_path_factory: pytest.TempPathFactory) -> CrossEncoderReranker:
    return CrossEncoderReranker(tiny_cross_encoder(tmp_path_factory.mktemp("reranker")))


def test_settings_refuse_a_folder_that_is_not_a_model(tmp_path: Path, monkeypatch) -> None:
    from pydantic import ValidationError

    from search_api.settings import ApiSettings

    monkeypatch.setenv("RTOP_RERANKER_PATH", str(tmp_path))
    with pytest.raises(ValidationError, match=r"RTOP_RERANKER_PATH=.* \(no config.json\)"):
        ApiSettings()


def test_the_reranker_is_loaded_from_settings(tmp_path: Path, seed_settings) -> None:
    from search_api.service import load_reranker

    assert load_reranker(seed_settings) is None
    folder = tiny_cross_encoder(tmp_path / "ce")
    loaded = load_reranker(seed_settings.model_copy(update={"reranker_path": folder}))
    assert isinstance(loaded, CrossEncoderReranker) and loaded.name == "ce"
    scores = loaded.scores("focal points", ["Ghana appointed a focal point.", "Oceans."])
    assert len(scores) == 2 and scores == loaded.scores("focal points",
                                                        ["Ghana appointed a focal point.",
                                                         "Oceans."])


def test_search_results_follow_the_reranker(seed_settings, real_embedder, reranker) -> None:
    from search_api.service import SearchService

    service = SearchService(seed_settings, embedder=real_embedder, reranker=reranker)
    results = service.search("national focal points", k=5)["results"]
    assert len(results) == 5
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    fresh = reranker.scores("national focal points", [r["quote"] for r in results])
    assert fresh == sorted(fresh, reverse=True)  # the cross-encoder's order, not retrieval's
    assert fresh == pytest.approx(scores, abs=1e-4)  # results carry its score (4 decimals)
    assert service.health()["reranker"] == reranker.name


def test_answer_candidates_are_reordered_but_refusal_stays_with_the_scorer(
        seed_settings, real_embedder, reranker, seed_service) -> None:
    from search_api.service import SearchService

    service = SearchService(seed_settings, embedder=real_embedder, reranker=reranker)
    engine, plain = service.engine, seed_service.engine
    question, vector = engine.understand(QUESTION)
    before, _ = plain.ranked(question, vector, Timings())
    # a threshold two candidates clear, whatever the shipped scorer's is
    threshold = before[1].score
    engine.ranker = replace(engine.ranker, threshold=threshold)
    ranked, _ = engine.ranked(question, vector, Timings())
    passing = [c for c in before if c.score >= threshold]
    assert len(passing) >= 2, "the question needs two answers above the threshold"
    head = ranked[:len(passing)]
    def key(c):
        return c.sentence.doc_id, c.sentence.start, c.sentence.end

    assert {key(c) for c in head} == {key(c) for c in passing}
    assert [key(c) for c in ranked[len(passing):]] == [key(c) for c in before[len(passing):]]
    order = reranker.scores(question.text, [c.sentence.text for c in head])
    assert order == sorted(order, reverse=True)
    off_topic = "What is the boiling point of water on Mars?"
    assert service.ask(off_topic)["refused"] == seed_service.ask(off_topic)["refused"] is True
    answer = service.ask(QUESTION)
    for c in answer["citations"]:
        assert service.texts.get(c["doc_id"])[c["char_start"]:c["char_end"]] == c["quote"]


def test_an_nli_model_gives_an_entailment_probability(tmp_path: Path) -> None:
    nli = CrossEncoderNLI(tiny_cross_encoder(tmp_path / "nli",
                                             ["contradiction", "entailment", "neutral"]))
    assert nli.index == 1
    p = nli.entailment("Ghana appointed a focal point.", "Ghana has a focal point.")
    assert 0.0 <= p <= 1.0


def test_a_model_without_an_entailment_label_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RtopError, match="no 'entailment' label"):
        CrossEncoderNLI(tiny_cross_encoder(tmp_path / "not-nli", ["negative", "positive"]))


class FixedNLI:
    def __init__(self, p: float) -> None:
        self.p, self.calls = p, []

    def entailment(self, premise: str, hypothesis: str) -> float:
        self.calls.append((premise, hypothesis))
        return self.p


@pytest.mark.parametrize(("p", "kept"), [(0.9, True), (0.1, False)])
def test_the_claim_check_asks_the_nli_model_last(p: float, kept: bool) -> None:
    evidence = {1: {"n": 1, "quote": "Ghana and Denmark appointed focal points.",
                    "citation": "ICRtoP (2011)"}}
    nli = FixedNLI(p)
    reason = Checker(nli=nli).reason(Claim("Ghana appointed a focal point [1].", (1,)), evidence)
    assert (reason is None) is kept
    assert nli.calls == [("Ghana and Denmark appointed focal points.",
                          "Ghana appointed a focal point.")]
    if not kept:
        assert "does not entail it (NLI p=0.10)" in reason
    # a claim that fails the fact check never reaches the model
    Checker(nli=nli).reason(Claim("France appointed a focal point [1].", (1,)), evidence)
    assert len(nli.calls) == 1
