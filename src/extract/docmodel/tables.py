"""Logical tables: page fragments joined across page breaks, header rows, cells with spans.

A table is found on each page (ruled, horizontal rules only, shaded, or whitespace: see
`grid` and `unruled`), then joined with the fragment that follows it on the next page when
nothing but page furniture lies between them and their columns agree (same count and positions,
or the same header words). A header row is the first band of a fragment when its cells read as
column titles (short, bold or capitals) or repeat the table's header; a header repeated on a
continuation page, or inside the table, is furniture.

Cells are segmented column by column, so a vertically merged cell is one cell whatever the
other columns do. A cell cut by a page break is joined back by what its first line shows (FAMILIES
section 0): an empty top cell is the merged cell going on; text in lower case, or a coded column's
cell that opens without a code, or the next code of a list, continues it; a row whose key column
continues brings its other cells along.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

from extract.docmodel.codes import Grammar, infer_grammar
from extract.docmodel.grid import CellPart, PageGrid, find_grids
from extract.docmodel.structure import (TERMINAL, Entry, after_marker, entry_openings, parse_entries, split_marker,
                                       starts_lower, title_line)
from extract.docmodel.unruled import PAGE_NUMBER_LIKE, GUTTER, fits, regrid, unruled_grids
from extract.layout import Line, PageLayout, Word, group_lines
from extract.text import fold

PAGE_SPAN = 10000.0  # global vertical coordinate: page * PAGE_SPAN + y


def gpos(page: int, y: float) -> float:
    return page * PAGE_SPAN + y


@dataclass
class TableCell:
    col: int
    parts: list[CellPart]
    row: int = 0
    row_span: int = 1

    @property
    def lines(self) -> list[Line]:
        return [ln for p in self.parts for ln in p.lines]

    @property
    def start(self) -> float:
        return gpos(self.parts[0].page, self.parts[0].top)

    @property
    def end(self) -> float:
        return gpos(self.parts[-1].page, self.parts[-1].bottom)

    @property
    def empty(self) -> bool:
        return not any(p.lines for p in self.parts)

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    @property
    def pages(self) -> list[int]:
        return sorted({p.page for p in self.parts if p.lines})

    def overlap(self, other: TableCell) -> float:
        return min(self.end, other.end) - max(self.start, other.start)

    def entries(self, **options: object) -> list[Entry]:
        """Paragraphs and list items of the cell (structure.parse_entries options)."""
        return parse_entries(self.lines, **options)  # type: ignore[arg-type]


@dataclass
class FullRow:
    """A row merged across every column (a bloc title printed as a row of the table)."""

    page: int
    top: float
    bottom: float
    lines: list[Line]

    @property
    def start(self) -> float:
        return gpos(self.page, self.top)

    @property
    def text(self) -> str:
        return " ".join(ln.text for ln in self.lines)


@dataclass
class Fragment:
    grid: PageGrid
    data_top: float  # where the data starts, below the header rows printed on this page
    header: list[str]  # per column, the header text printed on this page ("" when none)
    header_lines: list[Line] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.grid.page


@dataclass
class Table:
    fragments: list[Fragment]
    columns: list[list[TableCell]] = field(default_factory=list)
    full_rows: list[FullRow] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        return self.fragments[0].grid.ncols

    @property
    def kind(self) -> str:
        return self.fragments[0].grid.kind

    @property
    def header(self) -> list[str]:
        for f in self.fragments:
            if any(f.header):
                return f.header
        return [""] * self.ncols

    @property
    def pages(self) -> list[int]:
        return [f.page for f in self.fragments]

    @property
    def start(self) -> float:
        f = self.fragments[0]
        return gpos(f.page, f.grid.top)

    @property
    def end(self) -> float:
        f = self.fragments[-1]
        return gpos(f.page, f.grid.bottom)

    def cells(self) -> list[TableCell]:
        """Every non-empty cell, row-major (a merged cell at its first row)."""
        return sorted((c for col in self.columns for c in col if not c.empty), key=lambda c: (c.row, c.col))

    def contains(self, page: int, x: float, y: float) -> bool:
        return any(f.page == page and f.grid.bounds[0] - 2 <= x <= f.grid.bounds[-1] + 2
                   and f.grid.top - 2 <= y <= f.grid.bottom + 2 for f in self.fragments)


# ---------------------------------------------------------------- finding fragments


def page_grids(page: PageLayout, min_cols: int = 2) -> list[PageGrid]:
    """Every table of a page, top to bottom: ruled grids first, then the unruled kinds on what is
    left of the page."""
    ruled = [g for g in find_grids(page, min_cols=min_cols)]
    # Inside a table, text repeated from page to page is the table's (a criterion printed on
    # two pages), not furniture; a repeated header row is told apart by the table itself.
    for g in ruled:
        g.words = [w for w in page.words if not _outside(g, w)]
    rest = [w for w in page.words if not any(not _outside(g, w) for g in ruled)]
    found = ruled + unruled_grids(page, rest, min_columns=max(3, min_cols))
    for g in found:
        # Header words are looked up by position, furniture included (a header repeated on
        # every page is furniture, and still names the columns).
        g.all_words = page.words
    return sorted(found, key=lambda g: g.top)


def _outside(g: PageGrid, w: Word) -> bool:
    return not (g.bounds[0] - 2 <= w.xc <= g.bounds[-1] + 2 and g.top - 2 <= w.yc <= g.bottom + 2)


def _headerish(texts: Sequence[str], lines: Sequence[Line], bounds: Sequence[float] | None = None) -> bool:
    """Column titles: each cell opens with a title line (bold or in capitals) and stays short
    (a title may carry a line of description under it)."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2 or any(len(t.split()) > 40 for t in filled):
        return False
    if bounds is None:
        firsts = [min(lines, key=lambda ln: ln.top)] if lines else []
    else:
        firsts = []
        for c in range(len(bounds) - 1):
            mine = [ln for ln in lines if bounds[c] <= (ln.x0 + ln.x1) / 2 < bounds[c + 1]]
            if mine:
                firsts.append(min(mine, key=lambda ln: ln.top))
    return bool(firsts) and all(title_line(ln) for ln in firsts)


