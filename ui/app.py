"""The Gradio UI: a thin layer of Blocks over SearchService, mounted at / beside the API."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from indexer.load import SUPPORTED_SUFFIXES
from ui import style
from ui.handlers import ANY, Handlers, friendly
from ui.viewer import viewer_placeholder

if TYPE_CHECKING:
    from fastapi import FastAPI

    from search_api.service import SearchService

log = logging.getLogger(__name__)

# each is asked of the default collection by tests/test_default_collection.py; at most
# EXAMPLE_CHARS long, or the examples gallery cuts it short
EXAMPLE_CHARS = 60
EXAMPLES = [
    "Which states referred to R2P in the 2022 General Debate?",
    "Which states named focal points?",
    "Which African states invoked R2P at the 67th session?",
    "When was resolution 661 (1990) adopted?",
    "What did resolution 688 (1991) demand of Iraq?",
    "What did Croatia say about the responsibility to protect?",
]
STATUS_EVERY = 2.0  # seconds between looks at the build display
HEADER = """<div id="rtop-header"><h1>RtoP Search</h1>
<p>Ask questions about Responsibility-to-Protect documents. Every answer quotes its sources
exactly, with a citation you can paste and a link to the passage in the document.</p></div>"""


def _document_filters() -> list[Any]:
    """Type, state and year of the Documents tab (choices filled in when an index is served)."""
    return [gr.Dropdown([("Any type", ANY)], value=ANY, label="Type", elem_id="doc-type"),
            gr.Dropdown([("Any state", ANY)], value=ANY, label="State", filterable=True,
                        elem_id="doc-state"),
            gr.Dropdown([("Any year", ANY)], value=ANY, label="Year", elem_id="doc-year")]


def _filters() -> list[Any]:
    """Document type, state and year range dropdowns (choices filled in on page load)."""
    with gr.Accordion("Filters", open=False), gr.Row():
        doc_type = gr.Dropdown([("Any type", ANY)], value=ANY, label="Document type")
        state = gr.Dropdown([("Any state", ANY)], value=ANY, label="State", filterable=True)
        year_from = gr.Dropdown([("Any year", ANY)], value=ANY, label="From year")
        year_to = gr.Dropdown([("Any year", ANY)], value=ANY, label="To year")
    return [doc_type, state, year_from, year_to]


def build_ui(get_service: Callable[[], SearchService],
             index_uploads: Callable[[list[Path]], dict[str, Any]] | None = None,
             get_health: Callable[[], dict[str, Any]] | None = None,
             generative: bool = False) -> gr.Blocks:
    """The Blocks: a build display over the Ask, Search, Documents and Upload tabs, all over
    one service.

    ``index_uploads`` indexes saved files and returns the per-file result (the server runs it
    as a background job); without it uploads are disabled. ``get_health`` is what
    /api/health reports: the display polls it and the tabs refresh when a build lands.
    ``generative`` shows the switch between written (checked) answers and quotes only.
    """
    h = Handlers(get_service, index_uploads, get_health)
    with gr.Blocks(title="RtoP Search", analytics_enabled=False) as demo:
        gr.HTML(HEADER)
        status = gr.HTML(elem_id="build-status")
        served = gr.State(None)  # the corpus version the tabs show
        timer = gr.Timer(STATUS_EVERY)
        with gr.Tabs() as tabs:
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="Your question", scale=5, lines=1,
                                          placeholder="e.g. Which states named focal points?",
                                          elem_id="question")
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-btn")
                gr.Examples(EXAMPLES, inputs=[question], label="Try an example")
                ask_filters = _filters()
                mode = gr.Radio([("Written answer, every sentence checked", "generative"),
                                 ("Quotes only", "extractive")],
                                value="generative" if generative else "extractive",
                                label="Answer", visible=generative, elem_id="answer-mode")
                answer = gr.HTML(render_placeholder("Ask a question to see a cited answer."),
                                 js_on_load=style.CARDS_JS, elem_id="answer")
                with gr.Accordion("Export the sources of this answer", open=False):
                    with gr.Tab("Plain text"):
                        plain = gr.Textbox(show_label=False, lines=4, buttons=["copy"],
                                           elem_id="export-plain")
                    with gr.Tab("OSCOLA"):
                        osc = gr.Textbox(show_label=False, lines=4, buttons=["copy"])
                    with gr.Tab("BibTeX"):
                        bib = gr.Textbox(show_label=False, lines=8, buttons=["copy"])
            with gr.Tab("Search", id="search"):
                with gr.Row(equal_height=True):
                    query = gr.Textbox(label="Search passages", scale=5,
                                       placeholder="e.g. national focal points")
                    k = gr.Slider(1, 50, value=10, step=1, label="Passages", scale=1)
                    search_btn = gr.Button("Search", variant="primary", scale=1)
                search_filters = _filters()
                results = gr.HTML(render_placeholder("Ranked passages will appear here."),
                                  js_on_load=style.CARDS_JS, elem_id="results")
            with gr.Tab("Documents", id="documents"):
                stats = gr.HTML(elem_id="stats")
                with gr.Accordion("Last index build", open=False):
                    report = gr.HTML()
                counts = gr.HTML(elem_id="collections")
                with gr.Row():
                    collection = gr.Dropdown([("Any collection", ANY)], value=ANY,
                                             label="Collection", elem_id="doc-collection")
                    doc_filters = _document_filters()
                doc_table = gr.HTML(js_on_load=style.CARDS_JS, elem_id="doc-table")
                page = gr.State(0)
                with gr.Row(equal_height=True):
                    prev_btn = gr.Button("← Previous", size="sm", scale=1, elem_id="doc-prev")
                    page_info = gr.HTML(elem_id="doc-page")
                    next_btn = gr.Button("Next →", size="sm", scale=1, elem_id="doc-next")
                doc_pick = gr.Dropdown([], label="Read a document (this page)", value=None,
                                       elem_id="doc-pick")
                doc_view = gr.HTML(viewer_placeholder(), js_on_load=style.VIEWER_JS,
                                   elem_id="viewer")
            with gr.Tab("Upload", id="upload"):
                upload_note = gr.Markdown()
                files = gr.File(file_count="multiple", label="Documents to add",
                                file_types=sorted(SUPPORTED_SUFFIXES))
                key = gr.Textbox(label="API key", type="password",
                                 placeholder="the server's RTOP_API_KEY")
                upload_btn = gr.Button("Upload and index", variant="primary")
                upload_out = gr.HTML()

        ask_io = dict(fn=friendly(h.ask), inputs=[question, *ask_filters, mode],
                      outputs=[answer, plain, osc, bib])
        ask_btn.click(**ask_io)
        question.submit(**ask_io)
        search_io = dict(fn=friendly(h.search), inputs=[query, *search_filters, k],
                         outputs=[results])
        search_btn.click(**search_io)
        query.submit(**search_io)

        @friendly
        def open_doc(evt: gr.EventData) -> tuple[Any, Any, str]:
            doc_id, html = h.open_from_event(evt._data or {})
            return gr.Tabs(selected="documents"), gr.Dropdown(value=doc_id), html

        for source in (answer, results, doc_table):
            source.click(open_doc, outputs=[tabs, doc_pick, doc_view])
        doc_pick.input(friendly(h.view), inputs=[doc_pick], outputs=[doc_view])

        listing_in = [collection, *doc_filters]
        listing_out = [doc_table, page_info, counts, doc_pick, page]

        def listing(delta: int) -> Callable[..., tuple[Any, ...]]:
            @friendly
            def show(coll: str, doc_type: str, state: str, year: Any,
                     at: int) -> tuple[Any, ...]:
                table, label, per_collection, picks, shown = h.documents(
                    coll, doc_type, state, year, (at or 0) + delta if delta else 0)
                return table, label, per_collection, gr.Dropdown(choices=picks, value=None), shown
            return show

        for widget in listing_in:
            widget.input(listing(0), inputs=[*listing_in, page], outputs=listing_out)
        prev_btn.click(listing(-1), inputs=[*listing_in, page], outputs=listing_out)
        next_btn.click(listing(+1), inputs=[*listing_in, page], outputs=listing_out)

        refreshed = [*ask_filters, *search_filters, collection, *doc_filters, stats, report,
                     *listing_out]

        @friendly
        def refresh(shown: str | None) -> tuple[Any, ...]:
            """The build display every few seconds; every tab anew when another index is
            served (the first build landed, an upload or reindex finished)."""
            banner, version = h.build_status()
            if version == shown:
                return (banner, shown, *[gr.skip()] * len(refreshed))
            f = h.facets()
            choices = [gr.Dropdown(choices=f[name]) for name in ("type", "state", "year", "year")]
            doc_choices = [gr.Dropdown(choices=h.collections(), value=ANY),
                           *(gr.Dropdown(choices=f[name], value=ANY)
                             for name in ("type", "state", "year"))]
            stats_html, build = h.overview()
            table, label, per_collection, picks, at = h.documents(ANY, ANY, ANY, ANY, 0)
            return (banner, version, *choices, *choices, *doc_choices, stats_html, build,
                    table, label, per_collection, gr.Dropdown(choices=picks, value=None), at)

        timer.tick(refresh, inputs=[served], outputs=[status, served, *refreshed])
        demo.load(refresh, inputs=[served], outputs=[status, served, *refreshed])

        @demo.load(outputs=[upload_note])
        def upload_note_text() -> str:
            return ("Add documents to the corpus. Uploads need the server's API key."
                    if h.uploads_enabled() else
                    "**Uploads are disabled**: the server has no API key configured "
                    "(start it with `RTOP_API_KEY` set to enable them).")

        @friendly
        def do_upload(paths: list[str] | None, api_key: str,
                      progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008
            return h.upload(paths, api_key, progress)

        upload_btn.click(do_upload, inputs=[files, key], outputs=[upload_out]).then(
            refresh, inputs=[served], outputs=[status, served, *refreshed])
    return demo


def render_placeholder(text: str) -> str:
    from ui.render import esc

    return f'<div class="rtop"><p class="hint">{esc(text)}</p></div>'


def mount_ui(app: FastAPI, get_service: Callable[[], SearchService],
             index_uploads: Callable[[list[Path]], dict[str, Any]] | None = None,
             max_file_size: int | None = None,
             get_health: Callable[[], dict[str, Any]] | None = None,
             generative: bool = False) -> None:
    """Mount the UI at / on the API's app; no analytics, no fonts or assets from the internet.

    ``max_file_size`` (bytes): Gradio refuses larger uploads while they stream in.
    ``generative``: a language model is configured, so the Ask tab offers written answers.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    gr.mount_gradio_app(app, build_ui(get_service, index_uploads, get_health, generative),
                        path="/",
                        theme=style.theme(), css=style.CSS, footer_links=[], show_error=True,
                        max_file_size=max_file_size)
    log.info("UI mounted at /")
