import copy
import json

from conftest import GOLDEN
from extract.diff import diff, render
from extract.pipeline import write_version_diffs


def _golden():
    return json.loads((GOLDEN / "rncp-manageur-innovation-numerique.json").read_text())


def test_diff_sees_added_removed_changed_and_renumbered_nodes():
    old = _golden()
    new = copy.deepcopy(old)
    doc = old["doc_key"]
    crit = next(n for n in new["nodes"] if n["node_key"] == f"{doc}/block:6/competence:C6.2/assessment_criterion:1")
    removed = new["nodes"].pop(new["nodes"].index(crit))
    block = next(n for n in new["nodes"] if n["node_key"] == f"{doc}/block:1")
    block["text"] = block["title"] = "DIRIGER DES PROJETS NUMÉRIQUES RESPONSABLES"
    moved = next(n for n in new["nodes"] if n["node_key"] == f"{doc}/block:5/competence:C5.1/assessment_criterion:1")
    moved["node_key"] = f"{doc}/block:5/competence:C5.1/assessment_criterion:7"
    new["nodes"].append({**copy.deepcopy(crit), "node_key": f"{doc}/block:6/competence:C6.2/assessment_criterion:9",
                         "text": "Un critère entièrement nouveau sur la durabilité du projet", "items": []})
    d = diff(old, new)
    assert d["summary"] == {"unchanged": len(old["nodes"]) - 3, "changed": 1, "renumbered": 1, "added": 1, "removed": 1}
    assert d["changed"][0]["key"] == "block:1"
    assert d["renumbered"][0]["old_key"].endswith("assessment_criterion:1") and not d["renumbered"][0]["text_changed"]
    assert d["removed"][0]["key"].endswith("C6.2/assessment_criterion:1") and removed["text"] == d["removed"][0]["text"]
    assert d["added"][0]["key"].endswith("assessment_criterion:9")
    text = render(d)
    assert "1 changed, 1 renumbered, 1 added, 1 removed" in text and "~ block:1" in text


def test_same_document_has_no_difference():
    g = _golden()
    assert diff(g, g)["summary"] == {"unchanged": len(g["nodes"]), "changed": 0, "renumbered": 0, "added": 0, "removed": 0}


def test_a_run_with_two_versions_of_a_titre_writes_their_diff(tmp_path):
    old = _golden()
    old["doc_key"], new = "reac:TP-00001@01", copy.deepcopy(old)
    new["doc_key"] = "reac:TP-00001@02"
    for doc in (old, new):
        for n in doc["nodes"]:
            n["node_key"] = n["node_key"].replace("rncp:manageur-de-l-innovation-numerique", doc["doc_key"])
    new["nodes"] = new["nodes"][:-1]
    (written,) = write_version_diffs([new, old], tmp_path)
    assert written.name == "reac_TP-00001@01..02.diff.json"
    assert json.loads(written.read_text())["summary"]["removed"] == 1
    assert (tmp_path / "reac_TP-00001@01..02.diff.txt").read_text().startswith("reac:TP-00001@01 -> reac:TP-00001@02")
