"""Event handlers of the UI: each calls the same SearchService methods the API routes call."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from indexer import countries
from indexer.errors import AuthError, InvalidQueryError, RtopError
from search_api import uploads
from search_api.filters import listing_where, to_filters
from search_api.query import check_question
from search_api.schemas import DocumentsParams, FilterIn
from ui import render, viewer
from ui.export import exports

log = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
ANY = ""
DOC_PAGE = 50  # documents per page of the Documents tab


def friendly(func: F) -> F:
    """Translate domain errors into gr.Error (message + hint), once; never show a traceback."""
    import gradio as gr

    @contextlib.contextmanager
    def translated() -> Iterator[None]:
        try:
            yield
        except gr.Error:
            raise
        except RtopError as exc:
            raise gr.Error(f"{exc.message} {exc.hint}".strip(), title="Cannot do that") from None
        except Exception:
            log.exception("UI handler %s failed", func.__name__)
            raise gr.Error("Something went wrong on the server; the error was logged.",
                           title="Unexpected error") from None

    if inspect.isgeneratorfunction(func):  # a streaming handler: errors arise as it runs
        @functools.wraps(func)
        def streaming(*args: Any, **kwargs: Any) -> Any:
            with translated():
                yield from func(*args, **kwargs)

        return streaming  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with translated():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def filters_in(doc_type: str | None, state: str | None, year_from: Any, year_to: Any) -> FilterIn:
    """The API's FilterIn from the filter widgets ('' means any)."""
    def year(v: Any) -> int | None:
        return int(v) if v not in (None, ANY) else None

    return FilterIn(type=doc_type or None, state=state or None, year_from=year(year_from),
                    year_to=year(year_to))


UI_CITATIONS = 50  # enough quotes for every item of a long list answer


