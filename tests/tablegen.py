"""Small tables drawn the four ways a template may draw them (reportlab), for the table model.

Every table has the same content: a header row and rows of short cells, so a test can check
that each drawing reads to the same columns, header and cells."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import pdfgen  # noqa: F401  (registers the Vera fonts)

BODY = ParagraphStyle("tbody", fontName="Vera", fontSize=8, leading=10)
HEAD = ParagraphStyle("thead", parent=BODY, fontName="Vera-Bold")
TITLE = ParagraphStyle("ttitle", parent=BODY, fontName="Vera-Bold", fontSize=11, leading=14)

KINDS = ("ruled", "rules", "shaded", "whitespace")


def style_for(kind: str, nrows: int) -> list[tuple]:
    """The drawing of one kind: full grid, horizontal rules only, shaded rows, nothing."""
    base: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 4),
                         ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]
    if kind == "ruled":
        return base + [("GRID", (0, 0), (-1, -1), 0.6, colors.black)]
    if kind == "rules":
        return base + [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                       ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]
    if kind == "shaded":
        return base + [("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.8, 0.85, 0.95)),
                       ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.Color(0.92, 0.94, 0.98)])]
    return base


def cells(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[list]:
    data = [[Paragraph(h, HEAD) for h in header]]
    for row in rows:
        data.append([[Paragraph(part, BODY) for part in c.split("\n")] if c else "" for c in row])
    return data


def table_pdf(path: Path, kind: str, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], before: Sequence[str] = (), after: Sequence[str] = (),
              spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (), repeat_header: bool = True,
              page_size: tuple[float, float] = A4) -> Path:
    """One table drawn as `kind`, with paragraphs before and after it; rows split across pages."""
    style = style_for(kind, len(rows) + 1) + [("SPAN", a, b) for a, b in spans]
    table = Table(cells(rows, header), colWidths=list(widths), repeatRows=1 if repeat_header else 0,
                  splitInRow=1, style=TableStyle(style))
    story = [Paragraph(t, TITLE if i == 0 else BODY) for i, t in enumerate(before)]
    story += [Spacer(1, 8), table, Spacer(1, 8)] + [Paragraph(t, BODY) for t in after]
    SimpleDocTemplate(str(path), pagesize=page_size, topMargin=40, bottomMargin=40).build(story)
    return path


def tables_pdf(path: Path, kind: str, header: Sequence[str], blocks: Sequence[tuple[str, Sequence[Sequence[str]]]],
               widths: Sequence[float]) -> Path:
    """One table per bloc, each under its own heading line, drawn as `kind`."""
    story: list = []
    for heading, rows in blocks:
        story += [Paragraph(heading, TITLE), Spacer(1, 4),
                  Table(cells(rows, header), colWidths=list(widths), repeatRows=1,
                        style=TableStyle(style_for(kind, len(rows) + 1))), Spacer(1, 14)]
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=40, bottomMargin=40).build(story)
    return path
