"""Page layout through PDFium (pypdfium2): the fast reader.

Produces the same plain data as layout.read_page (pdfplumber), an order of magnitude faster:
PDFium interprets content streams in C++. Geometry follows pdfplumber's conventions so every
later stage sees the same words: x from glyph advances, bottom at the descent, top = bottom - size.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as c

from extract.errors import InputError, LimitExceeded
from extract.layout import THIN, Box, PageLayout, Segment, Stroke, Word, text_upright

X_TOLERANCE = 1.4
Y_TOLERANCE = 2.5


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    font: str
    size: float
    upright: bool
    rgb: tuple[float, float, float]
    order: int
    rotation: int = 0  # rotated text: 90 reads top to bottom, -90 bottom to top


def open_document(path: Path, max_pages: int) -> pdfium.PdfDocument:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise InputError(
                f"{path.name} is encrypted with a password",
                hint="Ask the publisher for an unprotected copy, or decrypt it (qpdf --decrypt) first.",
            ) from e
        raise InputError(f"{path.name} cannot be parsed as a PDF ({e})",
                         hint="The file is truncated or corrupt: download it again.") from e
    n = len(pdf)
    if n == 0:
        pdf.close()
        raise InputError(f"{path.name} has no pages", hint="Download the file again.")
    if n > max_pages:
        pdf.close()
        raise LimitExceeded(f"{path.name} has {n} pages, over the {max_pages}-page limit",
                            hint="Raise --max-pages if this document is legitimate.")
    return pdf


def _handle(obj: object) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in PDF
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix of `inner` (object space to form space) followed by `outer` (form to page)."""
    a, b, c_, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c_ * A + d * C, c_ * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: object, outer: Matrix) -> Matrix:
    m = c.FS_MATRIX()
    c.FPDFPageObj_GetMatrix(obj, m)
    return _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)


def _objects(page: pdfium.PdfPage) -> list[tuple[int, object, int, Matrix]]:
    """(paint order, raw object, type, matrix to page space) of every page object, forms expanded
    in place. An object inside a form XObject has its matrix relative to the form: the form's own
    matrix (a browser's print may wrap a whole page in a flipped form) is composed in."""
    out: list[tuple[int, object, int, Matrix]] = []

    def walk(get_count, get_obj, parent, outer: Matrix) -> None:  # noqa: ANN001
        for i in range(get_count(parent)):
            obj = get_obj(parent, i)
            kind = c.FPDFPageObj_GetType(obj)
            matrix = _matrix(obj, outer)
            out.append((len(out), obj, kind, matrix))
            if kind == c.FPDF_PAGEOBJ_FORM:
                walk(c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject, obj, matrix)

    walk(c.FPDFPage_CountObjects, c.FPDFPage_GetObject, page.raw, IDENTITY)
    return out


def _rgb(r: int, g: int, b: int) -> tuple[float, float, float]:
    return (r / 255.0, g / 255.0, b / 255.0)


# The same C function, returning the object's address as an int: cheap to compare and hash.
_TEXT_OBJECT_ADDRESS = ctypes.cast(
    c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, c.FPDF_TEXTPAGE, ctypes.c_int))


@dataclass(slots=True)
class _Style:
    font: str
    scale: float  # vertical scale of the text object's matrix
    rgb: tuple[float, float, float]
    upright: bool
    rotation: int = 0


def _style(obj: object, matrix: Matrix) -> _Style:
    """Font, size scale, fill colour and orientation of one text object (shared by its chars);
    `matrix` maps the object's space to the page."""
    font = c.FPDFTextObj_GetFont(obj)
    size = ctypes.create_string_buffer(256)
    n = c.FPDFFont_GetBaseFontName(font, size, 256) if font else 0
    name = size.raw[: max(0, n - 1)].decode("latin-1", "replace").split("+")[-1] if n else ""
    ma, mb, mc, md = matrix[:4]
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    c.FPDFPageObj_GetFillColor(obj, r, g, b, a)
    upright = text_upright(ma, mb, mc, md)
    # The glyph's height runs along the matrix's second axis (c, d): for rotated or condensed
    # text the first axis (a, b) carries the advance, not the size.
    # Rotated text runs along the matrix's first axis: downwards (b < 0, y up) reads top to bottom.
    # Said by the matrix, a one-glyph word ("à" in a rotated header) has its direction too.
    rotation = 0 if upright else (-90 if mb > 1e-3 * (abs(ma) + abs(mb)) else 90)
    return _Style(name, math.hypot(mc, md) or 1.0, _rgb(r.value, g.value, b.value), upright, rotation)


