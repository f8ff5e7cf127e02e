"""RNCP fiches: the France compétences page of a certification, printed to PDF (FAMILIES.md §5).

The page prints a header card (the title, "Code de la fiche :", "Etat :"), "L'essentiel" (labels
beside their values), chapters (large bold headings), rubriques (bold labels ending in " :"), and
under "Blocs de compétences" one heading "RNCP…BCnn - Titre" per bloc above a two-column table
(Liste de compétences · Modalités d'évaluation). The blocs are the nodes; everything else is the
certification's metadata and sections. The résumé's "Compétences attestées :" reprints the
statements of every bloc: the same nodes, and a second print that tells where statements start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Sequence

from extract.document import Document
from extract.docmodel.buttons import button_lines
from extract.docmodel.model import DocModel
from extract.docmodel.keyvalue import label_value_rows
from extract.docmodel.structure import Entry, parse_entries
from extract.families import FamilyResult
from extract.layout import Line, PageLayout
from extract.records import RecordBuilder
from extract.schema import Certification, Code, LabelledCode
from extract.text import clean_line, join_wrapped, normalize_text, slugify

# The registry's bloc code ("RNCP37173BC01") opening a bloc heading, then its title.
_BLOC = re.compile(r"^(RNCP\s*\d{3,6}\s*BC\s*\d{1,3})\s*[-–—:]\s*(.+)$")
_RNCP = re.compile(r"\bRNCP\s*(\d{3,6})\b")
_DATE = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_LABELLED_CODE = re.compile(r"^(\S+)\s+[:–-]\s+(.+)$")  # "326n : Analyse…", "M1805 - Études…"

CHAPTER_SIZE = 1.4  # a chapter heading is printed this many times the body size, or more
RUBRIQUE_SIZE = 1.1  # a rubrique label: bold, somewhat larger than the body, ending in " :"


# ---------------------------------------------------------------- tables (geometry read here only)


@dataclass
class Cell:
    page: int
    col: int
    top: float
    bottom: float
    lines: list[Line]


@dataclass
class Table:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    ncols: int
    rows: list[list[Cell]]  # row-major; a merged cell sits in the row of its first line
    open_bottom: bool  # no ruling closes the last row: the row goes on on the next page
    starts_page: bool = False  # nothing printed above it on its page
    ends_page: bool = False  # nothing printed below it on its page

    def holds(self, ln: Line) -> bool:
        return ln.page == self.page and self.x0 <= (ln.x0 + ln.x1) / 2 <= self.x1 and self.top <= (ln.top + ln.bottom) / 2 <= self.bottom


def read_tables(doc: DocModel, page: PageLayout) -> list[Table]:
    """The tables the document model found on a page, as rows of cells, top to bottom."""
    out = []
    grids = sorted((f.grid for t in doc.tables for f in t.fragments if f.page == page.number), key=lambda g: g.top)
    for g in grids:
        cells = [Cell(g.page, c.col, c.top, c.bottom, c.lines) for col in range(g.ncols) for c in g.cells(col, g.top)]
        rows: list[list[Cell]] = []
        for c in sorted(cells, key=lambda c: (c.top, c.col)):
            if rows and abs(rows[-1][0].top - c.top) < 2.5:
                rows[-1].append(c)
            else:
                rows.append([c])
        open_bottom = not any(abs(y - g.bottom) < 2.5 for y in g.rules[0])
        out.append(Table(g.page, g.top, g.bottom, g.bounds[0], g.bounds[-1], g.ncols, rows, open_bottom))
    return out


# ---------------------------------------------------------------- the page as a stream


@dataclass
class Heading:
    kind: str  # title | chapter | rubrique | bloc
    text: str
    lines: list[Line]
    code: str | None = None  # bloc code
    name: str | None = None  # bloc title


Part = Heading | Line | Table


def _body_size(lines: Sequence[Line]) -> float:
    sizes: dict[float, int] = {}
    for ln in lines:
        sizes[round(ln.size, 1)] = sizes.get(round(ln.size, 1), 0) + len(ln.words)
    return max(sizes, key=lambda s: sizes[s]) if sizes else 10.0


def _heading_kind(text: str, ln: Line, body: float, top_size: float) -> str | None:
    if _BLOC.match(text) and (ln.bold or ln.size >= RUBRIQUE_SIZE * body):
        return "bloc"
    if not ln.bold:
        return None
    if ln.size >= top_size - 0.5 and ln.size >= CHAPTER_SIZE * body:
        return "title"
    if ln.size >= CHAPTER_SIZE * body:
        return "chapter"
    if ln.size >= RUBRIQUE_SIZE * body and text.rstrip().endswith(":"):
        return "rubrique"
    return None


def _candidate(ln: Line, body: float) -> bool:
    return (ln.bold and ln.size >= RUBRIQUE_SIZE * body) or bool(_BLOC.match(ln.text))


def page_stream(doc: Document) -> tuple[list[Part], list[Line], float]:
    """Every page's headings, flow lines and tables in reading order; the lines left out as
    buttons; the body text size."""
    flows: list[tuple[PageLayout, list[Line], list[Table]]] = []
    buttons: list[Line] = []
    for page in doc.pages:
        tables = read_tables(doc, page)
        # Text beside text (a label column beside its values) is split at gaps of 1.5 em: the
        # fiche's prose is set ragged-right, never stretched that wide.
        lines = [ln for ln in doc.content_lines(page, split_gap=1.5) if not any(t.holds(ln) for t in tables)]
        pressed = button_lines(lines, page.boxes)
        buttons += [ln for i, ln in enumerate(lines) if i in pressed]
        flows.append((page, [ln for i, ln in enumerate(lines) if i not in pressed], tables))
    all_lines = [ln for _, lines, _ in flows for ln in lines]
    body = _body_size(all_lines)
    top_size = max((ln.size for ln in all_lines if ln.bold), default=body)
    parts: list[Part] = []
    for page, lines, tables in flows:
        items: list[tuple[float, int, Line | Table]] = [(ln.top, 1, ln) for ln in lines] + [(t.top, 0, t) for t in tables]
        pending: list[Line] = []

        def flush() -> None:
            if pending:
                text = join_wrapped([ln.text for ln in pending])
                kind = _heading_kind(text, pending[0], body, top_size)
                if kind is None:
                    parts.extend(pending)
                else:
                    m = _BLOC.match(text) if kind == "bloc" else None
                    parts.append(Heading(kind, text, list(pending), m.group(1) if m else None,
                                         clean_line(m.group(2)) if m else None))
                pending.clear()

        ordered = [item for _, _, item in sorted(items, key=lambda it: (it[0], it[1]))]
        if ordered and isinstance(ordered[0], Table):
            ordered[0].starts_page = True
        if ordered and isinstance(ordered[-1], Table):
            ordered[-1].ends_page = True
        for item in ordered:
            if isinstance(item, Table):
                flush()
                parts.append(item)
                continue
            if pending:
                prev = pending[-1]
                goes_on = (_candidate(item, body) and item.bold == prev.bold and abs(item.size - prev.size) < 0.3
                           and item.top - prev.top <= 1.7 * item.size and not prev.text.rstrip().endswith(":"))
                if not goes_on:
                    flush()
            if _candidate(item, body):
                pending.append(item)
            else:
                parts.append(item)
        flush()
    return parts, buttons, body


# ---------------------------------------------------------------- text of cells and paragraphs


def vocabulary(doc: Document) -> set[str]:
    """The words the document prints as words: inside a line of text. A line's first word and a
    line of one word are left out, so the pieces of a broken word do not vouch for themselves."""
    words: set[str] = set()
    for page in doc.pages:
        for ln in doc.content_lines(page, split_gap=1.5):
            for w in ln.text.split()[1:]:
                t = w.strip(".,;:!?()«»\"'’“”…").lower()
                if t:
                    words.add(t)
    return words


def _broken(prev_words: Sequence[str], nxt: str, vocab: set[str]) -> bool:
    """A word a narrow cell broke without a hyphen ("modific" / "ation"): a browser breaks a word
    only when it does not fit on a line of its own, so the head stands alone on its line; the
    tail goes on in lower case; and the document prints the whole word, or neither part as a word."""
    if len(prev_words) != 1 or not nxt[:1].islower():
        return False
    head, tail = prev_words[0].lower(), nxt.split()[0].strip(".,;:!?()").lower()
    if not head[-1:].isalpha() or not tail:
        return False
    return head + tail in vocab or (head not in vocab and tail not in vocab)


def entry_text(e: Entry, vocab: set[str]) -> str:
    """The entry's text as FAMILIES §0 builds it, words broken by a narrow cell joined again."""
    parts = [clean_line(Line(list(ws)).text) if ws else "" for ws in e.words]
    heads = [Line(list(ws)).text.split() if ws else [] for ws in e.words]
    out = ""
    for i, part in enumerate(parts):
        if not part:
            continue
        if out and i > 0 and _broken(heads[i - 1], part, vocab):
            out += part
        else:
            out = join_wrapped([out, part]) if out else part
    return out


