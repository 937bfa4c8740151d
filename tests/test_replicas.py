"""Stateless API replicas: a `milvus-lite server` on a free loopback port and two
`rtop-search serve` processes on it (real model, real protocol). A re-index through one is
answered by the other after the swap, without a restart."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import free_port, wait_for_job

BIN = Path(sys.executable).parent
KEY = {"Authorization": "Bearer s3cret"}



def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{url} exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not come up in {timeout} s")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def milvus_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([str(BIN / "milvus-lite"), "server", "--data-dir",
                             str(tmp_path / "milvus"), "--host", "127.0.0.1", "--port",
                             str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def test_two_replicas_answer_from_one_milvus_and_see_a_reindex(tmp_path: Path,
                                                               milvus_server: str,
                                                               seed_copy: Path):
    uploads = tmp_path / "shared-uploads"
    env = {**os.environ, "RTOP_STORE": "milvus", "RTOP_MILVUS_URI": milvus_server,
           "RTOP_CORPUS_PATHS": f'["{seed_copy}"]', "RTOP_UPLOAD_DIR": str(uploads),
           "RTOP_API_KEY": "s3cret", "RTOP_INDEX_DIR": str(tmp_path / "index")}
    built = subprocess.run([str(BIN / "rtop-search"), "index", str(seed_copy)], env=env,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    urls, procs = [], []
    try:
        for _ in range(2):
            port = free_port()
            procs.append(subprocess.Popen(
                [str(BIN / "rtop-search"), "serve", "--no-build", "--host", "127.0.0.1",
                 "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, text=True))
            urls.append(f"http://127.0.0.1:{port}")
        for url, proc in zip(urls, procs, strict=True):
            _wait_until_up(url, proc)
        a, b = (httpx.Client(base_url=u, timeout=60) for u in urls)
        for client in (a, b):
            answer = client.post("/api/ask", json={"question": "Which states named focal "
                                                   "points?"}).json()
            assert not answer["refused"] and answer["citations"]
        before = b.get("/api/health").json()["corpus_version"]
        assert a.get("/api/health").json()["corpus_version"] == before

        (seed_copy / "carbonara.txt").write_text(
            "The Carbonara Accord named a focal point on the Responsibility to Protect.\n")
        job = a.post("/api/reindex", headers=KEY).json()
        done = wait_for_job(a, job["id"], timeout=300)
        assert done["state"] == "done", done
        after = a.get("/api/health").json()["corpus_version"]
        assert after != before
        deadline = time.monotonic() + 30
        while b.get("/api/health").json()["corpus_version"] != after:
            assert time.monotonic() < deadline, "the other replica never saw the new build"
            time.sleep(0.2)
        hits = b.get("/api/search", params={"q": "Carbonara Accord", "k": 3}).json()
        assert any("Carbonara" in r["quote"] for r in hits["results"])
        assert procs[1].poll() is None  # the same process, not a restart
    finally:
        for proc in procs:
            _stop(proc)
