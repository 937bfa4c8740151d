"""Domain errors: one base class, translated once at each edge (CLI, API, UI)."""

from __future__ import annotations


class RtopError(Exception):
    """Base of every error this project raises on purpose; ``hint`` says what to do.

    HTTP status codes are chosen at the API edge (search_api/http.py), not here.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class CorpusError(RtopError):
    """A document could not be read or turned into text."""


class UnsupportedFormatError(CorpusError):
    """The file's type is not one the indexer reads."""


class EmptyDocumentError(CorpusError):
    """The file has no text."""


class ScannedPdfError(CorpusError):
    """A PDF with no text layer: it needs OCR first."""


class EncryptedPdfError(CorpusError):
    """A password-protected PDF."""


class CorruptFileError(CorpusError):
    """The file is damaged or is not what its extension says."""


class IndexNotFoundError(RtopError):
    """No index at the configured place."""


class IndexMismatchError(RtopError):
    """The index was built with another model or format version."""


class InvalidQueryError(RtopError):
    """A question, query or filter that cannot be served as given."""


class NotFoundError(RtopError):
    """A document or resource that does not exist."""


class AuthError(RtopError):
    """A protected action without the right key."""


class IndexBusyError(RtopError):
    """Another build holds the index folder's lock."""


class BuildCancelledError(RtopError):
    """A build stopped on request (shutdown); its finished batches are kept for the next run."""


class LLMError(RtopError):
    """A language model endpoint gave no usable reply (down, slow, or junk)."""


class StoreUnavailableError(RtopError):
    """The configured store (a Milvus server or file) cannot be opened or reached."""
