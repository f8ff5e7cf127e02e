"""RE/RC and BUT: corpus invariants, and the RE <-> REAC agreement of the DWWM titre."""

import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import RAW
from extract.document import read_document
from extract.links import criteria_of, exact_matches
from extract.pipeline import extract_document, run_batch

RES = sorted(RAW.glob("re-*.pdf")) + sorted(RAW.glob("rc-*.pdf"))
TICKS = re.compile(r"[\uf000-\uf0ff☐☑☒✓✔✗□■▪⊠]")
ROTATED_HEADERS = ("Entretien technique Questionnaire", "Autres modalités d’évaluation", "Présentation d'un projet réalisé en amont de la session Entretien")


@pytest.mark.parametrize("pdf", RES, ids=lambda p: p.stem)
def test_re_corpus_invariants(pdf: Path):
    ref = extract_document(pdf)
    comps = [n for n in ref.nodes if n.node_type == "competence"]
    assert comps, "no competence read from table 3.2"
    assessed = Counter(r.dest_key for r in ref.relations if r.type == "assesses")
    assert [c.node_key for c in comps if not assessed[c.node_key]] == []
    for n in ref.nodes:
        text = f"{n.title or ''}\n{n.text}"
        assert not TICKS.search(text), (n.node_key, text)
        assert not any(h in text for h in ROTATED_HEADERS), (n.node_key, text)
    assert not [n for n in ref.nodes if n.node_type == "residual"]


def test_dwwm_re_repeats_the_performance_criteria_of_its_reac():
    re_doc = extract_document(RAW / "re-dwwm-tp01280-v04.pdf").model_dump(mode="json")
    reac = extract_document(RAW / "reac-dwwm-tp01280-v04.pdf").model_dump(mode="json")
    links = exact_matches([re_doc, reac])
    re_comps = [n["node_key"] for n in re_doc["nodes"] if n["node_type"] == "competence"]
    assert sorted(link["origin_key"] for link in links) == sorted(re_comps) and len(re_comps) == 8
    for link in links:
        evaluated, performance = criteria_of(re_doc, link["origin_key"]), criteria_of(reac, link["dest_key"])
        assert evaluated, link
        # every evaluation criterion of the RE is a performance criterion of the REAC, in order
        positions = [performance.index(c) for c in evaluated]
        assert positions == sorted(positions), link


def test_a_run_links_re_and_reac_of_the_same_titre(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("re-dwwm-tp01280-v04.pdf", "reac-dwwm-tp01280-v04.pdf", "reac-dwwm-tp01280-v03.pdf"):
        (src / name).write_bytes((RAW / name).read_bytes())
    run_batch(src, tmp_path / "out")
    import json

    links = json.loads((tmp_path / "out" / "links.json").read_text())["relations"]
    assert len(links) == 8
    assert all(l["origin_key"].startswith("re:TP-01280@04/") and l["dest_key"].startswith("reac:TP-01280@04/") for l in links)


@pytest.mark.parametrize("pdf", sorted(RAW.glob("but-*.pdf")), ids=lambda p: p.stem)
def test_but_levels_follow_each_other(pdf: Path):
    ref = extract_document(pdf)
    levels = [n for n in ref.nodes if n.node_type == "level"]
    precedes = {(r.origin_key, r.dest_key) for r in ref.relations if r.type == "precedes"}
    by_comp: dict[str, list[str]] = {}
    for lv in levels:
        by_comp.setdefault(lv.parent_key, []).append(lv.node_key)
    expected = {(a, b) for keys in by_comp.values() for a, b in zip(keys, keys[1:])}
    assert precedes == expected
    doc = read_document(pdf)
    for lv in levels:
        number = lv.node_key.rsplit(":", 1)[1]
        if lv.title is not None:
            assert lv.title == f"Niveau {number}"
        else:
            # No "Niveau n" printed: the niveau is numbered in arrow order and has no title.
            page = doc.pages[lv.prov.pages[0] - 1]
            assert not [ln for ln in doc.content_lines(page) if re.match(r"^Niveau\s+\d+$", ln.text)]


def test_but_doc_key_names_the_parcours_only_for_a_referentiel_printed_for_one():
    keys = {pdf.stem: extract_document(pdf).doc_key
            for pdf in (RAW / "but-rt-cybersecurite.pdf", RAW / "but-mmi-competences.pdf", RAW / "but-informatique-pn.pdf")}
    assert keys["but-rt-cybersecurite"] == "but:reseaux-et-telecommunications@cybersecurite"
    assert "@" not in keys["but-mmi-competences"] and "@" not in keys["but-informatique-pn"]


def test_but_programme_reads_only_its_referentiel_pages():
    ref = extract_document(RAW / "but-informatique-pn.pdf")
    read = {p for n in ref.nodes for p in n.prov.pages}
    assert read and read <= set(range(7, 17))
    unread = [d for d in ref.diagnostics if d.code == "pages_not_read"]
    assert len(unread) == 1 and unread[0].level == "info" and "1-6, 17-265" in unread[0].message
    # The référentiel pages' own headings and notes are kept, not dropped.
    assert 0 < len([n for n in ref.nodes if n.node_type == "residual"]) < 10


@pytest.mark.parametrize("pdf", sorted(RAW.glob("but-rt-annexe-*.pdf")), ids=lambda p: p.stem)
def test_but_sae_tables_are_not_read_as_a_referentiel(pdf: Path):
    ref = extract_document(pdf)
    assert [d.level for d in ref.diagnostics if d.code == "no_competence_framework"] == ["warning"]
    assert all(n.node_type == "residual" for n in ref.nodes)