def _runs_by_margin(lines: Sequence[Line]) -> list[list[Line]]:
    """Lines sharing a left margin: an indented run is a list set without markers."""
    runs: list[list[Line]] = []
    for ln in lines:
        if runs and abs(runs[-1][-1].x0 - ln.x0) <= 2.0:
            runs[-1].append(ln)
        else:
            runs.append([ln])
    return runs


def paragraphs_text(lines: Sequence[Line], vocab: set[str]) -> list[str]:
    out = []
    for run in _runs_by_margin(lines):
        out += [t for t in (entry_text(e, vocab) for e in parse_entries(run)) if t]
    return out


def cell_text(cell_lines: Sequence[Line], vocab: set[str]) -> str:
    text = "\n".join(t for t in (entry_text(e, vocab) for e in parse_entries(list(cell_lines))) if t)
    # A cell holding only a dash ("-": nothing applies) prints it as its content, not as a marker.
    return text or "\n".join(ln.text for ln in cell_lines)


def _flat(text: str) -> str:
    """Comparison form that ignores spacing (a narrow cell may break a word where the résumé
    prints it whole)."""
    return normalize_text(text).replace(" ", "").lower()


# ---------------------------------------------------------------- sections and blocs


@dataclass
class Bloc:
    """A bloc heading and the tables below it; or (heading None) a table with a row per bloc, its
    code and title printed in a cell."""

    heading: Heading | None
    tables: list[Table] = field(default_factory=list)
    stray: list[Line] = field(default_factory=list)  # flow lines printed under the bloc heading


