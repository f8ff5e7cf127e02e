"""Tables that are not fully ruled: horizontal rules only, shaded cells or rows, or bare whitespace.

Where the page draws a table's edges (long horizontal rules sharing their ends, filled rectangles
tiling a region) the region is known; where nothing is drawn, it is where two or more column
starts hold at once (a left edge where several lines start, from the line after the last line
that crossed it to the next one). Columns are the aligned starts no word crosses; the indent of
text after a list marker is no column. Rows come from what the page draws across a column (a
horizontal rule, the edge of a shaded cell or band; an underline is none) or, when nothing is
drawn, from cells whose first lines start level with each other in at least two columns. A line
across the columns (a heading between two tables) ends a table. Each table found is a
`PageGrid`, so every later stage reads ruled and unruled tables the same way.
"""

from __future__ import annotations

import re
from statistics import median
from typing import Sequence

from extract.docmodel.grid import DOUBLE_RULE, PageGrid
from extract.docmodel.structure import BULLET_GLYPHS
from extract.layout import Box, Line, PageLayout, Segment, Word, group_lines

GUTTER = 0.35  # a gap this wide (in font sizes) may separate columns (word spaces are about 0.25)
ALIGN = 1.5  # left edges within this many points start one column
LEVEL = 1.0  # first lines of the cells of one row start within this many points
MIN_COLUMN_LINES = 3  # a column's left edge is aligned on at least this many lines


def _drawn_rows(bounds: list[float], horizontals: Sequence[Segment], words: Sequence[Word]) -> list[list[float]]:
    """Per column, the y of drawn rules and band edges that cross the column's text."""
    out: list[list[float]] = []
    for k in range(len(bounds) - 1):
        col = [w for w in words if bounds[k] <= w.xc < bounds[k + 1]]
        if not col:
            out.append([])
            continue
        x0, x1 = min(w.x0 for w in col), max(w.x1 for w in col)
        lines = group_lines(col, 0)
        ys = sorted({round((s.top + s.bottom) / 2, 1) for s in horizontals
                     if s.x0 <= x0 + 2.0 and s.x1 >= x1 - 2.0 and not _underlines(s, lines)})
        merged: list[float] = []
        for y in ys:
            if merged and y - merged[-1] < DOUBLE_RULE:
                continue
            merged.append(y)
        out.append(merged)
    return out


def _underlines(s: Segment, lines: Sequence[Line]) -> bool:
    """A stroke right under a line of text and as wide as it is that line's underline."""
    y = (s.top + s.bottom) / 2
    return any(ln.bottom - 0.3 * ln.size <= y <= ln.bottom + 3 and abs(s.x0 - ln.x0) < 3 and abs(s.x1 - ln.x1) < 6
               for ln in lines)


def _paragraph_starts(lines: Sequence[Line]) -> list[Line]:
    """Lines that open a paragraph: the first, and those set lower than the usual line pitch
    (tops are compared, not gaps: glyph boxes differ between fonts, baselines do not)."""
    if not lines:
        return []
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > 0.5 * a.size]
    # The line pitch: the usual one, but no wider than a normal leading (a column of one-line
    # cells has only row pitches).
    usual = min(median(pitches), 1.35 * median(ln.size for ln in lines)) if pitches else 0.0
    out = [lines[0]]
    for a, ln in zip(lines, lines[1:]):
        if ln.top - a.top > usual + 0.25 * ln.size:
            out.append(ln)
    return out


def aligned_rows(columns: Sequence[Sequence[Line]], top: float | None = None) -> list[float]:
    """Row tops of an undrawn table: where paragraphs open level with each other in two or more
    columns (cells of one row start their text at the row's top)."""
    # A column's first line at the table's top opens its first row, whatever its height (the
    # first lines of a part continued from the page before start level by chance).
    starts = sorted((ln.top, k) for k, lines in enumerate(columns) for n, ln in enumerate(_paragraph_starts(lines))
                    if n > 0 or top is None or ln.top > top + 1.5 * ln.size)
    rows: list[float] = []
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1][0] - starts[i][0] <= LEVEL:
            j += 1
        if len({k for _, k in starts[i:j + 1]}) >= 2:
            rows.append(starts[i][0])
        i = j + 1
    return rows


