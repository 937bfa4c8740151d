"""Real UN documents from ../shared: speeches, resolutions and PDFs, indexed with the real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import shared_path
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.service import SearchService, build
from search_api.settings import ApiSettings as Settings

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def ungdc(tmp_path_factory, real_embedder):
    corpus = shared_path("corpus", "ungdc-r2p")
    index = tmp_path_factory.mktemp("ungdc-index")
    settings = Settings(index_dir=index, corpus_paths=[corpus])
    report = build(settings, [corpus], embedder=real_embedder)
    assert report.documents_total == 273 and not report.failed
    service = SearchService(settings, embedder=real_embedder)
    with TestClient(create_app(settings, service=service)) as client:
        yield client


def test_2022_general_debate_question_lists_only_states_invoking_the_norm(ungdc):
    question = "Which states referred to the Responsibility to Protect in the 2022 General Debate?"
    answer = ungdc.post("/api/ask", json={"question": question}).json()
    assert {i["label"] for i in answer["items"]} == {"Botswana", "Croatia", "San Marino"}
    assert answer["filters_applied"]["year_from"] == 2022
    assert {c["year"] for c in answer["citations"]} == {2022}
    # Saint Kitts and Nevis and Tonga spoke of protecting the planet and the ocean in 2022
    assert not {"Saint Kitts and Nevis", "Tonga"} & {i["label"] for i in answer["items"]}
    for c in answer["citations"]:
        text = ungdc.get(f"/api/documents/{c['doc_id']}/text").json()["text"]
        assert text[c["char_start"] : c["char_end"]] == c["quote"]


def test_state_and_year_filters_on_speeches(ungdc):
    body = ungdc.get("/api/search", params={"q": "responsibility to protect", "state": "Croatia",
                                            "k": 20}).json()
    assert body["results"] and {r["doc_id"][:3] for r in body["results"]} == {"HRV"}
    years = ungdc.get("/api/search", params={"q": "atrocity prevention", "year_from": 2010,
                                             "year_to": 2012, "k": 30}).json()
    assert years["results"] and all(2010 <= r["year"] <= 2012 for r in years["results"])


def test_speech_metadata_and_citation(ungdc):
    doc = ungdc.get("/api/documents/HRV_76_2021").json()
    assert (doc["state"], doc["state_iso3"], doc["session"], doc["year"], doc["doc_type"]) == (
        "Croatia", "HRV", 76, 2021, "general-debate-statement")
    answer = ungdc.post("/api/ask", json={
        "question": "What did Croatia say about the responsibility to protect?",
        "filters": {"state": "HRV", "year_from": 2021, "year_to": 2021}}).json()
    assert not answer["refused"]
    assert answer["citations"][0]["citation"] == (
        "Statement by Croatia, UN General Assembly, 76th session, General Debate (2021)")


def test_transcript_artefacts_repaired_with_exact_offsets(ungdc):
    # the raw PV text has "closer to making\n15\n\ngenocide": a page number mid-sentence
    text = ungdc.get("/api/documents/CAN_60_2005/text").json()["text"]
    assert "a step that brings us closer to making genocide, war crimes and crimes against " \
           "humanity things of the past." in text
    hits = ungdc.get("/api/search", params={"q": "closer to making genocide a thing of the past",
                                            "k": 10, "state": "CAN"}).json()["results"]
    assert hits and any("closer to making genocide" in h["quote"] for h in hits)
    for hit in hits:
        doc = ungdc.get(f"/api/documents/{hit['doc_id']}/text").json()["text"]
        assert doc[hit["char_start"] : hit["char_end"]] == hit["quote"]


@pytest.fixture(scope="module")
def resolutions(tmp_path_factory, real_embedder):
    source = shared_path("corpus", "unsc-resolutions-1946-2002")
    corpus = tmp_path_factory.mktemp("unsc")
    for path in sorted(source.glob("S_RES_068[0-9]_1991_EN_GOLD.txt")):
        shutil.copy(path, corpus / path.name)  # a slice: resolutions 680-689 (1991)
    index = tmp_path_factory.mktemp("unsc-index")
    settings = Settings(index_dir=index, corpus_paths=[corpus])
    build(settings, [corpus], embedder=real_embedder)
    return SearchService(settings, embedder=real_embedder)


def test_resolution_paragraphs_and_citation(resolutions):
    doc = resolutions.document("S_RES_0688_1991_EN_GOLD")
    assert doc["symbol"] == "S/RES/688 (1991)" and doc["date"] == "1991-04-05"
    result = resolutions.search("Insists that Iraq allow immediate access by international "
                                "humanitarian organizations", k=3,
                                filters=None)["results"][0]
    assert result["doc_id"] == "S_RES_0688_1991_EN_GOLD" and result["paragraph"] == "3"
    assert result["citation"] == "S/RES/688 (1991), para. 3"
    preamble = resolutions.search("Gravely concerned by the repression of the Iraqi civilian "
                                  "population", k=1)["results"][0]
    assert preamble["paragraph"].startswith("PP")
    assert "preambular para." in preamble["citation"]


@pytest.fixture(scope="module")
def un_pdfs(tmp_path_factory, real_embedder):
    corpus = tmp_path_factory.mktemp("pdfs")
    for path in sorted(shared_path("pdfs", "un").glob("*_en.pdf")):
        shutil.copy(path, corpus / path.name)
    for path in sorted(shared_path("pdfs", "scanned").glob("*.pdf")):
        shutil.copy(path, corpus / path.name)
    settings = Settings(index_dir=tmp_path_factory.mktemp("pdf-index"), corpus_paths=[corpus])
    report = build(settings, [corpus], embedder=real_embedder)
    return SearchService(settings, embedder=real_embedder), report


def test_pdfs_symbols_pages_and_scans(un_pdfs):
    service, report = un_pdfs
    symbols = {d["doc_id"]: d["symbol"] for d in service.documents()["documents"]}
    assert symbols["ohchr_1_en"] == "A/HRC/WG.6/34/ITA/3"
    assert symbols["plan_2_en"] == "A/RES/48/161"
    failed = {Path(f["path"]).name: f["reason"] for f in report.failed}
    note = next(n for n in failed if n.startswith("2022-03-04"))
    assert "scanned, OCR needed" in failed[note]
    assert any(f["flag"].startswith("noisy-ocr") for f in report.flagged)
    hits = service.search("EU-FRA National Observatory on Hate Speech", k=3)["results"]
    top = hits[0]
    assert (top["doc_id"], top["paragraph"], top["page"], top["page_label"]) == (
        "ohchr_1_en", "12", 3, "3")
    assert top["citation"] == "A/HRC/WG.6/34/ITA/3, para. 12, p. 3"
    text = service.document_text("ohchr_1_en")["text"]
    assert "GE.19-" not in text and "UNITEDUNITED" not in text.replace(" ", "")


def test_list_items_need_the_r2p_sense_in_speeches(ungdc):
    # 2010-2012: Honduras spoke of "four focal points" of a national plan and Nicaragua of
    # "a focal point of international tension"; only Denmark spoke of R2P focal points
    answer = ungdc.post("/api/ask", json={"question": "Which states named focal points?",
                                          "filters": {"year_from": 2010,
                                                      "year_to": 2012}}).json()
    assert [i["label"] for i in answer["items"]] == ["Denmark"]
    assert all("focal points" in c["quote"] for c in answer["citations"])
