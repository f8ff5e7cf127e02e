"""The document model: what a page shows, between the layout (words, rulings, fills) and the
families (meaning only).

Furniture (headers, footers, page numbers, footer tables), paragraphs and lists with markers and
depth, headings, and tables with cells, spans and page-break continuations live here. Family
parsers read this model; none of them finds tables, cells, lists or furniture itself.
"""
