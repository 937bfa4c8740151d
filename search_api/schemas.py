"""Request and response models of the HTTP API (the answer contract lives here)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from search_api.query import MAX_QUESTION


class FilterIn(BaseModel):
    """Optional restrictions; unknown values are rejected with the accepted ones listed."""

    model_config = ConfigDict(extra="forbid")

    type: str | None = Field(None, description="Document type, e.g. general-debate-statement")
    state: str | None = Field(None, description="State name or ISO code, e.g. Croatia or HRV")
    year_from: int | None = Field(None, ge=1900, le=2100)
    year_to: int | None = Field(None, ge=1900, le=2100)
    symbol: str | None = Field(None, max_length=100, description="UN symbol, e.g. S/RES/688 (1991)")
    source: str | None = Field(None, max_length=200, description="Source folder name")


class SearchParams(FilterIn):
    """GET /api/search query: the text, how many passages, and the filters."""

    q: str = Field(..., min_length=1, max_length=MAX_QUESTION, examples=["focal points"])
    k: int = Field(10, ge=1, le=50)

    def filters(self) -> FilterIn:
        return FilterIn(**self.model_dump(exclude={"q", "k"}))


class DocumentsParams(BaseModel):
    """GET /api/documents query: a page, and optional conditions (all must hold)."""

    model_config = ConfigDict(extra="forbid")

    offset: int = Field(0, ge=0, le=10_000_000)
    limit: int = Field(50, ge=1, le=500)
    collection: str | None = Field(None, max_length=200,
                                   description="Collection (source folder), e.g. ungdc-r2p")
    type: str | None = Field(None, max_length=100, description="Document type")
    year: int | None = Field(None, ge=1900, le=2100)
    state: str | None = Field(None, max_length=100, description="State name or ISO code")


class AskIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [
            {"question": "Which states named focal points?", "filters": {}, "k": 5},
            {"question": "Which states referred to the Responsibility to Protect in the 2022 "
                         "General Debate?", "filters": {"year_from": 2022, "year_to": 2022}},
        ]},
    )

    question: str = Field(..., min_length=1, max_length=MAX_QUESTION)
    filters: FilterIn = Field(default_factory=FilterIn)
    k: int = Field(10, ge=1, le=100, description="At most this many citations in the answer "
                   "(a list answer names as many items as k allows, one quote each first)")
    mode: Literal["extractive", "generative"] | None = Field(
        None, description="extractive: verified quotes; generative: a written answer whose "
        "every sentence is checked against the quotes it cites (needs RTOP_LLM_BASE_URL). "
        "Default: generative when a language model is configured, else extractive")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty; ask something, e.g. 'Which states named "
                             "focal points?'")
        return value.strip()


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    quote: str
    char_start: int
    char_end: int
    page: int | None
    paragraph: str | None
    citation: str
    score: float = Field(description="Estimated probability (0-1) that this quote answers the "
                         "question, from the fitted answer scorer; for /api/search results, the "
                         "fused retrieval score (reciprocal rank fusion) instead")
    page_label: str | None = None
    chunk_id: str | None = None
    doc_type: str | None = None
    date: str | None = None
    year: int | None = None
    state: str | None = None
    symbol: str | None = None
    publisher: str | None = None


class Item(BaseModel):
    label: str
    citations: list[int]


class SentenceOut(BaseModel):
    """One sentence of a written answer and the check of its citations."""

    text: str
    citations: list[int] = Field(description="The evidence numbers the sentence cites")
    supported: bool = Field(description="True when the cited quotes hold what it says")
    reason: str | None = Field(None, description="Why the check failed")


class AnswerOut(BaseModel):
    """The answer contract: the same from POST /api/ask and ``rtop-search ask --json``."""

    question: str
    answer: str
    refused: bool
    answer_type: str | None = Field(None, description="What the question asks for, as "
                                    "understood: list-states, date, person, explanation, ...")
    items: list[Item]
    citations: list[Citation]
    related: list[Citation] = Field(
        default_factory=list, description="Nearest passages when refused; not evidence")
    corpus_version: str
    filters_applied: dict[str, object] = Field(default_factory=dict)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    mode: str = Field("extractive", description="How the answer was made: extractive or "
                      "generative")
    model: str | None = Field(None, description="The language model that wrote it")
    fallback: bool = Field(False, description="True when a generative answer was asked for "
                           "but the extractive one is returned (see warnings)")
    sentences: list[SentenceOut] = Field(
        default_factory=list, description="Generative: every sentence the model wrote, each "
        "with its citations and whether the check passed; the answer holds the supported ones")
    unsupported: list[SentenceOut] = Field(
        default_factory=list, description="Sentences dropped from the answer, with the reason")
    warnings: list[str] = Field(default_factory=list)


class SearchResult(Citation):
    dense: float | None = None
    lexical: float | None = None


class SearchOut(BaseModel):
    query: str
    results: list[SearchResult]
    corpus_version: str
    timings_ms: dict[str, float] = Field(default_factory=dict)


class FieldErrorOut(BaseModel):
    field: str = Field(..., description="The parameter or body field, e.g. question or k")
    message: str


class ErrorOut(BaseModel):
    """Every error answer has this shape, whatever its status."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"error": "Missing or wrong API key.",
         "detail": "Send the header 'Authorization: Bearer <RTOP_API_KEY>'."},
        {"error": "Invalid request: k: Input should be less than or equal to 50",
         "detail": [{"field": "k", "message": "Input should be less than or equal to 50"}]},
    ]})

    error: str = Field(..., description="What went wrong")
    detail: str | list[FieldErrorOut] | None = Field(
        None, description="What to do (text), or the invalid fields (422)")


class JobOut(BaseModel):
    """A background build (upload or reindex): poll GET /api/jobs/{id} until it has finished."""

    id: str
    kind: str = Field(..., description="upload or reindex")
    state: str = Field(..., description="queued, running, done, failed or cancelled")
    files: list[str] = Field(default_factory=list)
    progress: dict[str, float] = Field(
        default_factory=dict,
        description="documents_done, documents_total, chunks_done, eta_seconds")
    result: dict[str, object] | None = Field(
        None, description="When done: per-file outcome and the build totals")
    error: dict[str, object] | None = None
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
