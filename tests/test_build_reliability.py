"""Builds that survive bad files, each other and being killed (issue 10: defects 2, 3, resume)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from indexer import load, pipeline
from indexer.embed import HashEmbedder
from indexer.errors import BuildCancelledError, IndexBusyError
from indexer.pipeline import build_index
from indexer.reader import IndexReader
from indexer.store import build_lock, current_build

ROOT = Path(__file__).resolve().parents[1]
HTML = ("<html><head><title>Focal points</title></head><body><main><p>Ghana named a national "
        "focal point for the Responsibility to Protect in 2011.</p></main></body></html>")


def test_any_exception_while_fingerprinting_is_reported_for_that_file(seed_copy, tmp_path,
                                                                      fake_embedder,
                                                                      monkeypatch):
    # defect 2: a missing library (ImportError) in the fingerprint step aborted the whole build
    (seed_copy / "page.html").write_text(HTML)
    real_load = load.load

    def broken_html(path: Path):
        if path.suffix == ".html":
            raise ModuleNotFoundError("No module named 'lxml_html_clean'")
        return real_load(path)

    monkeypatch.setattr(load, "load", broken_html)
    report = build_index([seed_copy], tmp_path / "index", fake_embedder)
    assert report.documents_total == 3
    [failed] = report.failed
    assert failed["doc_id"] == "page" and "lxml_html_clean" in failed["reason"]
    # once the library is there, the unchanged file is retried, not reported from memory
    monkeypatch.setattr(load, "load", real_load)
    again = build_index([seed_copy], tmp_path / "index", fake_embedder)
    assert again.failed == [] and again.added == ["page"] and again.documents_total == 4


def test_a_second_build_exits_at_once_and_leaves_the_first_alone(seed_copy, tmp_path,
                                                                fake_embedder):
    # defect 3: a starting build deleted every unfinished build folder, the running one's too
    index = tmp_path / "index"
    running = index / "builds" / "20990101T000000000000-1"
    running.mkdir(parents=True)
    (running / "index.sqlite").write_bytes(b"being written")
    with build_lock(index), pytest.raises(IndexBusyError, match="Another build is running"):
        build_index([seed_copy], index, fake_embedder)
    assert (running / "index.sqlite").read_bytes() == b"being written"
    assert current_build(index) is None


def test_the_lock_of_a_killed_build_is_recovered(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    code = ("import sys, time; from pathlib import Path; from indexer.store import build_lock\n"
            "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True)\n"
            "    time.sleep(60)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(index)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexBusyError, match=r"pid \d+"):
            build_index([seed_copy], index, fake_embedder)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert build_index([seed_copy], index, fake_embedder).documents_total == 3


def _many_documents(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"note-{i:03d}.txt").write_text(
            f"Note {i}. State number {i} named a focal point for the Responsibility to Protect. "
            f"It reported on early warning and prevention in year {1990 + i}.\n")
    return folder


def test_a_stopped_build_resumes_from_its_finished_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 4)
    corpus = _many_documents(tmp_path / "corpus", 20)
    index = tmp_path / "index"
    calls = []

    def stop_after_two_batches() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(BuildCancelledError):
        build_index([corpus], index, HashEmbedder(), should_stop=stop_after_two_batches)
    assert current_build(index) is None
    progress = []
    report = build_index([corpus], index, HashEmbedder(), on_progress=progress.append)
    assert report.documents_total == 20 and len(report.added) == 20
    assert [p["documents_done"] for p in progress] == [8, 12, 16, 20]  # 8 kept from before
    fresh = build_index([corpus], tmp_path / "fresh", HashEmbedder())
    assert report.chunks_embedded == fresh.chunks_embedded - 8  # two batches of four reused
    assert report.corpus_version == fresh.corpus_version
    reader = IndexReader(index)
    assert reader.vectors.ntotal == reader.counts()["chunks"] == fresh.chunks_total
    assert not list(current_build(index).glob("batch-*"))


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from indexer import pipeline
    from indexer.embed import HashEmbedder

    class DiesOnThirdBatch(HashEmbedder):
        calls = 0
        def embed_with_spans(self, texts, spans, *, progress=False):
            DiesOnThirdBatch.calls += 1
            if DiesOnThirdBatch.calls == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return super().embed_with_spans(texts, spans, progress=progress)

    pipeline.BATCH_DOCUMENTS = 4
    pipeline.build_index([Path(sys.argv[1])], Path(sys.argv[2]), DiesOnThirdBatch())
""")


def test_a_killed_build_resumes_and_keeps_the_live_index(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 4)
    corpus = _many_documents(tmp_path / "corpus", 6)
    index = tmp_path / "index"
    build_index([corpus], index, HashEmbedder())
    live = current_build(index)
    _many_documents(tmp_path / "more", 20)
    for f in (tmp_path / "more").iterdir():
        f.rename(corpus / f"more-{f.name}")
    killed = subprocess.run([sys.executable, "-c", KILLER, str(corpus), str(index)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert killed.returncode == -signal.SIGKILL
    assert current_build(index) == live and IndexReader(index).counts()["documents"] == 6
    report = build_index([corpus], index, HashEmbedder())
    assert len(report.added) == 20 and report.documents_total == 26
    # 20 new documents in batches of 4: the first two batches were kept, three were left
    assert report.chunks_embedded == sum(
        IndexReader(index).document_chunk_count(d) for d in sorted(report.added)[8:])
    reader = IndexReader(index)
    assert reader.vectors.ntotal == reader.counts()["chunks"]
