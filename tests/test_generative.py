"""Generative answers through a fake OpenAI-compatible server: every case of the answer contract
(supported, dropped, invented, unmarked, down, junk, slow) through the service and the API."""

from __future__ import annotations

import time

import pytest
from fake_llm import FakeLLM, evidence_of, number_of
from fastapi.testclient import TestClient

from search_api.llm import OpenAICompatible

LIST_Q = "Which states named focal points?"
ONE_Q = "When was the ICRtoP coalition launched?"
OFF_TOPIC = "What is the boiling point of water on Mars?"


@pytest.fixture(scope="module")
def fake():
    with FakeLLM() as server:
        yield server


@pytest.fixture
def llm(fake):
    fake.reset()
    return fake


@pytest.fixture(scope="module")
def service(seed_settings, real_embedder, fake):
    from search_api.service import SearchService

    model = OpenAICompatible(fake.url, "fake-model", timeout_s=2.0)
    return SearchService(seed_settings, embedder=real_embedder, chat_model=model)


def launched(messages):
    return f"The ICRtoP coalition was launched in 2009 [{number_of(messages, 'launch in 2009')}]."


def focal_list(messages, extra: str = ""):
    n = number_of(messages, "Ghana", "focal points")
    return (f"- Ghana: appointed a focal point on RtoP [{n}]\n"
            f"- Denmark: appointed a focal point [{n}]\n{extra}")


def test_a_supported_answer_is_shown_with_its_checks(service, llm):
    llm.script = launched
    result = service.ask(ONE_Q, None, 5)
    assert result["mode"] == "generative" and not result["fallback"]
    assert result["model"] == "fake-model"
    assert result["answer"].startswith("The ICRtoP coalition was launched in 2009 [")
    [sentence] = result["sentences"]
    assert sentence["supported"] and sentence["reason"] is None
    cited = result["citations"][sentence["citations"][0] - 1]
    assert "launch in 2009" in cited["quote"]
    assert result["unsupported"] == [] and result["warnings"] == []
    # the evidence the model was given is the answer's citations, each an exact span
    prompt = llm.requests[-1]["messages"]
    assert set(evidence_of(prompt)) == {c["n"] for c in result["citations"]}
    for c in result["citations"]:
        assert service.texts.get(c["doc_id"])[c["char_start"]:c["char_end"]] == c["quote"]


def test_the_evidence_comes_from_the_one_retrieval_of_the_answer(service, llm, monkeypatch):
    engine = service.engine
    calls = []
    ranked = engine.ranked
    monkeypatch.setattr(engine, "ranked", lambda *a, **kw: calls.append(1) or ranked(*a, **kw))
    llm.script = launched
    result = service.ask(ONE_Q, None, 5)
    assert result["mode"] == "generative" and len(result["citations"]) > 1
    assert len(calls) == 1


def test_a_sentence_citing_evidence_never_given_is_dropped(service, llm):
    llm.script = lambda m: launched(m) + " It has 900 member organisations [42]."
    result = service.ask(ONE_Q, None, 5)
    assert "900" not in result["answer"] and "2009" in result["answer"]
    [dropped] = result["unsupported"]
    assert dropped["citations"] == [42] and "not among the evidence given" in dropped["reason"]
    assert result["warnings"]


def test_a_true_sounding_sentence_without_support_is_dropped(service, llm):
    n_holder = {}

    def script(m):
        n_holder["n"] = number_of(m, "launch in 2009")
        return launched(m) + (f" The 2005 World Summit Outcome was adopted by 191 heads of "
                              f"state [{n_holder['n']}].")
    llm.script = script
    result = service.ask(ONE_Q, None, 5)
    assert "191" not in result["answer"]
    [dropped] = result["unsupported"]
    assert dropped["citations"] == [n_holder["n"]] and "not in the cited evidence" in \
        dropped["reason"]
    assert [s["supported"] for s in result["sentences"]] == [True, False]


