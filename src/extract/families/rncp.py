"""RNCP référentiels: the 4-column grid (activités · compétences · modalités · critères)."""

from __future__ import annotations

import re

from extract.document import Document
from extract.families import FamilyResult
from extract.families.generic import residual_blocks
from extract.records import RecordBuilder
from extract.schema import Certification
from extract.text import slugify


def doc_key_for(doc: Document, title: str | None) -> str:
    m = re.search(r"\bRNCP\s*(\d{4,6})\b", doc.text(max_pages=3))
    if m:
        return f"rncp:RNCP{m.group(1)}"
    return f"rncp:{slugify(title or doc.path.stem)}"


def extract(doc: Document) -> FamilyResult:
    builder = RecordBuilder(doc_key_for(doc, None), extractor="rncp")
    residual_blocks(doc, builder)
    builder.warn("family_not_parsed", "RNCP grid parsing is not implemented yet: blocks kept as residual")
    return FamilyResult(builder.doc_key, Certification(), builder)