def _straddles(lines: Sequence[Line], y: float) -> bool:
    """Does a column's text run on across the row top `y` (a line over it, or a paragraph whose
    next line merely happens to start level with the row)?"""
    if any(ln.top < y - LEVEL and ln.bottom > y + LEVEL for ln in lines):
        return True
    above = [ln for ln in lines if ln.top < y - LEVEL]
    below = [ln for ln in lines if ln.top >= y - LEVEL]
    if not above or not below:
        return False
    opens = {id(ln) for ln in _paragraph_starts(lines)}
    return id(below[0]) not in opens


# ---------------------------------------------------------------- grids


def _fill_edges(boxes: Sequence[Box]) -> list[Segment]:
    out: list[Segment] = []
    for b in boxes:
        if b.filled:
            out += [Segment(b.x0, b.top, b.x1, b.top), Segment(b.x0, b.bottom, b.x1, b.bottom),
                    Segment(b.x0, b.top, b.x0, b.bottom), Segment(b.x1, b.top, b.x1, b.bottom)]
    return out


def unruled_grids(page: PageLayout, words: Sequence[Word], min_columns: int = 3) -> list[PageGrid]:
    """Tables of a page that its rulings alone do not make (ruled grids are found before).

    In turn: cells drawn as filled rectangles; tables bounded by long horizontal rules, whose
    columns are the aligned left edges no word crosses; then blocks of text set in columns with
    nothing drawn. `words` may hold furniture: a table header repeated on every page is furniture,
    yet it shows the table's columns; furniture never closes a column."""
    ws = [w for w in words if w.upright]
    if not ws:
        return []
    furniture = {id(page.words[i]) for i in page.furniture}
    size = median(w.size for w in ws)
    grids: list[PageGrid] = []
    regions = [(t, b, "shaded") for t, b in _fill_regions(page, ws)]
    regions += [(t, b, "rules") for t, b in _rule_regions(page, ws, furniture)
                if not any(t < rb and b > rt for rt, rb, _ in regions)]
    for top, bottom, kind in sorted(regions):
        found = _region_grids(page, [w for w in ws if top - 1 <= w.yc <= bottom + 1], furniture, top, bottom, size,
                              min_columns, kind)
        for k, grid in enumerate(found):
            if k == len(found) - 1:
                grid = _open_bottom(page, grid, ws, furniture, size)
            grids.append(grid)
            ws = [w for w in ws if not _holds(grid, w)]
    for top, bottom in whitespace_regions(page, ws, furniture, size):
        for grid in _region_grids(page, [w for w in ws if top - 1 <= w.yc <= bottom + 1], furniture, top, bottom,
                                  size, min_columns, "whitespace"):
            grids.append(grid)
            ws = [w for w in ws if not _holds(grid, w)]
    return grids


def whitespace_regions(page: PageLayout, words: Sequence[Word], furniture: set[int],
                       size: float) -> list[tuple[float, float]]:
    """Vertical ranges where text is set in columns with nothing drawn.

    A column start is a left edge where several lines start; it holds from the line after the
    last line that crossed it (a heading, a paragraph across the page) to the next such line.
    Where two or more inner column starts hold at once, lines are set in a table."""
    content = [w for w in words if id(w) not in furniture]
    chunks = sorted(group_lines(words, page.number, split_gap=GUTTER * 0.999), key=lambda c: c.top)
    if not content or not chunks:
        return []
    starts = column_starts(words, content, size, min_lines=MIN_COLUMN_LINES, crossing=False)
    spans: list[tuple[float, float, float]] = []
    margin = min(w.x0 for w in content)
    sizes: dict[float, float] = {}
    extents = [(c, c.x0, c.x1, c.top, c.bottom) for c in chunks]  # Line extents are computed
    openers = _column_openers(chunks)
    lone = _lone_lines(chunks)
    for x in starts:
        if x <= margin + ALIGN:
            continue  # the page's own left margin starts every paragraph, table or not
        sizes[x] = median(c.size for c, x0, *_ in extents if abs(x0 - x) <= ALIGN)
        run: list[tuple[float, float]] = []
        for c, x0, x1, top, bottom in extents:
            if abs(x0 - x) <= ALIGN and id(c) not in openers:
                continue
            if x0 < x - 0.5 and x1 > x + 0.5 and _spans(c, x, furniture, sizes[x]) and not _merged_row(
                    c, sizes[x], lone):
                if len(run) >= MIN_COLUMN_LINES:
                    spans.append((run[0][0], run[-1][1], x))
                run = []
            elif abs(x0 - x) <= ALIGN:
                run.append((top, bottom))
        if len(run) >= MIN_COLUMN_LINES:
            spans.append((run[0][0], run[-1][1], x))
    spans.sort()
    regions: list[list[float]] = []
    for a, b, x in spans:
        if regions and a <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], b)
            regions[-1][2].append(x)
        else:
            regions.append([a, b, [x]])
    out = []
    for a, b, xs in regions:
        if len(set(xs)) < 2:
            continue
        # A line across one of the region's columns (a bloc heading between two tables) cuts it.
        # A title across the columns (a bloc printed as a merged row) stays: a full-width row.
        cuts = [top for c, x0, x1, top, _ in extents if a < top < b and not _merged_row(c, sizes[xs[0]], lone)
                and any(x0 < x - 0.5 and x1 > x + 0.5 and _spans(c, x, furniture, sizes[x]) for x in xs)]
        edges = [a, *cuts, b]
        for top, bottom in zip(edges, edges[1:]):
            inside = [c for c in chunks if top <= c.top and c.bottom <= bottom + 1 and c.top not in cuts]
            if inside:
                out.append((min(c.top for c in inside) - 1.0, max(c.bottom for c in inside) + 1.0))
    return out


