"""Documents that are not référentiels: an error record with a hint, and no output pretending to be one."""

import json
import os
from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from extract.pipeline import process_pdf, run_batch
from extract.verdict import NOT_A_REFERENTIAL_HINT

STYLES = getSampleStyleSheet()


def _story(path: Path, story: list, pagesize=A4) -> Path:
    SimpleDocTemplate(str(path), pagesize=pagesize).build(story)
    return path


def english_manual(path: Path) -> Path:
    """A software manual in English: chapters, numbered sections, bullets, a table of options."""
    story = []
    for chapter, title in enumerate(("Installation", "Configuration", "Troubleshooting"), start=1):
        story.append(Paragraph(f"Chapter {chapter}. {title}", STYLES["Heading1"]))
        for section in range(1, 4):
            story.append(Paragraph(f"{chapter}.{section} Overview of the {title.lower()} steps", STYLES["Heading2"]))
            story.append(Paragraph(
                "This section describes how the library parses abstract syntax trees, but it does not cover "
                "every option: see the reference for the full list. The parser reads the definitions file and "
                "builds the structure, but errors are reported with the line number of the input.", STYLES["BodyText"]))
            story.append(ListFlowable([ListItem(Paragraph(t, STYLES["BodyText"])) for t in (
                "Run the configure script with the prefix of your choice.",
                "Build the library and run the test suite, but skip the slow tests on small machines.",
                "Install the headers and the shared object.")], bulletType="bullet"))
        story.append(Table([["Option", "Default", "Meaning"], ["--prefix", "/usr/local", "where to install"],
                            ["--enable-doc", "no", "build the manual"]],
                           style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])))
        story.append(PageBreak())
    return _story(path, story)


def english_specification(path: Path) -> Path:
    """An English specification whose text says "but" again and again (and once "B.U.T.")."""
    body = ("A type may have several glob patterns, but a program should use the longest match. The database is "
            "read at startup, but applications may reload it. Magic rules are checked first, but a file name "
            "match can override a weak rule. The B.U.T. field of older drafts is obsolete.")
    story = [Paragraph("Shared Database Specification", STYLES["Title"])]
    for i in range(1, 9):
        story += [Paragraph(f"{i}. Section {i}", STYLES["Heading2"]), Paragraph(body, STYLES["BodyText"])]
    return _story(path, story)


def french_invoice(path: Path) -> Path:
    rows = [["Désignation", "Quantité", "Prix unitaire HT", "Total HT"]]
    rows += [[f"Prestation de conseil, journée {i}", "1", "650,00 €", "650,00 €"] for i in range(1, 9)]
    rows += [["", "", "Total HT", "5 200,00 €"], ["", "", "TVA 20 %", "1 040,00 €"], ["", "", "Total TTC", "6 240,00 €"]]
    story = [Paragraph("FACTURE N° 2024-0042", STYLES["Title"]),
             Paragraph("Société Exemple SARL — 12 rue des Lilas, 69003 Lyon — SIRET 123 456 789 00012", STYLES["BodyText"]),
             Paragraph("Client : Association des amis du numérique, 4 place de la Mairie, 38000 Grenoble", STYLES["BodyText"]),
             Spacer(1, 12),
             Table(rows, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])),
             Spacer(1, 12),
             Paragraph("Paiement à 30 jours par virement. En cas de retard, une pénalité de trois fois le taux "
                       "d'intérêt légal est appliquée, ainsi qu'une indemnité forfaitaire de 40 € pour frais de recouvrement.",
                       STYLES["BodyText"])]
    return _story(path, story)


def french_letter(path: Path) -> Path:
    paragraphs = [
        "Madame, Monsieur,",
        "Suite à notre entretien du 12 mars, je vous confirme mon intérêt pour le poste de chargé de projet. "
        "Mes compétences en gestion de projet et mon expérience dans le secteur associatif me permettront de "
        "contribuer rapidement aux activités de votre structure.",
        "Je reste à votre disposition pour un nouvel échange et vous prie d'agréer, Madame, Monsieur, "
        "l'expression de mes salutations distinguées.",
        "Camille Martin"]
    return _story(path, [Paragraph("Lyon, le 15 mars 2024", STYLES["BodyText"]), Spacer(1, 24),
                         *[Paragraph(p, STYLES["BodyText"]) for p in paragraphs]])


