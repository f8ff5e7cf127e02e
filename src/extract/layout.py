"""Layout of a page as plain data: words with fonts, lines, ruling segments.

Every later stage works on these dataclasses, never on pdfplumber objects, so each stage can be
tested on hand-made data and the PDF is parsed once per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from extract.text import clean_line

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_ITALIC = re.compile(r"italic|oblique", re.I)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    font: str = ""
    size: float = 10.0
    upright: bool = True
    space_before: bool = False  # a space character separated it from the previous word
    rotation: int = 0  # rotated text: 90 reads top to bottom, -90 bottom to top

    @property
    def bold(self) -> bool:
        return bool(_BOLD.search(self.font))

    @property
    def italic(self) -> bool:
        return bool(_ITALIC.search(self.font))

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Words on one baseline, left to right."""

    words: list[Word]
    page: int = 0
    underlined: bool = False

    @property
    def text(self) -> str:
        out = ""
        prev: Word | None = None
        for w in self.words:
            if prev is not None and (w.space_before or w.x0 - prev.x1 > 0.14 * w.size):
                out += " "
            out += w.text
            prev = w
        return clean_line(out)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def bold(self) -> bool:
        letters = [w for w in self.words if any(c.isalnum() for c in w.text)]
        return bool(letters) and all(w.bold for w in letters)

    @property
    def italic(self) -> bool:
        letters = [w for w in self.words if any(c.isalnum() for c in w.text)]
        return bool(letters) and all(w.italic for w in letters)

    @property
    def caps(self) -> bool:
        """Set in capitals (four letters in five at least): a title, a header, a label."""
        letters = [c for w in self.words for c in w.text if c.isalpha()]
        return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True, slots=True)
class Segment:
    """A ruling line (or the edge of a thin rectangle)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class Stroke:
    """A straight stroke that is neither horizontal nor vertical (a diagonal), end to end:
    (x0, y0) to (x1, y1), y measured from the top of the page like every other coordinate."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class Box:
    """A drawn rectangle or closed shape (coloured panel, framed cell) that groups content."""

    x0: float
    top: float
    x1: float
    bottom: float
    filled: bool
    # The vertices of a straight-sided shape in drawing order (arrows, chevrons, notched panels);
    # empty for a plain rectangle or a curved shape. docmodel.shapes reads them.
    outline: tuple[tuple[float, float], ...] = ()

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom

    @property
    def area(self) -> float:
        return (self.x1 - self.x0) * (self.bottom - self.top)


@dataclass(slots=True)
class PageLayout:
    number: int  # 1-based physical page number
    width: float
    height: float
    words: list[Word]
    segments: list[Segment] = field(default_factory=list)
    furniture: set[int] = field(default_factory=set)  # indexes of words that are page furniture
    # (x0, top, x1, bottom) of ruled furniture blocks (a footer table): their rulings bound no content
    furniture_blocks: list[tuple[float, float, float, float]] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    strokes: list[Stroke] = field(default_factory=list)

    def content_words(self) -> list[Word]:
        return [w for i, w in enumerate(self.words) if i not in self.furniture]

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def text_upright(a: float, b: float, c: float, d: float) -> bool:
    """Text matrix [a b c d] sets text left to right on a horizontal baseline. Judged relative to
    the matrix's scale: Word writes rotated headers as [1e-9 -1 1 1e-9], whose diagonal is tiny but
    positive (a reader testing only the signs of a*d and b*c takes them for upright text)."""
    return abs(b) < 1e-3 * (abs(a) + 1e-9) and abs(c) < 1e-3 * (abs(d) + 1e-9) and a > 0 and d > 0


def group_lines(words: Iterable[Word], page: int = 0, split_gap: float | None = None) -> list[Line]:
    """Group words into lines by vertical overlap; optionally split a line at wide gaps.

    `split_gap` (in multiples of the font size) separates text set in columns without rulings.
    """
    ws = sorted((w for w in words if w.upright), key=lambda w: (round(w.top, 1), w.x0))
    rows: list[list[Word]] = []
    for w in ws:
        placed = False
        for row in reversed(rows[-8:]):
            ref = row[0]
            overlap = min(ref.bottom, w.bottom) - max(ref.top, w.top)
            if overlap > 0.5 * min(ref.bottom - ref.top, w.bottom - w.top):
                row.append(w)
                placed = True
                break
        if not placed:
            rows.append([w])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        if split_gap is None:
            lines.append(Line(row, page))
            continue
        current = [row[0]]
        for w in row[1:]:
            if w.x0 - current[-1].x1 > split_gap * w.size:
                lines.append(Line(current, page))
                current = [w]
            else:
                current.append(w)
        lines.append(Line(current, page))
    lines.sort(key=lambda ln: (round(ln.top, 0), ln.x0))
    return lines


