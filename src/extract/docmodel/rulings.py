"""Rulings as a reader sees them: one line, however many pieces the writer drew it in.

Word processors draw a table's borders cell by cell (a thin filled rectangle per cell side, a
tiny square at each corner), so the left border of a one-line row is a piece shorter than the
row, and pieces of one border meet end to end. Joined, they are the border.
"""

from __future__ import annotations

from typing import Iterable

from extract.layout import Segment

JOIN_GAP = 1.0  # pieces of one border meet end to end (corner squares overlap them)
SAME_LINE = 1.0  # and lie on one line, to within a stroke's width


def join_collinear(segments: Iterable[Segment]) -> list[Segment]:
    """Vertical segments on one x that touch end to end, joined into one (horizontals as given)."""
    out: list[Segment] = []
    verticals: list[Segment] = []
    for s in segments:
        (out if s.horizontal else verticals).append(s)
    verticals.sort(key=lambda s: ((s.x0 + s.x1) / 2, s.top))
    # Group by x first (a border's pieces may differ by a fraction of a point), then chain by y.
    columns: list[list[Segment]] = []
    for s in verticals:
        x = (s.x0 + s.x1) / 2
        if columns and x - (columns[-1][-1].x0 + columns[-1][-1].x1) / 2 <= SAME_LINE:
            columns[-1].append(s)
        else:
            columns.append([s])
    for col in columns:
        chain: Segment | None = None
        for s in sorted(col, key=lambda s: s.top):
            if chain is not None and s.top <= chain.bottom + JOIN_GAP:
                chain = Segment(min(chain.x0, s.x0), chain.top, max(chain.x1, s.x1), max(chain.bottom, s.bottom))
                continue
            if chain is not None:
                out.append(chain)
            chain = s
        if chain is not None:
            out.append(chain)
    return out
