"""Write a benchmark result as JSON, a short markdown report and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_report(result: dict[str, Any], folder: Path) -> list[Path]:
    """bench.json, bench.md, latency.png and (with ANN rows) ann.png in ``folder``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "bench.json", folder / "bench.md", folder / "latency.png"]
    written[0].write_text(json.dumps(result, indent=2))
    written[1].write_text(markdown(result))
    rows = result["latency"]["rows"]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    labels = [f"{r['endpoint']} {r.get('queries', '')}\n{r['clients']} client(s)" for r in rows]
    x = range(len(rows))
    ax.bar([i - 0.2 for i in x], [r["p50_ms"] for r in rows], 0.4, label="p50")
    ax.bar([i + 0.2 for i in x], [r["p95_ms"] for r in rows], 0.4, label="p95")
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("ms")
    ax.set_title("HTTP latency")
    ax.legend()
    fig.tight_layout()
    fig.savefig(written[2], dpi=110)
    plt.close(fig)
    if result.get("ann"):
        fig, ax = plt.subplots(figsize=(7, 4))
        for (n, name), group in _groups(result["ann"]).items():
            ax.plot([r["mean_ms"] for r in group], [r["recall_at_10"] for r in group], "o-",
                    label=f"{name} ({n:,})")
        ax.axhline(0.98, color="grey", linestyle="--", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_xlabel("ms per query (single query)")
        ax.set_ylabel("recall@10 vs exact")
        ax.legend(fontsize=7)
        fig.tight_layout()
        written.append(folder / "ann.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written


def _groups(rows: list[dict]) -> dict[tuple[int, str], list[dict]]:
    out: dict[tuple[int, str], list[dict]] = {}
    for r in rows:
        out.setdefault((r["n"], r["index"]), []).append(r)
    return out


def markdown(result: dict[str, Any]) -> str:  # noqa: C901 - one section per measurement
    i, lat = result["indexing"], result["latency"]
    lines = [
        "# RtoP Search benchmark", "",
        f"Corpus: `{result['corpus']}` ({i['documents']} documents, {i['chunks']} chunks); "
        f"{result['machine']['cpus']} CPUs.", "",
        "## Indexing", "",
        "| measure | value |", "|---|---|",
        f"| full pipeline (own process) | {i['pipeline_s']} s ({i['pipeline_chunks_per_s']} "
        f"chunks/s), peak RSS {i['peak_rss_mb']} MB |",
        f"| encoder alone, {i['encoder_sample']} of the same chunks | "
        f"{i['encoder_chunks_per_s']} chunks/s |",
        f"| throughput ratio (pipeline / encoder) | {i['throughput_ratio']}x (goal >= 0.9x) |",
        f"| re-index, nothing changed | {i['reindex_unchanged_s']} s, "
        f"{i['reindex_embedded']} chunks embedded (goal <= 2 s) |",
    ]
    if speed := result.get("build_speedup"):
        ours, base = speed["configured"], speed["baseline"]
        settings = ", ".join(f"{k}={v}" for k, v in base["settings"].items())
        lines += [
            "", f"Build against the baseline ({settings}) on the same {speed['documents']} "
            "documents, one after the other:", "",
            "| build | chunks | seconds | chunks/s | peak RSS MB |", "|---|---|---|---|---|",
            f"| configured | {ours['chunks']} | {ours['seconds']} | {ours['chunks_per_s']} | "
            f"{ours['peak_rss_mb']} |",
            f"| baseline | {base['chunks']} | {base['seconds']} | {base['chunks_per_s']} | "
            f"{base['peak_rss_mb']} |", "",
            f"Speed-up vs the torch baseline: {speed['speedup_vs_torch']}x (goal >= 2x).",
        ]
    if resume := result.get("resume"):
        killed = resume["killed"]
        lines += [
            "", f"Killed at {killed['documents_done']} of {killed['documents_total']} documents "
            f"({killed['killed_after_s']} s), then run again ({resume['resumed']['seconds']} s): "
            f"same corpus version as the uninterrupted build: {resume['same_corpus_version']}; "
            f"same chunks: {resume['same_chunks']}; largest vector difference: "
            f"{resume['max_vector_difference']:.2g}.",
        ]
    lines += [
        "", "## HTTP latency", "",
        "Distinct: every request a different evaluation question; repeated: a dozen queries "
        "or six questions over and over, so the query-vector and sentence caches are warm.", "",
        "| endpoint | queries | clients | requests | p50 ms | p95 ms | time share by stage |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in lat["rows"]:
        share = ", ".join(f"{k} {v:.0%}" for k, v in r["share"].items())
        lines.append(f"| {r['endpoint']} | {r.get('queries', 'repeated')} | {r['clients']} | "
                     f"{r['requests']} | {r['p50_ms']} | {r['p95_ms']} | {share} |")
    lines += ["", f"Server RSS after load: {lat['server_rss_mb']} MB in "
              f"{lat.get('server_processes', 1)} processes (the server's own: "
              f"{lat.get('server_main_rss_mb', lat['server_rss_mb'])} MB; the others answer "
              "questions, and multiprocessing's resource tracker). Cold start (process start "
              f"to first answer): {lat['cold_start_s']} s.", ""]
    if e := result.get("encoder"):
        lines += [f"## Encoder: {e['backend']} vs torch, same model", "",
                  f"{e['texts']} chunk texts of the index and {e['queries']} one-query calls.", "",
                  "| backend | chunks/s | one query p50 ms |", "|---|---|---|"]
        for name, r in e["by_backend"].items():
            lines.append(f"| {name} | {r['chunks_per_s']} | {r['query_p50_ms']} |")
        lines += ["", f"Speed-up vs torch: {e['speedup_vs_torch']}x on chunks, "
                  f"{e['query_speedup_vs_torch']}x on queries; cosine to torch: mean "
                  f"{e['mean_cosine_vs_torch']}, min {e['min_cosine_vs_torch']} (gate: mean "
                  ">= 0.995).", ""]
    if a := result.get("ann_corpus"):
        lines += ["## HNSW vs exact on this index's vectors", "",
                  f"{a['queries']} evaluation questions as queries; HNSW M={a['m']}, "
                  f"efConstruction={a['ef_construction']}, efSearch={a['ef_search']}.", "",
                  "| vectors | exact p50 ms | HNSW p50 ms | recall@10 | HNSW build s |",
                  "|---|---|---|---|---|"]
        for r in a["sizes"]:
            lines.append(f"| {r['vectors']:,} | {r['exact_p50_ms']} | {r['hnsw_p50_ms']} | "
                         f"{r['recall_at_10']} | {r['hnsw_build_s']} |")
        lines += ["", "| filter | allowed | path | exact p50 ms | HNSW p50 ms | recall@10 |",
                  "|---|---|---|---|---|---|"]
        for r in a["filtered"]:
            lines.append(f"| {r['filter']} | {r['allowed']:,} | {r['path']} | "
                         f"{r['exact_p50_ms']} | {r['hnsw_p50_ms']} | {r['recall_at_10']} |")
        lines += ["", f"HNSW at least twice as fast as exact from "
                  f"{a['hnsw_twice_as_fast_from']} vectors; builds write it from "
                  f"{a['configured_min_vectors']:,} (RTOP_HNSW_MIN_VECTORS).", ""]
    if prompt := result.get("prompt"):
        lines += ["## Generative answers: what is sent to the language model", "",
                  f"Tokens counted with the tokenizer of {prompt['tokenizer']}.", "",
                  "| k | questions sent | refused, not sent | mean tokens | max tokens | "
                  "mean evidence quotes |", "|---|---|---|---|---|---|"]
        for key, r in prompt.items():
            if key.startswith("k"):
                lines.append(f"| {key[1:]} | {r['questions']} | {r['refused_not_sent']} | "
                             f"{r['mean_tokens']} | {r['max_tokens']} | {r['mean_evidence']} |")
        lines.append("")
    if result.get("ann"):
        lines += ["## Exact vs approximate search (synthetic normalised 384-d vectors)", "",
                  "| vectors | index | setting | recall@10 | mean ms | build s | MB |",
                  "|---|---|---|---|---|---|---|"]
        for r in result["ann"]:
            lines.append(f"| {r['n']:,} | {r['index']} | {r['setting']} | {r['recall_at_10']} | "
                         f"{r['mean_ms']} | {r['build_s']} | {r['memory_mb']} |")
        lines += ["", result["ann_recommendation"], ""]
    return "\n".join(lines) + "\n"
