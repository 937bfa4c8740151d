"""Pure functions: raw text -> clean text, with an offset map back to the raw text.

Each rule yields edits (start, end, replacement) against the text of its pass; apply_edits
builds the new text and its offset map, and the passes' maps are composed.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Callable, Sequence

from indexer.clean_pdf import furniture_edits
from indexer.clean_web import chrome_edits, find_site_chrome
from indexer.clean_web import keepers as chrome_keepers
from indexer.edits import Edit, apply_edits, compose, iter_lines
from indexer.models import Cleaned, PageSpan, RawDocument

__all__ = ["apply_edits", "chrome_keepers", "clean", "find_site_chrome", "glued_name_edits"]

log = logging.getLogger(__name__)

GENERAL_DEBATE = "general-debate-statement"
_SPACES = re.compile(r"[ \t\f\v\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
_GLUED = re.compile(r"\b[A-Z][a-z’']+(?:[A-Z][a-z’']+)+\b")
_STRANDED = re.compile(r"(?<=[a-z,;]) (\d{1,3})  +(?=[a-z])")
_UNITS = re.compile(
    r"(?:per|years?|months?|days?|weeks?|million|billion|times|and|of|or|to|percent)\b"
)
_NUMBER_CONTEXT = re.compile(
    r"(?:resolution|article|paragraph|chapter|section|goal|of|in|by|and|or|about|some|over|"
    r"than|to|the|all|its|our|these|those|only|nearly|almost|for|at|from|with)$",
    re.I,
)
_TERMINAL = re.compile(r"[.!?:;\"”’)]$")


def _whitespace_edits(text: str) -> list[Edit]:
    """Runs of spaces -> one space, no spaces at line ends/starts, 3+ newlines -> 2."""
    edits: list[Edit] = []
    for ln in iter_lines(text):
        line = ln.text
        stripped_left = len(line) - len(line.lstrip(" \t\xa0\u3000\u202f"))
        if stripped_left:
            edits.append(Edit(ln.start, ln.start + stripped_left))
        body_end = ln.start + len(line.rstrip(" \t\xa0\u3000\u202f"))
        if body_end < ln.end and body_end >= ln.start + stripped_left:
            edits.append(Edit(body_end, ln.end))
        for m in _SPACES.finditer(text, ln.start + stripped_left, body_end):
            if m.group() != " ":
                edits.append(Edit(m.start(), m.end(), " "))
    for m in re.finditer(r"\n{3,}", text):
        edits.append(Edit(m.start() + 2, m.end()))
    return edits


def _strip_outer(text: str) -> list[Edit]:
    lead = len(text) - len(text.lstrip())
    trail = len(text.rstrip())
    edits = [Edit(0, lead)] if lead else []
    if trail < len(text) and trail >= lead:
        edits.append(Edit(trail, len(text)))
    return edits


def _hyphen_edits(text: str) -> list[Edit]:
    """Rejoin words hyphenated across a line break: "inter-\\nnational" -> "international"."""
    return [Edit(m.start(), m.end()) for m in _HYPHEN_BREAK.finditer(text)]


@functools.lru_cache(maxsize=1)
def _state_names() -> frozenset[str]:
    from indexer.countries import state_names

    return frozenset(state_names())


def glued_name_edits(text: str) -> list[Edit]:
    """Split link text glued from state names: "FranceGermanyNorway" -> "France, Germany, Norway".

    Only when every part is a known state name.
    """
    names = _state_names()
    edits: list[Edit] = []
    for m in _GLUED.finditer(text):
        cuts = [i for i in range(1, len(m.group())) if m.group()[i].isupper()]
        parts = [m.group()[a:b] for a, b in zip([0, *cuts], [*cuts, len(m.group())], strict=True)]
        if len(parts) > 1 and all(p in names for p in parts):
            edits.extend(Edit(m.start() + c, m.start() + c, ", ") for c in cuts)
    return edits


def _stranded_edits(text: str) -> list[Edit]:
    """Page numbers stranded mid-sentence: "making 15  genocide" (two spaces after the number)."""
    edits: list[Edit] = []
    for m in _STRANDED.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()].split()
        after = text[m.end() : m.end() + 12]
        if before and not _NUMBER_CONTEXT.search(before[-1]) and not _UNITS.match(after):
            edits.append(Edit(m.start(), m.end() - 1))
    return edits


def _speech_edits(text: str) -> list[Edit]:
    """General Debate transcripts: hard line breaks and page-break gaps inside sentences."""
    edits: list[Edit] = []
    lines = iter_lines(text)
    widths = sorted(len(ln.text) for ln in lines if len(ln.text) > 20)
    wrapped = bool(widths) and widths[len(widths) // 2] < 150
    width = widths[len(widths) // 2] if widths else 0
    i = 0
    while i < len(lines) - 1:
        cur = lines[i]
        j = i + 1
        # skip a bare page-number line and blank lines between two halves of a sentence
        while j < len(lines) and (not lines[j].text.strip() or lines[j].text.strip().isdigit()):
            j += 1
        if j >= len(lines):
            break
        nxt = lines[j].text.lstrip()
        prev = cur.text.rstrip()
        continues = bool(prev) and not _TERMINAL.search(prev) and nxt[:1].islower()
        if continues:
            edits.append(Edit(cur.end, lines[j].start, " "))
        elif prev and j == i + 1 and wrapped:
            ends_para = _TERMINAL.search(prev) and len(prev) < 0.85 * width
            edits.append(Edit(cur.end, lines[j].start, "\n\n" if ends_para else " "))
        i = j
    return edits


def _unwrap_edits(text: str, doc_type: str | None) -> list[Edit]:
    """Join the printed lines of each paragraph into one line: quotes become whole sentences.

    Paragraph boundaries come from the segmenter, so numbered and preambular paragraphs,
    bullets and footnotes keep their own lines. A line ending in a hyphen joins without a space
    ("self-" + "defence"), any other with one space.
    """
    from indexer.segment import segment

    edits: list[Edit] = []
    for block in segment(text, doc_type=doc_type):
        for m in re.finditer(r"\n", text[block.start : block.end]):
            at = block.start + m.start()
            edits.append(Edit(at, at + 1, "" if text[at - 1] == "-" else " "))
    return edits


def _page_number_lines(text: str) -> list[Edit]:
    """Bare page-number lines between paragraphs."""
    return [
        Edit(ln.start, ln.full_end)
        for ln in iter_lines(text)
        if re.fullmatch(r"\s*\d{1,3}\s*", ln.text)
    ]


def _pass(
    text: str, offsets: list[int], rule: Callable[[str], list[Edit]]
) -> tuple[str, list[int]]:
    new, inner = apply_edits(text, rule(text))
    return new, compose(offsets, inner)


def _map_pages(pages: Sequence[PageSpan], offsets: list[int], labels: dict[int, str]) -> tuple:
    out = []
    for p in pages:
        start = bisect.bisect_left(offsets, p.start)
        end = bisect.bisect_left(offsets, p.end)
        out.append(PageSpan(p.index, start, max(start, end), labels.get(p.index, p.label)))
    return tuple(out)


def clean(
    raw: RawDocument, *, chrome: frozenset[str] = frozenset(), doc_type: str | None = None
) -> Cleaned:
    """Clean one document's raw text; ``offsets`` maps every clean char back to the raw text."""
    text = raw.text
    offsets = list(range(len(text) + 1))
    labels: dict[int, str] = {}
    if raw.fmt == "pdf" and raw.pages:
        edits, labels = furniture_edits(text, raw.pages)
        text, offsets = _pass(text, offsets, lambda _t: edits)
    elif raw.fmt != "pdf":
        text, offsets = _pass(text, offsets, lambda t: chrome_edits(t, chrome))
    if doc_type == GENERAL_DEBATE:
        text, offsets = _pass(text, offsets, _stranded_edits)
    text, offsets = _pass(text, offsets, _whitespace_edits)
    if raw.fmt == "pdf" or doc_type == GENERAL_DEBATE:
        text, offsets = _pass(text, offsets, _hyphen_edits)
    if doc_type == GENERAL_DEBATE:
        text, offsets = _pass(text, offsets, _speech_edits)
        text, offsets = _pass(text, offsets, _page_number_lines)
        text, offsets = _pass(text, offsets, _whitespace_edits)
    text, offsets = _pass(text, offsets, lambda t: _unwrap_edits(t, doc_type))
    text, offsets = _pass(text, offsets, glued_name_edits)
    text, offsets = _pass(text, offsets, _strip_outer)
    flags = tuple(dict.fromkeys(w.split(":")[0].strip() for w in raw.warnings))
    pages = _map_pages(raw.pages, offsets, labels)
    return Cleaned(text=text, pages=pages, offsets=tuple(offsets), flags=flags)