@dataclass
class Section:
    heading: Heading | None
    key: str
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # label cells: the value lines


@dataclass
class Reading:
    title: Heading | None = None
    sections: list[Section] = field(default_factory=list)
    blocs: list[Bloc] = field(default_factory=list)
    header_lines: list[Line] = field(default_factory=list)  # before any section: navigation
    orphans: list[Line | Table] = field(default_factory=list)


def _cell_line_text(cell: Cell) -> str:
    return join_wrapped([ln.text for ln in cell.lines])


def _label_cell(cell: Cell) -> bool:
    return len(cell.lines) >= 2 and cell.lines[0].text.rstrip().endswith(":")


def read_fiche(parts: Sequence[Part]) -> Reading:
    r = Reading()
    titles = [p for p in parts if isinstance(p, Heading) and p.kind == "title"]
    r.title = titles[-1] if titles else None
    chapter: Section | None = None
    current: Section | None = None
    bloc: Bloc | None = None
    started = False
    for p in parts:
        if isinstance(p, Heading):
            if p.kind == "title":
                chapter = current = None
                bloc = None
                continue
            started = True
            if p.kind == "bloc":
                bloc = Bloc(p)
                r.blocs.append(bloc)
                continue
            bloc = None
            s = Section(p, p.text)
            r.sections.append(s)
            if p.kind == "chapter":
                chapter = s
            current = s
            continue
        if isinstance(p, Table):
            if bloc is not None:
                bloc.tables.append(p)
                continue
            if any(c.lines and _BLOC.match(_cell_line_text(c)) for row in p.rows for c in row[:1]):
                bloc = Bloc(None, [p])
                r.blocs.append(bloc)
                started = True
                continue
            cells = [c for row in p.rows for c in row if c.lines]
            if cells and all(_label_cell(c) for c in cells):
                # The header card's labelled fields ("Code de la fiche :"): the buttons and links
                # printed around them are still the page's header.
                for c in cells:
                    r.sections.append(Section(None, clean_line(c.lines[0].text), values=[ln.text for ln in c.lines[1:]]))
                continue
            target = chapter or current
            if target is None:
                r.orphans.append(p)
            else:
                target.tables.append(p)
            continue
        if bloc is not None:
            bloc.stray.append(p)
        elif current is not None:
            current.lines.append(p)
        elif not started:
            r.header_lines.append(p)
        else:
            r.orphans.append(p)
    return r


