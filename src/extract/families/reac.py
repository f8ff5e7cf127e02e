"""REAC of the titres professionnels (Ministère du Travail).

The template is a sequence of fiches announced by a bold, centred header line:
FICHE ACTIVITÉ TYPE N° x · FICHE COMPÉTENCE PROFESSIONNELLE N° n · FICHE DES COMPÉTENCES
TRANSVERSALES · Glossaire technique · Glossaire du REAC. Inside a fiche, the title is set larger
than sub-headings, sub-headings larger than body text. A footer table on every page carries the
SIGLE, code titre, millésime and dates. Everything is read from those printed cues.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.docmodel.furniture import furniture_fields
from extract.docmodel.tables import Table, TableCell
from extract.layout import Line
from extract.records import RecordBuilder
from extract.schema import Certification, Code, LabelledCode
from extract.docmodel.structure import Entry, build_items, parse_entries
from extract.text import fold, join_wrapped, normalize_text


FICHE_AT = re.compile(r"^FICHE ACTIVITE TYPE(?:\s+N\s*°?\s*(\d+))?\s*$")
FICHE_CP = re.compile(r"^FICHE COMPETENCE PROFESSIONNELLE(?:\s+N\s*°?\s*(\d+))?\s*$")
FICHE_TRANSVERSAL = re.compile(r"^FICHE DES COMPETENCES TRANSVERSALES")
FICHE_OTHER = re.compile(r"^(FICHE EMPLOI TYPE|VUE SYNOPTIQUE|SOMMAIRE|INTRODUCTION)\b")
GLOSSARY = re.compile(r"^GLOSSAIRE (TECHNIQUE|DU REAC)\s*$")
NUMBER_LINE = re.compile(r"^N\s*°\s*(\d+)\s*$")
CRITERIA_HEAD = re.compile(r"^CRITERES DE PERFORMANCE\s*$")
KNOWLEDGE_HEAD = re.compile(r"^(SAVOIRS?|SAVOIR-FAIRE)\b.*")
TOC_LEADER = re.compile(r"\.{5,}")
CATEGORY_WORDS = (
    ("TECHNIQUE", "technical_know_how"),
    ("ORGANISATIONNEL", "organisational_know_how"),
    ("RELATIONNEL", "relational_know_how"),
)


@dataclass
class Metrics:
    """What the page shows of the text block: body size, margins, line pitch."""

    body_size: float
    right: float
    body_top: float
    body_bottom: float
    pitch: float


def right_margin(lines: list[Line]) -> float:
    """Where justified lines end: the most common line end near the widest."""
    widest = max((ln.x1 for ln in lines), default=0.0)
    x1s = Counter(round(ln.x1, 0) for ln in lines if ln.x1 >= widest - 25)
    return x1s.most_common(1)[0][0] + 0.5 if x1s else widest


def measure(doc: Document, lines: list[Line]) -> Metrics:
    sizes = Counter(round(ln.size, 1) for ln in lines)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    body_lines = [ln for ln in lines if abs(ln.size - body) < 0.3]
    right = right_margin(body_lines)
    gaps = Counter(
        round(b.top - a.top, 1)
        for a, b in zip(body_lines, body_lines[1:])
        if a.page == b.page and 0.9 * body < b.top - a.top < 1.8 * body
    )
    pitch = gaps.most_common(1)[0][0] if gaps else body * 1.15
    tops: Counter[float] = Counter()
    for p in doc.pages:
        page_lines = [ln for ln in lines if ln.page == p.number]
        if page_lines:
            tops[round(min(ln.top for ln in page_lines), 0)] += 1
    body_top = tops.most_common(1)[0][0] if tops else 0.0
    body_bottom = max((ln.bottom for ln in body_lines), default=0.0)
    return Metrics(body, right, body_top, body_bottom, pitch)


@dataclass
class Section:
    kind: str  # at | cp | transversal | glossary | other
    number: str | None
    header: list[Line]
    lines: list[Line]


def split_sections(lines: list[Line], page_widths: dict[int, float] | None = None) -> tuple[list[Line], list[Section]]:
    """Cut the document at fiche headers; what precedes the first one is the preamble.

    A centred bold line opening a page that is no known header (a back cover's "Reproduction
    interdite") ends the current fiche too: it becomes an "other" section.
    """
    preamble: list[Line] = []
    sections: list[Section] = []
    widths = page_widths or {}
    i = 0
    while i < len(lines):
        ln = lines[i]
        f = fold(ln.text)
        header: tuple[str, str | None] | None = None
        opens_page = i == 0 or lines[i - 1].page != ln.page
        if ln.bold and not TOC_LEADER.search(ln.text):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            for kind, pattern in (("at", FICHE_AT), ("cp", FICHE_CP)):
                m = pattern.match(f)
                if m:
                    number = m.group(1)
                    if number is None and nxt is not None and NUMBER_LINE.match(fold(nxt.text)):
                        number = NUMBER_LINE.match(fold(nxt.text)).group(1)  # type: ignore[union-attr]
                        header = (kind, number)
                        sections.append(Section(kind, number, [ln, nxt], []))
                        i += 2
                        break
                    header = (kind, number)
                    sections.append(Section(kind, number, [ln], []))
                    i += 1
                    break
            if header is None:
                if FICHE_TRANSVERSAL.match(f):
                    header = ("transversal", None)
                elif GLOSSARY.match(f):
                    header = ("glossary", None)
                elif FICHE_OTHER.match(f):
                    header = ("other", None)
                elif opens_page and ln.page in widths and sections and abs(
                    (ln.x0 + ln.x1) / 2 - widths[ln.page] / 2
                ) < 20 and ln.x0 > 100:
                    header = ("other", None)
                if header is not None:
                    sections.append(Section(header[0], None, [ln], []))
                    i += 1
        if header is None:
            (sections[-1].lines if sections else preamble).append(ln)
            i += 1
    return preamble, sections


def _title_and_body(lines: list[Line], m: Metrics) -> tuple[list[Line], list[Line]]:
    """A fiche's title: the lines set larger than sub-headings at its top."""
    title: list[Line] = []
    for k, ln in enumerate(lines):
        if ln.size >= m.body_size + 1.5 and ln.bold:
            title.append(ln)
        else:
            return title, lines[k:]
    return title, []


def _is_subheading(ln: Line, m: Metrics) -> bool:
    return m.body_size + 0.5 <= ln.size < m.body_size + 1.5


def text_entries(lines: list[Line], m: Metrics) -> list[Entry]:
    """Body text as entries, each sub-heading line its own entry."""
    out: list[Entry] = []
    run: list[Line] = []

    def flush() -> None:
        if run:
            out.extend(parse_entries(run, right_edge=m.right, justified=True))
            run.clear()

    for ln in lines:
        if _is_subheading(ln, m):
            flush()
            out.extend(parse_entries([ln], right_edge=m.right))
        else:
            run.append(ln)
    flush()
    return out


def _split_at(lines: list[Line], pattern: re.Pattern[str], m: Metrics) -> tuple[list[Line], Line | None, list[Line]]:
    for k, ln in enumerate(lines):
        if _is_subheading(ln, m) and pattern.match(fold(ln.text)):
            return lines[:k], ln, lines[k + 1 :]
    return lines, None, []


def categories_of(heading: str) -> list[str]:
    """The categories a combined savoirs heading names, in printed order."""
    cats = []
    for part in re.split(r",|\bET\b", fold(heading)):
        part = part.strip()
        if not part:
            continue
        if part.startswith("SAVOIR-FAIRE") or part.startswith("SAVOIR FAIRE"):
            cat = next((c for word, c in CATEGORY_WORDS if word in part), "other")
        elif part.startswith("SAVOIR") or part.startswith("CONNAISSANCE"):
            cat = "knowledge"
        else:
            cat = "other"
        cats.append(cat)
    return cats or ["other"]


def knowledge_groups(entries: list[Entry], m: Metrics) -> list[tuple[int, list[Entry]]]:
    """Paragraphs grouped by blank lines, each group with how many categories it skips.

    A blank line is a gap of one more pitch; k blank lines in a row skip k-1 categories. At a
    page top a blank shows as a first line set lower; at a page bottom one is inferred when the
    whole next paragraph would have fitted in the space left (it was pushed over by a blank).
    """
    groups: list[tuple[int, list[Entry]]] = []
    prev: Line | None = None
    for e in entries:
        first = e.lines[0]
        blanks = 0
        if prev is not None:
            if first.page == prev.page:
                blanks = max(0, round((first.top - prev.top - m.pitch) / m.pitch))
            else:
                on_first_page = [ln for ln in e.lines if ln.page == first.page]
                height = len(on_first_page) * m.pitch + (first.bottom - first.top)
                fits = prev.top + height <= m.body_bottom + 0.5
                at_top = max(0, round((first.top - m.body_top) / m.pitch))
                blanks = (1 if fits else 0) + at_top
        if prev is None or blanks >= 1:
            groups.append((max(0, blanks - 1), [e]))
        else:
            groups[-1][1].append(e)
        prev = e.lines[-1]
    return groups


def _pages(lines: list[Line]) -> list[int]:
    return sorted({ln.page for ln in lines})


# ---------------------------------------------------------------- synoptic table


def synoptic_table(doc: Document) -> dict[str, str]:
    """CP number -> AT number, read from the 'Vue synoptique' table of the document model.

    The AT number sits in a merged cell of its column ("N° Fiche AT"); the CP numbers printed
    beside that cell (in the "N° Fiche CP" column) belong to it. A table without a header on
    the same page continues the columns of the one above."""
    pages = {p.number for p in doc.pages if any("SYNOPTIQUE" in fold(ln.text) for ln in doc.content_lines(p)[:5])}
    mapping: dict[str, str] = {}
    columns: tuple[int, int] | None = None
    # The table and the page after it, where it may go on.
    for t in doc.tables_on(pages | {n + 1 for n in pages}):  # type: ignore[attr-defined]
        if t.pages[0] not in pages:
            continue
        found = _at_cp_columns(t)
        if found is None and columns is not None and t.ncols > max(columns):
            found = columns
        if found is None:
            continue
        columns = found
        mapping.update(_synoptic_block(t, *found))
    return mapping


def _at_cp_columns(t: Table) -> tuple[int, int] | None:
    words = [set(fold(h).replace("°", " ").split()) for h in t.header]
    at = next((c for c, w in enumerate(words) if "AT" in w), None)
    cp = next((c for c, w in enumerate(words) if "CP" in w), None)
    return (at, cp) if at is not None and cp is not None and at != cp else None


def _synoptic_block(t: Table, at_col: int, cp_col: int) -> dict[str, str]:
    mapping: dict[str, str] = {}
    cps: list[TableCell] = t.columns[cp_col]
    for cell in t.columns[at_col]:
        at = next((w.text for ln in cell.lines for w in ln.words if w.text.isdigit()), None)
        if at is None:
            continue
        for c in cps:
            if c.overlap(cell) > 1:
                for ln in c.lines:
                    for w in ln.words:
                        if w.text.isdigit():
                            mapping[w.text] = at
    return mapping


# ---------------------------------------------------------------- metadata


DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def _iso(text: str | None) -> date | None:
    m = DATE.search(text or "")
    return date(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


FOOTER_SYNONYMS = {
    "LIBELLE ABREGE": "SIGLE",
    "CODE TITRE PROFESSIONNEL": "CODE TITRE",
    "VERSION": "MILLESIME",
}


def footer_table(doc: Document) -> dict[str, str]:
    """The footer table's values by label (SIGLE, Code titre, Millésime, dates...), older label
    sets mapped to the current ones. The model reads the table (docmodel.furniture)."""
    return {FOOTER_SYNONYMS.get(k, k): v for k, v in furniture_fields(doc.pages).items()}


SECTION_SKIP = re.compile(r"^(SOMMAIRE|VUE SYNOPTIQUE)")


def certification_sections(preamble: list[Line], others: list[Section], m: Metrics) -> dict[str, str]:
    """Rubriques outside the fiches, keyed by their heading as printed (cover and contents excluded)."""
    sections: dict[str, list[Line]] = {}
    current: str | None = None
    blocks = [preamble] + [s.header + s.lines for s in others if not SECTION_SKIP.match(fold(s.header[0].text))]
    for block in blocks:
        for ln in block:
            if TOC_LEADER.search(ln.text):
                continue
            heading = _is_subheading(ln, m) or (ln.bold and ln.size < m.body_size - 0.5)
            if heading:
                current = ln.text
                sections.setdefault(current, [])
            elif current is not None and ln.size < m.body_size + 1.5:
                sections[current].append(ln)
            elif ln.size >= m.body_size + 1.5 or FICHE_OTHER.match(fold(ln.text)):
                current = None  # a page title ends the rubrique
    out = {}
    for heading, lines in sections.items():
        entries = parse_entries(lines, right_edge=m.right, justified=True) if lines else []
        out[heading] = "\n".join(e.text for e in entries if e.text)
    return out


def _nsf_rome(sections: dict[str, str]) -> tuple[list[LabelledCode], list[LabelledCode]]:
    nsf: list[LabelledCode] = []
    rome: list[LabelledCode] = []
    for heading, text in sections.items():
        for line in text.splitlines():
            m = re.match(r"^(\d{3}[a-z]{1,2})(?:-[a-z])?\s*-\s*(.+)$", line.strip())
            if m:
                nsf.append(LabelledCode(code=m.group(1), label=m.group(2).strip()))
            if "ROME" in fold(heading):
                r = re.match(r"^([A-N]\d{4})\s*[-–]?\s*(.+)$", line.strip())
                if r:
                    rome.append(LabelledCode(code=r.group(1), label=r.group(2).strip()))
    return nsf, rome


def certification(doc: Document, footer: dict[str, str], sections: dict[str, str]) -> Certification:
    cover = doc.content_lines(doc.pages[0])
    big = [ln for ln in cover if ln.size >= 14]
    title = level = None
    for k, ln in enumerate(big):
        f = fold(ln.text)
        if f.startswith("NIVEAU"):
            level = ln.text
        elif "TITRE PROFESSIONNEL" in f or "REFERENTIEL" in f or "EMPLOI ACTIVITES" in f:
            continue
        elif title is None:
            title = ln.text
    codes = []
    code = footer.get("CODE TITRE")
    if code:
        codes.append(Code(value=code, scheme="reac_title"))
    if footer.get("SIGLE"):
        codes.append(Code(value=footer["SIGLE"], scheme="reac_sigle"))
    if footer.get("MILLESIME"):
        codes.append(Code(value=footer["MILLESIME"], scheme="reac_millesime"))
    nsf, rome = _nsf_rome(sections)
    return Certification(
        title=title,
        codes=codes,
        level=level,
        dates={"validation": _iso(footer.get("DATE DE VALIDATION")), "update": _iso(footer.get("DATE DE MISE A JOUR"))},
        nsf=nsf,
        rome=rome,
        sections=sections,
    )


# ---------------------------------------------------------------- assembly


def extract(doc: Document) -> FamilyResult:
    lines = [ln for p in doc.pages for ln in doc.content_lines(p)]
    m = measure(doc, lines)
    footer = footer_table(doc)
    preamble, sections = split_sections(lines, {p.number: p.width for p in doc.pages})
    cert = certification(doc, footer, certification_sections(preamble, [s for s in sections if s.kind == "other"], m))
    code = footer.get("CODE TITRE") or _find(r"\bTP\s*-?\s*\d{5}\b", doc)
    millesime = footer.get("MILLESIME") or "00"
    builder = RecordBuilder(f"reac:{(code or doc.path.stem).replace(' ', '')}@{millesime}", extractor="reac")
    if not code:
        builder.warn("no_tp_code", "no code titre (TP-xxxxx) found in the footer table or the text")
    if not any(s.kind in ("at", "cp") for s in sections):
        residual_blocks(doc, builder)
        builder.warn("no_fiche", "no FICHE ACTIVITÉ TYPE / COMPÉTENCE PROFESSIONNELLE header was found")
        return FamilyResult(builder.doc_key, cert, builder)

    at_keys: list[tuple[str, list[str]]] = []  # (AT key, CP titles listed in its fiche)
    at_by_number: dict[str, str] = {}
    for s in sections:
        if s.kind == "at":
            key, listed = _emit_at(builder, s, m)
            at_keys.append((key, listed))
            if s.number:
                at_by_number[s.number] = key
    cps = [s for s in sections if s.kind == "cp"]
    synoptic = synoptic_table(doc)
    if synoptic and len(synoptic) != len(cps):
        builder.warn("synoptic_count", f"the synoptic table lists {len(synoptic)} CP, the document has {len(cps)} CP fiches")
    elif not synoptic:
        builder.info("no_synoptic", "no synoptic table read: CP parents come from the AT fiches' lists")
    _emit_cps(builder, cps, at_keys, m, {cp: at_by_number[at] for cp, at in synoptic.items() if at in at_by_number})
    for s in sections:
        if s.kind == "transversal":
            _emit_transversal(builder, s, m)
    for s in sections:
        if s.kind == "glossary":
            _emit_glossary(builder, s, m)
    return FamilyResult(builder.doc_key, cert, builder)


def _find(pattern: str, doc: Document) -> str | None:
    mm = re.search(pattern, doc.text(max_pages=3))
    return mm.group(0).replace(" ", "") if mm else None


def _emit_at(b: RecordBuilder, s: Section, m: Metrics) -> tuple[str, list[str]]:
    title_lines, body = _title_and_body(s.lines, m)
    entries = text_entries(body, m)
    title = join_wrapped([ln.text for ln in title_lines]) or None
    key = b.add(
        "activity_type", None, code=s.number, codes=[Code(value=s.number, scheme="reac_at")] if s.number else [],
        title=title, text="\n".join(e.text for e in entries if e.text), items=build_items(entries),
        lines=title_lines + body, heading_as_printed=" ".join(ln.text for ln in s.header),
    )
    listed: list[str] = []
    collecting = False
    for e in entries:
        if len(e.lines) == 1 and _is_subheading(e.lines[0], m):
            collecting = "COMPETENCES PROFESSIONNELLES" in fold(e.text)
            continue
        if collecting:
            listed.append(e.text)
    return key, listed


def _emit_cps(b: RecordBuilder, cps: list[Section], ats: list[tuple[str, list[str]]], m: Metrics,
              synoptic: dict[str, str]) -> None:
    # Parent AT: the synoptic table's row; else the AT fiche that lists the CP's title; else the
    # AT whose list count covers it.
    by_title = {normalize_text(t).lower(): k for k, titles in ats for t in titles}
    quota = [(k, len(titles)) for k, titles in ats]
    slot = 0
    used = 0
    for s in cps:
        title_lines, body = _title_and_body(s.lines, m)
        title = join_wrapped([ln.text for ln in title_lines]) or None
        parent = synoptic.get(s.number or "") or by_title.get(normalize_text(title or "").lower())
        if parent is None and quota:
            while slot < len(quota) - 1 and used >= quota[slot][1]:
                slot, used = slot + 1, 0
            parent = quota[slot][0]
            b.warn("cp_parent_by_order", f"CP {s.number}: title not found in any AT list; placed under {parent}",
                   page=s.header[0].page)
        if parent is not None and quota and parent == quota[min(slot, len(quota) - 1)][0]:
            used += 1
        elif parent is not None:
            slot = next(i for i, (k, _) in enumerate(quota) if k == parent)
            used = 1
        desc, crit_head, rest = _split_at(body, CRITERIA_HEAD, m)
        criteria, know_head, knowledge = _split_at(rest, KNOWLEDGE_HEAD, m)
        entries = text_entries(desc, m)
        key = b.add(
            "competence", parent, code=s.number, codes=[Code(value=s.number, scheme="reac_cp")] if s.number else [],
            title=title, text="\n".join(e.text for e in entries if e.text), items=build_items(entries),
            lines=title_lines + desc, heading_as_printed=" ".join(ln.text for ln in s.header),
        )
        if crit_head is None:
            b.warn("no_criteria", f"CP {s.number} has no 'Critères de performance' heading", page=s.header[0].page)
        _emit_criteria(b, key, criteria, m)
        if know_head is None:
            b.warn("no_knowledge", f"CP {s.number} has no savoirs heading", page=s.header[0].page)
            continue
        cats = categories_of(know_head.text)
        rank: Counter[str] = Counter()
        k = -1
        labelled = _labelled_knowledge([know_head, *knowledge], m)
        if labelled is not None:
            # Each category printed under a label of its own ("Savoir-faire techniques :").
            for label, lines in labelled:
                cat = categories_of(label)[0]
                for e in parse_entries(lines, right_edge=m.right, justified=False, list_mode=True):
                    if e.text:
                        rank[cat] += 1
                        b.add("knowledge", key, key_segment=f"knowledge:{cat}:{rank[cat]}", text=e.text,
                              items=build_items([e]) if e.kind == "item" else [], lines=e.lines, category=cat)
            continue
        # Lists: an item ends where its next word would have fitted (ragged or justified alike).
        paragraphs = parse_entries(knowledge, right_edge=m.right, justified=False, list_mode=True)
        groups = knowledge_groups(paragraphs, m)
        # Extra blank lines only say which category is missing when some are: with as many
        # groups as named categories, they map one to one.
        use_skips = len(groups) < len(cats)
        for skipped, group in groups:
            k += 1 + (skipped if use_skips else 0)
            cat = cats[k] if k < len(cats) else "other"
            if k >= len(cats):
                b.warn("knowledge_group_unnamed", f"CP {s.number}: group {k + 1} has no category in the heading",
                       page=group[0].lines[0].page)
            for e in group:
                if not e.text:
                    continue
                rank[cat] += 1
                b.add("knowledge", key, key_segment=f"knowledge:{cat}:{rank[cat]}", text=e.text,
                      items=build_items([e]) if e.kind == "item" else [], lines=e.lines, category=cat)


def _labelled_knowledge(lines: list[Line], m: Metrics) -> list[tuple[str, list[Line]]] | None:
    """The savoirs split under labels naming one category each, when the template prints them so
    (a short line naming savoirs or savoir-faire, set as a heading or closed by a colon); None when
    it prints one combined heading over blank-line groups."""
    labels = [k for k, ln in enumerate(lines)
              if KNOWLEDGE_HEAD.match(fold(ln.text)) and len(ln.text.split()) <= 6
              and (_is_subheading(ln, m) or ln.bold or ln.text.rstrip().endswith(":"))
              and len(categories_of(ln.text)) == 1]
    if len(labels) < 2 or labels[0] != 0:
        return None
    bounds = labels + [len(lines)]
    return [(lines[a].text, lines[a + 1:b]) for a, b in zip(bounds, bounds[1:])]


def _emit_criteria(b: RecordBuilder, parent: str, lines: list[Line], m: Metrics) -> None:
    for e in parse_entries(lines, right_edge=m.right, justified=False, list_mode=True):
        if e.text:
            b.add("assessment_criterion", parent, text=e.text, lines=e.lines, criterion_kind="performance")


def _emit_transversal(b: RecordBuilder, s: Section, m: Metrics) -> None:
    # Each transversal competence opens with a title set larger than sub-headings.
    blocks: list[list[Line]] = []
    for ln in s.lines:
        if ln.bold and ln.size >= m.body_size + 1.5 and not (blocks and blocks[-1] and blocks[-1][-1].size >= m.body_size + 1.5 and ln.top - blocks[-1][-1].bottom < m.pitch):
            blocks.append([ln])
        elif blocks:
            blocks[-1].append(ln)
    for block in blocks:
        title_lines, body = _title_and_body(block, m)
        desc, _, criteria = _split_at(body, CRITERIA_HEAD, m)
        entries = text_entries(desc, m)
        key = b.add("transversal_competence", None, title=join_wrapped([ln.text for ln in title_lines]),
                    text="\n".join(e.text for e in entries if e.text), items=build_items(entries),
                    lines=title_lines + desc)
        _emit_criteria(b, key, criteria, m)


def _emit_glossary(b: RecordBuilder, s: Section, m: Metrics) -> None:
    lines = s.lines
    if not lines:
        return
    margin = min(ln.x0 for ln in lines)
    right = right_margin([ln for ln in lines if abs(ln.size - m.body_size) < 0.3])
    entries: list[tuple[list[Line], list[Line]]] = []
    for ln in lines:
        is_term = ln.bold and ln.x0 <= margin + 2 and ln.size >= m.body_size - 0.2
        if is_term and not (entries and not entries[-1][1] and ln.top - entries[-1][0][-1].bottom < m.pitch * 0.6):
            entries.append(([ln], []))
        elif is_term and entries and not entries[-1][1]:
            entries[-1][0].append(ln)  # a term wrapped over two lines
        elif entries:
            entries[-1][1].append(ln)
    for term, definition in entries:
        des = parse_entries(definition, right_edge=right, justified=True) if definition else []
        b.add("glossary_entry", None, title=join_wrapped([ln.text for ln in term]),
              text="\n".join(e.text for e in des if e.text), items=build_items(des), lines=term + definition)
