"""End-to-end: the real server on loopback, driven by Debian's chromium through Playwright."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import free_port, seed_corpus

from ui.app import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SCREENS = Path("/tmp/ui-screens")
FOCAL_STATES = ["Ghana", "Denmark", "Argentina", "Costa Rica", "Netherlands", "Uruguay",
                "United States"]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
GD = "un-general-debate-r2p"
# Cambodia's 2016 statement: "we have designated the individual who will be our national
# correspondent to the Global Network of R2P Focal Points"
SPEECH_FOCAL_STATES = ["Cambodia"]
GD_2022 = ["Botswana", "Croatia", "San Marino"]

pytestmark = pytest.mark.browser



def _health(base: str) -> dict:
    try:
        with urllib.request.urlopen(f"{base}/api/health", timeout=2) as r:
            return json.load(r)
    except OSError:
        return {}


def _wait_for(base: str, status: set[str], proc: subprocess.Popen, log: Path,
              timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if _health(base).get("status") in status:
            return
        time.sleep(0.3)
    pytest.fail(f"/api/health never said {status} in {timeout} s:\n{log.read_text()[-3000:]}")


def _small_collection(tmp: Path) -> Path:
    """A copy of the seed pages plus the General Debate statements of 2015-2024 (the seed
    folder itself is shared by the other tests and stays as it is)."""
    corpus = tmp / "corpus"
    shutil.copytree(seed_corpus(), corpus)
    speeches = ROOT / "corpus" / GD
    (corpus / GD).mkdir()
    shutil.copy2(speeches / "catalog.json", corpus / GD)
    for session in speeches.glob("Session *"):
        if int(session.name.split()[1]) >= 70:
            shutil.copytree(session, corpus / GD / session.name)
    return corpus


@contextlib.contextmanager
def serving(tmp: Path, corpus: Path, **env_extra: str) -> Iterator[dict]:
    """`rtop-search serve` over ``corpus`` on a free loopback port, with an empty index folder
    in ``tmp`` (it serves at once and builds in the background); stopped on exit."""
    env = {**os.environ, "RTOP_UPLOAD_DIR": str(tmp / "uploads"),
           "GRADIO_ANALYTICS_ENABLED": "False", "RTOP_CORPUS_PATHS": json.dumps([str(corpus)]),
           **env_extra}
    env.pop("RTOP_API_KEY", None)
    port = free_port()
    log = tmp / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([str(BIN / "rtop-search"), "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--index-dir", str(tmp / "index")],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, {"starting", "building", "ok"}, proc, log, timeout=120)
        yield {"base": base, "corpus": corpus,
               "ready": lambda: _wait_for(base, {"ok"}, proc, log, timeout=900)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The server with no index yet, building a small collection in the background (the tests
    wait for the build as needed)."""
    tmp = tmp_path_factory.mktemp("browser")
    with serving(tmp, _small_collection(tmp)) as running:
        yield running


def _shot(pg, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENS / name)


def _external(requests: list[str]) -> list[str]:
    return [u for u in requests if urlparse(u).scheme in {"http", "https", "ws", "wss"}
            and urlparse(u).hostname not in LOOPBACK]


def test_build_progress_then_an_example_on_the_finished_index(server: dict, page: tuple,
                                                             tmp_path: Path) -> None:
    """The first build shows its progress; when it lands, an example question is answered."""
    from playwright.sync_api import expect

    pg, requests = page
    pg.goto(server["base"] + "/")
    status = pg.locator("#build-status")
    progress = re.compile(r"Building the first index: ([\d,]+) of ([\d,]+) documents, "
                          r"([\d,]+) passages embedded")
    seen: list[re.Match] = []
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        text = status.inner_text().strip()
        if (found := progress.search(text)) is not None:
            if not seen:
                assert "Questions can be answered when it finishes" in text
                _shot(pg, tmp_path, "first-build-progress.png")
            seen.append(found)
        elif not text and _health(server["base"]).get("status") == "ok":
            break
        pg.wait_for_timeout(250)
    assert seen, "the page never showed the first build's progress"
    health = _health(server["base"])
    assert health["status"] == "ok", "the first build did not land in time"
    totals = {int(m[2].replace(",", "")) for m in seen}
    assert totals == {health["documents"]}, (totals, health["documents"])
    done = [int(m[1].replace(",", "")) for m in seen]
    # seen while it ran; "N of N" may show too while the build writes its files and swaps in
    assert done == sorted(done) and done[0] < health["documents"]

    example = EXAMPLES[0]
    assert "2022" in example
    pg.locator("button.gallery-item", has_text=example).click()
    expect(pg.get_by_label("Your question")).to_have_value(example, timeout=10_000)
    pg.locator("#ask-btn").click()
    table = pg.locator("#answer .list-table")
    table.wait_for(timeout=60_000)
    assert sorted(table.locator("td.item").all_inner_texts()) == GD_2022
    assert pg.locator("#answer .card.evidence").count() >= len(GD_2022)
    _shot(pg, tmp_path, "example-2022.png")

    pg.get_by_role("tab", name="Documents").click()
    counts = pg.locator("#collections")
    counts.wait_for(timeout=10_000)
    speeches = sum(1 for _ in (server["corpus"] / GD).rglob("*.txt"))
    assert f"{GD}: {speeches}" in counts.inner_text()
    assert f"of {health['documents']}" in pg.locator("#doc-page").inner_text()
    _shot(pg, tmp_path, "documents.png")
    assert _external(requests) == [], "the page must make no request to a non-loopback host"


def test_list_answer_and_open_cited_span(server: dict, page: tuple, tmp_path: Path) -> None:
    server["ready"]()
    pg, requests = page
    pg.goto(server["base"] + "/")
    pg.get_by_label("Your question").fill("Which states named focal points?")
    pg.locator("#ask-btn").click()
    table = pg.locator("#answer .list-table")
    table.wait_for(timeout=60_000)
    items = table.locator("td.item").all_inner_texts()
    assert sorted(items) == sorted(FOCAL_STATES + SPEECH_FOCAL_STATES)
    answer_text = pg.locator("#answer .answer-text").inner_text()
    assert all(state in answer_text for state in FOCAL_STATES + SPEECH_FOCAL_STATES)
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


def test_refusal_shows_related_apart(server: dict, page: tuple, tmp_path: Path) -> None:
    server["ready"]()
    pg, requests = page
    pg.goto(server["base"] + "/")
    pg.get_by_label("Your question").fill("What is the boiling point of mercury?")
    pg.locator("#ask-btn").click()
    pg.locator("#answer .refusal").wait_for(timeout=60_000)
    assert "No evidence in the corpus" in pg.locator("#answer .refusal").inner_text()
    assert pg.locator("#answer .card.evidence").count() == 0
    _shot(pg, tmp_path, "refusal.png")
    assert _external(requests) == []
