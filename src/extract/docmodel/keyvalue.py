"""Label/value rows printed without rulings: a column of labels beside a column of values.

Web pages print summary cards this way (a registry page's "L'essentiel": "Code(s) NSF" beside
its codes). Nothing rules the rows; a vertical gutter that no line crosses separates the columns,
and each group of value lines belongs to the label group it is printed beside (values are
centred on their label, so a value may start above the label's first line).
"""

from __future__ import annotations

from typing import Sequence

from extract.layout import Line

MIN_GUTTER = 1.0  # in multiples of the font size: narrower gaps are word spacing


def split_columns(lines: Sequence[Line]) -> tuple[list[Line], list[Line]] | None:
    """(left, right): lines wholly left and wholly right of a vertical gutter, or None when
    some line crosses every candidate gutter (the lines are one column of text)."""
    if len(lines) < 2:
        return None
    for x in sorted({round(ln.x0, 1) for ln in lines}):
        left = [ln for ln in lines if ln.x0 < x - 1.0]
        right = [ln for ln in lines if ln.x0 >= x - 1.0]
        if not left or not right:
            continue
        size = max(ln.size for ln in lines)
        if max(ln.x1 for ln in left) <= x - MIN_GUTTER * size:
            return left, right
    return None


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Lines set at their own line pitch form one group; a wider gap starts the next."""
    groups: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: (ln.page, ln.top)):
        prev = groups[-1][-1] if groups else None
        if prev is not None and ln.page == prev.page and ln.top - prev.top <= 1.6 * max(ln.size, prev.size):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _centre(group: list[Line]) -> tuple[int, float]:
    return group[0].page, (group[0].top + group[-1].bottom) / 2


def label_value_rows(lines: Sequence[Line], min_rows: int = 2) -> list[tuple[list[Line], list[Line]]] | None:
    """Rows of (label lines, value lines) when the lines are printed as a label column beside a
    value column with at least `min_rows` labels; None otherwise."""
    columns = split_columns(lines)
    if columns is None:
        return None
    labels = _groups(columns[0])
    if len(labels) < min_rows:
        return None
    rows: list[tuple[list[Line], list[Line]]] = [(g, []) for g in labels]
    for values in _groups(columns[1]):
        page, y = _centre(values)
        same_page = [i for i, g in enumerate(labels) if g[0].page == page] or list(range(len(labels)))
        best = min(same_page, key=lambda i: abs(_centre(labels[i])[1] - y))
        rows[best][1].extend(values)
    return rows
