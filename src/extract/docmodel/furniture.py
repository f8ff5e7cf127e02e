"""Page furniture: running headers, footers, footer tables and page numbers.

A line is furniture when it sits in the top or bottom margin band and its shape (digits folded)
repeats on many pages, or when it is a page number. Nothing classified as furniture reaches a node.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from extract.layout import Line, PageLayout, group_lines

_PAGE_NUMBER = re.compile(
    r"^(page\s*)?\d{1,4}(\s*(/|sur|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$|^page\s*:?\s*\d{1,4}(\s*/\s*\d{1,4})?$",
    re.I,
)
BAND = 0.12  # share of the page height, top and bottom, where furniture lives


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def detect_furniture(pages: list[PageLayout]) -> None:
    """Fill `PageLayout.furniture` with the indexes of furniture words, on every page."""
    if not pages:
        return
    per_page: list[list[tuple[str, tuple[tuple, tuple], Line, list[int]]]] = []
    counts: Counter[str] = Counter()
    places: Counter[tuple] = Counter()
    for p in pages:
        index = {id(w): i for i, w in enumerate(p.words)}
        entries: list[tuple[str, tuple[tuple, tuple], Line, list[int]]] = []
        lo, hi = p.height * BAND, p.height * (1 - BAND)
        margin_words = [w for w in p.words if w.bottom <= lo or w.top >= hi]
        # Footer tables put cells side by side: split lines at wide gaps so each cell is a shape.
        for ln in group_lines(margin_words, p.number, split_gap=2.0):
            shape = _shape(ln.text)
            entries.append((shape, _places(ln), ln, [index[id(w)] for w in ln.words]))
        per_page.append(entries)
        counts.update({s for s, _, _, _ in entries})
        places.update({pl for _, pls, _, _ in entries for pl in pls})
    n = len(pages)
    threshold = max(2, int(0.5 * n + 0.5)) if n >= 3 else 2
    for p, entries in zip(pages, per_page):
        for shape, _, _, idxs in entries:
            if counts[shape] >= threshold or (_PAGE_NUMBER.match(shape.replace("#", "1")) and _isolated(p, idxs)):
                p.furniture.update(idxs)
    for p, entries in zip(pages, per_page):
        # A running header or footer whose wording follows the section ("… • Les compétences",
        # "… (Parcours B)") keeps its place and type: set apart from the page's content, at the
        # same height and edge on most pages.
        running = [idxs for _, pls, ln, idxs in entries
                   if any(places[pl] >= threshold for pl in pls) and _apart(ln, p)]
        for idxs in running:
            p.furniture.update(idxs)


def _places(line: Line) -> tuple[tuple, tuple]:
    """Where and how a margin line is set: its height, type size and style, and its left edge or
    its right edge (a right-aligned footer keeps only that one)."""
    style = (round(line.top), round(line.size, 1), line.bold, line.italic)
    return (("left", round(line.x0), *style), ("right", round(line.x1), *style))


def _apart(line: Line, page: PageLayout) -> bool:
    """Is a margin line set apart: no word but furniture within two lines' height above or
    below it (the last line of a block continued from page to page is not)?"""
    own = {id(w) for w in line.words}
    top, bottom = line.top, line.bottom
    gap = 2.0 * line.size
    for i, w in enumerate(page.words):
        wt, wb = w.top, w.bottom
        if wb <= top - gap or wt >= bottom + gap or (wb > top and wt < bottom):
            continue  # far from the line, or on its baseline (a page number beside a header)
        if id(w) not in own and i not in page.furniture:
            return False
    return True


def _isolated(page: PageLayout, idxs: list[int]) -> bool:
    """A page number stands apart: no other word touches it on its line (a footnote call set
    as a superscript beside a word is text, not a page number)."""
    mine = [page.words[i] for i in idxs]
    x0, x1 = min(w.x0 for w in mine), max(w.x1 for w in mine)
    top, bottom = min(w.top for w in mine), max(w.bottom for w in mine)
    size = max(w.size for w in mine)
    return not any(
        i not in idxs and w.top < bottom + 2 and w.bottom > top - 2 and w.x1 > x0 - size and w.x0 < x1 + size
        for i, w in enumerate(page.words)
    )


def page_labels(pages: list[PageLayout]) -> dict[int, str]:
    """Printed page label of each page when a page-number furniture line shows one."""
    labels: dict[int, str] = {}
    for p in pages:
        fw = [p.words[i] for i in sorted(p.furniture)]
        for ln in group_lines(fw, p.number, split_gap=2.0):
            m = re.search(r"(\d{1,4})\s*(/|sur)\s*\d{1,4}$|^(?:page\s*:?\s*)?(\d{1,4})$", ln.text, re.I)
            if m:
                labels[p.number] = m.group(1) or m.group(3)
    return labels


def furniture_text_by_page(pages: list[PageLayout]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for p in pages:
        fw = [p.words[i] for i in sorted(p.furniture)]
        out[p.number] = [ln.text for ln in group_lines(fw, p.number, split_gap=2.0)]
    return dict(out)


def furniture_fields(pages: list[PageLayout]) -> dict[str, str]:
    """The labelled values a footer table prints on every page (SIGLE, Code titre, dates...):
    label as printed (upper case, accents folded) -> value as printed.

    Read from the table's rulings when the footer is a ruled table (the label above the value in
    each cell; its rulings come in short pieces), else from the baseline of the label row: each
    value is the furniture text under its label."""
    from extract.docmodel.grid import find_grids

    for p in pages:
        band = p.height * 0.82
        segs = [sg for sg in p.segments if sg.top >= band]
        if not segs:
            continue
        sub = PageLayout(p.number, p.width, p.height, [w for w in p.words if w.top >= band], segs)
        grids = find_grids(sub, min_cols=3, min_vertical=5.0)
        if not grids:
            continue
        g = grids[-1]
        mid = sorted({round(y, 1) for r in g.rules for y in r if g.top + 2 < y < g.bottom - 2})
        if not mid:
            continue
        split = mid[0]
        out: dict[str, str] = {}
        for c in range(g.ncols):
            label = " ".join(ln.text for ln in g.lines_in(g.bounds[c], g.top - 1, g.bounds[c + 1], split))
            value = " ".join(ln.text for ln in g.lines_in(g.bounds[c], split, g.bounds[c + 1], g.bottom + 1))
            key = _fold(label).strip()
            if key and value:
                out[key] = value
        if len(out) >= 2:
            return out
    for p in pages:
        words = [p.words[i] for i in sorted(p.furniture)]
        rows = group_lines(words, p.number, split_gap=1.5)
        labels = [ln for ln in rows if ln.text.isupper() or _fold(ln.text) == ln.text.upper()]
        # The label row: several short labels on one baseline, a value under each.
        by_top: dict[int, list] = defaultdict(list)
        for ln in labels:
            by_top[round(ln.top)].append(ln)
        header = max(by_top.values(), key=len, default=[])
        if len(header) < 2:
            continue
        label_top = header[0].top
        values = [ln for ln in rows if ln.top > label_top + 3]
        out = {}
        for h in header:
            below = [v for v in values if v.top > h.top and min(v.x1, h.x1) - max(v.x0, h.x0) > -2]
            if below:
                v = min(below, key=lambda v: (v.top, abs((v.x0 + v.x1) / 2 - (h.x0 + h.x1) / 2)))
                out[_fold(h.text)] = v.text
        if len(out) >= 2:
            return out
    return {}


def _fold(text: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()
