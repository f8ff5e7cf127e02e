"""RNCP référentiels: the 4-column grid (activités · compétences · modalités · critères).

Reading order of the work:
1. each page's ruled grid (extract.docmodel.grid); the header row names the columns (ACTIVITÉS,
   COMPÉTENCES, MODALITÉS, CRITÈRES); pages without a header reuse the previous page's columns;
2. per column, cells across page breaks: the first cell of a continuation page continues the
   cell above when it is empty, starts in lower case, or (code columns) starts without a code;
3. blocs from what is printed: "BLOC n : titre" rows or lines, a bloc code atop the activity cell
   ("A1 Titre" followed by A1.1...), or else the introduction's list of blocs, the grid being cut
   at each new modality cell;
4. inside a bloc, cells in row-major order (a merged cell counted at its first row); criteria
   under the competence of their row when competences are one per row, else under the bloc.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.docmodel.grid import CellPart, PageGrid, find_grid
from extract.layout import Line
from extract.records import RecordBuilder
from extract.schema import Certification, Code, Item
from extract.docmodel.structure import Entry, build_items, parse_entries, split_marker
from extract.text import clean_line, join_wrapped, key_code, slugify

ROLES = ("activity", "competence", "modality", "criteria")
_ROLE_KEYS = {"activity": "ACTIVIT", "competence": "COMPETENCE", "modality": "MODALIT", "criteria": "CRITERE"}
PAGE_SPAN = 10000.0  # global vertical coordinate: page * PAGE_SPAN + y

BLOC_LINE = re.compile(
    r"^\s*BLOC\s*(?:DE\s+COMP[ÉE]TENCES?\s*)?(?:N\s*°\s*)?(\d+)\s*(?:[:/–—.-]\s*)?(.*)$", re.I
)
INTRO_BLOC = re.compile(
    r"Bloc\s+de\s+comp[ée]tences\s+n\s*°\s*(\d+)\s*,\s*comp[ée]tences\s+(C\.?\s*\d+)\s+[àa]\s+(C\.?\s*\d+)\s*:\s*(.+)",
    re.I,
)
ACTIVITY_CODE = re.compile(r"^(A\.?\d+(?:\.\d+)*\.?|\d+(?:\.\d+)*\.)(?=\s|$)\s*(?:[-–—:]\s*)?(.*)$")
COMPETENCE_CODE = re.compile(r"^(C[A-Z]?\.?\d+(?:\.\d+)*\.?)(?=\s|$)\s*(?:[-–—:]\s*)?(.*)$")
CHECK_MARKERS = frozenset("✓✔\uf0fc")
TERMINAL = (".", "!", "?", ";", "…")


def _fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c)).upper()


@dataclass
class Cell:
    role: str
    parts: list[CellPart]

    @property
    def lines(self) -> list[Line]:
        return [ln for p in self.parts for ln in p.lines]

    @property
    def start(self) -> float:
        p = self.parts[0]
        return p.page * PAGE_SPAN + p.top

    @property
    def end(self) -> float:
        p = self.parts[-1]
        return p.page * PAGE_SPAN + p.bottom

    @property
    def empty(self) -> bool:
        return not any(p.lines for p in self.parts)

    def overlap(self, other: Cell) -> float:
        return min(self.end, other.end) - max(self.start, other.start)


@dataclass
class BlocMark:
    pos: float
    code: str
    title: str
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------- grid reading


def _header(grid: PageGrid) -> tuple[dict[str, int], float] | None:
    """Column roles and the bottom of the header row, when this page prints the header."""
    found: dict[str, tuple[int, float]] = {}
    for w in grid.words:
        if not (grid.bounds[0] <= w.xc <= grid.bounds[-1]) or w.top < grid.top - 90 or w.top > grid.bottom:
            continue
        letters = [c for c in w.text if c.isalpha()]
        if len(letters) < 4 or not all(c.isupper() for c in letters):
            continue
        folded = _fold(w.text)
        for role, key in _ROLE_KEYS.items():
            if key in folded:
                col = grid.col_of(w.xc)
                if col is not None and (role not in found or w.top < found[role][1]):
                    found[role] = (col, w.bottom)
    if "modality" not in found or "criteria" not in found:
        return None
    roles = {r: c for r, (c, _) in found.items()}
    if len(set(roles.values())) != len(roles):
        return None
    lowest = max(b for _, b in found.values())
    col = roles["criteria"]
    below = [y for y in grid.rules[col] if y > lowest]
    # The header ends at the ruling under it; with no ruling close below, at its text.
    return roles, (min(below) if below and min(below) - lowest < 30 else lowest + 2)


@dataclass
class GridRun:
    """The grid of one page, with its column roles and where the data starts."""

    grid: PageGrid
    roles: dict[str, int]
    data_top: float
    has_header: bool
    header_text: dict[int, str] = field(default_factory=dict)  # column -> header cell text


def _header_text(grid: PageGrid, data_top: float) -> dict[int, str]:
    out = {}
    for col in range(grid.ncols):
        words = grid.words_in(grid.bounds[col], grid.top - 90, grid.bounds[col + 1], data_top)
        out[col] = _fold(" ".join(w.text for w in sorted(words, key=lambda w: (round(w.top), w.x0))))
    return out


def read_grids(doc: Document) -> list[GridRun]:
    runs: list[GridRun] = []
    previous: GridRun | None = None
    for page in doc.pages:
        grid = find_grid(page)
        if grid is None or grid.ncols < 3:
            previous = None if grid is None else previous
            continue
        head = _header(grid)
        if head is not None:
            roles, top = head
            run = GridRun(grid, roles, top, True, _header_text(grid, top))
        elif previous is not None and previous.grid.ncols == grid.ncols and all(
            abs(a - b) < 12 for a, b in zip(previous.grid.bounds, grid.bounds)
        ):
            run = GridRun(grid, previous.roles, grid.top, False, previous.header_text)
        else:
            continue
        runs.append(run)
        previous = run
    return runs


def _starts_lower(text: str) -> bool:
    t = text.lstrip("«\"'( ")
    return bool(t) and (t[0].islower() or t[0] in ",;:.)")


def _continues(role: str, part: CellPart, prev: Cell, coded: bool, anchor_continues: bool) -> bool:
    """Does the first cell of a page continue the column's last cell of the page before?"""
    if part.empty:
        return True
    first = part.lines[0].text
    if _starts_lower(first):
        return True
    if role in ("activity", "competence"):
        pattern = ACTIVITY_CODE if role == "activity" else COMPETENCE_CODE
        head = _strip_marker(part.lines[0])
        m = pattern.match(head)
        if m:
            # A list cell (several codes) goes on across the page with the next code of its series.
            prev_codes = [c for c in (_code_of(ln, pattern) for ln in prev.lines) if c]
            return len(prev_codes) >= 2 and _series(prev_codes[-1]) == _series(m.group(1))
        if role == "activity":
            return not part.lines[0].bold
        if coded:
            return True
        return not prev.lines or not prev.lines[-1].text.endswith(TERMINAL)
    # Evaluation columns: the row goes on, or a list goes on (a ✓ heading opens a new group).
    marker, _ = split_marker(part.lines[0])
    return anchor_continues or (marker is not None and marker not in CHECK_MARKERS)


