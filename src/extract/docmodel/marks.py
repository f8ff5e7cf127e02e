"""Check boxes: the small squares a form ticks, as drawn or as printed glyphs.

Word draws a form's check box as a small stroked square and a ticked one as that square with its
two diagonals; a ballot-box glyph (☐ ☑ ☒) says the same in text. Either way the page shows a
square that is empty or marked, and only that is recorded here: what a tick means (which
modality evaluates which competence) is the family's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.layout import PageLayout, Segment, Stroke

MIN_SIDE, MAX_SIDE = 4.0, 24.0  # a check box is about a glyph's size
EDGE = 1.2  # sides meet at the corners to within a stroke's width
SQUARE = 0.2  # width and height agree to within this share
BALLOT_GLYPHS = {"☐": False, "☑": True, "☒": True}  # U+2610..U+2612


@dataclass(frozen=True, slots=True)
class CheckBox:
    x0: float
    top: float
    x1: float
    bottom: float
    checked: bool

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


def _y(s: Segment) -> float:
    return (s.top + s.bottom) / 2


def _x(s: Segment) -> float:
    return (s.x0 + s.x1) / 2


def _drawn_squares(segments: list[Segment]) -> list[tuple[float, float, float, float]]:
    """Small squares closed by four thin sides (drawn as one rectangle or as four lines)."""
    def short(s: Segment, along: float, across: float) -> bool:
        return MIN_SIDE <= along <= MAX_SIDE and across <= 1.5

    hs = sorted((s for s in segments if s.horizontal and short(s, s.x1 - s.x0, s.bottom - s.top)), key=_y)
    vs = [s for s in segments if not s.horizontal and short(s, s.bottom - s.top, s.x1 - s.x0)]
    out: list[tuple[float, float, float, float]] = []
    for i, a in enumerate(hs):
        width = a.x1 - a.x0
        for b in hs[i + 1:]:
            height = _y(b) - _y(a)
            if height > width * (1 + SQUARE) + EDGE:
                break
            if abs(b.x0 - a.x0) > EDGE or abs(b.x1 - a.x1) > EDGE or abs(height - width) > SQUARE * width + EDGE:
                continue
            sides = [any(abs(_x(v) - x) <= EDGE and v.top <= _y(a) + EDGE and v.bottom >= _y(b) - EDGE for v in vs)
                     for x in (a.x0, a.x1)]
            if all(sides):
                box = (min(a.x0, b.x0), _y(a), max(a.x1, b.x1), _y(b))
                # The same square drawn twice (outline and inner edge) is one box.
                if not any(abs(box[0] - o[0]) <= 2 * EDGE and abs(box[1] - o[1]) <= 2 * EDGE for o in out):
                    out.append(box)
                break
    return out


def _crossed(box: tuple[float, float, float, float], strokes: list[Stroke]) -> bool:
    """A mark drawn across the square: diagonals that span most of it (a cross or a check mark)."""
    x0, top, x1, bottom = box
    side = min(x1 - x0, bottom - top)
    inside = [s for s in strokes
              if all(x0 - EDGE <= x <= x1 + EDGE for x in (s.x0, s.x1))
              and all(top - EDGE <= y <= bottom + EDGE for y in (s.y0, s.y1))]
    span_x = max((max(s.x0, s.x1) for s in inside), default=0) - min((min(s.x0, s.x1) for s in inside), default=0)
    span_y = max((max(s.y0, s.y1) for s in inside), default=0) - min((min(s.y0, s.y1) for s in inside), default=0)
    return bool(inside) and span_x >= 0.5 * side and span_y >= 0.5 * side


def check_boxes(page: PageLayout) -> list[CheckBox]:
    """Every check box of a page, top to bottom then left to right, with whether it is marked."""
    boxes = [CheckBox(*box, checked=_crossed(box, page.strokes)) for box in _drawn_squares(page.segments)]
    for w in page.words:
        if w.text in BALLOT_GLYPHS:
            boxes.append(CheckBox(w.x0, w.top, w.x1, w.bottom, BALLOT_GLYPHS[w.text]))
    return sorted(boxes, key=lambda b: (round(b.top), b.x0))
