"""Regions a page separates by white space alone: text columns (vertical gutters) and bands
(horizontal gaps), for layouts set without rulings."""

from __future__ import annotations

from extract.layout import Line

GUTTER = 6.0


def columns(lines: list[Line], page_width: float, gutter: float = GUTTER) -> list[tuple[float, float]]:
    """x-ranges of the text columns, separated by white gutters (lines wider than 70% of the page
    ignored: a heading across columns does not join them)."""
    spans = sorted((ln.x0, ln.x1) for ln in lines if ln.x1 - ln.x0 < 0.7 * page_width)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + gutter:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def bands(lines: list[Line]) -> list[list[Line]]:
    """Horizontal bands separated by vertical white space taller than a line (panels, sections)."""
    out: list[list[Line]] = []
    bottom = None
    for ln in sorted(lines, key=lambda ln: ln.top):
        if bottom is not None and ln.top - bottom > 1.2 * ln.size:
            out.append([])
        if not out:
            out.append([])
        out[-1].append(ln)
        bottom = ln.bottom if bottom is None else max(bottom, ln.bottom)
    return out