def _code_of(line: Line, pattern: re.Pattern[str]) -> str | None:
    m = pattern.match(_strip_marker(line))
    return m.group(1) if m else None


def _series(code: str) -> str:
    """'CA5.7' -> 'CA5': codes of one list share their prefix up to the last number."""
    return re.sub(r"[.\s]*\d+\.?$", "", code.rstrip("."))


def _strip_marker(line: Line) -> str:
    _, words = split_marker(line)
    return Line(words).text if words else ""


def collect_cells(runs: list[GridRun], bloc_starts: set[int] = frozenset()) -> dict[str, list[Cell]]:
    """Cells of each column across pages; no cell continues onto a page in `bloc_starts`."""
    columns: dict[str, list[Cell]] = {r: [] for r in ROLES}
    coded = any(
        COMPETENCE_CODE.match(_strip_marker(ln))
        for run in runs
        if "competence" in run.roles
        for part in run.grid.cells(run.roles["competence"], run.data_top)
        for ln in part.lines
    )
    prev_page: int | None = None
    for run in runs:
        continuing = (prev_page is not None and run.grid.page == prev_page + 1
                      and run.grid.page not in bloc_starts)
        # A header row repeated inside the grid is furniture: its cells repeat the header's text.
        parts = {
            r: [p for p in run.grid.cells(c, run.data_top)
                if not (p.lines and _fold(" ".join(ln.text for ln in p.lines)) == run.header_text.get(c))]
            for r, c in run.roles.items()
        }
        anchor_continues = False
        order = ["activity", "competence", "modality", "criteria"]
        for role in order:
            if role not in parts:
                continue
            cells = parts[role]
            for i, part in enumerate(cells):
                column = columns[role]
                first = i == 0 and continuing and column and abs(part.top - run.data_top) < 3
                if first and _continues(role, part, column[-1], coded, anchor_continues):
                    column[-1].parts.append(part)
                    if role == "competence":
                        anchor_continues = True
                    continue
                if not part.empty:
                    column.append(Cell(role, [part]))
        prev_page = run.grid.page
    return columns


