"""The API edge (issue 10: defects 1, 4-7): jobs, key and size before the body, file names,
CORS, one error body everywhere. Offline: a hash embedder stands in for the model."""

from __future__ import annotations

import asyncio

import pytest
from conftest import wait_for_job
from fastapi.testclient import TestClient

from indexer.embed import HashEmbedder
from rtop_search.server import create_server_app
from search_api.app import create_app
from search_api.service import SearchService, build
from search_api.settings import ApiSettings

KEY = {"Authorization": "Bearer s3cret"}


@pytest.fixture
def settings(tmp_path, seed_copy) -> ApiSettings:
    settings = ApiSettings(index_dir=tmp_path / "index", corpus_paths=[seed_copy],
                           upload_dir=seed_copy / "uploads", api_key="s3cret", max_upload_mb=1)
    build(settings, [seed_copy], embedder=HashEmbedder())
    return settings


@pytest.fixture
def service(settings) -> SearchService:
    return SearchService(settings, embedder=HashEmbedder())


@pytest.fixture
def client(settings, service):
    with TestClient(create_app(settings, service=service)) as c:
        yield c


@pytest.fixture
def server_client(settings, service):
    """The served app: API plus the Gradio UI mounted at /."""
    with TestClient(create_server_app(settings, service=service)) as c:
        yield c



# defect 1: uploads and reindex are background jobs


def test_upload_is_a_job_with_progress_and_a_per_file_report(client):
    files = [("files", ("kenya.txt", b"Kenya named a focal point in 2012.", "text/plain")),
             ("files", ("broken.pdf", b"%PDF-1.4 not really", "application/pdf"))]
    response = client.post("/api/documents", files=files, headers=KEY)
    assert response.status_code == 202, response.text
    queued = response.json()
    assert queued["kind"] == "upload" and queued["files"] == ["kenya.txt", "broken.pdf"]
    job = wait_for_job(client, queued["id"])
    assert job["state"] == "done", job
    assert job["progress"]["documents_done"] == job["progress"]["documents_total"] == 2
    outcome = {f["file"]: f["status"] for f in job["result"]["files"]}
    assert outcome == {"kenya.txt": "indexed", "broken.pdf": "failed"}
    assert client.get("/api/health").json()["documents"] == 4


def test_jobs_run_one_at_a_time_in_order(client):
    ids = [client.post("/api/reindex", headers=KEY).json()["id"] for _ in range(3)]
    jobs = [wait_for_job(client, i) for i in ids]
    assert all(j["state"] == "done" for j in jobs)
    for before, after in zip(jobs, jobs[1:], strict=False):
        assert before["finished_at"] <= after["started_at"]


def test_unknown_job_is_a_404_without_echoing_a_long_id(client):
    response = client.get("/api/jobs/" + "x" * 60)
    assert response.status_code == 404 and "xxxxxxxxxx" * 6 not in response.text
    assert client.get("/api/jobs/" + "x" * 10_000).status_code == 422


# defect 4: key and size are checked before the body is read


def _raw_post(app, headers: dict[str, str], body_chunks: int = 0) -> tuple[int, int, dict]:
    """POST /api/documents straight through ASGI; returns status, body reads, error body."""
    import json

    reads = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal reads
        reads += 1
        if reads <= body_chunks:
            head = (b'--xyz\r\nContent-Disposition: form-data; name="files"; '
                    b'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n')
            return {"type": "http.request", "more_body": True,
                    "body": (head if reads == 1 else b"") + b"x" * 1024 * 1024}
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/api/documents", "raw_path":
             b"/api/documents", "query_string": b"", "root_path": "",
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, reads, json.loads(body)


MULTIPART = {"Content-Type": "multipart/form-data; boundary=xyz"}


def test_no_key_is_refused_before_the_body_is_read(client):
    status, reads, body = _raw_post(client.app, {**MULTIPART,
                                                 "Content-Length": str(200 * 1024 * 1024)})
    assert (status, reads) == (403, 0) and "API key" in body["error"]


def test_too_large_is_refused_from_content_length_before_reading(client):
    status, reads, body = _raw_post(client.app, {**MULTIPART, **KEY,
                                                 "Content-Length": str(200 * 1024 * 1024)})
    assert (status, reads) == (413, 0) and "1 MB" in body["error"]


def test_a_body_without_length_is_cut_off_at_the_limit(client):
    status, reads, body = _raw_post(client.app, {**MULTIPART, **KEY}, body_chunks=50)
    assert status == 413 and reads <= 3 and "1 MB" in body["error"]


def test_the_key_only_counts_as_bearer(client):
    files = {"files": ("a.txt", b"Some text.", "text/plain")}
    for value in ("s3cret", "Basic s3cret", "bearer s3cret", "Bearer  wrong"):
        response = client.post("/api/documents", files=files, headers={"Authorization": value})
        assert response.status_code == 403, value
        assert response.json()["detail"] == "Send the header 'Authorization: Bearer " \
                                            "<RTOP_API_KEY>'."


# defect 5: odd file names are a 400 with a message


@pytest.mark.parametrize("name, words", [
    ("a" * 300 + ".txt", "longer than 255 bytes"),
    ("é" * 130 + ".txt", "longer than 255 bytes"),
    ("bad\x07name.txt", "control or direction"),
    ("evil\u202etxt.exe.txt", "control or direction"),
    ("%2e%2e%2fevil.txt", "path parts"),
    ("..%2Fevil.txt", "path parts"),
    ("..%5cevil.txt", "path parts"),
])
def test_odd_file_names_are_refused_with_a_message(client, name, words):
    response = client.post("/api/documents", files={"files": (name, b"text", "text/plain")},
                           headers=KEY)
    assert response.status_code == 400, response.text
    body = response.json()
    assert words in body["error"] and body["detail"] and len(response.text) < 600


