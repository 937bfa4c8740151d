"""File -> RawDocument: the only module that imports pypdf, trafilatura and python-docx."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from indexer.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPdfError,
    ScannedPdfError,
    UnsupportedFormatError,
)
from indexer.models import PageSpan, RawDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}

_TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")
# Tokens OCR produces and typesetting does not: stray glyphs, punctuation glued to a word start.
_OCR_JUNK = re.compile(r"[~·|\\{}^`¬¦]|^[,;:.!?]\w|\w[(\[{]$|^\d+\.[a-z]$|\w'\($")
NOISY_OCR_THRESHOLD = 0.02


def load(path: Path) -> RawDocument:
    """Read one file into raw text (and pages for PDFs); raise a CorpusError if it cannot."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormatError(
            f"{path.name}: files of type '{suffix or '(none)'}' are not supported.",
            f"Convert it to one of {', '.join(sorted(SUPPORTED_SUFFIXES))}, or remove it.",
        )
    if not path.is_file():
        raise CorruptFileError(f"{path}: no such file.", "Check the path and try again.")
    if suffix == ".pdf":
        doc = _load_pdf(path)
    elif suffix in (".html", ".htm"):
        doc = _load_html(path)
    elif suffix == ".docx":
        doc = _load_docx(path)
    else:
        doc = RawDocument(path=str(path), fmt=suffix.lstrip("."), text=_read_text(path))
    if not doc.text.strip():
        raise EmptyDocumentError(
            f"{path.name}: the file contains no text.",
            "Add a file with text in it, or remove the empty file from the corpus.",
        )
    return doc


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if _looks_binary(data):
        raise CorruptFileError(
            f"{path.name}: binary content in a file named {path.suffix}.",
            "Check that the file really is text; rename it to its real type or remove it.",
        )
    for enc in _TEXT_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc != "utf-8":
            log.info("%s decoded as %s", path.name, enc)
        return text.lstrip("\ufeff")
    raise CorruptFileError(
        f"{path.name}: the text is not valid UTF-8 and no fallback encoding decodes it cleanly.",
        "Re-save the file as UTF-8 and add it again.",
    )


def _looks_binary(data: bytes) -> bool:
    if not data:
        return False
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    bad = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(sample) > 0.1


def _load_html(path: Path) -> RawDocument:
    import trafilatura

    raw = path.read_bytes().decode("utf-8", errors="replace")
    text = trafilatura.extract(raw, output_format="txt", include_comments=False) or ""
    meta = trafilatura.extract_metadata(raw)
    title = meta.title if meta is not None and meta.title else None
    if title is None:
        m = re.search(r"<title[^>]*>(.*?)</title>", raw, re.I | re.S)
        title = " ".join(m.group(1).split()) if m else None
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    return RawDocument(path=str(path), fmt="html", text="\n\n".join(paras), title=title)


def _load_docx(path: Path) -> RawDocument:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types on bad files
        raise CorruptFileError(
            f"{path.name}: not a readable .docx file ({type(exc).__name__}).",
            "Open and re-save it in a word processor, or export it to PDF or text.",
        ) from exc
    paras = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    title = document.core_properties.title or None
    return RawDocument(path=str(path), fmt="docx", text="\n\n".join(paras), title=title)


def _load_pdf(path: Path) -> RawDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        encrypted = reader.is_encrypted
    except (PdfReadError, ValueError, OSError, KeyError, TypeError) as exc:
        raise CorruptFileError(
            f"{path.name}: the PDF is damaged or is not a PDF ({exc}).",
            "Download or export the PDF again, then re-add it.",
        ) from exc
    if encrypted and not _try_empty_password(reader):
        raise EncryptedPdfError(
            f"{path.name}: the PDF is password-protected.",
            "Remove the password (e.g. qpdf --decrypt in.pdf out.pdf) and add the decrypted copy.",
        )
    try:
        texts = [_page_text(page) for page in reader.pages]
    except Exception as exc:  # pypdf can fail deep inside content streams
        raise CorruptFileError(
            f"{path.name}: the PDF's pages could not be read ({type(exc).__name__}: {exc}).",
            "Download or export the PDF again, then re-add it.",
        ) from exc
    if not any(t.strip() for t in texts):
        raise ScannedPdfError(
            f"{path.name}: scanned, OCR needed - the PDF has no text layer.",
            "Run OCR (e.g. ocrmypdf in.pdf out.pdf) and add the text-layer PDF.",
        )
    pages, parts, pos = [], [], 0
    for i, t in enumerate(texts, start=1):
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(t)
        pages.append(PageSpan(index=i, start=pos, end=pos + len(t)))
        pos += len(t)
    text = "".join(parts)
    warnings: tuple[str, ...] = ()
    noise = ocr_noise(text)
    if noise > NOISY_OCR_THRESHOLD:
        warnings = (
            f"noisy-ocr: {noise:.0%} of tokens look like OCR debris (stray glyphs, garbled "
            "words); check the text, or re-run OCR",
        )
        log.warning("%s: %s", path.name, warnings[0])
    return RawDocument(path=str(path), fmt="pdf", text=text, pages=tuple(pages), warnings=warnings)


def _try_empty_password(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False


def _page_text(page: object) -> str:
    """Layout mode keeps blank lines between paragraphs; fall back to plain mode."""
    try:
        text = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except Exception:
        text = ""
    if not text.strip():
        text = page.extract_text() or ""  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def ocr_noise(text: str) -> float:
    """Share of whitespace-separated tokens that look like OCR debris (0 when fewer than 3)."""
    tokens = text.split()
    bad = sum(1 for tok in tokens if _OCR_JUNK.search(tok))
    return bad / len(tokens) if bad >= 3 else 0.0
