"""Speed and size, measured side by side in one run: indexing vs the raw encoder, unchanged
re-index, HTTP latency (1 and 8 clients) with a stage breakdown, server memory, exact vs ANN."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

QUERIES = [
    "focal points on the responsibility to protect", "atrocity prevention", "Libya 2011",
    "early warning of genocide", "Security Council veto restraint", "Costa Rica",
    "World Summit Outcome 2005 paragraphs 138 and 139", "ethnic cleansing", "Syria civilians",
    "International Criminal Court", "responsibility while protecting", "Group of Friends",
]
QUESTIONS = [
    "Which states named focal points?",
    "What did Croatia say about the responsibility to protect in 2021?",
    "Which states referred to the Responsibility to Protect in the 2022 General Debate?",
    "How did Nicaragua describe the responsibility to protect in 2011?",
    "What is the responsibility to protect?", "What did Brazil say about Libya?",
]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def index_throughput(corpus: Path, embedder: Any, work: Path) -> dict[str, Any]:
    """A build from scratch in its own process (time, peak memory), the bare encoder on a
    sample of the very same chunk texts, and an unchanged re-index."""
    from eval.scale import measure_build
    from indexer.pipeline import build_index
    from indexer.reader import IndexReader

    index = work / "bench-index"
    shutil.rmtree(index, ignore_errors=True)
    built = measure_build(corpus, index)
    reader = IndexReader(index)
    texts = _sample_texts(index, THROUGHPUT_SAMPLE)
    started = time.perf_counter()
    embedder.embed(texts)
    encoder_chunks_per_s = len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    again = build_index([corpus], index, embedder)
    unchanged_s = time.perf_counter() - started
    return {
        **built, "pipeline_s": built["seconds"],
        "encoder_sample": len(texts), "pipeline_chunks_per_s": built["chunks_per_s"],
        "encoder_chunks_per_s": round(encoder_chunks_per_s, 1),
        "throughput_ratio": round(built["chunks_per_s"] / encoder_chunks_per_s, 3),
        "reindex_unchanged_s": round(unchanged_s, 3),
        "reindex_embedded": again.chunks_embedded, "index_dir": str(index),
        "approximate": reader.approximate,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(index: Path) -> tuple[subprocess.Popen, str, float]:
    """A server on the index; also the seconds from process start to its first answer."""
    port = _free_port()
    started = time.perf_counter()
    exe = Path(sys.executable).with_name("rtop-search")
    # --no-build: serve the index just measured, not a build of the configured corpus
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--index-dir", str(index), "--no-build"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            health = httpx.get(f"{base}/api/health", timeout=2)
            if health.status_code == 200 and health.json().get("status") == "ok":
                first = httpx.post(f"{base}/api/ask", json={"question": QUESTIONS[0]}, timeout=60)
                first.raise_for_status()
                return proc, base, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the server did not start within 120 s")


def _answer_processes_loaded(base: str, timeout: float = 300) -> None:
    """Wait while the server's answer processes load (the server answers meanwhile)."""
    import httpx

    deadline = time.monotonic() + timeout
    while httpx.get(f"{base}/api/health", timeout=10).json().get("answer_processes_loading"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the answer processes did not load within {timeout:.0f} s")
        time.sleep(0.5)


def _load(base: str, kind: str, clients: int, texts: list[str], queries: str
          ) -> dict[str, Any]:
    """``len(texts)`` requests from ``clients`` threads; ``queries`` says what the texts are.

    The threads share one HTTP client (kept-alive connections, as API callers hold them): a
    client made per request took 29 ms of CPU each, on the two cores the server answers
    with."""
    import httpx

    def one(text: str) -> tuple[float, dict[str, float]]:
        started = time.perf_counter()
        if kind == "search":
            r = http.get("/api/search", params={"q": text, "k": 10})
        else:
            r = http.post("/api/ask", json={"question": text})
        elapsed = (time.perf_counter() - started) * 1000
        r.raise_for_status()
        return elapsed, r.json().get("timings_ms", {})

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    with httpx.Client(base_url=base, timeout=60, limits=limits) as http, \
            ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, texts))
    latencies = [ms for ms, _ in results]
    stages: dict[str, float] = {}
    for _, timings in results:
        for stage, ms in timings.items():
            stages[stage] = stages.get(stage, 0.0) + ms
    total = sum(latencies)
    return {"endpoint": kind, "clients": clients, "requests": len(texts), "queries": queries,
            "p50_ms": round(median(latencies), 2), "p95_ms": round(percentile(latencies, 95), 2),
            "share": {k: round(v / total, 3) for k, v in sorted(stages.items())}}


