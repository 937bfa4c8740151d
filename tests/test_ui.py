"""Rendering functions of the UI on hand-made answer-contract dicts (offline, no browser)."""

from __future__ import annotations

import re

import pytest

from indexer.errors import InvalidQueryError
from ui import render, viewer
from ui.export import exports, meta_from_citation

TEXT = "Intro line.\nMeanwhile Ghana and Denmark have appointed focal points. <b>More</b> text."
QUOTE = "Meanwhile Ghana and Denmark have appointed focal points."
START = TEXT.index(QUOTE)


def citation(n: int = 1, **extra: object) -> dict:
    c = {"n": n, "doc_id": "doc1", "title": "Focal points <page>", "quote": QUOTE,
         "char_start": START, "char_end": START + len(QUOTE), "page": 3, "paragraph": "12",
         "citation": "ICRtoP, 'Focal points' (2 February 2011), para. 12, p. 3", "score": 0.5,
         "page_label": None, "doc_type": "ngo-page", "date": "2011-02-02", "year": 2011,
         "state": None, "symbol": None, "publisher": "ICRtoP"}
    c.update(extra)
    return c


def answer(**extra: object) -> dict:
    a = {"question": "Which states named focal points?", "answer": "2 states: Ghana [1]; "
         "Denmark [1, 2].", "refused": False,
         "items": [{"label": "Ghana", "citations": [1]}, {"label": "Denmark", "citations": [1, 2]}],
         "citations": [citation(1), citation(2)], "related": [], "corpus_version": "abc123",
         "filters_applied": {}}
    a.update(extra)
    return a


def test_answer_has_numbered_markers_and_one_card_per_citation() -> None:
    html = render.answer_html(answer(), {"doc1": TEXT})
    assert html.count('class="card evidence"') == 2
    assert re.findall(r'data-ref="(\d)"', html.split("<table")[0]) == ["1", "1", "2"]
    assert 'id="evidence-1"' in html and 'id="evidence-2"' in html
    assert "Focal points &lt;page&gt;" in html  # titles escaped
    assert "p. 3 · para. 12" in html and "NGO page" in html and "2 February 2011" in html
    assert 'data-copy="ICRtoP, &#x27;Focal points&#x27;' in html
    assert f'data-doc="doc1" data-start="{START}" data-end="{START + len(QUOTE)}"' in html


def test_quote_is_marked_inside_escaped_context() -> None:
    html = render.marked_quote(citation(), TEXT)
    assert f'<mark class="quote">{QUOTE}</mark>' in html
    assert "&lt;b&gt;More&lt;/b&gt;" in html and "<b>" not in html
    assert "Intro line." in html


def test_quote_without_matching_text_is_shown_alone() -> None:
    html = render.marked_quote(citation(), "something else entirely")
    assert html == f'<mark class="quote">{QUOTE}</mark>'


def test_list_answer_renders_item_quote_source_table() -> None:
    html = render.list_table(answer())
    assert "<th>Item</th><th>Supporting quote</th><th>Source</th>" in html
    rows = re.findall(r"<tr><td class=\"item\">(.*?)</td>", html)
    assert rows == ["Ghana", "Denmark"]
    assert "<mark>Denmark</mark>" in html  # the item is emphasised inside its quote


def test_refusal_is_labelled_and_related_passages_are_set_apart() -> None:
    related = [citation(1)]
    html = render.answer_html(answer(refused=True, answer="The corpus holds no evidence.",
                                     items=[], citations=[], related=related), {"doc1": TEXT})
    assert render.REFUSAL_TITLE in html
    assert "Related passages" in html and "not evidence" in html
    assert 'class="card related"' in html and 'class="card evidence"' not in html
    assert html.index(render.REFUSAL_TITLE) < html.index("Related passages")


def test_answer_text_is_escaped() -> None:
    html = render.markers_to_links("<script>x</script> [3]")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'data-ref="3"' in html


def test_every_marker_form_links_each_evidence_number() -> None:
    html = render.markers_to_links("Ghana [1, 2]. Denmark [3-5]. Peru [6; 7].")
    refs = re.findall(r'data-ref="(\d+)" href="#evidence-\1"', html)
    assert refs == ["1", "2", "3", "4", "5", "6", "7"]
    assert "[" not in re.sub(r"<sup>\[.*?\]</sup>", "", html)


