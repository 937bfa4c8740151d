"""The bench's build measurements: a sample of a corpus, progress seen from outside a build,
and the comparison of a resumed build with an uninterrupted one."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import scale
from indexer import pipeline
from indexer.embed import HashEmbedder
from indexer.errors import BuildCancelledError
from indexer.pipeline import build_index


def _speeches(folder: Path, n: int) -> Path:
    for i in range(n):
        year = 2005 + i % 4
        session = folder / f"Session {60 + i % 4} - {year}"
        session.mkdir(parents=True, exist_ok=True)
        (session / f"S{i:02d}_{60 + i % 4}_{year}.txt").write_text(
            f"Speech {i}. We support the responsibility to protect, said state {i}.\n")
    return folder


def test_a_sample_takes_every_kth_document_with_its_folders(tmp_path):
    corpus = _speeches(tmp_path / "corpus", 12)
    sample = scale.sample_corpus(corpus, tmp_path / "sample", 4)
    got = sorted(p.relative_to(sample).as_posix() for p in sample.rglob("*.txt"))
    # discovered in path order (S00 S04 S08 in session 60, S01 S05 S09 in 61, ...): every third
    assert got == ["Session 60 - 2005/S00_60_2005.txt", "Session 61 - 2006/S01_61_2006.txt",
                   "Session 62 - 2007/S02_62_2007.txt", "Session 63 - 2008/S03_63_2008.txt"]
    assert (sample / got[0]).read_text() == (corpus / got[0]).read_text()


def test_a_sample_of_a_corpus_given_by_a_relative_path(tmp_path, monkeypatch):
    _speeches(tmp_path / "corpus", 6)
    monkeypatch.chdir(tmp_path)
    sample = scale.sample_corpus(Path("corpus"), tmp_path / "sample", 2)
    assert len(list(sample.rglob("*.txt"))) == 2


def test_progress_is_read_from_the_unfinished_build(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 4)
    corpus = _speeches(tmp_path / "corpus", 12)
    index = tmp_path / "index"
    assert scale._finished_documents(index) == 0  # no build yet
    batches = []

    def after_two_batches() -> bool:
        batches.append(1)
        return len(batches) > 2

    with pytest.raises(BuildCancelledError):
        build_index([corpus], index, HashEmbedder(), should_stop=after_two_batches)
    assert scale._finished_documents(index) == 8  # two finished batches of four
    assert scale._document_count(corpus) == 12
    build_index([corpus], index, HashEmbedder())
    assert scale._finished_documents(index) == 0  # finished: nothing under way


def test_builds_are_compared_chunk_by_chunk_and_vector_by_vector(tmp_path):
    corpus = _speeches(tmp_path / "corpus", 6)
    build_index([corpus], tmp_path / "a", HashEmbedder())
    build_index([corpus], tmp_path / "b", HashEmbedder())
    assert scale._digest(tmp_path / "a") == scale._digest(tmp_path / "b")
    assert scale._vector_difference(tmp_path / "a", tmp_path / "b") == 0.0
    build_index([corpus], tmp_path / "c", _Halved())
    assert scale._vector_difference(tmp_path / "a", tmp_path / "c") > 0
    (corpus / "Session 60 - 2005" / "S00_60_2005.txt").write_text("Another speech entirely.\n")
    build_index([corpus], tmp_path / "d", HashEmbedder())
    assert scale._digest(tmp_path / "a") != scale._digest(tmp_path / "d")


class _Halved(HashEmbedder):
    """The hash embedder's vectors at half length: other vectors for the same chunks."""

    def embed_with_spans(self, texts, spans, *, progress=False):  # noqa: ANN001, ANN201
        vectors, parts = super().embed_with_spans(texts, spans, progress=progress)
        return vectors / 2, parts
