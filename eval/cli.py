"""``rtop-search eval ...`` and ``rtop-search bench``: quality and speed, measured side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

eval_app = typer.Typer(no_args_is_help=True, help="Measure retrieval and answer quality.")
DEFAULT_SHARED = Path("../shared")


RerankerPath = Annotated[Path | None, typer.Option(
    "--reranker", help="A local CrossEncoder folder: report with and without it")]


def _reranker(path: Path | None) -> Any:
    from search_api.rerank import CrossEncoderReranker

    return CrossEncoderReranker(path) if path else None


def eval_settings(index_dir: Path, **values: Any) -> Any:
    """The configured settings (RTOP_STORE too) for an evaluation index: in Milvus, under its
    own collection prefix, so an evaluation never replaces the index being served."""
    from indexer.settings import Settings

    base = Settings()
    return base.model_copy(update={"index_dir": index_dir, **values,
                                   "milvus_prefix": f"{base.milvus_prefix}_{index_dir.name}"
                                   .replace("-", "_")[:31]})


def _service(corpus: Path, index_dir: Path, embedder: Any, reranker: Any = None) -> Any:
    """A service over ``corpus``, reusing an index built with the same model (incremental)."""
    from search_api.service import SearchService, build

    settings = eval_settings(index_dir, corpus_paths=[corpus])
    build(settings, [corpus], embedder=embedder, progress=True)
    return SearchService(settings, embedder=embedder, reranker=reranker)


SHARED_COLLECTIONS = ("corpus/ungdc-r2p", "corpus/unsc-resolutions-1946-2002", "pdfs/un")


def qa_roots(shared: Path, corpus: Path = Path("corpus")) -> list[Path]:
    """The question set's collection: corpus/ plus what of ../shared it does not hold yet."""
    from indexer.load import SUPPORTED_SUFFIXES

    def documents(folder: Path) -> list[Path]:  # what the indexer reads, not codebooks
        return sorted(p for p in folder.rglob("*") if p.is_file()
                      and p.suffix.lower() in SUPPORTED_SUFFIXES) if folder.is_dir() else []

    held = {p.name for p in documents(corpus)}
    roots = [corpus]
    for name in SHARED_COLLECTIONS:
        folder = shared / name
        sample = next(iter(documents(folder)), None)
        if sample is None:
            typer.echo(f"note: {folder} not found; its questions will fail", err=True)
        elif sample.name not in held:
            roots.append(folder)
    return roots


def _qa_service(shared: Path, work_dir: Path) -> Any:
    from indexer.settings import Settings
    from search_api.service import SearchService, build, load_embedder

    embedder = load_embedder(Settings())
    settings = eval_settings(work_dir / "all-index")
    build(settings, qa_roots(shared), embedder=embedder, progress=True)
    return SearchService(settings, embedder=embedder)