def test_connection_is_usable_after_a_refused_upload(client):
    bad = client.post("/api/documents", files={"files": ("a" * 300 + ".txt", b"x")},
                      headers=KEY)
    assert bad.status_code == 400
    assert client.get("/api/health").status_code == 200


# defect 6: CORS exactly as configured, the UI included


@pytest.mark.parametrize("path", ["/api/search", "/api/documents", "/", "/config"])
def test_no_origin_is_allowed_by_default(server_client, path):
    response = server_client.options(path, headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-credentials" not in response.headers
    simple = server_client.get("/api/health", headers={"Origin": "http://localhost:3000"})
    assert "access-control-allow-origin" not in simple.headers


def test_a_configured_origin_is_allowed(settings, service):
    settings = settings.model_copy(update={"cors_origins": ["https://rtop.example.org"]})
    with TestClient(create_server_app(settings, service=service)) as c:
        ok = c.options("/api/search", headers={"Origin": "https://rtop.example.org",
                                               "Access-Control-Request-Method": "GET"})
        assert ok.headers["access-control-allow-origin"] == "https://rtop.example.org"
        other = c.options("/", headers={"Origin": "http://localhost:3000",
                                        "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in other.headers


# defect 7: one error body, as documented


def test_unknown_routes_and_wrong_methods_use_the_error_body(server_client):
    for method, path, status in [("GET", "/api/nope", 404), ("TRACE", "/api/search", 405),
                                 ("DELETE", "/api/documents", 405), ("PUT", "/api/ask", 405),
                                 ("TRACE", "/api/health", 405), ("GET", "/no/such/page", 404)]:
        response = server_client.request(method, path)
        assert response.status_code == status, (method, path, response.text)
        assert set(response.json()) == {"error", "detail"}, (method, path)
    assert "GET" in server_client.request("TRACE", "/api/search").headers["allow"]


def test_malformed_json_names_the_problem_not_a_position(client):
    response = client.post("/api/ask", content=b'{"question": "x",, }',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["field"] == "body" and "not valid JSON" in detail["message"]


def test_long_ids_are_not_echoed_whole(client):
    long_id = "d" * 10_000
    for path in (f"/api/documents/{long_id}", f"/api/documents/{long_id}/text"):
        response = client.get(path)
        assert response.status_code in (404, 422) and len(response.text) < 1000
    unknown = client.get("/api/documents/" + "e" * 150)
    assert unknown.status_code == 404 and len(unknown.text) < 600


def test_openapi_documents_every_error_with_the_error_body(client):
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error_ref = "#/components/schemas/ErrorOut"
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            for status in ("400", "422"):
                content = op["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"] == error_ref, (method, path, status)
    assert schema["paths"]["/api/documents"]["post"]["responses"].keys() >= {"202", "413", "415"}


def test_a_422_body_matches_its_schema(client):
    from pydantic import TypeAdapter

    from search_api.schemas import ErrorOut

    response = client.get("/api/search", params={"q": "x", "k": 99})
    assert response.status_code == 422
    TypeAdapter(ErrorOut).validate_python(response.json(), strict=False)
    assert ErrorOut.model_validate(response.json()).detail[0].field == "k"


def test_ui_uploads_run_as_jobs_on_the_same_queue(settings, service, tmp_path):
    from rtop_search.server import upload_indexer
    from search_api import uploads

    app = create_server_app(settings, service=service)
    source = tmp_path / "ui-note.txt"
    source.write_text("Kenya named a focal point in 2012.")
    saved = uploads.copy_file(source, settings)
    result = upload_indexer(app, settings)([saved])
    assert result["files"] == [{"file": "ui-note.txt", "status": "indexed"}]
    assert app.state.jobs.active() is None and service.health()["documents"] == 4
    app.state.jobs.close()


def test_the_ui_refuses_files_over_the_limit_too(server_client):
    big = b"a" * (1024 * 1024 + 10)
    response = server_client.post("/gradio_api/upload", files={"files": ("big.txt", big)})
    assert response.status_code == 413, response.text
    small = server_client.post("/gradio_api/upload", files={"files": ("small.txt", b"ok")})
    assert small.status_code == 200, small.text


def test_an_html_file_that_cannot_be_read_never_breaks_later_uploads(client, monkeypatch):
    # defect 2: with trafilatura unimportable, one .html upload made every later build a 500
    from indexer import load

    real = load.load

    def no_html(path):
        if path.suffix == ".html":
            raise ModuleNotFoundError("No module named 'lxml_html_clean'")
        return real(path)

    monkeypatch.setattr(load, "load", no_html)
    page = b"<html><body><main><p>Ghana named a focal point.</p></main></body></html>"
    first = client.post("/api/documents", files={"files": ("page.html", page)}, headers=KEY)
    job = wait_for_job(client, first.json()["id"])
    assert job["state"] == "done" and job["result"]["files"][0]["status"] == "failed"
    assert "lxml_html_clean" in job["result"]["files"][0]["reason"]
    later = client.post("/api/documents", headers=KEY,
                        files={"files": ("later.txt", b"Kenya named a focal point in 2012.")})
    job = wait_for_job(client, later.json()["id"])
    assert job["state"] == "done" and job["result"]["files"] == [
        {"file": "later.txt", "status": "indexed"}]
    assert wait_for_job(client, client.post("/api/reindex", headers=KEY).json()["id"])[
        "state"] == "done"
