"""Answer processes (search_api/workers.py): spawned workers with the real model answer as the
server's own process does, from the server's build, and a dead worker costs no answer."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from conftest import seed_corpus

from indexer.errors import InvalidQueryError
from search_api.modes import Extractive
from search_api.service import SearchService, build, load_embedder
from search_api.settings import ApiSettings
from search_api.workers import shares_store

QUESTION = "Which states named focal points?"


def _ready(service: SearchService, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not (service.workers and service.workers.ready):
        assert time.monotonic() < deadline, "the answer processes did not load"
        time.sleep(0.2)


def _contract(answer: dict) -> dict:
    """The answer without its timings, which differ from run to run."""
    return {k: v for k, v in answer.items() if k != "timings_ms"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    """A seed index of its own, served with two answer processes (the settings' encoder, as
    the workers load it)."""
    folder = tmp_path_factory.mktemp("workers")
    corpus = folder / "corpus"
    shutil.copytree(seed_corpus(), corpus)
    settings = ApiSettings(index_dir=folder / "index", corpus_paths=[corpus],
                           upload_dir=folder / "uploads")
    embedder = load_embedder(settings)
    build(settings, [corpus], embedder=embedder)
    service = SearchService(settings, embedder=embedder)
    service.start_workers(2)
    _ready(service)
    try:
        yield service
    finally:
        service.close()


def test_a_worker_answers_as_the_server_would(served: SearchService) -> None:
    assert served.workers is not None
    with mock.patch.object(served.workers, "ask", wraps=served.workers.ask) as sent:
        answer = served.ask(QUESTION)
    sent.assert_called_once()
    assert _contract(answer) == _contract(Extractive(served.engine).ask(QUESTION, None, 5))
    assert len(answer["items"]) == 7  # the seven states
    health = served.health()
    assert (health["answer_processes"], health["answer_processes_loading"]) == (2, False)


def test_a_worker_answers_from_the_build_the_server_has_just_swapped_in(
        served: SearchService) -> None:
    corpus = served.settings.corpus_paths[0]
    (corpus / "kiribati-note.txt").write_text(
        "Kiribati appointed a national focal point for the Responsibility to Protect in "
        "the year 2031, the Ministry of Foreign Affairs said.\n")
    try:
        before = served.reader.manifest["corpus_version"]
        served.reindex([corpus])
        after = served.reader.manifest["corpus_version"]
        assert after != before
        answer = served.ask("When did Kiribati appoint a focal point?")
        assert answer["corpus_version"] == after  # not the worker's older build
        assert any("2031" in c["quote"] for c in answer["citations"])
    finally:
        (corpus / "kiribati-note.txt").unlink()
        served.reindex([corpus])


def test_a_dead_worker_costs_no_answer_and_the_processes_start_again(
        served: SearchService) -> None:
    assert served.workers is not None
    victim = served.workers._pool._processes  # the executor's own table: pid -> process
    os.kill(next(iter(victim)), signal.SIGKILL)
    time.sleep(0.5)
    answer = served.ask(QUESTION)  # answered by the server while the workers restart
    assert len(answer["items"]) == 7
    _ready(served)
    with mock.patch.object(served.workers, "ask", wraps=served.workers.ask) as sent:
        assert _contract(served.ask(QUESTION))["answer"] == answer["answer"]
    sent.assert_called_once()


def test_a_domain_error_keeps_its_hint_across_the_process_boundary() -> None:
    error = pickle.loads(pickle.dumps(InvalidQueryError("The filter is bad.", "Drop it.")))
    assert (type(error), error.message, error.hint) == (InvalidQueryError, "The filter is bad.",
                                                        "Drop it.")


def test_a_milvus_lite_file_is_answered_in_one_process(tmp_path: Path) -> None:
    lite = ApiSettings(store="milvus", milvus_uri=str(tmp_path / "m.db"))
    assert not shares_store(lite)
    assert shares_store(ApiSettings(store="milvus", milvus_uri="http://127.0.0.1:19530"))
    assert shares_store(ApiSettings())


def test_the_ui_s_extractive_answers_come_from_the_workers_too(served: SearchService) -> None:
    assert served.workers is not None
    with mock.patch.object(served.workers, "ask", wraps=served.workers.ask) as sent:
        streamed = list(served.ask_stream(QUESTION))
    sent.assert_called_once()
    assert [kind for kind, _ in streamed] == ["answer"]
    assert _contract(streamed[0][1]) == _contract(served.ask(QUESTION))


CHILD = """
import sys, time, psutil
from search_api.settings import ApiSettings
from search_api.workers import AnswerWorkers
workers = AnswerWorkers(ApiSettings(), 2)
while not workers.ready:
    time.sleep(0.1)
print(*[p.pid for p in psutil.Process().children(recursive=True)], flush=True)
time.sleep(600)
"""


def test_answer_processes_end_when_their_server_is_killed(served: SearchService) -> None:
    import subprocess
    import sys

    import psutil

    env = {**os.environ, "RTOP_INDEX_DIR": str(served.settings.index_dir)}
    server = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True,
                              env=env)
    assert server.stdout is not None
    pids = [int(p) for p in server.stdout.readline().split()]
    assert len(pids) >= 2  # the two workers (and multiprocessing's resource tracker)
    server.kill()  # no shutdown, no closed queue
    server.wait(10)
    deadline = time.monotonic() + 15
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
              for p in pids):
        assert time.monotonic() < deadline, "answer processes outlived their server"
        time.sleep(0.2)


def test_workers_that_cannot_load_leave_the_server_answering(tmp_path: Path, caplog) -> None:
    from search_api.workers import AnswerWorkers

    workers = AnswerWorkers(ApiSettings(index_dir=tmp_path / "no-index"), 1)
    try:
        deadline = time.monotonic() + 120
        while workers.loading:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert not workers.ready  # so SearchService.ask answers in its own process
    finally:
        workers.close()
    assert "did not start" in caplog.text


def test_a_written_answer_stays_on_a_server_thread(served: SearchService,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    class Writer:  # stands in for the generative mode, which waits on a language model
        def ask(self, text: str, filters: object, k: int) -> dict:
            return {"answer": "written"}

    monkeypatch.setattr(served, "answer_mode", lambda mode: Writer())
    assert served.workers is not None
    with mock.patch.object(served.workers, "ask") as sent:
        assert served.ask(QUESTION, mode="generative") == {"answer": "written"}
    sent.assert_not_called()
