"""RNCP fiches (FAMILIES §5): the corpus fiche against its golden; fiche-shaped pages printed by
headless Chromium in other layouts (browser margins on and off, two page widths); a fiche checked
against its référentiel in one run; the label/value, button and broken-word mechanisms."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import GOLDEN, RAW
from extract.compare import compare
from extract.docmodel.buttons import button_lines
from extract.docmodel.keyvalue import label_value_rows
from extract.families.fiche import cell_statements, split_by_statements
from extract.layout import Box, Line, Word
from extract.pipeline import extract_document, run_batch
from fichegen import BlocData, FicheData, print_fiche

FICHE = "rncp37173-fiche-expert-securite-developpements"


# ---------------------------------------------------------------- the corpus fiche


@pytest.fixture(scope="module")
def corpus_fiche():
    return extract_document(RAW / f"{FICHE}.pdf").model_dump(mode="json")


def test_corpus_fiche_reads_as_its_golden(corpus_fiche):
    golden = json.loads((GOLDEN / f"{FICHE}.json").read_text(encoding="utf-8"))
    assert corpus_fiche["doc_kind"] == "rncp_fiche" and corpus_fiche["doc_key"] == "fiche:RNCP37173"
    score = compare(corpus_fiche, golden).summary()
    assert score["exact_node_f1"] >= 0.98 and score["relation_f1"] >= 0.98, score
    assert not [n for n in corpus_fiche["nodes"] if n["node_type"] == "residual"]


def test_corpus_fiche_certification_is_the_golden_one(corpus_fiche):
    golden = json.loads((GOLDEN / f"{FICHE}.json").read_text(encoding="utf-8"))["certification"]
    cert = corpus_fiche["certification"]
    for field in ("title", "codes", "level", "certifier", "dates", "nsf", "rome"):
        assert cert[field] == golden[field], field
    assert cert["level_eqf"] == 7
    # every rubrique, in print order, as printed (tables flattened, the header once)
    assert list(cert["sections"]) == list(golden["sections"])
    assert cert["sections"] == golden["sections"]


def test_twice_printed_statements_are_one_node_with_both_pages(corpus_fiche):
    # The résumé (pages 3-4) reprints every statement of the bloc tables (pages 4-7).
    comps = [n for n in corpus_fiche["nodes"] if n["node_type"] == "competence"]
    assert len(comps) == 32 and all(min(n["prov"]["pages"]) in (3, 4) and max(n["prov"]["pages"]) >= 4 for n in comps)
    blocs = [n for n in corpus_fiche["nodes"] if n["node_type"] == "block"]
    # A bloc's page is its heading's: the résumé's "Bloc n : …" lines add none.
    assert [n["prov"]["pages"] for n in blocs] == [[4], [5], [5], [6], [6]]


# ---------------------------------------------------------------- fiches printed by Chromium

STATEMENTS = [
    ["Diagnostiquer les pannes des systèmes de propulsion électrique d’un drone civil, en exploitant les journaux de "
     "vol et les mesures relevées au banc, afin de déterminer l’intervention nécessaire.",
     "Remplacer les composants défectueux conformément au manuel du constructeur et au Code de l’aviation civile, "
     "afin de remettre l’appareil en état de navigabilité.",
     "Contrôler le fonctionnement des capteurs de navigation (GNSS, centrale inertielle, baromètre) après chaque "
     "intervention, afin de garantir la précision des trajectoires.",
     "Consigner chaque opération dans le carnet de maintenance numérique de l’exploitant, afin d’assurer la "
     "traçabilité exigée par la Direction générale de l’Aviation civile.",
     "Planifier les visites préventives d’une flotte de drones selon les heures de vol et les cycles de charge des "
     "batteries, afin de réduire les immobilisations imprévues."],
    ["Préparer une mission de vol en évaluant les contraintes de l’espace aérien, la météorologie et les "
     "autorisations requises, afin de sécuriser l’opération.",
     "Paramétrer le plan de vol automatique dans le logiciel de la station sol, en définissant les points de passage "
     "et les procédures de secours, afin d’exécuter la mission prévue.",
     "Piloter le drone en vue directe ou hors vue, en appliquant les procédures d’urgence en cas de perte de liaison, "
     "afin de préserver les personnes et les biens survolés.",
     "Exploiter les données acquises pendant le vol (images, relevés thermiques, nuages de points), afin de produire "
     "les livrables attendus par le client.",
     "Rédiger le compte rendu de mission en langue française et, le cas échéant, en anglais, afin d’informer le "
     "donneur d’ordre des résultats et des incidents survenus.",
     "Adapter sa communication aux personnes en situation de handicap présentes sur le site d’intervention, afin de "
     "garantir leur information et leur sécurité."],
    ["Analyser la demande d’un client professionnel en identifiant ses besoins opérationnels et ses contraintes "
     "réglementaires, afin de proposer une prestation adaptée.",
     "Chiffrer une prestation de maintenance ou de prise de vues aériennes, en tenant compte des coûts de "
     "main-d’œuvre, de matériel et d’assurance, afin d’établir un devis.",
     "Encadrer une équipe de deux à cinq techniciens, en répartissant les tâches et en contrôlant la qualité des "
     "interventions, afin de respecter les délais convenus.",
     "Mettre en œuvre la démarche qualité de l’atelier selon la norme ISO 9001, afin d’améliorer en continu les "
     "procédures de maintenance.",
     "Évaluer les risques professionnels liés aux batteries au lithium et aux hélices, en rédigeant le document "
     "unique, afin de prévenir les accidents du travail.",
     "Former les nouveaux techniciens aux procédures de l’atelier, en organisant des séances de tutorat et des "
     "évaluations pratiques, afin de maintenir le niveau de compétence de l’équipe.",
     "Négocier avec les fournisseurs de pièces détachées les délais et les conditions de livraison, afin de garantir "
     "la disponibilité des composants critiques.",
     "Assurer la veille technique et réglementaire sur les drones civils, en consultant les publications de "
     "l’Agence européenne de la sécurité aérienne, afin d’adapter les pratiques de l’atelier."],
    ["Concevoir un programme de formation au télépilotage pour des agents d’une collectivité, en définissant les "
     "objectifs, la progression et les évaluations, afin de préparer les stagiaires à l’examen théorique.",
     "Animer une séance de formation théorique en salle, en adaptant les supports aux acquis des stagiaires, afin "
     "de faciliter l’appropriation de la réglementation.",
     "Encadrer les vols d’entraînement des stagiaires sur un terrain agréé, en veillant au respect des consignes de "
     "sécurité, afin de développer leur autonomie.",
     "Évaluer les acquis des stagiaires à l’issue de chaque module, au moyen de grilles d’observation et de "
     "questionnaires, afin d’attester leur progression.",
     "Accompagner un stagiaire en situation de handicap, en aménageant les séances et les supports, afin de "
     "garantir l’égalité des chances lors des évaluations.",
     "Mettre à jour les supports pédagogiques après chaque évolution du Règlement d’exécution européen, afin de "
     "maintenir la conformité des contenus enseignés.",
     "Organiser la logistique des sessions (salles, simulateurs, drones de formation, assurances), afin d’assurer "
     "leur déroulement dans de bonnes conditions.",
     "Rendre compte au financeur du déroulement et des résultats des sessions, en rédigeant un bilan quantitatif et "
     "qualitatif, afin de justifier les fonds engagés.",
     "Développer un réseau de partenaires (aéroclubs, exploitants, collectivités), afin d’offrir aux stagiaires des "
     "terrains d’application et des perspectives d’emploi.",
     "Promouvoir l’offre de formation auprès des entreprises du territoire, en participant à des salons "
     "professionnels et à des réunions d’information, afin d’attirer de nouveaux publics."],
]
MODALITIES = [
    ["Mise en situation professionnelle en atelier portant sur le diagnostic et la réparation d’un drone présentant "
     "deux pannes, suivie d’un entretien avec le jury."],
    ["Etude de cas portant sur la préparation d’une mission en zone peuplée.",
     "Vol d’évaluation sur un terrain agréé, observé par deux examinateurs."],
    ["Dossier professionnel présenté à l’oral devant un jury de professionnels du secteur."],
    ["Séance de formation animée devant le jury, suivie d’un entretien sur le programme conçu par le candidat.",
     "Rapport écrit portant sur l’organisation d’une session de formation complète."],
]
TITLES = ["Assurer la maintenance des drones civils", "Préparer et conduire une mission de vol",
          "Gérer l’activité d’un atelier de maintenance", "Former des télépilotes"]


def drone_fiche(resume: bool = True) -> FicheData:
    return FicheData(
        rncp="RNCP99901", title="Technicien de maintenance et d’exploitation de drones civils", level="Niveau 5",
        blocs=[BlocData(f"RNCP99901BC0{i + 1}", TITLES[i], STATEMENTS[i], MODALITIES[i]) for i in range(4)],
        nsf=[("253p", "Maintenance aéronautique"), ("311u", "Conduite de drones")],
        formacodes=[("31815", "Maintenance aéronautique"), ("31835", "Drone")],
        rome=[("I1604", "Mécanique automobile et entretien de véhicules")], resume=resume)


def expected_nodes(f: FicheData) -> list[tuple[str, str | None, str, int]]:
    """(key under the doc, parent key, text, position) of every node the fiche's content makes."""
    out = []
    for i, b in enumerate(f.blocs):
        key = f"block:{b.code}"
        out.append((key, None, b.title, i))
        out += [(f"{key}/competence:{k + 1}", key, c, k) for k, c in enumerate(b.competences)]
        out += [(f"{key}/assessment_modality:{k + 1}", key, m, len(b.competences) + k) for k, m in enumerate(b.modalities)]
    return out


