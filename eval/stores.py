"""The two stores side by side on one corpus: build time, search/ask latency (1 and 8 clients)
and answer parity on the question set. Everything runs in one process, one store after the
other, with the same model; the passages are embedded once and both stores write the same
vectors, so the build figures compare what the stores themselves cost."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

from eval.bench import QUERIES, QUESTIONS, percentile

STORES = ("local", "milvus")
SPEECHES = "un-general-debate-r2p"


class MemoEmbedder:
    """An embedder that embeds each (passage, sentence spans) once and replays it after."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.fingerprint, self.dim = inner.name, inner.fingerprint, inner.dim
        self.max_tokens, self.backend = inner.max_tokens, inner.backend
        self.memo: dict[tuple[str, tuple], tuple[np.ndarray, np.ndarray]] = {}

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self.inner.embed(texts, progress=progress)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def embed_with_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]],
                         *, progress: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
        keys = [(t, tuple(s)) for t, s in zip(texts, spans, strict=True)]
        todo = [i for i, key in enumerate(keys) if key not in self.memo]
        if todo:
            vectors, sentences = self.inner.embed_with_spans(
                [texts[i] for i in todo], [spans[i] for i in todo], progress=progress)
            for row, i in enumerate(todo):
                self.memo[keys[i]] = (vectors[row], sentences[row])
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32), []
        return (np.stack([self.memo[k][0] for k in keys]), [self.memo[k][1] for k in keys])


def parity_corpus(corpus: Path, work: Path) -> Path:
    """The seeds (with their catalog) and the 273 General Debate speeches, in one folder."""
    target = work / "seeds-and-speeches"
    if not target.is_dir():
        target.mkdir(parents=True)
        for path in corpus.iterdir():
            if path.is_file() and path.name != "README.md":
                shutil.copy2(path, target / path.name)
        shutil.copytree(corpus / SPEECHES, target / SPEECHES)
    return target


def store_settings(store: str, work: Path, corpus: Path, milvus_uri: str | None = None) -> Any:
    from search_api.settings import ApiSettings

    extra = {"store": "milvus", "milvus_uri": milvus_uri or str(work / "milvus" / "milvus.db")} \
        if store == "milvus" else {}
    return ApiSettings(index_dir=work / f"{store}-index", corpus_paths=[corpus], **extra)


def build_stores(corpus: Path, work: Path, embedder: Any, stores: Sequence[str] = STORES,
                 milvus_uri: str | None = None) -> dict[str, dict[str, Any]]:
    """Each store built from scratch; the first build also embeds (timed apart)."""
    from search_api.service import build

    memo = MemoEmbedder(embedder)
    started = time.perf_counter()
    first = build(store_settings(stores[0], work / "embed-pass", corpus), [corpus],
                  embedder=memo, rebuild=True)
    embed_s = time.perf_counter() - started
    out = {}
    for store in stores:
        settings = store_settings(store, work, corpus, milvus_uri)
        started = time.perf_counter()
        report = build(settings, [corpus], embedder=memo, rebuild=True)
        write_s = time.perf_counter() - started
        data = Path(settings.milvus_uri) if store == "milvus" and milvus_uri is None \
            else settings.index_dir
        out[store] = {"settings": settings, "documents": report.documents_total,
                      "chunks": report.chunks_total, "corpus_version": report.corpus_version,
                      "store_s": round(write_s, 2), "disk_mb": disk_mb(data)}
    shutil.rmtree(work / "embed-pass", ignore_errors=True)
    embed_only = max(0.0, embed_s - out[stores[0]]["store_s"])
    for row in out.values():  # the same embedding cost for every store, measured once
        row["seconds"] = round(embed_only + row["store_s"], 2)
        row["chunks_per_s"] = round(row["chunks"] / row["seconds"], 1)
    assert first.chunks_total == out[stores[0]]["chunks"]
    return out


