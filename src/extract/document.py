"""A whole PDF read once into plain layout data, with furniture marked."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError, LimitExceeded, NeedsOCR
from extract.docmodel.furniture import detect_furniture, page_labels
from extract.layout import Line, PageLayout, group_lines, read_page
from extract.pdf_reading import Limits, check_bytes, open_pdf, sha256_file


@dataclass(frozen=True)
class PageProblem:
    """Damage found while reading one page: the page (or part of it) could not be read."""

    page: int
    code: str  # page_unreadable | unreadable_characters | image_without_text
    message: str
    trace: str = ""  # the reader's traceback, for the run's log (never for the output)


@dataclass
class Document:
    path: Path
    sha256: str
    pages: list[PageLayout]
    labels: dict[int, str] = field(default_factory=dict)
    problems: list[PageProblem] = field(default_factory=list)
    # Pages without text whose surface is mostly images: share of the page they cover.
    image_pages: dict[int, float] = field(default_factory=dict)
    _lines: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def content_lines(self, page: PageLayout, split_gap: float | None = None) -> list[Line]:
        """The page's lines, furniture left out (grouped once per page and gap: every stage asks)."""
        key = (page.number, split_gap, len(page.furniture))
        if key not in self._lines:
            self._lines[key] = group_lines(page.content_words(), page.number, split_gap=split_gap)
        return list(self._lines[key])

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


def _unreadable(number: int, e: BaseException, pages: list[PageLayout]) -> tuple[PageLayout, PageProblem]:
    """An empty stand-in for a page the reader failed on: the page is lost, not the document."""
    import traceback

    w, h = (pages[-1].width, pages[-1].height) if pages else (595.0, 842.0)
    detail = str(e).strip().splitlines()[0] if str(e).strip() else ""
    problem = PageProblem(number, "page_unreadable",
                          f"page {number} could not be read ({type(e).__name__}{': ' + detail if detail else ''}): its content is missing",
                          trace=traceback.format_exc())
    return PageLayout(number=number, width=w, height=h, words=[]), problem


def _readable_text(page: PageLayout, problems: list[PageProblem]) -> PageLayout:
    """Lone surrogates (a damaged font's ToUnicode map) cannot be written as UTF-8: U+FFFD instead."""
    bad = 0
    words = []
    for w in page.words:
        if any("\ud800" <= ch <= "\udfff" for ch in w.text):
            bad += 1
            w = dataclasses.replace(w, text="".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in w.text))
        words.append(w)
    if bad:
        problems.append(PageProblem(page.number, "unreadable_characters",
                                    f"page {page.number}: {bad} word(s) hold characters the font does not map to text (kept as U+FFFD)"))
        page.words = words
    return page


def read_document(path: Path, limits: Limits = Limits()) -> Document:
    """Parse every page once; raise a clear error for inputs that cannot be read.

    A page the reader fails on costs that page only: it stays as an empty page and a problem
    naming it, and the other pages are read."""
    started = time.monotonic()
    digest = sha256_file(path)
    check_bytes(path, limits)
    pages: list[PageLayout] = []
    problems: list[PageProblem] = []
    images: dict[int, float] = {}
    if limits.engine == "pdfium":
        from extract import pdfium_reading

        pdf = pdfium_reading.open_document(path, limits.max_pages)
        try:
            for i in range(len(pdf)):
                try:
                    w, h = pdf.get_page_size(i)
                    _check_page(path, i + 1, w, h, started, limits)
                    layout = pdfium_reading.read_page(pdf, i)
                except (LimitExceeded, MemoryError):
                    raise
                except Exception as e:  # noqa: BLE001 - a damaged page: reported, never fatal
                    layout, problem = _unreadable(i + 1, e, pages)
                    problems.append(problem)
                else:
                    if not layout.words:
                        images[i + 1] = _image_cover(pdfium_reading.image_cover, pdf, i)
                pages.append(_readable_text(layout, problems))
        finally:
            pdf.close()
    else:
        plumber = open_pdf(path, limits)
        try:
            for i, page in enumerate(plumber.pages, start=1):
                try:
                    _check_page(path, i, float(page.width), float(page.height), started, limits)
                    layout = read_page(page, i)
                except (LimitExceeded, MemoryError):
                    raise
                except Exception as e:  # noqa: BLE001 - a damaged page: reported, never fatal
                    layout, problem = _unreadable(i, e, pages)
                    problems.append(problem)
                else:
                    if not layout.words:
                        images[i] = _image_cover(_plumber_image_cover, page)
                page.flush_cache()  # keep memory flat on long documents
                pages.append(_readable_text(layout, problems))
        finally:
            plumber.close()
    if problems and all(p.code == "page_unreadable" for p in problems) and len(problems) == len(pages):
        raise InputError(f"none of the {len(pages)} page(s) of {path.name} could be read ({problems[0].message})",
                         hint="The file is damaged: download it again.")
    if not any(p.words for p in pages):
        raise NeedsOCR(f"{path.name} has {len(pages)} page(s) but no text layer")
    for number, share in sorted(images.items()):
        if share >= 0.5:
            problems.append(PageProblem(number, "image_without_text",
                                        f"page {number} has no text but images over {share:.0%} of it: "
                                        "its content, if any, is an image (OCR it to read it)"))
    detect_furniture(pages)
    return Document(path=path, sha256=digest, pages=pages, labels=page_labels(pages), problems=problems,
                    image_pages={k: v for k, v in images.items() if v >= 0.5})


def _image_cover(measure: object, *args: object) -> float:
    """How much of a page without text images cover; 0 when the page's objects cannot be listed
    (the page was read: only the hint that it is an image is lost)."""
    try:
        return float(measure(*args))  # type: ignore[operator]
    except Exception:  # noqa: BLE001
        return 0.0


def _plumber_image_cover(page: object) -> float:
    area = float(page.width) * float(page.height) or 1.0  # type: ignore[attr-defined]
    covered = sum(max(0.0, float(im["x1"]) - float(im["x0"])) * max(0.0, float(im["bottom"]) - float(im["top"]))
                  for im in page.images)  # type: ignore[attr-defined]
    return round(min(1.0, covered / area), 3)
