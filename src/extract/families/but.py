"""BUT référentiels de compétences: designed brochures read from their geometry.

The overview page prints one row per compétence (short name · statement · composantes "en …"),
columns separated by white gutters. Each compétence then has a detail page (found by its
statement) with its composantes, its situations professionnelles (right of that label), and its
niveaux: "Niveau n" and a libellé in a left column, the apprentissages critiques in the boxes
beside it. A text printed on several pages (overview + detail) is one node with all its pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.layout import Line, PageLayout
from extract.records import RecordBuilder
from extract.schema import Certification, Code, Item
from extract.docmodel.structure import Entry, build_items, parse_entries, split_marker
from extract.text import join_wrapped, normalize_text, slugify

LEVEL = re.compile(r"^Niveau\s+(\d+)\s*$", re.I)
AC_CODE = re.compile(r"^(AC\s?\d{2,}\.\d{2})\s*[-–:]?\s*(.*)$")
PATHWAY = re.compile(r"^Parcours\s+\S")
GUTTER = 6.0


def _norm(text: str) -> str:
    return normalize_text(text).lower()


def _is_composante(line: Line) -> bool:
    _, words = split_marker(line)
    return bool(words) and words[0].text == "en"


def composante_entries(lines: list[Line]) -> list[Entry]:
    """Composantes: each opens with "en" (bulleted or not); other lines continue the one above."""
    out: list[Entry] = []
    for ln in lines:
        marker, words = split_marker(ln)
        if _is_composante(ln) or not out:
            out.append(Entry("item" if marker else "para", [ln], marker, 0, words[0].x0 if words else ln.x0, [words]))
        else:
            out[-1].lines.append(ln)
            out[-1].words.append(words)
    return out


def columns(lines: list[Line], page_width: float) -> list[tuple[float, float]]:
    """x-ranges of the page's text columns, separated by white gutters (wide lines ignored)."""
    spans = sorted((ln.x0, ln.x1) for ln in lines if ln.x1 - ln.x0 < 0.7 * page_width)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + GUTTER:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(a, b) for a, b in cols]


def bands(lines: list[Line]) -> list[list[Line]]:
    """Horizontal bands of a page separated by vertical white space (panels, sections)."""
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


def column_texts(doc: Document, page: PageLayout) -> list[str]:
    """Each text column of each band, read top to bottom and normalized: where a node's text is
    looked up when deciding which pages print it."""
    lines = doc.content_lines(page, split_gap=1.2)
    texts = []
    for band in bands(lines):
        cols = columns(band, page.width)
        for k, (a, b) in enumerate(cols):
            nxt = cols[k + 1][0] if k + 1 < len(cols) else page.width
            texts.append(_norm(" ".join(ln.text for ln in band if a - 1 <= ln.x0 <= b + 1 and ln.x1 < nxt)))
    return texts


@dataclass
class Competence:
    name: str
    statement: str
    composantes: list[Entry]
    lines: list[Line]
    page: int


def overview(doc: Document) -> tuple[int, list[Competence]] | None:
    """The page listing the compétences: rows of short name, statement and composantes."""
    for page in doc.pages:
        lines = doc.content_lines(page, split_gap=1.2)
        comp_lines = [ln for ln in lines if _is_composante(ln)]
        if len(comp_lines) < 3:
            continue
        comp_x = min(ln.x0 for ln in comp_lines) - 2
        rows_top = min(ln.top for ln in comp_lines) - 20  # titles and intro above the rows
        left = [ln for ln in lines if ln.x1 < comp_x and ln.x1 - ln.x0 < 0.5 * page.width and ln.top >= rows_top]
        cols = columns(left, page.width)
        if len(cols) < 2:
            continue
        name_col, stmt_col = cols[0], cols[1]
        names = [ln for ln in left if ln.x1 <= name_col[1] + 1 and ln.bold]
        names = [ln for ln in names if ln.top > min(ln.top for ln in comp_lines) - 40]
        if len(names) < 2:
            continue
        out = []
        for k, name in enumerate(names):
            top = name.top - 3
            bottom = names[k + 1].top - 3 if k + 1 < len(names) else page.height
            stmt = [ln for ln in left if stmt_col[0] - 1 <= ln.x0 and top <= ln.top < bottom]
            comps = [ln for ln in lines if ln.x0 >= comp_x and top <= ln.top < bottom]
            entries = composante_entries(comps)
            out.append(Competence(name.text, join_wrapped([ln.text for ln in stmt]), entries,
                                  [name, *stmt], page.number))
        return page.number, out
    return None


