"""The document model: what a page shows, between the layout (words, rulings, fills) and the
families (meaning only).

Furniture (headers, footers, page numbers, footer tables), paragraphs and lists with markers and
depth, headings, tables with cells, spans and page-break continuations, rulings joined from the
pieces a writer drew (rulings.py) and check boxes, drawn or printed (marks.py) live here. Family
parsers read this model; none of them finds tables, cells, lists, marks or furniture itself.
"""
