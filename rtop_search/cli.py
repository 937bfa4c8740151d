"""The ``rtop-search`` command: thin typer commands over the library functions."""

from __future__ import annotations

import json
import logging
import sys
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from eval.cli import bench, eval_app
from indexer.errors import RtopError

EVAL_EXTRA = ("matplotlib", "psutil")  # what only eval and bench import: pip install '.[eval]'

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Search and cite Responsibility-to-Protect documents.")

IndexDir = Annotated[Path | None, typer.Option("--index-dir", help="Index folder (RTOP_INDEX_DIR)")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _settings(index_dir: Path | None = None) -> Any:
    from pydantic import ValidationError

    from search_api.settings import ApiSettings

    try:
        settings = ApiSettings()
    except ValidationError as exc:
        raise RtopError(f"Bad setting: {exc.errors()[0]['msg']}",
                        "Fix the RTOP_* environment variable named above.") from exc
    return settings.model_copy(update={"index_dir": index_dir}) if index_dir else settings


def handles_errors(func: Any) -> Any:
    """Domain errors become a two-line message and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RtopError as exc:
            typer.secho(f"error: {exc.message}", err=True, fg="red")
            if exc.hint:
                typer.echo(f"hint: {exc.hint}", err=True)
            raise typer.Exit(2) from None

    return wrapper


def need_eval_extra() -> None:
    """Exit 2 with the install command when the eval extra is missing."""
    import importlib.util

    missing = [name for name in EVAL_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        typer.secho(f"error: this command needs {', '.join(missing)}, which a plain install "
                    "leaves out.", err=True, fg="red")
        typer.echo("hint: install the eval extra: pip install 'rtop-search[eval]' "
                   "(from a checkout: pip install -e '.[eval]').", err=True)
        raise typer.Exit(2)


@wraps(bench)
def bench_command(*args: Any, **kwargs: Any) -> Any:
    need_eval_extra()
    return bench(*args, **kwargs)


app.add_typer(eval_app, name="eval", callback=need_eval_extra)
app.command("bench")(bench_command)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command()
@handles_errors
def index(
    paths: Annotated[list[Path] | None, typer.Argument(help="Folders or files (default: corpus/)")]
    = None,
    index_dir: IndexDir = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start from an empty index")] = False,
    as_json: AsJson = False,
) -> None:
    """Index documents (incremental: only new or changed files are embedded)."""
    from search_api.service import build

    settings = _settings(index_dir)
    roots = list(paths) if paths else settings.corpus_paths
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise RtopError(f"No such file or folder: {', '.join(missing)}",
                        "Give existing folders, e.g. rtop-search index corpus/")
    report = build(settings, roots, rebuild=rebuild, progress=sys.stderr.isatty())
    if as_json:
        from dataclasses import asdict

        typer.echo(json.dumps(asdict(report), indent=2))
        return
    typer.echo(
        f"indexed {report.documents_total} documents, {report.chunks_total} chunks "
        f"(added {len(report.added)}, updated {len(report.updated)}, removed "
        f"{len(report.removed)}, unchanged {report.unchanged}; embedded "
        f"{report.chunks_embedded} chunks in {report.seconds:.1f} s); corpus version "
        f"{report.corpus_version}"
    )
    _print_problems(report.failed, report.skipped, report.flagged)


def _print_problems(failed: list[dict], skipped: list[dict], flagged: list[dict]) -> None:
    for item in failed:
        typer.secho(f"  failed  {item['path']}: {item['reason']}", fg="yellow")
        if item.get("hint"):
            typer.echo(f"          -> {item['hint']}")
    for item in skipped:
        typer.echo(f"  skipped {item['path']}: {item['reason']} ({item.get('hint', '')})")
    for item in flagged:
        typer.echo(f"  flagged {item['path']}: {item['flag']}")


@app.command()
@handles_errors
def stats(index_dir: IndexDir = None, as_json: AsJson = False) -> None:
    """Documents, chunks, model, corpus version and the last build report."""
    from search_api.service import index_stats

    info = index_stats(_settings(index_dir))
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    m = info["manifest"]
    typer.echo(f"index:          {info['path']}")
    typer.echo(f"documents:      {info['documents']}")
    typer.echo(f"chunks:         {info['chunks']}")
    typer.echo(f"model:          {m['model']['name']} ({m['model']['dim']} dims)")
    typer.echo(f"corpus version: {m['corpus_version']}  built {m['built_at']}")
    r = info["last_build"]
    typer.echo(f"last build:     {len(r.get('added', []))} added, {len(r.get('updated', []))} "
               f"updated, {len(r.get('removed', []))} removed, {len(r.get('failed', []))} failed")
    _print_problems(r.get("failed", []), r.get("skipped", []), r.get("flagged", []))


def _filters(doc_type: str | None, state: str | None, year_from: int | None,
             year_to: int | None) -> Any:
    from indexer import countries
    from indexer.models import Filters

    iso3 = None
    if state:
        iso3 = countries.resolve_state(state)
        if iso3 is None:
            raise RtopError(f"Unknown state {state!r}.", "Use a name (Costa Rica) or code (CRI).")
    return Filters(doc_type=doc_type, state_iso3=iso3, year_from=year_from, year_to=year_to)


DocType = Annotated[str | None, typer.Option("--type", help="Document type")]
State = Annotated[str | None, typer.Option("--state", help="State name or ISO code")]
YearFrom = Annotated[int | None, typer.Option("--year-from")]
YearTo = Annotated[int | None, typer.Option("--year-to")]


@app.command()
@handles_errors
def ask(
    question: Annotated[str, typer.Argument(help="A question, e.g. 'Which states named focal "
                                                 "points?'")],
    index_dir: IndexDir = None, as_json: AsJson = False, doc_type: DocType = None,
    state: State = None, year_from: YearFrom = None, year_to: YearTo = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="At most this many citations")] = 10,
    mode: Annotated[str | None, typer.Option(
        "--mode", help="extractive or generative (default: generative when RTOP_LLM_BASE_URL "
                       "is set)")] = None,
) -> None:
    """Answer a question with cited quotes (no server needed)."""
    from search_api.query import check_question
    from search_api.service import SearchService

    question = check_question(question)
    service = SearchService(_settings(index_dir))
    result = service.ask(question, _filters(doc_type, state, year_from, year_to), k, mode)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for warning in result["warnings"]:
        typer.secho(f"note: {warning}", err=True, fg="yellow")
    typer.echo(result["answer"])
    for s in result["unsupported"]:
        typer.echo(f"  not shown as fact: \"{s['text']}\" ({s['reason']})")
    for c in result["citations"]:
        typer.echo(f"  [{c['n']}] {c['citation']}\n      \"{c['quote'][:300]}\"")
    if result["refused"] and result["related"]:
        typer.echo("Related passages (nearest found; not evidence, not citations):")
        for c in result["related"]:
            typer.echo(f"  - {c['citation']}\n      \"{c['quote'][:300]}\"")
    typer.echo(f"corpus version {result['corpus_version']}")


@app.command()
@handles_errors
def search(
    query: str, index_dir: IndexDir = None, as_json: AsJson = False,
    doc_type: DocType = None, state: State = None, year_from: YearFrom = None,
    year_to: YearTo = None, k: Annotated[int, typer.Option("-k", min=1, max=50)] = 10,
) -> None:
    """Ranked passages with citations (no server needed)."""
    from search_api.service import SearchService

    service = SearchService(_settings(index_dir))
    result = service.search(query, k, _filters(doc_type, state, year_from, year_to))
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for r in result["results"]:
        typer.echo(f"{r['n']:>3}. {r['citation']}  (score {r['score']:.3f})")
        typer.echo(f"     {r['quote'][:240]!s}")


@app.command()
@handles_errors
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (RTOP_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (RTOP_PORT)")] = None,
    index_dir: IndexDir = None,
    build_first: Annotated[bool, typer.Option(
        "--build/--no-build", help="Bring the index in line with the corpus in the background "
                                   "(build it when missing) while serving")] = True,
) -> None:
    """Serve the API at /api and the UI at / (uvicorn), at once.

    With --build (the default) a background job builds the configured corpus when the index
    is missing or stale; meanwhile the previous index answers, or a 503 says the first index
    is being built (see /api/health). With --no-build a missing index fails before binding.
    """
    from concurrent.futures import ThreadPoolExecutor

    import uvicorn

    from search_api.service import SearchService

    settings = _settings(index_dir)
    with ThreadPoolExecutor(1) as pool:  # the index and model load while the UI imports
        loading = None if build_first else pool.submit(SearchService, settings)
        import ui.app  # noqa: F401 - gradio: seconds to import
        from rtop_search.server import create_server_app

        service = loading.result() if loading else None
    application = create_server_app(settings, service=service, build_on_start=build_first,
                                    answer_processes=settings.answer_process_count)
    uvicorn.run(application, host=host or settings.host, port=port or settings.port,
                log_level="info")