def slide_export(path: Path) -> Path:
    """A slide deck printed to PDF: 16:9 pages, one big title and a few bullets each."""
    title = STYLES["Title"].clone("slide-title", fontSize=30, leading=36)
    bullet = STYLES["BodyText"].clone("slide-bullet", fontSize=18, leading=24)
    story = []
    for heading, points in (
            ("Bilan du premier trimestre", ["Chiffre d'affaires en hausse de 8 %", "Deux nouveaux clients",
                                            "Recrutement de trois alternants"]),
            ("Formation des équipes", ["Plan de formation validé", "Modalités d'évaluation des formations à revoir",
                                       "Entretiens annuels en avril"]),
            ("Prochaines étapes", ["Lancement du site en juin", "Salon professionnel à Nantes", "Questions ?"])):
        story += [Paragraph(heading, title), Spacer(1, 18), *[Paragraph("• " + p, bullet) for p in points], PageBreak()]
    return _story(path, story, pagesize=landscape((720, 405)))


def table_of_figures(path: Path) -> Path:
    rows = [["Région", "2021", "2022", "2023", "Évolution"]]
    regions = ["Auvergne-Rhône-Alpes", "Bretagne", "Grand Est", "Hauts-de-France", "Île-de-France", "Normandie",
               "Nouvelle-Aquitaine", "Occitanie", "Pays de la Loire", "Provence-Alpes-Côte d'Azur"]
    for i, region in enumerate(regions):
        rows.append([region, f"{12000 + 731 * i}", f"{12500 + 689 * i}", f"{13100 + 702 * i}", f"+{4 + i % 3},{i} %"])
    story = [Paragraph("Tableau 3 : effectifs en formation par région", STYLES["Heading2"]),
             Table(rows, style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])),
             Paragraph("Source : enquête annuelle, champ France métropolitaine.", STYLES["BodyText"])]
    return _story(path, story)


GENERATED = {"english-manual": english_manual, "english-specification": english_specification,
             "facture": french_invoice, "lettre": french_letter, "diaporama": slide_export,
             "tableau-chiffres": table_of_figures}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_non_referential_gives_an_error_record_and_no_output(name, tmp_path):
    pdf = GENERATED[name](tmp_path / f"{name}.pdf")
    r = process_pdf(pdf, tmp_path / "out")
    assert r.status == "not_a_referential" and r.verdict == "not_a_referential", (r.status, r.message)
    assert r.output is None and not (tmp_path / "out" / f"{name}.json").exists()
    assert r.error["stage"] == "classify" and r.error["hint"] == NOT_A_REFERENTIAL_HINT
    assert "is not a référentiel" in r.error["message"] and r.error["sha256"]


def test_a_run_reports_non_referentials_beside_the_referentials(tmp_path):
    from conftest import RAW

    src = tmp_path / "in"
    src.mkdir()
    french_letter(src / "lettre.pdf")
    english_manual(src / "manual.pdf")
    (src / "rncp-chef-de-projet-digital.pdf").write_bytes((RAW / "rncp-chef-de-projet-digital.pdf").read_bytes())
    report = run_batch(src, tmp_path / "out")
    verdicts = {d.doc: d.verdict for d in report.documents}
    assert verdicts == {"lettre": "not_a_referential", "manual": "not_a_referential", "rncp-chef-de-projet-digital": "ok"}
    errors = {Path(e["file"]).stem: e for e in json.loads((tmp_path / "out" / "errors.json").read_text())}
    assert set(errors) == {"lettre", "manual"} and all(e["hint"] for e in errors.values())
    assert "not French" in errors["manual"]["message"]
    summary = json.loads((tmp_path / "out" / "report.json").read_text())
    assert summary["not_a_referential"] == 2 and summary["partial"]
    nodes = __import__("pandas").read_parquet(tmp_path / "out" / "nodes.parquet")
    assert set(nodes["doc_key"]) == {"rncp:chef-de-projet-digital"}  # nothing pretends to be a référentiel


DEBIAN_MANUALS = ("/usr/share/doc/libtasn1-doc/libtasn1.pdf", "/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf")


@pytest.mark.parametrize("path", DEBIAN_MANUALS, ids=lambda p: Path(p).stem)
def test_debian_manuals_are_not_referentials(path, tmp_path):
    """The two manuals of the issue (.ci/run installs libtasn1-doc and shared-mime-info); the
    generated documents above test the same without them."""
    if not Path(path).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: .ci/run installs libtasn1-doc and shared-mime-info")
        pytest.skip(f"{path} not installed (apt-get install libtasn1-doc shared-mime-info)")
    r = process_pdf(Path(path), tmp_path / "out")
    assert r.verdict == "not_a_referential" and r.output is None, r.message
