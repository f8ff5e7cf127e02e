"""BUT référentiels de compétences: designed brochures read from their shapes.

Two ways of printing a référentiel are read.

- Overview, then detail pages: one page lists the compétences, one row each (short name ·
  statement · composantes "en …"), columns separated by white gutters; each compétence then has
  a detail page (found by its statement) with its composantes, its situations professionnelles
  (right of that label), and its niveaux: "Niveau n" and a libellé in a left column, the
  apprentissages critiques in the boxes beside it.
- Title bars: each compétence opens with a bar "<label> <n> : <libellé>"; under it its
  description and composantes, a framed "Situations professionnelles" list, then its niveaux as a
  chain of arrows, each arrow holding a libellé beside a box of apprentissages critiques. Pages
  that follow, each headed by a parcours, repeat the compétences' bars with the niveaux that
  parcours reaches in a row of chevrons.

A text printed on several pages (overview + detail, niveau + parcours page) is one node with
all its pages. Pages that hold no part of the référentiel are named in one diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from extract.docmodel.columns import bands, columns
from extract.docmodel.labels import labelled_entries
from extract.docmodel.shapes import (TitleBar, beside, box_of_line, chains, column_labels, framed_groups, inside,
                                     pointing, title_bars, within)
from extract.docmodel.structure import Entry, build_items, parse_entries, split_marker
from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.layout import Box, Line, PageLayout
from extract.records import RecordBuilder
from extract.schema import Certification, Code, Item
from extract.text import join_wrapped, normalize_text, slugify

LEVEL = re.compile(r"^Niveau\s+(\d+)\s*$", re.I)
AC_CODE = re.compile(r"^(AC\s?\d{2,}\.\d{2})\s*[-–:]?\s*(.*)$")
PATHWAY = re.compile(r"^Parcours\s+\S")
# A title bar naming a numbered item: "Compétence 3 : Administrer des systèmes …".
NUMBERED_BAR = re.compile(r"^(\S+)\s+(\d+)\s*:\s*(\S.*)$")
# A section number printed before a heading ("B.2.1", "3.", "II.").
SECTION_NUMBER = re.compile(r"^(?:[A-Z]?\d*(?:\.\d+)+\.?|\d+\.?|[A-Z]\.|[IVX]+\.)\s+")
SPLIT_GAP = 1.2


def _norm(text: str) -> str:
    return normalize_text(text).lower()


def _is_composante(line: Line) -> bool:
    _, words = split_marker(line)
    return bool(words) and words[0].text == "en"


def _line_texts(words_per_line: list[list]) -> list[str]:
    return [Line(list(ws)).text for ws in words_per_line if ws]


class Reading:
    """The document's lines, read once, and the words it prints whole (for hyphenation)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._lines: dict[int, list[Line]] = {}

    def lines(self, page: PageLayout) -> list[Line]:
        if page.number not in self._lines:
            self._lines[page.number] = self.doc.content_lines(page, split_gap=SPLIT_GAP)
        return self._lines[page.number]

    def join(self, texts: list[str]) -> str:
        """One paragraph from its printed lines (join_wrapped undoes a typesetter's hyphens)."""
        return join_wrapped(texts)

    def entry_text(self, e: Entry) -> str:
        return self.join(_line_texts(e.words))


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


