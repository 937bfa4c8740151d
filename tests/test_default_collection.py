"""The default collection in corpus/ (seeds, 273 General Debate statements, 902 Security Council
resolutions), indexed whole with the bundled model: what `make run` serves. Nothing is skipped:
the collection is part of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from search_api.settings import ApiSettings as Settings
from ui.app import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
COLLECTIONS = {"un-general-debate-r2p": 273, "security-council-resolutions": 902}

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory, real_embedder):
    from search_api.service import SearchService, build

    settings = Settings(index_dir=tmp_path_factory.mktemp("default-index"),
                        corpus_paths=[CORPUS])
    report = build(settings, [CORPUS], embedder=real_embedder)
    return report, SearchService(settings, embedder=real_embedder)


def _verified(service, citations: list[dict]) -> bool:
    return all(service.document_text(c["doc_id"])["text"][c["char_start"]:c["char_end"]]
               == c["quote"] for c in citations)


def test_every_document_is_indexed(collection) -> None:
    report, service = collection
    assert report.failed == []
    assert report.documents_total == 3 + sum(COLLECTIONS.values())
    counts = service.documents(limit=1)["collections"]
    assert counts == {"corpus": 3, **COLLECTIONS}
    meta = service.document("S_RES_0661_1990_EN_GOLD")
    assert meta["publisher"] == "United Nations Security Council" and "CC0" in meta["notes"]


def test_the_2022_general_debate_question(collection) -> None:
    _, service = collection
    answer = service.ask("Which states referred to the Responsibility to Protect in the 2022 "
                         "General Debate?", None, 20)
    assert {i["label"] for i in answer["items"]} == {"Botswana", "Croatia", "San Marino"}
    assert all(i["citations"] for i in answer["items"])
    assert _verified(service, answer["citations"])


@pytest.mark.parametrize("question", EXAMPLES)
def test_every_ui_example_is_answered_with_verified_quotes(collection, question: str) -> None:
    _, service = collection
    answer = service.ask(question, None, 20)
    assert not answer["refused"], question
    assert answer["citations"] and _verified(service, answer["citations"])