def _continues(prev: Table, nxt: Table) -> bool:
    """The next page's table goes on with this one: it ends its page, the other starts the next,
    with the same columns."""
    return (nxt.page == prev.page + 1 and prev.ends_page and nxt.starts_page and nxt.ncols == prev.ncols
            and abs(nxt.x0 - prev.x0) <= 3.0 and abs(nxt.x1 - prev.x1) <= 3.0)


def _row_goes_on(prev: Table, row: list[Cell]) -> bool:
    """The first row of a continuation page is the row cut by the page break when no ruling closed
    the row above, or when it goes on in lower case or leaves its first cell empty (FAMILIES §0)."""
    if prev.open_bottom:
        return True
    first = row[0] if row else None
    if first is None or not first.lines:
        return any(c.lines for c in row)
    return first.lines[0].text[:1].islower()


def _row_texts(row: list[Cell]) -> list[str]:
    return [_flat(" ".join(ln.text for ln in c.lines)) for c in row]


def _is_header(row: list[Cell], names: Sequence[str]) -> bool:
    """A header row: its cells set bold, or each naming one of the columns the reader expects."""
    cells = [c for c in row if c.lines]
    if not cells:
        return False
    if all(ln.bold for c in cells for ln in c.lines):
        return True
    return bool(names) and all(any(n in _fold(" ".join(ln.text for ln in c.lines)) for n in names) for c in cells)


def logical_rows(tables: Sequence[Table], names: Sequence[str] = ()) -> tuple[list[Cell], list[list[Cell]]]:
    """The header cells and the body rows of one logical table printed as consecutive page parts:
    a header repeated on a continuation page is dropped, a row cut by the page break is one row.
    `names`: words of the column headers the reader expects (folded)."""
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    prev: Table | None = None
    for t in tables:
        body = list(t.rows)
        if prev is None:
            if body and _is_header(body[0], names):
                header = body[0]
                body = body[1:]
        elif body and header and _row_texts(body[0]) == _row_texts(header):
            body = body[1:]
        if prev is not None and _continues(prev, t) and rows and body and _row_goes_on(prev, body[0]):
            above = {c.col: c for c in rows[-1]}
            for c in body.pop(0):
                a = above.get(c.col)
                above[c.col] = c if a is None else Cell(a.page, a.col, a.top, c.bottom, a.lines + c.lines)
            rows[-1] = [above[col] for col in sorted(above)]
        rows.extend(body)
        prev = t
    return header, rows


