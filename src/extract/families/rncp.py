"""RNCP référentiels: grids of activités · compétences · modalités · critères, grouped in blocs.

Everything is read from the document model (extract.docmodel): its tables, their header rows
and their cells joined across page breaks. This module gives them meaning only:
1. column roles from the header words, in whatever order the template prints them; a table
   without a header takes the roles of the table it follows (same columns);
2. the document's code grammar per role (extract.docmodel.codes): what repeats at the starts of
   the cells of each column (`A1.1`, `CA1.1`, `C.12`, `C1.a`, `E1.`...);
3. blocs from whatever marks them: a merged full-width row or a heading line ("BLOC 2 : …", a
   code heading whose code prefixes the codes below it: "A1 - Titre" over `A1.1`), a first
   column headed "Bloc", a bloc code atop the activity cell, one table per bloc, or the
   introduction's list of blocs cut at each new modality cell;
4. inside a bloc, cells in row-major order, the family's column order within a row; criteria
   under the competence of their row when competences are one per row, else under the bloc.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.docmodel.codes import Grammar, candidate, infer_grammar
from extract.docmodel.model import DocModel
from extract.docmodel.structure import TERMINAL, Entry, after_marker, build_items, entry_openings, parse_entries, title_line
from extract.docmodel.tables import PAGE_SPAN, Table, TableCell, gpos
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.layout import Line
from extract.records import RecordBuilder
from extract.schema import Certification, Code, Item
from extract.text import clean_line, fold, join_wrapped, key_code, slugify

ROLES = ("activity", "competence", "modality", "criteria")
# Header words of each role, most specific first: a header cell naming two roles ("Critères
# d'évaluation des compétences") takes the first.
ROLE_WORDS = (
    ("criteria", ("CRITERE", "INDICATEUR")),
    ("modality", ("MODALITE", "EPREUVE", "SITUATION D'EVALUATION", "SITUATIONS D'EVALUATION")),
    ("competence", ("COMPETENCE", "SAVOIR-FAIRE")),
    ("activity", ("ACTIVITE", "TACHE")),
    ("bloc", ("BLOC",)),
)
BLOC_LINE = re.compile(
    r"^\s*BLOC\s*(?:DE\s+COMP[ÉE]TENCES?\s*)?(?:N\s*[°º]\s*)?(\d+)\s*(?:[:/–—.-]\s*)?(.*)$", re.I | re.S
)
INTRO_BLOC = re.compile(
    r"Bloc\s+de\s+comp[ée]tences\s+n\s*°\s*(\d+)\s*,\s*comp[ée]tences\s+(C\.?\s*\d+)\s+[àa]\s+(C\.?\s*\d+)\s*:\s*(.+)",
    re.I,
)
CHECK_MARKERS = frozenset("✓✔\uf0fc")
GLOSSARY_HEAD = re.compile(r"^(GLOSSAIRE|LEXIQUE)\b")


def _page_of(pos: float) -> int:
    return int(pos // PAGE_SPAN)


@dataclass
class Cell:
    """A table cell with its role in the référentiel."""

    role: str
    cell: TableCell
    table: int  # index of its table

    @property
    def lines(self) -> list[Line]:
        return self.cell.lines

    @property
    def start(self) -> float:
        return self.cell.start

    @property
    def end(self) -> float:
        return self.cell.end

    def overlap(self, other: Cell) -> float:
        return self.cell.overlap(other.cell) if self.table == other.table else -1.0


@dataclass
class BlocMark:
    pos: float
    code: str
    title: str
    lines: list[Line] = field(default_factory=list)


# ---------------------------------------------------------------- column roles


def _header_roles(t: Table) -> dict[str, int]:
    """Column roles from the header's title lines: the lowest title naming a role decides (a
    sub-header "MODALITÉS" under a spanning "RÉFÉRENTIEL D'ÉVALUATION")."""
    frag = next((f for f in t.fragments if any(f.header)), None)
    if frag is None:
        return {}
    b = frag.grid.bounds
    roles: dict[str, int] = {}
    for col in range(t.ncols):
        lines = [ln for ln in frag.header_lines if b[col] <= (ln.x0 + ln.x1) / 2 < b[col + 1]]
        titles = [ln for ln in lines if title_line(ln)] or lines
        for ln in sorted(titles, key=lambda ln: -ln.top):
            role = _role_of(ln.text)
            if role is not None:
                if role not in roles:
                    roles[role] = col
                break
    found = {r for r in roles if r in ROLES}
    return roles if len(found) >= 2 else {}


def _role_of(text: str) -> str | None:
    f = fold(text).replace("’", "'")
    for role, words in ROLE_WORDS:
        if any(w in f for w in words):
            return role
    return None


def role_tables(model: DocModel) -> list[tuple[Table, dict[str, int]]]:
    out: list[tuple[Table, dict[str, int]]] = []
    for t in model.tables:
        roles = _header_roles(t)
        if not roles and out:
            prev_t, prev_roles = out[-1]
            a, b = prev_t.fragments[-1].grid, t.fragments[0].grid
            if a.ncols == b.ncols and all(abs(x - y) < 12 for x, y in zip(a.bounds, b.bounds)):
                roles = prev_roles
        if roles:
            out.append((t, roles))
    return out


def role_cells(tables: list[tuple[Table, dict[str, int]]]) -> tuple[list[Cell], list[Cell]]:
    """The cells of each role, and the cells of a "Bloc" column."""
    cells: list[Cell] = []
    blocs: list[Cell] = []
    for k, (t, roles) in enumerate(tables):
        by_col = {c: r for r, c in roles.items()}
        for c in t.cells():
            role = by_col.get(c.col)
            if role == "bloc":
                blocs.append(Cell(role, c, k))
            elif role is not None:
                cells.append(Cell(role, c, k))
    cells.sort(key=lambda c: (round(c.start, 0), ROLES.index(c.role)))
    return cells, blocs


def grammars(cells: list[Cell]) -> dict[str, Grammar]:
    """Each role's code schemes: what opens its cells' paragraphs and list items in this document
    (a wrapped line that happens to start with a number opens nothing)."""
    openings: dict[str, list[str]] = {r: [] for r in ROLES}
    for c in cells:
        openings[c.role] += entry_openings(c.lines)
    return {r: infer_grammar(openings[r]) for r in ROLES}


# ---------------------------------------------------------------- blocs


def _bloc_line(lines: list[Line]) -> BlocMark | None:
    m = BLOC_LINE.match(lines[0].text)
    if m and m.group(2).strip():
        title = join_wrapped([m.group(2)] + [x.text for x in lines[1:]])
        return BlocMark(gpos(lines[0].page, lines[0].top), m.group(1), title.strip(), lines)
    return None


def _code_heading(lines: list[Line], series: set[str]) -> BlocMark | None:
    """A heading opened by a code that the codes below it extend ("A1 - Titre" over A1.1, A1.2),
    or by a registry bloc code ("RNCP37805BC01 - Titre")."""
    found = candidate(lines[0].text)
    if found is None:
        return None
    code, rest = found
    value = code.printed.rstrip(".")
    if not rest or not (value in series or "BC" in code.shape):
        return None
    title = join_wrapped([rest] + [x.text for x in lines[1:]])
    return BlocMark(gpos(lines[0].page, lines[0].top), value, title.strip(), lines)


def _heading_like(ln: Line, body: float) -> bool:
    return title_line(ln) or ln.size >= body + 1.0


def _body_size(model: DocModel) -> float:
    return model.body_size


def heading_marks(model: DocModel, tables: list[tuple[Table, dict[str, int]]], cells: list[Cell],
                  series: set[str]) -> list[BlocMark]:
    """Bloc marks printed as full-width rows of the grid or as heading lines outside it."""
    marks: list[BlocMark] = []
    for t, _ in tables:
        for row in t.full_rows:
            mark = _bloc_line(row.lines) or _code_heading(row.lines, series)
            if mark is None and row.text.strip():
                mark = BlocMark(row.start, "", row.text.strip(), row.lines)
            if mark is not None:
                marks.append(mark)
    body = _body_size(model)
    first = min((c.start for c in cells), default=0.0)
    last = max((c.end for c in cells), default=0.0)
    for page in model.pages:
        lines = model.lines_outside_tables(page)
        groups: list[list[Line]] = []
        for ln in lines:
            if not _heading_like(ln, body):
                continue
            if groups and groups[-1][-1].page == ln.page and -0.5 * ln.size < ln.top - groups[-1][-1].bottom < 0.8 * ln.size \
                    and _heading_like(groups[-1][-1], body) and abs(groups[-1][-1].size - ln.size) < 0.6:
                groups[-1].append(ln)
            else:
                groups.append([ln])
        for g in groups:
            pos = gpos(g[0].page, g[0].top)
            if pos > last:
                continue
            mark = _bloc_line(g) or _code_heading(g, series)
            if mark is not None and (pos >= first - 2 * PAGE_SPAN):
                marks.append(mark)
    return sorted(marks, key=lambda m: m.pos)


def column_marks(blocs: list[Cell]) -> list[BlocMark]:
    """A first column headed "Bloc": each of its cells opens a bloc."""
    out = []
    for c in blocs:
        text = join_wrapped([ln.text for ln in c.lines])
        m = BLOC_LINE.match(text)
        if m:
            out.append(BlocMark(c.start - 0.5, m.group(1), m.group(2).strip(), c.lines))
            continue
        found = candidate(text)
        if found is not None and found[1]:
            out.append(BlocMark(c.start - 0.5, found[0].printed.rstrip("."), found[1], c.lines))
        else:
            out.append(BlocMark(c.start - 0.5, "", text, c.lines))
    return out


def activity_code_marks(cells: list[Cell], grammar: Grammar) -> list[BlocMark]:
    """A bloc code atop the activity cell: "A1 Titre" above "A1.1 ...", "A1.2 ..."."""
    marks = []
    for cell in cells:
        if cell.role != "activity":
            continue
        entries = parse_entries(cell.lines)
        if len(entries) < 2:
            continue
        found = candidate(entries[0].text)
        if found is None or not found[1]:
            continue
        code = found[0].printed.rstrip(".")
        below = [grammar.match(e.text) for e in entries[1:]]
        if any(b is not None and b[0].series == code for b in below):
            marks.append(BlocMark(cell.start, code, found[1], entries[0].lines))
    return marks


@dataclass
class IntroBloc:
    number: str
    first: str
    last: str
    title: str
    lines: list[Line]


def intro_blocs(model: DocModel, before: float) -> list[IntroBloc]:
    """The introduction's "Bloc de compétences n° 1, compétences C.1 à C.7 : Titre" list."""
    found: list[IntroBloc] = []
    for page in model.pages:
        if page.number * PAGE_SPAN > before:
            break
        lines = [ln for ln in model.lines_outside_tables(page) if gpos(page.number, ln.top) < before]
        for e in parse_entries(lines):
            m = INTRO_BLOC.search(e.text)
            if m:
                found.append(IntroBloc(m.group(1), m.group(2), m.group(3), m.group(4).strip(), e.lines))
    return found


