"""A whole PDF read once into plain layout data, with furniture marked."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import LimitExceeded, NeedsOCR
from extract.furniture import detect_furniture, page_labels
from extract.layout import Line, PageLayout, group_lines, read_page
from extract.pdf_reading import Limits, open_pdf, sha256_file


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


def read_document(path: Path, limits: Limits = Limits()) -> Document:
    """Parse every page once; raise a clear error for inputs that cannot be read."""
    started = time.monotonic()
    digest = sha256_file(path)
    pdf = open_pdf(path, limits)
    try:
        pages: list[PageLayout] = []
        for i, page in enumerate(pdf.pages, start=1):
            if max(float(page.width), float(page.height)) > limits.max_page_side_pt:
                raise LimitExceeded(
                    f"page {i} of {path.name} is {page.width:.0f} x {page.height:.0f} pt, "
                    f"over the {limits.max_page_side_pt:.0f} pt limit",
                    hint="This is not a printable référentiel page; check the file.",
                )
            pages.append(read_page(page, i))
            page.flush_cache()  # keep memory flat on long documents
            if time.monotonic() - started > limits.max_seconds:
                raise LimitExceeded(
                    f"{path.name}: reading stopped after {limits.max_seconds:.0f} s at page {i}",
                    hint="Raise --max-seconds if this document is legitimate.",
                )
    finally:
        pdf.close()
    if not any(p.words for p in pages):
        raise NeedsOCR(f"{path.name} has {len(pages)} page(s) but no text layer")
    detect_furniture(pages)
    return Document(path=path, sha256=digest, pages=pages, labels=page_labels(pages))