def read_nodes(ref: dict) -> list[tuple[str, str | None, str, int]]:
    rel = lambda k: k.split("/", 1)[1] if k else None  # noqa: E731
    return [(rel(n["node_key"]), rel(n["parent_key"]), n["text"], n["position"]) for n in ref["nodes"]]


PRINTS = {
    "a4-margins": dict(header_footer=True, page="A4"),
    "a4-bare": dict(header_footer=False, page="A4"),
    "wide-margins": dict(header_footer=True, page="270mm 180mm"),
    "narrow-bare": dict(header_footer=False, page="150mm 297mm", comp_width="60%"),
    "a4-plain-headers": dict(header_footer=True, page="A4", bold_headers=False),  # column headers not bold
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[dict, Path]]:
    folder = tmp_path_factory.mktemp("fiches")
    out = {}
    for name, options in PRINTS.items():
        pdf = print_fiche(drone_fiche(), folder / f"{name}.pdf", **options)
        out[name] = (extract_document(pdf).model_dump(mode="json"), pdf)
    pdf = print_fiche(drone_fiche(resume=False), folder / "a4-no-resume.pdf", header_footer=True, page="A4")
    out["a4-no-resume"] = (extract_document(pdf).model_dump(mode="json"), pdf)
    rows = drone_fiche()
    rows.bloc_rows = True
    pdf = print_fiche(rows, folder / "a4-bloc-rows.pdf", header_footer=True, page="A4", comp_width="45%")
    out["a4-bloc-rows"] = (extract_document(pdf).model_dump(mode="json"), pdf)
    return out