def _ordinal_marks(model: DocModel, tables: list[tuple[Table, dict[str, int]]]) -> list[BlocMark]:
    """One table per bloc: each table of the grid opens a bloc, titled by the heading above it."""
    if len(tables) < 2 or len({tuple(sorted(r.items())) for _, r in tables}) != 1:
        return []
    body = _body_size(model)
    marks = []
    for n, (t, _) in enumerate(tables, start=1):
        frag = t.fragments[0]
        page = next(p for p in model.pages if p.number == frag.page)
        above = [ln for ln in model.lines_outside_tables(page) if ln.bottom <= frag.grid.top + 1
                 and frag.grid.top - ln.bottom < 4 * ln.size and _heading_like(ln, body)]
        title = above[-1].text if above else ""
        marks.append(BlocMark(t.start - 0.5, str(n), title, above[-1:]))
    return marks


# ---------------------------------------------------------------- cell contents


def _as_printed(code: str) -> str:
    """A code's value as printed, its closing dot left out (`A1.1.` is `A1.1`); keys drop spaces."""
    return code.rstrip(".").strip()


@dataclass
class Parsed:
    code: str | None
    title: str | None
    text: str
    items: list[Item]
    lines: list[Line]
    names: list[str] = field(default_factory=list)  # codes of the competences a modality names


