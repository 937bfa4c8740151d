"""Answer processes: /api/ask on every core.

An answer is mostly Python (question parsing, candidate features, lists) and holds the GIL,
so threads in one server answer on about one core however many there are. Each worker process
opens its own read-only SearchService from the same settings; a request carries the build the
server answers from, and a worker behind it opens the live build first, so an answer never comes
from an older index than the server's. Until every worker has loaded (a few seconds after
start), and while a dead one is replaced, the server answers in its own process; written
(generative) answers, which wait on a language model, always stay on the server's threads.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from indexer.models import Filters
from search_api.settings import ApiSettings

if TYPE_CHECKING:
    from search_api.service import SearchService

log = logging.getLogger(__name__)

PARENT_CHECK_S = 1.0
_service: SearchService | None = None  # a worker's own service, opened by _open


def _open(settings: ApiSettings, server: int, loaded: Any) -> None:
    """Worker start-up: load the model and open the index (once per process), then count
    itself in ``loaded`` (a shared integer)."""
    global _service
    from search_api.service import SearchService

    threading.Thread(target=_exit_with, args=(server,), daemon=True).start()
    _service = SearchService(settings)
    with loaded.get_lock():
        loaded.value += 1


def _exit_with(server: int) -> None:
    """End this worker when the server has gone, however it went (a killed server closes
    no queue, and its workers would wait for questions for ever)."""
    while os.getppid() == server:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _pid() -> int:
    return os.getpid()


def _ask(build: str, question: str, filters: Filters | None, k: int,
         mode: str | None) -> dict[str, Any]:
    assert _service is not None, "the worker's initializer opens the service"
    # the server swapped a build in: answer from it too (a worker already on a newer build
    # than the server's, which looks for one every second, stays on it)
    if _service.reader.name != build and _service.backend.live() != _service.reader.name:
        _service.reload()
    return _service.ask(question, filters, k, mode)


def shares_store(settings: ApiSettings) -> bool:
    """Several processes can open the store: the local index, or a Milvus server (a Milvus
    Lite file belongs to one process)."""
    return settings.store == "local" or str(settings.milvus_uri).startswith(("http://",
                                                                            "https://"))


def _log_failure(warm: Future) -> None:
    if (exc := warm.exception()) is not None:
        log.error("The answer processes did not start (%s); the server answers itself", exc)


class AnswerWorkers:
    """``n`` spawned processes that answer questions, each with its own SearchService."""

    def __init__(self, settings: ApiSettings, n: int) -> None:
        # the encoder's threads shared out: a question is a handful of tokens, and handing
        # them to a second thread cost more CPU than it saved (26.6 ms of worker CPU per
        # answer on one thread each, 32.5 on two, 8 clients on the 273 speeches)
        cores = os.cpu_count() or 1
        threads = settings.encoder_threads or max(1, cores // n)
        self.settings = settings.model_copy(update={"encoder_threads": threads})
        self.n = n
        self._restarting = threading.Lock()
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._loaded = context.Value("i", 0)
        self._pool = ProcessPoolExecutor(self.n, mp_context=context, initializer=_open,
                                         initargs=(self.settings, os.getpid(), self._loaded))
        # one task per worker makes the pool start them all; a failed start fails its task
        self._started: list[Future] = [self._pool.submit(_pid) for _ in range(self.n)]
        self._started[0].add_done_callback(_log_failure)

    def _failed(self) -> bool:
        return any(f.done() and f.exception() is not None for f in self._started)

    @property
    def loading(self) -> bool:
        """Some worker is still starting (and none failed to)."""
        return self._loaded.value < self.n and not self._failed()

    @property
    def ready(self) -> bool:
        """Every worker has loaded (a worker that failed to load leaves this False)."""
        return self._loaded.value >= self.n and not self._failed()

    def ask(self, build: str, question: str, filters: Filters | None, k: int,
            mode: str | None) -> dict[str, Any] | None:
        """The answer, or None when the pool broke (a worker died): it is started again, once
        however many requests saw it break, and the caller answers this one itself."""
        pool = self._pool
        try:
            return pool.submit(_ask, build, question, filters, k, mode).result()
        except BrokenProcessPool as exc:
            with self._restarting:
                if self._pool is pool:
                    log.error("An answer process died (%s); starting them again", exc)
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._start()
            return None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
