"""Checking a written answer sentence by sentence against the evidence it cites.

A sentence is shown as fact only when it ends in citation markers ([n]) that point at evidence
that was given, and the cited quotes (with their citations) hold what it says: its numbers and
names, most of its content words, a meaning close to the quote's (embedding similarity), and,
when an NLI model is configured, entailment. A list line must also name its item in its own
cited evidence. The gates are set by hand for precision (a dropped true sentence costs less
than a shown false one), not fitted: there is no set of labelled model answers to fit them on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from indexer import countries
from search_api.words import R2P_ANY_CASE, content_terms, coverage

MIN_TERM_COVER = 0.5  # share of the sentence's content words (by stem) found in its evidence
MIN_SIMILARITY = 0.3  # cosine of sentence and best cited quote: catches unrelated quotes
MIN_ENTAILMENT = 0.5  # NLI probability that the cited quotes entail the sentence

_MARKER = r"\[\s*\d+(?:\s*[-–,;]\s*\d+)*\s*\]"
MARKERS = re.compile(rf"(?:\s*{_MARKER})+")
MARKER = re.compile(_MARKER)  # one marker: [2], [1, 3], [2-4]
_END = re.compile(rf"(?:[.!?][\"”’)]?(?:\s*{_MARKER})*|(?:\s*{_MARKER})+[.!?]?)"
                  r"(?=\s+[A-Z\"“(]|\s*$)")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*)*")
_WORDS = re.compile(r"[\w'’-]+")
_ALIASES = {"united nations": "un"}  # spellings the evidence may use either way
_COUNTS = {w: str(i) for i, w in enumerate(
    "_ _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split()) if i > 1}
_COUNT = re.compile(rf"\b(?:{'|'.join(_COUNTS)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One sentence (or list line) of a written answer, with the numbers it cites."""

    text: str
    cites: tuple[int, ...]
    item: str | None = None  # the item a list line names

    @property
    def bare(self) -> str:
        return " ".join(MARKERS.sub(" ", self.text).split()).replace(" .", ".")


def cited_numbers(text: str) -> tuple[int, ...]:
    """[2], [1, 3], [2-4] and [1][2] -> the numbers, in order, once each."""
    found: list[int] = []
    for group in MARKER.findall(text):
        for part in re.split(r"\s*[,;]\s*", group.strip("[] ")):
            ends = [int(x) for x in re.split(r"\s*[-–]\s*", part)]
            found.extend(range(ends[0], ends[-1] + 1) if len(ends) == 2 else ends[:1])
    return tuple(dict.fromkeys(found))


def split_claims(reply: str) -> list[Claim]:
    """The reply's sentences; a bulleted line is one claim about the item it starts with."""
    claims: list[Claim] = []
    for line in reply.splitlines():
        if not line.strip():
            continue
        if BULLET.match(line):
            text = BULLET.sub("", line).strip()
            item = re.split(r":|\s[-–—]\s", MARKERS.sub(" ", text), maxsplit=1)[0].strip(" *.")
            claims.append(Claim(text, cited_numbers(text), item or None))
            continue
        start = 0
        for m in _END.finditer(line):
            if (text := line[start:m.end()].strip()):
                claims.append(Claim(text, cited_numbers(text)))
            start = m.end()
        if (rest := line[start:].strip()):
            claims.append(Claim(rest, cited_numbers(rest)))
    return claims


def source_text(evidence: Mapping[str, Any]) -> str:
    """What one piece of evidence says: its quote and its citation (speaker, symbol, date)."""
    fields = ("quote", "citation", "title", "state", "symbol", "date", "year")
    kind = str(evidence.get("doc_type") or "").replace("-", " ")  # "security council resolution"
    return " ".join([*(str(evidence[f]) for f in fields if evidence.get(f)), kind])


def _plain(text: str) -> str:
    """R2P abbreviations as the words they stand for, so either spelling matches the other."""
    return R2P_ANY_CASE.sub("responsibility to protect", text)


def _words(text: str) -> set[str]:
    """Lower-case words, and the parts of hyphenated ones ("kurdish-populated": both)."""
    lowered = _plain(text).lower()
    for long, short in _ALIASES.items():
        lowered = lowered.replace(long, short)
    words = set(_WORDS.findall(lowered))
    return words | {part for w in words if "-" in w for part in w.split("-") if part}


