"""Frozen records that flow between the indexing stages and out of the index."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpan:
    """One PDF page: its 1-based index in the file, printed label, and char span in a text."""

    index: int
    start: int
    end: int
    label: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """A file as loaded: its text (pages joined by blank lines) and page spans (PDF only)."""

    path: str
    fmt: str
    text: str
    pages: tuple[PageSpan, ...] = ()
    title: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cleaned:
    """Clean text, its pages (spans in the clean text) and a map back to raw offsets.

    ``offsets[i]`` is the raw-text offset of clean character ``i`` (len(text) + 1 entries,
    the last one mapping the end of the text).
    """

    text: str
    pages: tuple[PageSpan, ...] = ()
    offsets: tuple[int, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A paragraph-like span of clean text: ``text[start:end]``.

    kind is "body", "heading" or "footnote"; paragraph is the number the document gives it
    ("3", "PP2" for a resolution's second preambular paragraph) or None.
    """

    start: int
    end: int
    kind: str = "body"
    paragraph: str | None = None


@dataclass(frozen=True)
class DocMeta:
    """Descriptive metadata of one document; every field optional except title and type."""

    title: str
    doc_type: str = "document"
    publisher: str | None = None
    date: str | None = None
    year: int | None = None
    state: str | None = None
    state_iso3: str | None = None
    symbol: str | None = None
    session: int | None = None
    language: str | None = None
    url: str | None = None
    notes: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class Document:
    """A document as stored in the index: clean text that every chunk offset points into."""

    doc_id: str
    path: str
    source: str
    content_hash: str
    text: str
    meta: DocMeta
    pages: tuple[PageSpan, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A passage carrying its own citation: ``doc.text[char_start:char_end] == text``."""

    chunk_id: str
    doc_id: str
    ordinal: int
    text: str
    char_start: int
    char_end: int
    n_tokens: int
    page: int | None = None
    page_label: str | None = None
    paragraph: str | None = None
    kind: str = "body"
    sentences: tuple[tuple[int, int], ...] = ()  # absolute spans, set by the chunker


@dataclass(frozen=True)
class Hit:
    """A chunk returned by a search, with its fused score and the component scores."""

    chunk: Chunk
    score: float
    dense: float | None = None
    lexical: float | None = None
    meta: DocMeta | None = None


@dataclass
class BuildReport:
    """What one index build did: counts, timings and every file it could not index."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    flagged: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    corpus_version: str = ""


@dataclass(frozen=True)
class Filters:
    """Restrictions on which documents a search may return; None means no restriction."""

    doc_type: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    state_iso3: str | None = None
    symbol: str | None = None
    source: str | None = None
    doc_ids: tuple[str, ...] | None = None
    language: str | None = None  # documents in this language, or of unknown language

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)

    def conditions(self) -> list[tuple[str, str, str | int]]:
        """(document field, "=" / ">=" / "<=", value) of each set field but language and
        doc_ids, which each store expresses in its own way."""
        return [(name, op, value) for name, op, value in (
            ("doc_type", "=", self.doc_type), ("year", ">=", self.year_from),
            ("year", "<=", self.year_to), ("state_iso3", "=", self.state_iso3),
            ("symbol", "=", self.symbol), ("source", "=", self.source),
        ) if value is not None]
