"""Background jobs: index builds run one at a time on a worker thread, never on the event loop.

A job is queued, then running, then done or failed (or cancelled at shutdown). Its progress
(documents and chunks done) and its result (the per-file report) are read with ``get``.
"""

from __future__ import annotations

import itertools
import logging
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from indexer.errors import BuildCancelledError, RtopError

log = logging.getLogger(__name__)
KEEP_JOBS = 200  # finished jobs remembered for GET /api/jobs/{id}


@dataclass
class Job:
    """One queued build and what is known about it."""

    id: str
    kind: str
    files: list[str] = field(default_factory=list)
    state: str = "queued"
    progress: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class StopRequested:
    """Tells a running build to stop at its next batch (a callable for ``should_stop``)."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def __call__(self) -> bool:
        return self.event.is_set()


Work = Callable[[Job, Callable[[dict[str, Any]], None], StopRequested], dict[str, Any]]


class JobQueue:
    """A FIFO of jobs and one daemon worker thread that runs them in order."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._work: dict[str, Work] = {}
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self.stop = StopRequested()
        self._thread = threading.Thread(target=self._run, name="rtop-jobs", daemon=True)
        self._thread.start()

    def submit(self, kind: str, work: Work, files: list[str] | None = None) -> Job:
        """Queue ``work``; it runs after every job queued before it."""
        if self.stop():
            raise RtopError("The server is shutting down.", "Send the request again later.")
        job = Job(id=f"{next(self._counter)}-{secrets.token_hex(4)}", kind=kind,
                  files=files or [])
        with self._lock:
            self._jobs[job.id] = job
            self._work[job.id] = work
            self._forget_old()
        self._queue.put(job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def active(self) -> Job | None:
        """The running job, else the oldest queued one, else None."""
        with self._lock:
            jobs = [j for j in self._jobs.values() if j.state in ("running", "queued")]
        running = [j for j in jobs if j.state == "running"]
        return (running or jobs or [None])[0]

    def wait(self, job_id: str, timeout: float | None = None) -> Job | None:
        """Block until the job has finished (for the UI and tests); None if unknown."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while (job := self.get(job_id)) is not None and job.finished_at is None:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return job

    def close(self, timeout: float = 5.0) -> None:
        """Ask the running build to stop (its batches are kept) and let the worker go."""
        self.stop.event.set()
        self._queue.put(None)
        self._thread.join(timeout)
        with self._lock:
            for job in self._jobs.values():
                if job.state == "queued":
                    job.state, job.finished_at = "cancelled", time.time()

    def _run(self) -> None:
        while (job_id := self._queue.get()) is not None:
            job, work = self.get(job_id), self._work.pop(job_id, None)
            if job is None or work is None or job.state != "queued":
                continue
            if self.stop():
                job.state, job.finished_at = "cancelled", time.time()
                continue
            job.state, job.started_at = "running", time.time()
            try:
                job.result = work(job, lambda p, job=job: _set_progress(job, p), self.stop)
                job.state = "done"
            except BuildCancelledError as exc:
                job.state, job.error = "cancelled", {"error": exc.message, "detail": exc.hint}
            except RtopError as exc:
                job.state, job.error = "failed", {"error": exc.message, "detail": exc.hint}
            except Exception:  # a job never takes the worker down
                log.exception("Job %s failed", job.id)
                job.state = "failed"
                job.error = {"error": "Internal error", "detail": "The error was logged."}
            job.finished_at = time.time()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished_at is not None]
        for job in sorted(finished, key=lambda j: j.finished_at or 0)[:-KEEP_JOBS]:
            del self._jobs[job.id]


def _set_progress(job: Job, update: dict[str, Any]) -> None:
    # a new dict, assigned at once: readers in other threads never see one being changed
    job.progress = {**job.progress, **update}
