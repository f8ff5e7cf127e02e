"""The common schema (contract v1 of SCHEMA.md) as pydantic v2 models.

These models are the source of truth: the JSON Schema in `schema/referential.schema.json` is
generated from them (`rncp-extract schema`), and every golden file must validate against them.
Records are stored flat (nodes with `parent_key` and `position`) and exported hierarchically.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from extract.text import normalize_text

SCHEMA_VERSION = "1"

# Fixed namespace: ids are uuid5(namespace, node_key), so re-runs give identical ids.
PROJECT_NAMESPACE = uuid.UUID("6f1d3c6e-8a4b-5d7e-9c1f-2b3a4d5e6f70")

DocKind = Literal["rncp_referentiel", "rncp_fiche", "reac", "re", "but_referentiel", "unknown"]
NodeType = Literal[
    "block",
    "activity_type",
    "activity",
    "competence",
    "transversal_competence",
    "competence_component",
    "professional_situation",
    "level",
    "learning_outcome",
    "assessment_criterion",
    "assessment_modality",
    "knowledge",
    "pathway",
    "glossary_entry",
    "residual",
]
NODE_TYPES: tuple[str, ...] = NodeType.__args__  # type: ignore[attr-defined]
RelationType = Literal["assesses", "derived_from", "precedes", "includes", "exact_match"]
KnowledgeCategory = Literal[
    "knowledge", "technical_know_how", "organisational_know_how", "relational_know_how", "other"
]


class _Model(BaseModel):
    # Unknown fields are an error: a typo in a golden or an exporter must not pass silently.
    model_config = ConfigDict(extra="forbid")


class Code(_Model):
    value: str
    scheme: str


class LabelledCode(_Model):
    code: str
    label: str | None = None


class Item(_Model):
    marker: str
    text: str
    children: list[Item] = Field(default_factory=list)


class Span(_Model):
    page: int = Field(ge=1)
    bbox: tuple[float, float, float, float]
    table: int | None = None
    row: int | None = None
    col: int | None = None


class Provenance(_Model):
    pages: list[int] = Field(default_factory=list)
    # Printed page numbers of `pages`, when the document prints them (a cover added by a third
    # party shifts physical pages, not printed ones).
    page_labels: list[str] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    extractor: str | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    heading_as_printed: str | None = None


def node_id(node_key: str) -> str:
    return str(uuid.uuid5(PROJECT_NAMESPACE, node_key))


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


class _NodeBase(_Model):
    node_key: str
    id: str | None = None
    parent_key: str | None = None
    position: int = Field(ge=0)
    codes: list[Code] = Field(default_factory=list)
    title: str | None = None
    text: str = ""
    items: list[Item] = Field(default_factory=list)
    prov: Provenance = Field(default_factory=Provenance)
    fingerprint: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_id_and_fingerprint(cls, data: Any) -> Any:
        # Derived fields are filled in full output; golden files omit them.
        if isinstance(data, dict) and data.get("node_key") and data.get("id") is None:
            data = dict(data)
            data["id"] = node_id(data["node_key"])
            data["fingerprint"] = fingerprint(data.get("text") or "")
        return data


class BlockNode(_NodeBase):
    node_type: Literal["block"]


class ActivityTypeNode(_NodeBase):
    node_type: Literal["activity_type"]


class ActivityNode(_NodeBase):
    node_type: Literal["activity"]


class CompetenceNode(_NodeBase):
    node_type: Literal["competence"]


class TransversalCompetenceNode(_NodeBase):
    node_type: Literal["transversal_competence"]


class CompetenceComponentNode(_NodeBase):
    node_type: Literal["competence_component"]


class ProfessionalSituationNode(_NodeBase):
    node_type: Literal["professional_situation"]


class LevelNode(_NodeBase):
    node_type: Literal["level"]


class LearningOutcomeNode(_NodeBase):
    node_type: Literal["learning_outcome"]


class AssessmentCriterionNode(_NodeBase):
    node_type: Literal["assessment_criterion"]
    criterion_kind: Literal["evaluation", "performance"]


class AssessmentModalityNode(_NodeBase):
    node_type: Literal["assessment_modality"]


class KnowledgeNode(_NodeBase):
    node_type: Literal["knowledge"]
    category: KnowledgeCategory


class PathwayNode(_NodeBase):
    node_type: Literal["pathway"]


class GlossaryEntryNode(_NodeBase):
    node_type: Literal["glossary_entry"]


class ResidualNode(_NodeBase):
    node_type: Literal["residual"]


Node = Annotated[
    Union[
        BlockNode,
        ActivityTypeNode,
        ActivityNode,
        CompetenceNode,
        TransversalCompetenceNode,
        CompetenceComponentNode,
        ProfessionalSituationNode,
        LevelNode,
        LearningOutcomeNode,
        AssessmentCriterionNode,
        AssessmentModalityNode,
        KnowledgeNode,
        PathwayNode,
        GlossaryEntryNode,
        ResidualNode,
    ],
    Field(discriminator="node_type"),
]


class Relation(_Model):
    type: RelationType
    origin_key: str
    dest_key: str


class Diagnostic(_Model):
    level: Literal["info", "warning", "error"]
    code: str
    message: str
    page: int | None = None


class Source(_Model):
    sha256: str
    filename: str
    kind: str = "pdf"
    page_count: int = Field(ge=0)
    url: str | None = None
    retrieved_at: str | None = None
    extractor_version: str | None = None  # with sha256, the key of incremental runs


class Certification(_Model):
    title: str | None = None
    codes: list[Code] = Field(default_factory=list)
    level: str | None = None  # as printed
    # The European (EQF) level 1..8 the printed level means, whichever French nomenclature it is
    # printed in (1969 "Niveau III" = 5; 2019 "Niveau 5" = 5): levels of all families compare.
    level_eqf: int | None = Field(default=None, ge=1, le=8)
    certifier: str | None = None
    # Keys vary by family (validation/update; RE: arrete/jo/effet/update): kept open.
    dates: dict[str, date | None] = Field(default_factory=lambda: {"validation": None, "update": None})
    nsf: list[LabelledCode] = Field(default_factory=list)
    rome: list[LabelledCode] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)


VerdictStatus = Literal["ok", "needs_review", "not_a_referential", "failed"]


class Reason(_Model):
    """One piece of evidence on the output, with where to look."""

    code: str
    message: str
    pages: list[int] = Field(default_factory=list)
    nodes: list[str] = Field(default_factory=list)  # node keys (at most 50)
    nodes_at_risk: float = 0.0  # nodes this evidence estimates missing from, or wrong in, the output
    hard: bool = False  # a doubt whose size the evidence cannot measure (a page lost)
    counts: bool = True  # false for the document's own inconsistencies, which say nothing of the reading


class PageCoverageRecord(_Model):
    """Where one page's printed, non-furniture text went (characters, spaces and punctuation out)."""

    page: int = Field(ge=1)
    printed: int = 0
    classified: int = 0  # in classified nodes or the certification
    residual: int = 0
    lost: int = 0  # inside the part of the page where nodes were read, in no node
    outside: int = 0  # above or below the nodes of the page (preamble, notes), or a page without nodes
    share: float | None = None  # classified / (classified + residual + lost)


