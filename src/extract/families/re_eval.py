"""RE / RC: référentiels d'évaluation of the titres professionnels.

Nodes come from two ruled tables, recognised by their header words:
- 3.1 (Modalités · Compétences évaluées · Durée · Détail): one assessment_modality per row with a
  modality name; `assesses` to each competence its "Compétences évaluées" cell lists;
- 3.2 (Compétences professionnelles · Critères d'évaluation · rotated modality columns): a bold
  row across the table is an activity type, each other row a competence and its criteria.
Rotated header text and ticks never become text: only upright text of the first two columns does.
The 3.2 ticks (check boxes of the document model) are compared with the 3.1 lists: where they
disagree, a warning says so (the relations follow 3.1, as FAMILIES.md section 3 says).
"""

from __future__ import annotations

import re
from datetime import date

from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.families.reac import footer_table
from extract.docmodel.grid import CellPart, PageGrid
from extract.docmodel.marks import CheckBox, check_boxes
from extract.layout import Line, PageLayout, rotated_text
from extract.records import RecordBuilder
from extract.schema import Certification, Code
from extract.docmodel.structure import Entry, build_items, parse_entries, split_marker
from extract.text import fold, join_wrapped, normalize_text

ARTICLE = re.compile(r"^(Le|La|Les|L['’]|Un|Une|Des|Du|Ce|Cette|Ces|Chaque|Toute?s?|Aucune?)\b|^L['’]")
DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _iso(text: str | None) -> date | None:
    m = DATE.search(text or "")
    return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def _header(grid: PageGrid) -> tuple[str, dict[str, int], float] | None:
    """Which table this grid is (3.1 or 3.2), its column roles, and where its data starts."""
    cols: dict[int, list] = {}
    for w in grid.words:
        col = grid.col_of(w.xc)
        if col is not None and w.upright and grid.top - 5 <= w.top <= grid.top + 90:
            cols.setdefault(col, []).append(w)
    text = {c: fold(" ".join(w.text for w in sorted(ws, key=lambda w: (round(w.top), w.x0)))) for c, ws in cols.items()}
    roles: dict[str, int] = {}
    for c, t in sorted(text.items()):
        if t.startswith("MODALITES") and "modality" not in roles:
            roles["modality"] = c
        elif "COMPETENCES EVALUEES" in t:
            roles["evaluated"] = c
        elif t.startswith("DUREE"):
            roles["duration"] = c
        elif t.startswith("DETAIL"):
            roles["detail"] = c
        elif "COMPETENCES PROFESSIONNELLES" in t:
            roles["competence"] = c
        elif "CRITERES" in t and "competence" in roles:
            roles["criteria"] = c
    if {"modality", "duration"} <= set(roles):
        kind, key = "3.1", "modality"
    elif {"competence", "criteria"} <= set(roles):
        kind, key = "3.2", "competence"
    else:
        return None
    # The header ends at the first ruling under the key column's own header word (its lowest
    # occurrence: a title row may repeat it above).
    stem = "MODALIT" if kind == "3.1" else "COMPETENCE"
    bottom = max(w.bottom for w in cols[roles[key]] if fold(w.text).startswith(stem))
    below = [y for y in grid.rules[roles[key]] if y > bottom]
    return kind, roles, (min(below) if below else bottom + 2)


def _column_heads(grid: PageGrid, data_top: float) -> dict[int, str]:
    """Header text of each column, upright or rotated, as one comparable string. Only the column's
    own header cell counts (below the last ruling crossing it in the header): a cell spanning
    several columns above it ("Autres modalités d'évaluation") names a group of columns."""
    out: dict[int, str] = {}
    for col in range(grid.ncols):
        x0, x1 = grid.bounds[col], grid.bounds[col + 1]
        top = max([y for y in grid.rules[col] if y < data_top - 1] or [grid.top - 1])
        words = grid.words_in(x0, top, x1, data_top)
        upright = [ln.text for ln in grid.lines_in(x0, top, x1, data_top)]
        rotated = rotated_text(PageLayout(grid.page, 0, 0, [w for w in words if not w.upright]))
        out[col] = _comparable(" ".join(upright + rotated))
    return out


