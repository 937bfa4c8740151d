"""Document metadata from packaged rules (rules.json) and users' catalog.json files."""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from indexer import countries
from indexer.detect import (
    detect_date,
    detect_language,
    detect_symbol,
    first_line_title,
    misread_heading_date,
    stated_date,
    un_document_title,
)
from indexer.errors import CorpusError
from indexer.models import DocMeta

logger = logging.getLogger(__name__)

CATALOG_NAME = "catalog.json"
FIELDS = frozenset(f.name for f in dataclasses.fields(DocMeta))
_INT_FIELDS = frozenset({"year", "session"})

@dataclass(frozen=True)
class Rule:
    """One rule: a regex on the file name, field templates and an optional parser."""

    pattern: re.Pattern[str]
    fields: Mapping[str, Any]
    parser: str | None = None
    name: str = ""


@dataclass(frozen=True)
class Catalog:
    """A parsed catalog.json: defaults, rules and per-file entries (paths relative to it)."""

    folder: Path
    defaults: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    documents: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)


def ordinal(n: int) -> str:
    """1 -> "1st", 62 -> "62nd", 111 -> "111th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _speaker_article(name: str) -> str:
    the = name.startswith(("United ", "Republic ", "Democratic ", "Holy ", "State ", "Russian ",
                           "Syrian ", "Lao ", "Central African", "Dominican", "European",
                           "Islamic ", "Federated ", "Plurinational ", "Netherlands"))
    the = the or name in {"Philippines", "Bahamas", "Gambia", "Comoros", "Marshall Islands"}
    return f"the {name}" if the else name


def parse_ungdc_speech(groups: Mapping[str, str], text_head: str) -> dict[str, Any]:
    """Fields of a General Debate speech named ``ISO3_SESSION_YEAR.txt``."""
    code, session, year = groups["code"].upper(), int(groups["session"]), int(groups["year"])
    out: dict[str, Any] = {}
    if code in countries.ORGANISATIONS:
        speaker = countries.ORGANISATIONS[code]
        out["notes"] = f"Speaker is an organisation ({speaker}), not a state."
    elif code in countries.UN_MEMBERS | countries.OBSERVERS | set(countries.HISTORIC):
        speaker = countries.un_name(code)
        out["state_iso3"] = code
    else:
        logger.warning("unknown speaker code %s in a General Debate file name", code)
        speaker = code
    out["state"] = speaker
    by = _speaker_article(speaker)
    out["title"] = (f"Statement by {by}, {ordinal(session)} session of the UN General Assembly "
                    f"General Debate ({year})")
    out["citation"] = (f"Statement by {by}, UN General Assembly, {ordinal(session)} session, "
                       f"General Debate ({year})")
    return out


def parse_unsc_resolution(groups: Mapping[str, str], text_head: str) -> dict[str, Any]:
    """Fields of a Security Council resolution named ``S_RES_NNNN_YYYY_EN_GOLD.txt``."""
    number, year = int(groups["number"]), int(groups["year"])
    symbol = f"S/RES/{number} ({year})"
    out: dict[str, Any] = {"symbol": symbol, "citation": symbol}
    date = stated_date(text_head[:600]) or misread_heading_date(text_head[:600])
    if date and date.startswith(str(year)):
        out["date"] = date
    title = f"Security Council resolution {number} ({year})"
    first = next((ln.strip() for ln in text_head.splitlines() if ln.strip()), "")
    if first.isupper() and 3 < len(first) < 80 and not re.match(r"(RESOLUTION|UNITED)", first):
        title += f": {first.capitalize()}"
    out["title"] = title
    return out


PARSERS: dict[str, Callable[[Mapping[str, str], str], dict[str, Any]]] = {
    "ungdc_speech": parse_ungdc_speech,
    "unsc_resolution": parse_unsc_resolution,
}


def _fields(raw: Any, source: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise CorpusError(f"{source}: expected an object of fields.", "See corpus/README.md.")
    unknown = set(raw) - FIELDS
    if unknown:
        raise CorpusError(f"{source}: unknown field(s) {sorted(unknown)}.",
                          f"Use only: {', '.join(sorted(FIELDS))}.")
    return dict(raw)


def parse_catalog(data: Any, folder: Path, source: str = CATALOG_NAME) -> Catalog:
    """Validate a catalog's JSON object; raise CorpusError naming the problem."""
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: the catalog must be a JSON object.", "See corpus/README.md.")
    rules = []
    for i, rule in enumerate(data.get("rules", [])):
        where = f"{source}: rules[{i}]"
        if not isinstance(rule, dict) or "match" not in rule:
            raise CorpusError(f"{where} needs a \"match\" regex.", "See corpus/README.md.")
        try:
            pattern = re.compile(rule["match"])
        except re.error as exc:
            raise CorpusError(f"{where}: bad regex {rule['match']!r} ({exc}).") from exc
        parser = rule.get("parser")
        if parser is not None and parser not in PARSERS:
            raise CorpusError(f"{where}: unknown parser {parser!r}.",
                              f"Built-in parsers: {', '.join(sorted(PARSERS))}.")
        rules.append(Rule(pattern, _fields(rule.get("fields", {}), where), parser,
                          str(rule.get("name", ""))))
    documents = {str(k).replace("\\", "/").removeprefix("./"): _fields(v, f"{source}: {k}")
                 for k, v in data.get("documents", {}).items()}
    return Catalog(folder, _fields(data.get("defaults", {}), f"{source}: defaults"),
                   tuple(rules), documents)


