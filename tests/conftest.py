"""Shared fixtures: a fake embedder, the real bundled model, and a seed-corpus index."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.embed import HashEmbedder
from search_api.settings import ApiSettings as Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SHARED = ROOT.parent / "shared"
# corpus/ holds the default collection (seeds, 273 speeches, 902 resolutions); the tests that
# are not about the collection use the three seed pages and their catalog only
# the ONNX export of the bundled model, made once per test run (servers started by tests too)
os.environ.setdefault("RTOP_MODEL_CACHE", tempfile.mkdtemp(prefix="rtop-models-"))
SEED_FILES = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_file())


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_job(client, job_id: str, timeout: float = 120) -> dict:
    """Poll GET /api/jobs/{id} until the job has finished; its last state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["finished_at"] is not None:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


@functools.lru_cache(maxsize=1)
def seed_corpus() -> Path:
    """A folder with the three seed pages and their catalog, made once per test run."""
    target = Path(tempfile.mkdtemp(prefix="rtop-seeds-")) / "corpus"
    target.mkdir()
    for path in SEED_FILES:
        shutil.copy2(path, target / path.name)
    return target


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip saying why when the data is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs ../shared/{'/'.join(parts)} (the project's shared data), not present")
    return path


@pytest.fixture
def fake_embedder() -> HashEmbedder:
    return HashEmbedder()


@pytest.fixture(scope="session")
def real_embedder():
    from indexer.embed import SentenceTransformerEmbedder
    from indexer.settings import bundled_model_path

    return SentenceTransformerEmbedder(bundled_model_path())


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the seed corpus that a test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(seed_corpus(), target)
    return target


@pytest.fixture
def seeds_and_notes(tmp_path: Path, seed_copy: Path):
    """Index two collections, the seed copy ("corpus") and ``n`` one-line notes ("notes"),
    with the hash embedder; returns the settings and a service over them."""
    from search_api.service import SearchService, build

    def make(n: int):
        notes = tmp_path / "notes"
        notes.mkdir()
        for i in range(n):
            (notes / f"note-{i}.txt").write_text(f"Note {i} on the Responsibility to Protect.\n")
        settings = Settings(index_dir=tmp_path / "index", corpus_paths=[seed_copy, notes])
        build(settings, [seed_copy, notes], embedder=HashEmbedder())
        return settings, SearchService(settings, embedder=HashEmbedder())

    return make


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Settings:
    """The seed corpus indexed once with the real model."""
    from search_api.service import build

    index_dir = tmp_path_factory.mktemp("seed-index")
    settings = Settings(index_dir=index_dir, corpus_paths=[seed_corpus()],
                        upload_dir=index_dir / "uploads")
    build(settings, [seed_corpus()], embedder=real_embedder)
    return settings


@pytest.fixture(scope="session")
def milvus_seed_settings(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Settings:
    """The seed corpus indexed once with the real model into an embedded Milvus Lite file."""
    from search_api.service import build

    folder = tmp_path_factory.mktemp("milvus-seed")
    settings = Settings(index_dir=folder / "index", corpus_paths=[seed_corpus()],
                        upload_dir=folder / "uploads", store="milvus",
                        milvus_uri=str(folder / "milvus.db"))
    build(settings, [seed_corpus()], embedder=real_embedder)
    return settings


@pytest.fixture(scope="session", params=["local", "milvus"])
def store_service(request: pytest.FixtureRequest, real_embedder):
    """A service over the seed index of each store: the tests of retrieval and answers that
    take it run against both."""
    from search_api.service import SearchService

    name = "seed_settings" if request.param == "local" else "milvus_seed_settings"
    return SearchService(request.getfixturevalue(name), embedder=real_embedder)


@pytest.fixture(scope="session")
def seed_service(seed_settings: Settings, real_embedder):
    from search_api.service import SearchService

    return SearchService(seed_settings, embedder=real_embedder)


@pytest.fixture
def page(server: dict) -> Iterator[tuple]:
    """Debian's chromium on a page, with every request it makes recorded (``server`` is the
    browser test module's own fixture)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium (/usr/bin/chromium) is missing: run `make test`, which "
                    "installs it (Playwright never downloads a browser of its own).")
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
