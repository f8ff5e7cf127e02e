import copy
import json

import pytest

from conftest import GOLDEN
from extract.compare import compare, render_diff
from independent_scorer import score as independent_score

GOLDENS = sorted(GOLDEN.glob("*.json"))


def _load(p):
    return json.loads(p.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", GOLDENS[:3], ids=lambda p: p.stem)
def test_golden_against_itself_is_perfect(path):
    g = _load(path)
    s = compare(g, g).summary()
    assert s["exact_node_f1"] == 1.0 and s["relation_f1"] == 1.0 and s["doc_key_ok"]


def test_perturbations_cost_exactly_what_section_4_says():
    g = _load(GOLDEN / "rncp-manageur-innovation-numerique.json")
    out = copy.deepcopy(g)
    n = len(g["nodes"])
    leaf = next(i for i, x in enumerate(out["nodes"]) if x["node_type"] == "assessment_criterion")
    removed = out["nodes"].pop(leaf)
    out["relations"] = [r for r in out["relations"]
                        if removed["node_key"] not in (r["origin_key"], r["dest_key"])]
    out["nodes"][0]["text"] = out["nodes"][0]["text"] + " changed"
    # typography that normalization folds must not count as a difference
    out["nodes"][1]["text"] = out["nodes"][1]["text"].replace("'", "\u2019")
    s = compare(out, g).summary()
    tp = n - 2
    p, r = tp / (n - 1), tp / n
    assert s["exact_node_f1"] == round(2 * p * r / (p + r), 4)
    assert s["by_type"]["block"]["text_identical"] < 1.0


def test_doc_key_costs_one_check_not_every_node():
    g = _load(GOLDEN / "rncp-webmarketing-communication-digitale.json")
    out = copy.deepcopy(g)
    old, new = g["doc_key"], "rncp:something-else"
    out["doc_key"] = new
    for n in out["nodes"]:
        n["node_key"] = n["node_key"].replace(old, new, 1)
        if n["parent_key"]:
            n["parent_key"] = n["parent_key"].replace(old, new, 1)
    for r in out["relations"]:
        r["origin_key"] = r["origin_key"].replace(old, new, 1)
        r["dest_key"] = r["dest_key"].replace(old, new, 1)
    s = compare(out, g).summary()
    assert not s["doc_key_ok"]
    assert s["exact_node_f1"] == 1.0 and s["relation_f1"] == 1.0


def test_readable_diff_names_missing_extra_and_differing_nodes():
    g = _load(GOLDEN / "rncp-manageur-innovation-numerique.json")
    out = copy.deepcopy(g)
    gone = out["nodes"].pop()
    out["relations"] = [r for r in out["relations"] if gone["node_key"] not in (r["origin_key"], r["dest_key"])]
    out["nodes"][0]["text"] = "Autre texte"
    out["nodes"].append({**out["nodes"][0], "node_key": g["doc_key"] + "/block:99", "position": 9})
    report = render_diff(compare(out, g))
    assert "MISSING " + gone["node_key"].split("/", 1)[1] in report
    assert "EXTRA   block:99" in report
    assert "golden: DIRIGER DES PROJETS NUMERIQUES" in report and "output: Autre texte" in report


def test_scorecard_agrees_with_independent_implementation(corpus_outputs):
    from extract.scorecard import score_outputs

    card = score_outputs(corpus_outputs, GOLDEN)
    assert {d["doc"] for d in card["documents"]} == {p.stem for p in GOLDENS}
    for d in card["documents"]:
        out = _load(corpus_outputs[d["doc"]])
        ind = independent_score(out, _load(GOLDEN / f"{d['doc']}.json"))
        assert (d["doc_key_ok"], d["exact_node_f1"], d["relation_f1"]) == (
            ind["doc_key_ok"], ind["exact_node_f1"], ind["relation_f1"]), d["doc"]
