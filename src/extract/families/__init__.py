"""Family parsers: each turns a read Document into nodes through a RecordBuilder."""

from __future__ import annotations

from dataclasses import dataclass

from extract.records import RecordBuilder
from extract.schema import Certification


@dataclass
class FamilyResult:
    doc_key: str
    certification: Certification
    builder: RecordBuilder
