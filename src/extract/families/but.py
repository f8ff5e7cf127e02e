"""Family parser for 'but' documents (structured parsing in progress)."""

from __future__ import annotations

from extract.document import Document
from extract.families import FamilyResult, generic


def extract(doc: Document) -> FamilyResult:
    return generic.extract(doc, "but_referentiel")