def _section_text(s: Section, vocab: set[str]) -> str:
    out: list[str] = list(s.values)
    if s.lines:
        rows = label_value_rows(s.lines)
        if rows is not None:
            for labels, values in rows:
                out.append(join_wrapped([ln.text for ln in labels]))
                out += _value_lines(values)
        else:
            out += paragraphs_text(s.lines, vocab)
    for group in _table_groups(s.tables):
        header, rows = logical_rows(group)
        out += [t for t in (cell_text(c.lines, vocab) for c in header if c.lines) if t]
        for row in rows:
            out += [t for t in (cell_text(c.lines, vocab) for c in row) if t]
    return "\n".join(out)


def _value_lines(lines: Sequence[Line]) -> list[str]:
    """One value a line; a line in lower case goes on with the value above (a wrapped label)."""
    out: list[str] = []
    for ln in sorted(lines, key=lambda ln: (ln.page, ln.top)):
        if out and ln.text[:1].islower():
            out[-1] = join_wrapped([out[-1], ln.text])
        else:
            out.append(ln.text)
    return out


def _table_groups(tables: Sequence[Table]) -> list[list[Table]]:
    groups: list[list[Table]] = []
    for t in tables:
        if groups and _continues(groups[-1][-1], t):
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


# ---------------------------------------------------------------- certification


def _iso(text: str) -> date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        if m.group(4):
            return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _fold(text: str) -> str:
    return slugify(text).replace("-", " ")


def _labelled_codes(lines: Iterable[str]) -> list[LabelledCode]:
    out = []
    for line in lines:
        m = _LABELLED_CODE.match(line.strip())
        if m:
            out.append(LabelledCode(code=m.group(1), label=m.group(2).strip()))
    return out


@dataclass
class Metadata:
    rncp: str | None = None
    level: str | None = None
    nsf: list[LabelledCode] = field(default_factory=list)
    formacodes: list[LabelledCode] = field(default_factory=list)
    rome: list[LabelledCode] = field(default_factory=list)
    certifiers: list[str] = field(default_factory=list)
    dates: dict[str, date | None] = field(default_factory=lambda: {"decision": None, "expiry": None, "last_award": None})


def _read_label(label: str, values: list[str], md: Metadata) -> None:
    """The registry's field labels, as printed in "L'essentiel", the header card and "Base légale"."""
    f = _fold(label)
    if "code de la fiche" in f and values:
        m = _RNCP.search(values[0].replace(" ", " "))
        md.rncp = md.rncp or (f"RNCP{m.group(1)}" if m else None)
    elif "niveau" in f and "qualification" in f and values:
        md.level = md.level or values[0]
    elif "nsf" in f.split():
        md.nsf = md.nsf or _labelled_codes(values)
    elif "formacode" in f:
        md.formacodes = md.formacodes or _labelled_codes(values)
    elif "date de decision" in f and values:
        md.dates["decision"] = _iso(values[0])
    elif "echeance" in f and values:
        md.dates["expiry"] = md.dates["expiry"] or _iso(values[0])
    elif "derniere delivrance" in f and values:
        md.dates["last_award"] = _iso(values[0])


def metadata(reading: Reading, vocab: set[str]) -> Metadata:
    md = Metadata()
    for s in reading.sections:
        if s.values:
            _read_label(s.key, s.values, md)
        rows = label_value_rows(s.lines) if s.lines else None
        for labels, values in rows or []:
            _read_label(join_wrapped([ln.text for ln in labels]), _value_lines(values), md)
        if s.heading is not None and "rome" in _fold(s.key).split():
            md.rome = _labelled_codes(paragraphs_text(s.lines, vocab))
        for group in _table_groups(s.tables):
            header, rows2 = logical_rows(group)
            every = ([header] if header else []) + rows2
            # The certificateurs' table: the "Nom légal" column, below the row naming it.
            named = next(((k, [_fold(cell_text(c.lines, vocab)) for c in r].index("nom legal"))
                          for k, r in enumerate(every) if "nom legal" in [_fold(cell_text(c.lines, vocab)) for c in r]), None)
            if named is not None:
                k, col = named
                md.certifiers += [cell_text(r[col].lines, vocab) for r in every[k + 1:] if col < len(r) and r[col].lines]
                continue
            for row in (rows2 if not header else []):
                texts = [cell_text(c.lines, vocab) for c in row if c.lines]
                if len(texts) >= 2:
                    _read_label(texts[0], texts[1:], md)
    return md


