"""The RE / RC reader on small generated PDFs drawn the way Word writes an RC (expectations by hand):
borders cell by cell, one-line rows, rotated headers with a near-zero matrix, check boxes as squares
with diagonals, a grey cell as nested rectangles."""

from pathlib import Path

import pytest

from extract.document import read_document
from extract.docmodel.grid import find_grid
from extract.docmodel.marks import check_boxes
from extract.layout import rotated_text
from extract.pdf_reading import Limits
from extract.pipeline import extract_document
from pdfgen import WordPage, word_footer_table, word_pdf

X31 = [40, 230, 500, 560, 800]
X32 = [40, 250, 560, 640, 720]
LINE = 11.0
MODALITIES = [
    ("Mise en situation professionnelle", "Concevoir une base de données\nDévelopper une interface\nTester une application",
     "02 h 00 min", "Le candidat réalise une application.\nIl présente son travail au jury."),
    ("Entretien technique", "Concevoir une base de données\nTester une application", "00 h 30 min",
     "Le jury questionne le candidat."),
    ("Entretien final", None, "00 h 15 min", "Le jury vérifie la maîtrise des compétences."),
]
COMPETENCES = [
    ("Concevoir une base de données", ["Le schéma est normalisé", "Les données de test sont créées"]),
    ("Développer une interface", ["L'interface est conforme à la maquette"]),
    ("Tester une application", ["Les tests couvrent les cas nominaux", "Les anomalies sont consignées"]),
]


def _cover(pg: WordPage) -> None:
    pg.text(200, 150, "RÉFÉRENTIEL DE CERTIFICATION", 18, bold=True)
    pg.text(200, 200, "Testeur de logiciels", 16, bold=True)
    pg.text(200, 260, "Code titre : TP-09999", 10)


def _table_31(pg: WordPage, grey_pad: float) -> None:
    pg.text(40, 80, "3.1. Modalités d'évaluation des compétences et organisation de l'épreuve", 10, bold=True)
    top = 120.0
    bottom = top + LINE + 0.5  # a one-line header row: its border pieces are shorter than a glyph
    pg.grid_row(X31, top, bottom)
    for x, head in zip(X31, ("Modalités", "Compétences évaluées", "Durée", "Détail de l'organisation de l'épreuve")):
        pg.text(x + 4, top + 1, head, 8, bold=True)
    for name, evaluated, duration, detail in MODALITIES:
        top = bottom
        n = max(len((evaluated or "").split("\n")), len(detail.split("\n")))
        bottom = top + n * LINE + 4
        pg.grid_row(X31, top, bottom)
        pg.lines(X31[0] + 4, top + 2, name, bold=True)
        if evaluated is None:
            pg.grey_cell(X31[1] + 0.5, top + 0.5, X31[2], bottom, pad=grey_pad)
        else:
            pg.lines(X31[1] + 4, top + 2, evaluated)
        pg.lines(X31[2] + 4, top + 2, duration)
        pg.lines(X31[3] + 4, top + 2, detail)
    pg.close(X31, bottom)


