"""Citation export of an answer's sources: plain text, OSCOLA and BibTeX."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from indexer.models import DocMeta
from search_api.citations import bibtex, oscola

_META_FIELDS = ("doc_type", "publisher", "date", "year", "state", "symbol")


def meta_from_citation(c: Mapping[str, Any]) -> DocMeta:
    """DocMeta from the fields a citation object carries (used when the index metas are absent)."""
    return DocMeta(title=c.get("title") or c["doc_id"],
                   **{k: c[k] for k in _META_FIELDS if c.get(k) is not None})


def _pin(c: Mapping[str, Any]) -> dict[str, Any]:
    return {"page_label": c.get("page_label"), "page": c.get("page"),
            "paragraph": c.get("paragraph")}


def exports(citations: Sequence[Mapping[str, Any]],
            metas: Mapping[str, DocMeta] | None = None) -> tuple[str, str, str]:
    """(plain text, OSCOLA, BibTeX) for the citations, numbered as in the answer."""
    metas = metas or {}
    plain, osc, bib = [], [], []
    for c in citations:
        meta = metas.get(c["doc_id"]) or meta_from_citation(c)
        plain.append(f"[{c['n']}] {c.get('citation')}. “{c['quote']}”")
        osc.append(f"[{c['n']}] {oscola(meta, **_pin(c))}.")
        bib.append(bibtex(meta, f"{c['doc_id']}-{c['n']}", **_pin(c)))
    return "\n".join(plain), "\n".join(osc), "\n\n".join(bib)
