"""Both stores behind one interface: the local folder (SQLite + FAISS) and Milvus (a real
Milvus Lite, embedded from a file; no mock of the engine). Each test builds with the hash
embedder into its own temporary store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from indexer.embed import HashEmbedder
from indexer.models import Filters
from indexer.reader import IndexReader
from indexer.stores import open_backend
from search_api.service import SearchService, build
from search_api.settings import ApiSettings as Settings


def settings_for(store: str, folder: Path, corpus: Path) -> Settings:
    extra = {"store": "milvus", "milvus_uri": str(folder / "milvus.db")} if store == "milvus" \
        else {}
    return Settings(index_dir=folder / "index", corpus_paths=[corpus], **extra)


@pytest.fixture(params=["local", "milvus"])
def store(request: pytest.FixtureRequest, tmp_path: Path, seed_copy: Path) -> Settings:
    """Settings of one store over a private seed copy, built once with the hash embedder."""
    settings = settings_for(request.param, tmp_path, seed_copy)
    build(settings, [seed_copy], embedder=HashEmbedder())
    return settings


@pytest.fixture
def pair(tmp_path: Path, seed_copy: Path):
    """The seed copy built into both stores: (local reader, milvus reader)."""
    local = settings_for("local", tmp_path / "local", seed_copy)
    milvus = settings_for("milvus", tmp_path / "milvus", seed_copy)
    for settings in (local, milvus):
        build(settings, [seed_copy], embedder=HashEmbedder())
    return local, milvus


@pytest.fixture
def readers(pair):
    """(local reader, milvus reader) of the same corpus."""
    return tuple(open_backend(settings).reader() for settings in pair)


def test_both_stores_hold_the_same_documents_passages_and_sentences(readers):
    local, milvus = readers
    assert isinstance(local, IndexReader)
    assert local.counts() == milvus.counts()
    assert local.manifest["corpus_version"] == milvus.manifest["corpus_version"]
    ids = list(range(1, local.counts()["chunks"] + 1))
    assert local.chunks(ids) == milvus.chunks(ids)
    chunk_ids = [c.chunk_id for c in local.chunks(ids).values()]
    ls, ms = local.sentences(chunk_ids), milvus.sentences(chunk_ids)
    assert [s[:3] for s in ls] == [s[:3] for s in ms] and len(ls) > len(chunk_ids)
    assert all(np.allclose(a[3], b[3], atol=1e-3) for a, b in zip(ls, ms, strict=True))
    assert np.allclose(local.chunk_vectors(ids[:5]), milvus.chunk_vectors(ids[:5]), atol=1e-6)
    for doc_id in local.documents(0, 10)[1]:
        assert local.document(doc_id.doc_id) == milvus.document(doc_id.doc_id)
    docs = [d.doc_id for d in local.documents(0, 10)[1]]
    assert local.metas(docs) == milvus.metas(docs)
    assert local.documents(1, 2) == milvus.documents(1, 2)
    assert local.documents(0, 5, {"doc_type": "blog-post"}) == \
        milvus.documents(0, 5, {"doc_type": "blog-post"})
    for column in ("doc_type", "source", "year"):
        assert local.distinct(column) == milvus.distinct(column)
        assert local.count_by(column) == milvus.count_by(column)
    first = local.chunks([1])[1]
    assert local.following([(first.doc_id, 0)], 2) == milvus.following([(first.doc_id, 0)], 2)
    assert [c.ordinal for c in milvus.following([(first.doc_id, 0)], 2).values()] == [1, 2]


def test_dense_search_and_its_filters_agree(readers):
    local, milvus = readers
    vector = HashEmbedder().embed(["focal points for the responsibility to protect"])[0]
    assert [i for i, _ in local.search_dense(vector, 8)] == \
        [i for i, _ in milvus.search_dense(vector, 8)]
    doc = local.chunks([1])[1].doc_id
    meta = local.metas([doc])[doc]
    for filters in (Filters(doc_type=meta.doc_type), Filters(doc_ids=(doc,)),
                    Filters(year_from=2100), Filters(language="fr"), Filters(source="corpus")):
        assert [i for i, _ in local.search_dense(vector, 30, filters)] == \
            [i for i, _ in milvus.search_dense(vector, 30, filters)], filters


def test_the_local_filter_arrays_allow_the_rows_the_sql_filter_does(seeds_and_notes):
    settings, _ = seeds_and_notes(5)
    reader = IndexReader(settings.index_dir)
    metas = reader.metas([d.doc_id for d in reader.documents(0, 50)[1]])
    doc, meta = next((d, m) for d, m in metas.items() if m.year is not None)
    cases = [Filters(), Filters(doc_type=meta.doc_type), Filters(doc_ids=(doc, "nope")),
             Filters(year_from=meta.year), Filters(year_to=meta.year - 1),
             Filters(year_from=meta.year, year_to=meta.year, source="corpus"),
             Filters(language="en"), Filters(language="fr"), Filters(source="notes"),
             Filters(state_iso3="GHA"), Filters(symbol="S/RES/1"), Filters(year_from=2100)]
    for filters in cases:
        where, args = reader._where(filters)
        sql = [r[0] for r in reader.db.execute(
            f"SELECT c.id FROM chunks c JOIN documents d USING(doc_id) WHERE {where} "
            "ORDER BY c.id", args)]
        assert reader.allowed_ids(filters).tolist() == sql, filters
    assert reader.allowed_ids(Filters(source="notes")).size == 5  # one chunk per note
    assert reader.allowed_ids(Filters(year_from=2100)).size == 0


def test_lexical_search_matches_the_same_stemmed_words(readers):
    local, milvus = readers
    for query in ("focal points", "protecting populations", "Côte", "genocide prevention"):
        lo, mi = local.search_lexical(query, 100), milvus.search_lexical(query, 100)
        assert {i for i, _ in lo} == {i for i, _ in mi}, query  # every chunk holding a word
    for term in ("protecting", "protect", "focal", "carbonara", "focal point"):
        assert local.doc_freq(term) == milvus.doc_freq(term), term
    assert local.doc_freq("protecting") > 0 and milvus.doc_freq("carbonara") == 0
    words = ["protecting", "carbonara", "focal", "securty", "security"]
    assert local.held_words(words) == milvus.held_words(words) == {
        w for w in words if local.doc_freq(w) > 0}
    phrase = ("responsibility to protect",)
    lo = {i for i, _ in local.search_lexical("", 100, phrases=phrase)}
    mi = {i for i, _ in milvus.search_lexical("", 100, phrases=phrase)}
    assert lo == mi and lo
    words = {i for i, _ in milvus.search_lexical("protect responsibility", 100)}
    assert words > mi  # chunks with both words but not the phrase are left out


def test_an_answer_is_the_same_from_either_store(pair):
    answers = [SearchService(settings, embedder=HashEmbedder()).ask(
        "Which states named focal points?") for settings in pair]
    assert answers[0]["citations"] and answers[0]["citations"] == answers[1]["citations"]
    assert answers[0]["answer"] == answers[1]["answer"]


def test_an_incremental_build_keeps_what_did_not_change(store: Settings, seed_copy: Path):
    backend = open_backend(store)
    before = backend.reader()
    first = sorted(backend.fingerprints())
    (seed_copy / "note.txt").write_text("A new note on the Responsibility to Protect and "
                                        "carbonara diplomacy.\n")
    report = build(store, [seed_copy], embedder=HashEmbedder())
    assert len(report.added) == 1
    assert report.chunks_embedded == 1 and report.unchanged == len(first)
    after = backend.reader()
    assert after.name != before.name and after.counts()["documents"] == len(first) + 1
    assert after.doc_freq("carbonara") == 1 and before.doc_freq("carbonara") == 0
    assert before.counts()["documents"] == len(first)  # the old build still reads as it was
    (seed_copy / "note.txt").unlink()
    report = build(store, [seed_copy], embedder=HashEmbedder())
    assert report.removed and sorted(backend.fingerprints()) == first


def test_a_stopped_build_resumes_where_it_stopped(tmp_path: Path, seed_copy: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    from indexer import pipeline
    from indexer.errors import BuildCancelledError

    for i in range(6):
        (seed_copy / f"n{i}.txt").write_text(f"Note {i} on the Responsibility to Protect.\n")
    monkeypatch.setattr(pipeline, "BATCH_DOCUMENTS", 3)
    settings = settings_for("milvus", tmp_path, seed_copy)
    calls = iter([False, True])
    with pytest.raises(BuildCancelledError):
        build(settings, [seed_copy], embedder=HashEmbedder(), should_stop=lambda: next(calls))
    assert open_backend(settings).live() is None  # nothing is visible before the commit
    report = build(settings, [seed_copy], embedder=HashEmbedder())
    assert report.chunks_embedded < report.chunks_total  # the first batch was not redone
    whole = settings_for("local", tmp_path / "whole", seed_copy)
    assert report.corpus_version == build(whole, [seed_copy],
                                          embedder=HashEmbedder()).corpus_version


def test_a_service_opens_a_build_another_process_made(store: Settings, seed_copy: Path):
    service = SearchService(store, embedder=HashEmbedder())
    version = service.health()["corpus_version"]
    (seed_copy / "note.txt").write_text("A note on the Responsibility to Protect.\n")
    build(store, [seed_copy], embedder=HashEmbedder())  # as another replica would
    service._checked -= service.FRESH_S  # the next request looks for a new build
    assert service.health()["corpus_version"] != version


def test_a_lite_file_open_in_another_process_gives_a_clear_message(tmp_path: Path,
                                                                    seed_copy: Path):
    settings = settings_for("milvus", tmp_path, seed_copy)
    build(settings, [seed_copy], embedder=HashEmbedder())
    held = open_backend(settings)  # this process keeps the file open
    code = ("from indexer.stores import open_backend; from indexer.settings import Settings; "
            f"open_backend(Settings(store='milvus', milvus_uri={settings.milvus_uri!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "StoreUnavailableError" in result.stderr and "milvus-lite server" in result.stderr
    assert held.live() is not None


def test_milvus_needs_a_uri():
    with pytest.raises(ValueError, match="RTOP_MILVUS_URI"):
        Settings(store="milvus")


def test_a_build_whose_collections_were_released_is_read_and_extended(tmp_path: Path,
                                                                      seed_copy: Path):
    settings = settings_for("milvus", tmp_path, seed_copy)
    build(settings, [seed_copy], embedder=HashEmbedder())
    backend = open_backend(settings)
    for name in backend.client.list_collections():  # as a new process finds a Lite file
        backend.client.release_collection(name)
    held = backend.fingerprints()
    assert held and open_backend(settings).reader().counts()["documents"] == len(held)
    (seed_copy / "note.txt").write_text("A note on the Responsibility to Protect.\n")
    assert build(settings, [seed_copy], embedder=HashEmbedder()).added


def test_from_hnsw_min_vectors_on_milvus_searches_a_graph_index(pair, tmp_path: Path,
                                                                 seed_copy: Path):
    settings = settings_for("milvus", tmp_path / "hnsw", seed_copy).model_copy(
        update={"hnsw_min_vectors": 1})
    build(settings, [seed_copy], embedder=HashEmbedder())
    graph, exact = open_backend(settings).reader(), open_backend(pair[0]).reader()
    assert graph.approximate and graph.manifest["store"]["dense_index"] == "HNSW"
    vector = HashEmbedder().embed(["focal points"])[0]
    assert [i for i, _ in graph.search_dense(vector, 5)] == \
        [i for i, _ in exact.search_dense(vector, 5)]


def test_parity_says_how_two_answers_differ():
    from eval.stores import MemoEmbedder, differences_of

    def answer(text, labels, cited):
        return {"answer": text, "items": [{"label": x} for x in labels],
                "citations": [{"doc_id": d, "char_start": s} for d, s in cited]}

    a = answer("2 states", ["Ghana", "Peru"], [("g", 0), ("p", 5)])
    assert differences_of(a, a) == []
    assert differences_of(a, answer("2 states", ["Peru", "Ghana"], [("p", 5), ("g", 0)])) == \
        ["items order", "cited order"]
    assert differences_of(a, answer("x", ["Ghana"], [("g", 9), ("p", 5)])) == \
        ["answer", "items ['Peru'] / []", "quotes"]
    inner = HashEmbedder()
    memo = MemoEmbedder(inner)
    first = memo.embed_with_spans(["a b c", "d"], [[(0, 1)], [(0, 1)]])
    again = memo.embed_with_spans(["d"], [[(0, 1)]])
    assert np.array_equal(first[0][1], again[0][0]) and len(memo.memo) == 2


def test_chunks_kept_in_memory_read_as_chunks_read_afresh(seeds_and_notes, monkeypatch):
    import indexer.reader

    settings, _ = seeds_and_notes(30)
    reader, fresh = (open_backend(settings).reader() for _ in range(2))
    n = reader.counts()["chunks"]
    monkeypatch.setattr(indexer.reader, "CHUNK_CACHE", 8)  # most reads below miss the memory
    for ids in ([3, 1, 2], [2, 3, 5, 5, 4], list(range(n, 0, -1)), [1, n + 7], [n, 2]):
        got = reader.chunks(ids)
        assert list(got) == sorted(set(ids) & set(range(1, n + 1)))  # id order, once each
        assert got == {i: fresh.chunks([i])[i] for i in got}
    assert len(reader._chunk_cache) == 8