def _table_32(pg: WordPage, ticks: list[tuple[bool, bool]], last_row_to: float | None = None) -> None:
    pg.text(40, 60, "3.2. Critères d'évaluation des compétences professionnelles", 10, bold=True)
    top, bottom = 90.0, 270.0
    pg.grid_row(X32, top, bottom)
    pg.text(X32[0] + 40, top + 80, "Compétences professionnelles", 9, bold=True)
    pg.text(X32[1] + 100, top + 80, "Critères d'évaluation", 9, bold=True)
    pg.rotated(X32[2] + 30, top + 6, "Mise en situation professionnelle")
    # a group header over the other modalities, ruled off above their own header cells
    pg.text(X32[3] + 4, top + 4, "Autres modalités", 8, bold=True)
    pg.fill(X32[3] + 0.5, top + 18, X32[4], top + 18.5)
    pg.rotated(X32[3] + 30, top + 24, "Entretien technique")
    top, bottom = bottom, bottom + LINE + 0.6  # the activity type: a full-width one-line row
    pg.grid_row(X32, top, bottom, inner=False)
    pg.text(X32[0] + 4, top + 1, "Développer une application sécurisée", 8, bold=True)
    for k, ((competence, criteria), row_ticks) in enumerate(zip(COMPETENCES, ticks)):
        top, bottom = bottom, bottom + len(criteria) * LINE + 6
        if last_row_to is not None and k == len(COMPETENCES) - 1:
            bottom = last_row_to
        pg.grid_row(X32, top, bottom)
        pg.lines(X32[0] + 4, top + 3, competence)
        pg.lines(X32[1] + 4, top + 3, "\n".join(criteria))
        for col, ticked in zip((2, 3), row_ticks):
            pg.check_box((X32[col] + X32[col + 1]) / 2, (top + bottom) / 2, ticked)
    pg.close(X32, bottom)


AGREEING = [(True, True), (True, False), (True, True)]


def _rc(path: Path, ticks=AGREEING, grey_pad: float = 5.1) -> Path:
    return word_pdf(path, [_cover, lambda pg: _table_31(pg, grey_pad), lambda pg: _table_32(pg, ticks)])


@pytest.mark.parametrize("grey_pad", [5.1, 2.0], ids=["word-padding", "thin-padding"])
def test_an_rc_drawn_by_word_is_read_whole(tmp_path, grey_pad):
    ref = extract_document(_rc(tmp_path / "rc.pdf", grey_pad=grey_pad))
    keys = {n.node_key.split("/", 1)[1]: n for n in ref.nodes}
    mods = [n for n in ref.nodes if n.node_type == "assessment_modality"]
    assert [m.title for m in mods] == [m[0] for m in MODALITIES]
    # The grey cell is one empty cell: the final interview evaluates nothing listed, and its row
    # is one row (its duration and detail belong to it).
    assert mods[2].text == "00 h 15 min\nLe jury vérifie la maîtrise des compétences."
    at = keys["activity_type:1"]
    assert at.title == "Développer une application sécurisée"
    comps = [n for n in ref.nodes if n.node_type == "competence"]
    assert [(c.node_key.split("/", 1)[1], c.title) for c in comps] == [
        (f"activity_type:1/competence:{i}", c[0]) for i, c in enumerate(COMPETENCES, 1)]
    crits = [n.text for n in ref.nodes if n.node_type == "assessment_criterion"]
    assert crits == [t for _, cs in COMPETENCES for t in cs]
    assesses = sorted((r.origin_key.rsplit("/", 1)[1], r.dest_key.split("/", 1)[1]) for r in ref.relations)
    assert assesses == [("assessment_modality:1", f"activity_type:1/competence:{i}") for i in (1, 2, 3)] + [
        ("assessment_modality:2", "activity_type:1/competence:1"), ("assessment_modality:2", "activity_type:1/competence:3")]
    # Header cells (rotated ones too) and check boxes are no text; the modality names are only
    # the modalities' titles.
    printed = "\n".join([n.text for n in ref.nodes] + [n.title or "" for n in ref.nodes if n not in mods])
    assert not any(h in printed for h in ("Compétences évaluées", "Mise en situation", "Entretien", "Autres modalités"))
    assert not [d for d in ref.diagnostics if d.level != "info"], ref.diagnostics