def _entry_lines(entries: list[Entry]) -> list[Line]:
    return [ln for e in entries for ln in e.lines]


def parse_activities(cell: Cell, bloc_code: str | None, grammar: Grammar) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    if bloc_code and entries and re.match(rf"^{re.escape(bloc_code)}\s", entries[0].text):
        entries = entries[1:]
    groups: list[list[Entry]] = []
    for e in entries:
        head = e.kind == "para" and grammar.match(e.text)
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
        found = grammar.match(head.text) if head.kind == "para" else None
        if found is not None:
            code, title = _as_printed(found[0].printed), found[1].strip() or None
        else:
            rest = g
        lines = [e.text for e in rest]
        text = "\n".join(([title] if title else []) + lines)
        out.append(Parsed(code, title, text, build_items(rest), _entry_lines(g)))
    return out


def parse_competences(cell: Cell, grammar: Grammar) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    if not grammar:
        text = "\n".join(e.text for e in entries)
        return [Parsed(None, text, text, [], cell.lines)]
    out: list[Parsed] = []
    current: list[Entry] = []
    for e in entries:
        if grammar.match(e.text):
            if current:
                out.append(_competence(current, grammar))
            current = [e]
        elif current:
            current.append(e)
        else:
            current = [e]
    if current:
        out.append(_competence(current, grammar))
    return out


