"""BUT référentiels printed with title bars, arrows and chevrons (FAMILIES.md section 4), on small
programmes drawn by tests/butgen.py in layouts other than the corpus's: landscape pages, arrows
pointing up, situations framed on the left, parcours named by a letter or not."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from butgen import Comp, Level, Pathway, but_programme
from extract.pipeline import extract_document

COMPS = [
    Comp(1, "Piloter des systèmes embarqués",
         ["Mettre en service et surveiller les systèmes embarqués d'un aéronef"],
         [["en respectant les procédures du constructeur"], ["en assurant la traçabilité des", "interventions"]],
         [["Maintenance en ligne"], ["Visite programmée en atelier de", "maintenance lourde"]],
         [Level(["Observer un système"], [["Identifier les organes d'un circuit"],
                                          ["Lire une documentation", "technique en anglais"]], "A et B"),
          Level(["Intervenir sur un", "système"], [["Déposer un équipement"], ["Tester un circuit"], ["Rendre compte"]],
                "A et B"),
          Level(["Diagnostiquer une panne"], [["Établir un diagnostic"], ["Proposer une réparation"]], "A")]),
    Comp(2, "Organiser la production",
         ["Planifier les interventions d'un atelier en temps-", "réel et les rendre embar-", "qués dans les outils"],
         [["en optimisant les ressources"], ["en garantissant la sécurité"]],
         [["Atelier de production"]],
         [Level(["Suivre un planning"], [["Renseigner un planning"]], "A et B"),
          Level(["Planifier un atelier"], [["Ordonnancer les tâches"], ["Affecter les équipes"]], "B")]),
]
PATHS = [
    Pathway("1.1 Parcours A « Navigabilité »", {1: [0, 1, 2], 2: [0]},
            # A typesetter that hyphenates does it more than once (FAMILIES section 0).
            ["Métiers : technicien de mainte-", "nance en ligne, contrôleur naviga-", "bilité."]),
    Pathway("1.2 Parcours B « Production »", {1: [0, 1], 2: [0, 1]}, ["Métiers : chef d'équipe en atelier."]),
]
COVER = ["Programme national", "B.U.T. Aéronautique"]


def _read(tmp_path: Path, name: str = "prog.pdf", comps=COMPS, paths=PATHS, cover=COVER, **kw):
    ref = extract_document(but_programme(tmp_path / name, comps, paths, cover, **kw))
    rel = lambda k: k.split("/", 1)[1]  # noqa: E731
    nodes = {rel(n.node_key): n for n in ref.nodes}
    relations = {(r.type, rel(r.origin_key), rel(r.dest_key)) for r in ref.relations}
    return ref, nodes, relations


@pytest.mark.parametrize("arrows", ["up", "down"])
def test_arrow_niveaux_without_a_printed_niveau_are_numbered_in_arrow_order(tmp_path, arrows):
    ref, nodes, relations = _read(tmp_path, arrows=arrows)
    levels = [k for k, n in nodes.items() if n.node_type == "level" and k.startswith("competence:Piloter/")]
    assert levels == ["competence:Piloter/level:1", "competence:Piloter/level:2", "competence:Piloter/level:3"]
    # Up arrows print the first niveau at the bottom of the page: arrow order, not print order.
    assert [nodes[k].text for k in levels] == ["Observer un système", "Intervenir sur un système",
                                              "Diagnostiquer une panne"]
    assert all(nodes[k].title is None and nodes[k].codes == [] for k in levels)
    assert ("precedes", levels[0], levels[1]) in relations and ("precedes", levels[1], levels[2]) in relations
    assert not [r for r in relations if r[0] == "precedes" and r[1] == levels[2]]


def test_niveaux_go_on_on_the_next_page(tmp_path):
    ref, nodes, relations = _read(tmp_path, arrows="down", split=(1, 1))
    lv = {k: n for k, n in nodes.items() if n.node_type == "level" and k.startswith("competence:Piloter/")}
    assert list(lv) == ["competence:Piloter/level:1", "competence:Piloter/level:2", "competence:Piloter/level:3"]
    assert lv["competence:Piloter/level:1"].prov.pages[0] == 3 and lv["competence:Piloter/level:2"].prov.pages[0] == 4
    assert ("precedes", "competence:Piloter/level:1", "competence:Piloter/level:2") in relations
    assert nodes["competence:Piloter/level:3/learning_outcome:AC2"].text == "Proposer une réparation"


@pytest.mark.parametrize("label", ["AC", "Ap"])
def test_apprentissage_codes_restart_at_each_niveau(tmp_path, label):
    ref, nodes, _ = _read(tmp_path, ac_label=label)
    code = label  # printed "AC 1", keyed "AC1"
    assert nodes[f"competence:Piloter/level:1/learning_outcome:{code}2"].text == "Lire une documentation technique en anglais"
    assert nodes[f"competence:Piloter/level:2/learning_outcome:{code}3"].text == "Rendre compte"
    assert nodes[f"competence:Piloter/level:3/learning_outcome:{code}1"].codes[0].value == f"{label} 1"
    outcomes = [n for n in ref.nodes if n.node_type == "learning_outcome"]
    assert len(outcomes) == 10 and all(n.title is None for n in outcomes)
    assert not [d for d in ref.diagnostics if d.code == "duplicate_code"]


def test_two_column_panel_splits_composantes_from_situations(tmp_path):
    _, nodes, _ = _read(tmp_path)
    comp = nodes["competence:Piloter"]
    # No short name printed: the libellé's verb keys the compétence; text = libellé, description.
    assert comp.title == "Piloter" and comp.codes[0].value == "Piloter"
    assert comp.text == "Piloter des systèmes embarqués\nMettre en service et surveiller les systèmes embarqués d'un aéronef"
    assert [nodes[f"competence:Piloter/competence_component:{k}"].text for k in (1, 2)] == [
        "en respectant les procédures du constructeur", "en assurant la traçabilité des interventions"]
    assert [nodes[f"competence:Piloter/professional_situation:{k}"].text for k in (1, 2)] == [
        "Maintenance en ligne", "Visite programmée en atelier de maintenance lourde"]
    assert [n.position for k, n in nodes.items() if n.parent_key and n.parent_key.endswith("competence:Piloter")] == [
        0, 1, 2, 3, 4, 5, 6]


def test_parcours_pages_say_which_niveaux_each_parcours_reaches(tmp_path):
    ref, nodes, relations = _read(tmp_path)
    assert ref.doc_key == "but:aeronautique"  # several parcours: no parcours in the key
    assert nodes["pathway:1"].title == "Parcours A « Navigabilité »"
    assert nodes["pathway:1"].text == "Métiers : technicien de maintenance en ligne, contrôleur navigabilité."
    assert nodes["pathway:2"].text == "Métiers : chef d'équipe en atelier."
    assert [nodes[k].position for k in ("competence:Piloter", "competence:Organiser", "pathway:1", "pathway:2")] == [
        0, 1, 2, 3]
    includes = {r for r in relations if r[0] == "includes"}
    assert includes == {("includes", "pathway:1", "competence:Piloter/level:1"),
                        ("includes", "pathway:1", "competence:Piloter/level:2"),
                        ("includes", "pathway:1", "competence:Piloter/level:3"),
                        ("includes", "pathway:1", "competence:Organiser/level:1"),
                        ("includes", "pathway:2", "competence:Piloter/level:1"),
                        ("includes", "pathway:2", "competence:Piloter/level:2"),
                        ("includes", "pathway:2", "competence:Organiser/level:1"),
                        ("includes", "pathway:2", "competence:Organiser/level:2")}
    # A niveau reprinted on a parcours page is printed there too.
    assert nodes["competence:Piloter/level:3"].prov.pages == [3, 5]
    assert nodes["competence:Organiser/level:1"].prov.pages == [4, 5, 6]
    assert not [d for d in ref.diagnostics if d.level == "warning"]


def test_a_niveau_note_that_contradicts_the_parcours_pages_is_warned(tmp_path):
    comps = copy.deepcopy(COMPS)
    comps[0].levels[2].note = "A et B"  # the parcours B page does not show this niveau
    ref, _, _ = _read(tmp_path, comps=comps)
    warned = [d for d in ref.diagnostics if d.code == "pathway_levels_disagree"]
    assert len(warned) == 1 and warned[0].page == 3 and "Diagnostiquer une panne" in warned[0].message


def test_a_referentiel_printed_for_one_parcours_is_keyed_by_it(tmp_path):
    ref, nodes, relations = _read(tmp_path, paths=PATHS[:1])
    assert ref.doc_key == "but:aeronautique@navigabilite"
    assert all(n.node_key.startswith("but:aeronautique@navigabilite/") for n in ref.nodes)
    assert ("includes", "pathway:1", "competence:Organiser/level:1") in relations


def test_pages_outside_the_referentiel_are_named_once_and_make_no_node(tmp_path):
    ref, nodes, _ = _read(tmp_path)
    assert not [n for n in ref.nodes if {1, 2, 7} & set(n.prov.pages)]
    unread = [d for d in ref.diagnostics if d.code == "pages_not_read"]
    assert len(unread) == 1 and unread[0].level == "info" and "page(s) 1-2, 7 (3 of 7)" in unread[0].message
    # The tables page repeats a compétence's bar without composantes or niveaux: not a compétence.
    assert [n.node_key for n in ref.nodes if n.node_type == "competence"] == [
        "but:aeronautique/competence:Piloter", "but:aeronautique/competence:Organiser"]


def test_typesetter_hyphenation_is_undone_and_compounds_keep_their_hyphen(tmp_path):
    _, nodes, _ = _read(tmp_path)
    # "embar-" / "qués": the document prints "embarqués" whole elsewhere; "temps-réel" it never
    # prints joined, so the hyphen is the compound's.
    assert nodes["competence:Organiser"].text.endswith(
        "Planifier les interventions d'un atelier en temps-réel et les rendre embarqués dans les outils")


def test_a_sae_table_is_not_a_referentiel_de_competences(tmp_path):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    rows = [["UE", "Compétence", "Niveau de la compétence", "Composantes essentielles", "Apprentissages critiques", "SAÉ"],
            ["UE 1.1", "Concevoir", "Niveau 1", "en respectant les normes", "Identifier un besoin", "X"],
            ["UE 1.2", "Réaliser", "Niveau 1", "en choisissant les outils", "Coder une fonction", "X"],
            ["", "", "", "", "Coefficients", "12"]]
    path = tmp_path / "annexe.pdf"
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    table = Table(rows)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0))]))
    doc.build([table])
    ref = extract_document(path)
    assert ref.doc_kind == "but_referentiel"
    warned = [d for d in ref.diagnostics if d.code == "no_competence_framework"]
    assert len(warned) == 1 and warned[0].level == "warning"
    assert ref.nodes and all(n.node_type == "residual" for n in ref.nodes)