def _label(lines: list[Line], words: tuple[str, ...]) -> Line | None:
    for ln in lines:
        if _norm(ln.text).startswith(words[0]) and (len(words) == 1 or any(
                _norm(o.text).startswith(words[1]) for o in lines if abs(o.top - ln.top) < 25)):
            return ln
    return None


def detail_pages(doc: Document, comps: list[Competence], skip: set[int],
                 texts: dict[int, list[str]]) -> dict[str, list[PageLayout]]:
    """Each compétence's detail pages: the page printing its statement beside "Niveau" marks, and
    the pages after it that go on with levels, up to the next compétence's page."""
    starts: dict[int, str] = {}
    for c in comps:
        target = _norm(c.statement)
        for page in doc.pages:
            if page.number in skip or page.number in starts:
                continue
            if any(target in t for t in texts[page.number]):
                starts[page.number] = c.name
                break
    out: dict[str, list[PageLayout]] = {}
    current: str | None = None
    for page in doc.pages:
        if page.number in starts:
            current = starts[page.number]
            out[current] = [page]
        elif current is not None and page.number not in skip:
            lines = doc.content_lines(page, split_gap=1.2)
            if any(LEVEL.match(ln.text) for ln in lines):
                out[current].append(page)
            else:
                current = None
    return out


@dataclass
class Group:
    title: str | None
    entries: list[Entry]
    lines: list[Line]


def titled_groups(entries: list[Entry]) -> list[Group]:
    """Bold entries open groups (title + what follows); without bold, one group per entry."""
    if not any(e.bold and e.kind == "para" for e in entries):
        return [Group(None, [e], e.lines) for e in entries if e.text]
    groups: list[Group] = []
    for e in entries:
        if e.bold and e.kind == "para":
            groups.append(Group(e.text, [], list(e.lines)))
        elif groups:
            groups[-1].entries.append(e)
            groups[-1].lines.extend(e.lines)
    return groups


def _box_of(page: PageLayout, line: Line) -> tuple[float, float] | None:
    boxes = [b for b in page.boxes if b.contains((line.x0 + line.x1) / 2, (line.top + line.bottom) / 2)
             and b.x1 - b.x0 < 0.4 * page.width]
    if not boxes:
        return None
    box = min(boxes, key=lambda b: b.area)
    return box.top, box.bottom


def levels(doc: Document, page: PageLayout) -> list[tuple[str, str, list[Line], list[Group]]]:
    """(number, libellé, lines, apprentissages critiques) for each "Niveau n" of a detail page."""
    lines = doc.content_lines(page, split_gap=1.2)
    marks = [ln for ln in lines if LEVEL.match(ln.text)]
    if not marks:
        return []
    left_edge = max(ln.x1 for ln in marks) + 10
    right = [ln for ln in lines if ln.x0 > left_edge and ln.top >= min(m.top for m in marks) - 20]
    ac_x = min((ln.x0 for ln in right), default=page.width) - 2
    out = []
    bands = [_box_of(page, mark) for mark in marks]
    tops = [band[0] - 1 if band else mark.top - 5 for band, mark in zip(bands, marks)]
    for k, (mark, band) in enumerate(zip(marks, bands)):
        # Level shapes may overlap (chevrons): a level's band stops where the next one starts.
        nxt = tops[k + 1] if k + 1 < len(marks) else page.height
        top = tops[k]
        bottom = min(band[1] + 1, nxt) if band else nxt
        libelle = [ln for ln in lines if ln.x1 <= ac_x and mark.bottom <= ln.top < min(bottom, nxt) and ln is not mark]
        ac_lines = [ln for ln in lines if ln.x0 >= ac_x and top <= (ln.top + ln.bottom) / 2 < bottom]
        groups: list[Group] = []
        for part, right in _split_by_boxes(page, ac_lines):
            groups.extend(titled_groups(parse_entries(part, right_edge=right)))
        out.append((LEVEL.match(mark.text).group(1), join_wrapped([ln.text for ln in libelle]),  # type: ignore[union-attr]
                    [mark, *libelle], groups))
    return out


