"""PDF page furniture: running headers/footers, job numbers, page numbers, masthead glyphs."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from indexer.edits import Edit, Lines, delete_line, iter_lines
from indexer.models import PageSpan

ZONE = 3  # non-blank lines at the top and bottom of a page that may be furniture
_PAGE_NUM = re.compile(r"^(?:page\s+)?(\d{1,4})$|^-\s*(\d{1,4})\s*-$", re.I)
_JOB_NUMBER = re.compile(r"^(?:GE|NY|V|E)\.?\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+.*)?$")
_CONTINUED = re.compile(r"^/\s?\.\.\.$|^\.\.\./?$")
_DOUBLED_WORD = re.compile(r"\b([A-Z]{3,})\1\b")


def _key(line: str) -> str:
    """Digit-normalised form, so "Page 2" and "Page 3" count as the same furniture."""
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _zones(text: str, page: PageSpan) -> list[Lines]:
    lines = [ln for ln in iter_lines(text, page.start, page.end) if ln.text.strip()]
    if len(lines) <= 2 * ZONE:
        return lines
    return lines[:ZONE] + lines[-ZONE:]


def _is_masthead(line: str) -> bool:
    """Masthead glyphs pypdf doubles, e.g. "UNITEDUNITED NATIONSNATIONS" or "UNITED A UNITED A"."""
    s = " ".join(line.split())
    if _DOUBLED_WORD.search(s.replace(" ", "")) and s.upper() == s and len(s) < 60:
        return True
    words = s.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:] and s.isupper()


def furniture_edits(text: str, pages: Sequence[PageSpan]) -> tuple[list[Edit], dict[int, str]]:
    """Edits deleting page furniture, and printed page labels by 1-based page index."""
    zones = {p.index: _zones(text, p) for p in pages}
    counts: Counter[str] = Counter()
    for lines in zones.values():
        counts.update({_key(ln.text) for ln in lines})
    need = max(2, len(pages) // 2) if len(pages) >= 3 else 2
    edits: list[Edit] = []
    labels: dict[int, str] = {}
    for index, lines in zones.items():
        for ln in lines:
            s = " ".join(ln.text.split())
            num = _PAGE_NUM.match(s)
            if num:
                labels.setdefault(index, num.group(1) or num.group(2))
                edits.append(delete_line(ln))
            elif (
                (counts[_key(s)] >= need and len(s) <= 80)
                or _JOB_NUMBER.match(s)
                or _CONTINUED.match(s)
                or _is_masthead(s)
            ):
                edits.append(delete_line(ln))
    for p in pages:  # masthead glyphs and job numbers can sit outside the zones on page 1
        for ln in iter_lines(text, p.start, p.end):
            s = " ".join(ln.text.split())
            if s and (_is_masthead(s) or _JOB_NUMBER.match(s) or _CONTINUED.match(s)):
                edits.append(delete_line(ln))
    return sorted(set(edits)), labels
