"""UN member and observer states (and a few organisations): names, adjectives, mentions in text."""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# The 193 UN member states.
UN_MEMBERS: frozenset[str] = frozenset("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK
DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO
LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA
KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB
ZWE""".split())
# Non-member observer states, and a former member that still names files (YUG = Serbia and
# Montenegro in the 2005 General Debate).
OBSERVERS: frozenset[str] = frozenset({"VAT", "PSE"})
# States that no longer exist, as the Security Council's resolutions of their time name them
# (ISO 3166-3 codes): "with 2 abstentions (Czechoslovakia, Union of Soviet Socialist Republics)"
HISTORIC: dict[str, str] = {"YUG": "Serbia and Montenegro", "SCG": "Serbia and Montenegro",
                            "SUN": "Soviet Union", "CSK": "Czechoslovakia",
                            "DDR": "German Democratic Republic"}

# UN official short names where they differ from pycountry's ``name``.
_UN_NAMES: dict[str, str] = {
    "BOL": "Bolivia (Plurinational State of)", "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia (Federated States of)", "GBR":
    "United Kingdom of Great Britain and Northern Ireland", "IRN": "Iran (Islamic Republic of)",
    "KOR": "Republic of Korea", "MDA": "Republic of Moldova", "NLD": "Netherlands (Kingdom of the)",
    "PRK": "Democratic People's Republic of Korea", "PSE": "State of Palestine",
    "TZA": "United Republic of Tanzania", "USA": "United States of America", "VAT": "Holy See",
    "VEN": "Venezuela (Bolivarian Republic of)", **HISTORIC,
}
# Concise display names where they differ from pycountry's common_name or name.
_LABELS: dict[str, str] = {
    "COD": "Democratic Republic of the Congo", "FSM": "Micronesia", "PSE": "State of Palestine",
    "RUS": "Russia", "VAT": "Holy See", "KOR": "Republic of Korea", "PRK": "North Korea",
    **HISTORIC,
}
# Other surface forms people write, and the names older UN documents give to members of today
# ("Upper Volta", "Ceylon", "Maldive Islands", "Congo (Leopoldville)").
_ALIASES = """
USA: United States|USA|U.S.|U.S.A.|America|United States of America
GBR: United Kingdom|UK|U.K.|Great Britain|Britain
NLD: Netherlands|Holland|Kingdom of the Netherlands|Netherlands (Kingdom of the)
TUR: Turkey|Turkiye|Republic of Turkey
RUS: Russia|Russian Federation
KOR: South Korea|Republic of Korea
PRK: North Korea|DPRK|Democratic People's Republic of Korea
VNM: Vietnam|Viet Nam|Viet-Nam
COD: Democratic Republic of the Congo|DR Congo|DRC|Congo-Kinshasa|Zaire
COG: Republic of the Congo|Congo-Brazzaville|Congo|Congo (Brazzaville)
CIV: Ivory Coast|Cote d'Ivoire
CZE: Czech Republic
SWZ: Swaziland
MKD: Macedonia|former Yugoslav Republic of Macedonia|The former Yugoslav Republic of Macedonia
CPV: Cape Verde
TLS: East Timor
MMR: Burma
BRN: Brunei
LBY: Libyan Arab Jamahiriya
KGZ: Kyrgyz Republic
SVK: Slovak Republic
LAO: Lao PDR
PSE: Palestine|State of Palestine
VAT: Holy See|Vatican|Vatican City
BRA: Brazil|Brasil
GMB: The Gambia
BHS: The Bahamas
KNA: St Kitts and Nevis|St. Kitts and Nevis
LCA: St Lucia|St. Lucia
VCT: St Vincent and the Grenadines|St. Vincent and the Grenadines
ARE: UAE|Emirates
STP: São Tomé and Príncipe
SYR: Syria
IRN: Iran
BOL: Bolivia
VEN: Venezuela
TZA: Tanzania|Tanganyika|United Republic of Tanganyika and Zanzibar
MDA: Moldova
FSM: Micronesia
SUN: Soviet Union|Union of Soviet Socialist Republics|USSR|U.S.S.R.
CSK: Czechoslovakia
DDR: German Democratic Republic|East Germany
BLR: Byelorussian Soviet Socialist Republic|Byelorussian SSR|Byelorussia
UKR: Ukrainian Soviet Socialist Republic|Ukrainian SSR
MDV: Maldive Islands
COD: Congo (Leopoldville)|Congo (Léopoldville)
BFA: Upper Volta
BEN: Dahomey
LKA: Ceylon
THA: Siam
KHM: Kampuchea|Democratic Kampuchea|Khmer Republic
JOR: Transjordan|Trans-Jordan
MYS: Malaya|Federation of Malaya
GHA: Gold Coast
CAF: Central African Empire
EGY: United Arab Republic
"""
# Adjectives and demonyms; ambiguous ones ("Congolese", "Korean", "African") are left out.
_ADJECTIVES = """
AFG: Afghan|Afghanistani  ALB: Albanian  DZA: Algerian  AND: Andorran  AGO: Angolan
ATG: Antiguan  ARG: Argentine|Argentinian|Argentinean  ARM: Armenian  AUS: Australian
AUT: Austrian  AZE: Azerbaijani|Azeri  BHS: Bahamian  BHR: Bahraini  BGD: Bangladeshi
BRB: Barbadian  BLR: Belarusian  BEL: Belgian  BLZ: Belizean  BEN: Beninese  BTN: Bhutanese
BOL: Bolivian  BIH: Bosnian  BWA: Botswanan  BRA: Brazilian  BRN: Bruneian  BGR: Bulgarian
BFA: Burkinabe|Burkinabé  BDI: Burundian  CPV: Cabo Verdean|Cape Verdean  KHM: Cambodian
CMR: Cameroonian  CAN: Canadian  TCD: Chadian  CHL: Chilean  CHN: Chinese  COL: Colombian
COM: Comorian  CRI: Costa Rican  CIV: Ivorian  HRV: Croatian  CUB: Cuban  CYP: Cypriot
CZE: Czech  DNK: Danish  DJI: Djiboutian  DOM: Dominican  ECU: Ecuadorian|Ecuadorean
EGY: Egyptian  SLV: Salvadoran|Salvadorean  GNQ: Equatorial Guinean  ERI: Eritrean
EST: Estonian  SWZ: Swazi  ETH: Ethiopian  FJI: Fijian  FIN: Finnish  FRA: French
GAB: Gabonese  GMB: Gambian  GEO: Georgian  DEU: German  GHA: Ghanaian  GRC: Greek
GRD: Grenadian  GTM: Guatemalan  GIN: Guinean  GNB: Bissau-Guinean  GUY: Guyanese
HTI: Haitian  HND: Honduran  HUN: Hungarian  ISL: Icelandic  IND: Indian  IDN: Indonesian
IRN: Iranian  IRQ: Iraqi  IRL: Irish  ISR: Israeli  ITA: Italian  JAM: Jamaican
JPN: Japanese  JOR: Jordanian  KAZ: Kazakh|Kazakhstani  KEN: Kenyan  KWT: Kuwaiti
KGZ: Kyrgyz  LAO: Laotian  LVA: Latvian  LBN: Lebanese  LSO: Basotho  LBR: Liberian
LBY: Libyan  LIE: Liechtensteiner  LTU: Lithuanian  LUX: Luxembourgish  MDG: Malagasy
MWI: Malawian  MYS: Malaysian  MDV: Maldivian  MLI: Malian  MLT: Maltese  MHL: Marshallese
MRT: Mauritanian  MUS: Mauritian  MEX: Mexican  MCO: Monegasque  MNG: Mongolian
MNE: Montenegrin  MAR: Moroccan  MOZ: Mozambican  MMR: Burmese  NAM: Namibian  NRU: Nauruan
NPL: Nepalese|Nepali  NLD: Dutch  NZL: New Zealander  NIC: Nicaraguan  NER: Nigerien
NGA: Nigerian  MKD: Macedonian  NOR: Norwegian  OMN: Omani  PAK: Pakistani  PLW: Palauan
PAN: Panamanian  PNG: Papua New Guinean  PRY: Paraguayan  PER: Peruvian
PHL: Filipino|Philippine  POL: Polish  PRT: Portuguese  QAT: Qatari  KOR: South Korean
PRK: North Korean  MDA: Moldovan  ROU: Romanian  RUS: Russian  RWA: Rwandan|Rwandese
KNA: Kittitian  LCA: Saint Lucian  VCT: Vincentian  WSM: Samoan  SMR: Sammarinese
STP: Santomean  SAU: Saudi|Saudi Arabian  SEN: Senegalese  SRB: Serbian  SYC: Seychellois
SLE: Sierra Leonean  SGP: Singaporean  SVK: Slovak  SVN: Slovenian|Slovene  SOM: Somali
ZAF: South African  SSD: South Sudanese  ESP: Spanish  LKA: Sri Lankan  SDN: Sudanese
SUR: Surinamese  SWE: Swedish  CHE: Swiss  SYR: Syrian  TJK: Tajik|Tajikistani  THA: Thai
TLS: Timorese  TGO: Togolese  TON: Tongan  TTO: Trinidadian  TUN: Tunisian  TUR: Turkish
TKM: Turkmen  TUV: Tuvaluan  UGA: Ugandan  UKR: Ukrainian  ARE: Emirati  GBR: British
TZA: Tanzanian  USA: American  URY: Uruguayan  UZB: Uzbek  VUT: Ni-Vanuatu  VEN: Venezuelan
VNM: Vietnamese  YEM: Yemeni  ZMB: Zambian  ZWE: Zimbabwean  PSE: Palestinian
"""
# Words before/after which a name or adjective does not denote the state.
_NOT_BEFORE = ("Latin ", "South ", "North ", "Central ", "Inter-", "Pan-", "Pan ", "Afro-",
               "Native ", "New ", "Anglo-", "Spanish-", "Arab-")
_NOT_AFTER = (" Ocean", " Samoa", " Union", "-American")

ORGANISATIONS: dict[str, str] = {
    "EU": "European Union", "AU": "African Union", "OAU": "Organization of African Unity",
    "ASEAN": "Association of Southeast Asian Nations",
    "ECOWAS": "Economic Community of West African States", "LAS": "League of Arab States",
    "OAS": "Organization of American States", "NATO": "North Atlantic Treaty Organization",
    "OSCE": "Organization for Security and Co-operation in Europe", "COE": "Council of Europe",
    "SADC": "Southern African Development Community",
    "IGAD": "Intergovernmental Authority on Development",
    "ICGLR": "International Conference on the Great Lakes Region",
    "OIC": "Organisation of Islamic Cooperation",
    "ECCAS": "Economic Community of Central African States", "CARICOM": "Caribbean Community",
    "GCC": "Gulf Cooperation Council",
}
_ORG_ALIASES: dict[str, tuple[str, ...]] = {
    "EU": ("EU", "European Union"), "AU": ("AU", "African Union"), "LAS": ("Arab League",),
    "OAS": ("Organisation of American States",), "COE": ("Council of Europe",),
    "OIC": ("Organization of Islamic Cooperation", "Organization of the Islamic Conference"),
    "OSCE": ("Organisation for Security and Co-operation in Europe",),
}


@dataclass(frozen=True)
class StateMention:
    """A state named in a text: ``text[start:end] == surface``."""

    start: int
    end: int
    iso3: str
    surface: str
    adjective: bool = False


@dataclass(frozen=True)
class OrgMention:
    """An intergovernmental organisation named in a text."""

    start: int
    end: int
    code: str
    surface: str


def _variants(name: str) -> set[str]:
    """The name, with both apostrophes and without diacritics."""
    forms = {name, name.replace("'", "\u2019"), name.replace("\u2019", "'")}
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    if ascii_ and len(ascii_) >= len(name) - 3:
        forms |= {ascii_, ascii_.replace("'", "\u2019")}
    return forms


def _table(spec: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for iso3, forms in re.findall(r"([A-Z]{3}):\s*(.+?)(?=\s+[A-Z]{3}:|\s*$)", spec, re.M):
        for form in forms.split("|"):
            for variant in _variants(form.strip()):
                out[variant] = iso3
    return out


def _all_codes() -> frozenset[str]:
    return UN_MEMBERS | OBSERVERS


@functools.cache
def state_names() -> dict[str, str]:
    """Every surface form of a UN member or observer state -> ISO3."""
    import pycountry

    names: dict[str, str] = {}
    for iso3 in sorted(_all_codes()):
        country = pycountry.countries.get(alpha_3=iso3)
        forms = {_UN_NAMES.get(iso3, ""), _LABELS.get(iso3, "")}
        if country is not None:
            forms |= {getattr(country, a, "") for a in ("name", "official_name", "common_name")}
        for form in filter(None, forms):
            for variant in _variants(form):
                names[variant] = iso3
    names.update(_table(_ALIASES))
    return names


@functools.cache
def adjectives() -> dict[str, str]:
    """Demonym or adjective ("Norwegian", "Costa Rican") -> ISO3."""
    return _table(_ADJECTIVES)


@functools.cache
def _lower_index() -> dict[str, str]:
    import pycountry

    index = {k.lower(): v for k, v in {**adjectives(), **state_names()}.items()}
    for iso3 in _all_codes():
        index[iso3.lower()] = iso3
        country = pycountry.countries.get(alpha_3=iso3)
        if country is not None:
            index[country.alpha_2.lower()] = iso3
    for code in HISTORIC:
        index[code.lower()] = code
    return index


def resolve_state(text: str) -> str | None:
    """Any name, adjective, ISO3 or ISO2 code (case-insensitive) -> ISO3, else None."""
    key = " ".join(text.strip().split()).lower()
    index = _lower_index()
    if key in index:
        return index[key]
    return index.get(key.removeprefix("the ")) if key.startswith("the ") else None


def un_name(iso3: str) -> str:
    """The UN's official short name ("Bolivia (Plurinational State of)"); the code if unknown."""
    import pycountry

    code = iso3.upper()
    if code in _UN_NAMES:
        return _UN_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    return country.name if country is not None else ORGANISATIONS.get(code, iso3)


@functools.lru_cache(maxsize=1024)  # every entity of every list is labelled
def label(iso3: str) -> str:
    """A concise display name ("United States", "Bolivia"); the code if unknown."""
    import pycountry

    code = iso3.upper()
    if code in _LABELS:
        return _LABELS[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return ORGANISATIONS.get(code, iso3)
    return getattr(country, "common_name", None) or country.name


def _alternation(forms: list[str]) -> str:
    ordered = sorted(set(forms), key=lambda s: (-len(s), s))
    return "|".join(re.escape(f) for f in ordered)


@functools.cache
def _state_regex() -> re.Pattern[str]:
    # "Korea, Republic of" is not how prose names a state
    forms = [f for f in (*state_names(), *adjectives()) if "," not in f]
    return re.compile(rf"(?<![\w.-])(?:{_alternation(forms)})(?![\w-]|\.\w)")


@functools.cache
def _org_index() -> dict[str, str]:
    index = {name: code for code, name in ORGANISATIONS.items()}
    index.update({code: code for code in ORGANISATIONS if code != "COE"})
    for code, aliases in _ORG_ALIASES.items():
        index.update({alias: code for alias in aliases})
    return index


@functools.cache
def _org_regex() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{_alternation(list(_org_index()))})(?![\w-])")


def find_organisations(text: str) -> list[OrgMention]:
    """Intergovernmental organisations named in ``text``, in order."""
    index = _org_index()
    return [OrgMention(m.start(), m.end(), index[m.group()], m.group())
            for m in _org_regex().finditer(text)]


def find_states(text: str) -> list[StateMention]:
    """States named in ``text`` (names and adjectives), in order, skipping organisation names."""
    return list(_states_in(text))


# a word broken at the end of a printed line, its halves joined by a space once unwrapped or
# by nothing ("Union of Soviet Socia- list Republics", "Socialist Re-publics"); no state's name
# has a hyphen between two lower-case letters
BROKEN_WORD = re.compile(r"(?<=[a-z])-\s*(?=[a-z])")


def _joined(text: str) -> tuple[str, list[int]]:
    """The text with broken words whole, and where each of its characters is in the text."""
    pieces, where, i = [], [], 0
    for m in BROKEN_WORD.finditer(text):
        pieces.append(text[i:m.start()])
        where.extend(range(i, m.start()))
        i = m.end()
    pieces.append(text[i:])
    where.extend(range(i, len(text)))
    return "".join(pieces), where


@functools.lru_cache(maxsize=1 << 15)  # one sentence is read for states by many questions
def _states_in(text: str) -> tuple[StateMention, ...]:
    names, adjs = state_names(), adjectives()
    whole, where = _joined(text) if BROKEN_WORD.search(text) else (text, None)
    orgs = [(o.start, o.end) for o in find_organisations(whole)]
    found: list[StateMention] = []
    for m in _state_regex().finditer(whole):
        start, end, name = m.start(), m.end(), m.group()
        if any(s <= start < e for s, e in orgs):
            continue
        before, after = whole[max(0, start - 8):start], whole[end:end + 8]
        if any(before.endswith(w) for w in _NOT_BEFORE) or after.startswith(_NOT_AFTER):
            continue
        if where is not None:  # back to the text's own offsets
            start, end = where[start], where[end - 1] + 1
        is_adj = name in adjs and name not in names
        found.append(StateMention(start, end, names.get(name) or adjs[name], text[start:end],
                                  is_adj))
    return tuple(found)
