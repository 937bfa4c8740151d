"""Groups of states a question may name ("African countries", "Nordic states", "EU members").

Membership comes from UN M49 (continent and sub-region, in regions.json) plus a few groups that
M49 does not define (the UN's regional groups, the Nordic, Baltic, Benelux and Visegrad
countries, the League of Arab States, ASEAN, the G7, the G20, BRICS, SADC, ECOWAS, the African
Union, the Western Balkans, the former Soviet republics, the Portuguese-speaking countries, the
Security Council's permanent members, the republics of the former Yugoslavia); a group named
after "except", "leaving out" or "other than" is taken out.
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
PERMANENT_FIVE = frozenset({"CHN", "FRA", "RUS", "GBR", "USA"})  # the Charter's Article 23
FORMER_YUGOSLAVIA = frozenset({"BIH", "HRV", "MKD", "MNE", "SRB", "SVN"})  # its six republics
BALTIC = frozenset({"EST", "LVA", "LTU"})
BENELUX = frozenset({"BEL", "NLD", "LUX"})
ASEAN = frozenset({"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"})
G7 = frozenset({"CAN", "FRA", "DEU", "ITA", "JPN", "GBR", "USA"})
WESTERN_BALKANS = frozenset({"ALB", "BIH", "MKD", "MNE", "SRB"})  # the EU's term
# the peninsula's states in the usual wider reading (Romania and Slovenia often counted)
BALKANS = WESTERN_BALKANS | {"BGR", "HRV", "GRC", "ROU", "SVN"}
VISEGRAD = frozenset({"CZE", "HUN", "POL", "SVK"})
FORMER_SOVIET = frozenset({"ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA",
                           "RUS", "TJK", "TKM", "UKR", "UZB"})
# the original five and the members since 2024 (Egypt, Ethiopia, Iran, the UAE; Indonesia 2025)
BRICS = frozenset({"BRA", "RUS", "IND", "CHN", "ZAF", "EGY", "ETH", "IRN", "ARE", "IDN"})
G20 = frozenset({"ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN",
                 "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"})  # its state members
SADC = frozenset({"AGO", "BWA", "COM", "COD", "SWZ", "LSO", "MDG", "MWI", "MUS", "MOZ", "NAM",
                  "SYC", "ZAF", "TZA", "ZMB", "ZWE"})
# its fifteen members before Burkina Faso, Mali and the Niger left in 2025
ECOWAS = frozenset({"BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "NER",
                    "NGA", "SEN", "SLE", "TGO"})
LUSOPHONE = frozenset({"AGO", "BRA", "CPV", "GNB", "GNQ", "MOZ", "PRT", "STP", "TLS"})  # CPLP
# the UN's regional groups (elections and the General Assembly's seating of candidates)
EASTERN_EUROPEAN_GROUP = frozenset({
    "ALB", "ARM", "AZE", "BLR", "BIH", "BGR", "HRV", "CZE", "EST", "GEO", "HUN", "LVA", "LTU",
    "MNE", "MKD", "POL", "MDA", "ROU", "RUS", "SRB", "SVK", "SVN", "UKR"})
WEOG = frozenset({
    "AND", "AUS", "AUT", "BEL", "CAN", "DNK", "FIN", "FRA", "DEU", "GRC", "ISL", "IRL", "ISR",
    "ITA", "LIE", "LUX", "MLT", "MCO", "NLD", "NZL", "NOR", "PRT", "SMR", "ESP", "SWE", "CHE",
    "TUR", "GBR", "USA"})  # the United States sits with it as an observer
LATIN_AMERICA = ("South America", "Central America", "Caribbean")
PACIFIC_ISLANDS = ("Melanesia", "Micronesia", "Polynesia")


@functools.lru_cache(maxsize=1)
def _states() -> dict[str, tuple[str, str, bool]]:
    data = json.loads(Path(__file__).with_name("regions.json").read_text())
    return {iso3: (continent, region, eu) for iso3, (continent, region, eu)
            in data["states"].items()}


def _where(test) -> frozenset[str]:
    return frozenset(iso3 for iso3, row in _states().items() if test(*row))


# "African Union", "Central African Republic", "the South African Government": not a region
_NOT_ORG = (r"(?!\s+(?:union|commission|court|group|centre|center|development|parliament|"
            r"republic|government(?!s)|president|minister))")
# an M49 sub-region by its compass point: "west african", "east and southeast asian"
_COMPASS = {"north": "Northern", "south": "Southern", "east": "Eastern", "west": "Western",
            "central": "Central", "middle": "Middle", "southeast": "South-eastern"}
_POINT = r"(?:south[- ]?east|north|south|east|west|central|middle)(?:ern)?"
# (not the state "South Africa"; the Americas' only as an adjective: "mentioned South America"
# names the place, "South American states" its states)
SUB_REGION = re.compile(rf"\b(?!south\s+africa\b)({_POINT}(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)"
                        rf"{_POINT})*)[- ](africa|asia|europe|america(?=n))(?:an|n)?\b" + _NOT_ORG,
                        re.I)
# M49 names the Americas' sub-regions by the continent's other name
_AMERICA = {"Central": "Central America", "Southern": "South America",
            "Northern": "Northern America"}


def sub_regions(points: str, continent: str) -> frozenset[str]:
    """The states of the named sub-regions of a continent (Central Africa is M49's Middle,
    South America its South America)."""
    continent = continent.capitalize()
    names = set()
    for point in re.findall(_POINT, points, re.I):
        key = re.sub(r"ern$|[- ]", "", point.lower())
        prefix = _COMPASS[key]
        if continent == "Africa" and prefix == "Central":
            prefix = "Middle"
        names.add(_AMERICA.get(prefix, "") if continent == "America" else f"{prefix} {continent}")
    return _where(lambda c, r, e: r in names)


UN_GROUPS: tuple[tuple[re.Pattern[str], object], ...] = (  # before the continents they share
    (re.compile(r"\beastern\s+european\s+group\b|\beeg\b", re.I),
     lambda: EASTERN_EUROPEAN_GROUP),
    (re.compile(r"\bwestern\s+european\s+and\s+other(?:s|\s+states)?(?:\s+group)?\b|\bweog\b",
                re.I), lambda: WEOG),
    (re.compile(r"\bgrulac\b|\blatin\s+american\s+and\s+caribbean\s+group\b", re.I),
     lambda: _where(lambda c, r, e: r in LATIN_AMERICA)),
    (re.compile(r"\basia[- ]pacific(?:\s+group)?\b", re.I),
     lambda: _where(lambda c, r, e: c in ("Asia", "Oceania"))),
)
GROUPS: tuple[tuple[re.Pattern[str], object], ...] = (
    (re.compile(r"\blatin[- ]american?\b", re.I), lambda: _where(lambda c, r, e: r in
                                                                LATIN_AMERICA)),
    (re.compile(r"\bcaribbean\b", re.I), lambda: _where(lambda c, r, e: r == "Caribbean")),
    (re.compile(r"\bpacific(?:[- ]island)?\b", re.I),
     lambda: _where(lambda c, r, e: r in PACIFIC_ISLANDS)),
    (re.compile(r"(?<!south\s)\bafrican?\b" + _NOT_ORG, re.I),  # not "South Africa"
     lambda: _where(lambda c, r, e: c == "Africa")),
    (re.compile(r"\basian?\b" + _NOT_ORG, re.I), lambda: _where(lambda c, r, e: c == "Asia")),
    (re.compile(r"\beuropean union\b|\beu\s+(?:member|states|countries|nations|governments)",
                re.I),
     lambda: _where(lambda c, r, e: e)),
    (re.compile(r"\beurop(?:e|ean)\b" + _NOT_ORG, re.I),
     lambda: _where(lambda c, r, e: c == "Europe")),
    (re.compile(r"\bnordic\b|\bscandinavian?\b", re.I), lambda: NORDIC),
    # "permanent members", not "permanent membership" (a seat a state seeks)
    (re.compile(r"\bpermanent\s+members?\b(?:\s+of\s+the\s+(?:un\s+)?(?:security\s+council|"
                r"unsc)\b)?|\bp-?5\b", re.I), lambda: PERMANENT_FIVE),
    (re.compile(r"\bformer\s+yugoslav(?:ia|ian)?(?:\s+republics?)?\b", re.I),
     lambda: FORMER_YUGOSLAVIA),
    (re.compile(r"\barab\b", re.I), lambda: ARAB_LEAGUE),
    (re.compile(r"\bbaltics?\b", re.I), lambda: BALTIC),
    (re.compile(r"\bbenelux\b", re.I), lambda: BENELUX),
    (re.compile(r"\basean\b", re.I), lambda: ASEAN),
    (re.compile(r"\bg-?7\b|\bgroup of seven\b", re.I), lambda: G7),
    (re.compile(r"\bwestern\s+balkans?\b", re.I), lambda: WESTERN_BALKANS),
    (re.compile(r"\bbalkans?\b", re.I), lambda: BALKANS),
    (re.compile(r"\bvisegr[aá]d\b|\bv4\b", re.I), lambda: VISEGRAD),
    (re.compile(r"\b(?:former|ex|post)[- ]soviet(?:\s+(?:republics?|states|union))?\b", re.I),
     lambda: FORMER_SOVIET),
    (re.compile(r"\bbrics\b", re.I), lambda: BRICS),
    (re.compile(r"\bg-?20\b|\bgroup of twenty\b", re.I), lambda: G20),
    (re.compile(r"\bsadc\b|\bsouthern\s+african\s+development\s+community\b", re.I),
     lambda: SADC),
    (re.compile(r"\becowas\b|\beconomic\s+community\s+of\s+west\s+african\s+states\b", re.I),
     lambda: ECOWAS),
    (re.compile(r"\bafrican\s+union\b", re.I), lambda: _where(lambda c, r, e: c == "Africa")),
    (re.compile(r"\blusophone\b|\bportuguese[- ]speaking\b|\bcplp\b", re.I),
     lambda: LUSOPHONE),
    (re.compile(r"\bthe\s+americas\b|\bamericas\b", re.I),
     lambda: _where(lambda c, r, e: c == "America")),
    (re.compile(r"\boceania\b", re.I), lambda: _where(lambda c, r, e: c == "Oceania")),
)
# "former soviet republics, leaving out the baltic states": a group named after one of these
# is taken out
GROUP_NOUN = re.compile(r"(?:\s+(?:group|league|bloc)\b)?", re.I)
EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|excluding|leaving\s+out|other\s+than|apart\s+from|"
                    r"besides|but\s+not|not\s+counting|without)\s+(?:the\s+)?$", re.I)


# a group's name before one of these names an event or a text, not its members: "the G-20
# summit in Pittsburgh", "the Arab Spring", "the ASEAN declaration"
EVENT = re.compile(r"\s+(?:summits?|meetings?|conferences?|presidency|spring|declarations?|"
                   r"communiqu[eé]s?|agenda|process|initiative)\b", re.I)


# a group's name inside a body's name: "the Permanent Commission for the South Pacific"
IN_A_NAME = re.compile(r"\b[A-Z][\w'’-]*\s+(?:for|of|on)\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)*$")


def _is_event(m: re.Match[str]) -> bool:
    """The group's name names an event or a body, not its members."""
    text = m.string
    return EVENT.match(text, m.end() + len(GROUP_NOUN.match(text, m.end()).group())) is not None \
        or IN_A_NAME.search(text[:m.start()]) is not None


