"""The API edge's settings: key, CORS, uploads and address, on top of the index settings."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from indexer.settings import Settings


class ApiSettings(Settings):
    """What only the server needs; read from the same RTOP_* environment variables."""

    api_key: SecretStr | None = None
    cors_origins: list[str] = []
    upload_dir: Path = Path("corpus/uploads")
    max_upload_mb: int = Field(20, ge=1, le=500)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def reindex_roots(self) -> list[Path]:
        """The corpus folders plus the upload folder (when it is not inside one of them)."""
        roots = list(self.corpus_paths)
        upload = self.upload_dir
        if not any(upload.resolve().is_relative_to(r.resolve()) for r in roots):
            roots.append(upload)
        return [r for r in roots if r.exists()]