def _split_by_boxes(page: PageLayout, lines: list[Line]) -> list[tuple[list[Line], float | None]]:
    """Lines grouped by the framed box they sit in (left to right), else by text column; with the
    right margin of each group (the box's inner edge) when a box frames it."""
    groups: dict[tuple[float, float, float, float], list[Line]] = {}
    loose: list[Line] = []
    for ln in lines:
        cx, cy = (ln.x0 + ln.x1) / 2, (ln.top + ln.bottom) / 2
        boxes = [b for b in page.boxes if b.contains(cx, cy) and b.x0 <= ln.x0 + 1 and ln.x1 <= b.x1 + 1]
        if boxes:
            b = min(boxes, key=lambda b: b.area)
            groups.setdefault((b.x0, b.top, b.x1, b.bottom), []).append(ln)
        else:
            loose.append(ln)
    parts: list[tuple[list[Line], float | None]] = [
        (groups[k], k[2] - 4.0) for k in sorted(groups, key=lambda k: (k[0], k[1]))]
    if loose:
        for a, b in columns(loose, page.width) or [(0, page.width)]:
            parts.append(([ln for ln in loose if a - 1 <= ln.x0 and ln.x1 <= b + 1], None))
    return [(sorted(p, key=lambda ln: (round(ln.top), ln.x0)), r) for p, r in parts if p]


def situations(doc: Document, page: PageLayout) -> list[Group]:
    lines = doc.content_lines(page, split_gap=1.2)
    label = _label(lines, ("situations", "professionnelles"))
    if label is None:
        return []
    stop = _label(lines, ("niveaux",)) or _label(lines, ("apprentissages",))
    bottom = stop.top if stop is not None else page.height
    region = [ln for ln in lines if ln.x0 > label.x1 + 5 and label.top - 40 <= ln.top < bottom - 2
              and not _is_composante(ln)]
    return [g for part, right in _split_by_boxes(page, region)
            for g in titled_groups(parse_entries(part, right_edge=right))]


def detail_composantes(doc: Document, page: PageLayout) -> list[Entry]:
    lines = doc.content_lines(page, split_gap=1.2)
    label = _label(lines, ("situations", "professionnelles"))
    limit = label.top - 20 if label else page.height
    comps = [ln for ln in lines if _is_composante(ln) and ln.top < limit]
    if not comps:
        return []
    x = min(ln.x0 for ln in comps) - 2
    return [e for e in composante_entries([ln for ln in lines if ln.x0 >= x and ln.top < limit]) if e.text]


def pathways(doc: Document) -> list[tuple[str, str, list[Line]]]:
    found: dict[str, tuple[str, str, list[Line]]] = {}
    for page in doc.pages:
        lines = doc.content_lines(page)
        for k, ln in enumerate(lines):
            if not PATHWAY.match(ln.text) or len(ln.text.split()) > 7:
                continue
            rest: list[Line] = []
            for nxt in lines[k + 1 :]:
                if PATHWAY.match(nxt.text) or nxt.size >= ln.size - 0.5:
                    break
                rest.append(nxt)
            key = _norm(ln.text)
            text = "\n".join(e.text for e in parse_entries(rest)) if rest else ""
            if key not in found:
                found[key] = (ln.text, text, [ln, *rest])
            else:
                title, old_text, old_lines = found[key]
                found[key] = (title, old_text or text, old_lines + [ln, *rest])
    return list(found.values())


def certification_title(doc: Document) -> str | None:
    for page in doc.pages[:3]:
        for ln in doc.content_lines(page):
            if re.search(r"\bB\.?U\.?T\.?\s", ln.text) and len(ln.text.split()) <= 8:
                return re.sub(r"^.*?(B\.?U\.?T\.?)", r"\1", ln.text).strip()
    return None


