"""Find the documents under the corpus roots and give each a stable id and fingerprint."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from indexer.load import SUPPORTED_SUFFIXES

IGNORED_NAMES = {"readme.md", "readme.txt", "catalog.json"}


@dataclass(frozen=True)
class SourceFile:
    """One file to index: where it is, the root it was found under, and its stable id."""

    path: Path
    root: Path
    doc_id: str
    content_hash: str

    @property
    def rel_path(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    @property
    def source(self) -> str:
        """The collection: the top folder below the indexed root, else the root's own name."""
        parts = Path(self.rel_path).parts
        return parts[0] if len(parts) > 1 else (self.root.name or str(self.root))


def discover(roots: list[Path]) -> tuple[list[SourceFile], list[dict[str, str]]]:
    """Supported files under the roots (sorted, ids unique) and the files skipped, with why."""
    found: list[tuple[Path, Path]] = []
    skipped: list[dict[str, str]] = []
    for root in roots:
        root = root.resolve()
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        base = root.parent if root.is_file() else root
        for path in paths:
            rel = path.relative_to(base).as_posix()
            if any(part.startswith(".") for part in Path(rel).parts):
                continue
            if path.name.lower() in IGNORED_NAMES:
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append({
                    "path": str(path),
                    "reason": f"unsupported file type {path.suffix or '(none)'!r}",
                    "hint": "accepted: " + " ".join(sorted(SUPPORTED_SUFFIXES)),
                })
                continue
            found.append((path, base))
    stems = Counter(p.stem for p, _ in found)
    files = []
    for path, base in found:
        rel = path.relative_to(base).as_posix()
        doc_id = path.stem if stems[path.stem] == 1 else f"{path.stem}-{_short(rel)}"
        files.append(SourceFile(path, base, doc_id, _sha256(path)))
    return files, skipped


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
