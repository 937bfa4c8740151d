"""Pure HTML rendering of the answer contract: answers, evidence cards, list tables, refusals.

Every piece of document or user text passes through ``html.escape``; the functions take the
contract dicts (as returned by ``SearchService.ask`` / ``search``) and stored texts only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from search_api.citations import human_date, paragraph_label
from search_api.claims import MARKER, cited_numbers

DRAFT_NOTE = "The model is writing. Nothing here is checked yet: each sentence is checked " \
             "against the quote it cites when the answer is complete."
CONTEXT_CHARS = 180
REFUSAL_TITLE = "No evidence in the corpus"

Texts = Mapping[str, str]


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_ACRONYMS = {"ngo": "NGO", "un": "UN", "unga": "UNGA", "unsc": "UNSC", "sg": "SG"}


def type_label(doc_type: str | None) -> str:
    """"general-debate-statement" -> "General debate statement", "ngo-page" -> "NGO page"."""
    words = (doc_type or "document").split("-")
    text = " ".join(_ACRONYMS.get(w.lower(), w) for w in words)
    return text[:1].upper() + text[1:]


def locator(c: Mapping[str, Any]) -> str:
    """Page and paragraph of a citation, e.g. "p. 3 · para. 12" ('' when neither is known)."""
    page = c.get("page_label") or c.get("page")
    parts = [f"p. {page}" if page is not None else None, paragraph_label(c.get("paragraph"))]
    return " · ".join(p for p in parts if p)


def meta_line(c: Mapping[str, Any]) -> str:
    """Type, date or year, state, symbol and locator of a citation, as escaped HTML chips."""
    when = human_date(c.get("date")) or (str(c["year"]) if c.get("year") else None)
    chips = [type_label(c.get("doc_type")), when, c.get("state"), c.get("symbol"), locator(c)]
    return "".join(f'<span class="chip">{esc(x)}</span>' for x in chips if x)


def _trim(text: str, *, left: bool) -> str:
    """Cut context at a word boundary so it does not start or end mid-word."""
    if left:
        cut = text.find(" ")
        return "…" + text[cut + 1:] if 0 <= cut < 40 else "…" + text
    cut = text.rfind(" ")
    return text[:cut] + "…" if cut > len(text) - 40 else text + "…"


def marked_quote(c: Mapping[str, Any], text: str | None = None,
                 context: int = CONTEXT_CHARS) -> str:
    """The quote inside <mark>, with a little escaped context from the stored text if given."""
    start, end, quote = c["char_start"], c["char_end"], c["quote"]
    if text is None or text[start:end] != quote:
        return f'<mark class="quote">{esc(quote)}</mark>'
    before, after = text[max(0, start - context):start], text[end:end + context]
    if start - context > 0:
        before = _trim(before, left=True)
    if end + context < len(text):
        after = _trim(after, left=False)
    return (f'<span class="ctx">{esc(before)}</span><mark class="quote">{esc(quote)}</mark>'
            f'<span class="ctx">{esc(after)}</span>')


def open_button(c: Mapping[str, Any], label: str = "Open in document") -> str:
    return (f'<button class="act open-doc" data-doc="{esc(c["doc_id"])}" '
            f'data-start="{int(c["char_start"])}" data-end="{int(c["char_end"])}">'
            f"{esc(label)} →</button>")


def copy_button(text: str, label: str = "Copy citation") -> str:
    return f'<button class="act copy" data-copy="{esc(text)}">{esc(label)}</button>'


def evidence_card(c: Mapping[str, Any], text: str | None = None, *, related: bool = False) -> str:
    """One card: number, title, metadata, highlighted quote, citation with copy and open."""
    kind = "related" if related else "evidence"
    badge = "related" if related else f"[{int(c['n'])}]"
    return (
        f'<article class="card {kind}" id="{kind}-{int(c["n"])}" data-n="{int(c["n"])}">'
        f'<header><span class="num">{esc(badge)}</span>'
        f'<h4 class="title">{esc(c.get("title"))}</h4></header>'
        f'<div class="meta">{meta_line(c)}</div>'
        f'<blockquote class="passage">{marked_quote(c, text)}</blockquote>'
        f'<div class="cite-row"><code class="cite-text">{esc(c.get("citation"))}</code></div>'
        f'<div class="actions">{copy_button(c.get("citation") or "")}{open_button(c)}</div>'
        "</article>")


def markers_to_links(answer: str) -> str:
    """Escape the answer text and turn markers ("[1, 2]", "[2-4]") into clickable
    superscript links, one per evidence number."""
    def link(m: re.Match[str]) -> str:
        nums = cited_numbers(m.group())
        refs = ",".join(f'<a class="cite-ref" data-ref="{n}" href="#evidence-{n}">{n}</a>'
                        for n in nums)
        return f"<sup>[{refs}]</sup>"

    return MARKER.sub(link, esc(answer)).replace("\n", "<br>")


def list_table(result: Mapping[str, Any]) -> str:
    """List answers as a table: item | supporting quote | source (one row per item)."""
    by_n = {c["n"]: c for c in result.get("citations", [])}
    rows = []
    for item in result.get("items", []):
        cited = [by_n[n] for n in item.get("citations", []) if n in by_n]
        if not cited:
            continue
        first, refs = cited[0], ",".join(
            f'<a class="cite-ref" data-ref="{c["n"]}" href="#evidence-{c["n"]}">{c["n"]}</a>'
            for c in cited)
        quote = f'<span class="q">“{emphasise(first["quote"], item.get("label", ""))}”</span>'
        source = (f'<div class="src">{esc(first.get("title"))}'
                  f'<span class="loc">{esc(locator(first))}</span></div>'
                  f'<div class="src-actions"><sup>[{refs}]</sup> {open_button(first, "Open")}'
                  "</div>")
        rows.append(f'<tr><td class="item">{esc(item.get("label"))}</td>'
                    f"<td>{quote}</td><td>{source}</td></tr>")
    return ('<table class="list-table"><thead><tr><th>Item</th><th>Supporting quote</th>'
            f"<th>Source</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def emphasise(quote: str, label: str) -> str:
    """The escaped quote with the first occurrence of ``label`` in <mark>."""
    i = quote.lower().find(label.lower()) if label else -1
    if i < 0:
        return esc(quote)
    j = i + len(label)
    return f"{esc(quote[:i])}<mark>{esc(quote[i:j])}</mark>{esc(quote[j:])}"


def refusal_block(result: Mapping[str, Any], texts: Texts | None = None) -> str:
    """A refusal, stated plainly, with the nearest passages set apart as related only."""
    texts = texts or {}
    related = result.get("related", [])
    head = (f'<section class="refusal"><h3>{REFUSAL_TITLE}</h3>'
            f'<p>{esc(result.get("answer"))}</p>'
            "<p class=\"hint\">Try other words, widen the filters, or check the Documents tab "
            "for what the corpus holds.</p></section>")
    if not related:
        return head
    cards = "".join(evidence_card(c, texts.get(c["doc_id"]), related=True) for c in related)
    return (head + '<section class="related-block"><h3>Related passages '
            '<span class="not-evidence">not evidence</span></h3>'
            "<p class=\"hint\">The closest passages the search found. They do not answer the "
            f"question and are not cited.</p>{cards}</section>")


def draft_html(question: str, draft: str) -> str:
    """A written answer as it streams in, labelled as not yet checked."""
    return (f'<div class="rtop answer"><p class="asked">Q: {esc(question)}</p>'
            f'<section class="answer-box draft" id="answer-draft"><p class="hint">{DRAFT_NOTE}'
            f'</p><p class="answer-text">{esc(draft).replace(chr(10), "<br>")}</p></section>'
            "</div>")


def checks_block(result: Mapping[str, Any]) -> str:
    """How a written answer was checked: the model, what was not shown as fact and why, and
    the warnings of a fallback to quotes."""
    parts = []
    if result.get("mode") == "generative":
        parts.append(f'<p class="hint written">Written by {esc(result.get("model"))} from the '
                     "evidence below; every sentence shown was checked against the quote it "
                     "cites.</p>")
    for warning in result.get("warnings", []):
        parts.append(f'<p class="warning">{esc(warning)}</p>')
    dropped = result.get("unsupported", [])
    if dropped:
        rows = "".join(
            f'<li><s>{esc(s["text"])}</s> <span class="cites">cites '
            f'{esc(", ".join(f"[{n}]" for n in s["citations"]) or "nothing")}</span>'
            f'<div class="reason">{esc(s["reason"])}</div></li>' for s in dropped)
        parts.append(f'<section class="unsupported" id="unsupported"><h4>Not shown as fact '
                     f"({len(dropped)})</h4><p class=\"hint\">The model wrote these, but the "
                     f"evidence they cite does not hold them.</p><ul>{rows}</ul></section>")
    return "".join(parts)


def answer_html(result: Mapping[str, Any], texts: Texts | None = None) -> str:
    """The whole answer: refusal, or list table / prose with markers, then evidence cards."""
    texts = texts or {}
    question = f'<p class="asked">Q: {esc(result.get("question"))}</p>'
    if result.get("refused"):
        return f'<div class="rtop answer">{question}{refusal_block(result, texts)}</div>'
    body = f'<p class="answer-text">{markers_to_links(result.get("answer", ""))}</p>'
    if result.get("items") and result.get("mode") != "generative":
        body += list_table(result)
    body += checks_block(result)
    citations = result.get("citations", [])
    cards = "".join(evidence_card(c, texts.get(c["doc_id"])) for c in citations)
    return (f'<div class="rtop answer">{question}<section class="answer-box">{body}</section>'
            f'<h3 class="evidence-head">Evidence ({len(citations)})</h3>{cards}'
            f'{footer(result)}</div>')


def search_html(result: Mapping[str, Any], texts: Texts | None = None) -> str:
    """Ranked passages of a search, best first, each as an evidence card."""
    texts = texts or {}
    results = result.get("results", [])
    if not results:
        return (f'<div class="rtop"><section class="refusal"><h3>No passages found</h3>'
                f"<p>Nothing matched “{esc(result.get('query'))}” with these filters.</p>"
                "</section></div>")
    cards = "".join(evidence_card(r, texts.get(r["doc_id"])) for r in results)
    return (f'<div class="rtop"><p class="asked">{len(results)} passages for '
            f"“{esc(result.get('query'))}”, best first</p>{cards}{footer(result)}</div>")


def footer(result: Mapping[str, Any]) -> str:
    applied = result.get("filters_applied") or {}
    shown = ", ".join(f"{esc(k)}={esc(v)}" for k, v in applied.items() if v not in (None, ""))
    extra = f" · filters: {shown}" if shown else ""
    return f'<p class="footer">Corpus version {esc(result.get("corpus_version"))}{extra}</p>'


def message_html(title: str, text: str, kind: str = "info") -> str:
    return f'<div class="rtop"><section class="{esc(kind)}"><h3>{esc(title)}</h3>' \
           f"<p>{esc(text)}</p></section></div>"