@pytest.mark.parametrize("name", [*PRINTS, "a4-no-resume", "a4-bloc-rows"])
def test_chromium_prints_read_to_the_fiche_s_nodes(printed, name):
    ref, _ = printed[name]
    f = drone_fiche()
    assert ref["doc_kind"] == "rncp_fiche" and ref["doc_key"] == "fiche:RNCP99901"
    assert read_nodes(ref) == expected_nodes(f)
    assesses = {(r["origin_key"].split("/", 1)[1], r["dest_key"].split("/", 1)[1]) for r in ref["relations"]}
    assert assesses == {(f"block:{b.code}/assessment_modality:{m + 1}", f"block:{b.code}/competence:{c + 1}")
                        for b in f.blocs for m in range(len(b.modalities)) for c in range(len(b.competences))}
    assert {r["type"] for r in ref["relations"]} == {"assesses"}


@pytest.mark.parametrize("name", PRINTS)
def test_chromium_prints_give_the_fiche_s_certification(printed, name):
    cert = printed[name][0]["certification"]
    assert cert["title"] == "Technicien de maintenance et d’exploitation de drones civils"
    assert [(c["value"], c["scheme"]) for c in cert["codes"]] == [("RNCP99901", "rncp"), ("31815", "formacode"),
                                                                  ("31835", "formacode")]
    assert (cert["level"], cert["level_eqf"]) == ("Niveau 5", 5)
    assert [(c["code"], c["label"]) for c in cert["nsf"]] == [("253p", "Maintenance aéronautique"),
                                                              ("311u", "Conduite de drones")]
    assert [c["code"] for c in cert["rome"]] == ["I1604"]
    assert cert["certifier"] == "ORGANISME DE TEST"
    assert cert["dates"] == {"decision": "2023-04-03", "expiry": "2028-04-03", "last_award": None}
    assert cert["sections"]["Code de la fiche :"] == "RNCP99901" and cert["sections"]["Etat :"] == "Active"