@eval_app.command("qa")
def qa(
    file: Annotated[Path, typer.Argument(help="Question set (JSONL)")] = Path(
        "eval/questions.jsonl"),
    split: Annotated[str, typer.Option(help="train, dev or all")] = "dev",
    shared: Annotated[Path, typer.Option(help="Shared data folder")] = DEFAULT_SHARED,
    work_dir: Annotated[Path, typer.Option(help="Where eval indexes live")] = Path("var/eval"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
    reranker: RerankerPath = None,
) -> None:
    """Answer one split of the question set over one index of every collection; report
    accuracy per kind, refusal precision/recall, gold documents cited, citation validity
    (with ``--reranker``: the same without it first, then with it)."""
    from eval.datasets import load_questions
    from eval.qa import run_qa, summarise

    questions = load_questions(file, None if split == "all" else split)
    service = _qa_service(shared, work_dir)
    summary = summarise(run_qa(questions, service))
    summary["split"] = split
    if reranker is not None:
        service.engine.reranker = _reranker(reranker)
        summary["with_reranker"] = {k: v for k, v in summarise(run_qa(questions, service)).items()
                                    if k != "failures"}
        summary["with_reranker"]["reranker"] = str(reranker)
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    typer.echo(f"split {split}: {summary['questions']} questions, "
               f"accuracy {summary['accuracy']}")
    for kind, row in summary["by_kind"].items():
        typer.echo(f"  {kind:12} {row['correct']:>4}/{row['n']:<4} {row['accuracy']}")
    for key in ("refusal_precision", "refusal_recall", "list_precision", "list_recall",
                "gold_document_cited", "citation_validity"):
        typer.echo(f"{key:22} {summary[key]}")
    if (other := summary.get("with_reranker")) is not None:
        typer.echo(f"with reranker {other['reranker']}: accuracy {other['accuracy']}")
        for kind, row in other["by_kind"].items():
            typer.echo(f"  {kind:12} {row['correct']:>4}/{row['n']:<4} {row['accuracy']}")
    for failure in summary["failures"]:
        typer.echo(f"FAIL {failure['id']} ({failure['kind']}) {failure['question']}")
        for problem in failure["problems"]:
            typer.echo(f"     - {problem}")


@eval_app.command("fit")
def fit(
    file: Annotated[Path, typer.Argument(help="Question set (JSONL)")] = Path(
        "eval/questions.jsonl"),
    shared: Annotated[Path, typer.Option(help="Shared data folder")] = DEFAULT_SHARED,
    work_dir: Annotated[Path, typer.Option(help="Where eval indexes live")] = Path("var/eval"),
    phrasings: Annotated[Path, typer.Option(help="Train-only wordings labelled with their "
                                            "answer type")] = Path("eval/intents.jsonl"),
) -> None:
    """Fit the answer-type classifier, the answer scorer and the list item gate on the TRAIN
    split (never dev) and write them to search_api/models/."""
    from dataclasses import replace

    from eval.datasets import load_phrasings, load_questions
    from eval.fit import choose_threshold, fit_intent, fit_scorer, fold_scorers, scorer_data

    train = load_questions(file, "train")
    service = _qa_service(shared, work_dir)
    model, info = fit_intent(train, service.embedder, load_phrasings(phrasings))
    model.save()
    service.engine.intents = model  # the threshold is chosen on answers typed by it
    typer.echo(f"intent: {json.dumps(info)}")
    x, y, groups = scorer_data(train, service.engine)
    scorer, info = fit_scorer(x, y, groups, train)
    service.engine.ranker = scorer
    threshold, accuracy = choose_threshold(train, service,
                                           fold_scorers(x, y, groups, info["C"]))
    scorer = replace(scorer, threshold=threshold)
    info["threshold_train_accuracy_out_of_fold"] = round(accuracy, 4)
    scorer.save(**{"fitted_on": f"{file} split=train ({len(train)} questions)", **info})
    typer.echo(f"scorer: threshold {scorer.threshold:.2f} {json.dumps(info)}")
    _fit_item_gate(train, service, f"{file} split=train ({len(train)} questions)")


def _fit_item_gate(train: list, service: Any, fitted_on: str) -> None:
    from eval.fit_items import fit_items, list_cases
    from search_api.items import ITEM_FEATURES, MODEL_PATH

    gate, info = fit_items(list_cases(train, service.engine))
    gate.save(MODEL_PATH, ITEM_FEATURES, what="list item gate (eval fit): P(item is asked for)",
              fitted_on=fitted_on, **info)
    typer.echo(f"list item gate: threshold {gate.threshold:.2f} {json.dumps(info)}")


@eval_app.command("beir")
def beir(
    folder: Annotated[Path, typer.Argument(help="BEIR dataset folder (corpus.jsonl, ...)")],
    index_dir: Annotated[Path | None, typer.Option("--index-dir")] = None,
    split: str = "test",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    reranker: RerankerPath = None,
) -> None:
    """Index a BEIR corpus (reusing an index built with the same model) and print dense, BM25
    and hybrid nDCG@10 side by side, next to the published numbers."""
    from eval.beir import REFERENCES, evaluate, write_corpus
    from eval.datasets import load_beir
    from indexer.settings import Settings
    from search_api.service import load_embedder

    dataset = load_beir(folder, split)
    work = index_dir or Path("var/eval") / f"beir-{folder.name}"
    write_corpus(dataset, work / "corpus")
    service = _service(work / "corpus", work / "index", load_embedder(Settings()),
                       _reranker(reranker))
    table = evaluate(service, dataset, runs_dir=work / "runs")
    result = {"dataset": folder.name, "split": split, "queries": len(dataset.queries),
              "documents": len(dataset.corpus), "ours": table,
              "published_ndcg@10": REFERENCES.get(folder.name, {}),
              "trec_runs": str(work / "runs")}
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{folder.name} ({split}): {len(dataset.queries)} queries, "
               f"{len(dataset.corpus)} documents")
    typer.echo(f"{'run':32} {'nDCG@10':>8} {'R@100':>7} {'MRR@10':>7} {'ms/q':>7}")
    for mode, row in table.items():
        typer.echo(f"{'ours ' + mode:32} {row['ndcg@10']:>8.4f} {row['recall@100']:>7.4f} "
                   f"{row['mrr@10']:>7.4f} {row['ms_per_query']:>7.1f}")
    for name, value in result["published_ndcg@10"].items():
        typer.echo(f"{'published ' + name:32} {value:>8.3f}")