# ---------------------------------------------------------------- blocs


def _page_of(pos: float) -> int:
    return int(pos // PAGE_SPAN)


def _heads_page(mark: BlocMark, runs: list[GridRun]) -> bool:
    """A bloc heading printed above the first data row of its page starts that page afresh."""
    run = next((r for r in runs if r.grid.page == _page_of(mark.pos)), None)
    return run is not None and mark.pos - _page_of(mark.pos) * PAGE_SPAN <= run.data_top + 20


def bloc_marks(doc: Document, runs: list[GridRun], columns: dict[str, list[Cell]]) -> list[BlocMark]:
    marks = _heading_marks(doc, runs)
    if marks:
        return marks
    # A bloc code atop the activity cell: "A1 Titre" above "A1.1 ...".
    for cell in columns["activity"]:
        entries = parse_entries(cell.lines)
        if len(entries) < 2:
            continue
        m = re.match(r"^(A\d+)\s+(.+)$", entries[0].text)
        if m and any(e.text.startswith(m.group(1) + ".") for e in entries[1:]):
            marks.append(BlocMark(cell.start, m.group(1), m.group(2), entries[0].lines))
    return marks


def _heading_marks(doc: Document, runs: list[GridRun]) -> list[BlocMark]:
    marks: list[BlocMark] = []
    grid_pages = {r.grid.page: r for r in runs}
    # "BLOC n : titre" as a full-width row of the grid, or as a line outside it.
    for page in doc.pages:
        run = grid_pages.get(page.number)
        for ln in _block_lines(doc, page, run):
            m = BLOC_LINE.match(ln[0].text)
            if m and m.group(2).strip():
                title = join_wrapped([m.group(2)] + [x.text for x in ln[1:]])
                marks.append(BlocMark(page.number * PAGE_SPAN + ln[0].top, m.group(1), title.strip(), ln))
    return marks


def _block_lines(doc: Document, page, run: GridRun | None) -> list[list[Line]]:
    """Candidate bloc title lines: full-width rows of the grid and lines outside any grid."""
    out: list[list[Line]] = []
    if run is not None:
        for top, bottom in run.grid.full_rows:
            lines = run.grid.full_row_lines(top, bottom)
            if lines:
                out.append(lines)
    lines = doc.content_lines(page)
    if run is not None:
        g = run.grid
        lines = [ln for ln in lines if not (g.top - 2 <= ln.top <= g.bottom and g.bounds[0] - 2 <= ln.x0 <= g.bounds[-1])]
    blocks: list[list[Line]] = []
    for ln in lines:
        if BLOC_LINE.match(ln.text) and ln.bold:
            blocks.append([ln])
        elif blocks and blocks[-1][-1].bold and ln.bold and 0 < ln.top - blocks[-1][-1].bottom < ln.size:
            blocks[-1].append(ln)
    return out + blocks


@dataclass
class IntroBloc:
    number: str
    first: str
    last: str
    title: str
    lines: list[Line]


def intro_blocs(doc: Document, before: float) -> list[IntroBloc]:
    """The introduction's "Bloc de compétences n° 1, compétences C.1 à C.7 : Titre" list."""
    found: list[IntroBloc] = []
    for page in doc.pages:
        if page.number * PAGE_SPAN > before:
            break
        lines = [ln for ln in doc.content_lines(page) if page.number * PAGE_SPAN + ln.top < before]
        entries = parse_entries(lines)
        for e in entries:
            m = INTRO_BLOC.search(e.text)
            if m:
                found.append(IntroBloc(m.group(1), m.group(2), m.group(3), m.group(4).strip(), e.lines))
    return found


# ---------------------------------------------------------------- cell contents


@dataclass
class Parsed:
    code: str | None
    title: str | None
    text: str
    items: list[Item]
    lines: list[Line]


def _entry_lines(entries: list[Entry]) -> list[Line]:
    return [ln for e in entries for ln in e.lines]


def _rest_after_code(entry: Entry, pattern: re.Pattern[str]) -> tuple[str, str]:
    m = pattern.match(entry.text)
    assert m
    return key_code(m.group(1)), m.group(2).strip()


def parse_activities(cell: Cell, bloc_code: str | None) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    if bloc_code and entries and re.match(rf"^{re.escape(bloc_code)}\s", entries[0].text):
        entries = entries[1:]
    groups: list[list[Entry]] = []
    for e in entries:
        head = e.kind == "para" and ACTIVITY_CODE.match(e.text)
        if head and (e.bold or not e.text[0].isdigit() or groups == []):
            groups.append([e])
        elif groups:
            groups[-1].append(e)
        else:
            groups.append([e])
    out = []
    for g in groups:
        head, rest = g[0], g[1:]
        code = None
        title: str | None = None
        if head.kind == "para" and ACTIVITY_CODE.match(head.text):
            code, title = _rest_after_code(head, ACTIVITY_CODE)
            title = title or None
        else:
            rest = g
        lines = [e.text for e in rest]
        text = "\n".join(([title] if title else []) + lines)
        out.append(Parsed(code, title, text, build_items(rest), _entry_lines(g)))
    return out


def parse_competences(cell: Cell, coded: bool) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    if not coded:
        text = "\n".join(e.text for e in entries)
        return [Parsed(None, text, text, [], cell.lines)]
    out: list[Parsed] = []
    current: list[Entry] = []
    for e in entries:
        if COMPETENCE_CODE.match(e.text):
            if current:
                out.append(_competence(current))
            current = [e]
        elif current:
            current.append(e)
        else:
            current = [e]
    if current:
        out.append(_competence(current))
    return out


def _competence(entries: list[Entry]) -> Parsed:
    head = entries[0]
    m = COMPETENCE_CODE.match(head.text)
    parts: list[str] = []
    code = None
    if m:
        code = key_code(m.group(1))
        if m.group(2).strip():
            parts.append(m.group(2).strip())
    else:
        parts.append(head.text)
    parts += [e.text for e in entries[1:]]
    text = "\n".join(parts)
    return Parsed(code, text, text, [], _entry_lines(entries))


_ENUM_HEADING = re.compile(r"^[A-Z]\.\s")


def parse_modalities(cell: Cell) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    paras = [i for i, e in enumerate(entries) if e.kind == "para"]
    underlined = [i for i in paras if entries[i].underlined]
    bold = [i for i in paras if entries[i].bold]
    heads: list[int]
    if underlined:
        heads = underlined
    elif bold:
        enum = [i for i in bold if _ENUM_HEADING.match(entries[i].text)]
        if enum:
            heads = enum
        elif len(bold) == 1 and bold[0] == 0 and len(entries) > 1:
            heads = bold
        else:
            heads = []  # several bold labels ("Type d'évaluation :"): fields, not modality names
    elif (
        len(entries) > 1
        and entries[0].kind == "para"
        and len(entries[0].text.split()) <= 6
        and not entries[0].text.endswith(TERMINAL)
    ):
        heads = [0]
    else:
        heads = []
    if not heads:
        return [_modality(entries, None)]
    out = []
    starts = list(heads)
    # Bold labels right above a heading ("OPTION : ...") belong to that heading's modality.
    for k, h in enumerate(starts):
        j = h
        while j - 1 >= 0 and entries[j - 1].kind == "para" and entries[j - 1].bold and (k == 0 or j - 1 > starts[k - 1]):
            j -= 1
        starts[k] = j
    if starts[0] > 0:  # text above the first heading stays with it
        starts[0] = 0
    bounds = starts + [len(entries)]
    for k, h in enumerate(heads):
        chunk = entries[bounds[k] : bounds[k + 1]]
        out.append(_modality(chunk, entries[h].text))
    return out


def _modality(entries: list[Entry], title: str | None) -> Parsed:
    text = "\n".join(e.text for e in entries)
    items = build_items([e for e in entries])
    return Parsed(None, title, text, items, _entry_lines(entries))


def parse_criteria(cell: Cell) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    groups: list[tuple[str | None, list[Entry]]] = []
    for e in entries:
        if e.kind == "item" and e.marker in CHECK_MARKERS and e.depth == 0:
            groups.append((e.text, [e]))
        elif e.kind == "para" and (not groups or e.gap_before or re.match(r"^Les? candidats?\b", e.text)):
            groups.append((e.text, [e]))
        elif groups:
            groups[-1][1].append(e)
        else:
            groups.append((None, [e]))
    out = []
    for title, members in groups:
        head = members[0]
        body = members[1:] if title is not None else members
        if head.kind == "item" and head.marker in CHECK_MARKERS:
            items = build_items([_shallower(e) for e in body])
        else:
            items = build_items(body)
        text = "\n".join(([title] if title else []) + [e.text for e in body])
        out.append(Parsed(None, title, text, items, _entry_lines(members)))
    return out


def _shallower(e: Entry) -> Entry:
    return Entry(e.kind, e.lines, e.marker, max(0, e.depth - 1), e.text_x0, e.words, e.gap_before)


# ---------------------------------------------------------------- certification


def certification(doc: Document) -> Certification:
    first = doc.pages[0]
    lines = doc.content_lines(first)
    heads = [ln for ln in lines if ln.bold and ln.size >= 11] or lines[:3]
    joined = join_wrapped([ln.text for ln in heads[:4]])
    title = level = certifier = None
    m = re.search(r"Titre de (.+?)\s+[–—-]\s+(niveau\s+\d+)\s+[–—-]\s+(.+)$", joined, re.I)
    if m:
        title, level, certifier = m.group(1).strip(), m.group(2), m.group(3).strip()
    if title is None:
        text = " ".join(ln.text for ln in lines[:40])
        for pat in (
            r"Certification\s+«\s*(.+?)\s*»",
            r"R[ÉE]F[ÉE]RENTIELS?\s+(?:DE\s+(?:LA\s+)?CERTIFICATION\s+)?(.+?)$",
            r"La certification\s+(.+?)\s+est compos[ée]e",
        ):
            src = joined if pat.startswith("R") else text
            m = re.search(pat, src, re.I if not pat.startswith("R") else 0)
            if m:
                title = clean_line(m.group(1))
                break
    return Certification(title=title, level=level, certifier=certifier)


def doc_key_for(doc: Document, title: str | None) -> str:
    m = re.search(r"\bRNCP\s*(\d{4,6})\b", doc.text(max_pages=3))
    if m:
        return f"rncp:RNCP{m.group(1)}"
    return f"rncp:{slugify(title or doc.path.stem)}"


# ---------------------------------------------------------------- assembly


def extract(doc: Document) -> FamilyResult:
    cert = certification(doc)
    builder = RecordBuilder(doc_key_for(doc, cert.title), extractor="rncp-grid")
    runs = read_grids(doc)
    if not runs:
        residual_blocks(doc, builder)
        builder.warn("no_grid", "no 4-column grid (activités · compétences · modalités · critères) was found")
        return FamilyResult(builder.doc_key, cert, builder)
    headed = _heading_marks(doc, runs)
    columns = collect_cells(runs, {_page_of(m.pos) for m in headed if _heads_page(m, runs)})
    coded = any(COMPETENCE_CODE.match(_strip_marker(ln)) for c in columns["competence"] for ln in c.lines)
    marks = bloc_marks(doc, runs, columns)
    grid_start = min(c.start for col in columns.values() for c in col) if any(columns.values()) else 0.0
    intro = intro_blocs(doc, min(r.grid.page * PAGE_SPAN + r.grid.top for r in runs))
    if not marks and intro:
        modal = columns["modality"]
        if len(modal) == len(intro):
            marks = [BlocMark(m.start - 0.5, b.number, b.title, b.lines) for m, b in zip(modal, intro)]
            # The first bloc starts with the grid, even if its modality cell starts lower.
            marks[0].pos = min(marks[0].pos, grid_start - 0.5)
        else:
            builder.warn(
                "bloc_split_unknown",
                f"the introduction lists {len(intro)} blocs but the grid has {len(modal)} modality cells",
            )
    if not marks:
        marks = [BlocMark(grid_start - 0.5, "1", "", [])]
        builder.warn("no_bloc_heading", "no bloc heading found: the whole grid is read as one bloc")
    marks.sort(key=lambda m: m.pos)
    # Cells before the first bloc mark belong to the first bloc.
    marks[0].pos = min(marks[0].pos, grid_start - 0.5)
    intro_by_number = {b.number: b for b in intro}
    for k, mark in enumerate(marks):
        end = marks[k + 1].pos if k + 1 < len(marks) else float("inf")
        cells = {r: [c for c in columns[r] if mark.pos <= c.start < end] for r in ROLES}
        _emit_bloc(builder, mark, cells, coded, intro_by_number.get(mark.code))
    _note_preamble_pages(doc, runs, builder)
    return FamilyResult(builder.doc_key, cert, builder)


def _emit_bloc(b: RecordBuilder, mark: BlocMark, cells: dict[str, list[Cell]], coded: bool,
               intro: IntroBloc | None) -> None:
    bloc_key = b.add("block", None, code=mark.code, codes=[Code(value=mark.code, scheme="bloc_label")],
                     title=mark.title or None, text=mark.title, lines=mark.lines,
                     pages=[] if mark.lines else [int(c.start // PAGE_SPAN) for c in cells["activity"][:1]])
    parsed_comp = {id(c): parse_competences(c, coded) for c in cells["competence"]}
    paired = all(len(v) <= 1 for v in parsed_comp.values())
    order = sorted((c for r in ROLES for c in cells[r]), key=lambda c: (round(c.start, 0), ROLES.index(c.role)))
    activity_keys: list[tuple[Cell, list[str]]] = []
    competence_keys: list[tuple[Cell, list[str]]] = []
    modality_keys: list[tuple[Cell, list[str]]] = []
    deferred: list[Cell] = []
    for cell in order:
        if cell.role == "activity":
            keys = []
            for a in parse_activities(cell, mark.code):
                keys.append(b.add("activity", bloc_key, code=a.code,
                                  codes=[Code(value=a.code, scheme="activity")] if a.code else [],
                                  title=a.title, text=a.text, items=a.items, lines=a.lines))
            activity_keys.append((cell, keys))
        elif cell.role == "competence":
            keys = []
            for comp in parsed_comp[id(cell)]:
                keys.append(b.add("competence", bloc_key, code=comp.code,
                                  codes=[Code(value=comp.code, scheme="competence")] if comp.code else [],
                                  title=comp.title, text=comp.text, lines=comp.lines))
            competence_keys.append((cell, keys))
        elif cell.role == "modality":
            keys = [b.add("assessment_modality", bloc_key, title=m.title, text=m.text, items=m.items, lines=m.lines)
                    for m in parse_modalities(cell)]
            modality_keys.append((cell, keys))
        elif paired:
            deferred.append(cell)
        else:
            for c in parse_criteria(cell):
                b.add("assessment_criterion", bloc_key, title=c.title, text=c.text, items=c.items,
                      lines=c.lines, criterion_kind="evaluation")
    all_comps = [k for _, ks in competence_keys for k in ks]
    for cell in deferred:
        best = max(competence_keys, key=lambda ck: ck[0].overlap(cell), default=None)
        parent = best[1][0] if best and best[0].overlap(cell) > 0 and best[1] else bloc_key
        for c in parse_criteria(cell):
            b.add("assessment_criterion", parent, title=c.title, text=c.text, items=c.items,
                  lines=c.lines, criterion_kind="evaluation")
    if paired:
        for ccell, ckeys in competence_keys:
            for acell, akeys in activity_keys:
                if akeys and acell.start - 1 <= ccell.start < acell.end - 1:
                    for k in ckeys:
                        b.relate("derived_from", k, akeys[-1])
                    break
    for mcell, mkeys in modality_keys:
        covered = [k for ccell, ks in competence_keys if ccell.overlap(mcell) > 2 for k in ks]
        targets = covered if paired and covered else all_comps
        for mk in mkeys:
            for ck in targets:
                b.relate("assesses", mk, ck)
    if intro is not None and not coded:
        _derive_codes(b, bloc_key, intro, all_comps)


def _derive_codes(b: RecordBuilder, bloc_key: str, intro: IntroBloc, comps: list[str]) -> None:
    def num(code: str) -> int:
        return int(re.sub(r"\D", "", code))

    first, last = num(intro.first), num(intro.last)
    prefix = re.match(r"C\.?\s*", intro.first).group(0).replace(" ", "")  # type: ignore[union-attr]
    if last - first + 1 == len(comps):
        for i, key in enumerate(comps):
            b.node(key)["codes"] = [Code(value=f"{prefix}{first + i}", scheme="derived")]
    else:
        b.warn(
            "announced_range_mismatch",
            f"bloc {intro.number}: the introduction announces {intro.first} à {intro.last} "
            f"({last - first + 1} competences) but the grid prints {len(comps)}: no code derived",
        )


def _note_preamble_pages(doc: Document, runs: list[GridRun], b: RecordBuilder) -> None:
    """Pages with text but no grid (preamble, épreuves) are not read into nodes: say so."""
    grid_pages = {r.grid.page for r in runs}
    skipped = 0
    for page in doc.pages:
        if page.number in grid_pages:
            continue
        if page.content_words():
            skipped += 1
    if skipped:
        b.info("preamble_pages", f"{skipped} page(s) without grid read as preamble (certification sections)")
