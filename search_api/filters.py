"""Turn the API's filter fields into index Filters, rejecting unknown values helpfully."""

from __future__ import annotations

from typing import Any

from indexer import countries
from indexer.errors import InvalidQueryError
from indexer.models import Filters
from search_api.http import short
from search_api.schemas import DocumentsParams, FilterIn


def resolve_state(text: str | None) -> str | None:
    """The ISO code of a state given by name or code; None when none is given."""
    if not text:
        return None
    iso3 = countries.resolve_state(text)
    if iso3 is None:
        raise InvalidQueryError(f"Unknown state {short(text)!r}.",
                                "Use a state name (e.g. 'Costa Rica') or ISO code (CRI).")
    return iso3


def listing_where(params: DocumentsParams) -> dict[str, Any]:
    """The conditions of a document listing, with the state resolved to its ISO code."""
    return {"source": params.collection, "doc_type": params.type, "year": params.year,
            "state_iso3": resolve_state(params.state)}


def to_filters(given: FilterIn, service: Any) -> Filters:
    """Validated Filters; ``service.facets()`` supplies the known document types."""
    if given.year_from and given.year_to and given.year_from > given.year_to:
        raise InvalidQueryError(f"year_from {given.year_from} is after year_to {given.year_to}.",
                                "Give a range with year_from <= year_to.")
    state = resolve_state(given.state)
    if given.type:
        known = service.facets()["type"]
        if given.type not in known:
            raise InvalidQueryError(f"Unknown document type {given.type!r}.",
                                    "Known types: " + ", ".join(known))
    return Filters(doc_type=given.type or None, year_from=given.year_from,
                   year_to=given.year_to, state_iso3=state, symbol=given.symbol or None,
                   source=given.source or None)