def test_the_prints_differ_where_the_test_says_they_do(printed):
    """The variants are what they claim: margins printed or not, other page widths, and bloc
    tables broken across pages (so repeated headers and cut rows are exercised)."""
    import pypdfium2 as pdfium

    for name, (ref, pdf) in printed.items():
        doc = pdfium.PdfDocument(str(pdf))
        text = "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        width = doc[0].get_size()[0]
        doc.close()
        margins = PRINTS.get(name, {"header_footer": True})["header_footer"]
        assert (pdf.with_suffix(".html").name in text) == margins, name  # the URL in the footer
        assert (f"1/{ref['sources'][0]['page_count']}" in text) == margins, name
        expected_width = {"wide-margins": 765, "narrow-bare": 425}.get(name, 595)
        assert abs(width - expected_width) < 2, (name, width)
        table_pages: dict[str, set[int]] = {}
        for n in ref["nodes"]:
            if n["node_type"] != "block":
                table_pages.setdefault(n["parent_key"], set()).update(s["page"] for s in n["prov"]["spans"])
        assert any(len(pages) > 1 for pages in table_pages.values()), (name, table_pages)


@pytest.mark.parametrize("name", PRINTS)
def test_browser_margins_and_page_furniture_reach_no_text(printed, name):
    ref, pdf = printed[name]
    everything = "\n".join([n["text"] for n in ref["nodes"]] + list(ref["certification"]["sections"].values())
                           + list(ref["certification"]["sections"]))
    for furniture in (pdf.with_suffix(".html").name, "file://", "Télécharger la fiche", "Aide en ligne", "Accueil",
                      "CERTIFICATION PROFESSIONNELLE", "Liste de compétences"):
        assert furniture not in everything, (name, furniture)
    assert not [n for n in ref["nodes"] if n["node_type"] == "residual"]


# ---------------------------------------------------------------- fiche and référentiel in one run

WEBMARKETING = "rncp-webmarketing-communication-digitale"


def webmarketing_fiche() -> FicheData:
    """A fiche for the corpus référentiel: its blocs and statements as its golden holds them."""
    g = json.loads((GOLDEN / f"{WEBMARKETING}.json").read_text(encoding="utf-8"))
    blocs = []
    for b in sorted((n for n in g["nodes"] if n["node_type"] == "block"), key=lambda n: n["position"]):
        comps = [n["text"] for n in sorted(g["nodes"], key=lambda n: n["position"])
                 if n["parent_key"] == b["node_key"] and n["node_type"] == "competence"]
        blocs.append(BlocData(f"RNCP99902BC0{len(blocs) + 1}", b["title"], comps,
                              ["Etude de cas et soutenance orale devant le jury."]))
    return FicheData(rncp="RNCP99902", title=g["certification"]["title"], level="Niveau 6", blocs=blocs)