def _ac_item_text(g: Group) -> tuple[str | None, str, list[Item], str | None]:
    """(title, text, items, printed AC code) of one apprentissage critique."""
    if g.title is None:
        e = g.entries[0]
        m = AC_CODE.match(e.text)
        return None, (m.group(2) if m else e.text), [], (m.group(1).replace(" ", "") if m else None)
    text = "\n".join(e.text for e in g.entries if e.text)
    m = AC_CODE.match(g.title)
    title = m.group(2) if m else g.title
    return title, text, build_items(g.entries), (m.group(1).replace(" ", "") if m else None)


def extract(doc: Document) -> FamilyResult:
    title = certification_title(doc)
    spec = re.sub(r"^B\.?U\.?T\.?\s*", "", title or "").strip()
    b = RecordBuilder(f"but:{slugify(spec) if spec else slugify(doc.path.stem)}", extractor="but")
    cert = Certification(title=title)
    ov = overview(doc)
    if ov is None:
        residual_blocks(doc, b)
        b.warn("no_overview", "no page lists the compétences with their composantes ('en …')")
        return FamilyResult(b.doc_key, cert, b)
    ov_page, comps = ov
    texts = {p.number: column_texts(doc, p) for p in doc.pages}

    details = detail_pages(doc, comps, {ov_page}, texts)
    detail_owner = {p.number: name for name, ps in details.items() for p in ps}

    def pages_of(text: str, *known: int, owner: str | None = None) -> list[int]:
        """Pages printing this text: overview pages, and the detail pages of its own compétence
        (a libellé like "Novice" is printed on every compétence's page)."""
        t = _norm(text)
        found = {p for p, cols in texts.items() if t and any(t in c for c in cols)
                 and detail_owner.get(p, owner) == owner}
        return sorted(found | set(known))

    # Top-level print order: pathways and compétences by the page they first appear on.
    paths = pathways(doc)
    top: list[tuple[int, float, str, object]] = []
    for p in paths:
        top.append((p[2][0].page, p[2][0].top, "pathway", p))
    for c in comps:
        top.append((c.page, c.lines[0].top, "competence", c))
    top.sort(key=lambda t: (t[0], t[1]))
    comp_keys: list[str] = []
    path_keys: list[str] = []
    for _, _, kind, obj in top:
        if kind == "pathway":
            ptitle, ptext, plines = obj  # type: ignore[misc]
            path_keys.append(b.add("pathway", None, title=ptitle, text=ptext, lines=plines,
                                   pages=pages_of(ptitle)))
            continue
        c: Competence = obj  # type: ignore[assignment]
        pages = details.get(c.name, [])
        ck = b.add("competence", None, code=c.name, codes=[Code(value=c.name, scheme="but_competence")],
                   title=c.name, text=c.statement, lines=c.lines, pages=pages_of(c.statement, owner=c.name))
        comp_keys.append(ck)
        if not pages:
            b.warn("no_detail_page", f"no detail page found for compétence {c.name!r}", page=c.page)
            for e in c.composantes:
                b.add("competence_component", ck, text=e.text, lines=e.lines, pages=pages_of(e.text, owner=c.name))
            continue
        for e in detail_composantes(doc, pages[0]) or c.composantes:
            b.add("competence_component", ck, text=e.text, lines=e.lines, pages=pages_of(e.text, owner=c.name))
        for g in situations(doc, pages[0]):
            body = "\n".join(e.text for e in g.entries if e.text) if g.title else g.entries[0].text
            b.add("professional_situation", ck, title=g.title, text=body, lines=g.lines,
                  pages=pages_of(body, owner=c.name))
        previous: str | None = None
        for number, libelle, llines, groups in [lv for page in pages for lv in levels(doc, page)]:
            lk = b.add("level", ck, code=number, title=f"Niveau {number}", text=libelle, lines=llines,
                       pages=pages_of(libelle, llines[0].page, owner=c.name))
            for g in groups:
                gtitle, gtext, items, code = _ac_item_text(g)
                b.add("learning_outcome", lk, code=code, codes=[Code(value=code, scheme="ac")] if code else [],
                      title=gtitle, text=gtext, items=items, lines=g.lines)
            if previous is not None:
                b.relate("precedes", previous, lk)
            previous = lk
    if len(path_keys) == 1:
        # A référentiel printed for one parcours: that parcours includes every compétence.
        for ck in comp_keys:
            b.relate("includes", path_keys[0], ck)
    return FamilyResult(b.doc_key, cert, b)

