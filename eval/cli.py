"""``rtop-search eval ...`` and ``rtop-search bench``: quality and speed, measured side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

eval_app = typer.Typer(no_args_is_help=True, help="Measure retrieval and answer quality.")
DEFAULT_SHARED = Path("../shared")


def _service(corpus: Path, index_dir: Path, embedder: Any) -> Any:
    """A service over ``corpus``, reusing an index built with the same model (incremental)."""
    from indexer.settings import Settings
    from search_api.service import SearchService, build

    settings = Settings(index_dir=index_dir, corpus_paths=[corpus])
    build(settings, [corpus], embedder=embedder, progress=True)
    return SearchService(settings, embedder=embedder)


@eval_app.command("qa")
def qa(
    file: Annotated[Path, typer.Argument(help="Question set (JSONL)")] = Path(
        "eval/questions.jsonl"),
    shared: Annotated[Path, typer.Option(help="Shared data folder")] = DEFAULT_SHARED,
    work_dir: Annotated[Path, typer.Option(help="Where eval indexes live")] = Path("var/eval"),
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Answer the question set; report correctness, list P/R, citation validity, refusals."""
    from eval.datasets import load_questions
    from eval.qa import run_qa, summarise
    from indexer.settings import Settings
    from search_api.service import load_embedder

    questions = load_questions(file)
    embedder = load_embedder(Settings())
    services = {"seed": _service(Path("corpus"), work_dir / "seed-index", embedder)}
    ungdc = shared / "corpus" / "ungdc-r2p"
    if ungdc.is_dir():
        services["ungdc-r2p"] = _service(ungdc, work_dir / "ungdc-r2p-index", embedder)
    else:
        typer.echo(f"note: {ungdc} not found; only the seed questions are asked", err=True)
    summary = summarise(run_qa(questions, services))
    if as_json:
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    for key in ("questions", "answer_correctness", "list_precision", "list_recall",
                "citation_validity", "gold_document_cited", "refusal_accuracy"):
        typer.echo(f"{key:22} {summary[key]}")
    for kind, counts in summary["by_kind"].items():
        typer.echo(f"  {kind:15} {counts['passed']}/{counts['n']} passed")
    for failure in summary["failures"]:
        typer.echo(f"FAIL {failure['id']} ({failure['kind']}) {failure['question']}")
        for problem in failure["problems"]:
            typer.echo(f"     - {problem}")
