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


# ---------------------------------------------------------------- RNCP grids

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle  # noqa: E402

def _register_fonts() -> None:
    # Vera ships with reportlab and embeds a ToUnicode map: bullets read back as printed.
    import os

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    base = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(base, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("Vera-Bold", os.path.join(base, "VeraBd.ttf")))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="Vera-Bold", italic="Vera", boldItalic="Vera-Bold")


_register_fonts()
_BODY = ParagraphStyle("body", fontName="Vera", fontSize=8, leading=10)
_BOLD = ParagraphStyle("bold", parent=_BODY, fontName="Vera-Bold")


def cell(text: str) -> list[Paragraph]:
    """Cell content from plain lines: '**x**' bold; leading '  ' per depth and a marker make a bullet."""
    out = []
    for raw in text.split("\n"):
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        line = raw.strip()
        style = _BODY
        if line.startswith("**") and line.endswith("**") and line.count("**") == 2:
            line, style = line[2:-2], _BOLD
        else:
            parts = line.split("**")
            line = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
        marker = line.split(" ", 1)[0] if line[:2] in ("- ", "• ", "o ") else None
        if marker:
            bullet_style = ParagraphStyle(f"b{depth}", parent=style, leftIndent=10 + 12 * depth,
                                          bulletIndent=12 * depth, bulletFontName=style.fontName)
            out.append(Paragraph(line[2:], bullet_style, bulletText=marker))
        else:
            out.append(Paragraph(line, style))
    return out


HEADER = ["REFERENTIEL D'ACTIVITES", "REFERENTIEL DE COMPETENCES", "MODALITÉS D'ÉVALUATION",
          "CRITÈRES D'ÉVALUATION"]


def rncp_grid(path: Path, rows: list[list[str]], spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
              repeat_header: bool = True, intro: Sequence[str] = ()) -> Path:
    """A 4-column RNCP grid: row 0 is the header; rows may be split across pages."""
    data = [[cell(c) if c else "" for c in row] for row in [HEADER, *rows]]
    style = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("SPAN", a, b) for a, b in spans]
    table = Table(data, colWidths=[120, 130, 120, 150], repeatRows=1 if repeat_header else 0,
                  splitInRow=1, style=TableStyle(style))
    doc = SimpleDocTemplate(str(path), topMargin=40, bottomMargin=40)
    story = [Paragraph(t, _BODY) for t in intro] + ([Spacer(1, 10)] if intro else []) + [table]
    doc.build(story)
    return path


# ---------------------------------------------------------------- REAC-like documents

Styled = tuple[str, str, float]  # text, "b" for bold or "", size