class Handlers:
    """The UI's actions over a service obtained per call (it is loaded at app start-up)."""

    def __init__(self, get_service: Callable[[], Any],
                 index_uploads: Callable[[list[Path]], dict[str, Any]] | None = None,
                 get_health: Callable[[], dict[str, Any]] | None = None) -> None:
        self.get_service = get_service
        self.index_uploads = index_uploads
        self.get_health = get_health

    @property
    def service(self) -> Any:
        service = self.get_service()
        if service is None:
            health = self.health()
            raise RtopError(health.get("message") or "The search service is still starting.",
                            health.get("hint") or "Reload the page shortly.")
        return service

    def health(self) -> dict[str, Any]:
        """What /api/health says: the index's figures, or the build that is running."""
        if self.get_health is not None:
            return self.get_health()
        service = self.get_service()
        return service.health() if service is not None else {
            "status": "starting", "index_loaded": False, "job": None}

    def build_status(self) -> tuple[str, str | None]:
        """The build display, and the corpus version served (None before the first index)."""
        health = self.health()
        return viewer.build_status_html(health), health.get("corpus_version")

    def _texts(self, citations: list[dict[str, Any]]) -> dict[str, str]:
        docs = {c["doc_id"] for c in citations}
        return {d: self.service.document_text(d)["text"] for d in docs}

    def ask(self, question: str, doc_type: str, state: str, year_from: Any, year_to: Any,
            mode: str | None = None) -> Iterator[tuple[str, str, str, str]]:
        """Answer HTML plus the three citation exports; while a model writes, its draft."""
        service = self.service
        filters = to_filters(filters_in(doc_type, state, year_from, year_to), service)
        question = check_question(question, "question")
        for kind, value in service.ask_stream(question, filters, UI_CITATIONS, mode or None):
            if kind == "draft":
                yield render.draft_html(question, value), "", "", ""
            else:
                yield self._answer(value)

    def _answer(self, result: dict[str, Any]) -> tuple[str, str, str, str]:
        service = self.service
        shown = result["related"] if result["refused"] else result["citations"]
        html = render.answer_html(result, self._texts(shown))
        cited = result["citations"]
        if not cited:
            return html, "", "", ""
        metas = service.metas(sorted({c["doc_id"] for c in cited}))
        return (html, *exports(cited, metas))

    def search(self, query: str, doc_type: str, state: str, year_from: Any, year_to: Any,
               k: float) -> str:
        service = self.service
        filters = to_filters(filters_in(doc_type, state, year_from, year_to), service)
        result = service.search(check_question(query, "query"), int(k or 10), filters)
        return render.search_html(result, self._texts(result["results"]))

    def view(self, doc_id: str | None, start: int | None = None,
             end: int | None = None) -> str:
        """The viewer for one document, with ``[start, end)`` highlighted if given."""
        if not doc_id:
            return viewer.viewer_placeholder()
        service = self.service
        doc, text = service.document(doc_id), service.document_text(doc_id)
        return viewer.viewer_html(doc, text["text"], start, end, text.get("pages", ()))

    def open_from_event(self, data: dict[str, Any]) -> tuple[str, str]:
        """(doc_id, viewer html) for an 'open in document' click carrying {doc, start, end}."""
        doc_id = str(data.get("doc") or "")

        def num(key: str) -> int | None:
            value = str(data.get(key) or "")
            return int(value) if value.isdigit() else None

        return doc_id, self.view(doc_id, num("start"), num("end"))

    def facets(self) -> dict[str, list[tuple[str, str]]]:
        """Dropdown choices (label, value) for the filters, 'Any' first (only 'Any' while
        there is no index)."""
        service = self.get_service()
        f = service.facets() if service is not None else {"type": [], "state": [], "year": []}
        states = sorted(((countries.label(s), s) for s in f["state"]), key=lambda x: x[0])
        years = [(str(y), str(y)) for y in f["year"]]
        return {"type": [("Any type", ANY)] + [(render.type_label(t), t) for t in f["type"]],
                "state": [("Any state", ANY)] + states,
                "year": [("Any year", ANY)] + years}

    def overview(self) -> tuple[str, str]:
        """Corpus figures and the last build's report (or the build status, before any)."""
        service = self.get_service()
        if service is None:
            return viewer.build_status_html(self.health()), ""
        return (viewer.stats_html(service.health()),
                viewer.build_report_html(service.build_report()))

    def documents(self, collection: str | None, doc_type: str | None, state: str | None,
                  year: Any, page: int | None = 0) -> tuple[str, str, str, Any, int]:
        """One page of the filtered document list: table, 'Documents a–b of n', counts per
        collection, the picker's choices, and the page shown (clamped to the last one)."""
        service = self.get_service()
        if service is None:
            return "", "", "", [], 0
        params = DocumentsParams(collection=collection or None, type=doc_type or None,
                                 state=state or None,
                                 year=int(year) if year not in (None, ANY) else None,
                                 limit=DOC_PAGE)
        where = listing_where(params)
        page = max(0, int(page or 0))
        listing = service.documents(page * DOC_PAGE, DOC_PAGE, where)
        last = max(0, (listing["total"] - 1) // DOC_PAGE)
        if page > last:
            page = last
            listing = service.documents(page * DOC_PAGE, DOC_PAGE, where)
        picks = [(d["title"], d["doc_id"]) for d in listing["documents"]]
        return (viewer.documents_table(listing), viewer.page_label(listing),
                viewer.collection_counts_html(listing["collections"]), picks, page)

    def collections(self) -> list[tuple[str, str]]:
        """The collection filter's choices, each with its number of documents."""
        service = self.get_service()
        counts = service.documents(0, 1)["collections"] if service is not None else {}
        return [("Any collection", ANY)] + [(f"{name} ({n:,})", name)
                                            for name, n in sorted(counts.items())]

    def uploads_enabled(self) -> bool:
        """The server hands the UI an indexer only when it has an API key."""
        return self.index_uploads is not None

    def check_key(self, key: str | None) -> None:
        configured = getattr(self.service.settings, "api_key", None)
        if self.index_uploads is None:
            configured = None
        if configured is None:
            raise AuthError("Uploads are disabled: the server has no API key configured.",
                            "Start the server with RTOP_API_KEY set to enable them.")
        given = (key or "").strip().encode()
        if not secrets.compare_digest(given, configured.get_secret_value().encode()):
            raise AuthError("Missing or wrong API key.",
                            "Enter the key the server was started with (RTOP_API_KEY).")

    def upload(self, files: list[str] | None, key: str | None,
               progress: Callable[..., Any] | None = None) -> str:
        """Check the key, save each accepted file, reindex, and report per file."""
        self.check_key(key)
        if not files:
            raise InvalidQueryError("No files chosen.", "Add one or more documents first.")
        service = self.service
        settings = service.settings
        saved, refused = [], []
        for i, path in enumerate(files):
            if progress:
                progress((i, len(files)), desc="Saving files")
            try:
                saved.append(_save(Path(path), settings))
            except uploads.UploadError as exc:
                refused.append({"file": Path(path).name, "status": "failed",
                                "reason": exc.message, "hint": exc.hint})
        if not saved:
            return viewer.upload_results_html(refused, {})
        if progress:
            progress(0.5, desc="Indexing (embedding new passages)…")
        assert self.index_uploads is not None  # check_key refused otherwise
        result = self.index_uploads(saved)
        log.info("UI upload: %d saved, %d refused", len(saved), len(refused))
        return viewer.upload_results_html(result["files"] + refused, result)


def _save(source: Path, settings: Any) -> Path:
    """Store one uploaded temp file through the same checks as the API."""
    return uploads.copy_file(source, settings)