def test_search_results_and_empty_search() -> None:
    result = {"query": "focal <points>", "results": [citation(1)], "corpus_version": "v"}
    assert render.search_html(result, {}).count('class="card evidence"') == 1
    empty = render.search_html({"query": "x<y", "results": []})
    assert "No passages found" in empty and "x&lt;y" in empty


def test_viewer_highlights_span_and_escapes_text() -> None:
    doc = {"title": "T & co", "doc_type": "ngo-page"}
    html = viewer.viewer_html(doc, TEXT, START, START + len(QUOTE),
                              [{"index": 1, "start": 0, "end": len(TEXT), "label": "iv"}])
    assert f'<mark id="cited-span" class="quote">{QUOTE}</mark>' in html
    assert "&lt;b&gt;More&lt;/b&gt;" in html and "<b>More" not in html
    assert "T &amp; co" in html and "on page iv" in html


@pytest.mark.parametrize("span", [(None, None), (5, 5), (-1, 4), (0, 10_000)])
def test_viewer_without_a_valid_span_shows_plain_text(span: tuple) -> None:
    html = viewer.viewer_html({"title": "T"}, TEXT, *span)
    assert "<mark" not in html and "Intro line." in html


def test_build_report_lists_failed_files_with_reason() -> None:
    report = {"added": ["a"], "failed": [{"path": "scan.pdf", "reason": "no text layer",
                                          "hint": "OCR it <first>"}], "seconds": 1.5}
    html = viewer.build_report_html(report)
    assert "scan.pdf" in html and "no text layer" in html and "OCR it &lt;first&gt;" in html
    assert "1 added" in html and "1 failed" in html
    assert "Every file was indexed" in viewer.build_report_html({"added": ["a"]})


def test_upload_results_show_per_file_outcome() -> None:
    html = viewer.upload_results_html(
        [{"file": "a.txt", "status": "indexed"},
         {"file": "b.exe", "status": "failed", "reason": "not accepted", "hint": "use .pdf"}],
        {"documents": 4, "chunks": 40, "corpus_version": "v2"})
    assert "indexed" in html and "not accepted" in html and "v2" in html


def test_exports_plain_oscola_bibtex() -> None:
    plain, osc, bib = exports([citation(1)])
    assert plain.startswith("[1] ICRtoP, 'Focal points'") and QUOTE in plain
    # OSCOLA: "publisher, 'title' (date), para 12" -- paragraph pinpoint wins over the page
    assert osc == "[1] ICRtoP, 'Focal points <page>' (2 February 2011), para 12."
    assert bib.startswith("@misc{doc1-1,") and "year = {2011}" in bib


def test_meta_from_citation_keeps_known_fields() -> None:
    meta = meta_from_citation(citation(symbol="A/RES/60/1", state="Ghana"))
    assert (meta.title, meta.doc_type, meta.symbol, meta.year) == (
        "Focal points <page>", "ngo-page", "A/RES/60/1", 2011)


def test_filters_and_blank_question_are_refused_like_the_api() -> None:
    from search_api.query import check_question
    from ui.handlers import filters_in

    f = filters_in("ngo-page", "", "2010", "")
    assert (f.type, f.state, f.year_from, f.year_to) == ("ngo-page", None, 2010, None)
    with pytest.raises(InvalidQueryError, match="empty"):
        check_question("   ", "question")
    with pytest.raises(InvalidQueryError, match="longer than 1,000"):
        check_question("x" * 1001)


def test_domain_errors_become_gr_error_with_hint() -> None:
    import gradio as gr

    from ui.handlers import friendly

    @friendly
    def fails() -> None:
        raise InvalidQueryError("Unknown state 'Atlantis'.", "Use a state name.")

    with pytest.raises(gr.Error, match="Unknown state 'Atlantis'. Use a state name."):
        fails()


def test_examples_fit_the_gallery_uncut() -> None:
    from ui.app import EXAMPLE_CHARS, EXAMPLES

    assert EXAMPLES and all(len(e) <= EXAMPLE_CHARS for e in EXAMPLES), EXAMPLES