def column_texts(doc: Document, page: PageLayout) -> list[str]:
    """Each text column of each band, read top to bottom and normalized: where a node's text is
    looked up when deciding which pages print it."""
    lines = doc.content_lines(page, split_gap=SPLIT_GAP)
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
        lines = doc.content_lines(page, split_gap=SPLIT_GAP)
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
    """The line printing a label, on one line or with its second word on a line close below."""
    phrase = " ".join(words)
    for ln in lines:
        t = _norm(ln.text)
        if t.startswith(phrase):
            return ln
        if t.startswith(words[0]) and (len(words) == 1 or any(
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
            lines = doc.content_lines(page, split_gap=SPLIT_GAP)
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


def _framed_groups(page: PageLayout, lines: list[Line]) -> list[Group]:
    return [g for part, box in framed_groups(page, lines)
            for g in titled_groups(parse_entries(part, right_edge=box.x1 - 4.0 if box else None))]


def levels(doc: Document, page: PageLayout) -> list[tuple[str, str, list[Line], list[Group]]]:
    """(number, libellé, lines, apprentissages critiques) for each "Niveau n" of a detail page."""
    lines = doc.content_lines(page, split_gap=SPLIT_GAP)
    marks = [ln for ln in lines if LEVEL.match(ln.text)]
    if not marks:
        return []
    left_edge = max(ln.x1 for ln in marks) + 10
    right = [ln for ln in lines if ln.x0 > left_edge and ln.top >= min(m.top for m in marks) - 20]
    ac_x = min((ln.x0 for ln in right), default=page.width) - 2
    out = []
    shapes = [box_of_line(page, mark) for mark in marks]
    tops = [shape.top - 1 if shape else mark.top - 5 for shape, mark in zip(shapes, marks)]
    for k, (mark, shape) in enumerate(zip(marks, shapes)):
        # Level shapes may overlap (chevrons): a level's band stops where the next one starts.
        nxt = tops[k + 1] if k + 1 < len(marks) else page.height
        top = tops[k]
        bottom = min(shape.bottom + 1, nxt) if shape else nxt
        libelle = [ln for ln in lines if ln.x1 <= ac_x and mark.bottom <= ln.top < min(bottom, nxt) and ln is not mark]
        ac_lines = [ln for ln in lines if ln.x0 >= ac_x and top <= (ln.top + ln.bottom) / 2 < bottom]
        out.append((LEVEL.match(mark.text).group(1), join_wrapped([ln.text for ln in libelle]),  # type: ignore[union-attr]
                    [mark, *libelle], _framed_groups(page, ac_lines)))
    return out


def situations(doc: Document, page: PageLayout) -> list[Group]:
    lines = doc.content_lines(page, split_gap=SPLIT_GAP)
    label = _label(lines, ("situations", "professionnelles"))
    if label is None:
        return []
    stop = _label(lines, ("niveaux",)) or _label(lines, ("apprentissages",))
    bottom = stop.top if stop is not None else page.height
    region = [ln for ln in lines if ln.x0 > label.x1 + 5 and label.top - 40 <= ln.top < bottom - 2
              and not _is_composante(ln)]
    return _framed_groups(page, region)


def detail_composantes(doc: Document, page: PageLayout) -> list[Entry]:
    lines = doc.content_lines(page, split_gap=SPLIT_GAP)
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


_BUT = re.compile(r"^[«\"“\s]*(?:B\.U\.T\.|Bachelor\s+Universitaire\s+de\s+Technologie)[»\"”\s]*(.*)$", re.I)


def certification_title(doc: Document) -> str | None:
    """"B.U.T. <spécialité>" from a line of the first pages opening with "B.U.T." (or "Bachelor
    Universitaire de Technologie"), the spécialité after it or, when nothing follows it, on the
    next line (a cover printing the spécialité in capitals under the degree's name)."""
    for page in doc.pages[:3]:
        lines = doc.content_lines(page)
        for k, ln in enumerate(lines):
            m = _BUT.match(ln.text)
            if not m or len(ln.text.split()) > 8:
                continue
            spec = m.group(1).strip(" «»\"“”")
            if not spec and k + 1 < len(lines) and len(lines[k + 1].text.split()) <= 6 and (
                    lines[k + 1].bold or lines[k + 1].size >= ln.size):
                spec = lines[k + 1].text.strip(" «»\"“”")
            if spec:
                return "B.U.T. " + (spec.capitalize() if spec.isupper() else spec)
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


def _pathway_name(title: str) -> str:
    """The parcours' own name: after "Parcours", inside its quotes when it has them."""
    rest = re.sub(r"^Parcours\s+", "", title)
    quoted = re.search(r"«\s*(.+?)\s*»", rest)
    return quoted.group(1) if quoted else rest


def _ranges(pages: list[int]) -> str:
    out: list[str] = []
    for p in pages:
        if out and int(out[-1].split("-")[-1]) == p - 1:
            out[-1] = f"{out[-1].split('-')[0]}-{p}"
        else:
            out.append(str(p))
    return ", ".join(out)


# ----------------------------------------------------------------- title-bar template


@dataclass
class Part:
    """The stretch of one page that belongs to a section: between its bar and the next one."""

    page: PageLayout
    top: float
    bottom: float
    lines: list[Line]


@dataclass
class Section:
    number: str
    libelle: str
    bar: TitleBar
    parts: list[Part]

    @property
    def page(self) -> int:
        return self.parts[0].page.number


def _bars(reading: Reading, page: PageLayout) -> list[tuple[TitleBar, re.Match[str]]]:
    out = []
    for bar in title_bars(page, reading.lines(page)):
        m = NUMBERED_BAR.match(bar.text)
        if m:
            out.append((bar, m))
    return out


def _part(reading: Reading, page: PageLayout, top: float, bottom: float) -> Part:
    lines = [ln for ln in reading.lines(page) if top <= (ln.top + ln.bottom) / 2 < bottom]
    return Part(page, top, bottom, lines)


def _vertical_chains(page: PageLayout, top: float, bottom: float) -> list[list[Box]]:
    """Chains of arrows pointing down (or up) inside a stretch of the page, top to bottom."""
    out = []
    for chain in chains(within(page.boxes, top, bottom)):
        if any(pointing(b) in ("down", "up") for b in chain):
            out.append(chain)
    return sorted(out, key=lambda c: (min(b.top for b in c), c[0].x0))


def bar_sections(reading: Reading) -> list[Section]:
    """Each compétence section: a numbered title bar with composantes ("en …") and a chain of
    niveaux (arrows) under it, and the pages after it that go on with niveaux (no new bar)."""
    doc = reading.doc
    sections: list[Section] = []
    for page in doc.pages:
        bars = _bars(reading, page)
        for k, (bar, m) in enumerate(bars):
            bottom = bars[k + 1][0].box.top if k + 1 < len(bars) else page.height
            part = _part(reading, page, bar.box.bottom, bottom)
            # A bar that only repeats a compétence's name (tables, matrices) has no composantes
            # and no niveaux under it.
            if not any(_is_composante(ln) for ln in part.lines) or not _vertical_chains(page, part.top, part.bottom):
                continue
            sections.append(Section(m.group(2), m.group(3).strip(), bar, [part]))
        if not bars and sections and sections[-1].parts[-1].page.number == page.number - 1 and _vertical_chains(
                page, 0, page.height):
            sections[-1].parts.append(_part(reading, page, 0, page.height))
    return sections


@dataclass
class ParcoursPage:
    title: str
    heading: Line
    page: PageLayout
    reached: list[tuple[Section, list[Line], str]]  # compétence, cell lines, cell text
    text_lines: list[Line]
    other: list[Line]  # read as the table: bars, chevrons, column labels


def parcours_page(reading: Reading, page: PageLayout, by_libelle: dict[str, Section]) -> ParcoursPage | None:
    """A page headed by a parcours repeating compétence bars, each over a row of chevrons naming
    the niveaux the parcours reaches; None when the page is not one."""
    lines = reading.lines(page)
    bars = [(bar, m) for bar, m in _bars(reading, page) if _norm(m.group(3)) in by_libelle]
    if not bars:
        return None
    first = bars[0][0]
    above = [ln for ln in lines if ln.bottom <= first.box.top + 1]
    heading = max(above, key=lambda ln: ln.top, default=None)
    if heading is None:
        return None
    title = SECTION_NUMBER.sub("", heading.text, count=1)
    if not PATHWAY.match(title):
        return None
    reached: list[tuple[Section, list[Line], str]] = []
    used = {id(w) for bar, _ in bars for w in bar.line.words}
    all_cells: list[Box] = []
    table_bottom = first.box.bottom
    for k, (bar, m) in enumerate(bars):
        bottom = bars[k + 1][0].box.top if k + 1 < len(bars) else page.height
        region = [ln for ln in lines if bar.box.bottom <= (ln.top + ln.bottom) / 2 < bottom]
        under = within(page.boxes, bar.box.bottom, bottom)
        rows = [c for c in chains(under) if any(pointing(b) in ("right", "left") for b in c)]
        # A parcours reaching one niveau only shows a single box, not a row of chevrons.
        cells = rows[0] if rows else [b for b in under if b.filled and inside(b, region)][:1]
        if not cells:
            continue
        all_cells += cells
        table_bottom = max(table_bottom, max(c.bottom for c in cells))
        for cell in cells:
            held = sorted(inside(cell, region), key=lambda ln: (round(ln.top), ln.x0))
            used.update(id(w) for ln in held for w in ln.words)
            reached.append((by_libelle[_norm(m.group(3))], held, _norm(" ".join(ln.text for ln in held))))
    if not reached:
        return None
    rest = [ln for ln in lines if ln.top >= table_bottom - 1 and not all(id(w) in used for w in ln.words)]
    labels = column_labels(rest, all_cells)
    text_lines = [ln for ln in rest if ln not in labels]
    other = [bar.line for bar, _ in bars] + labels + [ln for _, held, _ in reached for ln in held]
    return ParcoursPage(title, heading, page, reached, text_lines, other)


def parcours_pages(reading: Reading, sections: list[Section]) -> list[ParcoursPage]:
    """The parcours pages that follow the compétence sections, up to the first page that is not one."""
    by_libelle = {_norm(s.libelle): s for s in sections}
    last = max(p.page.number for s in sections for p in s.parts)
    out: list[ParcoursPage] = []
    for page in reading.doc.pages[last:]:
        pp = parcours_page(reading, page, by_libelle)
        if pp is None:
            break
        out.append(pp)
    return out


def _level_named(libelles: list[str], cell_text: str) -> int | None:
    """Which niveau a chevron names: the longest libellé its text holds."""
    found = [k for k, t in enumerate(libelles) if t and _norm(t) in cell_text]
    return max(found, key=lambda k: len(libelles[k])) if found else None


def read_bar_framework(reading: Reading, sections: list[Section], parcours: list[ParcoursPage],
                       b: RecordBuilder) -> set[int]:
    """Nodes of a référentiel printed with title bars; returns the pages read."""
    doc = reading.doc
    used: set[int] = set()  # ids of the words read into nodes or as structure

    def use(lines: list[Line]) -> list[Line]:
        used.update(id(w) for ln in lines for w in ln.words)
        return lines

    top: list[tuple[int, float, object]] = [(s.page, s.bar.box.top, s) for s in sections]
    top += [(pp.page.number, pp.heading.top, pp) for pp in parcours]
    top.sort(key=lambda t: (t[0], t[1]))
    path_key: dict[int, str] = {}
    levels_of: dict[int, list[str]] = {}
    notes: dict[str, str] = {}
    for _, _, obj in top:
        if isinstance(obj, ParcoursPage):
            use([obj.heading, *obj.other, *obj.text_lines])
            text = "\n".join(reading.entry_text(e) for e in parse_entries(obj.text_lines)) if obj.text_lines else ""
            path_key[id(obj)] = b.add("pathway", None, title=obj.title, text=text, lines=[obj.heading, *obj.text_lines])
        else:
            cells = [(pp.page.number, text) for pp in parcours for sec, _, text in pp.reached if sec is obj]
            levels_of[id(obj)] = _read_section(reading, obj, cells, b, use, notes)
    for pp in parcours:
        for sec, _, cell_text in pp.reached:
            keys = levels_of.get(id(sec), [])
            k = _level_named([b.node(lk)["text"] for lk in keys], cell_text)
            if k is None:
                b.warn("unknown_level", f"a chevron under {sec.libelle!r} names no niveau of that compétence: "
                       f"{cell_text[:80]!r}", page=pp.page.number)
            else:
                b.relate("includes", path_key[id(pp)], keys[k])
    _check_notes(parcours, path_key, notes, b)

    # What the référentiel's pages print beyond its nodes is kept, not dropped.
    read_pages = {p.page.number for s in sections for p in s.parts} | {pp.page.number for pp in parcours}
    leftovers = [ln for n in sorted(read_pages) for ln in reading.lines(doc.pages[n - 1])
                 if not all(id(w) in used for w in ln.words)]
    for block in _blocks(leftovers):
        entries = parse_entries(block)
        text = "\n".join(reading.entry_text(e) for e in entries if e.text)
        if text:
            b.add("residual", None, text=text, items=build_items(entries), lines=block, confidence=0.0)
    return read_pages


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Leftover lines in blocks: a page change or a blank line starts a new one."""
    out: list[list[Line]] = []
    for ln in lines:
        if out and out[-1][-1].page == ln.page and ln.top - out[-1][-1].bottom < 0.8 * ln.size:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _read_section(reading: Reading, sec: Section, cells: list[tuple[int, str]], b: RecordBuilder,
                  use: Callable[[list[Line]], list[Line]], notes: dict[str, str]) -> list[str]:
    """One compétence's nodes; returns its niveaux' keys. `cells` are the (page, text) of the
    chevrons of parcours pages under its bar: a niveau they name is printed there too."""
    first = sec.parts[0]
    page = first.page
    # Niveaux in arrow order: down the page for arrows pointing down, up it for arrows pointing up.
    shapes = [(part, shape) for part in sec.parts for chain in _vertical_chains(part.page, part.top, part.bottom)
              for shape in chain]
    upper_bottom = min((s.top for p, s in shapes if p is first), default=first.bottom)
    upper = [ln for ln in first.lines if (ln.top + ln.bottom) / 2 < upper_bottom]
    use([sec.bar.line])

    # Situations professionnelles: the framed list holding that label.
    label = _label(upper, ("situations", "professionnelles"))
    situation_lines: list[Line] = []
    if label is not None:
        frame = box_of_line(page, label, max_share=0.7)
        if frame is not None:
            situation_lines = [ln for ln in inside(frame, upper) if ln is not label]
        else:
            b.warn("no_situation_frame", f"no frame around 'Situations professionnelles' of {sec.libelle!r}",
                   page=page.number)
        use([label])
    taken = {id(w) for ln in situation_lines for w in ln.words}
    left = [ln for ln in upper if ln is not label and not any(id(w) in taken for w in ln.words)]
    first_comp = next((k for k, ln in enumerate(left) if _is_composante(ln)), len(left))
    description, comp_lines = left[:first_comp], left[first_comp:]

    name = sec.libelle.split()[0]  # no short name printed: the libellé's verb names the compétence
    statement = "\n".join(t for t in (sec.libelle, reading.join([ln.text for ln in description])) if t)
    ck = b.add("competence", None, code=name, codes=[Code(value=name, scheme="but_competence")], title=name,
               text=statement, lines=[sec.bar.line, *use(description)])
    for e in composante_entries(use(comp_lines)):
        text = reading.entry_text(e)
        if text:
            b.add("competence_component", ck, text=text, lines=e.lines)
    for g in titled_groups(parse_entries(use(situation_lines), right_edge=None)):
        texts = [reading.entry_text(e) for e in g.entries if e.text]
        b.add("professional_situation", ck, title=g.title, text="\n".join(texts), lines=g.lines)

    if not shapes:
        b.warn("no_levels", f"no niveaux (arrows) found under compétence {sec.libelle!r}", page=page.number)
    read = []
    for part, shape in shapes:
        held = sorted(inside(shape, part.lines), key=lambda ln: (round(ln.top), ln.x0))
        use(held)
        mark = next((ln for ln in held if LEVEL.match(ln.text)), None)
        rest = [ln for ln in held if ln is not mark]
        # The libellé is the run of lines in the first style; a line set otherwise (italic under
        # bold) notes the parcours that reach the niveau.
        style = (rest[0].bold, rest[0].italic) if rest else (False, False)
        libelle = [ln for ln in rest if (ln.bold, ln.italic) == style]
        note = [ln for ln in rest if (ln.bold, ln.italic) != style]
        read.append((part, shape, mark, libelle, note, reading.join([ln.text for ln in libelle])))
    libelles = [r[5] for r in read]
    out: list[str] = []
    for k, (part, shape, mark, libelle, note, libelle_text) in enumerate(read):
        number = LEVEL.match(mark.text).group(1) if mark else None  # type: ignore[union-attr]
        also = [p for p, text in cells if _level_named(libelles, text) == k]
        lk = b.add("level", ck, code=number, title=f"Niveau {number}" if number else None, text=libelle_text,
                   lines=[*([mark] if mark else []), *libelle], pages=also)
        if note:
            notes[lk] = " ".join(ln.text for ln in note)
        box = beside(part.page.boxes, shape)
        if box is not None:
            ac_lines = inside(box, part.lines)
        else:
            ac_lines = [ln for ln in part.lines
                        if ln.x0 >= shape.x1 - 2 and shape.top <= (ln.top + ln.bottom) / 2 < shape.bottom]
        ac_lines = sorted(use(ac_lines), key=lambda ln: (round(ln.top), ln.x0))
        _add_outcomes(reading, ac_lines, lk, b, box)
        if out:
            b.relate("precedes", out[-1], lk)
        out.append(lk)
    return out


def _add_outcomes(reading: Reading, lines: list[Line], lk: str, b: RecordBuilder, box: Box | None) -> None:
    """The apprentissages critiques beside a niveau: a list labelled by printed codes ("AC 1"),
    else titled groups or one per entry."""
    labelled = labelled_entries(lines)
    if labelled is not None:
        for e in labelled:
            code = e.label
            b.add("learning_outcome", lk, code=code, codes=[Code(value=code, scheme="ac")], title=None,
                  text=reading.join(e.texts), lines=e.lines)
        return
    for g in titled_groups(parse_entries(lines, right_edge=box.x1 - 4.0 if box else None)):
        gtitle, gtext, items, code = _ac_item_text(g)
        b.add("learning_outcome", lk, code=code, codes=[Code(value=code, scheme="ac")] if code else [],
              title=gtitle, text=gtext, items=items, lines=g.lines)


def _check_notes(parcours: list[ParcoursPage], path_key: dict[int, str], notes: dict[str, str],
                 b: RecordBuilder) -> None:
    """A niveau's note naming parcours by letter ("A, B et D") must agree with the parcours pages."""
    letter = {}
    for pp in parcours:
        m = re.match(r"^Parcours\s+([A-Z])\b", pp.title)
        if m:
            letter[path_key[id(pp)]] = m.group(1)
    if not letter:
        return
    reached: dict[str, set[str]] = {}
    for r in b.relations:
        if r.type == "includes" and r.origin_key in letter:
            reached.setdefault(r.dest_key, set()).add(letter[r.origin_key])
    for lk, note in notes.items():
        named = set(re.findall(r"\b([A-Z])\b", note))
        if named and named != reached.get(lk, set()):
            b.warn("pathway_levels_disagree",
                   f"niveau {b.node(lk)['text'][:60]!r} notes parcours {sorted(named)} but the parcours "
                   f"pages show it in {sorted(reached.get(lk, set()))}", page=min(b.node(lk)["prov"].pages))


# ----------------------------------------------------------------- overview template


def read_overview_framework(doc: Document, ov_page: int, comps: list[Competence],
                            paths: list[tuple[str, str, list[Line]]], b: RecordBuilder) -> None:
    """Nodes of a référentiel printed as an overview page and detail pages."""
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


def extract(doc: Document) -> FamilyResult:
    title = certification_title(doc)
    spec = re.sub(r"^B\.?U\.?T\.?\s*", "", title or "").strip()
    doc_key = f"but:{slugify(spec) if spec else slugify(doc.path.stem)}"
    cert = Certification(title=title)
    reading = Reading(doc)
    sections = bar_sections(reading)
    parcours = parcours_pages(reading, sections) if sections else []
    ov = None if sections else overview(doc)
    paths = pathways(doc) if ov is not None else []
    names = [pp.title for pp in parcours] if sections else [p[0] for p in paths]
    if len(names) == 1:
        # A référentiel printed for one parcours is keyed by it too (SCHEMA.md section 3).
        doc_key += "@" + slugify(_pathway_name(names[0]))
    b = RecordBuilder(doc_key, extractor="but")
    if sections:
        read_pages = read_bar_framework(reading, sections, parcours, b)
    elif ov is not None:
        read_overview_framework(doc, ov[0], ov[1], paths, b)
        read_pages = {p for n in b.nodes for p in n["prov"].pages}
    else:
        n = residual_blocks(doc, b)
        b.warn("no_competence_framework",
               "no référentiel de compétences found: no compétence title bar over its composantes "
               f"('en …') and no page listing the compétences with their composantes; {n} block(s) "
               "kept as residual nodes")
        return FamilyResult(b.doc_key, cert, b)
    unread = [p.number for p in doc.pages if p.number not in read_pages and p.content_words()]
    if unread:
        b.info("pages_not_read", f"page(s) {_ranges(unread)} ({len(unread)} of {doc.page_count}) hold no part "
               "of the référentiel de compétences and were not read")
    return FamilyResult(b.doc_key, cert, b)
