"""Each mechanism of the RNCP grid reader on a small generated PDF (expectations written by hand)."""

from collections import Counter
from pathlib import Path

from extract.pipeline import extract_document
from pdfgen import rncp_grid

LONG = "\n".join(f"• Critère numéro {i} observé sur le livrable" for i in range(1, 41))


def _nodes(ref, node_type):
    return [n for n in ref.nodes if n.node_type == node_type]


def _grid_with_split_row(tmp_path: Path, repeat_header: bool):
    rows = [
        ["BLOC 1 : CONCEVOIR UN PROJET", "", "", ""],
        ["**A1.1**\n- Analyse du besoin", "**C1.1**\nAnalyser le besoin du client.", "**Cas pratique :**\nLe candidat présente.", "Le candidat analyse :\n" + LONG],
        ["**A1.2**\n- Rédaction", "**C1.2**\nRédiger le cahier des charges.", "**Étude de cas :**\nLe candidat rédige.", "Le candidat rédige :\n• Le cahier est complet"],
    ]
    spans = [((0, 1), (3, 1))]
    return extract_document(rncp_grid(tmp_path / f"split-{repeat_header}.pdf", rows, spans, repeat_header))


def _check_split_row(ref):
    assert [n.node_key.split("/", 1)[1] for n in _nodes(ref, "competence")] == ["block:1/competence:C1.1", "block:1/competence:C1.2"]
    crit = [n for n in _nodes(ref, "assessment_criterion") if n.parent_key.endswith("competence:C1.1")]
    assert len(crit) == 1, [c.text[:60] for c in crit]
    c = crit[0]
    assert c.title == "Le candidat analyse :"
    assert [i.text for i in c.items][0] == "Critère numéro 1 observé sur le livrable"
    assert [i.text for i in c.items][-1] == "Critère numéro 40 observé sur le livrable"
    assert len(c.items) == 40 and c.prov.pages == [1, 2]
    texts = " ".join(n.text for n in ref.nodes)
    assert "REFERENTIEL" not in texts and "CRITÈRES D'ÉVALUATION" not in texts


def test_row_split_across_pages_with_repeated_header(tmp_path):
    _check_split_row(_grid_with_split_row(tmp_path, repeat_header=True))


def test_row_split_across_pages_without_repeated_header(tmp_path):
    _check_split_row(_grid_with_split_row(tmp_path, repeat_header=False))


def test_merged_modality_cell_over_three_rows_across_a_page_break(tmp_path):
    tall = "\n".join(f"Énoncé {i} de la compétence, assez long pour remplir la page." for i in range(12))
    rows = [["BLOC 1 : PILOTER", "", "", ""]] + [
        [f"**A1.{k}**\n- Activité {k}", f"**C1.{k}**\n{tall}", "**Mise en situation :**\nUn seul dossier évalue ces compétences." if k == 1 else "", f"• Critère de C1.{k}"]
        for k in (1, 2, 3)
    ]
    spans = [((0, 1), (3, 1)), ((2, 2), (2, 4))]
    ref = extract_document(rncp_grid(tmp_path / "merged.pdf", rows, spans))
    mods = _nodes(ref, "assessment_modality")
    assert len(mods) == 1 and mods[0].title == "Mise en situation :"
    assert mods[0].text == "Mise en situation :\nUn seul dossier évalue ces compétences."
    comps = [n.node_key for n in _nodes(ref, "competence")]
    assert len(comps) == 3
    assert max(p for n in _nodes(ref, "competence") for p in n.prov.pages) >= 2, "the grid must cross a page"
    assesses = {(r.origin_key, r.dest_key) for r in ref.relations if r.type == "assesses"}
    assert assesses == {(mods[0].node_key, c) for c in comps}
    derived = {(r.origin_key.rsplit("/", 1)[1], r.dest_key.rsplit("/", 1)[1]) for r in ref.relations if r.type == "derived_from"}
    assert derived == {("competence:C1.1", "activity:A1.1"), ("competence:C1.2", "activity:A1.2"), ("competence:C1.3", "activity:A1.3")}


