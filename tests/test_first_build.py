"""Serving at once: the first build runs as a job; health reports it, requests get a clear 503
until there is an index, and a stale index answers while it is brought up to date."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from indexer import pipeline
from indexer.embed import HashEmbedder
from search_api.app import create_app
from search_api.service import build
from search_api.settings import ApiSettings


class SlowEmbedder(HashEmbedder):
    def embed_with_spans(self, texts, spans, *, progress=False):
        time.sleep(0.05)
        return super().embed_with_spans(texts, spans, progress=progress)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(40):
        (folder / f"note-{i:02d}.txt").write_text(
            f"Note {i}: State {i} named a focal point for the Responsibility to Protect.\n")
    return folder


def _wait(client: TestClient, status: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        health = client.get("/api/health").json()
        if health["status"] == status:
            return health
        time.sleep(0.02)
    raise AssertionError(f"health never said {status}: {health}")


def test_first_build_is_a_job_and_requests_hear_a_clear_503(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 2)
    settings = ApiSettings(index_dir=tmp_path / "index", corpus_paths=[corpus],
                           upload_dir=tmp_path / "uploads")
    app = create_app(settings, build_on_start=True, embedder=SlowEmbedder())
    with TestClient(app) as client:
        building = _wait(client, "building")
        assert building["index_loaded"] is False and building["job"]["kind"] == "startup"
        assert building["job"]["progress"]["documents_total"] == 40
        search = client.get("/api/search", params={"q": "focal point"})
        assert search.status_code == 503
        assert "first index is being built" in search.json()["error"]
        assert set(search.json()) == {"error", "detail"}
        deadline = time.monotonic() + 30
        while "eta_seconds" not in (health := client.get("/api/health").json())["job"][
                "progress"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        progress = health["job"]["progress"]
        assert 0 < progress["documents_done"] < 40 and progress["chunks_done"] > 0
        assert health["message"].endswith("s left.")
        ready = _wait(client, "ok")
        assert ready["documents"] == 40
        assert client.get("/api/search", params={"q": "focal point"}).status_code == 200


def test_a_stale_index_answers_while_it_is_updated(tmp_path, corpus, monkeypatch):
    settings = ApiSettings(index_dir=tmp_path / "index", corpus_paths=[corpus],
                           upload_dir=tmp_path / "uploads")
    build(settings, [corpus], embedder=HashEmbedder())
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 2)
    for i in range(40, 60):
        (corpus / f"note-{i:02d}.txt").write_text(f"Note {i}: a later focal point.\n")
    app = create_app(settings, build_on_start=True, embedder=SlowEmbedder())
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while (health := client.get("/api/health").json())["status"] != "ok":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert health["documents"] == 40 and health["job"]["kind"] == "startup"
        assert client.get("/api/search", params={"q": "focal point"}).status_code == 200
        job = app.state.jobs.wait(health["job"]["id"], 60)
        assert job.state == "done" and len(job.result["added"]) == 20
        assert client.get("/api/health").json()["documents"] == 60


def test_a_failed_first_build_is_reported_plainly(tmp_path, corpus):
    from indexer.store import build_lock

    settings = ApiSettings(index_dir=tmp_path / "index", corpus_paths=[corpus],
                           upload_dir=tmp_path / "uploads")
    with build_lock(settings.index_dir):  # another build holds the index folder
        app = create_app(settings, build_on_start=True, embedder=HashEmbedder())
        with TestClient(app) as client:
            health = _wait(client, "failed")
            assert "Another build is running" in health["message"]
            search = client.get("/api/search", params={"q": "x"})
            assert search.status_code == 503 and "first build did not finish" in search.text


def test_time_left_goes_by_characters_not_documents(monkeypatch):
    """Ninety short documents done in 10 s, ten long ones left: the estimate follows the text
    still to embed (900 of 1,000 characters), not the documents (10 of 100)."""
    from search_api import builds

    clock = iter([0.0, 10.0])
    monkeypatch.setattr(builds.time, "monotonic", lambda: next(clock))
    seen: list[dict] = []
    on_progress = builds.with_eta(seen.append)
    on_progress({"documents_done": 0, "documents_total": 100, "chunks_done": 0,
                 "chars_done": 0, "chars_total": 1000})
    on_progress({"documents_done": 90, "documents_total": 100, "chunks_done": 9,
                 "chars_done": 100, "chars_total": 1000})
    assert "eta_seconds" not in seen[0] and seen[1]["eta_seconds"] == 90.0
