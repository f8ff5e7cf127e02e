"""Drawn shapes that group text: panels, title bars, arrows and chevrons.

Designed brochures (BUT référentiels, above all) frame their content in filled shapes rather than
ruled tables: a coloured bar holds a section title, a panel holds a paragraph and a list, a column
of arrows (or a row of chevrons) holds the steps of a progression. This module finds those shapes
and the text inside them from the page's boxes (layout.Box, with the outline of straight-sided
shapes); the families give them meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from extract.layout import Box, Line, PageLayout

# Vertices closer than this to a side of the bounding box lie on that side.
_ON_SIDE = 0.8


def contains(box: Box, x: float, y: float) -> bool:
    """Is the point inside the shape? Its outline when it has one (a chevron's notch is outside)."""
    if not box.contains(x, y):
        return False
    pts = box.outline
    if len(pts) < 3:
        return True
    inside = False
    for (ax, ay), (bx, by) in zip(pts, pts[1:] + pts[:1]):
        if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
            inside = not inside
    return inside


def _distinct(points: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in points:
        if not any(abs(p[0] - q[0]) < _ON_SIDE and abs(p[1] - q[1]) < _ON_SIDE for q in out):
            out.append(p)
    return out


def pointing(box: Box) -> str | None:
    """The direction an arrow-shaped box points to ("down", "up", "right", "left"), or None.

    A side of the bounding box touched by one vertex only, away from both corners, is a tip:
    the shape narrows to a point there (a down arrow, a chevron), where a rectangle, a notched
    panel or a rounded box touch each side along an edge.
    """
    pts = _distinct(box.outline)
    if len(pts) < 3:
        return None
    w, h = box.x1 - box.x0, box.bottom - box.top
    sides = {
        "down": ([p[0] for p in pts if abs(p[1] - box.bottom) < _ON_SIDE], box.x0, w),
        "up": ([p[0] for p in pts if abs(p[1] - box.top) < _ON_SIDE], box.x0, w),
        "right": ([p[1] for p in pts if abs(p[0] - box.x1) < _ON_SIDE], box.top, h),
        "left": ([p[1] for p in pts if abs(p[0] - box.x0) < _ON_SIDE], box.top, h),
    }
    tips = [d for d, (on, start, length) in sides.items()
            if len(on) == 1 and 0.15 * length < on[0] - start < 0.85 * length]
    return tips[0] if len(tips) == 1 else None


def chains(boxes: Sequence[Box], gap: float = 8.0, tolerance: float = 3.0) -> list[list[Box]]:
    """Shapes that lead into one another, in arrow order.

    A shape pointing down (right) leads to the next shape of its column (row) that starts before
    its tip or within `gap` after it. A chain is followed from a shape nothing leads to; its last
    shape need not point (the end of a progression is often flat). Up and left arrows give the
    chain in their own direction. A lone arrow is a chain of one.
    """
    def follows(a: Box, b: Box, d: str) -> float | None:
        if d in ("down", "up"):
            if abs(a.x0 - b.x0) > tolerance or abs(a.x1 - b.x1) > tolerance:
                return None
            dist = b.top - a.bottom if d == "down" else a.top - b.bottom
            ahead = b.top > a.top if d == "down" else b.bottom < a.bottom
        else:
            if abs(a.top - b.top) > tolerance or abs(a.bottom - b.bottom) > tolerance:
                return None
            dist = b.x0 - a.x1 if d == "right" else a.x0 - b.x1
            ahead = b.x0 > a.x0 if d == "right" else b.x1 < a.x1
        return dist if ahead and dist <= gap else None

    nxt: dict[int, int] = {}
    for i, a in enumerate(boxes):
        d = pointing(a)
        if d is None:
            continue
        options = [(dist, j) for j, b in enumerate(boxes) if j != i and (dist := follows(a, b, d)) is not None]
        if options:
            nxt[i] = min(options)[1]
    led = set(nxt.values())
    out: list[list[Box]] = []
    for i in range(len(boxes)):
        if i in led or (i not in nxt and pointing(boxes[i]) is None):
            continue
        chain, seen = [i], {i}
        while chain[-1] in nxt and nxt[chain[-1]] not in seen:
            chain.append(nxt[chain[-1]])
            seen.add(chain[-1])
        out.append([boxes[k] for k in chain])
    return out


def within(boxes: Iterable[Box], top: float, bottom: float) -> list[Box]:
    """The shapes lying wholly in a horizontal stretch of the page."""
    return [b for b in boxes if b.top >= top - 1 and b.bottom <= bottom + 1]


def column_labels(lines: Sequence[Line], cells: Sequence[Box]) -> list[Line]:
    """Lines under rows of shapes set one per column on a common baseline ("Année 1", "Année 2"
    …): several lines on one baseline, each narrower than the widest shape. A paragraph's line
    runs on alone."""
    widest = max((c.x1 - c.x0 for c in cells), default=0.0)
    out: list[Line] = []
    for ln in lines:
        same = [o for o in lines if abs(o.top - ln.top) < 2]
        if len(same) >= 2 and all(o.x1 - o.x0 < widest for o in same):
            out.append(ln)
    return out


def inside(box: Box, lines: Iterable[Line]) -> list[Line]:
    """The text inside a shape: each line cut to the words whose centre lies in it (a line that
    runs across two chevrons of a row gives each its own words)."""
    out: list[Line] = []
    for ln in lines:
        words = [w for w in ln.words if contains(box, w.xc, w.yc)]
        if len(words) == len(ln.words):
            out.append(ln)
        elif words:
            out.append(Line(words, ln.page, ln.underlined))
    return out


def innermost(boxes: Iterable[Box], x: float, y: float, max_width: float | None = None) -> Box | None:
    """The smallest shape holding the point (narrower than max_width, when given)."""
    found = [b for b in boxes if contains(b, x, y) and (max_width is None or b.x1 - b.x0 < max_width)]
    return min(found, key=lambda b: b.area) if found else None


def box_of_line(page: PageLayout, line: Line, max_share: float = 0.4) -> Box | None:
    """The smallest shape around a line, among shapes narrower than max_share of the page."""
    return innermost(page.boxes, (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2,
                     max_width=max_share * page.width)


def beside(boxes: Iterable[Box], shape: Box, min_overlap: float = 0.5) -> Box | None:
    """The shape just right of `shape` on the same band (most vertical overlap), if any."""
    best: tuple[float, float, Box] | None = None
    for b in boxes:
        if b is shape or b.x0 < shape.x1 - 2 or b.x0 - shape.x1 > 40:
            continue
        overlap = min(b.bottom, shape.bottom) - max(b.top, shape.top)
        if overlap < min_overlap * min(b.bottom - b.top, shape.bottom - shape.top):
            continue
        key = (-overlap, b.area)
        if best is None or key < best[:2]:
            best = (*key, b)
    return best[2] if best else None


@dataclass(frozen=True)
class TitleBar:
    """A filled shape across the page holding one heading line (bold or larger than body text)."""

    box: Box
    line: Line

    @property
    def text(self) -> str:
        return self.line.text


def title_bars(page: PageLayout, lines: Sequence[Line], min_share: float = 0.6) -> list[TitleBar]:
    """Title bars of a page, top to bottom: filled shapes at least min_share of the page wide,
    no taller than three lines of their text, holding a single bold line."""
    body = sorted(ln.size for ln in lines)[len(lines) // 2] if lines else 10.0
    found: dict[int, TitleBar] = {}
    for b in page.boxes:
        if not b.filled or b.x1 - b.x0 < min_share * page.width:
            continue
        held = [ln for ln in lines if contains(b, (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2)]
        if len(held) != 1:
            continue
        ln = held[0]
        if b.bottom - b.top > 3 * ln.size or not (ln.bold or ln.size > body + 0.5):
            continue
        # A shadow drawn under the bar holds the same line: keep the bar itself (the smaller).
        prev = found.get(id(ln))
        if prev is None or b.area < prev.box.area:
            found[id(ln)] = TitleBar(b, ln)
    return sorted(found.values(), key=lambda t: t.box.top)


def framed_groups(page: PageLayout, lines: Sequence[Line]) -> list[tuple[list[Line], Box | None]]:
    """Lines grouped by the framed shape they sit in (left to right, then top to bottom), with
    that shape; lines in no shape grouped by text column, with None."""
    from extract.docmodel.columns import columns

    groups: dict[Box, list[Line]] = {}
    loose: list[Line] = []
    for ln in lines:
        cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        boxes = [b for b in page.boxes if contains(b, cx, cy) and b.x0 <= ln.x0 + 1 and ln.x1 <= b.x1 + 1]
        if boxes:
            groups.setdefault(min(boxes, key=lambda b: b.area), []).append(ln)
        else:
            loose.append(ln)
    parts: list[tuple[list[Line], Box | None]] = [
        (groups[b], b) for b in sorted(groups, key=lambda b: (b.x0, b.top))]
    if loose:
        for a, b in columns(loose, page.width) or [(0, page.width)]:
            parts.append(([ln for ln in loose if a - 1 <= ln.x0 and ln.x1 <= b + 1], None))
    return [(sorted(p, key=lambda ln: (round(ln.top), ln.x0)), box) for p, box in parts if p]
