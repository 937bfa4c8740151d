"""Writes never block reads (issue 10, defect 1): a real server answers while a build runs,
and stops cleanly on SIGTERM without touching the live index."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from conftest import free_port

from indexer.embed import HashEmbedder
from search_api.app import create_app
from search_api.service import SearchService, build
from search_api.settings import ApiSettings

ROOT = Path(__file__).resolve().parents[1]
KEY = {"Authorization": "Bearer s3cret"}


class SlowEmbedder(HashEmbedder):
    """The hash embedder at roughly a CPU model's pace, so a build takes a while."""

    def embed_with_spans(self, texts, spans, *, progress=False):
        time.sleep(0.002 * len(texts))
        return super().embed_with_spans(texts, spans, progress=progress)



@pytest.fixture
def live_server(tmp_path, seed_copy) -> Iterator[str]:
    settings = ApiSettings(index_dir=tmp_path / "index", corpus_paths=[seed_copy],
                           upload_dir=seed_copy / "uploads", api_key="s3cret", max_upload_mb=8)
    embedder = SlowEmbedder()
    build(settings, [seed_copy], embedder=embedder)
    app = create_app(settings, service=SearchService(settings, embedder=embedder))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def _big_document(megabytes: int) -> bytes:
    lines, size, i = [], 0, 0
    while size < megabytes * 1024 * 1024:
        line = (f"{i + 1}. In paragraph {i}, the Council recalled the responsibility of each "
                f"State to protect its populations from genocide, war crimes, ethnic cleansing "
                f"and crimes against humanity, and noted report number {i * 7}.\n")
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines).encode()


def test_searches_are_answered_while_an_upload_is_indexed(live_server):
    body = _big_document(3)
    assert len(body) > 3 * 1024 * 1024
    with httpx.Client(base_url=live_server, timeout=30) as client:
        started = time.monotonic()
        response = client.post("/api/documents", headers=KEY,
                               files={"files": ("big-report.txt", body, "text/plain")})
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        answered = []
        for i in range(20):
            search = client.get("/api/search", params={"q": f"focal point {i}", "k": 3})
            assert search.status_code == 200
            answered.append(time.monotonic())
        assert client.get("/api/health").status_code == 200
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["finished_at"] is None, "the build finished too soon to prove anything"
        while job["finished_at"] is None:
            time.sleep(0.2)
            job = client.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "done", job
        assert job["result"]["files"] == [{"file": "big-report.txt", "status": "indexed"}]
        ended = started + (job["finished_at"] - job["created_at"])
        assert max(answered) < ended and max(answered) - started < 10


SERVER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import uvicorn
    from indexer.embed import HashEmbedder
    from search_api.app import create_app
    from search_api.service import SearchService
    from search_api.settings import ApiSettings

    class Slow(HashEmbedder):
        def embed_with_spans(self, texts, spans, *, progress=False):
            time.sleep(0.01 * len(texts))
            return super().embed_with_spans(texts, spans, progress=progress)

    settings = ApiSettings(index_dir=Path(sys.argv[1]), corpus_paths=[Path(sys.argv[2])],
                           upload_dir=Path(sys.argv[2]) / "uploads", api_key="s3cret")
    app = create_app(settings, service=SearchService(settings, embedder=Slow()))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
""")


def test_sigterm_during_a_build_stops_the_server_and_keeps_the_live_index(tmp_path, seed_copy):
    from indexer.store import current_build

    index = tmp_path / "index"
    build(ApiSettings(index_dir=index), [seed_copy], embedder=HashEmbedder())
    live = current_build(index)
    for i in range(200):
        (seed_copy / f"extra-{i:03d}.txt").write_text(_big_document(1)[:20_000].decode())
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(index), str(seed_copy),
                             str(port)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        job = httpx.post(f"{base}/api/reindex", headers=KEY).json()
        while httpx.get(f"{base}/api/jobs/{job['id']}").json()["state"] != "running":
            time.sleep(0.1)
        time.sleep(1)
        assert httpx.get(f"{base}/api/health").status_code == 200
        proc.send_signal(signal.SIGTERM)
        # uvicorn re-raises the signal it caught once it has shut down: -SIGTERM is clean
        assert proc.wait(timeout=20) in (0, -signal.SIGTERM)
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert current_build(index) == live
    from indexer.reader import IndexReader

    assert IndexReader(index).counts()["documents"] == 3
    # the abandoned build is kept, to be resumed by the next one
    unfinished = [p for p in (index / "builds").iterdir() if p != live]
    assert len(unfinished) == 1 and (unfinished[0] / "build.json").is_file()


def test_a_500_keeps_the_connection_alive(live_server, monkeypatch):
    # defect 5: after a 500 the kept-alive connection was reset
    import http.client
    import json
    from urllib.parse import urlparse

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(SearchService, "facets", broken)
    url = urlparse(live_server)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", "/api/facets")
    first = conn.getresponse()
    assert first.status == 500 and json.loads(first.read()) == {
        "error": "Internal error", "detail": "The error was logged; please report it."}
    conn.request("GET", "/api/health")  # the same connection
    second = conn.getresponse()
    assert second.status == 200 and json.loads(second.read())["status"] == "ok"
    conn.close()
