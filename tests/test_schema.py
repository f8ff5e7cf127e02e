import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from conftest import GOLDEN, ROOT, SHARED
from extract.schema import Referential, json_schema, node_id, to_golden_profile
from extract.outputs import dumps

GOLDENS = sorted(GOLDEN.glob("*.json"))


def test_there_are_goldens_to_check():
    assert len(GOLDENS) >= 9


@pytest.mark.parametrize("path", GOLDENS, ids=lambda p: p.stem)
def test_golden_validates_and_round_trips(path: Path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    ref = Referential.model_validate(raw)
    assert to_golden_profile(ref) == raw


@pytest.mark.parametrize("path", GOLDENS[:2], ids=lambda p: p.stem)
def test_ids_are_uuid5_of_node_key_and_stable(path: Path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    a = Referential.model_validate(raw)
    b = Referential.model_validate(json.loads(path.read_text(encoding="utf-8")))
    assert [n.id for n in a.nodes] == [n.id for n in b.nodes]
    assert a.nodes[0].id == node_id(a.nodes[0].node_key)
    assert len({n.id for n in a.nodes}) == len(a.nodes)


def test_checked_in_json_schema_is_current():
    on_disk = (ROOT / "schema" / "referential.schema.json").read_text(encoding="utf-8")
    assert on_disk == dumps(json_schema()), "run `make schema` and commit schema/referential.schema.json"


def _minimal(**over):
    doc = {"doc_key": "rncp:x", "doc_kind": "rncp_referentiel", "nodes": [
        {"node_key": "rncp:x/block:1", "node_type": "block", "parent_key": None, "position": 0}]}
    doc.update(over)
    return doc


def test_unknown_field_is_rejected():
    with pytest.raises(ValidationError):
        Referential.model_validate(_minimal(extra_field=1))


def test_dangling_parent_and_relation_are_rejected():
    bad = _minimal()
    bad["nodes"].append({"node_key": "rncp:x/block:1/competence:C1", "node_type": "competence",
                         "parent_key": "rncp:x/block:9", "position": 0})
    with pytest.raises(ValidationError, match="unknown parent_key"):
        Referential.model_validate(bad)
    with pytest.raises(ValidationError, match="unknown node"):
        Referential.model_validate(_minimal(relations=[
            {"type": "assesses", "origin_key": "rncp:x/block:1", "dest_key": "rncp:x/nope"}]))


def test_knowledge_requires_category_and_criterion_requires_kind():
    bad = _minimal()
    bad["nodes"].append({"node_key": "rncp:x/k", "node_type": "knowledge", "parent_key": None, "position": 1})
    with pytest.raises(ValidationError):
        Referential.model_validate(bad)


@pytest.mark.skipif(not (SHARED / "golden").is_dir(), reason="../shared is not beside this checkout")
def test_golden_copies_match_shared():
    shared = {p.name: p.read_bytes() for p in (SHARED / "golden").glob("*.json")}
    local = {p.name: p.read_bytes() for p in GOLDENS}
    assert set(shared) <= set(local), f"copy {sorted(set(shared) - set(local))} from ../shared/golden"
    for name, content in shared.items():
        assert local[name] == content, f"golden/{name} differs from ../shared/golden: never edit a golden"
