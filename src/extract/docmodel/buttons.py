"""Buttons of a printed web page: one line of text alone in a box drawn close around it.

A browser prints a page's buttons ("Liste des organismes…", "Télécharger") as their label inside a
small framed or filled rectangle. They are the site's controls, not the document's content. A
panel or a table cell holds more text, or leaves more room around its line.
"""

from __future__ import annotations

from typing import Sequence

from extract.layout import Box, Line


def _hugs(box: Box, ln: Line) -> bool:
    inside = box.x0 - 0.5 <= ln.x0 and ln.x1 <= box.x1 + 0.5 and box.top - 0.5 <= ln.top and ln.bottom <= box.bottom + 0.5
    # Close around it: no taller than three lines of its text, padding of a few characters.
    return inside and box.bottom - box.top <= 3.0 * ln.size and (box.x1 - box.x0) - (ln.x1 - ln.x0) <= 8.0 * ln.size


def button_lines(lines: Sequence[Line], boxes: Sequence[Box]) -> set[int]:
    """Indexes (in `lines`) of the lines printed as a button: alone inside a box hugging them."""
    out: set[int] = set()
    for i, ln in enumerate(lines):
        for box in boxes:
            if not _hugs(box, ln):
                continue
            alone = not any(j != i and o.page == ln.page and box.contains((o.x0 + o.x1) / 2, (o.top + o.bottom) / 2)
                            for j, o in enumerate(lines))
            if alone:
                out.add(i)
                break
    return out
