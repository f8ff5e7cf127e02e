"""SCHEMA.md section 4: residual nodes make no claim. They do not count against precision, and a
golden node the output kept only as residual is still missed."""

import copy
import json

import pytest

from conftest import GOLDEN
from extract.compare import compare, render_diff
from extract.scorecard import render_scorecard, score_pair
from independent_scorer import score as independent_score

GOLD = GOLDEN / "but-mmi-competences.json"


def _golden():
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _residual(doc_key, k, text):
    return {"node_key": f"{doc_key}/residual:{k}", "node_type": "residual", "parent_key": None,
            "position": 100 + k, "codes": [], "title": None, "text": text, "items": [], "prov": {"pages": [1]}}


def test_extra_residual_nodes_cost_no_precision():
    g = _golden()
    out = copy.deepcopy(g)
    out["nodes"] += [_residual(g["doc_key"], k, f"Bloc non classé {k}") for k in range(1, 40)]
    s = compare(out, g).summary()
    assert s["exact_node_f1"] == 1.0 and s["key_f1"] == 1.0
    assert s["nodes_predicted"] == len(g["nodes"]) and s["nodes_residual"] == 39
    assert "residual" not in s["by_type"]
    assert independent_score(out, g)["exact_node_f1"] == 1.0
    report = render_diff(compare(out, g))
    assert "EXTRA" not in report and "+39 residual, not scored" in report


def test_a_golden_node_kept_only_as_residual_is_still_missed():
    g = _golden()
    out = copy.deepcopy(g)
    n = len(g["nodes"])
    # The output did not understand one apprentissage critique: its text survives as residual.
    k = next(i for i, x in enumerate(out["nodes"]) if x["node_type"] == "learning_outcome")
    lost = out["nodes"].pop(k)
    out["nodes"].append(_residual(g["doc_key"], 1, lost["text"]))
    s = compare(out, g).summary()
    p, r = 1.0, (n - 1) / n
    assert s["exact_node_f1"] == round(2 * p * r / (p + r), 4) < 1.0
    assert s["by_type"]["learning_outcome"]["exact_recall"] < 1.0
    assert s["by_type"]["learning_outcome"]["exact_precision"] == 1.0
    assert independent_score(out, g)["exact_node_f1"] == s["exact_node_f1"]
    assert "MISSING " + lost["node_key"].split("/", 1)[1] in render_diff(compare(out, g))


def test_an_output_of_residuals_only_scores_zero_not_undefined():
    g = _golden()
    out = {**copy.deepcopy(g), "relations": [],
           "nodes": [_residual(g["doc_key"], k + 1, n["text"]) for k, n in enumerate(g["nodes"])]}
    s = compare(out, g).summary()
    assert s["exact_node_f1"] == 0.0 and s["nodes_predicted"] == 0
    assert independent_score(out, g)["exact_node_f1"] == 0.0


@pytest.mark.parametrize("extra", [0, 5])
def test_scorecard_shows_residual_nodes_apart(extra):
    g = _golden()
    out = copy.deepcopy(g)
    out["nodes"] += [_residual(g["doc_key"], k, "x") for k in range(1, extra + 1)]
    row = score_pair(out, g, "mmi")
    card = render_scorecard({"documents": [row], "mean_exact_node_f1": 1.0, "mean_relation_f1": 1.0})
    line = next(ln for ln in card.splitlines() if ln.startswith("mmi"))
    assert f"{len(g['nodes'])}/{len(g['nodes'])}" in line and line.split()[-1] == str(extra)
