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

EXAMPLES = [  # each is asked of the default collection by tests/test_default_collection.py
    "Which states referred to the Responsibility to Protect in the 2022 General Debate?",
    "Which states named focal points?",
    "Which African states invoked R2P at the 67th session?",
    "When was resolution 661 (1990) adopted?",
    "What did resolution 688 (1991) demand of Iraq?",
    "What did Croatia say about the responsibility to protect in 2021?",
]
HEADER = """<div id="rtop-header"><h1>RtoP Search</h1>
<p>Ask questions about Responsibility-to-Protect documents. Every answer quotes its sources
exactly, with a citation you can paste and a link to the passage in the document.</p></div>"""


def _filters() -> list[Any]:
    """Document type, state and year range dropdowns (choices filled in on page load)."""
    with gr.Accordion("Filters", open=False), gr.Row():
        doc_type = gr.Dropdown([("Any type", ANY)], value=ANY, label="Document type")
        state = gr.Dropdown([("Any state", ANY)], value=ANY, label="State", filterable=True)
        year_from = gr.Dropdown([("Any year", ANY)], value=ANY, label="From year")
        year_to = gr.Dropdown([("Any year", ANY)], value=ANY, label="To year")
    return [doc_type, state, year_from, year_to]


def build_ui(get_service: Callable[[], SearchService],
             index_uploads: Callable[[list[Path]], dict[str, Any]] | None = None) -> gr.Blocks:
    """The Blocks: Ask, Search, Documents and Upload tabs over one service.

    ``index_uploads`` indexes saved files and returns the per-file result (the server runs it
    as a background job); without it uploads are disabled.
    """
    h = Handlers(get_service, index_uploads)
    with gr.Blocks(title="RtoP Search", analytics_enabled=False) as demo:
        gr.HTML(HEADER)
        with gr.Tabs() as tabs:
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="Your question", scale=5, lines=1,
                                          placeholder="e.g. Which states named focal points?",
                                          elem_id="question")
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-btn")
                gr.Examples(EXAMPLES, inputs=[question], label="Try an example")
                ask_filters = _filters()
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
                with gr.Accordion("All documents", open=True):
                    doc_table = gr.HTML(js_on_load=style.CARDS_JS, elem_id="doc-table")
                doc_pick = gr.Dropdown([], label="Read a document", value=None,
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

        ask_io = dict(fn=friendly(h.ask), inputs=[question, *ask_filters],
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

        @friendly
        def load() -> tuple[Any, ...]:
            f = h.facets()
            choices = [gr.Dropdown(choices=f[name]) for name in ("type", "state", "year", "year")]
            stats_html, table, build, picks = h.corpus()
            note = ("Add documents to the corpus. Uploads need the server's API key."
                    if h.uploads_enabled() else
                    "**Uploads are disabled**: the server has no API key configured "
                    "(start it with `RTOP_API_KEY` set to enable them).")
            return (*choices, *choices, stats_html, table, build, gr.Dropdown(choices=picks),
                    note)

        corpus_outputs = [stats, doc_table, report, doc_pick]
        demo.load(load, outputs=[*ask_filters, *search_filters, *corpus_outputs, upload_note])

        @friendly
        def do_upload(paths: list[str] | None, api_key: str,
                      progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
            out = h.upload(paths, api_key, progress)
            stats_html, table, build, picks = h.corpus()
            return out, stats_html, table, build, gr.Dropdown(choices=picks)

        upload_btn.click(do_upload, inputs=[files, key], outputs=[upload_out, *corpus_outputs])
    return demo


def render_placeholder(text: str) -> str:
    from ui.render import esc

    return f'<div class="rtop"><p class="hint">{esc(text)}</p></div>'


def mount_ui(app: FastAPI, get_service: Callable[[], SearchService],
             index_uploads: Callable[[list[Path]], dict[str, Any]] | None = None,
             max_file_size: int | None = None) -> None:
    """Mount the UI at / on the API's app; no analytics, no fonts or assets from the internet.

    ``max_file_size`` (bytes): Gradio refuses larger uploads while they stream in.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    gr.mount_gradio_app(app, build_ui(get_service, index_uploads), path="/",
                        theme=style.theme(), css=style.CSS, footer_links=[], show_error=True,
                        max_file_size=max_file_size)
    log.info("UI mounted at /")
