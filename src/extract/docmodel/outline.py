"""What the document model found on each page, as boxes to draw (the review page shows them):
tables and their kind, header rows, cells with their row, column and span, and outside tables
the paragraphs and list items with their marker and depth. A reader sees why a node came out as
it did: which cell its text was in, which list item."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from extract.docmodel.model import DocModel
from extract.docmodel.structure import parse_entries
from extract.layout import Line


@dataclass(frozen=True)
class Outline:
    page: int
    kind: str  # table | header | cell | paragraph | item
    bbox: tuple[float, float, float, float]
    label: str


def _box(lines: list[Line]) -> tuple[float, float, float, float]:
    return (min(ln.x0 for ln in lines), min(ln.top for ln in lines), max(ln.x1 for ln in lines),
            max(ln.bottom for ln in lines))


def page_outlines(model: DocModel) -> dict[int, list[Outline]]:
    out: dict[int, list[Outline]] = defaultdict(list)
    for n, t in enumerate(model.tables, start=1):
        for f in t.fragments:
            g = f.grid
            out[f.page].append(Outline(f.page, "table", (g.bounds[0], g.top, g.bounds[-1], g.bottom),
                                       f"table {n} ({t.kind}, {t.ncols} columns, pages {t.pages[0]}–{t.pages[-1]})"))
            if f.data_top > g.top + 1:
                out[f.page].append(Outline(f.page, "header", (g.bounds[0], g.top, g.bounds[-1], f.data_top),
                                           "header: " + " | ".join(h for h in f.header if h)[:200]))
        for c in t.cells():
            for part in c.parts:
                if part.lines:
                    frag = next((f for f in t.fragments if f.page == part.page), t.fragments[0])
                    x0, x1 = frag.grid.bounds[c.col], frag.grid.bounds[c.col + 1]
                    out[part.page].append(Outline(part.page, "cell", (x0, part.top, x1, part.bottom),
                                                  f"table {n} cell row {c.row + 1} col {c.col + 1}"
                                                  + (f" (spans {c.row_span} rows)" if c.row_span > 1 else "")
                                                  + (" (goes on from the page before)" if part is not c.parts[0] else "")))
        for row in t.full_rows:
            out[row.page].append(Outline(row.page, "header", _box(row.lines), f"table {n} full-width row: {row.text[:120]}"))
    for page in model.pages:
        for e in parse_entries(model.lines_outside_tables(page)):
            lines = [ln for ln in e.lines if ln.page == page.number]
            if not lines:
                continue
            label = f"list item (marker {e.marker}, depth {e.depth})" if e.kind == "item" else "paragraph"
            out[page.number].append(Outline(page.number, "item" if e.kind == "item" else "paragraph", _box(lines),
                                            label))
    return dict(out)