def _band_text(grid: PageGrid, words: Sequence[Word], top: float, bottom: float) -> tuple[list[str], list[Line]]:
    texts, lines = [], []
    for c in range(grid.ncols):
        ws = [w for w in words if grid.bounds[c] <= w.xc < grid.bounds[c + 1] and top <= w.yc < bottom]
        ls = group_lines(ws, grid.page)
        lines += ls
        texts.append(" ".join(ln.text for ln in ls))
    return texts, lines


def _bands(grid: PageGrid) -> list[float]:
    """Bottoms of the row bands every column shares, top to bottom."""
    common = None
    for ys in grid.rules:
        inner = {round(y) for y in ys if y > grid.top + 2.0}
        common = inner if common is None else {y for y in common if any(abs(y - z) <= 2 for z in inner)}
    return sorted(float(y) for y in common or ())


def fragment_of(grid: PageGrid, known_header: Sequence[str] | None = None) -> Fragment:
    """Where the header ends on this fragment, and what it says."""
    words = grid.all_words or grid.words
    top = grid.top - 1
    header_bottom = None
    texts: list[str] = []
    lines: list[Line] = []
    for band in _bands(grid)[:3]:
        if any(top <= a + 1 and b <= band + 1 for a, b in grid.full_rows):
            break
        t, ls = _band_text(grid, words, top, band)
        if not ls and header_bottom is None:
            top = band  # an empty band over the table (its top rule drawn under a heading)
            continue
        repeated = bool(known_header) and any(known_header) and header_bottom is None and [fold(x) for x in t] == [fold(x) for x in known_header]
        if not (repeated or _headerish(t, ls, grid.bounds)):
            break
        texts = [" ".join(x for x in (a, b) if x) for a, b in zip(texts or [""] * grid.ncols, t)]
        lines += ls
        header_bottom, top = band, band
    if header_bottom is not None:
        return Fragment(grid, header_bottom, texts, lines)
    repeated = _repeated_header_text(grid, words, known_header)
    if repeated is not None:
        return repeated
    # A header set above the table's first ruling or fill (no rule under it): the lines right
    # above it that each stay inside one column.
    above = sorted(group_lines([w for w in words if grid.top - 40 <= w.yc < grid.top - 1], grid.page, split_gap=1.0),
                   key=lambda ln: -ln.bottom)
    kept: list[Line] = []
    edge = grid.top
    for ln in above:
        inside = any(grid.bounds[c] - 2 <= ln.x0 and ln.x1 <= grid.bounds[c + 1] + 2 for c in range(grid.ncols))
        if not inside or edge - ln.bottom > 1.5 * ln.size or (kept and abs(ln.size - kept[0].size) > 0.6):
            break
        kept.append(ln)
        edge = min(edge, ln.top)
    if kept:
        texts = [" ".join(ln.text for ln in sorted(kept, key=lambda ln: ln.top) if grid.bounds[c] <= (ln.x0 + ln.x1) / 2 < grid.bounds[c + 1])
                 for c in range(grid.ncols)]
        repeated = bool(known_header) and any(known_header) and [fold(t) for t in texts] == [fold(t) for t in known_header]
        if repeated or (sum(1 for t in texts if t) >= max(2, grid.ncols - 1) and _headerish(texts, kept, grid.bounds)):
            return Fragment(grid, grid.top, texts, kept)
    return Fragment(grid, grid.top, [""] * grid.ncols, [])