def _competence(entries: list[Entry], grammar: Grammar) -> Parsed:
    head = entries[0]
    found = grammar.match(head.text)
    parts: list[str] = []
    code = None
    if found is not None:
        code = _as_printed(found[0].printed)
        if found[1].strip():
            parts.append(found[1].strip())
    else:
        parts.append(head.text)
    parts += [e.text for e in entries[1:]]
    text = "\n".join(parts)
    return Parsed(code, text, text, [], _entry_lines(entries))


_ENUM_HEADING = re.compile(r"^[A-Z]\.\s")


def _named_codes(text: str, known: set[str]) -> list[str]:
    """Competence codes a modality names ("Mise en situation (C1, C2 et C3)")."""
    out = []
    for token in re.findall(r"[A-Za-z]{1,4}\s?\.?\d+(?:\.\d+|\.[a-z])*", text):
        k = key_code(token)
        if k in known and k not in out:
            out.append(k)
    return out


def parse_modalities(cell: Cell, grammar: Grammar) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    coded = [i for i, e in enumerate(entries) if e.kind == "para" and grammar.match(e.text)]
    if coded:
        return _split_modalities(entries, coded, grammar)
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
    return _split_modalities(entries, heads, None)


def _split_modalities(entries: list[Entry], heads: list[int], grammar: Grammar | None) -> list[Parsed]:
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
    out = []
    for k, h in enumerate(heads):
        chunk = entries[bounds[k] : bounds[k + 1]]
        found = grammar.match(entries[h].text) if grammar is not None else None
        if found is not None:
            # A coded modality reads as an activity: its title is the words after the code.
            title = found[1].strip() or None
            texts = [(title or "") if e is entries[h] else e.text for e in chunk]
            parsed = Parsed(_as_printed(found[0].printed), title, "\n".join(t for t in texts if t),
                            build_items(chunk), _entry_lines(chunk))
        else:
            parsed = _modality(chunk, entries[h].text)
        out.append(parsed)
    return out


def _modality(entries: list[Entry], title: str | None) -> Parsed:
    text = "\n".join(e.text for e in entries)
    items = build_items([e for e in entries])
    return Parsed(None, title, text, items, _entry_lines(entries))


def parse_criteria(cell: Cell, grammar: Grammar) -> list[Parsed]:
    entries = parse_entries(cell.lines)
    groups: list[tuple[str | None, list[Entry]]] = []
    for e in entries:
        if e.kind == "item" and e.marker in CHECK_MARKERS and e.depth == 0:
            groups.append((e.text, [e]))
        elif e.kind == "para" and (not groups or e.gap_before or re.match(r"^Les? candidats?\b", e.text)
                                   or grammar.match(e.text)):
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
        code = None
        found = grammar.match(title) if title else None
        if found is not None:
            code, title = _as_printed(found[0].printed), found[1].strip() or None
        text = "\n".join(([title] if title else []) + [e.text for e in body])
        out.append(Parsed(code, title, text, items, _entry_lines(members)))
    return out


def _shallower(e: Entry) -> Entry:
    return Entry(e.kind, e.lines, e.marker, max(0, e.depth - 1), e.text_x0, e.words, e.gap_before)


# ---------------------------------------------------------------- certification


