"""Each piece of the verdict's evidence on small, made-up documents and records."""

from pathlib import Path

from extract.classify import classify_text, is_french
from extract.coverage import page_coverage, squash
from extract.document import Document, read_document
from extract.invariants import (Finding, Tree, announced_blocs, code_sequences, furniture_text, grammar,
                                mid_sentence, required_children, statement_form)
from extract.verdict import TOLERANCE, _label_gaps, agreement, decide
from pdfgen import pdf_with_pages

DOC = "rncp:test"


def node(path: str, ntype: str, position: int = 0, code: str | None = None, text: str = "", title: str | None = None,
         pages: tuple[int, ...] = (1,), **extra) -> dict:
    parent = path.rsplit("/", 1)[0] if "/" in path else None
    return {"node_key": f"{DOC}/{path}", "node_type": ntype, "parent_key": f"{DOC}/{parent}" if parent else None,
            "position": position, "codes": [{"value": code, "scheme": "test"}] if code else [], "title": title,
            "text": text, "items": [], "prov": {"pages": list(pages), "spans": []}, **extra}


def ref(kind: str, nodes: list[dict], relations: list[dict] = (), **extra) -> dict:
    return {"doc_key": DOC, "doc_kind": kind, "nodes": nodes, "relations": list(relations), "diagnostics": [],
            "certification": {}, **extra}


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


# ---------------------------------------------------------------- coverage


def test_coverage_tells_lost_text_from_a_preamble_and_notes(tmp_path):
    lines = [(72, 60, "PRÉAMBULE DU DOCUMENT"), (72, 120, "Analyser les besoins du client interne"),
             (72, 134, "Rédiger le cahier des charges du projet"), (72, 148, "Planifier les étapes et les ressources"),
             (72, 162, "Suivre le budget et les délais du projet"), (72, 400, "Note : ce texte est une note de bas de page")]
    doc = read_document(pdf_with_pages(tmp_path / "p.pdf", [lines, [(72, 100, "Page suivante du référentiel")]]))
    out = ref("rncp_referentiel", [
        {**node("block:1/competence:1", "competence", text="Analyser les besoins du client interne\nRédiger le cahier des charges du projet"),
         "prov": {"pages": [1], "spans": [{"page": 1, "bbox": [72, 112, 300, 124]}]}},
        {**node("block:1/competence:2", "competence", position=1, text="Suivre le budget et les délais du projet"),
         "prov": {"pages": [1], "spans": [{"page": 1, "bbox": [72, 154, 300, 166]}]}}])
    page = page_coverage(doc.pages, out)[0]
    assert page.lost_lines == ["Planifier les étapes et les ressources"]  # between two nodes: lost
    assert page.lost == len(squash("Planifier les étapes et les ressources"))
    assert page.outside == len(squash("PRÉAMBULE DU DOCUMENT")) + len(squash("Note : ce texte est une note de bas de page"))
    assert page.share is not None and 0.6 < page.share < 0.8
    # inside a référentiel printed over pages 1-2, what follows the last node of page 1 is content too
    page = page_coverage(doc.pages, out, run=(1, 2))[0]
    assert "Note : ce texte est une note de bas de page" in page.lost_lines


def test_repeated_lines_and_reprints_are_not_lost(tmp_path):
    pages = [[(72, 100, "Critères de performance"), (72, 130, "Le code est documenté de façon claire")],
             [(72, 100, "Critères de performance"), (72, 130, "Les tests couvrent les cas nominaux")],
             [(72, 100, "Critères de performance"), (72, 130, "Vue synoptique : le code est documenté de façon claire")]]
    doc = read_document(pdf_with_pages(tmp_path / "r.pdf", pages))
    out = ref("reac", [
        {**node("activity_type:1/competence:1/assessment_criterion:1", "assessment_criterion", text="Le code est documenté de façon claire"),
         "prov": {"pages": [1], "spans": [{"page": 1, "bbox": [72, 90, 300, 140]}]}},
        {**node("activity_type:1/competence:1/assessment_criterion:2", "assessment_criterion", position=1,
                text="Les tests couvrent les cas nominaux"),
         "prov": {"pages": [2], "spans": [{"page": 2, "bbox": [72, 90, 300, 140]}]}}])
    cov = page_coverage(doc.pages, out, run=(1, 2))
    assert [c.lost for c in cov[:2]] == [0, 0]  # the heading on every page is a label, not content
    assert cov[0].share == cov[1].share == 1.0