def test_ticks_that_disagree_with_table_3_1_are_a_warning(tmp_path):
    ticks = [(True, True), (True, True), (True, True)]  # 3.1 does not list "Développer une interface" for the interview
    ref = extract_document(_rc(tmp_path / "rc.pdf", ticks))
    warned = [d for d in ref.diagnostics if d.code == "ticks_disagree_with_3_1"]
    assert len(warned) == 1 and "Entretien technique" in warned[0].message and warned[0].page == 3
    assert "competence:2" in warned[0].message
    # the relations still follow table 3.1
    assert len([r for r in ref.relations if r.origin_key.endswith("assessment_modality:2")]) == 2


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_square_with_two_diagonals_is_a_ticked_box(tmp_path, engine):
    page = read_document(_rc(tmp_path / "rc.pdf"), Limits(engine=engine)).pages[2]
    boxes = check_boxes(page)
    assert [b.checked for b in boxes] == [t for row in AGREEING for t in row]
    assert all(abs((b.x1 - b.x0) - 9.4) < 0.5 and abs((b.bottom - b.top) - 9.4) < 0.5 for b in boxes)
    # a square's sides drawn without its diagonals are no tick; the diagonals are no ruling
    assert not any(abs(s.bottom - s.top - 9.4) < 0.5 and abs(s.x1 - s.x0 - 9.4) < 0.5 for s in page.segments)


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_a_header_written_with_a_near_zero_matrix_is_rotated(tmp_path, engine):
    page = read_document(_rc(tmp_path / "rc.pdf"), Limits(engine=engine)).pages[2]
    rotated = [w for w in page.words if not w.upright]
    assert "".join(w.text for w in rotated).replace(" ", "") == "MiseensituationprofessionnelleEntretientechnique"
    assert all(abs(w.size - 9) < 0.05 for w in rotated)
    assert not any(w.text in ("Mise", "Entretien") for w in page.words if w.upright)
    if engine == "pdfium":
        assert {w.rotation for w in rotated} == {90}
        assert rotated_text(page) == ["Mise en situation professionnelle", "Entretien technique"]


def test_a_condensed_rotated_header_keeps_its_size(tmp_path):
    """The glyph height runs along the matrix's second axis: a header squeezed along its baseline
    (the first axis) keeps its font size."""
    def draw(pg: WordPage) -> None:
        pg.c.setFont("Vera", 10)
        t = pg.c.beginText()
        t.setTextTransform(0, -0.8, 1, 0, 300, pg.h - 100)
        t.setFont("Vera", 10)
        t.textOut("Entretien")
        pg.c.drawText(t)

    page = read_document(word_pdf(tmp_path / "condensed.pdf", [draw])).pages[0]
    (word,) = page.words
    assert not word.upright and word.text == "Entretien" and abs(word.size - 10) < 0.05


def test_one_line_rows_drawn_in_pieces_stay_in_the_grid(tmp_path):
    page = read_document(_rc(tmp_path / "rc.pdf")).pages[2]
    grid = find_grid(page)
    assert grid is not None and abs(grid.top - 90) < 1 and grid.ncols == 4
    # the activity type's one-line row is a full-width row of the same grid
    assert len([r for r in grid.full_rows if r[1] - r[0] < 13]) == 1


FOOTER = [("SIGLE", "TDL"), ("Type de document", "RC"), ("Code titre", "TP-09999"), ("Millésime", "01"),
          ("Date dernier JO", "17/04/2018"), ("Date de mise à jour", "19/04/2018"), ("Page", "")]


def _with_footer(draw, n: int, total: int, portrait: bool, tops: dict[int, float]):
    """Portrait pages carry the footer table low and narrow (its labels wrap); landscape pages
    carry it wider (one line of labels) and higher: at another height and another shape."""
    cells = [(label, value or f"{n}/{total}") for label, value in FOOTER]

    def page(pg: WordPage) -> None:
        draw(pg)
        if portrait:
            tops[n] = word_footer_table(pg, cells, 110, [54] * 7, bottom=28)
        else:
            tops[n] = word_footer_table(pg, cells, 180, [70] * 7, bottom=48)
    return page


def _text_page(*lines: str):
    def draw(pg: WordPage) -> None:
        for i, line in enumerate(lines):
            pg.text(60, 80 + i * 14, line, 10)
    return draw


