"""A whole PDF read once into plain layout data, with furniture marked."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import LimitExceeded, NeedsOCR
from extract.docmodel.furniture import detect_furniture, page_labels
from extract.layout import Line, PageLayout, group_lines, read_page
from extract.pdf_reading import Limits, check_bytes, open_pdf, sha256_file


@dataclass
class Document:
    path: Path
    sha256: str
    pages: list[PageLayout]
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def content_lines(self, page: PageLayout, split_gap: float | None = None) -> list[Line]:
        return group_lines(page.content_words(), page.number, split_gap=split_gap)

    def text(self, max_pages: int | None = None) -> str:
        pages = self.pages if max_pages is None else self.pages[:max_pages]
        return "\n".join(ln.text for p in pages for ln in group_lines(p.words, p.number))


ENGINES = ("pdfium", "pdfplumber")


def _check_page(path: Path, i: int, width: float, height: float, started: float, limits: Limits) -> None:
    if max(width, height) > limits.max_page_side_pt:
        raise LimitExceeded(
            f"page {i} of {path.name} is {width:.0f} x {height:.0f} pt, over the {limits.max_page_side_pt:.0f} pt limit",
            hint="This is not a printable référentiel page; check the file.",
        )
    if time.monotonic() - started > limits.max_seconds:
        raise LimitExceeded(
            f"{path.name}: reading stopped after {limits.max_seconds:.0f} s at page {i}",
            hint="Raise --max-seconds if this document is legitimate.",
        )


def read_document(path: Path, limits: Limits = Limits()) -> Document:
    """Parse every page once; raise a clear error for inputs that cannot be read."""
    started = time.monotonic()
    digest = sha256_file(path)
    check_bytes(path, limits)
    pages: list[PageLayout] = []
    if limits.engine == "pdfium":
        from extract import pdfium_reading

        pdf = pdfium_reading.open_document(path, limits.max_pages)
        try:
            for i in range(len(pdf)):
                w, h = pdf.get_page_size(i)
                _check_page(path, i + 1, w, h, started, limits)
                pages.append(pdfium_reading.read_page(pdf, i))
        finally:
            pdf.close()
    else:
        plumber = open_pdf(path, limits)
        try:
            for i, page in enumerate(plumber.pages, start=1):
                _check_page(path, i, float(page.width), float(page.height), started, limits)
                pages.append(read_page(page, i))
                page.flush_cache()  # keep memory flat on long documents
        finally:
            plumber.close()
    if not any(p.words for p in pages):
        raise NeedsOCR(f"{path.name} has {len(pages)} page(s) but no text layer")
    detect_furniture(pages)
    return Document(path=path, sha256=digest, pages=pages, labels=page_labels(pages))
