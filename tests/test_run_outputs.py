"""What a run writes for consumers: the run index, flat tables with the verdict, --strict."""

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import RAW
from extract.cli import EXIT_OK, EXIT_REVIEW, main
from extract.pipeline import run_batch
from pdfgen import pdf_with_pages
from test_review import _chromium


def _no_grid_referential(path: Path) -> Path:
    """An RNCP référentiel by what it says, whose grid is not drawn: read, but as residual content."""
    lines = ["Référentiel de compétences et référentiel d'évaluation", "Bloc de compétences n° 1 : Piloter un projet",
             "Concevoir le cahier des charges du projet", "Critères d'évaluation : le cahier des charges est complet",
             "Modalités d'évaluation : étude de cas", "Bloc de compétences n° 2 : Animer une équipe"]
    return pdf_with_pages(path, [[(60, 80 + 24 * i, t) for i, t in enumerate(lines)]])


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    shutil.copy(RAW / "rncp-manageur-innovation-numerique.pdf", src)
    shutil.copy(RAW / "but-rt-annexe-a-s1.pdf", src)
    shutil.copy(RAW / "but-mmi-competences.pdf", src)  # nested bullets
    _no_grid_referential(src / "sans-grille.pdf")
    pdf_with_pages(src / "courrier.pdf", [[(60, 100, "Bonjour, voici le compte rendu de la réunion de mardi.")]])
    (src / "casse.pdf").write_bytes(b"%PDF-1.4\n garbage")
    out = tmp_path_factory.mktemp("out")
    report = run_batch(src, out, review=True)
    return report, out


def test_run_index_lists_every_document_and_opens_in_chromium(run):
    report, out = run
    index = out / "index.html"
    html = index.read_text()
    assert not re.search(r'(src|href)="https?://', html)
    dom = _chromium(f"file://{index}", "--dump-dom")
    rows = re.findall(r'<tr class="doc (\w+)" data-doc="([^"]+)"', dom)
    assert sorted(rows) == sorted((d.verdict, d.doc) for d in report.documents)
    assert {v for v, _ in rows} == {"ok", "needs_review", "not_a_referential", "failed"}
    # a link to each review page, reasons with their pages, the hint of files that gave nothing
    for d in report.documents:
        if d.output:
            assert f'href="{d.doc}.review.html"' in dom and (out / f"{d.doc}.review.html").is_file()
    assert "residual_content" in dom and "(page 1)" in dom
    assert "hint:" in dom


def test_review_page_shows_the_verdict_and_the_coverage_of_each_page(run):
    _, out = run
    page = (out / "but-rt-annexe-a-s1.review.html").read_text()
    assert 'class="verdict needs_review"' in page and "residual_content" in page
    assert re.search(r'<h3>page 1<span class="cov low">coverage \d+%', page)
    ok = (out / "rncp-manageur-innovation-numerique.review.html").read_text()
    assert 'class="verdict ok"' in ok and 'coverage 100%' in ok


def test_every_run_writes_tables_with_the_verdict_and_native_lists(run):
    import duckdb
    import pandas as pd

    report, out = run
    nodes = pd.read_parquet(out / "nodes.parquet")
    verdicts = {d.doc: d.verdict for d in report.documents}
    assert set(nodes["verdict"]) == {"ok", "needs_review"}
    c11 = nodes[nodes["node_key"].str.endswith("/competence:C1.1")].iloc[0]
    assert c11["verdict"] == verdicts["rncp-manageur-innovation-numerique"] == "ok"
    assert [dict(c) for c in c11["codes"]] == [{"value": "C1.1", "scheme": "competence"}]
    assert list(c11["pages"]) and c11["confidence"] == 1.0
    table = str(out / "nodes.parquet")
    codes = duckdb.sql(f"select unnest(codes).value from '{table}' where node_type = 'competence' and verdict = 'ok'").fetchall()
    assert ("C1.1",) in codes
    items = duckdb.sql(f"select i.marker, i.text, i.depth from (select unnest(items) as i from '{table}') "
                       "where i.depth = 1").fetchall()
    assert items and all(depth == 1 for _, _, depth in items)  # nested bullets keep their depth
    pages = duckdb.sql(f"select max(p) from (select unnest(pages) as p from '{table}')").fetchall()[0][0]
    assert pages >= 10
    relations = pd.read_parquet(out / "relations.parquet")
    assert set(relations["verdict"]) == {"ok"} and "assesses" in set(relations["type"])
    assert len(pd.read_json(out / "nodes.jsonl", lines=True)) == len(nodes)


def test_strict_stops_a_pipeline_on_doubt(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    _no_grid_referential(src / "sans-grille.pdf")
    args = ["ingest", str(src), "--out", str(tmp_path / "out"), "--no-prefect", "--quiet", "--no-review"]
    assert main(args) == EXIT_OK
    printed = capsys.readouterr().out
    assert "needs_review" in printed and "residual_content" in printed and "Verdicts: 1 needs_review" in printed
    assert main(args + ["--strict"]) == EXIT_REVIEW
    assert json.loads((tmp_path / "out" / "report.json").read_text())["needs_review"] == 1
