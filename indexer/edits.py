"""Text edits with an offset map: the machinery under clean.py's rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``repl`` (an empty repl deletes)."""

    start: int
    end: int
    repl: str = ""


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, list[int]]:
    """Apply non-overlapping edits; return the new text and new->old offsets (len+1 entries).

    Overlapping edits are resolved first-come (sorted by start): a later edit that overlaps an
    earlier one is ignored. Replacement characters map to their edit's start.
    """
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end < e.start or e.end > len(text):
            continue
        out.append(text[pos : e.start])
        offsets.extend(range(pos, e.start))
        out.append(e.repl)
        offsets.extend([e.start] * len(e.repl))
        pos = e.end
    out.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    offsets.append(len(text))
    return "".join(out), offsets


def compose(outer: Sequence[int], inner: Sequence[int]) -> list[int]:
    """Compose a pass's map (``inner``: new->mid) with the earlier one (``outer``: mid->raw)."""
    return [outer[i] for i in inner]


class Lines(NamedTuple):
    """One line of a text: its span without the newline, and the span including it."""

    start: int
    end: int
    full_end: int
    text: str


def iter_lines(text: str, start: int = 0, end: int | None = None) -> list[Lines]:
    """Lines of ``text[start:end]`` with absolute offsets."""
    end = len(text) if end is None else end
    lines = []
    for m in re.finditer(r"[^\n]*(?:\n|$)", text[start:end]):
        if not m.group():
            continue
        s = start + m.start()
        body = m.group().rstrip("\n")
        lines.append(Lines(s, s + len(body), start + m.end(), body))
    return lines


def delete_line(line: Lines) -> Edit:
    """An edit removing a whole line with its newline."""
    return Edit(line.start, line.full_end)
