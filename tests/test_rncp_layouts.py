"""RNCP référentiels in templates of other certifiers: each way of marking blocs, column orders,
three-column grids, the document's own code grammar, modalities that name the competences they
assess, a lexique. Small PDFs generated here (reportlab); expectations written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from extract.docmodel.codes import candidate, infer_grammar
from extract.pipeline import extract_document
from tablegen import BODY, TITLE, cells, style_for, tables_pdf


def _keys(ref, node_type=None):
    return [n.node_key.split("/", 1)[1] for n in ref.nodes if node_type is None or n.node_type == node_type]


def _node(ref, rel_key):
    return next(n for n in ref.nodes if n.node_key.endswith("/" + rel_key))


# ---------------------------------------------------------------- the code grammar


def test_code_schemes_are_inferred_from_what_repeats():
    schemes = {
        "C1.1": ["C1.1 Analyser", "C1.2 Concevoir", "C2.1 Piloter"],
        "CA1.1": ["CA1.1 - Collecter", "CA1.2 - Classer"],
        "C.12": ["C.12 Définir", "C.13 Déployer"],
        "C1.a": ["C1.a Repérer", "C1.b Mesurer"],
        "Cr 1.a.1": ["Cr 1.a.1 Le relevé est juste", "Cr 1.a.2 Le relevé est complet"],
        "CE1.1": ["CE1.1 : Organiser", "CE1.2 : Contrôler"],
        "E1": ["E1. Mise en situation", "E2. Étude de cas"],
        "RNCP37805BC01": ["RNCP37805BC01 - Gérer", "RNCP37805BC02 - Vendre"],
        "1.": ["1. Suivi des tendances", "2. Analyse de la demande"],
    }
    for scheme, lines in schemes.items():
        grammar = infer_grammar(lines)
        found = [grammar.match(t) for t in lines]
        assert all(found), (scheme, lines)
        assert found[0][0].printed.rstrip(".") == scheme.rstrip(".") or scheme == "1.", scheme
    # What opens one line only, or reads as prose, is no code.
    assert not infer_grammar(["A2 expression orale", "Le candidat présente"]).shapes
    assert candidate("2 ans d'expérience") is None and candidate("Article3 du code") is None
    # One scheme printed with two separators is one scheme (C3.2.1 beside C.3.1).
    assert infer_grammar(["C.3.1. Planifier", "C3.2.1 Piloter", "C3.2.2 Arbitrer"]).match("C.3.1. Planifier")


# ---------------------------------------------------------------- blocs, however marked

HEADER = ["Activités", "Compétences", "Modalités d'évaluation", "Critères d'évaluation"]
WIDTHS = [120, 140, 120, 140]


def _bloc_rows(n: int) -> list[list[str]]:
    return [[f"B{n}.1 - Préparer le chantier {n}", f"C{n}.1 - Préparer les plans du chantier {n}.",
             "Mise en situation :\nLe candidat prépare un chantier.", f"• Les plans du chantier {n} sont complets"],
            [f"B{n}.2 - Conduire le chantier {n}", f"C{n}.2 - Conduire les équipes du chantier {n}.",
             "Étude de cas :\nLe candidat analyse un cas.", f"• Les équipes du chantier {n} sont coordonnées"]]


@pytest.mark.parametrize("kind", ["ruled", "whitespace"])
def test_one_table_per_bloc_under_a_bloc_heading(tmp_path, kind):
    path = tables_pdf(tmp_path / f"heading-{kind}.pdf", kind, HEADER,
                      [("BLOC 1 : PRÉPARER LES CHANTIERS", _bloc_rows(1)), ("BLOC 2 : CONDUIRE LES CHANTIERS", _bloc_rows(2))],
                      WIDTHS)
    ref = extract_document(path)
    assert [(_node(ref, k).title) for k in _keys(ref, "block")] == ["PRÉPARER LES CHANTIERS", "CONDUIRE LES CHANTIERS"]
    assert _keys(ref, "competence") == ["block:1/competence:C1.1", "block:1/competence:C1.2",
                                        "block:2/competence:C2.1", "block:2/competence:C2.2"]
    assert _keys(ref, "activity")[0] == "block:1/activity:B1.1"
    # One competence per row: its criterion is its child, its activity its origin.
    assert "block:2/competence:C2.2/assessment_criterion:1" in _keys(ref)
    derived = {(r.origin_key.rsplit("/", 1)[1], r.dest_key.rsplit("/", 1)[1]) for r in ref.relations if r.type == "derived_from"}
    assert ("competence:C2.1", "activity:B2.1") in derived


def test_a_code_heading_whose_code_prefixes_the_codes_below_is_a_bloc(tmp_path):
    path = tables_pdf(tmp_path / "code-heading.pdf", "rules", HEADER,
                      [("B1 – Préparer les chantiers", _bloc_rows(1)), ("B2 – Conduire les chantiers", _bloc_rows(2))],
                      WIDTHS)
    ref = extract_document(path)
    assert _keys(ref, "block") == ["block:B1", "block:B2"]
    assert _node(ref, "block:B2").title == "Conduire les chantiers"
    assert _keys(ref, "activity") == ["block:B1/activity:B1.1", "block:B1/activity:B1.2",
                                      "block:B2/activity:B2.1", "block:B2/activity:B2.2"]


def test_one_table_per_bloc_with_plain_headings(tmp_path):
    path = tables_pdf(tmp_path / "plain-heading.pdf", "shaded", HEADER,
                      [("Préparer les chantiers", _bloc_rows(1)), ("Conduire les chantiers", _bloc_rows(2))], WIDTHS)
    ref = extract_document(path)
    assert [(k, _node(ref, k).title) for k in _keys(ref, "block")] == [
        ("block:1", "Préparer les chantiers"), ("block:2", "Conduire les chantiers")]
    assert len(_keys(ref, "competence")) == 4


def test_a_first_column_headed_bloc_marks_the_blocs(tmp_path):
    header = ["Bloc", "Activités", "Compétences", "Modalités d'évaluation", "Critères d'évaluation"]
    rows = []
    for n, title in ((1, "BLOC 1 - PRÉPARER"), (2, "BLOC 2 - CONDUIRE")):
        a, b = _bloc_rows(n)
        rows += [[title, *a], ["", *b]]
    story = [Paragraph("Certification « Conducteur de chantier »", TITLE), Spacer(1, 8),
             Table(cells(rows, header), colWidths=[70, 100, 120, 110, 120], repeatRows=1,
                   style=TableStyle(style_for("ruled", 5) + [("SPAN", (0, 1), (0, 2)), ("SPAN", (0, 3), (0, 4))]))]
    path = tmp_path / "bloc-column.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    ref = extract_document(path)
    assert ref.doc_key == "rncp:conducteur-de-chantier"
    assert [(k, _node(ref, k).title) for k in _keys(ref, "block")] == [("block:1", "PRÉPARER"), ("block:2", "CONDUIRE")]
    assert _keys(ref, "competence") == ["block:1/competence:C1.1", "block:1/competence:C1.2",
                                        "block:2/competence:C2.1", "block:2/competence:C2.2"]


# ---------------------------------------------------------------- another certifier's grid


def _other_grid(tmp_path: Path) -> Path:
    """Compétences first, critères before modalités, three columns; codes C1.a printed in bold on
    their own line; criteria coded Cr 1.a.1; modalities coded E1 naming what they assess; a
    lexique at the end for the terms marked *."""
    header = ["Compétences", "Critères d'évaluation", "Modalités d'évaluation"]
    rows = [
        ["<b>C1.a</b>\nRelever les cotes du chantier*.", "Cr 1.a.1 Les cotes sont relevées sans erreur.\nCr 1.a.2 Le relevé est daté.",
         "E1. Mise en situation professionnelle (C1.a, C1.b)\nLe candidat relève un chantier réel."],
        ["<b>C1.b</b>\nTracer le plan d'implantation.", "Cr 1.b.1 Le plan respecte les cotes relevées.", ""],
        ["<b>C1.c</b>\nChiffrer le devis du lot.", "Cr 1.c.1 Le devis est complet.",
         "E2. Étude de cas (C1.c)\nLe candidat chiffre un lot sur dossier."],
    ]
    style = style_for("ruled", 4) + [("SPAN", (2, 1), (2, 2))]
    story = [Paragraph("Titre professionnel de Métreur du bâtiment", TITLE), Spacer(1, 6),
             Paragraph("BLOC 1 : RELEVER ET CHIFFRER", TITLE), Spacer(1, 6),
             Table(cells(rows, header), colWidths=[170, 180, 170], repeatRows=1, style=TableStyle(style)),
             Spacer(1, 14), Paragraph("Lexique", TITLE),
             Paragraph("<b>Chantier :</b> lieu où s'exécutent les travaux.", BODY),
             Paragraph("<b>Cote :</b> dimension portée sur un plan.", BODY)]
    path = tmp_path / "other-grid.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_column_roles_come_from_the_header_in_any_order(tmp_path):
    ref = extract_document(_other_grid(tmp_path))
    assert ref.doc_kind == "rncp_referentiel"
    assert _keys(ref, "competence") == ["block:1/competence:C1.a", "block:1/competence:C1.b", "block:1/competence:C1.c"]
    assert _node(ref, "block:1/competence:C1.a").text == "Relever les cotes du chantier*."


def test_printed_criterion_and_modality_codes_are_codes(tmp_path):
    ref = extract_document(_other_grid(tmp_path))
    assert _keys(ref, "assessment_criterion") == [
        "block:1/competence:C1.a/assessment_criterion:Cr1.a.1", "block:1/competence:C1.a/assessment_criterion:Cr1.a.2",
        "block:1/competence:C1.b/assessment_criterion:Cr1.b.1", "block:1/competence:C1.c/assessment_criterion:Cr1.c.1"]
    assert [n.codes[0].value for n in ref.nodes if n.node_type == "assessment_criterion"][0] == "Cr 1.a.1"
    assert _keys(ref, "assessment_modality") == ["block:1/assessment_modality:E1", "block:1/assessment_modality:E2"]


def test_a_modality_naming_competences_assesses_those(tmp_path):
    ref = extract_document(_other_grid(tmp_path))
    assesses = {(r.origin_key.rsplit("/", 1)[1], r.dest_key.rsplit("/", 1)[1]) for r in ref.relations if r.type == "assesses"}
    assert assesses == {("assessment_modality:E1", "competence:C1.a"), ("assessment_modality:E1", "competence:C1.b"),
                        ("assessment_modality:E2", "competence:C1.c")}


def test_a_lexique_becomes_glossary_entries(tmp_path):
    ref = extract_document(_other_grid(tmp_path))
    entries = [(n.title, n.text) for n in ref.nodes if n.node_type == "glossary_entry"]
    assert entries == [("Chantier", "lieu où s'exécutent les travaux."), ("Cote", "dimension portée sur un plan.")]
    assert ref.certification.title == "Métreur du bâtiment"


@pytest.mark.parametrize("kind", ["ruled", "rules", "shaded", "whitespace"])
def test_bloc_titles_printed_as_merged_full_width_rows(tmp_path, kind):
    from tablegen import table_pdf

    rows, spans = [], []
    for n, title in ((1, "PRÉPARER LES CHANTIERS DE GROS ŒUVRE"), (2, "CONDUIRE LES CHANTIERS DE GROS ŒUVRE")):
        spans.append(((0, len(rows) + 1), (3, len(rows) + 1)))
        rows.append([f"BLOC {n} : {title}", "", "", ""])
        rows += _bloc_rows(n)
    path = table_pdf(tmp_path / f"rows-{kind}.pdf", kind, HEADER, rows, WIDTHS,
                     ["Référentiel de compétences du titre Conducteur de chantier"], [], spans=spans)
    ref = extract_document(path)
    assert [(k, _node(ref, k).title) for k in _keys(ref, "block")] == [
        ("block:1", "PRÉPARER LES CHANTIERS DE GROS ŒUVRE"), ("block:2", "CONDUIRE LES CHANTIERS DE GROS ŒUVRE")]
    assert _keys(ref, "competence") == ["block:1/competence:C1.1", "block:1/competence:C1.2",
                                        "block:2/competence:C2.1", "block:2/competence:C2.2"]


def test_activities_and_competences_in_one_table_and_the_evaluation_in_another(tmp_path):
    story = [Paragraph("Référentiel de compétences et d'évaluation — Titre de Technicien réseau", TITLE), Spacer(1, 8)]
    for n in (1, 2):
        story += [Paragraph(f"BLOC {n} : ADMINISTRER LE RÉSEAU {n}", TITLE), Spacer(1, 4)]
        a = [[f"A{n}.1 Installer les équipements", f"C{n}.1 Installer un commutateur en respectant le plan."],
             [f"A{n}.2 Superviser le réseau", f"C{n}.2 Superviser les flux du réseau."]]
        story += [Table(cells(a, ["Activités", "Compétences"]), colWidths=[200, 300], style=TableStyle(style_for("ruled", 3))),
                  Spacer(1, 6)]
        e = [[f"C{n}.1 Installer un commutateur en respectant le plan.", "Mise en situation :\nLe candidat installe.",
              "• Le commutateur est opérationnel"],
             [f"C{n}.2 Superviser les flux du réseau.", "Étude de cas :\nLe candidat analyse des traces.",
              "• Les anomalies sont repérées"]]
        story += [Table(cells(e, ["Compétences", "Modalités d'évaluation", "Critères d'évaluation"]), colWidths=[170, 170, 160],
                        style=TableStyle(style_for("ruled", 3))), Spacer(1, 12)]
    path = tmp_path / "two-tables.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    ref = extract_document(path)
    assert ref.doc_key == "rncp:technicien-reseau"
    # The competence printed in both tables is one node; its criterion and modality find it.
    assert _keys(ref, "competence") == ["block:1/competence:C1.1", "block:1/competence:C1.2",
                                        "block:2/competence:C2.1", "block:2/competence:C2.2"]
    assert "block:2/competence:C2.2/assessment_criterion:1" in _keys(ref)
    rel = {(r.type, r.origin_key.rsplit("/", 1)[1], r.dest_key.rsplit("/", 1)[1]) for r in ref.relations
           if "/block:1/" in r.origin_key}
    assert rel == {("assesses", "assessment_modality:1", "competence:C1.1"), ("assesses", "assessment_modality:2", "competence:C1.2"),
                   ("derived_from", "competence:C1.1", "activity:A1.1"), ("derived_from", "competence:C1.2", "activity:A1.2")}


def test_blocs_announced_by_the_introduction_list(tmp_path):
    """No bloc printed in the grid: the introduction lists them with their competence ranges, and
    each new modality cell opens the next bloc; the range gives the competences derived codes."""
    from pdfgen import rncp_grid

    intro = ["La certification Conducteur de travaux est composée de 2 blocs de compétences :",
             "- Bloc de compétences n° 1, compétences C.1 à C.2 : Préparer les chantiers",
             "- Bloc de compétences n° 2, compétences C.3 à C.4 : Conduire les chantiers"]
    rows = []
    for n in (1, 2):
        rows += [[f"{2 * n - 1}. Préparer l'étape {n}", f"Préparer les plans de l'étape {n}.",
                  f"Mise en situation {n} :\nLe candidat prépare.", f"Le candidat prépare :\n• Les plans {n} sont complets"],
                 [f"{2 * n}. Conduire l'étape {n}", f"Conduire les équipes de l'étape {n}.", "",
                  f"Le candidat conduit :\n• Les équipes {n} sont coordonnées"]]
    spans = [((2, 1), (2, 2)), ((2, 3), (2, 4))]
    ref = extract_document(rncp_grid(tmp_path / "intro.pdf", rows, spans, intro=intro))
    assert [(k, _node(ref, k).title) for k in _keys(ref, "block")] == [
        ("block:1", "Préparer les chantiers"), ("block:2", "Conduire les chantiers")]
    comps = [n for n in ref.nodes if n.node_type == "competence"]
    assert [n.node_key.split("/", 1)[1] for n in comps] == ["block:1/competence:1", "block:1/competence:2",
                                                            "block:2/competence:1", "block:2/competence:2"]
    assert [n.codes[0].value for n in comps] == ["C.1", "C.2", "C.3", "C.4"]
    assert ref.doc_key == "rncp:conducteur-de-travaux"