def _states(text: str) -> set[str]:
    return {m.iso3 for m in countries.find_states(text)}


def named(item: str, source: str) -> bool:
    """Is the item (a state, an organisation, a document) named in the source?"""
    if iso3 := countries.resolve_state(item):
        return iso3 in _states(source)
    orgs = {o.code for o in countries.find_organisations(item)}
    if orgs:
        return orgs <= {o.code for o in countries.find_organisations(source)}
    words = _words(item) - {"the", "of", "and"}
    return bool(words) and words <= _words(source)


class Entailment(Protocol):
    """Probability that ``premise`` entails ``hypothesis`` (an NLI cross-encoder)."""

    def entailment(self, premise: str, hypothesis: str) -> float: ...


class Checker:
    """Says why a claim is not supported by its cited evidence, or None when it is."""

    def __init__(self, embed: Any = None, nli: Entailment | None = None) -> None:
        self.embed = embed  # texts -> unit vectors (the index's embedder), or None
        self.nli = nli

    def reason(self, claim: Claim, evidence: Mapping[int, Mapping[str, Any]]) -> str | None:
        if not claim.cites:
            return "no citation marker: every sentence must end with the evidence it rests on"
        if unknown := [n for n in claim.cites if n not in evidence]:
            return f"cites [{unknown[0]}], which was not among the evidence given"
        cited = [evidence[n] for n in claim.cites]
        source = " ".join(source_text(e) for e in cited)
        refs = "".join(f"[{n}]" for n in claim.cites)
        if claim.item and not named(claim.item, source):
            return f"the item '{claim.item}' is not named in its cited evidence {refs}"
        return (self._facts(claim.bare, source, refs)
                or self._meaning(claim.bare, [str(e["quote"]) for e in cited], refs))

    def check(self, claims: Sequence[Claim], evidence: Sequence[Mapping[str, Any]]
              ) -> list[tuple[Claim, str | None]]:
        by_n = {int(e["n"]): e for e in evidence}
        return [(c, self.reason(c, by_n)) for c in claims]

    @staticmethod
    def _facts(text: str, source: str, refs: str) -> str | None:
        """Numbers, names and most content words of the sentence must be in the evidence."""
        text, source = _plain(text), _plain(source)
        source_numbers = {n.replace(",", "") for n in _NUMBER.findall(source)}
        for number in _NUMBER.findall(text):
            if number.replace(",", "") not in source_numbers:
                return f"{number} is not in the cited evidence {refs}"
        for m in _COUNT.finditer(text):  # "seven states": a count the evidence must state
            word = m.group().lower()
            if _COUNTS[word] not in source_numbers and not re.search(rf"\b{word}\b", source, re.I):
                return f"'{m.group()}' is not stated in the cited evidence {refs}"
        words, states = _words(source), _states(source)
        mentions = countries.find_states(text)
        if missing := {m.iso3 for m in mentions} - states:
            return f"'{countries.label(missing.pop())}' is not named in the cited evidence {refs}"
        rest = text  # the names other than states, each a run of capitalised words
        for m in mentions:
            rest = rest[:m.start] + " " * (m.end - m.start) + rest[m.end:]
        for m in _NAME.finditer(rest):
            name = m.group().split(maxsplit=1)[1:] if m.start() == 0 else [m.group()]
            if name and not _words(name[0]) <= words:  # a sentence's first word may be common
                return f"'{name[0]}' is not named in the cited evidence {refs}"
        terms = content_terms(text)
        share = coverage(terms, source)
        if terms and share < MIN_TERM_COVER:
            return (f"only {share:.0%} of its content words are in the cited evidence {refs}")
        return None

    def _meaning(self, text: str, quotes: list[str], refs: str) -> str | None:
        if self.embed is not None:
            vectors = np.asarray(self.embed([text, *quotes]))
            similarity = float(np.max(vectors[1:] @ vectors[0]))
            if similarity < MIN_SIMILARITY:
                return f"its meaning is far from the cited quote {refs} (similarity " \
                       f"{similarity:.2f})"
        if self.nli is not None:
            p = self.nli.entailment(" ".join(quotes), text)
            if p < MIN_ENTAILMENT:
                return f"the cited quote {refs} does not entail it (NLI p={p:.2f})"
        return None
