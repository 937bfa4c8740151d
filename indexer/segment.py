"""Pure: clean text -> paragraph blocks (body, heading, footnote) with the document's numbering."""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.models import Block

RESOLUTION = "security-council-resolution"
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+\S")
_BULLET = re.compile(r"^[•·▪◦●\-–*]")
_FOOTNOTE_LINE = re.compile(r"^(?:(\d{1,3})/|(\d{1,3})(?!\.\d)(?=\s+[^\s.])|\*+)\s*")
_SEPARATOR = re.compile(r"^[_\-–—]{5,}$")
_TERMINAL = re.compile(r"[.!?;:][\"'”’)]*$")
_HEADING_ENUM = re.compile(r"^(?:[IVXL]+|[A-Z]|\d{1,2})\.?\s+\S")
_PREAMBLE_START = re.compile(
    r"^(?:[A-Z][a-z]+(?:ing|ed|ful|ous|ent|ant|ive)|Aware|Alarmed|Noting|Taking|Bearing|Having|"
    r"Gravely|Deeply|Strongly|Further|Also)\b"
)
_COUNCIL = re.compile(r"^The (?:Security Council|General Assembly)\b.*,$")
_MASTHEAD = re.compile(
    r"^(?:resolution \d+|adopted (?:by|at) |of \d{1,2} \w+ \d{4}|\d+ \(\d{4}\))", re.I
)


def _spans(text: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    """Non-blank pieces of text[start:end] split on ``sep``, stripped of outer whitespace."""
    out, pos = [], start
    for m in [*re.finditer(sep, text[start:end]), None]:
        stop = start + m.start() if m else end
        piece = text[pos:stop]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((pos + lead, pos + len(piece.rstrip())))
        if m:
            pos = start + m.end()
    return out


def _lines(text: str, s: int, e: int) -> list[tuple[int, int]]:
    return _spans(text, s, e, r"\n")


def _is_wrapped(text: str) -> bool:
    """Hard-wrapped text (PDF columns) rather than one paragraph per line (web pages)."""
    lengths = sorted(len(ln) for ln in text.splitlines() if len(ln.strip()) > 20)
    if len(lengths) < 5:
        return False
    ends = sum(1 for ln in text.splitlines() if len(ln.strip()) > 20 and _TERMINAL.search(ln))
    return lengths[len(lengths) // 2] < 130 and ends < 0.6 * len(lengths)


def _split_block(text: str, s: int, e: int, wrapped: bool, resolution: bool) -> list[tuple]:
    """Split one blank-line block into (start, end, kind) pieces."""
    lines = _lines(text, s, e)
    pieces: list[list[tuple[int, int]]] = []
    kinds: list[str] = []
    footnotes = _footnote_block(text, lines)
    for i, (ls, le) in enumerate(lines):
        line = text[ls:le]
        prev = text[lines[i - 1][0] : lines[i - 1][1]] if i else ""
        new = (
            i == 0
            or not wrapped
            or _BULLET.match(line)
            or (footnotes and _FOOTNOTE_LINE.match(line))
            or (_NUMBERED.match(line) and _TERMINAL.search(prev))
            or (resolution and prev.endswith(",") and _PREAMBLE_START.match(line))
        )
        if _SEPARATOR.match(line):
            footnotes = True
            continue
        if new or not pieces:
            pieces.append([(ls, le)])
            kinds.append("footnote" if footnotes and _FOOTNOTE_LINE.match(line) else "body")
        else:
            pieces[-1].append((ls, le))
    return [(p[0][0], p[-1][1], k) for p, k in zip(pieces, kinds, strict=True)]


def _footnote_block(text: str, lines: list[tuple[int, int]]) -> bool:
    """A run of footnote lines: "1/ A/48/803." or "124 JS2, p.4." with rising numbers."""
    nums = []
    for ls, le in lines:
        m = _FOOTNOTE_LINE.match(text[ls:le])
        if m and (m.group(1) or m.group(2)):
            nums.append(int(m.group(1) or m.group(2)))
    first = _FOOTNOTE_LINE.match(text[lines[0][0] : lines[0][1]]) if lines else None
    if not first or _NUMBERED.match(text[lines[0][0] : lines[0][1]]):
        return False
    if first.group(1) or first.group(0).startswith("*"):
        return True
    return len(nums) >= 2 and nums == sorted(nums) and len(nums) >= len(lines) // 2


def _is_heading(piece: str) -> bool:
    if "\n" in piece.strip() and len(piece) > 160:
        return False
    one = " ".join(piece.split())
    if len(one) > 120 or _TERMINAL.search(one) or one.endswith(","):
        return bool(_MASTHEAD.match(one))
    if _NUMBERED.match(one) and len(one) > 60:
        return False
    return bool(_HEADING_ENUM.match(one) or one[:1].isupper() or _MASTHEAD.match(one))


def segment(text: str, *, doc_type: str | None = None) -> list[Block]:
    """Split clean text into ordered, non-overlapping paragraph blocks."""
    resolution = doc_type == RESOLUTION
    wrapped = _is_wrapped(text)
    raw: list[tuple[int, int, str]] = []
    for s, e in _spans(text, 0, len(text), r"\n[ \t]*\n"):
        raw.extend(_split_block(text, s, e, wrapped, resolution))
    raw = _merge_continuations(text, raw)
    return _number(text, raw, resolution)


def _merge_continuations(text: str, pieces: list[tuple[int, int, str]]) -> list[tuple]:
    """Join a body block that stops mid-sentence with the next one starting in lower case."""
    out: list[tuple[int, int, str]] = []
    for s, e, k in pieces:
        if out and k == "body" and out[-1][2] == "body":
            ps, pe, _ = out[-1]
            head = text[s:e].lstrip("\"“'‘(")
            if not _TERMINAL.search(text[ps:pe]) and head[:1].islower():
                out[-1] = (ps, e, "body")
                continue
        out.append((s, e, k))
    return out


def _number(text: str, pieces: list[tuple[int, int, str]], resolution: bool) -> list[Block]:
    blocks: list[Block] = []
    current: str | None = None
    preamble = 0
    in_preamble = not resolution
    for s, e, kind in pieces:
        piece = text[s:e]
        num = _NUMBERED.match(piece)
        para: str | None = None
        if kind == "footnote":
            blocks.append(Block(s, e, "footnote"))
            continue
        if num:
            para = current = num.group(1)
            in_preamble = False
        elif resolution and _COUNCIL.match(piece):
            kind, in_preamble, current = "heading", True, None
        elif resolution and in_preamble and not _MASTHEAD.match(piece):
            preamble += 1
            para = f"PP{preamble}"
        elif _is_heading(piece) and not _BULLET.match(piece):
            kind, current = "heading", None
        elif current and blocks and _continues(text, blocks[-1], piece):
            para = current
        else:
            current = None
        blocks.append(Block(s, e, kind, para))
    return [replace(b) for b in blocks]


def _continues(text: str, prev: Block, piece: str) -> bool:
    """A bullet, a lower-case continuation, or anything after a block ending in ":" or ";"."""
    before = text[prev.start : prev.end].rstrip()
    return bool(
        _BULLET.match(piece)
        or piece[:1].islower()
        or before.endswith((":", ";", ","))
        or (_BULLET.match(before) and not _TERMINAL.search(before))
    )
