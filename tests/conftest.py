"""Shared fixtures: a fake embedder, the real bundled model, and a seed-corpus index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.embed import HashEmbedder
from search_api.settings import ApiSettings as Settings

ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


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
    shutil.copytree(SEED_CORPUS, target)
    return target


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Settings:
    """The seed corpus indexed once with the real model."""
    from search_api.service import build

    index_dir = tmp_path_factory.mktemp("seed-index")
    settings = Settings(index_dir=index_dir, corpus_paths=[SEED_CORPUS],
                        upload_dir=index_dir / "uploads")
    build(settings, [SEED_CORPUS], embedder=real_embedder)
    return settings


@pytest.fixture(scope="session")
def seed_service(seed_settings: Settings, real_embedder):
    from search_api.service import SearchService

    return SearchService(seed_settings, embedder=real_embedder)