def _chars(page: pdfium.PdfPage, height: float, objects: dict[int, tuple[int, object, Matrix]]) -> list[_Char]:
    tp = page.get_textpage()
    raw = tp.raw
    n = tp.count_chars()
    rect = c.FS_RECTF()
    styles: dict[int, _Style] = {}
    get_unicode, is_generated = c.FPDFText_GetUnicode, c.FPDFText_IsGenerated
    loose_box, font_size = c.FPDFText_GetLooseCharBox, c.FPDFText_GetFontSize
    out: list[_Char] = []
    sizes: dict[int, float] = {}
    for k in range(n):
        code = get_unicode(raw, k)
        # PDFium generates only spaces and line-end marks; other characters need no asking.
        if code in (0, 0xFFFE, 0xFFFF, 10, 13) or (code in (32, 2, 0xA0) and is_generated(raw, k) == 1):
            continue
        text = "-" if code == 2 else chr(code)  # PDFium reports a line-end hyphen as U+0002
        address = _TEXT_OBJECT_ADDRESS(raw, k) or 0
        style = styles.get(address)
        if style is None:
            order_obj = objects.get(address)
            style = styles[address] = (_style(order_obj[1], order_obj[2]) if order_obj
                                       else _Style("", 1.0, (0.0, 0.0, 0.0), True))
        loose_box(raw, k, rect)
        # The font size is set in the text matrix as often as in the font operator; one text
        # object has one size.
        size = sizes.get(address) if address else None
        if size is None:
            size = float(font_size(raw, k)) * style.scale
            if address:
                sizes[address] = size
        bottom = height - rect.bottom
        if style.upright:
            top = bottom - size
        else:
            top = height - rect.top
        order = objects[address][0] if address in objects else 0
        out.append(_Char(text, rect.left, top, rect.right, bottom, style.font, size, style.upright, style.rgb, order,
                         style.rotation))
    tp.close()
    return out