def bench(
    reports: Annotated[Path, typer.Option("--reports", help="Folder for JSON, markdown, PNG")]
    = Path("reports"),
    corpus: Annotated[Path, typer.Option(help="Corpus to index and serve")] = DEFAULT_SHARED
    / "corpus" / "ungdc-r2p",
    ann_sizes: Annotated[str, typer.Option(help="Comma-separated vector counts; '' skips")]
    = "100000,1000000",
    requests: Annotated[int, typer.Option(help="Requests per latency measurement")] = 120,
    baseline_sample: Annotated[int, typer.Option(
        help="Compare the build with the torch baseline on this many documents of --corpus "
             "(0: all of them)")] = 0,
    resume: Annotated[bool, typer.Option(
        help="Kill a build of those documents halfway and check the rerun")] = True,
    resume_whole: Annotated[bool, typer.Option(
        help="With --baseline-sample: kill the build of the whole corpus instead, and compare "
             "the rerun with the full build")] = False,
    work_dir: Annotated[Path | None, typer.Option(
        help="Keep the benchmark's builds in this folder (default: a temporary one)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    store: Annotated[str | None, typer.Option(
        "--store", help="Compare stores instead, e.g. local,milvus: build and latency of each "
                        "on --corpus")] = None,
    milvus_uri: Annotated[str | None, typer.Option(
        help="With --store: a Milvus server to use (default: a Milvus Lite file)")] = None,
) -> None:
    """Speed and size, measured side by side in one run (no goal is asserted)."""
    from eval.bench import run_bench
    from eval.report import markdown, write_report

    if not corpus.is_dir():
        raise typer.BadParameter(f"{corpus} is not a folder; pass --corpus")
    if store is not None:
        _compare_stores(corpus, store, milvus_uri, requests, as_json, None, reports)
        return
    sizes = tuple(int(s) for s in ann_sizes.split(",") if s.strip())
    if baseline_sample < 0:
        raise typer.BadParameter("--baseline-sample is a number of documents, 0 or more")
    result = run_bench(corpus, sizes, requests, baseline_sample, resume, work_dir,
                       resume_whole)
    files = write_report(result, reports)
    typer.echo(json.dumps(result, indent=2) if as_json else markdown(result))
    typer.echo("written: " + ", ".join(str(f) for f in files), err=True)


def _compare_stores(corpus: Path, store: str, milvus_uri: str | None, requests: int,
                    as_json: bool, questions: list[Any] | None, reports: Path) -> None:
    import tempfile

    from eval.stores import STORES, markdown, run_store_bench

    names = tuple(s.strip() for s in store.split(",") if s.strip())
    if not names or any(n not in STORES for n in names):
        raise typer.BadParameter(f"--store takes a comma-separated list of {', '.join(STORES)}")
    with tempfile.TemporaryDirectory(prefix="rtop-stores-") as tmp:
        result = run_store_bench(corpus, Path(tmp), requests, names, milvus_uri, questions)
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "stores.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    (reports / "stores.md").write_text(markdown(result))
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False) if as_json else markdown(result))


@eval_app.command("parity")
def parity(
    file: Annotated[Path, typer.Argument(help="Question set (JSONL)")] = Path(
        "eval/questions.jsonl"),
    store: Annotated[str, typer.Option("--store")] = "local,milvus",
    milvus_uri: Annotated[str | None, typer.Option(help="A Milvus server (default: Lite)")]
    = None,
    work_dir: Annotated[Path, typer.Option(help="Where the combined corpus is made")] = Path(
        "var/eval"),
    reports: Annotated[Path, typer.Option("--reports")] = Path("reports"),
    requests: Annotated[int, typer.Option(help="Requests per latency measurement")] = 60,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every question of the set (both splits) asked of each store over the seeds and the 273
    General Debate speeches: accuracy per store, and every answer that differs."""
    from eval.datasets import load_questions
    from eval.stores import parity_corpus

    corpus = parity_corpus(Path("corpus"), work_dir)
    _compare_stores(corpus, store, milvus_uri, requests, as_json, load_questions(file, None),
                    reports)


@eval_app.command("segmentation")
def segmentation(
    folder: Annotated[Path, typer.Argument(help="Folder laid out like shared/pdfs/un")]
    = DEFAULT_SHARED / "pdfs" / "un",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Share of HURIDOCS gold paragraphs found as one block (exact and fuzzy >= 90)."""
    from eval.segmentation import pairs, segmentation_scores

    rows = [segmentation_scores(pdf, labels) for pdf, labels in pairs(folder)]
    if not rows:
        raise typer.BadParameter(f"no PDFs with gold labels under {folder}")
    if as_json:
        typer.echo(json.dumps([{k: v for k, v in r.items() if k != "misses"} for r in rows],
                              indent=2))
        return
    typer.echo(f"{'document':<18}{'gold':>6}{'blocks':>8}{'exact':>8}{'fuzzy':>8}")
    for r in rows:
        typer.echo(f"{r['document']:<18}{r['gold']:>6}{r['blocks']:>8}{r['exact']:>8.1%}"
                   f"{r['fuzzy']:>8.1%}")
