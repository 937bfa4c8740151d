"""Uploaded files: checked (name, type, size) and saved into the upload folder."""

from __future__ import annotations

import unicodedata
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO
from urllib.parse import unquote

from indexer.errors import RtopError
from indexer.load import SUPPORTED_SUFFIXES
from indexer.models import BuildReport
from search_api.http import short
from search_api.settings import ApiSettings

MAX_NAME_BYTES = 255  # what ext4 and most file systems allow for one name


class UploadError(RtopError):
    """An upload that cannot be accepted as sent (400)."""


class UnsupportedUploadError(UploadError):
    """A file type the indexer does not read (415)."""

    status = 415


class UploadTooLargeError(UploadError):
    """A file or request over RTOP_MAX_UPLOAD_MB (413)."""

    status = 413


def check_name(name: str | None) -> str:
    """A bare, printable file name with an accepted extension, or an UploadError."""
    if not name or name in {".", ".."}:
        raise UploadError("A file was sent without a name.", "Send each file with its name.")
    shown = short(repr(name))
    decoded = unquote(name)  # browsers percent-encode some characters of a file name
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise UploadError(f"File name {shown} is longer than {MAX_NAME_BYTES} bytes.",
                          "Rename the file with a shorter name.")
    for candidate in {name, decoded}:
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in candidate):
            raise UploadError(f"File name {shown} contains control or direction characters.",
                              "Rename the file using only printable characters.")
        if (PurePosixPath(candidate).name != candidate
                or PureWindowsPath(candidate).name != candidate or candidate in {".", ".."}):
            raise UploadError(f"File name {shown} contains path parts.",
                              "Send a bare file name such as report.pdf.")
    if name.startswith(".") or name != name.strip():
        raise UploadError(f"File name {shown} is hidden or starts or ends with a space.",
                          "Rename the file, e.g. report.pdf.")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsupportedUploadError(f"File type of {shown} is not accepted.",
                                     "Accepted: " + " ".join(sorted(SUPPORTED_SUFFIXES)))
    return name


def too_large(name: str, settings: ApiSettings) -> UploadTooLargeError:
    return UploadTooLargeError(f"{name} is larger than {settings.max_upload_mb} MB.",
                               "Split the document or raise RTOP_MAX_UPLOAD_MB.")


def save_stream(filename: str | None, source: BinaryIO, settings: ApiSettings) -> Path:
    """Check the name, then copy at most the size limit into the upload folder."""
    name = check_name(filename)
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    target = settings.upload_dir / name
    partial = settings.upload_dir / f".{name[:200]}.part"
    written = 0
    try:
        with partial.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                written += len(chunk)
                if written > settings.max_upload_bytes:
                    raise too_large(name, settings)
                out.write(chunk)
        if written == 0:
            raise UploadError(f"{name} is empty.", "Send a file with content.")
        partial.replace(target)
    except OSError as exc:
        raise UploadError(f"{name} could not be stored ({exc.strerror}).",
                          "Rename the file and send it again.") from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def store(filename: str | None, data: bytes, settings: ApiSettings) -> Path:
    """Check name, type and size, then write ``data`` to the upload folder."""
    import io

    return save_stream(filename, io.BytesIO(data), settings)


def copy_file(source: Path, settings: ApiSettings) -> Path:
    """Store a file already on disk (the UI's temp files) through the same checks."""
    with source.open("rb") as fh:
        return save_stream(source.name, fh, settings)


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
            "corpus_version": report.corpus_version, "failed": report.failed,
            "skipped": report.skipped}


