"""Degraded copies of real PDFs, made with PDFium (pypdfium2): the damage a verdict must see.

Each function writes a copy of `src` to `dst` with one kind of damage and returns `dst`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pypdfium2 as pdfium
import pypdfium2.raw as c


def remove_page(src: Path, dst: Path, number: int) -> Path:
    """The copy without physical page `number` (1-based)."""
    pdf = pdfium.PdfDocument(str(src))
    pdf.del_page(number - 1)
    pdf.save(str(dst))
    pdf.close()
    return dst


def _top_objects(page: pdfium.PdfPage) -> list[pdfium.PdfObject]:
    return list(page.get_objects(max_depth=0))


def remove_rulings(src: Path, dst: Path, numbers: Iterable[int]) -> Path:
    """The copy with every drawn path (rulings, cell borders, shading) of the given pages removed:
    the grid's text stays where it was, its lines are gone."""
    pdf = pdfium.PdfDocument(str(src))
    for number in numbers:
        page = pdf[number - 1]
        for obj in _top_objects(page):
            if obj.type == c.FPDF_PAGEOBJ_PATH:
                page.remove_obj(obj)
        page.gen_content()
        page.close()
    pdf.save(str(dst))
    pdf.close()
    return dst


def swap_columns(src: Path, dst: Path, numbers: Iterable[int], left: tuple[float, float],
                 right: tuple[float, float], below: dict[int, float]) -> Path:
    """The copy where the text of two columns (x ranges in PDF points, from the left edge) trade
    places on the given pages, under `below[page]` (distance from the page top: the header row
    stays where it is). Rulings stay: the grid now holds each column's text in the other."""
    pdf = pdfium.PdfDocument(str(src))
    for number in numbers:
        page = pdf[number - 1]
        height = page.get_height()
        limit = height - below.get(number, 0.0)
        for obj in _top_objects(page):
            if obj.type != c.FPDF_PAGEOBJ_TEXT:
                continue
            x0, y0, x1, y1 = obj.get_bounds()
            if (y0 + y1) / 2 > limit:
                continue
            xc = (x0 + x1) / 2
            if left[0] <= xc <= left[1]:
                obj.transform(pdfium.PdfMatrix().translate(right[0] - left[0], 0))
            elif right[0] <= xc <= right[1]:
                obj.transform(pdfium.PdfMatrix().translate(left[0] - right[0], 0))
        page.gen_content()
        page.close()
    pdf.save(str(dst))
    pdf.close()
    return dst


def page_as_image(src: Path, dst: Path, number: int, scale: float = 1.5) -> Path:
    """The copy where page `number` is a picture of itself: what it printed is pixels, no text."""
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[number - 1]
    width, height = page.get_size()
    bitmap = page.render(scale=scale)
    for obj in _top_objects(page):
        page.remove_obj(obj)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(width, height))
    page.insert_obj(image)
    page.gen_content()
    page.close()
    pdf.save(str(dst))
    pdf.close()
    return dst
