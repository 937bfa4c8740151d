"""HTTP API on the seed corpus with the real model: every endpoint, every error, the contract."""

from __future__ import annotations

import pytest
from conftest import wait_for_job
from fastapi.testclient import TestClient

from search_api.app import create_app
from search_api.settings import ApiSettings as Settings

SEED = "000_6cbf8074917a557a"
FOCAL = {"Ghana", "Denmark", "Argentina", "Costa Rica", "Netherlands", "Uruguay", "United States"}
PAPERS = {"France", "Germany", "Norway", "United States", "United Kingdom"}
CONTRACT = {"question", "answer", "refused", "items", "citations", "corpus_version"}
CITATION = {"n", "doc_id", "title", "quote", "char_start", "char_end", "page", "paragraph",
            "citation", "score"}


@pytest.fixture(scope="module")
def client(store_service):
    with TestClient(create_app(store_service.settings, service=store_service)) as c:
        yield c


def ask(client: TestClient, question: str, **body) -> dict:
    response = client.post("/api/ask", json={"question": question, **body})
    assert response.status_code == 200, response.text
    return response.json()


def assert_quotes_are_exact_spans(client: TestClient, citations: list[dict]) -> None:
    texts: dict[str, str] = {}
    for c in citations:
        if c["doc_id"] not in texts:
            texts[c["doc_id"]] = client.get(f"/api/documents/{c['doc_id']}/text").json()["text"]
        assert texts[c["doc_id"]][c["char_start"] : c["char_end"]] == c["quote"]


@pytest.mark.model
def test_which_states_named_focal_points(client):
    answer = ask(client, "Which states named focal points?")
    assert CONTRACT <= set(answer) and not answer["refused"]
    assert {i["label"] for i in answer["items"]} == FOCAL
    cited = {c["n"]: c for c in answer["citations"]}
    for item in answer["items"]:
        assert item["citations"], item
        assert all(cited[n]["doc_id"] == SEED for n in item["citations"])
        assert any(item["label"].split()[-1] in cited[n]["quote"] for n in item["citations"])
    assert all(CITATION <= set(c) for c in answer["citations"])
    assert_quotes_are_exact_spans(client, answer["citations"])


@pytest.mark.model
def test_which_states_referenced_rtop_in_strategic_policy_papers(client):
    answer = ask(client, "Which states referenced RtoP in strategic policy papers?")
    assert {i["label"] for i in answer["items"]} == PAPERS
    assert_quotes_are_exact_spans(client, answer["citations"])


@pytest.mark.model
@pytest.mark.parametrize("question", [
    "What is the boiling point of water?",
    "Who won the 2018 FIFA World Cup final?",
    "How do I bake sourdough bread?",
])
def test_out_of_corpus_questions_are_refused(client, question):
    answer = ask(client, question)
    assert answer["refused"] and answer["citations"] == [] and answer["items"] == []
    assert "no evidence" in answer["answer"]
    assert answer["related"], "nearest passages are listed as related"
    assert_quotes_are_exact_spans(client, answer["related"])


@pytest.mark.model
def test_factual_answer_quotes_and_cites(client):
    answer = ask(client, "When did ICRtoP launch?")
    assert not answer["refused"] and "2009" in answer["answer"]
    assert "[1]" in answer["answer"]
    assert answer["corpus_version"] == client.get("/api/health").json()["corpus_version"]
    assert_quotes_are_exact_spans(client, answer["citations"])


@pytest.mark.model
def test_search_finds_names_and_numbers(client):
    body = client.get("/api/search", params={"q": "Costa Rica", "k": 3}).json()
    assert "Costa Rica" in body["results"][0]["quote"]
    body = client.get("/api/search", params={"q": "708 Third Avenue", "k": 5}).json()
    holders = {r["doc_id"] for r in body["results"] if "708 Third Avenue" in r["quote"]}
    assert holders == {"000_6cbf8074917a557a"}  # repeated chrome is indexed once, not never
    assert_quotes_are_exact_spans(client, body["results"])
    spans = [(r["doc_id"], r["char_start"], r["char_end"]) for r in body["results"]]
    for i, (d, a, b) in enumerate(spans):  # overlapping chunks of one document never twice
        assert not any(d == d2 and a < b2 and a2 < b for d2, a2, b2 in spans[i + 1 :])


def test_search_filters(client):
    blog = client.get("/api/search", params={"q": "civil society", "type": "blog-post"}).json()
    assert blog["results"] and {r["doc_type"] for r in blog["results"]} == {"blog-post"}
    none = client.get("/api/search", params={"q": "civil society", "year_from": 2030}).json()
    assert none["results"] == []


def test_documents_endpoints(client):
    listing = client.get("/api/documents", params={"limit": 2}).json()
    assert listing["total"] == 3 and len(listing["documents"]) == 2
    doc = client.get(f"/api/documents/{SEED}").json()
    assert doc["doc_type"] == "ngo-page" and doc["date"] == "2011-02-02"
    text = client.get(f"/api/documents/{SEED}/text").json()["text"]
    assert "France, Germany, Norway" in text and "Member Sign In" not in text
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and set(missing.json()) == {"error", "detail"}


