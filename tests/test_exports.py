"""CASE 1.1 export, golden authoring tools and flat tables."""

import copy
import json

import pytest

from conftest import GOLDEN, SHARED
from extract.case_export import to_case
from extract.golden_tools import check, draft
from extract.outputs import dumps
from extract.schema import Referential

CASE_SCHEMA = SHARED / "design" / "case-v1p1-cfpackage.schema.json"


@pytest.fixture(scope="module")
def case_validator():
    import jsonschema

    if not CASE_SCHEMA.is_file():
        pytest.skip("../shared (the official CASE schema) is not beside this checkout")
    schema = json.loads(CASE_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def test_every_corpus_export_is_a_valid_case_package(corpus_outputs, case_validator):
    for stem, path in corpus_outputs.items():
        ref = Referential.model_validate_json(path.read_text(encoding="utf-8"))
        package = to_case(ref)
        errors = sorted(case_validator.iter_errors(package), key=lambda e: list(e.path))
        assert not errors, (stem, errors[0].message, list(errors[0].path))
        items = {i["identifier"]: i for i in package["CFItems"]}
        assert len(items) == len(ref.nodes)
        children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
        assert len(children) == len(ref.nodes)
        assert dumps(to_case(ref)) == dumps(package), "re-export must be byte-identical"


def test_case_keeps_codes_order_and_relations():
    golden = json.loads((GOLDEN / "rncp-manageur-innovation-numerique.json").read_text())
    ref = Referential.model_validate(golden)
    package = to_case(ref)
    by_key = {i["extensions"]["node_key"]: i for i in package["CFItems"]}
    c11 = by_key["rncp:manageur-de-l-innovation-numerique/block:1/competence:C1.1"]
    assert c11["humanCodingScheme"] == "C1.1" and c11["CFItemType"] == "Compétence"
    kinds = {a["associationType"] for a in package["CFAssociations"]}
    assert {"isChildOf", "ext:assesses", "ext:derivedFrom"} <= kinds
    seq = [a["sequenceNumber"] for a in package["CFAssociations"]
           if a["associationType"] == "isChildOf" and a["destinationNodeURI"]["identifier"] == c11["identifier"]]
    assert sorted(seq) == list(range(1, len(seq) + 1))


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.json")), ids=lambda p: p.stem)
def test_goldens_pass_golden_check(path):
    assert check(json.loads(path.read_text(encoding="utf-8"))) == []


def test_golden_check_catches_what_makes_a_golden_unusable():
    g = json.loads((GOLDEN / "rncp-chef-de-projet-digital.json").read_text())
    bad = copy.deepcopy(g)
    bad["nodes"].append(copy.deepcopy(bad["nodes"][1]))  # duplicate key
    bad["nodes"][2]["position"] = 40  # gap among siblings
    bad["nodes"][3]["parent_key"] = g["doc_key"] + "/block:Z9"  # missing parent
    bad["nodes"][4]["id"] = "not-in-the-profile"
    problems = "\n".join(check(bad))
    assert "duplicate node_key" in problems
    assert "are not 0.." in problems
    assert "is not a node of this file" in problems
    assert "outside the golden profile" in problems


def test_draft_is_a_checkable_golden_of_the_current_output(corpus_outputs):
    ref = Referential.model_validate_json(corpus_outputs["but-mmi-competences"].read_text(encoding="utf-8"))
    d = draft(ref)
    assert check(d) == []
    assert d == json.loads((GOLDEN / "but-mmi-competences.json").read_text())  # this document is exact


def test_flat_tables_load_in_one_line(corpus_outputs, tmp_path):
    import pandas as pd

    from extract.tables import write_tables

    folder = next(iter(corpus_outputs.values())).parent
    written = write_tables(folder, tmp_path)
    nodes = pd.read_parquet(written["nodes"])
    relations = pd.read_parquet(written["relations"])
    total = sum(len(json.loads(p.read_text())["nodes"]) for p in corpus_outputs.values())
    keys = {json.loads(p.read_text())["doc_key"] for p in corpus_outputs.values()}  # v1 and v2 of a titre share one
    assert len(nodes) == total and set(nodes["doc_key"]) == keys
    assert set(relations["type"]) >= {"assesses", "derived_from", "precedes", "includes"}
    assert len(pd.read_json(tmp_path / "nodes.jsonl", lines=True)) == total