# Family words a title line prints before the certification's name: "Référentiel(s) de
# compétences et d'évaluation —", "Titre professionnel de", "Certification".
_FAMILY_WORDS = re.compile(
    r"^\s*(?:R[ÉE]F[ÉE]RENTIELS?(?:\s*,|\s+(?:D['’]\s*[ÉE]VALUATION|DE\s+COMP[ÉE]TENCES|D['’]\s*ACTIVIT[ÉE]S|"
    r"DE\s+(?:LA\s+)?CERTIFICATION|ET))*|TITRE(?:\s+PROFESSIONNEL)?(?:\s+DE\b|\s+D['’])?|"
    r"CERTIFICATION(?:\s+PROFESSIONNELLE)?)\s*[:–—-]?\s*",
    re.I,
)


def strip_family_words(text: str) -> str:
    """The certification's name in a title line, the family's words before it left out."""
    out = text.strip(" «»\"")
    while True:
        m = _FAMILY_WORDS.match(out)
        if not m or not m.group(0).strip():
            return out.strip(" «»\":–—-")
        out = out[m.end():].strip(" «»\"")


def certification(model: DocModel) -> Certification:
    first = next((p for p in model.pages if p.content_words()), model.pages[0])
    lines = model.lines_outside_tables(first)
    real = [ln for ln in lines if ln.bold and ln.size >= 11]
    heads = real or lines[:3]
    joined = join_wrapped([ln.text for ln in heads[:4]])
    # The title line itself: the first heading and the lines set like it right under it.
    run = real[:1]
    for ln in real[1:]:
        if abs(ln.size - run[-1].size) > 0.5 or ln.top - run[-1].bottom > ln.size:
            break
        run.append(ln)
    title_line = join_wrapped([ln.text for ln in run])
    title = level = certifier = None
    m = re.search(r"Titre de (.+?)\s+[–—-]\s+(niveau\s+\d+)\s+[–—-]\s+(.+)$", joined, re.I)
    if m:
        title, level, certifier = m.group(1).strip(), m.group(2), m.group(3).strip()
    if title is None:
        text = " ".join(ln.text for ln in lines[:40])
        m = (re.search(r"Certification\s+«\s*(.+?)\s*»", text, re.I)
             or re.search(r"^(R[ÉE]F[ÉE]RENTIELS?\b.+)$", title_line)
             or re.search(r"La certification\s+(.+?)\s+est compos[ée]e", text, re.I))
        if m:
            title = clean_line(strip_family_words(m.group(1))) or None
    if title is None:
        title = _cover_title(lines, _body_size(model))
    return Certification(title=title, level=level, certifier=certifier)


def _cover_title(lines: list[Line], body: float) -> str | None:
    """The title line of the first page: its largest text, family words ("Référentiel de
    compétences", "Titre de") left out."""
    if not lines:
        return None
    big = max(ln.size for ln in lines)
    if big < body + 1.5:
        return None
    top: list[Line] = []
    for ln in lines:  # the first run of the largest lines, a bloc heading set as large left out
        if ln.size < big - 0.5 or BLOC_LINE.match(ln.text) or (top and ln.top - top[-1].bottom > ln.size):
            if top:
                break
            continue
        top.append(ln)
    return clean_line(strip_family_words(join_wrapped([ln.text for ln in top[:3]]))) or None


def doc_key_for(model: DocModel, title: str | None) -> str:
    m = re.search(r"\bRNCP\s*(\d{4,6})\b", model.text(max_pages=3))
    if m:
        return f"rncp:RNCP{m.group(1)}"
    return f"rncp:{slugify(title or model.path.stem)}"


# ---------------------------------------------------------------- assembly