def _comparable(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", " ", fold(normalize_text(text))).strip()


def _record_ticks(grid: PageGrid, heads: dict[int, str], boxes: list[CheckBox], comp_key: str,
                  ticks: dict[str, set[str]]) -> set[str]:
    """Which columns of a competence's row hold a check box (returned), and which are ticked."""
    seen = set()
    for box in boxes:
        col = grid.col_of(box.xc)
        if col is None or not heads.get(col):
            continue
        seen.add(heads[col])
        column = ticks.setdefault(heads[col], set())
        if box.checked:
            column.add(comp_key)
    return seen


def _cell_lines(grid: PageGrid, col: int, part: CellPart) -> list[Line]:
    return grid.lines_in(grid.bounds[col], part.top, grid.bounds[col + 1], part.bottom)


def _entries(grid: PageGrid, col: int, lines: list[Line]) -> list[Entry]:
    return parse_entries(lines, right_edge=grid.bounds[col + 1] - 3) if lines else []


def split_criteria(lines: list[Line], right: float) -> list[list[Line]]:
    """One criterion per group of lines: a line continues if it starts in lower case or with
    punctuation, or if its first word would not have fitted above; a new criterion starts after
    a sentence end or at an article."""
    groups: list[list[Line]] = []
    for ln in lines:
        if not groups:
            groups.append([ln])
            continue
        prev = groups[-1][-1]
        text = ln.text
        first = ln.words[0]
        fits = prev.x1 + 0.3 * ln.size + (first.x1 - first.x0) < right
        starts_lower = bool(text) and (text[0].islower() or not text[0].isalnum())
        if prev.page == ln.page and (starts_lower or (not fits and not ARTICLE.match(text)
                                                      and not prev.text.rstrip().endswith((".", "!", "?")))):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def certification(doc: Document, footer: dict[str, str]) -> Certification:
    cover = doc.content_lines(doc.pages[0])
    title = level = None
    for ln in cover:
        f = fold(ln.text)
        if f.startswith("NIVEAU"):
            level = ln.text
        elif ln.size >= 14 and not any(k in f for k in ("REFERENTIEL", "TITRE PROFESSIONNEL")) and title is None:
            title = ln.text
    text = "\n".join(ln.text for p in doc.pages[:6] for ln in doc.content_lines(p))
    codes = []
    for label, scheme in (("CODE TITRE", "reac_title"), ("SIGLE", "reac_sigle"), ("MILLESIME", "reac_millesime")):
        if footer.get(label):
            codes.append(Code(value=footer[label], scheme=scheme))
    m = re.search(r"Formacode\s*:?\s*([\d ,;]+)", text)
    if m:
        codes += [Code(value=c, scheme="formacode") for c in re.findall(r"\d{5}", m.group(1))]

    def after(label: str) -> date | None:
        mm = re.search(label + r"[^\n:]*:\s*(\d{2}/\d{2}/\d{4})", text)
        return _iso(mm.group(1)) if mm else None

    return Certification(
        title=title, codes=codes, level=level,
        dates={"arrete": after(r"Date de l['’]arrêté"), "jo": after(r"Date de parution au JO"),
               "effet": after(r"Date d['’]effet"), "update": _iso(footer.get("DATE DE MISE A JOUR"))},
    )


def _main_grid(doc: Document, page: int) -> PageGrid | None:
    """The page's largest table fragment in the document model (3.1 and 3.2 fill their pages)."""
    grids = [f.grid for t in doc.tables for f in t.fragments if f.page == page]  # type: ignore[attr-defined]
    return max(grids, key=lambda g: (g.bottom - g.top) * (g.bounds[-1] - g.bounds[0]), default=None)


def extract(doc: Document) -> FamilyResult:
    footer = footer_table(doc)
    cert = certification(doc, footer)
    code = footer.get("CODE TITRE")
    if not code:
        m = re.search(r"\bTP\s*-?\s*\d{5}\b", doc.text(max_pages=4))
        code = m.group(0).replace(" ", "") if m else None
    b = RecordBuilder(f"re:{code or doc.path.stem}@{footer.get('MILLESIME', '00')}", extractor="re")
    modalities: list[tuple[str, str, list[str]]] = []  # (key, title, names of the competences it evaluates)
    ticks: dict[str, set[str]] = {}  # 3.2 column header -> keys of the competences ticked in it
    tick_pages: dict[str, int] = {}  # 3.2 column header -> first page with a check box in it
    competences: dict[str, str] = {}  # normalized title -> key
    at_key: str | None = None
    comp_key: str | None = None
    trailing: dict[str, str] = {}
    tables = []
    for page in doc.pages:
        grid = _main_grid(doc, page.number)
        if grid is None:
            continue
        head = _header(grid)
        if head is None and tables and tables[-1][0].page == page.number - 1:
            prev_grid, prev_kind, prev_roles, _ = tables[-1]
            if prev_grid.ncols == grid.ncols and all(abs(a - c) < 4 for a, c in zip(prev_grid.bounds, grid.bounds)):
                head = (prev_kind, prev_roles, grid.top)
        if head is None:
            continue
        kind, roles, data_top = head
        tables.append((grid, kind, roles, data_top))
    # Only the titre's own tables: the first run of consecutive pages of each kind.
    runs: dict[str, list] = {}
    closed: set[str] = set()
    for t in tables:
        run = runs.setdefault(t[1], [])
        if t[1] in closed:
            continue
        if run and run[-1][0].page != t[0].page - 1:
            closed.add(t[1])
            continue
        run.append(t)
    tables = [t for k in ("3.1", "3.2") for t in runs.get(k, [])]
    # 3.1 before 3.2: modalities come first in position. A row at the top of a continuation page
    # with an empty Modalités cell goes on with the row above.
    rows: list[dict] = []
    for grid, kind, roles, data_top in [t for t in tables if t[1] == "3.1"]:
        for part in grid.cells(roles["modality"], data_top):
            cells = {r: _cell_lines(grid, c, part) for r, c in roles.items()}
            continues = (not cells["modality"] and rows and abs(part.top - data_top) < 3
                         and rows[-1]["page"] == grid.page - 1)
            if continues:
                for r, lines in cells.items():
                    rows[-1]["cells"].setdefault(r, []).extend(lines)
                rows[-1]["page"] = grid.page
            elif cells["modality"]:
                rows.append({"cells": cells, "page": grid.page, "grid": grid, "roles": roles})
            # else: a total row ("Durée totale…") names no modality
    for row in rows:
        cells, grid, roles = row["cells"], row["grid"], row["roles"]
        name_lines = cells["modality"]
        marker, words = split_marker(name_lines[0])
        title = join_wrapped([(" ".join(w.text for w in words) if i == 0 and marker else ln.text)
                              for i, ln in enumerate(name_lines)])
        duration = [ln.text for ln in cells.get("duration", [])]
        detail = _entries(grid, roles["detail"], cells["detail"]) if "detail" in roles else []
        text = "\n".join(([join_wrapped(duration)] if duration else []) + [e.text for e in detail if e.text])
        key = b.add("assessment_modality", None, title=title, text=text, items=build_items(detail),
                    lines=name_lines + [ln for e in detail for ln in e.lines])
        evaluated = []
        if "evaluated" in roles:
            evaluated = [e.text for e in _entries(grid, roles["evaluated"], cells["evaluated"])
                         if fold(e.text) not in ("SANS OBJET", "NEANT")]
        modalities.append((key, title, evaluated))
    for grid, kind, roles, data_top in [t for t in tables if t[1] == "3.2"]:
        heads = _column_heads(grid, data_top)
        boxes = check_boxes(doc.pages[grid.page - 1])
        full = [(a, bb) for a, bb in grid.full_rows if a >= data_top - 1]
        bands = sorted([("at", a, bb) for a, bb in full]
                       + [("row", p.top, p.bottom) for p in grid.cells(roles["competence"], data_top)],
                       key=lambda t: t[1])
        for i, (what, top, bottom) in enumerate(bands):
            if what == "at":
                lines = [ln for ln in grid.full_row_lines(top, bottom) if ln.words[0].upright]
                if not lines:
                    continue
                if all(w != "row" for w, _, _ in bands[i + 1 :]) and grid is tables[-1][0]:
                    # A full-width row closing the table ("Obligations … : Sans objet") is no
                    # activity type: kept with the certification's sections.
                    text = join_wrapped([ln.text for ln in lines])
                    head, _, rest = text.partition(":")
                    trailing[head.strip() + " :" if rest else text] = rest.strip()
                    continue
                title = join_wrapped([ln.text for ln in lines])
                n = sum(1 for nd in b.nodes if nd["node_type"] == "activity_type") + 1
                at_key = b.add("activity_type", None, code=str(n), codes=[Code(value=str(n), scheme="reac_at")],
                               title=title, text=title, lines=lines)
                comp_key = None
                continue
            comp_lines = grid.lines_in(grid.bounds[roles["competence"]], top, grid.bounds[roles["competence"] + 1], bottom)
            crit_lines = grid.lines_in(grid.bounds[roles["criteria"]], top, grid.bounds[roles["criteria"] + 1], bottom)
            if comp_lines:
                title = join_wrapped([ln.text for ln in comp_lines])
                if at_key is None:
                    b.warn("competence_without_activity", f"competence {title!r} printed before any activity type row",
                           page=grid.page)
                comp_key = b.add("competence", at_key, title=title, text=title, lines=comp_lines)
                for head in _record_ticks(grid, heads, [x for x in boxes if top <= x.yc < bottom], comp_key, ticks):
                    tick_pages.setdefault(head, grid.page)
                competences[normalize_text(title).lower()] = comp_key
            if comp_key is None:
                continue
            for group in split_criteria(crit_lines, grid.bounds[roles["criteria"] + 1] - 3):
                b.add("assessment_criterion", comp_key, text=join_wrapped([ln.text for ln in group]),
                      lines=group, criterion_kind="evaluation")
    if not tables:
        residual_blocks(doc, b)
        b.warn("no_evaluation_table", "neither table 3.1 (modalités) nor 3.2 (critères) was found")
    if trailing:
        cert.sections.update(trailing)
    for mkey, mtitle, names in modalities:
        listed = set()
        for name in names:
            ck = competences.get(normalize_text(name).lower())
            if ck is None:
                b.warn("unknown_evaluated_competence", f"{name!r} is listed as evaluated but is no competence of table 3.2")
                continue
            b.relate("assesses", mkey, ck)
            listed.add(ck)
        head = _comparable(mtitle)
        ticked = ticks.get(head)
        if ticked is not None and ticked != listed:
            def rel(keys: set[str]) -> list[str]:
                return sorted(k.split("/", 1)[1] for k in keys)

            b.warn("ticks_disagree_with_3_1",
                   f"modality {mtitle!r}: table 3.2 ticks {len(ticked)} competence(s), table 3.1 lists {len(listed)}"
                   f" (ticked only: {rel(ticked - listed)}; listed only: {rel(listed - ticked)})",
                   page=tick_pages.get(head))
    return FamilyResult(b.doc_key, cert, b)