def reac_pdf(path: Path, pages: Sequence[Sequence[Styled | None]], footer: dict[str, str]) -> Path:
    """Pages of lines from the top (None = a blank line), a footer table on every page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    labels = list(footer)
    for n, page in enumerate(pages, start=1):
        top = 72.0
        for item in page:
            if item is None:
                top += 11.5
                continue
            text, weight, size = item
            font = "Vera-Bold" if weight == "b" else "Vera"
            c.setFont(font, size)
            x = (w - c.stringWidth(text, font, size)) / 2 if weight == "b" and size >= 12 else 72
            c.drawString(x, h - top - size, text)
            top += 11.5 if size <= 10 else size + 8
        # the footer table: labels row, values row, ruled
        c.setFont("Vera", 6)
        values = [footer[k] if k != "Page" else f"{n}/{len(pages)}" for k in labels]
        widths = [max(c.stringWidth(a, "Vera", 6), c.stringWidth(b, "Vera", 6)) + 12 for a, b in zip(labels, values)]
        xs = [40.0]
        for width in widths:
            xs.append(xs[-1] + width)
        for x, label, value in zip(xs, labels, values):
            c.drawString(x + 4, 50, label)
            c.drawString(x + 4, 38, value)
        c.grid(xs, [60, 47, 34])
        c.showPage()
    c.save()
    return path


# ---------------------------------------------------------------- RE / RC documents as Word draws them

from reportlab.lib.pagesizes import landscape  # noqa: E402

RULE = 0.5  # Word's border: a thin filled rectangle per cell side


class WordPage:
    """A landscape page drawn the way Word writes an RC: borders cell by cell, rotated headers
    with a near-zero text matrix, check boxes as squares with diagonals, grey cells as nested
    rectangles. Coordinates are from the top of the page."""

    def __init__(self, c: canvas.Canvas, size: tuple[float, float]):
        self.c, (self.w, self.h) = c, size

    def text(self, x: float, top: float, s: str, size: float = 9, bold: bool = False) -> None:
        self.c.setFont("Vera-Bold" if bold else "Vera", size)
        self.c.drawString(x, self.h - top - size, s)

    def lines(self, x: float, top: float, text: str, size: float = 9, bold: bool = False) -> None:
        for i, s in enumerate(text.split("\n")):
            if s:
                self.text(x, top + i * (size + 2), s, size, bold)

    def rotated(self, x: float, top: float, s: str, size: float = 9) -> None:
        """Text read top to bottom, set with the matrix Word writes: [1e-9 -1 1 1e-9]. reportlab
        rounds matrix entries, so the text object is written out as Word writes it."""
        self.c.setFont("Vera", size)
        font = self.c._doc.getInternalFontName("Vera")  # the resource name of the font just set
        escaped = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        self.c.addLiteral(f"BT {font} {size} Tf 0.000000001 -1 1 0.000000001 {x + size:.2f} {self.h - top:.2f} Tm "
                          f"({escaped}) Tj ET")

    def fill(self, x0: float, top: float, x1: float, bottom: float, grey: float = 0.0) -> None:
        self.c.setFillGray(grey)
        self.c.rect(x0, self.h - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        self.c.setFillGray(0)

    def grid_row(self, xs: Sequence[float], top: float, bottom: float, inner: bool = True) -> None:
        """One row's borders: a vertical piece per column edge spanning this row only (the outer
        edges only for a full-width row), the top edge in pieces per cell, corner squares."""
        edges = list(xs) if inner else [xs[0], xs[-1]]
        for x in edges:
            self.fill(x, top + RULE, x + RULE, bottom)  # the side, between the corner squares
            self.fill(x, top, x + RULE, top + RULE)  # the corner square
        for a, b in zip(xs, xs[1:]):
            self.fill(a + RULE, top, b, top + RULE)

    def close(self, xs: Sequence[float], bottom: float) -> None:
        for x in xs:
            self.fill(x, bottom, x + RULE, bottom + RULE)
        for a, b in zip(xs, xs[1:]):
            self.fill(a + RULE, bottom, b, bottom + RULE)

    def check_box(self, xc: float, yc: float, ticked: bool, side: float = 9.4) -> None:
        x0, top = xc - side / 2, yc - side / 2
        self.c.setLineWidth(0.6)
        self.c.rect(x0, self.h - top - side, side, side, stroke=1, fill=0)
        if ticked:
            self.c.line(x0, self.h - top, x0 + side, self.h - top - side)
            self.c.line(x0 + side, self.h - top, x0, self.h - top - side)

    def grey_cell(self, x0: float, top: float, x1: float, bottom: float, pad: float = 5.1, first_line: float = 11.4) -> None:
        """A shaded cell as Word paints it: side strips for the padding, a strip for the first line,
        the rest below: four rectangles of one grey, nested in the cell."""
        g = 0.85
        self.fill(x0, top, x0 + pad, top + first_line, g)
        self.fill(x1 - pad, top, x1, top + first_line, g)
        self.fill(x0, top + first_line, x1, bottom, g)
        self.fill(x0 + pad, top, x1 - pad, top + first_line, g)


def word_pdf(path: Path, draw_pages: Sequence, portrait: Sequence[int] = (), turned: bool = False) -> Path:
    """Pages drawn by callables taking a WordPage; pages whose index is in `portrait` are portrait.
    With `turned`, a landscape page is a portrait sheet shown turned (/Rotate 90), its content
    drawn turned the other way so that it reads upright on screen."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    for i, draw in enumerate(draw_pages):
        if i in portrait:
            c.setPageSize(A4)
            draw(WordPage(c, A4))
        elif turned:
            c.setPageSize(A4)
            c.setPageRotation(90)
            c.saveState()
            c.translate(A4[0], 0)
            c.rotate(90)
            draw(WordPage(c, landscape(A4)))
            c.restoreState()
        else:
            c.setPageSize(landscape(A4))
            draw(WordPage(c, landscape(A4)))
        c.showPage()
        c.setPageRotation(0)
    c.save()
    return path