def _repeated_header_text(grid: PageGrid, words: Sequence[Word], known: Sequence[str] | None) -> Fragment | None:
    """A header repeated at the top of a continuation page with no ruling under it: each
    column's first lines read the header's words; the header ends under them."""
    if not known or not any(known):
        return None
    bottom = grid.top
    lines_all: list[Line] = []
    for c in range(grid.ncols):
        want = fold(known[c])
        if not want:
            continue
        ws = [w for w in words if grid.bounds[c] <= w.xc < grid.bounds[c + 1] and grid.top - 1 <= w.yc <= grid.bottom]
        got: list[Line] = []
        for ln in group_lines(ws, grid.page):
            got.append(ln)
            text = fold(" ".join(x.text for x in got))
            if text == want:
                break
            if not want.startswith(text):
                return None
        else:
            return None
        lines_all += got
        bottom = max(bottom, max(ln.bottom for ln in got))
    return Fragment(grid, bottom + 1.0, list(known), lines_all)


# ---------------------------------------------------------------- joining pages


def _compatible(a: PageGrid, b: PageGrid, header_a: Sequence[str], header_b: Sequence[str]) -> bool:
    if a.ncols != b.ncols:
        return False
    if any(header_b) and [fold(t) for t in header_a] == [fold(t) for t in header_b]:
        return True
    return all(abs(x - y) < 12 for x, y in zip(a.bounds, b.bounds))


def _alone_below(page: PageLayout, grid: PageGrid) -> bool:
    """Nothing but furniture and footnotes (text smaller than the table's) under the table."""
    return not _between(page, grid, lambda w: w.top > grid.bottom + 2)


def _alone_above(page: PageLayout, grid: PageGrid) -> bool:
    return not _between(page, grid, lambda w: w.bottom < grid.top - 2)