def http_latency(index: Path, requests: int = 120) -> dict[str, Any]:
    """p50/p95 of /api/search and /api/ask over HTTP, 1 and 8 clients; server RSS after.

    "distinct": every request a different evaluation question, as users ask (nothing cached
    for it yet: query vector, sentences); "repeated": a dozen queries or six questions over
    and over (the caches warm)."""
    import psutil

    from eval.scale import eval_questions

    pool = eval_questions()
    order = np.random.default_rng(0).permutation(len(pool))
    fresh = iter([pool[i] for i in order])
    proc, base, cold_start_s = _start_server(index)
    try:
        _answer_processes_loaded(base)  # measured from here: nothing else is loading
        for kind in ("search", "ask"):  # warm-up: the process, not the questions measured
            _load(base, kind, 1, [next(fresh) for _ in range(6)], "distinct")
        rows = []
        for kind, repeated in (("search", QUERIES), ("ask", QUESTIONS)):
            for clients in (1, 8):
                rows.append(_load(base, kind, clients, [next(fresh) for _ in range(requests)],
                                  "distinct"))
                rows.append(_load(base, kind, clients,
                                  [repeated[i % len(repeated)] for i in range(requests)],
                                  "repeated"))
        server = psutil.Process(proc.pid)
        workers = server.children(recursive=True)  # the answer processes
        rss = [p.memory_info().rss for p in [server, *workers]]
        return {"rows": rows, "server_rss_mb": round(sum(rss) / 2**20, 1),
                "server_main_rss_mb": round(rss[0] / 2**20, 1), "server_processes": len(rss),
                "cold_start_s": round(cold_start_s, 2)}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def run_bench(corpus: Path, ann_sizes: tuple[int, ...], requests: int = 120,
              baseline_sample: int = 0, resume: bool = True,
              work_dir: Path | None = None, resume_whole: bool = False) -> dict[str, Any]:
    """Everything in one run; figures only, no assertions.

    ``baseline_sample``: compare the build with the torch baseline on that many of the
    corpus's documents (0: on all of it); ``resume``: kill a build of those documents (with
    ``resume_whole``, of the whole corpus) halfway and check that the rerun ends where an
    uninterrupted build does; ``work_dir``: keep the builds there (default: a temporary
    folder, removed after).
    """
    from eval.ann_bench import recommend_index, run_ann_bench
    from eval.prompt_budget import prompt_budget
    from eval.scale import (
        ann_on_corpus,
        build_speedup,
        compare_encoders,
        resume_check,
        sample_corpus,
    )
    from indexer.embed import SentenceTransformerEmbedder
    from indexer.settings import Settings
    from search_api.service import load_embedder

    settings = Settings()
    embedder = load_embedder(settings)
    with _work_folder(work_dir) as work:
        indexing = index_throughput(corpus, embedder, work)
        index = Path(indexing["index_dir"])
        sample = sample_corpus(corpus, work / "sample", baseline_sample) if baseline_sample \
            else corpus
        speed = build_speedup(sample, work)
        latency = http_latency(index, requests)
        prompt = prompt_budget(index, embedder, QUESTIONS)
        texts = _sample_texts(index, ENCODER_SAMPLE)
        torch = embedder if embedder.backend == "torch" else SentenceTransformerEmbedder(
            settings.resolved_model_path(), settings.model_name, settings.embed_batch_size)
        encoder = compare_encoders(embedder, torch, texts, QUERIES + QUESTIONS)
        ann_corpus = ann_on_corpus(index, embedder)
        # last: what it checks is the result, not a time
        resumed = None if not resume else resume_check(corpus, work, index) if resume_whole \
            else resume_check(sample, work, work / "speed-configured")
    ann = run_ann_bench(sizes=ann_sizes) if ann_sizes else []
    result = {"corpus": str(corpus), "indexing": indexing, "build_speedup": speed,
              "resume": resumed, "latency": latency, "ann": ann,
              "prompt": prompt, "encoder": encoder, "ann_corpus": ann_corpus,
              "ann_recommendation": recommend_index(ann) if ann else "",
              "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    return {**summary(result), **result}


@contextlib.contextmanager
def _work_folder(work_dir: Path | None) -> Iterator[Path]:
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="rtop-bench-") as tmp:
            yield Path(tmp)
    else:
        for name in ("bench-index", "sample", "speed-configured", "speed-baseline", "resumed"):
            shutil.rmtree(work_dir / name, ignore_errors=True)  # a bench measures fresh builds
        work_dir.mkdir(parents=True, exist_ok=True)
        yield work_dir


ENCODER_SAMPLE = 1000  # chunk texts both encoders embed for the speed and cosine comparison
THROUGHPUT_SAMPLE = 2000  # chunk texts the bare encoder embeds to compare with the pipeline


def _sample_texts(index: Path, n: int) -> list[str]:
    from indexer.reader import IndexReader

    rows = IndexReader(index).db.execute("SELECT text FROM chunks ORDER BY id")
    texts = [r[0] for r in rows]
    step = max(1, len(texts) // n)
    return texts[::step][:n]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The headline figures under short names (index.*, search/ask/ask8, serve; encoder.* is
    the encoder comparison itself)."""
    i = result["indexing"]
    rows = {(r["endpoint"], r["clients"], r.get("queries", "repeated")): r
            for r in result["latency"]["rows"]}
    pick = {"search": ("search", 1, "distinct"), "ask": ("ask", 1, "distinct"),
            "ask8": ("ask", 8, "distinct"), "search8": ("search", 8, "distinct"),
            "search_repeated": ("search", 1, "repeated"), "ask_repeated": ("ask", 1, "repeated"),
            "ask8_repeated": ("ask", 8, "repeated")}
    return {
        "index": {"documents": i["documents"], "chunks": i["chunks"], "seconds": i["seconds"],
                  "chunks_per_s": i["chunks_per_s"], "peak_rss_mb": i["peak_rss_mb"],
                  "approximate": i["approximate"],
                  "speedup_vs_torch": result["build_speedup"]["speedup_vs_torch"],
                  "speedup_documents": result["build_speedup"]["documents"]},
        "resume": None if result["resume"] is None else {
            k: result["resume"][k] for k in ("same_corpus_version", "same_chunks",
                                             "max_vector_difference")},
        **{name: {"p50_ms": rows[key]["p50_ms"], "p95_ms": rows[key]["p95_ms"]}
           for name, key in pick.items()},
        "serve": {"rss_mb": result["latency"]["server_rss_mb"],
                  "main_rss_mb": result["latency"]["server_main_rss_mb"],
                  "processes": result["latency"]["server_processes"]},
        "cold_start_s": result["latency"]["cold_start_s"],
    }