def word_footer_table(pg: WordPage, cells: Sequence[tuple[str, str]], x0: float, widths: Sequence[float],
                      bottom: float, size: float = 6.0) -> float:
    """A footer table (labels over values) ending `bottom` points above the page's bottom edge,
    label text wrapped to its cell's width; returns the table's top (from the page top)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def wrap(text: str, width: float) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            if lines and stringWidth(lines[-1] + " " + word, "Vera", size) <= width - 4:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines

    labels = [wrap(label, w) for (label, _), w in zip(cells, widths)]
    pitch = size + 1.5
    label_h = max(len(ls) for ls in labels) * pitch + 2
    value_h = pitch + 2
    top = pg.h - bottom - label_h - value_h
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    pg.grid_row(xs, top, top + label_h)
    pg.grid_row(xs, top + label_h, top + label_h + value_h)
    pg.close(xs, top + label_h + value_h)
    for x, w, ls, (_, value) in zip(xs, widths, labels, cells):
        for i, s in enumerate(ls):
            pg.text(x + (w - stringWidth(s, "Vera", size)) / 2, top + 1 + i * pitch, s, size)
        pg.text(x + (w - stringWidth(value, "Vera", size)) / 2, top + label_h + 1, value, size)
    return top


def raw_pdf(path: Path, objects: Sequence[bytes]) -> Path:
    """A PDF written object by object (numbered from 1, the catalog first), with its xref table:
    for files no library would write (a bomb, pages whose fonts say odd things)."""
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    Path(path).write_bytes(out)
    return Path(path)


# ---------------------------------------------------------------- glyphs shared by several characters


def ligature_pdf(path: Path, words: Sequence[Sequence[str]]) -> Path:
    """One line of words drawn with a Type 3 font whose glyphs may each stand for several
    characters (a ligature "ti", "fi": its ToUnicode maps one code to them all), as some fonts
    print them. `words`: the glyphs of each word, e.g. [["L", "e", "s"], ["ti", "e", "r", "s"]]."""
    glyphs = []
    for w in words:
        for g in w:
            if g not in glyphs: glyphs.append(g)
    codes = {g: i + 1 for i, g in enumerate(glyphs)}
    width = {g: 300 * len(g) for g in glyphs}
    # content: each word shown with its codes, words separated by a space glyph move
    parts = []
    x = 72
    for w in words:
        s = "".join("\\%03o" % codes[g] for g in w)
        parts.append(f"BT /F1 12 Tf {x} 700 Td ({s}) Tj ET")
        x += sum(width[g] for g in w) * 12 / 1000 + 4
    content = "\n".join(parts).encode()
    objs = []
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
    objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    n = len(glyphs)
    diffs = " ".join(f"/g{i+1}" for i in range(n))
    widths = " ".join(str(width[g]) for g in glyphs)
    objs.append(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs 6 0 R /Encoding << /Type /Encoding /Differences [1 {diffs}] >> /FirstChar 1 /LastChar {n} /Widths [{widths}] /ToUnicode 7 0 R /Resources << >> >>".encode())
    procs = " ".join(f"/g{i+1} {8+i} 0 R" for i in range(n))
    objs.append(f"<< {procs} >>".encode())
    cmap_lines = "\n".join(f"<{codes[g]:02X}> <{''.join('%04X' % ord(c) for c in g)}>" for g in glyphs)
    cmap = f"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /L def 1 begincodespacerange <01> <FF> endcodespacerange {n} beginbfchar
{cmap_lines}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end""".encode()
    objs.append(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    for g in glyphs:
        w = width[g]
        proc = f"{w} 0 0 0 {w-40} 700 d1 20 0 {w-60} 700 re f".encode()
        objs.append(b"<< /Length %d >>\nstream\n" % len(proc) + proc + b"\nendstream")
    return raw_pdf(path, objs)
