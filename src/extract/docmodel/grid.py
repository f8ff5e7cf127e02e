"""Ruled grids: columns from vertical rulings, cells per column from horizontal rulings.

Cells are segmented column by column, so a vertically merged cell (no ruling crosses its column)
comes out as one cell whatever the other columns do. Bands crossed by no inner vertical ruling are
full-width rows (bloc titles). Family parsers give the columns their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.docmodel.furniture import content_segments
from extract.docmodel.rulings import join_collinear
from extract.layout import Line, PageLayout, Segment, Word, group_lines, mark_underlines

MIN_VERTICAL = 12.0  # shorter vertical strokes are glyph parts or decorations, not rulings
DOUBLE_RULE = 7.5  # double borders and shading edges closer than this are one boundary


@dataclass
class CellPart:
    """The part of a cell printed on one page."""

    page: int
    col: int
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


@dataclass
class PageGrid:
    page: int
    bounds: list[float]  # x of column boundaries, left to right
    top: float
    bottom: float
    rules: list[list[float]]  # per column: y of the horizontal rulings crossing it
    full_rows: list[tuple[float, float]]
    words: list[Word]
    segments: list[Segment]
    kind: str = "ruled"  # ruled | shaded | rules (horizontal only) | whitespace
    # The page's words, furniture included: where a header repeated on every page is looked up.
    all_words: list[Word] = field(default_factory=list, repr=False, compare=False)
    _cells: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ncols(self) -> int:
        return len(self.bounds) - 1

    def col_of(self, x: float) -> int | None:
        for i in range(self.ncols):
            if self.bounds[i] <= x < self.bounds[i + 1]:
                return i
        return None

    def words_in(self, x0: float, top: float, x1: float, bottom: float) -> list[Word]:
        return [w for w in self.words if x0 <= w.xc < x1 and top <= w.yc < bottom]

    def lines_in(self, x0: float, top: float, x1: float, bottom: float) -> list[Line]:
        lines = group_lines(self.words_in(x0, top, x1, bottom), self.page)
        # Underlines are strokes strictly inside the cell: its own borders lie on the band's edges.
        strokes = [s for s in self.segments if s.horizontal and x0 - 1 <= s.x0 and s.x1 <= x1 + 1
                   and top + 1.0 < s.top < bottom - 1.0]
        mark_underlines(lines, strokes)
        return lines

    def cells(self, col: int, data_top: float) -> list[CellPart]:
        """The cells of one column below `data_top`, full-width rows excluded (read once: the
        table model asks for them several times)."""
        key = (col, round(data_top, 3), id(self.words), len(self.words))
        if key not in self._cells:
            self._cells[key] = self._read_cells(col, data_top)
        return list(self._cells[key])

    def _read_cells(self, col: int, data_top: float) -> list[CellPart]:
        x0, x1 = self.bounds[col], self.bounds[col + 1]
        ys = [y for y in self.rules[col] if y > data_top + 1.0]
        edges = [data_top, *ys]
        if edges[-1] < self.bottom - 1.0:
            edges.append(self.bottom)
        out = []
        for a, b in zip(edges, edges[1:]):
            if b - a < 2.0 or any(ft - 1 <= a and b <= fb + 1 for ft, fb in self.full_rows):
                continue
            out.append(CellPart(self.page, col, a, b, self.lines_in(x0, a, x1, b)))
        return out

    def full_row_lines(self, top: float, bottom: float) -> list[Line]:
        return group_lines(self.words_in(self.bounds[0], top, self.bounds[-1], bottom), self.page)


def _cluster_extents(values: list[tuple[float, float]], tol: float) -> list[tuple[float, float, float, float]]:
    """Cluster (position, weight) pairs by single linkage: (weighted centre, weight, min, max)."""
    out: list[list[float]] = []
    for v, w in sorted(values):
        if out and v - out[-1][3] <= tol:
            c = out[-1]
            c[0] += v * w
            c[1] += w
            c[3] = v
        else:
            out.append([v * w, w, v, v])
    return [(s / w if w else lo, w, lo, hi) for s, w, lo, hi in out]


def _cluster(values: list[tuple[float, float]], tol: float) -> list[tuple[float, float]]:
    return [(c, w) for c, w, _, _ in _cluster_extents(values, tol)]


def find_grid(page: PageLayout, min_cols: int = 3, min_vertical: float = MIN_VERTICAL) -> PageGrid | None:
    """The main ruled grid of a page (the one with the most vertical ruling), or None."""
    # A border drawn cell by cell is one ruling: a one-line row's pieces are shorter than a glyph.
    segments = content_segments(page)  # a footer table's rulings never extend a content grid
    vs = [s for s in join_collinear(s for s in segments if not s.horizontal) if s.bottom - s.top >= min_vertical]
    if len(vs) < min_cols + 1:
        return None
    # The grid spans the vertical range of its longest rulings; other boxes on the page are ignored.
    tallest = max(vs, key=lambda s: s.bottom - s.top)
    top, bottom = tallest.top, tallest.bottom
    # Rows drawn one after the other: grow the range over rulings that touch it.
    while True:
        near = [s for s in vs if s.bottom > top - 6 and s.top < bottom + 6]
        new_top, new_bottom = min(s.top for s in near), max(s.bottom for s in near)
        if (new_top, new_bottom) == (top, bottom):
            break
        top, bottom = new_top, new_bottom
    vs = near
    height = bottom - top
    clusters = [c for c in _cluster_extents([((s.x0 + s.x1) / 2, s.bottom - s.top) for s in vs], DOUBLE_RULE)
                if c[1] >= 0.25 * height]
    bounds = [c[0] for c in clusters]
    if len(bounds) < min_cols + 1:
        return None
    hs = [s for s in segments if s.horizontal and s.bottom - s.top < 3 and top - 2 <= s.top <= bottom + 2]
    rules: list[list[float]] = []
    for i in range(len(bounds) - 1):
        # A cell border meets the column's boundary rulings; an underline starts at the text.
        a, b = clusters[i][3] + 2.0, clusters[i + 1][2] - 2.0
        ys = [(s.top + s.bottom) / 2 for s in hs if s.x0 <= a and s.x1 >= b]
        rules.append([y for y, _ in _cluster([(y, 1.0) for y in ys], 2.5)])
    # Full-width rows: bands between table-wide rulings that no inner vertical ruling crosses.
    wide = sorted({round(y, 1) for y in rules[0] if all(any(abs(y - z) < 2.5 for z in r) for r in rules)})
    inner = [s for s in vs if bounds[0] + DOUBLE_RULE < (s.x0 + s.x1) / 2 < bounds[-1] - DOUBLE_RULE]
    full_rows = []
    for a, b in zip(wide, wide[1:]):
        # A full-width row: no inner boundary is ruled along a real part of the band (rulings
        # may be drawn in short pieces, so their coverage is summed per boundary).
        crossed = any(
            sum(max(0.0, min(s.bottom, b) - max(s.top, a)) for s in inner
                if abs((s.x0 + s.x1) / 2 - x) <= DOUBLE_RULE) > 0.3 * (b - a)
            for x in bounds[1:-1]
        )
        if b - a > 4 and not crossed:
            full_rows.append((a, b))
    return PageGrid(page.number, bounds, top, bottom, rules, full_rows, page.words, page.segments)


def find_grids(page: PageLayout, min_cols: int = 3, min_vertical: float = MIN_VERTICAL) -> list[PageGrid]:
    """Every ruled grid of a page, top to bottom (tables printed as separate blocks)."""
    grids: list[PageGrid] = []
    segments = content_segments(page)
    while True:
        sub = PageLayout(page.number, page.width, page.height, page.words, segments)
        grid = find_grid(sub, min_cols, min_vertical)
        if grid is None:
            break
        grids.append(grid)
        segments = [s for s in segments if s.bottom < grid.top - 1 or s.top > grid.bottom + 1]
    return sorted(grids, key=lambda g: g.top)