def mark_underlines(lines: Sequence[Line], segments: Sequence[Segment]) -> None:
    """Flag lines with a thin horizontal rule just under most of their width."""
    hs = [s for s in segments if s.horizontal and s.bottom - s.top < 1.5]
    for ln in lines:
        width = ln.x1 - ln.x0
        if width <= 0:
            continue
        covered = 0.0
        for s in hs:
            # Under the baseline: readers place the glyph bottom (descent) slightly differently.
            if ln.bottom - max(1.0, 0.25 * ln.size) <= s.top <= ln.bottom + 3:
                covered += max(0.0, min(s.x1, ln.x1) - max(s.x0, ln.x0))
        ln.underlined = covered >= 0.6 * width and covered <= 1.5 * width + 5


def _is_white(color: object) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return float(color) >= 0.99
    if isinstance(color, (list, tuple)):
        vals = [float(v) for v in color if isinstance(v, (int, float))]
        if len(vals) == 1:
            return vals[0] >= 0.99
        if len(vals) == 3:
            return all(v >= 0.99 for v in vals)
        if len(vals) == 4:  # CMYK white
            return all(v <= 0.01 for v in vals)
    return False


def _char_key(text: str, x0: float, top: float) -> tuple[str, float, float]:
    return (text, round(x0, 1), round(top, 1))


def occluded_chars(page: object) -> set[tuple[str, float, float]]:
    """Glyphs painted over by an opaque fill drawn later in the content stream (hidden text)."""
    from pdfminer.layout import LTChar, LTCurve, LTFigure, LTRect

    height = float(page.height)  # type: ignore[attr-defined]
    chars: list[tuple[int, tuple[str, float, float], float, float]] = []
    fills: list[tuple[int, float, float, float, float]] = []
    order = 0

    def walk(objs: object) -> None:
        nonlocal order
        for o in objs:  # type: ignore[attr-defined]
            order += 1
            if isinstance(o, LTChar):
                top = height - o.y1
                chars.append((order, _char_key(o.get_text(), o.x0, top), (o.x0 + o.x1) / 2, height - (o.y0 + o.y1) / 2))
            elif isinstance(o, (LTRect, LTCurve)) and o.fill and (o.x1 - o.x0) > THIN and (o.y1 - o.y0) > THIN:
                fills.append((order, o.x0, height - o.y1, o.x1, height - o.y0))
            elif isinstance(o, LTFigure):
                walk(o)  # a form's content is painted where the form is used

    walk(page.layout)  # type: ignore[attr-defined]
    if not fills:
        return set()
    hidden = set()
    for ordc, key, cx, cy in chars:
        if any(ordf > ordc and x0 <= cx <= x1 and t <= cy <= b for ordf, x0, t, x1, b in fills):
            hidden.add(key)
    return hidden


def read_page(page: object, number: int) -> PageLayout:
    """Extract the layout of one pdfplumber page (parsed once, shared by every stage)."""
    hidden = occluded_chars(page)
    dark_fills = [
        (r["x0"], r["top"], r["x1"], r["bottom"])
        for r in [*page.rects, *page.curves]  # type: ignore[attr-defined]
        if r.get("fill") and not _is_white(r.get("non_stroking_color"))
    ]

    def visible(obj: dict) -> bool:
        # Invisible (white-on-white) text is furniture; white text on a dark box is content.
        if obj.get("object_type") != "char":
            return True
        if hidden and _char_key(obj["text"], obj["x0"], obj["top"]) in hidden:
            return False
        if not _is_white(obj.get("non_stroking_color")):
            return True
        xc = (obj["x0"] + obj["x1"]) / 2
        yc = (obj["top"] + obj["bottom"]) / 2
        return any(x0 <= xc <= x1 and t <= yc <= b for x0, t, x1, b in dark_fills)

    filtered = page.filter(visible)  # type: ignore[attr-defined]
    for ch in filtered.chars:
        m = ch.get("matrix")
        if ch.get("upright") and m and not text_upright(*m[:4]):
            # pdfminer calls a glyph upright from the signs of its matrix alone; its size is
            # then the glyph's extent across the baseline, which runs along x for rotated text.
            ch["upright"], ch["size"] = False, float(ch["x1"] - ch["x0"])
    raw = filtered.extract_words(
        x_tolerance=1.5,
        y_tolerance=2.5,
        keep_blank_chars=False,
        use_text_flow=False,
        extra_attrs=["fontname", "size", "upright"],
    )
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            top=float(w["top"]),
            x1=float(w["x1"]),
            bottom=float(w["bottom"]),
            font=str(w.get("fontname", "")).split("+")[-1],
            size=float(w.get("size", 10.0)),
            upright=bool(w.get("upright", True)),
        )
        for w in raw
        if w["text"].strip()
    ]
    return PageLayout(
        number=number,
        width=float(page.width),  # type: ignore[attr-defined]
        height=float(page.height),  # type: ignore[attr-defined]
        words=words,
        segments=ruling_segments(page),
        boxes=panel_boxes(page),
        strokes=diagonal_strokes(page),
    )