def _lone_lines(chunks: Sequence[Line]) -> set[int]:
    """The lines (ids) with nothing else printed at their height (a row merged across a table)."""
    boxes = sorted((c.top, c.bottom, c.size, id(c)) for c in chunks)
    out: set[int] = set()
    for i, (top, bottom, size, key) in enumerate(boxes):
        near = [b for b in boxes[max(0, i - 40):i + 40] if b[3] != key and b[0] < bottom]
        if not any(min(b[1], bottom) - max(b[0], top) > 0.3 * size for b in near):
            out.add(key)
    return out


def _merged_row(chunk: Line, size: float, lone: set[int]) -> bool:
    """A line across the table that is one of its rows merged over every column: alone at its
    height (`lone`), and a title (see _title_like) or a short line that is no sentence (a bloc's
    name)."""
    if id(chunk) not in lone:
        return False
    if _title_like(chunk, size):
        return True
    text = chunk.text.rstrip()
    return len(chunk.words) <= 12 and not text.endswith((".", ";", "!", "?", ","))


def _title_like(chunk: Line, size: float) -> bool:
    """A short line set as a title (bold, capitals or larger than the table's text): across a
    table's columns, alone at its height, it is a merged row (a bloc's title), not text that ends
    the table."""
    if len(chunk.words) > 16 or not any(c.isalpha() for c in chunk.text):
        return False
    return chunk.bold or chunk.caps or chunk.size >= size + 1.0


def _spans(chunk: Line, x: float, furniture: set[int], size: float | None = None) -> bool:
    """Does a line run across a column start? A word over it does; so does a line whose words
    go on across it at word spacing without one of them starting there (a heading, body text).
    Two columns' texts set close together meet at the start of the right one, in the columns'
    own type size (`size`): a heading in another size meeting it there by chance still spans."""
    words = [w for w in chunk.words if id(w) not in furniture]
    if any(w.x0 < x - 0.5 and w.x1 > x + 0.5 for w in words):
        return True
    if not words or not (words[0].x0 < x - 0.5 and words[-1].x1 > x + 0.5):
        return False
    if size is not None and any(abs(w.size - size) > 0.6 for w in words):
        return True
    return not any(abs(w.x0 - x) <= ALIGN for w in words)


def _open_bottom(page: PageLayout, grid: PageGrid, words: Sequence[Word], furniture: set[int],
                 size: float) -> PageGrid:
    """A row cut by the page break has no rule under it: the lines below the last rule that go on
    in the table's columns, in its type, belong to it (even a line the furniture rule took for a
    repeated one: a list's last lines repeat their shape from page to page); a page number or a
    footer in its own type ends it."""
    content = [w for w in words if w.top > grid.bottom - 1 and grid.bounds[0] - 2 <= w.xc <= grid.bounds[-1] + 2]
    below = sorted(group_lines(content, page.number, split_gap=GUTTER * 0.999), key=lambda c: c.top)
    bottom = grid.bottom
    for c in below:
        mine = all(id(w) in furniture for w in c.words)
        if (c.top - bottom > 3 * size or not fits(c, grid.bounds, size)
                or (mine and (abs(c.size - size) > 0.5 or PAGE_NUMBER_LIKE.match(c.text)))):
            break
        bottom = max(bottom, c.bottom + 1.0)
    if bottom == grid.bottom:
        return grid
    mine = {id(w) for w in grid.words}
    return regrid(page, grid.bounds, grid.top, bottom, [*grid.words, *(w for w in content if id(w) not in mine)],
                  grid.kind)


