"""The job queue: one job at a time, in order; a failing job never stops the worker."""

from __future__ import annotations

import threading

import pytest

from indexer.errors import BuildCancelledError, RtopError
from search_api.jobs import JobQueue


def test_jobs_run_in_order_one_at_a_time_and_report_progress():
    queue, running, seen = JobQueue(), threading.Lock(), []

    def work(n):
        def run(job, progress, stop):
            assert running.acquire(blocking=False), "two jobs at once"
            try:
                progress({"documents_done": n})
                seen.append(n)
                return {"n": n}
            finally:
                running.release()
        return run

    jobs = [queue.submit("reindex", work(n)) for n in range(5)]
    done = [queue.wait(j.id, 10) for j in jobs]
    assert seen == [0, 1, 2, 3, 4]
    assert [(j.state, j.result, j.progress) for j in done] == [
        ("done", {"n": n}, {"documents_done": n}) for n in range(5)]
    queue.close()


def test_failures_are_recorded_and_the_worker_goes_on():
    queue = JobQueue()

    def domain(job, progress, stop):
        raise RtopError("Another build is running.", "Wait.")

    def bug(job, progress, stop):
        raise ValueError("boom")

    first, second = queue.submit("reindex", domain), queue.submit("reindex", bug)
    third = queue.submit("reindex", lambda job, progress, stop: {"ok": True})
    assert queue.wait(first.id, 10).error == {"error": "Another build is running.",
                                              "detail": "Wait."}
    assert queue.wait(second.id, 10).error["error"] == "Internal error"
    assert queue.wait(third.id, 10).state == "done"
    queue.close()


def test_close_stops_the_running_job_and_cancels_the_queued_ones():
    queue, started = JobQueue(), threading.Event()

    def long_build(job, progress, stop):
        started.set()
        while not stop():
            stop.event.wait(0.01)
        raise BuildCancelledError("The build was stopped before it finished.")

    running = queue.submit("reindex", long_build)
    waiting = queue.submit("reindex", long_build)
    assert started.wait(5)
    queue.close(timeout=5)
    assert queue.get(running.id).state == "cancelled"
    assert queue.get(waiting.id).state == "cancelled"
    with pytest.raises(RtopError, match="shutting down"):
        queue.submit("reindex", long_build)
