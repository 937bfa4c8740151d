"""The API edge's settings: key, CORS, uploads and address, on top of the index settings."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from indexer.settings import Settings


def _model_folder(value: Path | None, name: str) -> Path | None:
    """A local sentence-transformers CrossEncoder folder (nothing is downloaded)."""
    if value is not None and not (value / "config.json").is_file():
        raise ValueError(f"{name}={value} is not a local model folder (no config.json); point it "
                         "at a CrossEncoder saved with save_pretrained, or unset it")
    return value


class ApiSettings(Settings):
    """What only the server needs; read from the same RTOP_* environment variables."""

    api_key: SecretStr | None = None
    cors_origins: list[str] = []
    upload_dir: Path = Path("corpus/uploads")
    max_upload_mb: int = Field(20, ge=1, le=500)
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    # generative answers: any OpenAI-compatible /v1 endpoint (Ollama, vLLM, llama.cpp, hosted)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(30.0, gt=0, le=600)
    llm_max_tokens: int = Field(600, ge=16, le=8192)
    # optional local cross-encoders: a reranker of candidates, an NLI model for claim checks
    reranker_path: Path | None = None
    nli_path: Path | None = None
    # processes that answer /api/ask when served (an answer holds Python's GIL, so one process
    # answers on about one core): 0, one per core; 1, the server's own
    answer_processes: int = Field(0, ge=0, le=64)

    @field_validator("llm_base_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"RTOP_LLM_BASE_URL={value} is not an http(s) URL; give the "
                             "endpoint's /v1 address, e.g. http://127.0.0.1:11434/v1")
        return value.rstrip("/") if value else None

    @field_validator("reranker_path")
    @classmethod
    def _reranker(cls, value: Path | None) -> Path | None:
        return _model_folder(value, "RTOP_RERANKER_PATH")

    @field_validator("nli_path")
    @classmethod
    def _nli(cls, value: Path | None) -> Path | None:
        return _model_folder(value, "RTOP_NLI_PATH")

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

    @property
    def answer_process_count(self) -> int:
        return self.answer_processes or os.cpu_count() or 1

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
