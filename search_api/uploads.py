"""Uploaded files: checked (name, type, size) and saved into the upload folder."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import UploadFile

from indexer.errors import RtopError
from indexer.load import SUPPORTED_SUFFIXES
from indexer.models import BuildReport
from indexer.settings import Settings


class UploadError(RtopError):
    """An upload that cannot be accepted as sent."""


def check_name(name: str | None) -> str:
    """A bare file name with an accepted extension, or an UploadError."""
    if not name or name in {".", ".."}:
        raise UploadError("A file was sent without a name.", "Send each file with its name.")
    if PurePosixPath(name).name != name or PureWindowsPath(name).name != name or "\x00" in name:
        raise UploadError(f"File name {name!r} contains path parts.",
                          "Send a bare file name such as report.pdf.")
    if name.startswith("."):
        raise UploadError(f"File name {name!r} is hidden.", "Rename the file without a dot.")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        error = UploadError(f"File type of {name!r} is not accepted.",
                            "Accepted: " + " ".join(sorted(SUPPORTED_SUFFIXES)))
        error.status = 415
        raise error
    return name


async def save(upload: UploadFile, settings: Settings) -> Path:
    """Read one upload (at most one byte past the limit) and store it."""
    data = await upload.read(settings.max_upload_mb * 1024 * 1024 + 1)
    return store(upload.filename, data, settings)


def store(filename: str | None, data: bytes, settings: Settings) -> Path:
    """Check name, type and size, then write the file to the upload folder; too large -> 413."""
    name = check_name(filename)
    limit = settings.max_upload_mb * 1024 * 1024
    if len(data) > limit:
        error = UploadError(f"{name} is larger than {settings.max_upload_mb} MB.",
                            "Split the document or raise RTOP_MAX_UPLOAD_MB.")
        error.status = 413
        raise error
    if not data:
        raise UploadError(f"{name} is empty.", "Send a file with content.")
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    target = settings.upload_dir / name
    target.write_bytes(data)
    return target


def result(saved: list[Path], report: BuildReport) -> dict[str, Any]:
    """Per-file outcome of an upload, plus the build totals."""
    failed = {Path(f["path"]).resolve(): f for f in report.failed}
    files = []
    for path in saved:
        problem = failed.get(path.resolve())
        files.append({"file": path.name, "status": "failed" if problem else "indexed",
                      **({"reason": problem["reason"], "hint": problem["hint"]} if problem
                         else {})})
    return {"files": files, "documents": report.documents_total, "chunks": report.chunks_total,
            "corpus_version": report.corpus_version}