def extract(model: DocModel) -> FamilyResult:
    cert = certification(model)
    builder = RecordBuilder(doc_key_for(model, cert.title), extractor="rncp-grid")
    tables = role_tables(model)
    cells, bloc_cells = role_cells(tables)
    if not cells:
        residual_blocks(model, builder)
        builder.warn("no_grid", "no grid with activités · compétences · modalités · critères columns was found")
        return FamilyResult(builder.doc_key, cert, builder)
    gram = grammars(cells)
    series = {c[0].series for role in ("activity", "competence") for cell in cells if cell.role == role
              for c in (gram[role].match(after_marker(ln)) for ln in cell.lines) if c}
    grid_start = min(c.start for c in cells)
    marks = column_marks(bloc_cells) or heading_marks(model, tables, cells, series) \
        or activity_code_marks(cells, gram["activity"])
    intro = intro_blocs(model, min(t.start for t, _ in tables))
    if not marks and intro:
        modal = [c for c in cells if c.role == "modality"]
        if len(modal) == len(intro):
            marks = [BlocMark(m.start - 0.5, b.number, b.title, b.lines) for m, b in zip(modal, intro)]
            marks[0].pos = min(marks[0].pos, grid_start - 0.5)  # the first bloc starts with the grid
        else:
            builder.warn(
                "bloc_split_unknown",
                f"the introduction lists {len(intro)} blocs but the grid has {len(modal)} modality cells",
            )
    if not marks:
        marks = _ordinal_marks(model, tables)
    if not marks:
        marks = [BlocMark(grid_start - 0.5, "1", "", [])]
        builder.warn("no_bloc_heading", "no bloc heading found: the whole grid is read as one bloc")
    marks.sort(key=lambda m: m.pos)
    _number_marks(marks)
    marks[0].pos = min(marks[0].pos, grid_start - 0.5)  # cells above the first mark belong to it
    intro_by_number = {b.number: b for b in intro}
    known = {key_code(c[0].printed) for cell in cells if cell.role == "competence"
             for c in (gram["competence"].match(after_marker(ln)) for ln in cell.lines) if c}
    for k, mark in enumerate(marks):
        end = marks[k + 1].pos if k + 1 < len(marks) else float("inf")
        mine = [c for c in cells if mark.pos <= c.start < end]
        _emit_bloc(builder, mark, mine, gram, intro_by_number.get(mark.code), known)
    _emit_glossary(model, builder, max(c.end for c in cells))
    _note_pages_outside(model, tables, builder)
    return FamilyResult(builder.doc_key, cert, builder)


def _number_marks(marks: list[BlocMark]) -> None:
    """Marks printed without a code (a title row, a bloc column cell) take their rank."""
    for n, m in enumerate(marks, start=1):
        if not m.code:
            m.code = str(n)


def _emit_bloc(b: RecordBuilder, mark: BlocMark, cells: list[Cell], gram: dict[str, Grammar],
               intro: IntroBloc | None, known: set[str]) -> None:
    first_activity = next((c for c in cells if c.role == "activity"), None)
    bloc_key = b.add("block", None, code=mark.code, codes=[Code(value=mark.code, scheme="bloc_label")],
                     title=mark.title or None, text=mark.title, lines=mark.lines,
                     pages=[] if mark.lines or first_activity is None else [_page_of(first_activity.start)])
    coded = bool(gram["competence"])
    parsed_comp = {id(c): parse_competences(c, gram["competence"]) for c in cells if c.role == "competence"}
    paired = all(len(v) <= 1 for v in parsed_comp.values())
    activity_keys: list[tuple[Cell, list[str]]] = []
    competence_keys: list[tuple[Cell, list[str]]] = []
    modality_keys: list[tuple[Cell, list[tuple[str, list[str]]]]] = []
    by_code: dict[str, str] = {}
    deferred: list[Cell] = []
    for cell in cells:
        if cell.role == "activity":
            keys = []
            for a in parse_activities(cell, mark.code, gram["activity"]):
                keys.append(b.add("activity", bloc_key, code=a.code,
                                  codes=[Code(value=a.code, scheme="activity")] if a.code else [],
                                  title=a.title, text=a.text, items=a.items, lines=a.lines))
            activity_keys.append((cell, keys))
        elif cell.role == "competence":
            keys = []
            for comp in parsed_comp[id(cell)]:
                if comp.code and key_code(comp.code) in by_code:
                    keys.append(by_code[key_code(comp.code)])  # the same competence repeated by a second table
                    continue
                key = b.add("competence", bloc_key, code=comp.code,
                            codes=[Code(value=comp.code, scheme="competence")] if comp.code else [],
                            title=comp.title, text=comp.text, lines=comp.lines)
                if comp.code:
                    by_code[key_code(comp.code)] = key
                keys.append(key)
            competence_keys.append((cell, keys))
        elif cell.role == "modality":
            keys = []
            for m in parse_modalities(cell, gram["modality"]):
                key = b.add("assessment_modality", bloc_key, code=m.code,
                            codes=[Code(value=m.code, scheme="modality")] if m.code else [],
                            title=m.title, text=m.text, items=m.items, lines=m.lines)
                keys.append((key, _named_codes(m.text, known)))
            modality_keys.append((cell, keys))
        elif paired:
            deferred.append(cell)
        else:
            for c in parse_criteria(cell, gram["criteria"]):
                _add_criterion(b, bloc_key, c)
    all_comps = [k for _, ks in competence_keys for k in ks]
    for cell in deferred:
        best = max(competence_keys, key=lambda ck: ck[0].overlap(cell), default=None)
        parent = best[1][0] if best and best[0].overlap(cell) > 0 and best[1] else bloc_key
        for c in parse_criteria(cell, gram["criteria"]):
            _add_criterion(b, parent, c)
    if paired:
        for ccell, ckeys in competence_keys:
            for acell, akeys in activity_keys:
                if akeys and acell.table == ccell.table and acell.start - 1 <= ccell.start < acell.end - 1:
                    for k in ckeys:
                        b.relate("derived_from", k, akeys[-1])
                    break
    bloc_codes = {key_code(b.node(k)["codes"][0].value): k for k in all_comps if b.node(k)["codes"]}
    for mcell, mkeys in modality_keys:
        covered = [k for ccell, ks in competence_keys if ccell.overlap(mcell) > 2 for k in ks]
        targets = covered if paired and covered else all_comps
        for mk, names in mkeys:
            named = [bloc_codes[n] for n in names if n in bloc_codes]
            for ck in named or targets:
                b.relate("assesses", mk, ck)
    if intro is not None and not coded:
        _derive_codes(b, bloc_key, intro, all_comps)


