"""The table model (extract.docmodel.tables) on small generated tables, drawn four ways: a full
grid, horizontal rules only, shaded rows, and bare whitespace. Each must read to the same
columns, header and cells; merged cells and rows cut by a page break are one cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.docmodel.model import build_model
from extract.document import read_document
from tablegen import KINDS, table_pdf

HEADER = ["Référence", "Intitulé de la tâche", "Livrable attendu", "Indicateur"]
WIDTHS = [60, 150, 130, 150]
BEFORE = ["Programme de travaux",
          "Les étapes du chantier sont décrites dans le tableau suivant, ligne par ligne, avec leur livrable."]
AFTER = ["Ce tableau est indicatif et peut évoluer en cours de chantier selon les contraintes du site."]


def _rows(n: int = 6) -> list[list[str]]:
    return [[f"T{i}", f"Préparer l'étape {i} du chantier\navec l'équipe de pose", f"Plan de l'étape {i}",
             f"Le plan {i} est validé par le client"] for i in range(1, n + 1)]


def _tables(path: Path):
    return build_model(read_document(path)).tables


def _flat(text: str) -> str:
    return " ".join(text.split("\n"))


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_table_reads_to_the_same_cells(tmp_path, kind):
    (t,) = _tables(table_pdf(tmp_path / f"{kind}.pdf", kind, HEADER, _rows(), WIDTHS, BEFORE, AFTER))
    assert t.kind == kind
    assert t.ncols == 4 and t.header == HEADER
    grid = {(c.row, c.col): c.text for c in t.cells()}
    assert len(grid) == 24
    assert grid[(0, 0)] == "T1" and grid[(5, 0)] == "T6"
    assert grid[(2, 1)] == "Préparer l'étape 3 du chantier\navec l'équipe de pose"
    assert grid[(3, 3)] == "Le plan 4 est validé par le client"
    # The paragraphs around the table are not in it.
    texts = " ".join(grid.values())
    assert "Programme" not in texts and "indicatif" not in texts


# Zebra bands are painted across every column, a merged cell included: only a drawn rule or a
# cell's own fill can show a merge (shaded cells drawn one box per cell: the webmarketing v2 golden).
@pytest.mark.parametrize("kind", ["ruled", "rules"])
def test_a_vertically_merged_cell_is_one_cell_over_its_rows(tmp_path, kind):
    rows = _rows(4)
    rows[0][2] = "Un seul plan pour les trois premières étapes"
    rows[1][2] = rows[2][2] = ""
    path = table_pdf(tmp_path / f"merged-{kind}.pdf", kind, HEADER, rows, WIDTHS, BEFORE, AFTER,
                     spans=[((2, 1), (2, 3))])
    (t,) = _tables(path)
    merged = [c for c in t.cells() if c.col == 2]
    assert _flat(merged[0].text) == "Un seul plan pour les trois premières étapes"
    assert merged[0].row_span == 3
    assert [c.text for c in merged][1] == "Plan de l'étape 4"
    assert len([c for c in t.cells() if c.col == 0]) == 4


def test_a_full_width_merged_row_is_a_row_of_the_table(tmp_path):
    rows = _rows(4)
    rows.insert(2, ["Deuxième phase : finitions", "", "", ""])
    path = table_pdf(tmp_path / "fullrow.pdf", "ruled", HEADER, rows, WIDTHS, BEFORE, AFTER,
                     spans=[((0, 3), (3, 3))])
    (t,) = _tables(path)
    assert [r.text for r in t.full_rows] == ["Deuxième phase : finitions"]
    assert all("finitions" not in c.text for c in t.cells())


def _long_rows() -> list[list[str]]:
    rows = _rows(3)
    rows[1][3] = "\n".join(f"Le contrôle numéro {i} de l'étape est consigné" for i in range(1, 46))
    return rows


@pytest.mark.parametrize("repeat", [True, False], ids=["repeated-header", "no-repeated-header"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_row_cut_by_a_page_break_is_one_logical_row(tmp_path, kind, repeat):
    path = table_pdf(tmp_path / f"cut-{kind}-{repeat}.pdf", kind, HEADER, _long_rows(), WIDTHS, BEFORE, AFTER,
                     repeat_header=repeat)
    tables = _tables(path)
    assert len(tables) == 1, [t.pages for t in tables]
    (t,) = tables
    assert t.pages == [1, 2]
    long = [c for c in t.cells() if c.col == 3 and "contrôle" in c.text]
    assert len(long) == 1 and long[0].pages == [1, 2]
    lines = [e.text for e in long[0].entries()]
    assert lines[0] == "Le contrôle numéro 1 de l'étape est consigné"
    assert lines[-1] == "Le contrôle numéro 45 de l'étape est consigné" and len(lines) == 45
    # The header printed again on page 2 is no cell; the next row still starts its own cells.
    assert all("Indicateur" not in c.text for c in t.cells())
    assert [c.text for c in t.cells() if c.col == 0] == ["T1", "T2", "T3"]


def test_a_merged_cell_across_a_page_break_is_one_cell(tmp_path):
    rows = _long_rows()
    rows[0][2] = "Un seul plan pour tout le chantier"
    rows[1][2] = rows[2][2] = ""
    path = table_pdf(tmp_path / "merged-cut.pdf", "ruled", HEADER, rows, WIDTHS, BEFORE, AFTER,
                     spans=[((2, 1), (2, 3))])
    (t,) = _tables(path)
    (plan,) = [c for c in t.cells() if c.col == 2]
    assert _flat(plan.text) == "Un seul plan pour tout le chantier"
    assert plan.row_span == 3 and len(plan.parts) == 2  # printed on page 1, empty part on page 2