def test_three_level_bullets_with_mixed_markers(tmp_path):
    crit = "Le candidat démontre :\n• Premier niveau A\n  - Deuxième niveau A1\n    o Troisième niveau A1a\n    o Troisième niveau A1b\n  - Deuxième niveau A2\n• Premier niveau B"
    rows = [["BLOC 1 : GÉRER", "", "", ""], ["**A1.1**\n- Tâche", "**C1.1**\nGérer.", "**Cas pratique :**\nÉtude.", crit]]
    ref = extract_document(rncp_grid(tmp_path / "bullets.pdf", rows, [((0, 1), (3, 1))]))
    (c,) = _nodes(ref, "assessment_criterion")
    assert c.title == "Le candidat démontre :"
    shape = [(i.marker, i.text, [(j.marker, j.text, [(k.marker, k.text) for k in j.children]) for j in i.children]) for i in c.items]
    assert shape == [
        ("•", "Premier niveau A", [("-", "Deuxième niveau A1", [("o", "Troisième niveau A1a"), ("o", "Troisième niveau A1b")]),
                                   ("-", "Deuxième niveau A2", [])]),
        ("•", "Premier niveau B", []),
    ]
    assert c.text.splitlines() == ["Le candidat démontre :", "Premier niveau A", "Deuxième niveau A1", "Troisième niveau A1a",
                                   "Troisième niveau A1b", "Deuxième niveau A2", "Premier niveau B"]


def test_bloc_title_rows_start_blocs(tmp_path):
    rows = [
        ["BLOC 1 : CONCEVOIR", "", "", ""],
        ["**A1.1**\n- Tâche un", "**C1.1**\nConcevoir.", "**Cas pratique :**\nÉtude.", "• Critère un"],
        ["BLOC 2 : PILOTER LE PROJET", "", "", ""],
        ["**A2.1**\n- Tâche deux", "**C2.1**\nPiloter.", "**Jeu de rôle :**\nSimulation.", "• Critère deux"],
    ]
    spans = [((0, 1), (3, 1)), ((0, 3), (3, 3))]
    ref = extract_document(rncp_grid(tmp_path / "blocs.pdf", rows, spans))
    blocks = _nodes(ref, "block")
    assert [(b.node_key.split("/", 1)[1], b.title) for b in blocks] == [("block:1", "CONCEVOIR"), ("block:2", "PILOTER LE PROJET")]
    parents = Counter(n.parent_key.split("/", 1)[1] for n in ref.nodes if n.node_type in ("activity", "competence", "assessment_modality"))
    assert parents == {"block:1": 3, "block:2": 3}


def test_a_cell_listing_several_codes(tmp_path):
    rows = [[
        "**A1 Définir le projet**\nA1.1 - Cadrage du besoin\nA1.2 - Rédaction du cahier des charges\nA1.3 – Chiffrage",
        "• **CA1.1** Collecter les besoins.\n• **CA1.2** Classer les besoins.",
        "Cas pratique\nLes candidats analysent un cas.",
        "• Les candidats rédigent un cahier.\n• Les candidats chiffrent.",
    ]]
    ref = extract_document(rncp_grid(tmp_path / "codes.pdf", rows))
    assert [(n.node_key.split("/", 1)[1], n.title) for n in _nodes(ref, "block")] == [("block:A1", "Définir le projet")]
    assert [(n.codes[0].value, n.title) for n in _nodes(ref, "activity")] == [
        ("A1.1", "Cadrage du besoin"), ("A1.2", "Rédaction du cahier des charges"), ("A1.3", "Chiffrage")]
    assert [(n.codes[0].value, n.text) for n in _nodes(ref, "competence")] == [
        ("CA1.1", "Collecter les besoins."), ("CA1.2", "Classer les besoins.")]
    (crit,) = _nodes(ref, "assessment_criterion")
    assert crit.parent_key.endswith("block:A1") and crit.title is None and len(crit.items) == 2
    assert not [r for r in ref.relations if r.type == "derived_from"]  # list cells are not row-paired