# ---------------------------------------------------------------- blocs as nodes


def resume_statements(reading: Reading) -> list[Entry]:
    """The paragraphs of the résumé's "Compétences attestées" rubrique: every bloc's statements."""
    for s in reading.sections:
        if s.heading is not None and "competences attestees" in _fold(s.key):
            # A list of statements: a capital after a closed line starts the next one.
            return [e for run in _runs_by_margin(s.lines) for e in parse_entries(run, list_mode=True)]
    return []


def split_by_statements(lines: Sequence[Line], statements: Sequence[str]) -> list[list[Line]] | None:
    """The cell's lines grouped as the run of `statements` (spacing ignored) that the cell's text
    is, when every statement starts on a line of its own; None when the cell is no such run."""
    flat_lines = [_flat(ln.text) for ln in lines]
    cell = "".join(flat_lines)
    flat = [_flat(s) for s in statements]
    for k0 in range(len(flat)):
        acc, k1 = "", k0
        while k1 < len(flat) and len(acc) < len(cell) and cell.startswith(acc + flat[k1]):
            acc += flat[k1]
            k1 += 1
        if acc != cell or k1 == k0:
            continue
        groups: list[list[Line]] = []
        pos, k, consumed = 0, k0, 0
        for ln, fl in zip(lines, flat_lines):
            if pos == consumed:
                groups.append([])
                consumed += len(flat[k])
                k += 1
            groups[-1].append(ln)
            pos += len(fl)
            if pos > consumed:
                break
        else:
            if pos == consumed:
                return groups
    return None


def cell_statements(cell_lines: list[Line], resume: Sequence[str]) -> list[list[Line]]:
    """The statements of a competence cell: one per line group. The résumé's second print decides
    where statements start when the cell is a run of its statements; else each statement starts on
    a new line the typography of a list tells (a capital after a closed line)."""
    by_resume = split_by_statements(cell_lines, resume) if resume else None
    if by_resume is not None:
        return by_resume
    entries = parse_entries(cell_lines, list_mode=True)
    groups: list[list[Line]] = []
    for e in entries:
        # A blank line alone is no boundary: a statement going on in lower case after it continues.
        if groups and e.gap_before and e.text[:1].islower():
            groups[-1] += e.lines
        else:
            groups.append(list(e.lines))
    return groups


def _group_text(lines: list[Line], vocab: set[str]) -> str:
    entries = parse_entries(lines, list_mode=True)
    merged = Entry("para", [ln for e in entries for ln in e.lines], words=[ws for e in entries for ws in e.words])
    return entry_text(merged, vocab)


@dataclass
class BlocContent:
    code: str
    title: str
    lines: list[Line]  # where the code and title are printed
    rows: list[dict[int, Cell]] = field(default_factory=list)
    stray: list[Line] = field(default_factory=list)


BLOC_COLUMNS = ("competence", "modalite", "evaluation")  # words of the bloc tables' column headers


def _columns(header: list[str]) -> tuple[int | None, int | None]:
    folded = [_fold(x) for x in header]
    comp = next((i for i, f in enumerate(folded) if "competence" in f and "bloc" not in f), None)
    mod = next((i for i, f in enumerate(folded) if ("modalite" in f or "evaluation" in f) and i != comp), None)
    return comp, mod


