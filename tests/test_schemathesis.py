"""Property-based run over the OpenAPI schema, spread evenly over every operation.

Each operation is its own test with the same number of generated cases (set
RTOP_SCHEMATHESIS_EXAMPLES for a long run, e.g. 1000). The server has a key and the cases send
it, so uploads and reindex get past the key check; uploads also go out with accepted file
names (schemathesis names a file part after its field, which the server rightly refuses).
No case may cause a server error, and every answer must match the documented schema.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from indexer.embed import HashEmbedder
from indexer.load import SUPPORTED_SUFFIXES
from search_api.app import create_app
from search_api.service import SearchService, build
from search_api.settings import ApiSettings

EXAMPLES_PER_OPERATION = int(os.environ.get("RTOP_SCHEMATHESIS_EXAMPLES", "30"))
KEY = {"Authorization": "Bearer s3cret"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
COUNTS: Counter[str] = Counter()
FIXED = {"GET /api/health", "GET /api/facets", "POST /api/reindex"}


@pytest.fixture(scope="module")
def app(tmp_path_factory, request):
    from conftest import seed_corpus

    tmp = tmp_path_factory.mktemp("schemathesis")
    settings = ApiSettings(index_dir=tmp / "index", corpus_paths=[seed_corpus()],
                           upload_dir=tmp / "uploads", api_key="s3cret", max_upload_mb=1)
    embedder = HashEmbedder()
    build(settings, [seed_corpus()], embedder=embedder)
    application = create_app(settings, service=SearchService(settings, embedder=embedder))
    yield application
    application.state.jobs.close()


@pytest.fixture(scope="module")
def schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations() -> list[str]:
    return ["GET /api/health", "GET /api/search", "POST /api/ask", "GET /api/documents",
            "GET /api/documents/{doc_id}", "GET /api/documents/{doc_id}/text",
            "GET /api/facets", "POST /api/documents", "POST /api/reindex",
            "GET /api/jobs/{job_id}"]


def test_the_list_covers_every_operation(schema):
    found = {f"{op.ok().method.upper()} {op.ok().path}" for op in schema.get_all_operations()}
    assert found == set(_operations())


ACCEPTED_NAME = st.builds(
    lambda stem, suffix: stem + suffix,
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 _()-]{0,60}", fullmatch=True).map(str.strip).filter(
        bool),
    st.sampled_from(sorted(SUPPORTED_SUFFIXES)))


@pytest.mark.parametrize("label", _operations())
def test_no_generated_request_breaks_the_contract(schema, app, label):
    method, path = label.split(" ")
    operation = schema[path][method]

    if label == "POST /api/documents":
        client = TestClient(app)

        @given(case=operation.as_strategy(), names=st.lists(ACCEPTED_NAME, min_size=1,
                                                             max_size=3))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check_upload(case, names):
            COUNTS[label] += 1
            parts = case.body.get("files") if isinstance(case.body, dict) else None
            contents = [p if isinstance(p, bytes) else str(p).encode() for p in (
                parts if isinstance(parts, list) else [parts])] or [b""]
            files = [("files", (name, contents[i % len(contents)]))
                     for i, name in enumerate(names)]
            response = client.post("/api/documents", files=files, headers=KEY)
            assert response.status_code in (202, 400, 413, 415), response.text
            assert set(response.json()) >= ({"id", "state"} if response.status_code == 202
                                            else {"error", "detail"})
            # the generated case itself (files named after their field) must not break either
            case.headers = {**(case.headers or {}), **KEY}
            case.call_and_validate(checks=CHECKS)

        check_upload()
    else:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            COUNTS[label] += 1
            case.headers = {**(case.headers or {}), **KEY}
            case.call_and_validate(checks=CHECKS)

        check()
    # an operation with nothing to vary (health, facets) has a single distinct case
    assert COUNTS[label] >= (1 if label in FIXED else min(EXAMPLES_PER_OPERATION, 10))
    print(f"\n{label}: {COUNTS[label]} cases")
