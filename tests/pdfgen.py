"""Small PDFs made by the tests (reportlab), each showing one layout mechanism."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

Text = tuple[float, float, str]  # x, y from the top, text


def pdf_with_pages(path: Path, pages: Sequence[Sequence[Text]], font: str = "Helvetica", size: float = 10,
                   bold: Sequence[str] = ()) -> Path:
    """One page per list of (x, top, text); lines whose text is in `bold` are set bold."""
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for page in pages:
        for x, top, text in page:
            c.setFont(font + "-Bold" if text in bold else font, size)
            c.drawString(x, h - top, text)
        c.showPage()
    c.save()
    return path