def bloc_contents(b: RecordBuilder, reading: Reading, vocab: set[str]) -> list[tuple[BlocContent, int | None, int | None]]:
    """Every bloc with its table rows and the columns of its competences and modalities."""
    out: list[tuple[BlocContent, int | None, int | None]] = []
    for bloc in reading.blocs:
        header_cells, rows = logical_rows(bloc.tables, BLOC_COLUMNS)
        header = [cell_text(c.lines, vocab) for c in header_cells]
        comp_col, mod_col = _columns(header)
        h = bloc.heading
        if h is not None:
            content = BlocContent(re.sub(r"\s+", "", h.code or ""), h.name or "", h.lines, stray=bloc.stray)
            if not bloc.tables:
                b.warn("bloc_without_table", f"bloc {content.code} prints no table of competences", page=h.lines[0].page)
            contents = [content]
            content.rows = [{c.col: c for c in row} for row in rows]
        else:
            # A row per bloc: the cell opening with the bloc code starts the bloc; rows without
            # one go on with it (a row cut by a page break).
            contents = []
            for row in rows:
                cells = {c.col: c for c in row}
                first = row[0] if row else None
                m = _BLOC.match(_cell_line_text(first)) if first is not None and first.lines else None
                if m:
                    contents.append(BlocContent(re.sub(r"\s+", "", m.group(1)), clean_line(m.group(2)), first.lines))
                    cells.pop(first.col)
                elif not contents:
                    b.warn("bloc_row_without_code", "a row of the bloc table above any bloc code kept as residual",
                           page=row[0].page if row else None)
                    b.add("residual", None, text="\n".join(ln.text for c in row for ln in c.lines),
                          lines=[ln for c in row for ln in c.lines], confidence=0.0)
                    continue
                contents[-1].rows.append(cells)
        if bloc.tables and (comp_col is None or mod_col is None):
            b.warn("bloc_columns_unread", f"bloc table headers {header!r} do not name the competences and the "
                   "modalities; read as competences then modalities", page=bloc.tables[0].page)
            free = sorted({c for content in contents for row in content.rows for c in row})
            comp_col, mod_col = (free + [None, None])[:2]
        out += [(content, comp_col, mod_col) for content in contents]
    return out


def emit_blocs(b: RecordBuilder, reading: Reading, vocab: set[str]) -> None:
    resume = resume_statements(reading)
    resume_texts = [e.text for e in resume]
    resume_pages: dict[str, list[int]] = {}
    for e in resume:
        resume_pages.setdefault(_flat(e.text), sorted({ln.page for ln in e.lines}))
    for bloc, comp_col, mod_col in bloc_contents(b, reading, vocab):
        code = bloc.code
        key = b.add("block", None, code=code, codes=[Code(value=code, scheme="rncp_bloc")], title=bloc.title,
                    text=bloc.title, lines=bloc.lines)
        competences: list[str] = []
        comp_texts: list[str] = []
        modalities: list[tuple[str, list[Line]]] = []
        for cells in bloc.rows:
            comp_cell = cells.get(comp_col) if comp_col is not None else None
            if comp_cell is not None and comp_cell.lines:
                for group in cell_statements(comp_cell.lines, resume_texts):
                    text = _group_text(group, vocab)
                    twice = next((t for t in resume_texts if _flat(t) == _flat(text)), None)
                    if twice is not None and twice != text:
                        text = twice  # the wider print keeps words a narrow cell broke
                    pages = resume_pages.get(_flat(text), [])
                    competences.append(b.add("competence", key, title=text, text=text, lines=group, pages=pages))
                    comp_texts.append(text)
            mod_cell = cells.get(mod_col) if mod_col is not None else None
            if mod_cell is not None and mod_cell.lines:
                for e in parse_entries(mod_cell.lines):
                    text = entry_text(e, vocab)
                    if text:
                        modalities.append((text, e.lines))
            for col, c in cells.items():
                if col not in (comp_col, mod_col) and c.lines:
                    b.add("residual", key, text=cell_text(c.lines, vocab), lines=c.lines, confidence=0.0)
                    b.warn("bloc_extra_column", f"bloc {code}: a cell outside its competences and modalities kept as "
                           "residual", page=c.page)
        for text, lines in modalities:
            mkey = b.add("assessment_modality", key, title=None, text=text, lines=lines)
            for ck in competences:
                b.relate("assesses", mkey, ck)
        if bloc.stray:
            b.add("residual", key, text="\n".join(ln.text for ln in bloc.stray), lines=bloc.stray, confidence=0.0)
            b.warn("bloc_text_outside_table", f"bloc {code}: {len(bloc.stray)} line(s) printed outside its table kept "
                   "as residual", page=bloc.stray[0].page)
        unprinted = [t for t in comp_texts if _flat(t) not in resume_pages]
        if resume and unprinted:
            b.info("statement_not_in_resume", f"bloc {code}: {len(unprinted)} statement(s) not reprinted as such under "
                   "« Compétences attestées »", page=bloc.lines[0].page if bloc.lines else None)