def disk_mb(path: Path) -> float:
    """What a store's folder (or Milvus Lite file) holds on disk, in MB."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def latency(service: Any, requests: int) -> dict[str, dict[str, float]]:
    """p50/p95 of search and ask through the service, with 1 and 8 clients."""
    def timed(kind: str, i: int) -> float:
        started = time.perf_counter()
        if kind == "search":
            service.search(QUERIES[i % len(QUERIES)], 10)
        else:
            service.ask(QUESTIONS[i % len(QUESTIONS)])
        return (time.perf_counter() - started) * 1000

    for kind in ("search", "ask"):  # warm-up: the query vectors are then cached for both
        for i in range(max(len(QUERIES), len(QUESTIONS))):
            timed(kind, i)
    out = {}
    for name, kind, clients in (("search", "search", 1), ("ask", "ask", 1),
                                ("search8", "search", 8), ("ask8", "ask", 8)):
        with ThreadPoolExecutor(clients) as pool:
            ms = list(pool.map(lambda i, k=kind: timed(k, i), range(requests)))
        out[name] = {"p50_ms": round(median(ms), 2), "p95_ms": round(percentile(ms, 95), 2)}
    return out


def differences_of(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """How two answers differ: the text; the items or cited documents as sets, or only in
    their order; the quotes of the same documents."""
    out = [] if a["answer"] == b["answer"] else ["answer"]
    for part, of in (("items", lambda r: [x["label"] for x in r["items"]]),
                     ("cited", lambda r: [c["doc_id"] for c in r["citations"]])):
        x, y = of(a), of(b)
        if set(x) != set(y):
            only = sorted(set(x) - set(y))[:5], sorted(set(y) - set(x))[:5]
            out.append(f"{part} {only[0]} / {only[1]}")
        elif x != y:
            out.append(f"{part} order")
    spans = [[(c["doc_id"], c["char_start"]) for c in r["citations"]] for r in (a, b)]
    if not any(p.startswith("cited") for p in out) and spans[0] != spans[1]:
        out.append("quotes")
    return out


def compare_answers(questions: list[Any], services: dict[str, Any]) -> dict[str, Any]:
    """Each question asked of every store: accuracy per store and every answer that differs
    (answer text, items, cited documents)."""
    from eval.qa import ask, score_one, summarise

    results: dict[str, list[Any]] = {name: [] for name in services}
    answers: dict[str, list[dict[str, Any]]] = {name: [] for name in services}
    for q in questions:
        for name, service in services.items():
            answer = ask(q, service)
            docs = {c["doc_id"] for c in answer["citations"] + answer.get("related", [])}
            texts = {d: service.document_text(d)["text"] for d in docs}
            results[name].append(score_one(q, answer, texts))
            answers[name].append(answer)
    first, *others = services
    differences = []
    for i, q in enumerate(questions):
        a = answers[first][i]
        for name in others:
            b = answers[name][i]
            parts = differences_of(a, b)
            if parts:
                differences.append({
                    "id": q.id, "kind": q.kind, "question": q.question, "differs": parts,
                    "correct": {first: results[first][i].correct,
                                name: results[name][i].correct},
                    first: a["answer"][:300], name: b["answer"][:300]})
    summary = {name: {k: v for k, v in summarise(rs).items() if k != "failures"}
               for name, rs in results.items()}
    return {"questions": len(questions), "identical": len(questions) - len(
        {d["id"] for d in differences}), "summary": summary, "differences": differences}


def run_store_bench(corpus: Path, work: Path, requests: int = 60,
                    stores: Sequence[str] = STORES, milvus_uri: str | None = None,
                    questions: list[Any] | None = None) -> dict[str, Any]:
    """Build, latency and (with ``questions``) answer parity for each store, in one run."""
    from search_api.service import SearchService, load_embedder
    from search_api.settings import ApiSettings

    embedder = load_embedder(ApiSettings())
    built = build_stores(corpus, work, embedder, stores, milvus_uri)
    services = {name: SearchService(row["settings"], embedder=embedder)
                for name, row in built.items()}
    result: dict[str, Any] = {"corpus": str(corpus), "stores": {}}
    for name, row in built.items():
        result["stores"][name] = {
            "index": {k: row[k] for k in ("documents", "chunks", "corpus_version", "seconds",
                                          "store_s", "chunks_per_s", "disk_mb")},
            **latency(services[name], requests)}
    if questions:
        result["parity"] = compare_answers(questions, services)
    for service in services.values():
        service.backend.close()
    return result


def markdown(result: dict[str, Any]) -> str:
    stores = result["stores"]
    names = list(stores)
    rows = [("documents", "index", "documents"), ("chunks", "index", "chunks"),
            ("build s (embedding + store)", "index", "seconds"),
            ("store writes s", "index", "store_s"), ("chunks/s", "index", "chunks_per_s"),
            ("on disk MB", "index", "disk_mb")]
    rows += [(f"{e} {p} ms", e, f"{p}_ms") for e in ("search", "ask", "search8", "ask8")
             for p in ("p50", "p95")]
    lines = [f"# Stores side by side on {result['corpus']}", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, group, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(stores[n][group][key]) for n in names)
                     + " |")
    if parity := result.get("parity"):
        lines += ["", f"## Answer parity: {parity['identical']} of {parity['questions']} "
                  "questions answered identically", "",
                  "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        for key in ("accuracy", "gold_document_cited", "citation_validity"):
            lines.append(f"| {key} | " + " | ".join(str(parity["summary"][n][key])
                                                   for n in names) + " |")
        for d in parity["differences"]:
            lines.append(f"- {d['id']} ({d['kind']}, {', '.join(d['differs'])}; correct "
                         f"{d['correct']}): {d['question']}")
    return "\n".join(lines) + "\n"