def _as_members(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of a group's name that stands for its members."""
    return next((m for m in pattern.finditer(text) if not _is_event(m)), None)


def _without(pattern: re.Pattern[str], text: str) -> str:
    """The text without the group's other names for its members ("Portuguese-speaking
    (lusophone)"); its name for an event stays."""
    return pattern.sub(lambda m: m.group() if _is_event(m) else " ", text)


def group_in(text: str) -> tuple[frozenset[str] | None, str]:
    """The states of the groups the text names ("Latin American and Caribbean states": both),
    and the text without those phrases."""
    found: frozenset[str] | None = None
    left_out: frozenset[str] = frozenset()

    def take(m: re.Match[str], members: frozenset[str]) -> str:
        nonlocal found, left_out
        start = m.start()
        if (but := EXCEPT.search(text[:start])) is not None:
            left_out |= members
            start = but.start()
        else:
            found = (found or frozenset()) | members
        end = m.end() + len(GROUP_NOUN.match(text, m.end()).group())  # "Visegrad group"
        return text[:start] + " " + text[end:]

    for pattern, members in UN_GROUPS:
        if m := _as_members(pattern, text):
            text = _without(pattern, take(m, members()))
    for m in list(SUB_REGION.finditer(text))[::-1]:
        text = take(m, sub_regions(m.group(1), m.group(2)))
    for pattern, members in GROUPS:
        if m := _as_members(pattern, text):
            text = _without(pattern, take(m, members()))
    if left_out:
        found = (found if found is not None else _where(lambda c, r, e: True)) - left_out
    return found, text