# ---------------------------------------------------------------- assembly


def extract(doc: Document) -> FamilyResult:
    parts, buttons, _ = page_stream(doc)
    reading = read_fiche(parts)
    vocab = vocabulary(doc)
    md = metadata(reading, vocab)
    if md.rncp is None:
        codes = [re.sub(r"\s+", "", bl.heading.code or "") for bl in reading.blocs if bl.heading is not None]
        m = re.match(r"RNCP\d+", codes[0]) if codes else None
        md.rncp = m.group(0) if m else None
    title = reading.title.text if reading.title else None
    builder = RecordBuilder(f"fiche:{md.rncp or slugify(title or doc.path.stem)}", extractor="rncp-fiche")
    if md.rncp is None:
        builder.warn("no_rncp_code", "no RNCP code printed (« Code de la fiche », bloc codes): keyed by the title")
    if title is None:
        builder.warn("no_title", "no title heading found on the fiche")
    if buttons:
        builder.info("buttons_left_out", "the page's buttons are not content: "
                     + "; ".join(sorted({ln.text for ln in buttons})), page=buttons[0].page)
    for page in sorted({ln.page for ln in reading.header_lines}):
        texts = [ln.text for ln in reading.header_lines if ln.page == page]
        builder.info("page_header_left_out", f"{len(texts)} line(s) above the fiche's rubriques (banner, navigation, "
                     f"buttons) left out: " + " | ".join(texts)[:300], page=page)
    emit_blocs(builder, reading, vocab)
    if not reading.blocs:
        builder.warn("no_blocs", "no « RNCP…BCnn - » bloc heading found: the fiche's blocs were not read")
    for o in reading.orphans:
        lines = [ln for row in o.rows for c in row for ln in c.lines] if isinstance(o, Table) else [o]
        if lines:
            builder.add("residual", None, text="\n".join(ln.text for ln in lines), lines=lines, confidence=0.0)
    if reading.orphans:
        builder.warn("text_outside_rubriques", f"{len(reading.orphans)} line(s) or table(s) under no rubrique kept as "
                     "residual nodes")
    sections: dict[str, str] = {}
    for s in reading.sections:
        text = _section_text(s, vocab)
        if s.heading is not None and s.heading.kind == "chapter" and not text:
            continue  # a chapter holding only rubriques: the rubriques are the sections
        if s.key in sections:
            sections[s.key] = "\n".join(t for t in (sections[s.key], text) if t)
        else:
            sections[s.key] = text
    codes = ([Code(value=md.rncp, scheme="rncp")] if md.rncp else []) + [
        Code(value=c.code, scheme="formacode") for c in md.formacodes]
    cert = Certification(title=title, codes=codes, level=md.level,
                         certifier=" / ".join(md.certifiers) or None, dates=md.dates, nsf=md.nsf, rome=md.rome,
                         sections=sections)
    return FamilyResult(builder.doc_key, cert, builder)