def _mixed_rc(path: Path, turned: bool = False) -> tuple[Path, dict[int, float]]:
    draws = [_cover, _text_page("1. Références de la spécialité", "Intitulé du titre professionnel : Testeur de logiciels"),
             _text_page("2. Modalités d'évaluation du titre professionnel", "Les compétences sont évaluées par un jury."),
             lambda pg: _table_31(pg, 5.1),
             # 3.2 runs down to just above the footer table: its rulings come within a few points.
             lambda pg: _table_32(pg, AGREEING, last_row_to=pg.h - 48 - 2 * 9.5 - 4),
             _text_page("Annexe 1 : Glossaire", "Compétence : aptitude à mettre en oeuvre un savoir."),
             _text_page("Annexe 2 : Textes de référence", "Arrêté du 22 décembre 2015.")]
    portrait = {0, 1, 2, 5, 6}
    tops: dict[int, float] = {}
    pages = [_with_footer(d, i + 1, len(draws), i in portrait, tops) for i, d in enumerate(draws)]
    return word_pdf(path, pages, portrait=sorted(portrait), turned=turned), tops


@pytest.mark.parametrize("turned", [False, True], ids=["landscape-sheet", "turned-portrait-sheet"])
def test_a_footer_table_at_another_height_and_shape_on_landscape_pages_is_furniture(tmp_path, turned):
    pdf, footer_tops = _mixed_rc(tmp_path / "mixed.pdf", turned)
    doc = read_document(pdf)
    assert [p.landscape for p in doc.pages] == [False, False, False, True, True, False, False]
    for p in doc.pages:
        footer = {i for i, w in enumerate(p.words) if w.top >= footer_tops[p.number] - 1}
        assert len(footer) >= 2 * len(FOOTER)
        assert p.furniture == footer, (p.number, sorted(p.words[i].text for i in footer ^ p.furniture))
    ref = extract_document(pdf)
    printed = "\n".join(f"{x.title or ''}\n{x.text}" for x in ref.nodes)
    assert "SIGLE" not in printed and "Millésime" not in printed
    assert [c.title for c in ref.nodes if c.node_type == "competence"] == [c[0] for c in COMPETENCES]
    assert [x.text for x in ref.nodes if x.node_type == "assessment_criterion"] == [t for _, cs in COMPETENCES for t in cs]
    assert [c.value for c in ref.certification.codes][:3] == ["TP-09999", "TDL", "01"]


def test_border_pieces_that_meet_are_one_ruling_and_a_gap_parts_them():
    from extract.docmodel.rulings import join_collinear
    from extract.layout import Segment

    pieces = [Segment(10, 0, 10.5, 11), Segment(10.2, 11.4, 10.7, 30), Segment(10, 31.5, 10.5, 40),
              Segment(0, 5, 50, 5.5)]
    joined = sorted(join_collinear(pieces), key=lambda s: (s.horizontal, s.top))
    assert [(s.top, s.bottom) for s in joined] == [(0, 30), (31.5, 40), (5, 5.5)]


def test_a_check_box_is_a_glyph_sized_square_marked_across():
    from extract.layout import PageLayout, Segment, Stroke

    def square(x: float, side: float) -> list[Segment]:
        return [Segment(x, 100, x + side, 100), Segment(x, 100 + side, x + side, 100 + side),
                Segment(x, 100, x, 100 + side), Segment(x + side, 100, x + side, 100 + side)]

    segments = square(10, 9) + square(40, 9) + square(70, 9) + square(100, 30)
    strokes = [Stroke(40.5, 105, 43, 108.5), Stroke(43, 108.5, 48.5, 100.5),  # a check mark across the box
               Stroke(71, 101, 72, 102)]  # a speck in the corner marks nothing
    boxes = check_boxes(PageLayout(1, 600, 800, [], segments, strokes=strokes))
    assert [(b.x0, b.checked) for b in boxes] == [(10, False), (40, True), (70, False)]  # 30 pt is a frame
