"""Opening PDFs safely: the first stage, where bad input is turned into clear errors."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from extract.errors import InputError, LimitExceeded, caused_by


@dataclass(frozen=True)
class Limits:
    """Bounds on hostile or huge input; all configurable from the CLI."""

    max_pages: int = 400
    max_bytes: int = 100 * 1024 * 1024
    # A4 is 595 x 842 pt; anything beyond 20x that in a dimension is not a référentiel page.
    max_page_side_pt: float = 14400.0
    max_seconds: float = 120.0
    max_memory_mb: float = 1500.0
    # Run each extraction in a child process under the time and memory limits above.
    guarded: bool = True
    # pdfium (fast, C++) or pdfplumber (pdfminer, pure Python): both give the same layout data.
    engine: str = "pdfium"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def check_bytes(path: Path, limits: Limits) -> None:
    """Cheap checks before handing the file to a parser."""
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path.name} is empty (0 bytes)", hint="Download the file again.")
    if size > limits.max_bytes:
        raise LimitExceeded(
            f"{path.name} is {size / 1e6:.1f} MB, over the {limits.max_bytes / 1e6:.0f} MB limit",
            hint="Raise --max-mb if this file is legitimate.",
        )
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        kind = "an HTML page" if b"<html" in head.lower() or b"<!doctype" in head.lower() else "not a PDF"
        raise InputError(
            f"{path.name} is {kind} (no %PDF header)",
            hint="The download probably returned an error page: check the source URL.",
        )


def _is_password_error(e: BaseException) -> bool:
    return caused_by(e, lambda x: isinstance(x, PDFPasswordIncorrect) or "password" in str(x).lower())


def open_pdf(path: Path, limits: Limits = Limits()) -> pdfplumber.PDF:
    """Open a PDF for reading, or raise an InputError/LimitExceeded that says what to do."""
    check_bytes(path, limits)
    try:
        pdf = pdfplumber.open(path)
    except (PDFSyntaxError, Exception) as e:  # pdfminer raises many types on corrupt files
        if _is_password_error(e):
            raise InputError(
                f"{path.name} is encrypted with a password",
                hint="Ask the publisher for an unprotected copy, or decrypt it (qpdf --decrypt) first.",
            ) from e
        raise InputError(
            f"{path.name} cannot be parsed as a PDF ({type(e).__name__}: {e})",
            hint="The file is truncated or corrupt: download it again.",
        ) from e
    try:
        n = len(pdf.pages)
    except Exception as e:
        pdf.close()
        raise InputError(
            f"{path.name} has a broken page tree ({type(e).__name__}: {e})",
            hint="The file is truncated or corrupt: download it again.",
        ) from e
    if n == 0:
        pdf.close()
        raise InputError(f"{path.name} has no pages", hint="Download the file again.")
    if n > limits.max_pages:
        pdf.close()
        raise LimitExceeded(
            f"{path.name} has {n} pages, over the {limits.max_pages}-page limit",
            hint="Raise --max-pages if this document is legitimate.",
        )
    return pdf
