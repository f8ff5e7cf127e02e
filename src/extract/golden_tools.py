"""Authoring golden files: a draft from the current output, and the checks a golden must pass."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from extract.schema import GOLDEN_NODE_FIELDS, Referential, to_golden_profile

PROFILE_TOP = {"schema_version", "doc_key", "doc_kind", "certification", "nodes", "relations"}
PROFILE_NODE = set(GOLDEN_NODE_FIELDS) | {"prov"}


def draft(ref: Referential) -> dict[str, Any]:
    """The golden-profile projection of an output, for a person to correct: the certification's
    standard fields are always there (null or empty when not printed), the others when found."""
    out = to_golden_profile(ref)
    out["nodes"] = depth_first(out["nodes"])
    cert = ref.certification.model_dump(mode="json")
    out["certification"] = {k: cert[k] for k in ("title", "codes", "level", "dates")} | {
        k: cert[k] for k in ("certifier", "nsf", "rome", "sections") if cert[k]}
    return out


def depth_first(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each node followed by its children in printed order: how goldens read."""
    children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for n in nodes:
        children[n["parent_key"]].append(n)
    out: list[dict[str, Any]] = []

    def visit(parent: str | None) -> None:
        for n in sorted(children[parent], key=lambda n: n["position"]):
            out.append(n)
            visit(n["node_key"])

    visit(None)
    return out


def check(doc: dict[str, Any]) -> list[str]:
    """Problems that make a file unusable as a golden (empty list: it is fine)."""
    problems: list[str] = []
    extra = set(doc) - PROFILE_TOP
    if extra:
        problems.append(f"fields outside the golden profile at top level: {sorted(extra)}")
    nodes = doc.get("nodes", [])
    keys = [n.get("node_key") for n in nodes]
    seen: set[str] = set()
    for k in keys:
        if k in seen:
            problems.append(f"duplicate node_key {k!r}")
        seen.add(k)
    prefix = f"{doc.get('doc_key')}/"
    siblings: dict[str | None, list[int]] = defaultdict(list)
    for n in nodes:
        key = n.get("node_key", "?")
        extra = set(n) - PROFILE_NODE
        if extra:
            problems.append(f"{key}: fields outside the golden profile {sorted(extra)}")
        if set(n.get("prov", {})) - {"pages"}:
            problems.append(f"{key}: prov may only hold pages in a golden")
        if not str(key).startswith(prefix):
            problems.append(f"{key}: node_key does not start with the doc_key {prefix!r}")
        parent = n.get("parent_key")
        if parent is not None and parent not in seen:
            problems.append(f"{key}: parent {parent!r} is not a node of this file")
        if parent is not None and not str(key).startswith(parent + "/"):
            problems.append(f"{key}: key does not extend its parent's key {parent!r}")
        siblings[parent].append(n.get("position", -1))
    for parent, positions in siblings.items():
        if sorted(positions) != list(range(len(positions))):
            problems.append(f"children of {parent or 'the document'}: positions {sorted(positions)} are not 0..{len(positions) - 1}")
    for r in doc.get("relations", []):
        for end in ("origin_key", "dest_key"):
            if r.get(end) not in seen:
                problems.append(f"relation {r.get('type')}: {end} {r.get(end)!r} is not a node of this file")
    try:
        ref = Referential.model_validate(doc)
        if to_golden_profile(ref) != doc:
            problems.append("the file does not round-trip through the schema unchanged (unknown defaults or types)")
    except ValidationError as e:
        problems.append(f"schema: {e.errors()[0]['msg']} at {'/'.join(map(str, e.errors()[0]['loc']))}")
    return problems
