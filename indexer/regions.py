"""Groups of states a question may name ("African countries", "Nordic states", "EU members").

Membership comes from UN M49 (continent and sub-region, in regions.json) plus a few groups that
M49 does not define (the Nordic countries, the League of Arab States).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

NORDIC = frozenset({"DNK", "FIN", "ISL", "NOR", "SWE"})
ARAB_LEAGUE = frozenset({"DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY",
                         "MRT", "MAR", "OMN", "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN",
                         "ARE", "YEM"})
LATIN_AMERICA = ("South America", "Central America", "Caribbean")
PACIFIC_ISLANDS = ("Melanesia", "Micronesia", "Polynesia")


@functools.lru_cache(maxsize=1)
def _states() -> dict[str, tuple[str, str, bool]]:
    data = json.loads(Path(__file__).with_name("regions.json").read_text())
    return {iso3: (continent, region, eu) for iso3, (continent, region, eu)
            in data["states"].items()}


def _where(test) -> frozenset[str]:
    return frozenset(iso3 for iso3, row in _states().items() if test(*row))


_NOT_ORG = r"(?!\s+(?:union|commission|court|group|centre|center|development|parliament))"
GROUPS: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(r"\blatin[- ]american?\b", re.I), lambda: _where(lambda c, r, e: r in
                                                                LATIN_AMERICA)),
    (re.compile(r"\bcaribbean\b", re.I), lambda: _where(lambda c, r, e: r == "Caribbean")),
    (re.compile(r"\bpacific(?:[- ]island)?\b", re.I),
     lambda: _where(lambda c, r, e: r in PACIFIC_ISLANDS)),
    (re.compile(r"\bafrican?\b" + _NOT_ORG, re.I), lambda: _where(lambda c, r, e: c == "Africa")),
    (re.compile(r"\basian?\b" + _NOT_ORG, re.I), lambda: _where(lambda c, r, e: c == "Asia")),
    (re.compile(r"\beuropean union\b|\beu member|\beu states\b", re.I),
     lambda: _where(lambda c, r, e: e)),
    (re.compile(r"\beurop(?:e|ean)\b" + _NOT_ORG, re.I),
     lambda: _where(lambda c, r, e: c == "Europe")),
    (re.compile(r"\bnordic\b|\bscandinavian?\b", re.I), lambda: NORDIC),
    (re.compile(r"\barab\b", re.I), lambda: ARAB_LEAGUE),
)


def group_in(text: str) -> tuple[frozenset[str] | None, str]:
    """The states of the groups the text names ("Latin American and Caribbean states": both),
    and the text without those phrases."""
    found: frozenset[str] | None = None
    for pattern, members in GROUPS:
        if m := pattern.search(text):
            found = (found or frozenset()) | members()
            text = text[: m.start()] + " " + text[m.end():]
    return found, text