def _path_parts(obj: object, height: float, matrix: Matrix) -> tuple[
        list[Segment], list[Box], list[tuple[float, float, float, float]], list[Stroke]]:
    """Rulings, boxes, opaque fills and diagonal strokes of one path object, in page coordinates
    (top-down)."""
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    c.FPDFPath_GetDrawMode(obj, fillmode, stroke)
    filled, stroked = fillmode.value != 0, bool(stroke.value)
    if not (filled or stroked):
        return [], [], [], []
    ma, mb, mc, md, me, mf = matrix
    subpaths: list[list[tuple[float, float, bool]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        c.FPDFPathSegment_GetPoint(seg, x, y)
        px = ma * x.value + mc * y.value + me
        py = height - (mb * x.value + md * y.value + mf)
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([])
        subpaths[-1].append((px, py, kind == c.FPDF_SEGMENT_BEZIERTO))
    segments: list[Segment] = []
    boxes: list[Box] = []
    fills: list[tuple[float, float, float, float]] = []
    diagonals: list[Stroke] = []
    for pts in subpaths:
        if not pts:
            continue
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        curved = any(p[2] for p in pts)
        w, h = x1 - x0, bottom - top
        if w <= THIN or h <= THIN:
            segments.append(Segment(x0, top, x1, bottom))
            continue
        # A rectangle has four corners: a lone diagonal also has its ends on its bbox's sides.
        axis_box = not curved and len(pts) >= 4 and all(abs(px - x0) < 0.5 or abs(px - x1) < 0.5 for px in xs) and all(
            abs(py - top) < 0.5 or abs(py - bottom) < 0.5 for py in ys)
        if axis_box and stroked:
            segments += [Segment(x0, top, x1, top), Segment(x0, bottom, x1, bottom),
                         Segment(x0, top, x0, bottom), Segment(x1, top, x1, bottom)]
        elif not axis_box and not curved and stroked and not filled:
            # An open polyline: its straight pieces are rulings, or diagonals (ticks, crosses).
            for (ax, ay, _), (bx, by, _) in zip(pts, pts[1:]):
                if abs(ax - bx) < 0.5 or abs(ay - by) < 0.5:
                    segments.append(Segment(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
                else:
                    diagonals.append(Stroke(ax, ay, bx, by))
        if w >= 20 and h >= 12:
            outline = () if curved or axis_box else tuple((round(px, 1), round(py, 1)) for px, py, _ in pts)
            boxes.append(Box(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1), filled, outline))
        if filled:
            fills.append((x0, top, x1, bottom))
    return segments, boxes, fills, diagonals


def _fill_rgb(obj: object) -> tuple[float, float, float]:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    c.FPDFPageObj_GetFillColor(obj, r, g, b, a)
    return _rgb(r.value, g.value, b.value)


def _words(chars: list[_Char]) -> list[Word]:
    """Words in content order (as pdfplumber's text flow): split at spaces, at gaps wider than the
    x tolerance, where the text jumps line or goes backwards, and where font or size change."""
    words: list[Word] = []
    current: list[_Char] = []
    spaced = False
    for ch in chars:
        if ch.text.isspace():
            _flush(current, words, spaced)
            current, spaced = [], True
            continue
        if not ch.upright:
            # Rotated text comes in reading order: a word goes on while glyphs stay in one column
            # and touch along it.
            prev = current[-1] if current else None
            if prev is None or prev.upright or abs(ch.x0 - prev.x0) > 1.5 or min(
                    abs(ch.top - prev.bottom), abs(prev.top - ch.bottom)) > 0.12 * ch.size:
                _flush(current, words, spaced)
                current, spaced = [], False
            current.append(ch)
            continue
        if current and not current[-1].upright:
            _flush(current, words, spaced)
            current, spaced = [], False
        if current:
            prev = current[-1]
            # A ligature glyph ("ti", "fi", "ffi") gives each of its characters the glyph's box:
            # they go on in content-stream order, not as a jump backwards.
            same_glyph = abs(ch.x0 - prev.x0) < 0.3 and abs(ch.x1 - prev.x1) < 0.3
            if (abs(ch.top - prev.top) > Y_TOLERANCE or (ch.x0 < prev.x1 - 1.0 and not same_glyph)
                    or ch.x0 > prev.x1 + X_TOLERANCE or ch.font != prev.font or abs(ch.size - prev.size) > 0.01):
                _flush(current, words, spaced)
                current, spaced = [], False
        current.append(ch)
    _flush(current, words, spaced)
    return words


def _flush(chars: list[_Char], words: list[Word], space_before: bool) -> None:
    if chars:
        rotation = 0
        if not chars[0].upright:
            rotation = chars[0].rotation or (90 if len(chars) < 2 or chars[-1].top >= chars[0].top else -90)
        words.append(Word("".join(ch.text for ch in chars), min(ch.x0 for ch in chars), min(ch.top for ch in chars),
                          max(ch.x1 for ch in chars), max(ch.bottom for ch in chars), chars[0].font,
                          chars[0].size, chars[0].upright, space_before, rotation))


def _white(rgb: tuple[float, float, float]) -> bool:
    return all(v >= 0.99 for v in rgb)


def read_page(pdf: pdfium.PdfDocument, index: int) -> PageLayout:
    page = pdf[index]
    try:
        width, height = page.get_size()
        rotation = page.get_rotation()
        objects = _objects(page)
        by_address = {_handle(obj): (order, obj, matrix) for order, obj, _, matrix in objects}
        segments: list[Segment] = []
        boxes: set[Box] = set()
        fills: list[tuple[int, float, float, float, float, tuple[float, float, float]]] = []
        strokes: list[Stroke] = []
        for order, obj, kind, matrix in objects:
            if kind != c.FPDF_PAGEOBJ_PATH:
                continue
            segs, bxs, fls, diagonals = _path_parts(obj, height, matrix)
            segments += segs
            strokes += diagonals
            boxes.update(b for b in bxs if not (b.x1 - b.x0 > 0.95 * width and b.bottom - b.top > 0.95 * height))
            rgb = _fill_rgb(obj)
            fills += [(order, *f, rgb) for f in fls]
        chars = _chars(page, height, by_address)
    finally:
        page.close()
    # Spaces only separate words: their colour says nothing about visibility.
    by_band = _FillIndex(fills)
    visible = [ch for ch in chars if ch.text.isspace() or _visible(ch, by_band.at((ch.top + ch.bottom) / 2))]
    return _displayed(PageLayout(number=index + 1, width=width, height=height, words=_words(visible),
                                 segments=segments, boxes=sorted(boxes, key=lambda b: (b.top, b.x0)),
                                 strokes=strokes), rotation)


# Reading direction of a word, in degrees counter-clockwise: upright text runs at 0, text read
# bottom to top (rotation -90) at 90, top to bottom (rotation 90) at -90.
_DIRECTION = {-90: 90, 90: -90}
_FLAGS = {0: (True, 0), 90: (False, -90), 270: (False, 90)}  # direction -> (upright, rotation)


def _displayed(layout: PageLayout, rotation: int) -> PageLayout:
    """The page as a viewer shows it. PDFium reports a page turned by /Rotate in its unturned
    space: a landscape page made by turning a portrait one reads as all-rotated text at the wrong
    edges. Turned, its text is upright and its margins are where the reader sees them."""
    if rotation % 360 == 0:
        return layout
    w, h = layout.width, layout.height
    turn = rotation % 360

    def point(x: float, y: float) -> tuple[float, float]:
        # Top-down coordinates, the page turned clockwise by `turn` degrees.
        if turn == 90:
            return h - y, x
        if turn == 180:
            return w - x, h - y
        return y, w - x

    def rect(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = point(x0, top), point(x1, bottom)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    words = []
    for wd in layout.words:
        x0, top, x1, bottom = rect(wd.x0, wd.top, wd.x1, wd.bottom)
        direction = 0 if wd.upright else _DIRECTION.get(wd.rotation)
        upright, rot = (False, 0) if direction is None else _FLAGS.get((direction - turn) % 360, (False, 0))
        words.append(Word(wd.text, x0, top, x1, bottom, wd.font, wd.size, upright, wd.space_before, rot))
    size = (h, w) if turn in (90, 270) else (w, h)
    return PageLayout(number=layout.number, width=size[0], height=size[1], words=words,
                      segments=[Segment(*rect(s.x0, s.top, s.x1, s.bottom)) for s in layout.segments],
                      boxes=sorted((Box(*(round(v, 1) for v in rect(b.x0, b.top, b.x1, b.bottom)), b.filled,
                                        tuple(tuple(round(v, 1) for v in point(x, y)) for x, y in b.outline))
                                    for b in layout.boxes), key=lambda b: (b.top, b.x0)),
                      strokes=[Stroke(*point(s.x0, s.y0), *point(s.x1, s.y1)) for s in layout.strokes])


class _FillIndex:
    """The page's fills by horizontal band, each with its whiteness worked out once: a glyph is
    checked against the fills of its band only."""

    BAND = 24.0

    def __init__(self, fills: list) -> None:
        self.bands: dict[int, list] = {}
        for order, x0, top, x1, bottom, rgb in fills:
            entry = (order, x0, top, x1, bottom, _white(rgb), (x1 - x0) > THIN and (bottom - top) > THIN)
            for k in range(int(top // self.BAND), int(bottom // self.BAND) + 1):
                self.bands.setdefault(k, []).append(entry)

    def at(self, y: float) -> list:
        return self.bands.get(int(y // self.BAND), [])


def _visible(ch: _Char, fills: list) -> bool:
    """Hidden: covered by an opaque fill painted later, or white where no dark fill lies under it.
    `fills`: (order, x0, top, x1, bottom, white, wide) of the fills near the glyph."""
    cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    under_dark = False
    for order, x0, top, x1, bottom, white, wide in fills:
        if x0 <= cx <= x1 and top <= cy <= bottom:
            if order > ch.order and wide:
                return False
            if order < ch.order and not white:
                under_dark = True
    return under_dark or not _white(ch.rgb)


def image_cover(pdf: pdfium.PdfDocument, index: int) -> float:
    """Share of the page's surface under image objects (forms expanded): tells a page printed as
    an image (a scan, a flattened export) from a blank one."""
    page = pdf[index]
    try:
        width, height = page.get_size()
        covered = 0.0
        for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=8):
            left, bottom, right, top = obj.get_bounds()
            covered += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
    finally:
        page.close()
    return round(min(1.0, covered / (width * height or 1.0)), 3)