# ---------------------------------------------------------------- invariants


def test_code_gaps_are_errors_when_printed_or_at_a_page_break_and_notes_otherwise():
    comps = [node("block:1/competence:C1.1", "competence", 0, "C1.1", "Analyser", pages=(1,)),
             node("block:1/competence:C1.2", "competence", 1, "C1.2", "Rédiger", pages=(1,)),
             node("block:1/competence:C1.4", "competence", 2, "C1.4", "Suivre", pages=(1,))]
    tree = Tree(ref("rncp_referentiel", [node("block:1", "block", code="1", text="Bloc"), *comps]))
    printed = codes(code_sequences(tree, "… la compétence C1.3 Planifier les étapes …"))
    assert printed == ["code_gap"]
    assert codes(code_sequences(tree, "rien")) == ["code_skipped"]
    assert code_sequences(tree, "rien")[0].note
    comps[2]["prov"]["pages"] = [2]
    gap = code_sequences(Tree(ref("rncp_referentiel", [node("block:1", "block", code="1"), *comps])), "rien")
    assert codes(gap) == ["code_gap"] and gap[0].pages == [1, 2] and "pages meet" in gap[0].message


def test_series_that_restart_under_each_parent_and_mixed_series():
    nodes = [node("competence:A", "competence", text="Agir")]
    for lv in (1, 2):
        nodes.append(node(f"competence:A/level:{lv}", "level", lv - 1, text="Niveau"))
        nodes += [node(f"competence:A/level:{lv}/learning_outcome:AC{k}", "learning_outcome", k - 1, f"AC {k}", "Agir")
                  for k in (1, 2, 3)]
    assert code_sequences(Tree(ref("but_referentiel", nodes)), "") == []  # AC 1-3 at each level
    bloc = [node("block:1", "block", code="1")] + [
        node(f"block:1/competence:{c}", "competence", i, c, "Agir") for i, c in enumerate(("C1.1", "C1.2", "C2.1"))]
    assert codes(code_sequences(Tree(ref("rncp_referentiel", bloc)), "")) == ["mixed_code_series"]


def test_grammar_and_required_children_follow_the_family():
    re_doc = ref("re", [node("assessment_modality:1", "assessment_modality", text="Entretien"),
                        node("competence:1", "competence", 1, text="Développer")])
    found = grammar(Tree(re_doc), "re")
    assert "misplaced_nodes" in codes(found) and "missing_node_type" in codes(found)
    assert next(f for f in found if f.code == "missing_node_type").hard
    reac = ref("reac", [node("activity_type:1", "activity_type", code="1", text="AT"),
                        node("activity_type:1/competence:1", "competence", 0, "1", "Maquetter"),
                        node("activity_type:1/competence:1/assessment_criterion:1", "assessment_criterion", 0, text="La maquette est faite"),
                        node("activity_type:1/competence:1/knowledge:knowledge:1", "knowledge", 1, text="Savoir", category="knowledge"),
                        node("activity_type:1/competence:2", "competence", 1, "2", "Développer", pages=(3,))])
    lacking = required_children(Tree(reac), "reac")
    assert codes(lacking) == ["missing_children", "missing_children"]
    assert all(f.nodes == [f"{DOC}/activity_type:1/competence:2"] for f in lacking)


def test_competences_are_phrased_as_actions():
    verbs = ["Analyser les besoins", "S'assurer de la qualité", "Co-construire un projet", "Mettre en œuvre la veille"]
    nouns = ["Analyse des besoins", "Rédaction du cahier des charges", "Suivi du budget", "Planification"]
    as_comp = lambda texts: Tree(ref("rncp_referentiel", [node(f"block:1/competence:{i}", "competence", i, text=t)  # noqa: E731
                                                          for i, t in enumerate(texts, 1)] + [node("block:1", "block")]))
    assert statement_form(as_comp(verbs)) == []
    assert codes(statement_form(as_comp(nouns))) == ["statements_not_competences"]
    one_odd = statement_form(as_comp(verbs + nouns[:1]))
    assert codes(one_odd) == ["odd_statements"] and one_odd[0].note


