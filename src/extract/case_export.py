"""Export a Referential as a 1EdTech CASE 1.1 CFPackage.

Nodes become CFItems (CFItemType labels in French), parent/child links become isChildOf
associations with the printed order as sequenceNumber, our other relations become CASE or
extension association types. Identifiers are our uuid5 ids; dates come from the document, never
from the clock, so a re-export is byte-identical.
"""

from __future__ import annotations

import uuid
from typing import Any

from extract.schema import PROJECT_NAMESPACE, Referential

ITEM_TYPES = {
    "block": "Bloc de compétences",
    "activity_type": "Activité type",
    "activity": "Activité",
    "competence": "Compétence",
    "transversal_competence": "Compétence transversale",
    "competence_component": "Composante essentielle",
    "professional_situation": "Situation professionnelle",
    "level": "Niveau de développement",
    "learning_outcome": "Apprentissage critique",
    "assessment_criterion": "Critère d'évaluation",
    "assessment_modality": "Modalité d'évaluation",
    "knowledge": "Savoir ou savoir-faire",
    "pathway": "Parcours",
    "glossary_entry": "Entrée de glossaire",
    "residual": "Contenu non classé",
}
ASSOCIATION_TYPES = {
    "assesses": "ext:assesses",
    "derived_from": "ext:derivedFrom",
    "precedes": "precedes",
    "includes": "ext:includes",
    "exact_match": "exactMatchOf",
}
EPOCH = "1970-01-01T00:00:00+00:00"


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(PROJECT_NAMESPACE, "/".join(parts)))


def _uri(identifier: str) -> str:
    return f"urn:uuid:{identifier}"


def _link(title: str, identifier: str) -> dict[str, str]:
    return {"title": title[:200] or identifier, "identifier": identifier, "uri": _uri(identifier)}


def _changed(ref: Referential) -> str:
    dates = [d for d in ref.certification.dates.values() if d is not None]
    return f"{max(dates).isoformat()}T00:00:00+00:00" if dates else EPOCH


def to_case(ref: Referential) -> dict[str, Any]:
    changed = _changed(ref)
    doc_id = _uid("document", ref.doc_key)
    title = ref.certification.title or ref.doc_key
    document = {
        "identifier": doc_id,
        "uri": _uri(doc_id),
        "frameworkType": ref.doc_kind,
        "caseVersion": "1.1",
        "creator": ref.certification.certifier or "rncp-extract",
        "title": title,
        "lastChangeDateTime": changed,
        "language": "fr",
        "extensions": {
            "doc_key": ref.doc_key,
            "codes": [c.model_dump() for c in ref.certification.codes],
            "level": ref.certification.level,
            "sources": [s.model_dump(mode="json") for s in ref.sources],
        },
    }
    used_types = sorted({n.node_type for n in ref.nodes})
    type_ids = {t: _uid("item-type", t) for t in used_types}
    item_types = [
        {"identifier": type_ids[t], "uri": _uri(type_ids[t]), "title": ITEM_TYPES[t],
         "description": f"{ITEM_TYPES[t]} ({t})", "hierarchyCode": t, "typeCode": t, "lastChangeDateTime": changed}
        for t in used_types
    ]
    items, labels = [], {}
    for n in ref.nodes:
        statement = n.text or n.title or n.node_key
        labels[n.node_key] = (n.title or statement)[:200]
        item: dict[str, Any] = {
            "identifier": n.id,
            "fullStatement": statement,
            "CFItemType": ITEM_TYPES[n.node_type],
            "CFItemTypeURI": _link(ITEM_TYPES[n.node_type], type_ids[n.node_type]),
            "uri": _uri(n.id),
            "listEnumeration": str(n.position + 1),
            "language": "fr",
            "lastChangeDateTime": changed,
            "extensions": {
                "node_key": n.node_key,
                "node_type": n.node_type,
                "items": [i.model_dump() for i in n.items],
                "prov": n.prov.model_dump(mode="json"),
                "fingerprint": n.fingerprint,
            },
        }
        if n.codes:
            item["humanCodingScheme"] = n.codes[0].value
        if n.title:
            item["abbreviatedStatement"] = n.title[:200] if len(n.title) > 60 else n.title
        for extra in ("category", "criterion_kind"):
            if getattr(n, extra, None):
                item["extensions"][extra] = getattr(n, extra)
        items.append(item)
    ids = {n.node_key: n.id for n in ref.nodes}
    associations = []
    for n in ref.nodes:
        parent_id = ids[n.parent_key] if n.parent_key else doc_id
        parent_title = labels[n.parent_key] if n.parent_key else title
        associations.append(_association("isChildOf", n.id, labels[n.node_key], parent_id, parent_title,
                                         changed, sequence=n.position + 1))
    for r in ref.relations:
        associations.append(_association(
            ASSOCIATION_TYPES[r.type], ids[r.origin_key], labels[r.origin_key], ids[r.dest_key],
            labels[r.dest_key], changed, extensions={"relation": r.type}))
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": item_types},
    }


def _association(kind: str, origin: str, origin_title: str, dest: str, dest_title: str, changed: str,
                 sequence: int | None = None, extensions: dict | None = None) -> dict[str, Any]:
    identifier = _uid("association", kind, origin, dest)
    out: dict[str, Any] = {
        "identifier": identifier,
        "associationType": kind,
        "uri": _uri(identifier),
        "originNodeURI": _link(origin_title, origin),
        "destinationNodeURI": _link(dest_title, dest),
        "lastChangeDateTime": changed,
    }
    if sequence is not None:
        out["sequenceNumber"] = sequence
    if extensions:
        out["extensions"] = extensions
    return out
