"""Index builds: incremental, crash-safe, and never stopped by one bad document."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from indexer.embed import HashEmbedder
from indexer.errors import IndexMismatchError, IndexNotFoundError
from indexer.pipeline import build_index
from indexer.reader import IndexReader
from indexer.store import current_build


def test_second_run_on_unchanged_corpus_embeds_nothing(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    first = build_index([seed_copy], index, fake_embedder)
    assert first.documents_total == 3 and first.chunks_embedded == first.chunks_total > 0
    build = current_build(index)
    second = build_index([seed_copy], index, fake_embedder)
    assert second.chunks_embedded == 0 and second.unchanged == 3
    assert current_build(index) == build  # no new build was written
    assert second.corpus_version == first.corpus_version


def test_changed_document_is_reembedded_and_removed_one_leaves(seed_copy, tmp_path,
                                                               fake_embedder):
    index = tmp_path / "index"
    build_index([seed_copy], index, fake_embedder)
    blog = seed_copy / "003_3f566241155dd1d5.txt"
    blog.write_text(blog.read_text() + "\nA new closing sentence about early warning.\n")
    (seed_copy / "002_423d1d41a8c1cda4.txt").unlink()
    report = build_index([seed_copy], index, fake_embedder)
    assert report.updated == ["003_3f566241155dd1d5"]
    assert report.removed == ["002_423d1d41a8c1cda4"]
    assert report.added == []
    reader = IndexReader(index)
    assert reader.counts()["documents"] == 2
    assert "early warning" in reader.document("003_3f566241155dd1d5").text
    assert reader.vectors.ntotal == reader.counts()["chunks"]
    embedded_only_blog = reader.documents()[1]
    assert {d.doc_id for d in embedded_only_blog} == {"000_6cbf8074917a557a",
                                                      "003_3f566241155dd1d5"}
    assert report.chunks_embedded == reader.document_chunk_count("003_3f566241155dd1d5")


def test_rebuild_starts_over(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    first = build_index([seed_copy], index, fake_embedder)
    again = build_index([seed_copy], index, fake_embedder, rebuild=True)
    assert again.chunks_embedded == first.chunks_total
    assert again.corpus_version == first.corpus_version


def _bad_files(folder: Path) -> dict[str, str]:
    """One file of each bad kind; returns name -> a word the reason must contain."""
    from fpdf import FPDF

    (folder / "empty.txt").write_text("   \n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf\n%%EOF")
    (folder / "latin1.txt").write_bytes("Caf\xe9 \x81\x8d\x8f\x90 d\x9d".encode("latin-1"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="A secret report on early warning.")
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.output(str(folder / "encrypted.pdf"))
    scanned = FPDF()
    scanned.add_page()
    scanned.rect(20, 20, 100, 50, style="F")  # a page with no text layer
    scanned.output(str(folder / "scanned.pdf"))
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04")
    return {"empty.txt": "no text", "binary.txt": "binary", "corrupt.pdf": "damaged",
            "encrypted.pdf": "password", "scanned.pdf": "OCR needed", "latin1.txt": "UTF-8"}


def test_bad_files_are_reported_and_the_rest_indexed(seed_copy, tmp_path, fake_embedder):
    expected = _bad_files(seed_copy)
    report = build_index([seed_copy], tmp_path / "index", fake_embedder)
    assert report.documents_total == 3  # the seeds are all indexed
    failed = {Path(f["path"]).name: f for f in report.failed}
    assert set(failed) == set(expected)
    for name, word in expected.items():
        assert word.lower() in failed[name]["reason"].lower(), failed[name]
        assert failed[name]["hint"], f"{name}: no hint on what to do"
    assert [Path(s["path"]).name for s in report.skipped] == ["table.xlsx"]
    saved = json.loads((current_build(tmp_path / "index") / "build_report.json").read_text())
    assert {Path(f["path"]).name for f in saved["failed"]} == set(failed)


def test_unchanged_bad_files_are_reported_again_without_a_new_build(seed_copy, tmp_path,
                                                                    fake_embedder):
    _bad_files(seed_copy)
    first = build_index([seed_copy], tmp_path / "index", fake_embedder)
    build = current_build(tmp_path / "index")
    second = build_index([seed_copy], tmp_path / "index", fake_embedder)
    assert current_build(tmp_path / "index") == build
    assert {f["path"] for f in second.failed} == {f["path"] for f in first.failed}


class ExplodingEmbedder(HashEmbedder):
    def embed_with_spans(self, texts, spans, *, progress=False):
        raise RuntimeError("power cut")


def test_failed_build_leaves_previous_index_intact(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build_index([seed_copy], index, fake_embedder)
    before = IndexReader(index).counts()
    (seed_copy / "new.txt").write_text("A new statement on early warning and atrocity prevention.")
    with pytest.raises(RuntimeError):
        build_index([seed_copy], index, ExplodingEmbedder())
    reader = IndexReader(index)
    assert reader.counts() == before
    assert len(list((index / "builds").iterdir())) == 1


KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from indexer.embed import HashEmbedder
    from indexer.pipeline import build_index

    class Slow(HashEmbedder):
        def embed_with_spans(self, texts, spans, *, progress=False):
            Path(sys.argv[3]).write_text("embedding")
            time.sleep(60)

    build_index([Path(sys.argv[1])], Path(sys.argv[2]), Slow())
""")


def test_kill_9_mid_build_leaves_previous_index_readable(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build_index([seed_copy], index, fake_embedder)
    before = IndexReader(index)
    (seed_copy / "new.txt").write_text("A statement on the responsibility to protect.")
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(seed_copy), str(index),
                             str(marker)])
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), "the build never reached embedding"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(list((index / "builds").iterdir())) == 2  # the half-written build is left over
    reader = IndexReader(index)
    assert reader.path == before.path and reader.counts() == before.counts()
    hits = reader.search_lexical("focal points", 5)
    assert hits
    report = build_index([seed_copy], index, fake_embedder)  # the next build cleans up
    assert report.added == ["new"]
    assert len(list((index / "builds").iterdir())) == 2  # old + new; the stray one is gone


def test_reader_refuses_an_index_of_another_model(seed_copy, tmp_path, fake_embedder):
    build_index([seed_copy], tmp_path / "index", fake_embedder)
    with pytest.raises(IndexMismatchError, match="rebuild"):
        IndexReader(tmp_path / "index", expected_fingerprint="another-model")
    with pytest.raises(IndexNotFoundError, match="rtop-search index"):
        IndexReader(tmp_path / "nowhere")


def test_index_with_another_model_is_rebuilt_not_mixed(seed_copy, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build_index([seed_copy], index, fake_embedder)
    other = HashEmbedder(dim=32)
    report = build_index([seed_copy], index, other)
    assert report.chunks_embedded == report.chunks_total
    assert IndexReader(index, other.fingerprint).vectors.d == 32