def _run(tmp: Path, fiche: FicheData | None, review: bool = False) -> tuple[list[dict], dict, dict | None]:
    src = tmp / "in"
    src.mkdir(parents=True, exist_ok=True)
    for old in src.glob("*.pdf"):
        if old.name.startswith("fiche"):
            old.unlink()
    if fiche is not None:
        print_fiche(fiche, src / "fiche.pdf")
    shutil.copy(RAW / f"{WEBMARKETING}.pdf", src)
    run_batch(src, tmp / "out", review=review)
    links = json.loads((tmp / "out" / "links.json").read_text(encoding="utf-8"))["relations"]
    ref = json.loads((tmp / "out" / f"{WEBMARKETING}.json").read_text(encoding="utf-8"))
    fiche_out = tmp / "out" / "fiche.json"
    return links, ref, json.loads(fiche_out.read_text(encoding="utf-8")) if fiche is not None else None


def _checks(ref: dict) -> list[tuple[str, int | None]]:
    return [(d["code"], d["page"]) for d in ref["diagnostics"] if d["code"].startswith("fiche_")]


def test_a_fiche_and_its_referentiel_link_bloc_to_bloc(tmp_path):
    f = webmarketing_fiche()
    links, ref, fiche = _run(tmp_path, f)
    assert fiche["doc_kind"] == "rncp_fiche"
    assert [n["text"] for n in fiche["nodes"] if n["node_type"] == "competence"] == [c for b in f.blocs for c in b.competences]
    doc = "rncp:responsable-de-projet-webmarketing-et-communication-digitale"
    assert links == [{"type": "exact_match", "origin_key": f"fiche:RNCP99902/block:RNCP99902BC0{i}",
                      "dest_key": f"{doc}/block:{i}"} for i in range(1, 5)]
    assert _checks(ref) == []


def test_a_fiche_that_disagrees_puts_each_disagreement_on_the_referentiel(tmp_path):
    f = webmarketing_fiche()
    b1, b2, b3, b4 = f.blocs
    b2 = BlocData(b2.code, b2.title, b2.competences[:-1], b2.modalities)  # one competence fewer
    b4 = BlocData("RNCP99902BC03", "Conduire un projet digital de bout en bout", b4.competences, b4.modalities)  # reworded
    extra = BlocData("RNCP99902BC04", "Animer une communauté de bénévoles associatifs",
                     ["Recruter des bénévoles pour une association de quartier, afin de renforcer ses actions."],
                     ["Dossier écrit."])
    f.blocs = [b1, b2, b4, extra]  # bloc 3 of the référentiel is missing from the fiche
    links, ref, _ = _run(tmp_path, f, review=True)
    review_page = tmp_path / "out" / f"{WEBMARKETING}.review.html"
    assert "fiche_bloc_title" in review_page.read_text(encoding="utf-8")
    doc = "rncp:responsable-de-projet-webmarketing-et-communication-digitale"
    assert [(l["origin_key"].split("/", 1)[1], l["dest_key"].split("/", 1)[1]) for l in links] == [
        ("block:RNCP99902BC01", "block:1"), ("block:RNCP99902BC02", "block:2"), ("block:RNCP99902BC03", "block:4")]
    assert all(l["dest_key"].startswith(doc + "/") for l in links)
    pages = {n["node_key"].split("/", 1)[1]: n["prov"]["pages"][0] for n in ref["nodes"] if n["node_type"] == "block"}
    assert sorted(_checks(ref)) == sorted([
        ("fiche_competence_count", pages["block:2"]),
        ("fiche_bloc_not_listed", pages["block:3"]),
        ("fiche_bloc_title", pages["block:4"]),
        ("fiche_bloc_missing", None),
    ])
    messages = {d["code"]: d["message"] for d in ref["diagnostics"] if d["code"].startswith("fiche_")}
    assert "Animer une communauté de bénévoles associatifs" in messages["fiche_bloc_missing"]
    assert "Conduire un projet digital de bout en bout" in messages["fiche_bloc_title"]
    assert "prints 5 competence(s)" in messages["fiche_competence_count"] and "lists 4" in messages["fiche_competence_count"]

    # Re-runs keep every byte of the outputs and links: unchanged inputs, and re-extracted ones.
    def outputs() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.json") if p.name != "report.json"}

    before = outputs()
    run_batch(tmp_path / "in", tmp_path / "out")
    assert outputs() == before
    run_batch(tmp_path / "in", tmp_path / "out", refresh=True)
    assert outputs() == before

    # Without the fiche in the run, the référentiel (not extracted again) carries no fiche
    # diagnostics any more, nor does its review page.
    links, ref, _ = _run(tmp_path, None, review=True)
    assert links == [] and _checks(ref) == []
    assert "fiche_bloc_title" not in review_page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- mechanisms on hand-made lines


