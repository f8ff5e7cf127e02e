"""The document model of one PDF: its pages with furniture marked, and its tables.

Built once per document; every family parser reads it (`DocModel.tables`, `content_lines`),
never the PDF or the layout directly.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from extract.docmodel.tables import Table, find_tables
from extract.document import Document
from extract.layout import Line, PageLayout, group_lines


@dataclass
class DocModel:
    doc: Document

    @cached_property
    def tables(self) -> list[Table]:
        """The document's logical tables (found on first use: not every family reads tables)."""
        return find_tables(self.doc.pages)

    @property
    def path(self) -> Path:
        return self.doc.path

    @property
    def sha256(self) -> str:
        return self.doc.sha256

    @property
    def pages(self) -> list[PageLayout]:
        return self.doc.pages

    @property
    def labels(self) -> dict[int, str]:
        return self.doc.labels

    @property
    def page_count(self) -> int:
        return self.doc.page_count

    def content_lines(self, page: PageLayout, split_gap: float | None = None) -> list[Line]:
        return self.doc.content_lines(page, split_gap)

    def text(self, max_pages: int | None = None) -> str:
        return self.doc.text(max_pages)

    @cached_property
    def body_size(self) -> float:
        """The type size most of the document's text is set in."""
        sizes = Counter(round(w.size, 1) for p in self.doc.pages for w in p.content_words())
        return sizes.most_common(1)[0][0] if sizes else 10.0

    def tables_on(self, pages: set[int]) -> list[Table]:
        """The tables of some pages only (a family that reads one table need not find them all);
        the document's tables when they are known already."""
        if "tables" in self.__dict__:
            return [t for t in self.tables if set(t.pages) & pages]
        return find_tables([p for p in self.doc.pages if p.number in pages])

    def lines_outside_tables(self, page: PageLayout) -> list[Line]:
        """Content lines of a page that no table holds (headings, paragraphs around tables)."""
        if page.number not in self._outside:
            mine = [t for t in self.tables if page.number in t.pages]
            words = [w for w in page.content_words()
                     if not any(t.contains(page.number, w.xc, w.yc) for t in mine)]
            self._outside[page.number] = group_lines(words, page.number)
        return list(self._outside[page.number])

    @cached_property
    def _outside(self) -> dict[int, list[Line]]:
        return {}


def build_model(doc: Document) -> DocModel:
    return DocModel(doc)
