"""The UI's Documents tab and build display, over a real (hash-embedded) index: pages, filters,
counts per collection, and what the display says before, during and after a build."""

from __future__ import annotations

import pytest

from indexer.errors import RtopError
from ui import handlers, viewer
from ui.handlers import ANY, Handlers


@pytest.fixture
def ui(seeds_and_notes):
    _, service = seeds_and_notes(7)
    return Handlers(lambda: service)


def test_pages_walk_the_list_and_stop_at_the_last(ui, monkeypatch):
    monkeypatch.setattr(handlers, "DOC_PAGE", 4)
    table, label, counts, picks, page = ui.documents(ANY, ANY, ANY, ANY, 0)
    assert "Documents 1–4 of 10" in label and page == 0 and len(picks) == 4
    assert "corpus: 3" in counts and "notes: 7" in counts
    _, label, _, last_picks, page = ui.documents(ANY, ANY, ANY, ANY, 2)
    assert "Documents 9–10 of 10" in label and page == 2 and len(last_picks) == 2
    _, label, _, _, page = ui.documents(ANY, ANY, ANY, ANY, 7)  # past the end: the last page
    assert page == 2 and "Documents 9–10 of 10" in label
    seen = set()
    for p in range(3):
        seen |= {doc_id for _, doc_id in ui.documents(ANY, ANY, ANY, ANY, p)[3]}
    assert len(seen) == 10


def test_filters_narrow_the_list_and_counts_stay_per_collection(ui):
    table, label, counts, picks, _ = ui.documents("notes", ANY, ANY, ANY, 0)
    assert "of 7" in label and all("note" in t.lower() for t, _ in picks)
    assert "corpus: 3" in counts  # the other collections stay offered
    _, label, _, picks, _ = ui.documents(ANY, "blog-post", ANY, ANY, 0)
    assert "of 1" in label and len(picks) == 1
    table, label, _, picks, _ = ui.documents(ANY, ANY, "Ghana", ANY, 0)
    assert picks == [] and "No document matches" in table
    assert ui.collections() == [("Any collection", ANY), ("corpus (3)", "corpus"),
                                ("notes (7)", "notes")]
    with pytest.raises(RtopError, match="Unknown state"):
        ui.documents(ANY, ANY, "Atlantis", ANY, 0)


def test_build_display_before_during_and_after():
    first = {"status": "building", "index_loaded": False, "message": "m", "hint": "h",
             "job": {"kind": "startup", "progress": {"documents_done": 64,
                                                      "documents_total": 1178,
                                                      "chunks_done": 2048,
                                                      "eta_seconds": 1500.0}}}
    html = viewer.build_status_html(first)
    assert "Building the first index: 64 of 1,178 documents, 2,048 passages embedded" in html
    assert "about 25 min left" in html and "when it finishes" in html
    update = {**first, "status": "ok", "index_loaded": True}
    assert "previous index" in viewer.build_status_html(update)
    starting = {"status": "starting", "index_loaded": False, "job": None,
                "message": "The service is starting.", "hint": "Try again."}
    assert "The service is starting." in viewer.build_status_html(starting)
    failed = {"status": "failed", "index_loaded": False, "job": None,
              "message": "There is no index: disk full.", "hint": "Fix it."}
    assert "disk full" in viewer.build_status_html(failed)
    assert viewer.build_status_html({"status": "ok", "index_loaded": True, "job": None}) == ""


def test_without_an_index_the_tabs_say_why_instead_of_failing():
    health = {"status": "building", "index_loaded": False, "job": {"progress": {
        "documents_done": 0, "documents_total": 5, "chunks_done": 0}},
        "message": "The first index is being built: 0 of 5 documents done.",
        "hint": "Try again when /api/health says status ok."}
    ui = Handlers(lambda: None, get_health=lambda: health)
    assert ui.facets()["state"] == [("Any state", ANY)]
    assert ui.documents(ANY, ANY, ANY, ANY, 0)[3] == []
    banner, version = ui.build_status()
    assert "0 of 5 documents" in banner and version is None
    assert "0 of 5 documents" in ui.overview()[0]
    with pytest.raises(RtopError, match="first index is being built"):
        list(ui.ask("Which states named focal points?", ANY, ANY, ANY, ANY))