@functools.cache
def packaged_rules() -> Catalog:
    """The rules shipped in indexer/rules.json."""
    text = resources.files("indexer").joinpath("rules.json").read_text(encoding="utf-8")
    return parse_catalog(json.loads(text), Path("."), "indexer/rules.json")


@functools.lru_cache(maxsize=1024)
def _read_catalog(path: Path, folder: Path, mtime_ns: int, size: int) -> Catalog:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"Cannot read catalog {path}: {exc}.", "Fix the JSON.") from exc
    return parse_catalog(data, folder, str(path))


def _catalog_at(root: Path, folder: Path) -> Catalog | None:
    path = root / folder / CATALOG_NAME
    try:
        st = path.stat()
    except OSError:
        return None
    return _read_catalog(path, folder, st.st_mtime_ns, st.st_size)


def load_catalogs(root: Path) -> dict[Path, Catalog]:
    """Every catalog.json under ``root``, keyed by folder relative to root (parsed once each)."""
    root = Path(root)
    found = {}
    for path in sorted(root.rglob(CATALOG_NAME)):
        catalog = _catalog_at(root, path.parent.relative_to(root))
        if catalog is not None:
            found[catalog.folder] = catalog
    return found


def _apply_rule(rule: Rule, name: str, text_head: str, fields: dict[str, Any]) -> bool:
    """Apply ``rule`` if it matches; True when a parser ran."""
    m = rule.pattern.search(name)
    if not m:
        return False
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    if rule.parser:
        fields.update(PARSERS[rule.parser](groups, text_head))
    for key, value in rule.fields.items():
        try:
            fields[key] = value.format_map(groups) if isinstance(value, str) else value
        except (KeyError, IndexError, ValueError) as exc:
            raise CorpusError(f"Rule {rule.name or rule.pattern.pattern!r}: template "
                              f"{value!r} names a group the match lacks ({exc}).") from exc
    return rule.parser is not None


def _coerce(fields: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in fields.items() if v is not None and v != ""}
    for key in _INT_FIELDS & out.keys():
        try:
            out[key] = int(out[key])
        except (TypeError, ValueError):
            logger.warning("ignoring non-integer %s=%r", key, out[key])
            del out[key]
    for key in out.keys() - _INT_FIELDS:
        out[key] = str(out[key])
    return out


def resolve_meta(root: Path, path: Path, text_head: str) -> DocMeta:
    """Metadata of ``path`` (under ``root``): packaged rules < folder defaults < folder rules
    (nearer folders later) < per-file entries; then symbol, date and language detected from
    ``text_head`` where no parser ran and no field gives them, and a title fallback."""
    root, path = Path(root), Path(path)
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = path  # already relative to root
    fields: dict[str, Any] = {}
    parsed = False
    for rule in packaged_rules().rules:
        parsed |= _apply_rule(rule, path.name, text_head, fields)
    chain = [c for c in (_catalog_at(root, p) for p in reversed(rel.parents)) if c is not None]
    for catalog in chain:
        fields.update(catalog.defaults)
        for rule in catalog.rules:
            parsed |= _apply_rule(rule, path.name, text_head, fields)
    for catalog in chain:
        key = rel.relative_to(catalog.folder).as_posix()
        fields.update(catalog.documents.get(key, {}))
    fields = _coerce(fields)
    if not parsed:  # a parser knows its files better than the masthead heuristics
        symbol = fields.get("symbol") or detect_symbol(text_head)
        if symbol:
            fields["symbol"] = symbol
            if "date" not in fields and (date := detect_date(text_head)):
                fields["date"] = date
    if "language" not in fields and (lang := detect_language(text_head)):
        fields["language"] = lang
    if "year" not in fields and re.match(r"\d{4}", fields.get("date", "")):
        fields["year"] = int(fields["date"][:4])
    if "title" not in fields:
        fields["title"] = (fields.get("symbol") and un_document_title(text_head)) or \
            first_line_title(text_head) or path.stem
    return DocMeta(**fields)