class Verdict(_Model):
    """Can the output be used as is? Derived from the document itself, without a golden."""

    status: VerdictStatus
    confidence: float = Field(ge=0.0, le=1.0)  # estimated share of the output's nodes that are right
    reasons: list[Reason] = Field(default_factory=list)  # why it needs review
    notes: list[Reason] = Field(default_factory=list)  # what was checked and is within tolerance
    coverage: list[PageCoverageRecord] = Field(default_factory=list)
    evidence: dict[str, float | int | str | bool | None] = Field(default_factory=dict)


class Referential(_Model):
    schema_version: Literal["1"] = SCHEMA_VERSION
    doc_key: str
    doc_kind: DocKind
    certification: Certification = Field(default_factory=Certification)
    sources: list[Source] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    # Derived, like ids: the trust a data team can put in this output (not in golden files).
    verdict: Verdict | None = None

    @model_validator(mode="after")
    def _check_graph(self) -> Referential:
        keys = [n.node_key for n in self.nodes]
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ValueError(f"duplicate node_key {key!r}")
            seen.add(key)
        for n in self.nodes:
            if n.parent_key is not None and n.parent_key not in seen:
                raise ValueError(f"node {n.node_key!r} has unknown parent_key {n.parent_key!r}")
        for r in self.relations:
            for k in (r.origin_key, r.dest_key):
                if k not in seen:
                    raise ValueError(f"relation {r.type} points to unknown node {k!r}")
        return self


# Fields a golden file holds (SCHEMA.md section 4): everything else is derived or render-specific.
GOLDEN_NODE_FIELDS = (
    "node_key",
    "node_type",
    "parent_key",
    "position",
    "codes",
    "title",
    "text",
    "items",
    "category",
    "criterion_kind",
)


def to_golden_profile(ref: Referential) -> dict[str, Any]:
    """Project a Referential onto the golden profile (what a golden file holds)."""
    nodes = []
    for n in ref.nodes:
        d = n.model_dump(mode="json", include=set(GOLDEN_NODE_FIELDS))
        ordered = {f: d[f] for f in GOLDEN_NODE_FIELDS if f in d}
        ordered["prov"] = {"pages": list(n.prov.pages)}
        nodes.append(ordered)
    return {
        "schema_version": ref.schema_version,
        "doc_key": ref.doc_key,
        "doc_kind": ref.doc_kind,
        "certification": ref.certification.model_dump(mode="json", exclude_unset=True),
        "nodes": nodes,
        "relations": [r.model_dump(mode="json") for r in ref.relations],
    }


def json_schema() -> dict[str, Any]:
    schema = Referential.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://rncp-extract.invalid/schema/referential-v1.schema.json"
    return schema
