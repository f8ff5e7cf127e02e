"""Fallback for documents no family parser understands: every paragraph kept as a residual node."""

from __future__ import annotations

from extract.document import Document
from extract.families import FamilyResult
from extract.records import RecordBuilder
from extract.schema import Certification
from extract.docmodel.structure import build_items, entries_text, paragraphs, parse_entries
from extract.text import slugify


def residual_blocks(doc: Document, builder: RecordBuilder, pages: list[int] | None = None,
                    parent_key: str | None = None) -> int:
    """Add one residual node per printed block of the given pages; return how many."""
    count = 0
    for page in doc.pages:
        if pages is not None and page.number not in pages:
            continue
        for block in paragraphs(doc.content_lines(page, split_gap=3.0)):
            entries = parse_entries(block)
            text = entries_text(entries)
            if not text:
                continue
            builder.add("residual", parent_key, text=text, items=build_items(entries), lines=block,
                        confidence=0.0)
            count += 1
    return count


def extract(doc: Document, doc_kind: str = "unknown") -> FamilyResult:
    prefix = {"rncp_referentiel": "rncp", "rncp_fiche": "fiche", "reac": "reac", "re": "re", "but_referentiel": "but"}.get(
        doc_kind, "unknown"
    )
    builder = RecordBuilder(f"{prefix}:{slugify(doc.path.stem)}", extractor="generic")
    n = residual_blocks(doc, builder)
    builder.warn(
        "unclassified_document" if doc_kind == "unknown" else "family_not_parsed",
        f"{n} block(s) kept as residual nodes: "
        + ("the document was not recognised as a référentiel"
           if doc_kind == "unknown" else f"no structured parser handled this {doc_kind} document"),
    )
    return FamilyResult(builder.doc_key, Certification(), builder)
