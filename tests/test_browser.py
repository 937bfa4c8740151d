"""End-to-end: the real server on loopback, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import seed_corpus

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SCREENS = Path("/tmp/ui-screens")
FOCAL_STATES = ["Ghana", "Denmark", "Argentina", "Costa Rica", "Netherlands", "Uruguay",
                "United States"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if json.load(r).get("status") == "ok":
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Index the seed corpus into a temp folder and serve it on a free loopback port."""
    tmp = tmp_path_factory.mktemp("browser")
    index_dir = tmp / "index"
    env = {**os.environ, "RTOP_UPLOAD_DIR": str(tmp / "uploads"),
           "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("RTOP_API_KEY", None)
    cli = str(BIN / "rtop-search")
    env["RTOP_CORPUS_PATHS"] = json.dumps([str(seed_corpus())])
    subprocess.run([cli, "index", str(seed_corpus()), "--index-dir", str(index_dir)],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = tmp / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([cli, "serve", "--host", "127.0.0.1", "--port", str(port),
                                 "--index-dir", str(index_dir)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(f"{base}/api/health", proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def page(server: str) -> Iterator[tuple]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium (/usr/bin/chromium) is missing: run `make test`, which "
                    "installs it (never `playwright install`).")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.on("request", lambda r: requests.append(r.url))
            yield pg, requests
        finally:
            browser.close()


def _shot(pg, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENS / name)


def _external(requests: list[str]) -> list[str]:
    return [u for u in requests if urlparse(u).scheme in {"http", "https", "ws", "wss"}
            and urlparse(u).hostname not in LOOPBACK]


def test_list_answer_and_open_cited_span(server: str, page: tuple, tmp_path: Path) -> None:
    pg, requests = page
    pg.goto(server + "/")
    pg.get_by_label("Your question").fill("Which states named focal points?")
    pg.locator("#ask-btn").click()
    table = pg.locator("#answer .list-table")
    table.wait_for(timeout=60_000)
    items = table.locator("td.item").all_inner_texts()
    assert sorted(items) == sorted(FOCAL_STATES)
    answer_text = pg.locator("#answer .answer-text").inner_text()
    assert all(state in answer_text for state in FOCAL_STATES)
    cards = pg.locator("#answer .card.evidence")
    assert cards.count() >= 1
    quote = cards.first.locator("mark.quote").inner_text()
    _shot(pg, tmp_path, "ask-focal-points.png")

    pg.get_by_text("Export the sources of this answer").click()
    plain = pg.locator("#export-plain textarea")
    plain.wait_for(timeout=10_000)
    assert plain.input_value().startswith("[1] ") and quote.strip() in plain.input_value()

    cards.first.locator(".open-doc").click()
    mark = pg.locator("#viewer mark#cited-span")
    mark.wait_for(timeout=30_000)
    assert mark.inner_text().strip() == quote.strip()
    assert pg.get_by_role("tab", name="Documents").get_attribute("aria-selected") == "true"
    pg.wait_for_timeout(600)  # the viewer scrolls the span into view
    assert mark.is_visible()
    _shot(pg, tmp_path, "viewer-cited-span.png")
    assert _external(requests) == [], "the page must make no request to a non-loopback host"


def test_refusal_shows_related_apart(server: str, page: tuple, tmp_path: Path) -> None:
    pg, requests = page
    pg.goto(server + "/")
    pg.get_by_label("Your question").fill("What is the boiling point of mercury?")
    pg.locator("#ask-btn").click()
    pg.locator("#answer .refusal").wait_for(timeout=60_000)
    assert "No evidence in the corpus" in pg.locator("#answer .refusal").inner_text()
    assert pg.locator("#answer .card.evidence").count() == 0
    _shot(pg, tmp_path, "refusal.png")
    assert _external(requests) == []