PAGE_NUMBER_LIKE = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|sur|of)\s*\d{1,4})?$", re.I)


def _holds(g: PageGrid, w: Word) -> bool:
    return g.bounds[0] - 2 <= w.xc <= g.bounds[-1] + 2 and g.top - 2 <= w.yc <= g.bottom + 2


def _fill_regions(page: PageLayout, words: Sequence[Word]) -> list[tuple[float, float]]:
    """Vertical ranges covered by filled rectangles that hold text side by side (shaded cells or
    zebra rows); stacked or touching fills make one range."""
    fills = sorted((b for b in page.boxes if b.filled and b.x1 - b.x0 < 0.98 * page.width), key=lambda b: b.top)
    ranges: list[list[float]] = []
    for b in fills:
        if ranges and b.top <= ranges[-1][1] + 2.0:
            ranges[-1][1] = max(ranges[-1][1], b.bottom)
            ranges[-1][2] = min(ranges[-1][2], b.x0)
            ranges[-1][3] = max(ranges[-1][3], b.x1)
        else:
            ranges.append([b.top, b.bottom, b.x0, b.x1])
    out = []
    for top, bottom, x0, x1 in ranges:
        if x1 - x0 < 0.4 * page.width:
            continue
        inside = [w for w in words if top <= w.yc <= bottom and x0 <= w.xc <= x1]
        if len({round(w.x0) for w in inside}) >= 3:
            out.append((top, bottom))
    return out


def _rule_regions(page: PageLayout, words: Sequence[Word], furniture: set[int]) -> list[tuple[float, float]]:
    """Vertical ranges closed by long horizontal rules that share their right end, with content
    between them (a header rule over the running title is no table edge)."""
    long = sorted((s for s in page.segments if s.horizontal and s.bottom - s.top < 3.0
                   and s.x1 - s.x0 >= 0.4 * page.width), key=lambda s: s.top)
    content = [w for w in words if id(w) not in furniture]
    groups: list[list[Segment]] = []
    for s in long:
        group = next((g for g in groups if abs(g[0].x1 - s.x1) < 8), None)
        if group is None:
            groups.append([s])
        else:
            group.append(s)
    regions = []
    for g in groups:
        ys = sorted({round((s.top + s.bottom) / 2, 1) for s in g})
        # A band holding only furniture (a repeated header row) is part of the table when
        # content follows it; the band over a running title (nothing under it) is not.
        bands = [(a, b) for a, b in zip(ys, ys[1:]) if any(a < w.yc < b for w in words)]
        if any(any(a < w.yc < b for w in content) for a, b in bands):
            regions.append((bands[0][0], bands[-1][1]))
    return regions


def _column_openers(chunks: Sequence[Line]) -> set[int]:
    """The pieces of lines that may open a column (ids): those after a clear gap, or first on their
    line. A justified line's wide word spaces cut it into pieces that start anywhere."""
    boxes = sorted(((c.top, c.bottom, c.x0, c.x1, c.size, id(c)) for c in chunks))
    out: set[int] = set()
    for i, (top, bottom, x0, x1, size, key) in enumerate(boxes):
        best = None
        # Pieces on the same line: they overlap vertically by half the type size; tops sorted.
        for j in range(i - 1, -1, -1):
            t, b, a0, a1, _, _ = boxes[j]
            if t < top - 3 * size:
                break
            if a1 <= x0 + 0.5 and min(b, bottom) - max(t, top) > 0.5 * size:
                best = a1 if best is None else max(best, a1)
        for j in range(i + 1, len(boxes)):
            t, b, a0, a1, _, _ = boxes[j]
            if t > bottom:
                break
            if a1 <= x0 + 0.5 and min(b, bottom) - max(t, top) > 0.5 * size:
                best = a1 if best is None else max(best, a1)
        if best is None or x0 - best >= 0.8 * size:
            out.add(key)
    return out


def column_starts(words: Sequence[Word], content: Sequence[Word], size: float, min_lines: int = 2,
                  crossing: bool = True) -> list[float]:
    """Left edges where several lines start and that no word of `content` crosses; the indent of
    text after a list marker is no column."""
    chunks = group_lines(words, 0, split_gap=GUTTER * 0.999)
    openers = _column_openers(chunks)
    xs = sorted(c.x0 for c in chunks if id(c) in openers)
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][0] <= ALIGN:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    starts = []
    for cl in clusters:
        if len(cl) < min_lines:
            continue
        x = min(cl)
        if crossing and any(w.x0 < x - 0.5 and w.x1 > x + 0.5 for w in content):
            continue
        if any(w.text in BULLET_GLYPHS and x - 1.5 * size <= w.x1 <= x for w in content):
            continue
        starts.append(x)
    return starts