def _between(page: PageLayout, grid: PageGrid, where: Callable[[Word], bool]) -> bool:
    furniture = {id(page.words[i]) for i in page.furniture}
    sizes = sorted(w.size for w in grid.words) or [0.0]
    body = sizes[len(sizes) // 2]
    return any(where(w) and id(w) not in furniture and w.size >= body - 0.6 for w in page.words)


def _narrower(prev: PageGrid, grid: PageGrid) -> bool:
    """The same table with a column left empty on this page: its boundaries are a subset."""
    if grid.kind == "ruled" or grid.ncols >= prev.ncols:
        return False
    return (abs(grid.bounds[0] - prev.bounds[0]) < 12 and abs(grid.bounds[-1] - prev.bounds[-1]) < 12
            and all(any(abs(b - p) < 12 for p in prev.bounds) for b in grid.bounds[1:-1]))


def find_tables(pages: Sequence[PageLayout], min_cols: int = 2) -> list[Table]:
    """The document's logical tables, in reading order."""
    tables: list[Table] = []
    by_page = {p.number: p for p in pages}
    last_of_page: dict[int, Table] = {}
    for page in pages:
        grids = page_grids(page, min_cols)
        prev = last_of_page.get(page.number - 1)
        if prev is not None and _alone_below(by_page[page.number - 1], prev.fragments[-1].grid) and not (
                grids and _alone_above(page, grids[0])):
            tail = _tail(page, prev.fragments[-1].grid, grids[0].top if grids else page.height)
            if tail is not None:
                prev.fragments.append(fragment_of(tail, prev.header))
                last_of_page[page.number] = prev
                if not grids:
                    continue
        for k, grid in enumerate(grids):
            prev = last_of_page.get(page.number - 1)
            if k == 0 and prev is not None and _narrower(prev.fragments[-1].grid, grid):
                old = grid
                grid = regrid(page, prev.fragments[-1].grid.bounds, old.top, old.bottom, page.words, old.kind)
                kept = {id(w) for w in old.words}
                grid.words = [w for w in grid.words if id(w) in kept]
                grid.all_words = page.words
            frag = fragment_of(grid, prev.header if prev is not None else None)
            if (k == 0 and prev is not None and _alone_above(page, grid)
                    and _alone_below(by_page[page.number - 1], prev.fragments[-1].grid)
                    and _compatible(prev.fragments[-1].grid, grid, prev.header, frag.header)):
                prev.fragments.append(frag)
                table = prev
            else:
                table = Table([frag])
                tables.append(table)
            last_of_page[page.number] = table
    for t in tables:
        _take_lead_in(t, by_page, tables)
        _build_cells(t)
    return tables


def _body(grid: PageGrid) -> float | None:
    sizes = sorted(w.size for w in grid.words)
    return sizes[len(sizes) // 2] if sizes else None


def _table_text(page: PageLayout, size: float | None) -> list[Word]:
    """The page's words a table going on may hold: its content, and furniture lines set in the
    table's own type that are no page number (a list's last lines repeat their shape from page to
    page, so the furniture rule may have taken them)."""
    furniture = {id(page.words[i]) for i in page.furniture}
    out = [w for w in page.words if id(w) not in furniture]
    if size is None:
        return out
    for ln in group_lines([w for w in page.words if id(w) in furniture], page.number, split_gap=2.0):
        if abs(ln.size - size) <= 0.5 and not PAGE_NUMBER_LIKE.match(ln.text):
            out += ln.words
    return out


def _tail(page: PageLayout, prev: PageGrid, floor: float) -> PageGrid | None:
    """The end of a table printed at the top of the next page, too short there to show its
    columns (one or two columns going on): the lines above `floor` that fit the table's columns."""
    body = _body(prev)
    content = [w for w in _table_text(page, body) if w.upright and w.bottom < floor - 1]
    if not content:
        return None
    kept: list[Line] = []
    for ln in sorted(group_lines(content, page.number, split_gap=GUTTER * 0.999), key=lambda c: c.top):
        if not fits(ln, prev.bounds, body) or ln.x0 < prev.bounds[0] - 12 or ln.x1 > prev.bounds[-1] + 12:
            break
        kept.append(ln)
    if not kept:
        return None
    b = prev.bounds
    used = {c for ln in kept for w in ln.words for c in range(len(b) - 1) if b[c] <= w.xc < b[c + 1]}
    if len(used) < 2 and 0 in used:
        return None  # a paragraph at the page's margin, not a column going on
    top, bottom = min(ln.top for ln in kept) - 1.0, max(ln.bottom for ln in kept) + 1.0
    grid = regrid(page, b, top, bottom, [w for ln in kept for w in ln.words], prev.kind)
    grid.all_words = page.words
    return grid


def _take_lead_in(t: Table, pages: dict[int, PageLayout], tables: Sequence[Table]) -> None:
    """A table's first row printed alone at the bottom of the page before (after its heading),
    too short there to show columns: read it with the table's columns."""
    first = t.fragments[0]
    page = pages.get(first.page)
    before = pages.get(first.page - 1)
    if page is None or before is None or not _alone_above(page, first.grid):
        return
    furniture = {id(before.words[i]) for i in before.furniture}
    taken = [x for x in tables if x is not t for f in x.fragments if f.page == before.number]
    floor = max((f.grid.bottom for x in taken for f in x.fragments if f.page == before.number), default=0.0)
    content = sorted((w for w in before.words if id(w) not in furniture and w.upright and w.top > floor + 1),
                     key=lambda w: w.top)
    if not content:
        return
    lines = sorted(group_lines(content, before.number, split_gap=GUTTER * 0.999), key=lambda c: c.top)
    body = _body(first.grid)
    # The trailing lines that fit the table's columns, below the last line that does not.
    lead: list[Line] = []
    for ln in reversed(lines):
        if not fits(ln, first.grid.bounds, body) or ln.x0 < first.grid.bounds[0] - 12:
            break
        lead.insert(0, ln)
    if not lead or len(lead) == len(lines) and floor == 0.0:
        return
    b = first.grid.bounds
    used = {c for ln in lead for w in ln.words for c in range(len(b) - 1) if b[c] <= w.xc < b[c + 1]}
    if len(used) < 2:
        return  # the end of a paragraph, not a row set in the table's columns
    top, bottom = min(ln.top for ln in lead) - 1.0, max(ln.bottom for ln in lead) + 1.0
    grid = regrid(before, first.grid.bounds, top, bottom, [w for ln in lead for w in ln.words], first.grid.kind)
    grid.all_words = before.words
    t.fragments.insert(0, Fragment(grid, grid.top, [""] * grid.ncols, []))


# ---------------------------------------------------------------- cells


def _code_grammar(t: Table) -> list[Grammar]:
    """Per column, the code schemes its cells' paragraphs and list items open with."""
    return [infer_grammar(o for f in t.fragments for part in f.grid.cells(c, f.data_top)
                          for o in entry_openings(part.lines)) for c in range(t.ncols)]


def _coded(t: Table, col: int, grammar: Grammar) -> bool:
    """Most of the column's cells open with a code of its grammar."""
    firsts = [part.lines[0] for f in t.fragments for part in f.grid.cells(col, f.data_top) if part.lines]
    if not grammar or not firsts:
        return False
    return sum(1 for ln in firsts if grammar.match(after_marker(ln))) >= 0.5 * len(firsts)


@dataclass(frozen=True)
class _Openings:
    """How a column's cells open: the share of them whose first line is underlined, bold."""

    underlined: float = 0.0
    bold: float = 0.0


def _openings(t: Table, col: int) -> _Openings:
    firsts = [part.lines[0] for f in t.fragments for part in f.grid.cells(col, f.data_top) if part.lines]
    if len(firsts) < 2:
        return _Openings()
    return _Openings(sum(ln.underlined for ln in firsts) / len(firsts), sum(ln.bold for ln in firsts) / len(firsts))


def _continues(part: CellPart, prev: TableCell, grammar: Grammar, coded: bool, row_goes_on: bool,
               openings: _Openings = _Openings()) -> bool:
    """Does the first cell of a page continue the column's last cell of the page before?"""
    if part.empty:
        return True
    first = part.lines[0]
    if starts_lower(first.text):
        return True
    last = prev.lines[-1]
    # A part that opens the way this column's cells open (an underlined or bold heading line)
    # is a new cell, even where the row's other cells go on.
    if first.underlined and not last.underlined and openings.underlined >= 0.6:
        return False
    if first.bold and not last.bold and openings.bold >= 0.6 and not coded:
        return False
    found = grammar.match(after_marker(first)) if grammar else None
    if found is not None:
        # A list of codes goes on across the page with the next code of its series.
        prev_codes = [c for c in (grammar.match(after_marker(ln)) for ln in prev.lines) if c]
        return len(prev_codes) >= 2 and prev_codes[-1][0].series == found[0].series
    if coded:
        return not (first.bold and not prev.lines[-1].bold) or row_goes_on
    if row_goes_on:
        return True
    marker, _ = split_marker(first)
    prev_markers = [split_marker(ln)[0] for ln in prev.lines]
    prev_markers = [m for m in prev_markers if m]
    if marker is not None:
        # A list goes on with its own glyph; another glyph opens a new group.
        return bool(prev_markers) and marker == prev_markers[-1]
    # A sentence left open goes on, unless a bold line opens under regular text (a heading).
    return not last.text.rstrip().endswith(TERMINAL) and (not first.bold or last.bold)


def _full_rows(f: Fragment) -> list[FullRow]:
    out = []
    for top, bottom in f.grid.full_rows:
        if bottom <= f.data_top + 1:
            continue
        lines = f.grid.full_row_lines(top, bottom)
        if lines:
            out.append(FullRow(f.page, top, bottom, lines))
    return out


def _is_repeated_header(part: CellPart, header: str) -> bool:
    return bool(header) and bool(part.lines) and fold(" ".join(ln.text for ln in part.lines)) == fold(header)


def _build_cells(t: Table) -> None:
    grammars = _code_grammar(t)
    coded = [_coded(t, c, g) for c, g in enumerate(grammars)]
    openings = [_openings(t, c) for c in range(t.ncols)]
    # Rows are those of the column cut finest (one competence per row, activities merged over
    # several): when its top cell goes on with text, the whole row goes on.
    counts = [sum(1 for f in t.fragments for p in f.grid.cells(c, f.data_top) if p.lines) for c in range(t.ncols)]
    key_col = max(range(t.ncols), key=lambda c: (counts[c], coded[c], -c))
    columns: list[list[TableCell]] = [[] for _ in range(t.ncols)]
    header = t.header
    for n, f in enumerate(t.fragments):
        t.full_rows += _full_rows(f)
        parts = [[p for p in f.grid.cells(c, f.data_top) if not _is_repeated_header(p, header[c])]
                 for c in range(t.ncols)]
        row_goes_on = False
        if n > 0:
            firsts = [ps[0] if ps and abs(ps[0].top - f.data_top) < 3 else None for ps in parts]
            key = firsts[key_col]
            if key is not None and key.lines and columns[key_col]:
                row_goes_on = _continues(key, columns[key_col][-1], grammars[key_col], coded[key_col], False,
                                         openings[key_col])
        order = [key_col] + [c for c in range(t.ncols) if c != key_col]
        for c in order:
            for i, part in enumerate(parts[c]):
                column = columns[c]
                at_top = n > 0 and i == 0 and bool(column) and abs(part.top - f.data_top) < 3
                if at_top and (c == key_col and row_goes_on or c != key_col and _continues(
                        part, column[-1], grammars[c], coded[c], row_goes_on, openings[c])):
                    column[-1].parts.append(part)
                    continue
                if not part.empty:
                    column.append(TableCell(c, [part]))
    t.columns = columns
    _number_rows(t)


def _number_rows(t: Table) -> None:
    starts = sorted({round(c.start, 0) for col in t.columns for c in col})
    index = {s: i for i, s in enumerate(starts)}
    for col in t.columns:
        for c in col:
            c.row = index[round(c.start, 0)]
            c.row_span = sum(1 for s in starts if c.start - 1 <= s < c.end - 1) or 1