def test_a_list_with_an_invented_item_keeps_only_named_items(service, llm):
    llm.script = lambda m: focal_list(m, f"- France: appointed a focal point "
                                         f"[{number_of(m, 'Ghana', 'focal points')}]")
    result = service.ask(LIST_Q, None, 10)
    assert result["mode"] == "generative"
    assert [i["label"] for i in result["items"]] == ["Ghana", "Denmark"]
    assert "France" not in result["answer"]
    [dropped] = result["unsupported"]
    assert "'France' is not named in its cited evidence" in dropped["reason"]
    for item in result["items"]:  # each kept item is named in its own cited quote
        assert all(item["label"] in result["citations"][n - 1]["quote"]
                   for n in item["citations"])


def test_an_answer_without_markers_falls_back_to_the_extractive_answer(service, llm):
    llm.script = lambda m: "The ICRtoP coalition was launched in 2009."
    result = service.ask(ONE_Q, None, 5)
    extractive = service.ask(ONE_Q, None, 5, mode="extractive")
    assert result["fallback"] and result["mode"] == "extractive"
    assert result["answer"] == extractive["answer"]
    assert "no citation marker" in result["unsupported"][0]["reason"]
    assert "Showing the extractive answer" in result["warnings"][-1]


def test_a_slow_endpoint_ends_at_the_timeout(service, llm):
    llm.script, llm.delay = launched, 60.0
    started = time.monotonic()
    result = service.ask(ONE_Q, None, 5)
    assert time.monotonic() - started < 30  # a hang would wait for the 60 s reply
    assert result["fallback"] and "did not answer within 2 s" in result["warnings"][0]


def test_a_reply_that_stalls_midway_ends_at_the_timeout(service, llm):
    llm.script, llm.stall = launched, 60.0
    started = time.monotonic()
    events = list(service.writer.stream(ONE_Q, None, 5))
    assert time.monotonic() - started < 30  # the reader waits for the 60 s pause otherwise
    assert events[0] == ("draft", "The ")
    kind, result = events[-1]
    assert kind == "answer" and result["fallback"]
    assert "did not answer within 2 s" in result["warnings"][0]


def test_an_endpoint_that_is_down_gives_the_extractive_answer(seed_settings, real_embedder):
    from search_api.service import SearchService

    dead = OpenAICompatible("http://127.0.0.1:9/v1", "none", timeout_s=2.0)
    result = SearchService(seed_settings, embedder=real_embedder, chat_model=dead).ask(
        ONE_Q, None, 5)
    assert result["fallback"] and "could not be reached" in result["warnings"][0]


def test_the_model_saying_not_in_the_documents_is_a_flagged_extractive_answer(service, llm):
    result = service.ask(ONE_Q, None, 5)
    assert result["fallback"] and "found no answer in the evidence" in result["warnings"][0]


def test_a_question_the_collection_cannot_answer_is_refused_without_asking(service, llm):
    llm.script = launched
    before = len(llm.requests)
    result = service.ask(OFF_TOPIC, None, 5)
    assert result["refused"] and len(llm.requests) == before


def test_streaming_yields_drafts_then_the_checked_answer(service, llm):
    llm.script = lambda m: launched(m) + " It has 900 member organisations [42]."
    events = list(service.writer.stream(ONE_Q, None, 5))
    drafts = [e for kind, e in events if kind == "draft"]
    assert len(drafts) > 3 and drafts[-1].endswith("[42].")
    kind, result = events[-1]
    assert kind == "answer" and "900" not in result["answer"] and result["unsupported"]
    assert llm.requests[-1]["stream"] is True


def test_prompt_asks_for_markers_and_lists_each_item(service, llm):
    llm.script = focal_list
    service.ask(LIST_Q, None, 10)
    system = llm.requests[-1]["messages"][0]["content"]
    assert "[1]" in system and "Not in the documents." in system and "one line per item" in \
        system