def test_documents_paging_is_bounded(client):
    # found by schemathesis: an offset past SQLite's integer range was a 500
    huge = client.get("/api/documents", params={"offset": 2**63, "limit": 1})
    assert huge.status_code == 422 and "offset" in huge.json()["error"]
    assert client.get("/api/documents", params={"offset": 10_000_000}).json()["documents"] == []


def test_health_and_metrics(client):
    health = client.get("/api/health").json()
    assert health["index_loaded"] and health["documents"] == 3 and health["chunks"] > 0
    assert "all-MiniLM-L6-v2" in health["model"]
    client.get("/api/health")
    metrics = client.get("/metrics").text
    assert 'rtop_requests_total{method="GET",route="/api/health",status="200"}' in metrics
    assert "rtop_request_seconds_bucket" in metrics


@pytest.mark.parametrize("body, field", [
    ({"question": ""}, "question"),
    ({"question": "   "}, "question"),
    ({"question": "x" * 1001}, "question"),
    ({"question": "ok?", "k": 0}, "k"),
    ({"question": "ok?", "k": 500}, "k"),
    ({"question": "ok?", "filters": {"colour": "red"}}, "colour"),
])
def test_ask_rejects_bad_input_with_a_clear_message(client, body, field):
    response = client.post("/api/ask", json=body)
    assert response.status_code == 422
    error = response.json()
    assert set(error) == {"error", "detail"} and field in error["error"]


@pytest.mark.parametrize("params, words", [
    ({"q": "x", "type": "novel"}, "Known types"),
    ({"q": "x", "state": "Atlantis"}, "Unknown state"),
    ({"q": "x", "year_from": 2010, "year_to": 2005}, "after"),
    ({"q": "x", "k": 51}, "k"),
    ({"q": ""}, "q"),
])
def test_search_rejects_bad_filters(client, params, words):
    response = client.get("/api/search", params=params)
    assert response.status_code == 422, response.text
    assert words in response.json()["error"] + str(response.json()["detail"])


def test_upload_and_reindex_are_disabled_without_a_configured_key(client):
    files = {"files": ("note.txt", b"Some text.", "text/plain")}
    upload = client.post("/api/documents", files=files)
    assert upload.status_code == 403 and "RTOP_API_KEY" in upload.json()["detail"]
    assert client.post("/api/reindex").status_code == 403


@pytest.fixture
def keyed_client(tmp_path, seed_copy, real_embedder):
    from search_api.service import SearchService, build

    settings = Settings(index_dir=tmp_path / "index", corpus_paths=[seed_copy],
                        upload_dir=seed_copy / "uploads", api_key="s3cret", max_upload_mb=1)
    build(settings, [seed_copy], embedder=real_embedder)
    service = SearchService(settings, embedder=real_embedder)
    with TestClient(create_app(settings, service=service)) as c:
        yield c


@pytest.mark.model
def test_upload_needs_the_key_and_indexes_the_file(keyed_client):
    note = (b"Kenya's national focal point for the Responsibility to Protect was named in 2012 "
            b"by the Ministry of Foreign Affairs.")
    files = {"files": ("kenya-note.txt", note, "text/plain")}
    assert keyed_client.post("/api/documents", files=files).status_code == 403
    wrong = {"Authorization": "Bearer nope"}
    assert keyed_client.post("/api/documents", files=files, headers=wrong).status_code == 403
    key = {"Authorization": "Bearer s3cret"}
    response = keyed_client.post("/api/documents", files=files, headers=key)
    assert response.status_code == 202, response.text
    job = wait_for_job(keyed_client, response.json()["id"])
    assert job["state"] == "done" and job["progress"]["documents_done"] == 1
    assert job["result"]["files"] == [{"file": "kenya-note.txt", "status": "indexed"}]
    assert keyed_client.get("/api/health").json()["documents"] == 4
    hits = keyed_client.get("/api/search", params={"q": "Kenya focal point"}).json()["results"]
    assert hits[0]["doc_id"] == "kenya-note"
    reindex = keyed_client.post("/api/reindex", headers=key)
    assert reindex.status_code == 202
    assert wait_for_job(keyed_client, reindex.json()["id"])["state"] == "done"



@pytest.mark.parametrize("name, status", [
    ("../evil.txt", 400), ("dir/evil.txt", 400), ("..\\evil.txt", 400), ("evil.exe", 415),
])
def test_upload_rejects_paths_and_types(keyed_client, name, status):
    key = {"Authorization": "Bearer s3cret"}
    response = keyed_client.post("/api/documents", files={"files": (name, b"x", "text/plain")},
                                 headers=key)
    assert response.status_code == status, response.text
    assert response.json()["detail"]


def test_upload_rejects_a_file_over_the_limit(keyed_client):
    key = {"Authorization": "Bearer s3cret"}
    big = b"a" * (1024 * 1024 + 1)
    response = keyed_client.post("/api/documents", files={"files": ("big.txt", big)}, headers=key)
    assert response.status_code == 413 and "1 MB" in response.json()["error"]


def test_openapi_documents_the_contract(client):
    schema = client.get("/openapi.json").json()
    answer = schema["components"]["schemas"]["AnswerOut"]["properties"]
    assert CONTRACT <= set(answer)
    assert schema["components"]["schemas"]["AskIn"].get("examples")
