"""Links between documents of one run: an RE competence and the REAC competence it evaluates.

They live in `<out>/links.json`, not inside either document: a Referential's relations stay
between its own nodes, so each document validates and compares on its own.
"""

from __future__ import annotations

from typing import Any, Iterable

from extract.text import normalize_text


def _competences(doc: dict[str, Any]) -> dict[str, str]:
    return {normalize_text(n.get("title") or n.get("text")).lower(): n["node_key"]
            for n in doc.get("nodes", []) if n["node_type"] == "competence"}


def exact_matches(docs: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """exact_match RE competence -> REAC competence, for an RE and a REAC of the same TP code and
    millésime, matched on the competence title as printed."""
    docs = list(docs)
    reacs = {d["doc_key"].split(":", 1)[1]: d for d in docs if d.get("doc_kind") == "reac"}
    out = []
    for d in docs:
        if d.get("doc_kind") != "re":
            continue
        reac = reacs.get(d["doc_key"].split(":", 1)[1])
        if reac is None:
            continue
        targets = _competences(reac)
        for title, key in _competences(d).items():
            if title in targets:
                out.append({"type": "exact_match", "origin_key": key, "dest_key": targets[title]})
    return out


def criteria_of(doc: dict[str, Any], competence_key: str) -> list[str]:
    return [normalize_text(n["text"]) for n in doc["nodes"]
            if n["node_type"] == "assessment_criterion" and n["parent_key"] == competence_key]
