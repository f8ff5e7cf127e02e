"""Page furniture: running headers, footers, footer tables and page numbers.

A line is furniture when it sits in the top or bottom margin band and its shape (digits folded)
repeats on many pages, or when it is a page number. Nothing classified as furniture reaches a node.

Documents mix portrait and landscape pages, and a landscape section keeps its margins as lengths:
its footer sits as far from its own bottom edge as a portrait page's, so deeper into the page in
share of its height, and a footer table may wrap its labels differently on the wider page. So:
- the margin band is measured from each page's own edges, as a share of the sheet's long side for
  what is recognised as a whole (a ruled block, a line already known as furniture), so a landscape
  page's band is as deep as a portrait page's of the same paper;
- a footer table (a block closed by its own rulings in the margin band) is one block: it is
  furniture when its words (digits folded, in any order) repeat on many pages, or when most of its
  words are furniture lines already; then all of it is, rows outside the band or wrapped
  differently included, and its rulings bound no content table;
- a furniture line printed at another height is furniture too, when nothing but furniture lies
  between it and the page's edge.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from extract.docmodel.rulings import join_collinear
from extract.layout import Line, PageLayout, Segment, Word, group_lines
from extract.text import fold

_PAGE_NUMBER = re.compile(
    r"^(page\s*)?\d{1,4}(\s*(/|sur|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$|^page\s*:?\s*\d{1,4}(\s*/\s*\d{1,4})?$",
    re.I,
)
BAND = 0.12  # share of the page height, top and bottom, where furniture lives
TOUCH = 1.5  # rulings of one block meet to within this


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


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


def _margin_lines(p: PageLayout, depth: float) -> list[Line]:
    """Lines within `depth` of the top or bottom edge. Footer tables put cells side by side: lines
    are split at wide gaps so each cell is a shape."""
    words = [w for w in p.words if w.bottom <= depth or w.top >= p.height - depth]
    return group_lines(words, p.number, split_gap=2.0)


def _ruled_blocks(p: PageLayout, depth: float) -> list[tuple[float, float, float, float]]:
    """Bounding boxes of the blocks of rulings lying wholly within `depth` of the top or bottom
    edge (a footer or header table), each one connected set of rulings."""
    joined = join_collinear(p.segments)
    in_band = [s.bottom <= depth + TOUCH or s.top >= p.height - depth - TOUCH for s in joined]
    segs = [s for s, inside in zip(joined, in_band) if inside]
    beyond = [s for s, inside in zip(joined, in_band) if not inside]
    parent = list(range(len(segs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(segs):
        for j in range(i + 1, len(segs)):
            b = segs[j]
            if (a.x0 - TOUCH <= b.x1 and b.x0 - TOUCH <= a.x1 and a.top - TOUCH <= b.bottom
                    and b.top - TOUCH <= a.bottom):
                parent[find(i)] = find(j)
    groups: dict[int, list[Segment]] = defaultdict(list)
    for i, s in enumerate(segs):
        groups[find(i)].append(s)
    out = []
    for group in groups.values():
        x0, top = min(s.x0 for s in group), min(s.top for s in group)
        x1, bottom = max(s.x1 for s in group), max(s.bottom for s in group)
        # A block holds rows: rulings both ways, with room between them. A table's header row
        # in the band is no block of its own: the table's rulings go on out of the band.
        if (any(s.horizontal for s in group) and any(not s.horizontal for s in group) and bottom - top > 4
                and not any(_touches(s, (x0, top, x1, bottom)) for s in beyond)):
            out.append((x0, top, x1, bottom))
    return out


def _touches(s: Segment, box: tuple[float, float, float, float]) -> bool:
    return s.x0 - TOUCH <= box[2] and box[0] - TOUCH <= s.x1 and s.top - TOUCH <= box[3] and box[1] - TOUCH <= s.bottom


def _inside(w: Word, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= w.xc <= box[2] and box[1] <= w.yc <= box[3]


def _threshold(n: int) -> int:
    return max(2, int(0.5 * n + 0.5)) if n >= 3 else 2


def detect_furniture(pages: list[PageLayout]) -> None:
    """Fill `PageLayout.furniture` (word indexes) and `furniture_blocks` (ruled blocks) on every page."""
    if not pages:
        return
    threshold = _threshold(len(pages))
    index = [{id(w): i for i, w in enumerate(p.words)} for p in pages]

    # Lines of the margin band whose shape repeats on many pages.
    per_page: list[list[tuple[str, tuple[tuple, tuple], Line, list[int]]]] = []
    counts: Counter[str] = Counter()
    places: Counter[tuple] = Counter()
    for p, idx in zip(pages, index):
        entries = [(_shape(ln.text), _places(ln), ln, [idx[id(w)] for w in ln.words])
                   for ln in _margin_lines(p, p.height * BAND)]
        per_page.append(entries)
        counts.update({s for s, _, _, _ in entries})
        places.update({pl for _, pls, _, _ in entries for pl in pls})
    shapes = {s for s, k in counts.items() if k >= threshold}
    for p, entries in zip(pages, per_page):
        for shape, _, _, idxs in entries:
            if shape in shapes or (_PAGE_NUMBER.match(shape.replace("#", "1")) and _isolated(p, idxs)):
                p.furniture.update(idxs)
    for p, entries in zip(pages, per_page):
        # A running header or footer whose wording follows the section ("… • Les compétences",
        # "… (Parcours B)") keeps its place and type: set apart from the page's content, at the
        # same height and edge on most pages.
        running = [idxs for _, pls, ln, idxs in entries
                   if any(places[pl] >= threshold for pl in pls) and _apart(ln, p)]
        for idxs in running:
            p.furniture.update(idxs)

    # Ruled blocks of the margin, measured on the sheet's long side, as wholes.
    blocks: list[list[tuple[tuple[float, float, float, float], list[int], tuple[str, ...]]]] = []
    signatures: Counter[tuple[str, ...]] = Counter()
    for p, idx in zip(pages, index):
        found = []
        for box in _ruled_blocks(p, BAND * max(p.width, p.height)):
            inside = [i for i, w in enumerate(p.words) if _inside(w, box)]
            if inside:
                found.append((box, inside, tuple(sorted(_shape(p.words[i].text) for i in inside))))
        blocks.append(found)
        signatures.update({sig for _, _, sig in found})
    for p, found in zip(pages, blocks):
        for box, inside, sig in found:
            known = sum(1 for i in inside if i in p.furniture)
            if signatures[sig] >= threshold or known >= 0.5 * len(inside):
                p.furniture.update(inside)
                p.furniture_blocks.append(box)

    # Furniture lines printed at another height: outermost, in the deeper band of the long side.
    for p, idx in zip(pages, index):
        depth = BAND * max(p.width, p.height)
        if depth <= p.height * BAND:
            continue
        lines = [ln for ln in _margin_lines(p, depth) if not all(idx[id(w)] in p.furniture for w in ln.words)]
        for from_top in (True, False):
            side = [ln for ln in lines if (ln.bottom <= depth if from_top else ln.top >= p.height - depth)]
            for ln in sorted(side, key=lambda ln: ln.top if from_top else -ln.bottom):
                between = [i for i, w in enumerate(p.words) if (w.bottom <= ln.top if from_top else w.top >= ln.bottom)]
                if _shape(ln.text) not in shapes or any(i not in p.furniture for i in between):
                    break
                p.furniture.update(idx[id(w)] for w in ln.words)


def content_segments(page: PageLayout) -> list[Segment]:
    """The page's rulings, those of its furniture blocks (a footer table) left out."""
    if not page.furniture_blocks:
        return page.segments
    return [s for s in page.segments
            if not any(b[0] - TOUCH <= s.x0 and s.x1 <= b[2] + TOUCH and b[1] - TOUCH <= s.top and s.bottom <= b[3] + TOUCH
                       for b in page.furniture_blocks)]


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
            key = fold(label).strip()
            if key and value:
                out[key] = value
        if len(out) >= 2:
            return out
    for p in pages:
        words = [p.words[i] for i in sorted(p.furniture)]
        rows = group_lines(words, p.number, split_gap=1.5)
        labels = [ln for ln in rows if ln.text.isupper()]
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
                out[fold(h.text)] = v.text
        if len(out) >= 2:
            return out
    return {}
