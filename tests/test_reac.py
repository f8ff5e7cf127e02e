"""REAC mechanisms on a generated document, and invariants over every REAC of raw_pdfs/."""

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import RAW
from extract.docmodel.model import build_model
from extract.document import read_document
from extract.families.reac import synoptic_table
from extract.pipeline import extract_document
from pdfgen import reac_pdf

FOOTER = {"SIGLE": "TST", "Type de document": "REAC", "Code titre": "TP-99999", "Millésime": "02",
          "Date de validation": "01/02/2024", "Date de mise à jour": "03/04/2024", "Page": ""}
B = lambda t, s=10.0: (t, "b", s)  # noqa: E731
R = lambda t: (t, "", 10.0)  # noqa: E731


def _generated(tmp_path: Path) -> Path:
    cover = [B("REFERENTIEL EMPLOI ACTIVITES COMPETENCES", 20), B("Testeur de logiciels", 20), B("Niveau 5", 20)]
    at = [B("FICHE ACTIVITÉ TYPE N° 1"), B("Tester une application", 12),
          B("Définition, description de l'activité type et conditions d'exercice", 11),
          R("Le testeur vérifie les applications."),
          B("Liste des compétences professionnelles de l'activité type", 11),
          R("Préparer un plan de test")]
    cp = [B("FICHE COMPÉTENCE PROFESSIONNELLE N° 1"), B("Préparer un plan de test", 12),
          B("Description de la compétence – processus de mise en œuvre", 11),
          R("À partir du cahier des charges, rédiger le plan de test."),
          B("Contexte(s) professionnel(s) de mise en œuvre", 11),
          R("En équipe projet."),
          B("Critères de performance", 11),
          R("Le plan de test couvre toutes les fonctionnalités décrites dans le cahier des charges du"),
          R("projet et leurs cas limites"),
          R("Les jeux de données sont définis"),
          B("Savoir-faire techniques, savoir-faire relationnels, savoirs", 11),
          R("Rédiger un cas de test"), R("Utiliser un outil de gestion des tests"), None,
          R("Échanger avec les développeurs"), None,
          R("Connaissance des techniques de test"), R("Connaissance du cycle de vie logiciel")]
    return reac_pdf(tmp_path / "reac-gen.pdf", [cover, at, cp], FOOTER)


def test_generated_reac_footer_criteria_and_knowledge(tmp_path):
    ref = extract_document(_generated(tmp_path))
    assert ref.doc_kind == "reac" and ref.doc_key == "reac:TP-99999@02"
    cert = ref.certification
    assert [(c.scheme, c.value) for c in cert.codes] == [("reac_title", "TP-99999"), ("reac_sigle", "TST"), ("reac_millesime", "02")]
    assert str(cert.dates["validation"]) == "2024-02-01" and str(cert.dates["update"]) == "2024-04-03"
    by_type = Counter(n.node_type for n in ref.nodes)
    assert by_type == {"activity_type": 1, "competence": 1, "assessment_criterion": 2, "knowledge": 5}
    (cp,) = [n for n in ref.nodes if n.node_type == "competence"]
    assert cp.node_key == "reac:TP-99999@02/activity_type:1/competence:1"
    assert cp.title == "Préparer un plan de test"
    assert cp.text.splitlines()[0] == "Description de la compétence – processus de mise en œuvre"
    crits = [n.text for n in ref.nodes if n.node_type == "assessment_criterion"]
    assert crits == ["Le plan de test couvre toutes les fonctionnalités décrites dans le cahier des charges du projet et leurs cas limites",
                     "Les jeux de données sont définis"]
    know = [(n.node_key.rsplit("/", 1)[1], n.text) for n in ref.nodes if n.node_type == "knowledge"]
    assert know == [("knowledge:technical_know_how:1", "Rédiger un cas de test"),
                    ("knowledge:technical_know_how:2", "Utiliser un outil de gestion des tests"),
                    ("knowledge:relational_know_how:1", "Échanger avec les développeurs"),
                    ("knowledge:knowledge:1", "Connaissance des techniques de test"),
                    ("knowledge:knowledge:2", "Connaissance du cycle de vie logiciel")]
    texts = "\n".join(n.text + (n.title or "") for n in ref.nodes)
    assert "TP-99999" not in texts and "Millésime" not in texts and "SIGLE" not in texts


def test_knowledge_printed_under_a_label_per_category(tmp_path):
    """Another template: each category under its own label, no blank lines between groups."""
    cover = [B("REFERENTIEL EMPLOI ACTIVITES COMPETENCES", 20), B("Testeur de logiciels", 20), B("Niveau 5", 20)]
    at = [B("FICHE ACTIVITÉ TYPE N° 1"), B("Tester une application", 12),
          B("Définition, description de l'activité type et conditions d'exercice", 11), R("Le testeur vérifie."),
          B("Liste des compétences professionnelles de l'activité type", 11), R("Préparer un plan de test")]
    cp = [B("FICHE COMPÉTENCE PROFESSIONNELLE N° 1"), B("Préparer un plan de test", 12),
          B("Description de la compétence – processus de mise en œuvre", 11), R("Rédiger le plan de test."),
          B("Critères de performance", 11), R("Les jeux de données sont définis"),
          B("Savoir-faire techniques :", 11), R("Rédiger un cas de test"), R("Utiliser un outil de gestion des tests"),
          B("Savoir-faire relationnels :", 11), R("Échanger avec les développeurs"),
          B("Savoirs :", 11), R("Connaissance des techniques de test")]
    ref = extract_document(reac_pdf(tmp_path / "reac-labels.pdf", [cover, at, cp], FOOTER))
    know = [(n.node_key.rsplit("/", 1)[1], n.text) for n in ref.nodes if n.node_type == "knowledge"]
    assert know == [("knowledge:technical_know_how:1", "Rédiger un cas de test"),
                    ("knowledge:technical_know_how:2", "Utiliser un outil de gestion des tests"),
                    ("knowledge:relational_know_how:1", "Échanger avec les développeurs"),
                    ("knowledge:knowledge:1", "Connaissance des techniques de test")]


REACS = sorted(RAW.glob("reac-*.pdf"))
FURNITURE = re.compile(r"SIGLE|Millésime|Date de mise à jour|TP-\d{5}\s+\d{2}|\b\d{1,2}/\d{2}\s*$")


@pytest.mark.parametrize("pdf", REACS, ids=lambda p: p.stem)
def test_reac_corpus_invariants(pdf: Path):
    ref = extract_document(pdf)
    comps = [n for n in ref.nodes if n.node_type == "competence"]
    synoptic = synoptic_table(build_model(read_document(pdf)))
    assert len(comps) == len(synoptic) > 0
    children = Counter((n.parent_key, n.node_type) for n in ref.nodes)
    for c in comps:
        assert children[(c.node_key, "assessment_criterion")] >= 1, c.node_key
        assert children[(c.node_key, "knowledge")] >= 1, c.node_key
        assert synoptic[c.codes[0].value] == c.parent_key.rsplit(":", 1)[1], c.node_key
    assert not [n for n in ref.nodes if n.node_type == "residual"]
    for n in ref.nodes:
        for line in (n.text or "").splitlines():
            assert not FURNITURE.search(line), (n.node_key, line)