def test_the_api_takes_a_mode_and_reports_the_checks(seed_settings, service, llm):
    from search_api.app import create_app

    llm.script = lambda m: focal_list(m, "- Kenya: named a focal point [7]")
    with TestClient(create_app(seed_settings, service=service)) as client:
        assert client.get("/api/health").json()["answer_modes"] == ["extractive", "generative"]
        body = client.post("/api/ask", json={"question": LIST_Q, "k": 10}).json()
        assert body["mode"] == "generative" and [i["label"] for i in body["items"]] == \
            ["Ghana", "Denmark"]
        assert body["unsupported"][0]["reason"].startswith("cites [7]")
        plain = client.post("/api/ask", json={"question": LIST_Q, "mode": "extractive"}).json()
        assert plain["mode"] == "extractive" and plain["sentences"] == []
        bad = client.post("/api/ask", json={"question": LIST_Q, "mode": "poetic"})
        assert bad.status_code == 422 and "mode" in bad.text


def test_generative_mode_without_a_model_is_a_clear_error(seed_settings, seed_service):
    from search_api.app import create_app

    assert seed_service.default_mode == "extractive"
    with TestClient(create_app(seed_settings, service=seed_service)) as client:
        assert client.get("/api/health").json()["answer_modes"] == ["extractive"]
        response = client.post("/api/ask", json={"question": LIST_Q, "mode": "generative"})
        assert response.status_code == 422
        assert "RTOP_LLM_BASE_URL" in response.json()["detail"]
        plain = client.post("/api/ask", json={"question": LIST_Q}).json()
        assert plain["mode"] == "extractive" and not plain["fallback"]


def test_llm_settings_are_checked_at_start(monkeypatch):
    from pydantic import ValidationError

    from search_api.service import load_chat_model
    from search_api.settings import ApiSettings

    monkeypatch.setenv("RTOP_LLM_BASE_URL", "localhost:11434/v1")
    with pytest.raises(ValidationError, match="not an http"):
        ApiSettings()
    monkeypatch.setenv("RTOP_LLM_BASE_URL", "http://127.0.0.1:11434/v1/")
    monkeypatch.setenv("RTOP_LLM_MODEL", "llama3.2")
    model = load_chat_model(ApiSettings())
    assert model is not None and model.url == "http://127.0.0.1:11434/v1/chat/completions"
    monkeypatch.delenv("RTOP_LLM_MODEL")
    assert load_chat_model(ApiSettings()) is None  # a URL without a model: stays extractive


def test_the_prompt_budget_counts_what_would_be_sent(seed_settings, real_embedder):
    from eval.prompt_budget import prompt_budget
    from eval.report import markdown

    budget = prompt_budget(seed_settings.index_dir, real_embedder,
                           [LIST_Q, ONE_Q, OFF_TOPIC], ks=(1, 5))
    assert budget["k1"]["refused_not_sent"] == budget["k5"]["refused_not_sent"] == 1
    assert budget["k1"]["mean_evidence"] == 1 < budget["k5"]["mean_evidence"] <= 5
    assert 0 < budget["k1"]["mean_tokens"] < budget["k5"]["mean_tokens"]
    report = markdown({"corpus": "seeds", "machine": {"cpus": 2},
                       "indexing": dict.fromkeys(
                           ("documents", "chunks", "pipeline_s", "pipeline_chunks_per_s",
                            "encoder_sample", "encoder_chunks_per_s", "throughput_ratio",
                            "reindex_unchanged_s", "reindex_embedded", "peak_rss_mb"), 0),
                       "latency": {"rows": [], "server_rss_mb": 0, "cold_start_s": 0},
                       "prompt": budget})
    assert f"| 5 | 2 | 1 | {budget['k5']['mean_tokens']} |" in report