def diagonal_strokes(page: object) -> list[Stroke]:
    """Straight stroked pieces that are neither horizontal nor vertical (ticks, crosses);
    pdfplumber gives their points top-down already."""
    out: list[Stroke] = []
    for obj in [*page.lines, *page.curves]:  # type: ignore[attr-defined]
        path = obj.get("path") or []
        if not obj.get("stroke") or obj.get("fill") or any(op[0] == "c" for op in path):
            continue  # a curve's control points are no stroke; a filled shape is no tick
        pts = [(float(x), float(y)) for x, y in obj.get("pts") or []]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            if abs(ax - bx) > 0.5 and abs(ay - by) > 0.5:
                out.append(Stroke(ax, ay, bx, by))
    return out


def panel_boxes(page: object) -> list[Box]:
    """Rectangles and closed shapes big enough to frame text (not rulings, not the page itself)."""
    pw, ph = float(page.width), float(page.height)  # type: ignore[attr-defined]
    out: set[Box] = set()
    for r in [*page.rects, *page.curves]:  # type: ignore[attr-defined]
        x0, top, x1, bottom = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
        if x1 - x0 < 20 or bottom - top < 12 or (x1 - x0 > 0.95 * pw and bottom - top > 0.95 * ph):
            continue
        if not (r.get("fill") or r.get("stroke")):
            continue
        pts = tuple((round(float(px), 1), round(float(py), 1)) for px, py in r.get("pts") or ())
        out.add(Box(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1), bool(r.get("fill")),
                    pts if r.get("object_type") == "curve" and len(pts) >= 3 else ()))
    return sorted(out, key=lambda b: (b.top, b.x0))


THIN = 3.0  # a filled rectangle thinner than this is drawn as a ruling


def ruling_segments(page: object) -> list[Segment]:
    """Rulings as drawn: stroked lines, stroked rectangle edges, thin filled rectangles.

    Large filled rectangles are shading (cell backgrounds, highlights): their edges are not rules.
    """
    segs: list[Segment] = []
    for ln in page.lines:  # type: ignore[attr-defined]
        x0, top, x1, bottom = float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"])
        if x1 - x0 > 0.5 and bottom - top > 0.5:
            continue  # a diagonal (a tick's cross) rules nothing: see diagonal_strokes
        segs.append(Segment(x0, top, x1, bottom))
    for r in page.rects:  # type: ignore[attr-defined]
        x0, top, x1, bottom = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
        if x1 - x0 <= THIN or bottom - top <= THIN:
            segs.append(Segment(x0, top, x1, bottom))
        elif r.get("stroke"):
            segs += [Segment(x0, top, x1, top), Segment(x0, bottom, x1, bottom),
                     Segment(x0, top, x0, bottom), Segment(x1, top, x1, bottom)]
    for c in page.curves:  # type: ignore[attr-defined]
        # Paths drawn as straight strokes (some writers repeat points): thin bounding box.
        x0, top, x1, bottom = float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"])
        if (c.get("stroke") or c.get("fill")) and (x1 - x0 <= THIN or bottom - top <= THIN):
            segs.append(Segment(x0, top, x1, bottom))
    return segs


def rotated_text(page: PageLayout) -> list[str]:
    """Rotated (vertical) text of a page, one string per table cell (blocks split at vertical
    rulings), lines in reading order: what tables print in their rotated column headers."""
    verticals = [s for s in page.segments if not s.horizontal]
    blocks: list[list[Word]] = []
    for w in sorted((w for w in page.words if not w.upright), key=lambda w: w.xc):
        if blocks:
            last = blocks[-1][-1]
            ruled = any(min(last.xc, w.xc) < (s.x0 + s.x1) / 2 < max(last.xc, w.xc)
                        and s.top < max(last.bottom, w.bottom) and s.bottom > min(last.top, w.top) for s in verticals)
            if not ruled and w.xc - last.xc < 2.0 * w.size:
                blocks[-1].append(w)
                continue
        blocks.append([w])
    out = []
    for block in blocks:
        # Text read top to bottom puts its next line on the left; bottom to top, on the right.
        right_to_left = block[0].rotation == 90
        lines: list[list[Word]] = []
        for w in sorted(block, key=lambda w: -w.xc if right_to_left else w.xc):
            if lines and abs(lines[-1][0].xc - w.xc) < 0.5 * w.size:
                lines[-1].append(w)
            else:
                lines.append([w])
        ordered = [sorted(ln, key=lambda w: w.top if right_to_left else -w.top) for ln in lines]
        out.append(" ".join(w.text for ln in ordered for w in ln))
    return out