def test_a_statement_opening_in_lower_case_is_the_rest_of_one_not_read():
    texts = ["Analyser les besoins", "Rédiger le cahier", "mesurer la visibilité du projet", "Suivre le budget"]
    nodes = [node("block:1", "block")] + [node(f"block:1/competence:{i}", "competence", i - 1, text=t)
                                          for i, t in enumerate(texts, 1)]
    found = mid_sentence(Tree(ref("rncp_referentiel", nodes)))
    assert codes(found) == ["starts_mid_sentence"] and "block:1/competence:3:" in found[0].message
    # its ordinal key and the next one's are shifted: both at risk
    assert found[0].nodes == [f"{DOC}/block:1/competence:3", f"{DOC}/block:1/competence:4"] and found[0].wrong == 2
    composantes = [node("competence:A", "competence", text="Agir")] + [
        node(f"competence:A/competence_component:{i}", "competence_component", i, text=f"en respectant {i}") for i in range(4)]
    assert mid_sentence(Tree(ref("but_referentiel", composantes))) == []  # "en …" by form


def test_furniture_in_node_text():
    nodes = [node("block:1", "block"), node("block:1/competence:1", "competence", text="Analyser les besoins\nPage 3 / 12"),
             node("block:1/competence:2", "competence", 1, text="Rédiger\nSIGLE Type de document Code titre Millésime"),
             node("block:1/competence:3", "competence", 2, text="Suivre le budget du projet")]
    found = furniture_text(Tree(ref("rncp_referentiel", nodes)), ["SIGLE", "Type de document", "Code titre", "Millésime"])
    assert found and "competence:1: 'Page 3 / 12'" in found[0].message and "competence:2: 'SIGLE" in found[0].message
    assert "competence:3:" not in found[0].message


def test_announced_blocs():
    blocs = [node(f"block:{k}", "block", k - 1, str(k), f"Bloc {k}") for k in (1, 2, 3)]
    tree = Tree(ref("rncp_referentiel", blocs))
    missed = announced_blocs(tree, "rncp_referentiel", "La certification est composée de 4 blocs de compétences. BLOC 4 : Piloter")
    assert codes(missed) == ["announced_count"] and not missed[0].note and missed[0].missing > 0
    note = announced_blocs(tree, "rncp_referentiel", "La certification est composée de quatre blocs de compétences.")
    assert note[0].note


def test_printed_page_numbers_that_jump(tmp_path):
    doc = Document(path=Path("x.pdf"), sha256="", pages=[None] * 6, labels={1: "1", 2: "2", 3: "3", 4: "5", 5: "6", 6: "7"})
    gap = _label_gaps(doc, 10.0, 1, 6)
    assert len(gap) == 1 and gap[0].hard and gap[0].pages == [3, 4] and "printed page(s) 4" in gap[0].message
    stray = Document(path=Path("x.pdf"), sha256="", pages=[None] * 5, labels={1: "1", 2: "2", 3: "600", 4: "4", 5: "5"})
    assert _label_gaps(stray, 10.0, 1, 5) == []


# ---------------------------------------------------------------- decision


def test_one_node_in_twenty_is_the_line():
    nodes = [node(f"block:1/competence:{i}", "competence", i, text="Agir") for i in range(100)] + [node("block:1", "block")]
    tree = Tree(ref("rncp_referentiel", nodes))
    small = decide([Finding("x", "four nodes wrong", wrong=4)], tree, {})
    assert small.status == "ok" and not small.reasons and small.notes[0].counts and small.confidence > 1 - TOLERANCE
    large = decide([Finding("x", "six nodes wrong", wrong=6)], tree, {})
    assert large.status == "needs_review" and large.reasons[0].code == "x" and large.confidence < 1 - TOLERANCE
    hard = decide([Finding("page_unreadable", "page 3 could not be read", pages=[3], hard=True)], tree, {})
    assert hard.status == "needs_review" and hard.confidence <= 0.5
    note = decide([Finding("code_skipped", "the document skips C3", note=True, missing=50)], tree, {})
    assert note.status == "ok" and not note.notes[0].counts