def test_the_cli_asks_in_either_mode(seed_settings, llm, monkeypatch):
    from typer.testing import CliRunner

    from rtop_search.cli import app

    runner, index = CliRunner(), str(seed_settings.index_dir)
    refused = runner.invoke(app, ["ask", ONE_Q, "--index-dir", index, "--mode", "generative"])
    assert refused.exit_code == 2 and "RTOP_LLM_BASE_URL" in refused.output
    monkeypatch.setenv("RTOP_LLM_BASE_URL", llm.url)
    monkeypatch.setenv("RTOP_LLM_MODEL", "fake-model")
    llm.script = lambda m: launched(m) + " It has 900 member organisations [42]."
    written = runner.invoke(app, ["ask", ONE_Q, "--index-dir", index])
    assert written.exit_code == 0, written.output
    assert "The ICRtoP coalition was launched in 2009 [" in written.output
    assert 'not shown as fact: "It has 900 member organisations."' in written.output
    quotes = runner.invoke(app, ["ask", ONE_Q, "--index-dir", index, "--mode", "extractive"])
    assert "not shown as fact" not in quotes.output and "2009" in quotes.output


def _invented(m):
    return focal_list(m, f"- France: appointed a focal point "
                         f"[{number_of(m, 'Ghana', 'focal points')}]")


# (question, fake setup, what the answer must show): each case of the contract, end to end
CASES = {
    "supported": (ONE_Q, {"script": launched}, {"fallback": False, "dropped": 0}),
    "never given": (ONE_Q, {"script": lambda m: launched(m) + " It has 900 members [42]."},
                    {"fallback": False, "dropped": 1, "reason": "not among the evidence"}),
    "unsupported": (ONE_Q, {"script": lambda m: launched(m) + " It was founded in Geneva "
                            f"[{number_of(m, 'launch in 2009')}]."},
                    {"fallback": False, "dropped": 1, "reason": "'Geneva' is not named"}),
    "invented item": (LIST_Q, {"script": _invented},
                      {"fallback": False, "dropped": 1, "reason": "'France' is not named"}),
    "no markers": (ONE_Q, {"script": lambda m: "It was launched in 2009."},
                   {"fallback": True, "dropped": 1, "reason": "no citation marker"}),
    "junk": (ONE_Q, {"raw": b"<html>502 Bad Gateway</html>"},
             {"fallback": True, "warning": "not an OpenAI-style"}),
    "invalid json": (ONE_Q, {"raw": b"this is not json{"},
                     {"fallback": True, "warning": "not an OpenAI-style"}),
    "no choices": (ONE_Q, {"raw": b'{"choices": []}'},
                   {"fallback": True, "warning": "not an OpenAI-style"}),
    "http 500": (ONE_Q, {"status": 500}, {"fallback": True, "warning": "HTTP 500"}),
    "timeout": (ONE_Q, {"script": launched, "delay": 60.0},
                {"fallback": True, "warning": "did not answer within"}),
}


@pytest.mark.parametrize("case", CASES)
def test_each_case_ends_the_same_through_the_api_and_the_ui(case, seed_settings, service, llm):
    from search_api.app import create_app
    from ui.handlers import ANY, Handlers

    question, setup, want = CASES[case]
    with TestClient(create_app(seed_settings, service=service)) as client:
        for key, value in setup.items():
            setattr(llm, key, value)
        response = client.post("/api/ask", json={"question": question, "k": 10})
        assert response.status_code == 200
        body = response.json()
        assert body["fallback"] is want["fallback"]
        assert body["mode"] == ("extractive" if want["fallback"] else "generative")
        assert len(body["unsupported"]) == want.get("dropped", 0)
        if "reason" in want:
            assert want["reason"] in body["unsupported"][0]["reason"]
        if "warning" in want:
            assert want["warning"] in body["warnings"][0]
        assert body["citations"] and not body["refused"]

    html = list(Handlers(lambda: service).ask(question, ANY, ANY, ANY, ANY, None))[-1][0]
    assert ('class="hint written"' in html) is (not want["fallback"])
    assert ('id="unsupported"' in html) is bool(want.get("dropped"))
    for text in (want.get("reason"), want.get("warning")):
        if text:
            assert text.replace("'", "&#x27;") in html