def _add_criterion(b: RecordBuilder, parent: str, c: Parsed) -> None:
    b.add("assessment_criterion", parent, code=c.code,
          codes=[Code(value=c.code, scheme="criterion")] if c.code else [],
          title=c.title, text=c.text, items=c.items, lines=c.lines, criterion_kind="evaluation")


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


# ---------------------------------------------------------------- glossary


def _emit_glossary(model: DocModel, b: RecordBuilder, after: float) -> None:
    """A glossary or lexique after the grid: one entry per term (a bold term opening its line,
    or "Terme : définition")."""
    lines: list[Line] = []
    started = False
    for page in model.pages:
        for ln in model.lines_outside_tables(page):
            if gpos(page.number, ln.top) < after:
                continue
            if not started:
                if GLOSSARY_HEAD.match(fold(ln.text)) and len(ln.text.split()) <= 6:
                    started = True
                continue
            lines.append(ln)
    if not lines:
        return
    entries: list[tuple[str, list[Line]]] = []
    for ln in lines:
        term_words = []
        for w in ln.words:
            if w.bold:
                term_words.append(w)
            else:
                break
        term = Line(term_words).text.strip(" :–-") if term_words else ""
        if term and (len(term_words) < len(ln.words) or not entries or entries[-1][1]):
            rest = Line(ln.words[len(term_words):], ln.page) if len(term_words) < len(ln.words) else None
            entries.append((term, [rest] if rest is not None else []))
            continue
        m = re.match(r"^([^:]{1,60}?)\s*:\s+(.+)$", ln.text)
        if m and not term_words and (not entries or ln.x0 <= min(x.x0 for x in lines) + 1):
            first = ln.text.index(m.group(2))
            entries.append((m.group(1).strip(), [_tail_line(ln, first)]))
        elif entries:
            entries[-1][1].append(ln)
    for term, body in entries:
        body = [x for x in body if x is not None and x.words]
        des = parse_entries(body) if body else []
        b.add("glossary_entry", None, title=term, text="\n".join(e.text for e in des if e.text),
              items=build_items(des), lines=body)


def _tail_line(ln: Line, start: int) -> Line:
    """The words of a line from the character `start` of its text on."""
    seen = 0
    words = []
    for w in ln.words:
        pos = ln.text.find(w.text, seen)
        if pos >= start:
            words.append(w)
        seen = max(seen, pos + len(w.text)) if pos >= 0 else seen
    return Line(words, ln.page)


def _note_pages_outside(model: DocModel, tables: list[tuple[Table, dict[str, int]]], b: RecordBuilder) -> None:
    """Pages with text but no grid (preamble, épreuves) are not read into nodes: say so."""
    grid_pages = {p for t, _ in tables for p in t.pages}
    skipped = [p.number for p in model.pages if p.number not in grid_pages and p.content_words()]
    if skipped:
        b.info("preamble_pages", f"{len(skipped)} page(s) without grid read as preamble (certification "
                                 f"sections): {', '.join(map(str, skipped))}")