def _region_grids(page: PageLayout, words: Sequence[Word], furniture: set[int], top: float, bottom: float,
                  size: float, min_columns: int, kind: str) -> list[PageGrid]:
    """The tables of a region bounded by drawn rules or fills, or set in columns: columns from the
    aligned starts no word crosses; a title line across the columns is a full-width row of the
    table; another line across them (text between two tables) cuts the region."""
    content = [w for w in words if id(w) not in furniture]
    if not content:
        return []
    chunks = group_lines(content, page.number, split_gap=GUTTER * 0.999)
    lone = _lone_lines(chunks)
    titles = [c for c in chunks if _merged_row(c, size, lone)]
    # Column starts are read without the title lines, which may run across them.
    starts = column_starts(words, [w for w in content if not any(w in t.words for t in titles)], size)
    left = min(w.x0 for w in words)
    inner = [x for x in starts if x > left + 2 * ALIGN]
    if len(inner) + 1 < min_columns:
        return []
    sizes = {x: median(c.size for c in chunks if abs(c.x0 - x) <= ALIGN) for x in inner}
    spanning = [c for c in chunks if any(_spans(c, x, furniture, sizes[x]) for x in inner)]
    cuts = sorted((c.top, c.bottom) for c in spanning if c not in titles)
    if cuts:
        out: list[PageGrid] = []
        edges = [(top, top), *cuts, (bottom, bottom)]
        for (_, a), (b, _) in zip(edges, edges[1:]):
            part = [w for w in words if a + 0.5 < w.yc < b - 0.5]
            if part and b - a > 2 * size:
                out += _region_grids(page, part, furniture, a, b, size, min_columns, kind)
        return out
    rows = _merge_bands([(c.top - 0.5, c.bottom + 0.5) for c in spanning])
    bounds = [left - 1.0, *[x - 1.0 for x in inner], max(w.x1 for w in words) + 1.0]
    return [_grid(page, bounds, top, bottom, words, size, kind, rows)]


def _merge_bands(bands: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(bands):
        if out and a <= out[-1][1] + 2.0:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _grid(page: PageLayout, bounds: list[float], top: float, bottom: float, inside: Sequence[Word], size: float,
          kind: str, full_rows: Sequence[tuple[float, float]] = ()) -> PageGrid:
    """Rows from the rules and band edges drawn across each column, else from aligned cell tops;
    `full_rows`: bands merged across every column (their edges bound every column's cells)."""
    horizontals = [s for s in page.segments if s.horizontal and s.bottom - s.top < 3.0]
    horizontals += [s for s in _fill_edges([b for b in page.boxes if b.filled]) if s.horizontal]
    inner = [s for s in horizontals if top + 1.5 < (s.top + s.bottom) / 2 < bottom - 1.5]
    rules = _drawn_rows(bounds, inner, inside)
    if not any(rules):
        kind = "whitespace"
        columns = [group_lines([w for w in inside if bounds[k] <= w.xc < bounds[k + 1]], page.number)
                   for k in range(len(bounds) - 1)]
        tops = [y for y in aligned_rows(columns, top) if y > top + 1.0]
        rules = [[y - 0.5 for y in tops if not _straddles(col, y)] for col in columns]
    if full_rows:
        edges = [y for a, b in full_rows for y in (a, b)]
        rules = [sorted({*r, *edges}) for r in rules]
    grid = PageGrid(page.number, bounds, top, bottom, rules, list(full_rows), list(inside), list(page.segments))
    grid.kind = kind
    return grid


def regrid(page: PageLayout, bounds: Sequence[float], top: float, bottom: float, words: Sequence[Word],
           kind: str) -> PageGrid:
    """The part of a known table printed on this page, read with the table's own columns (a
    column may be empty on this page, or the part too short to show its columns)."""
    ws = [w for w in words if w.upright and top - 1 <= w.yc <= bottom + 1 and bounds[0] - 2 <= w.xc <= bounds[-1] + 2]
    size = median(w.size for w in ws) if ws else 10.0
    return _grid(page, list(bounds), top, bottom, ws, size, kind)


def fits(line: Line, bounds: Sequence[float], size: float | None = None) -> bool:
    """The line runs across no inner column boundary (`size`: the table's type size)."""
    return not any(_spans(line, b + 1.0, set(), size) for b in bounds[1:-1])
