"""Building schema records: keys, ordinals, positions and provenance by the rules of SCHEMA.md §3.

Family parsers say *what* they found (type, parent, printed code, text); this module decides the
node_key, position among siblings and the duplicate suffixes, so those rules live in one place.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from extract.layout import Line
from extract.schema import (
    Certification,
    Code,
    Diagnostic,
    Item,
    Provenance,
    Referential,
    Relation,
    Source,
    Span,
)
from extract.text import key_code


def spans_of(lines: Iterable[Line]) -> list[Span]:
    """One span per page: the union box of the lines printed there."""
    boxes: dict[int, list[float]] = {}
    for ln in lines:
        b = boxes.get(ln.page)
        if b is None:
            boxes[ln.page] = [ln.x0, ln.top, ln.x1, ln.bottom]
        else:
            b[0], b[1] = min(b[0], ln.x0), min(b[1], ln.top)
            b[2], b[3] = max(b[2], ln.x1), max(b[3], ln.bottom)
    return [Span(page=p, bbox=tuple(round(v, 2) for v in b)) for p, b in sorted(boxes.items())]


class RecordBuilder:
    def __init__(self, doc_key: str, extractor: str) -> None:
        self.doc_key = doc_key
        self.extractor = extractor
        self.nodes: list[dict[str, Any]] = []
        self.relations: list[Relation] = []
        self.diagnostics: list[Diagnostic] = []
        self._by_key: dict[str, dict[str, Any]] = {}
        self._child_count: dict[str | None, int] = defaultdict(int)
        self._ordinal: dict[tuple[str | None, str], int] = defaultdict(int)

    def add(
        self,
        node_type: str,
        parent_key: str | None,
        *,
        code: str | None = None,
        codes: list[Code] | None = None,
        key_segment: str | None = None,
        title: str | None = None,
        text: str = "",
        items: list[Item] | None = None,
        lines: Iterable[Line] = (),
        pages: Iterable[int] = (),
        confidence: float = 1.0,
        heading_as_printed: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a node and return its key. `code` is the printed code that keys the node."""
        lines = list(lines)
        if key_segment is None:
            if code:
                key_segment = f"{node_type}:{key_code(code)}"
            else:
                self._ordinal[(parent_key, node_type)] += 1
                key_segment = f"{node_type}:{self._ordinal[(parent_key, node_type)]}"
        base = (parent_key or self.doc_key) + "/" + key_segment
        key, n = base, 1
        while key in self._by_key:
            n += 1
            key = f"{base}~{n}"
        if n > 1:
            self.warn("duplicate_code", f"code {key_segment!r} printed twice under one parent; keyed {key!r}",
                      page=min((ln.page for ln in lines), default=None))
        all_pages = sorted({*pages, *(ln.page for ln in lines)})
        node = {
            "node_key": key,
            "node_type": node_type,
            "parent_key": parent_key,
            "position": self._child_count[parent_key],
            "codes": codes if codes is not None else [],
            "title": title,
            "text": text,
            "items": items or [],
            "prov": Provenance(
                pages=all_pages,
                spans=spans_of(lines),
                extractor=self.extractor,
                confidence=confidence,
                heading_as_printed=heading_as_printed,
            ),
            **extra,
        }
        self._child_count[parent_key] += 1
        self.nodes.append(node)
        self._by_key[key] = node
        return key

    def node(self, key: str) -> dict[str, Any]:
        return self._by_key[key]

    def relate(self, type_: str, origin: str, dest: str) -> None:
        rel = Relation(type=type_, origin_key=origin, dest_key=dest)  # type: ignore[arg-type]
        if rel not in self.relations:
            self.relations.append(rel)

    def info(self, code: str, message: str, page: int | None = None) -> None:
        self.diagnostics.append(Diagnostic(level="info", code=code, message=message, page=page))

    def warn(self, code: str, message: str, page: int | None = None) -> None:
        self.diagnostics.append(Diagnostic(level="warning", code=code, message=message, page=page))

    def error(self, code: str, message: str, page: int | None = None) -> None:
        self.diagnostics.append(Diagnostic(level="error", code=code, message=message, page=page))

    def build(self, doc_kind: str, certification: Certification, source: Source) -> Referential:
        return Referential(
            doc_key=self.doc_key,
            doc_kind=doc_kind,  # type: ignore[arg-type]
            certification=certification,
            sources=[source],
            nodes=self.nodes,  # type: ignore[arg-type]
            relations=self.relations,
            diagnostics=self.diagnostics,
        )
