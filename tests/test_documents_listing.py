"""GET /api/documents: paging, filters (collection, type, year, state) and counts per collection."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from search_api.app import create_app


@pytest.fixture
def client(seeds_and_notes):
    settings, service = seeds_and_notes(5)
    with TestClient(create_app(settings, service=service)) as c:
        yield c


def test_pages_cover_every_document_once(client):
    seen, offset = [], 0
    while True:
        page = client.get("/api/documents", params={"offset": offset, "limit": 3}).json()
        assert page["total"] == 8 and len(page["documents"]) <= 3
        if not page["documents"]:
            break
        seen += [d["doc_id"] for d in page["documents"]]
        offset += 3
    assert len(seen) == len(set(seen)) == 8 and seen == sorted(seen)


def test_filters_and_counts_per_collection(client):
    everything = client.get("/api/documents").json()
    assert everything["collections"] == {"corpus": 3, "notes": 5}
    notes = client.get("/api/documents", params={"collection": "notes", "limit": 2}).json()
    assert notes["total"] == 5 and len(notes["documents"]) == 2
    assert {d["source"] for d in notes["documents"]} == {"notes"}
    assert notes["collections"] == {"corpus": 3, "notes": 5}  # the other collections stay offered
    blogs = client.get("/api/documents", params={"type": "blog-post"}).json()
    assert blogs["total"] == 1 and blogs["collections"] == {"corpus": 1}
    assert blogs["documents"][0]["doc_type"] == "blog-post"
    dated = client.get("/api/documents", params={"year": 2011}).json()
    assert dated["total"] == 1 and dated["documents"][0]["year"] == 2011
    none = client.get("/api/documents", params={"state": "Ghana"}).json()
    assert none["total"] == 0 and none["documents"] == [] and none["collections"] == {}


@pytest.mark.parametrize("params, field", [
    ({"state": "Atlantis"}, "Unknown state"), ({"year": 1500}, "year"), ({"limit": 0}, "limit"),
    ({"colour": "red"}, "colour"),
])
def test_bad_listing_parameters_are_a_422_naming_them(client, params, field):
    response = client.get("/api/documents", params=params)
    assert response.status_code == 422 and field in response.json()["error"]
