"""Pure HTML rendering of the Documents tab: corpus stats, document list, build report, viewer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from search_api.citations import human_date
from ui.render import esc, type_label


def page_at(pages: Sequence[Mapping[str, Any]], offset: int) -> str | None:
    """The printed label (or 1-based index) of the page holding ``offset``, if any."""
    for p in pages:
        if p["start"] <= offset < p["end"]:
            return str(p.get("label") or p["index"])
    return None


def viewer_html(doc: Mapping[str, Any], text: str, start: int | None = None,
                end: int | None = None, pages: Sequence[Mapping[str, Any]] = ()) -> str:
    """The stored text, escaped, with ``text[start:end]`` in a <mark id="cited-span">."""
    when = human_date(doc.get("date")) or (str(doc["year"]) if doc.get("year") else None)
    chips = [type_label(doc.get("doc_type")), when, doc.get("state"), doc.get("symbol"),
             doc.get("publisher"), f"{len(text):,} characters"]
    meta = "".join(f'<span class="chip">{esc(x)}</span>' for x in chips if x)
    valid = start is not None and end is not None and 0 <= start < end <= len(text)
    if valid:
        assert start is not None and end is not None
        body = (f"{esc(text[:start])}<mark id=\"cited-span\" class=\"quote\">"
                f"{esc(text[start:end])}</mark>{esc(text[end:])}")
        page = page_at(pages, start)
        where = f" on page {esc(page)}" if page else ""
        note = (f'<p class="hint">The highlighted passage (characters {start:,}–{end:,}){where} '
                "is the cited text.</p>")
    else:
        body, note = esc(text), ""
    return (f'<div class="rtop viewer"><h3 class="title">{esc(doc.get("title"))}</h3>'
            f'<div class="meta">{meta}</div>{note}'
            f'<div class="doc-text">{body}</div></div>')


def viewer_placeholder() -> str:
    return ('<div class="rtop viewer empty"><p class="hint">Choose a document above, or use '
            "“Open in document” on an evidence card, to read the stored text here.</p></div>")


def stats_html(health: Mapping[str, Any]) -> str:
    """Corpus size, model and version, as a row of figures."""
    figures = [("Documents", f"{health.get('documents', 0):,}"),
               ("Passages", f"{health.get('chunks', 0):,}"),
               ("Corpus version", health.get("corpus_version")),
               ("Built", (health.get("built_at") or "")[:16].replace("T", " ")),
               ("Model", (health.get("model") or "").rsplit("/", 1)[-1])]
    cells = "".join(f'<div class="fig"><span class="v">{esc(v)}</span>'
                    f'<span class="k">{esc(k)}</span></div>' for k, v in figures)
    return f'<div class="rtop stats">{cells}</div>'


def documents_table(listing: Mapping[str, Any]) -> str:
    """The corpus, one row per document, each with an open button."""
    rows = []
    for d in listing.get("documents", []):
        when = human_date(d.get("date")) or (str(d["year"]) if d.get("year") else "—")
        flags = "".join(f'<span class="chip warn">{esc(f)}</span>' for f in d.get("flags", []))
        rows.append(
            f'<tr><td><b>{esc(d.get("title"))}</b>{flags}<div class="path">{esc(d.get("path"))}'
            f'</div></td><td>{esc(type_label(d.get("doc_type")))}</td><td>{esc(when)}</td>'
            f'<td>{esc(d.get("state") or "—")}</td><td>{esc(d.get("symbol") or "—")}</td>'
            f'<td><button class="act open-doc" data-doc="{esc(d["doc_id"])}">Read →</button>'
            "</td></tr>")
    if not rows:
        return ('<div class="rtop"><p class="hint">No document matches these filters. '
                "Choose “Any” in a filter to widen the list.</p></div>")
    return ('<div class="rtop"><table class="doc-table"><thead><tr><th>Title</th><th>Type</th>'
            "<th>Date</th><th>State</th><th>Symbol</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def page_label(listing: Mapping[str, Any]) -> str:
    """'Documents 51–100 of 1,178' for the page shown."""
    total, offset = listing.get("total", 0), listing.get("offset", 0)
    shown = len(listing.get("documents", []))
    if not shown:
        return f'<p class="hint page-label">0 of {total:,} documents</p>'
    return (f'<p class="hint page-label">Documents {offset + 1:,}–{offset + shown:,} '
            f"of {total:,}</p>")


def collection_counts_html(counts: Mapping[str, int]) -> str:
    """One chip per collection (top folder of the corpus) with its number of documents."""
    chips = "".join(f'<span class="chip">{esc(name)}: {n:,}</span>'
                    for name, n in sorted(counts.items()))
    return f'<div class="rtop collections"><span class="hint">Collections</span> {chips}</div>'


def build_status_html(health: Mapping[str, Any]) -> str:
    """The running build (documents and passages done, time left) or why there is no index;
    empty when the index is loaded and nothing is building."""
    job, loaded = health.get("job") or {}, health.get("index_loaded", False)
    p = job.get("progress") or {}
    if health.get("status") == "failed":
        return (f'<div class="rtop build-status failed"><b>{esc(health.get("message"))}</b> '
                f'<span class="hint">{esc(health.get("hint"))}</span></div>')
    if "documents_total" in p:
        done, total = p["documents_done"], p["documents_total"]
        eta = p.get("eta_seconds")
        left = f", about {_duration(eta)} left" if eta is not None else ""
        what = ("Updating the index" if loaded else "Building the first index")
        meanwhile = ("Answers come from the previous index until it finishes." if loaded else
                     "Questions can be answered when it finishes.")
        pct = round(100 * done / total) if total else 100
        return (f'<div class="rtop build-status" data-done="{done}" data-total="{total}">'
                f"<b>{what}: {done:,} of {total:,} documents, {p.get('chunks_done', 0):,} "
                f'passages embedded{left}.</b> <span class="hint">{meanwhile}</span>'
                f'<div class="bar"><div style="width:{pct}%"></div></div></div>')
    if not loaded:
        return (f'<div class="rtop build-status"><b>{esc(health.get("message"))}</b> '
                f'<span class="hint">{esc(health.get("hint"))}</span></div>')
    return ""


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} s"
    return f"{round(seconds / 60)} min"


def build_report_html(report: Mapping[str, Any]) -> str:
    """The last build: what changed and every file that failed, with the reason and a hint."""
    if not report:
        return '<div class="rtop"><p class="hint">No build report stored.</p></div>'
    counts = (f"{len(report.get('added', []))} added · {len(report.get('updated', []))} updated · "
              f"{len(report.get('removed', []))} removed · {report.get('unchanged', 0)} unchanged "
              f"· {len(report.get('failed', []))} failed · {report.get('seconds', 0):.1f} s")
    problems = []
    for kind, items in (("failed", report.get("failed", [])),
                        ("skipped", report.get("skipped", []))):
        for f in items:
            hint = f'<div class="hint">{esc(f.get("hint"))}</div>' if f.get("hint") else ""
            problems.append(f'<li class="{kind}"><span class="chip warn">{kind}</span> '
                            f'<code>{esc(f.get("path"))}</code>: {esc(f.get("reason"))}{hint}</li>')
    for f in report.get("flagged", []):
        problems.append(f'<li><span class="chip">flagged</span> <code>{esc(f.get("path"))}'
                        f'</code>: {esc(f.get("flag"))}</li>')
    listed = f"<ul class=\"problems\">{''.join(problems)}</ul>" if problems else \
        '<p class="ok">Every file was indexed.</p>'
    return f'<div class="rtop report"><p>{esc(counts)}</p>{listed}</div>'


def upload_results_html(files: Sequence[Mapping[str, Any]], totals: Mapping[str, Any]) -> str:
    """Per-file outcome of an upload: indexed, or failed with the reason and what to do."""
    rows = []
    for f in files:
        ok = f.get("status") == "indexed"
        why = "" if ok else f'{esc(f.get("reason"))} <span class="hint">{esc(f.get("hint"))}</span>'
        rows.append(f'<tr><td><code>{esc(f.get("file"))}</code></td>'
                    f'<td><span class="chip {"ok" if ok else "warn"}">{esc(f.get("status"))}'
                    f"</span></td><td>{why}</td></tr>")
    summary = ""
    if totals:
        summary = (f'<p class="hint">The index now holds {totals.get("documents", 0):,} documents'
                   f' ({totals.get("chunks", 0):,} passages), corpus version '
                   f'{esc(totals.get("corpus_version"))}.</p>')
    return ('<div class="rtop"><table class="doc-table"><thead><tr><th>File</th><th>Result</th>'
            f"<th>Reason</th></tr></thead><tbody>{''.join(rows)}</tbody></table>{summary}</div>")