def test_not_a_referential_needs_more_than_one_phrase_and_french():
    assert is_french("Le référentiel des compétences et les critères de la certification") is True
    assert is_french("The library reads the file and builds the tree, but it is not complete") is False
    one_phrase = " ".join(["Les apprentissages critiques du module de la formation."] * 5)
    assert classify_text(one_phrase).kind == "unknown"
    two = one_phrase + " Les composantes essentielles de la compétence."
    assert classify_text(two).kind == "but_referentiel"
    english = "Apprentissages critiques and composantes essentielles are the words of the file, but the text is English " * 3
    assert classify_text(english).kind == "unknown"


def test_documents_of_one_run_that_print_the_same_content_agree():
    def cp(key: str, title: str, criteria: list[str], doc_key: str) -> list[dict]:
        base = {"node_key": f"{doc_key}/{key}", "node_type": "competence", "parent_key": f"{doc_key}/activity_type:1",
                "position": 0, "codes": [], "title": title, "text": title, "items": [], "prov": {"pages": [9]}}
        return [base] + [{"node_key": f"{doc_key}/{key}/assessment_criterion:{i}", "node_type": "assessment_criterion",
                          "parent_key": base["node_key"], "position": i, "codes": [], "title": None, "text": c,
                          "items": [], "prov": {"pages": [9]}} for i, c in enumerate(criteria, 1)]

    def at(doc_key: str) -> dict:
        return {"node_key": f"{doc_key}/activity_type:1", "node_type": "activity_type", "parent_key": None,
                "position": 0, "codes": [], "title": "AT", "text": "AT", "items": [], "prov": {"pages": [9]}}

    reac_key, re_key = "reac:TP-00001@02", "re:TP-00001@02"
    reac = {"doc_key": reac_key, "doc_kind": "reac", "relations": [], "nodes": [at(reac_key), *cp(
        "activity_type:1/competence:1", "Maquetter une application",
        ["La maquette respecte la charte graphique de l'entreprise", "Le contenu de la maquette est rédigé sans faute"], reac_key)]}
    paraphrase = {"doc_key": re_key, "doc_kind": "re", "relations": [], "nodes": [at(re_key), *cp(
        "activity_type:1/competence:1", "Maquetter une application",
        ["La maquette respecte la charte graphique", "Le contenu de la maquette, pour la partie visible, est rédigé sans faute"], re_key)]}
    assert agreement([reac, paraphrase]) == {}
    misread = {**paraphrase, "nodes": [at(re_key), *cp("activity_type:1/competence:1", "Maquetter une application",
                                                         ["Durée totale de l'épreuve : 02 h 00 min"], re_key)]}
    assert [f.code for f in agreement([reac, misread])[re_key]] == ["criteria_not_in_reac"]

    def bloc(doc_key: str, k: int, title: str) -> dict:
        return {"node_key": f"{doc_key}/block:{k}", "node_type": "block", "parent_key": None, "position": k - 1,
                "codes": [], "title": title, "text": title, "items": [], "prov": {"pages": [1]}}

    from extract.links import fiche_checks

    titles = ["Concevoir une campagne digitale", "Produire des contenus", "Piloter un projet digital"]
    fiche = {"doc_key": "fiche:RNCP12345", "doc_kind": "rncp_fiche", "relations": [], "diagnostics": [],
             "certification": {}, "nodes": [bloc("fiche:RNCP12345", k, t) for k, t in enumerate(titles, 1)]}
    referentiel = {"doc_key": "rncp:RNCP12345", "doc_kind": "rncp_referentiel", "relations": [], "diagnostics": [],
                   "certification": {}, "nodes": [bloc("rncp:RNCP12345", k, t) for k, t in enumerate(titles[:2], 1)]}
    referentiel["diagnostics"] = fiche_checks([fiche, referentiel])[1][1]  # what a run writes on the référentiel
    found = agreement([fiche, referentiel])["rncp:RNCP12345"]
    assert [f.code for f in found] == ["blocs_not_in_referential"] and "Piloter un projet digital" in found[0].message
    assert found[0].missing > 0
    referentiel["nodes"].append(bloc("rncp:RNCP12345", 3, "Piloter le projet digital"))
    referentiel["diagnostics"] = fiche_checks([fiche, referentiel])[1][1]
    worded = agreement([fiche, referentiel])["rncp:RNCP12345"]
    assert [f.code for f in worded] == ["fiche_disagrees"] and worded[0].note  # worded otherwise: a note