def _line(text: str, x0: float, top: float, size: float = 8.0, page: int = 1, bold: bool = False) -> Line:
    words, x = [], x0
    for t in text.split():
        w = 0.5 * size * len(t)
        words.append(Word(t, x, top, x + w, top + size, "Sans-Bold" if bold else "Sans", size))
        x += w + 0.3 * size
    return Line(words, page)


def test_labels_beside_their_values_pair_by_row():
    lines = [_line("Niveau", 40, 100, bold=True), _line("de qualification", 40, 110, bold=True),
             _line("Niveau 6", 200, 104),
             _line("Codes 1", 200, 130), _line("Codes", 40, 136, bold=True), _line("Codes 2", 200, 142)]
    rows = label_value_rows(lines)
    assert [([ln.text for ln in a], [ln.text for ln in b]) for a, b in rows] == [
        (["Niveau", "de qualification"], ["Niveau 6"]), (["Codes"], ["Codes 1", "Codes 2"])]
    # One column of text (a line crosses every gutter): no rows.
    assert label_value_rows([_line("Un texte qui court sur toute la largeur de la page", 40, 100),
                             _line("et sa suite", 200, 112)]) is None


def test_a_line_alone_in_a_box_hugging_it_is_a_button():
    button = _line("Liste des organismes", 100, 200)
    panel = _line("Un paragraphe dans un panneau", 100, 300)
    other = _line("une autre ligne du panneau", 100, 312)
    boxes = [Box(95, 196, button.x1 + 10, 212, True), Box(50, 280, 500, 400, True)]
    assert button_lines([button, panel, other], boxes) == {0}


def test_the_resume_tells_where_statements_start():
    lines = [_line("Piloter le projet en", 40, 100), _line("Mode agile.", 40, 110),
             _line("Suivre le budget.", 40, 120)]
    statements = ["Autre bloc.", "Piloter le projet en Mode agile.", "Suivre le budget."]
    groups = split_by_statements(lines, statements)
    assert [[ln.text for ln in g] for g in groups] == [["Piloter le projet en", "Mode agile."], ["Suivre le budget."]]
    # A statement that would start inside a line is no split the cell prints: none.
    assert split_by_statements(lines, ["Piloter le projet", "en Mode agile.", "Suivre le budget."]) is None


def test_where_the_cell_cannot_tell_the_resume_decides():
    # "parc" ends short of the cell's edge and "Airbus" would not have fitted after it: a list's
    # typography reads a new statement there; the résumé, printed wider, prints one statement.
    cell = [_line("Entretenir les moteurs du parc", 40, 100), _line("Airbus A320 de la compagnie, afin de", 40, 110),
            _line("garantir la disponibilité.", 40, 120), _line("Former les mécaniciens.", 40, 130)]
    resume = ["Entretenir les moteurs du parc Airbus A320 de la compagnie, afin de garantir la disponibilité.",
              "Former les mécaniciens."]
    assert len(cell_statements(cell, [])) == 3
    assert [[ln.text for ln in g] for g in cell_statements(cell, resume)] == [
        ["Entretenir les moteurs du parc", "Airbus A320 de la compagnie, afin de", "garantir la disponibilité."],
        ["Former les mécaniciens."]]
