"""Turn the API's filter fields into index Filters, rejecting unknown values helpfully."""

from __future__ import annotations

from typing import Any

from indexer import countries
from indexer.errors import InvalidQueryError
from indexer.models import Filters
from search_api.schemas import FilterIn


def to_filters(given: FilterIn, service: Any) -> Filters:
    """Validated Filters; ``service.facets()`` supplies the known document types."""
    if given.year_from and given.year_to and given.year_from > given.year_to:
        raise InvalidQueryError(f"year_from {given.year_from} is after year_to {given.year_to}.",
                                "Give a range with year_from <= year_to.")
    state = None
    if given.state:
        state = countries.resolve_state(given.state)
        if state is None:
            raise InvalidQueryError(f"Unknown state {given.state!r}.",
                                    "Use a state name (e.g. 'Costa Rica') or ISO code (CRI).")
    if given.type:
        known = service.facets()["type"]
        if given.type not in known:
            raise InvalidQueryError(f"Unknown document type {given.type!r}.",
                                    "Known types: " + ", ".join(known))
    return Filters(doc_type=given.type or None, year_from=given.year_from,
                   year_to=given.year_to, state_iso3=state, symbol=given.symbol or None,
                   source=given.source or None)
