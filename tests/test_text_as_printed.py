"""Text as printed, for every family (issue 12, item 3): ligature glyphs shared by several
characters keep their content-stream order; nested "o" markers are markers, not text."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.docmodel.structure import parse_entries
from extract.document import read_document
from pdfgen import ligature_pdf


def test_characters_sharing_one_ligature_glyph_keep_their_order(tmp_path):
    # "ti" and "fi" are one glyph each: PDFium gives both characters the glyph's box.
    path = ligature_pdf(tmp_path / "lig.pdf", [["L", "e", "s"], ["ti", "e", "r", "s"], ["c", "e", "r", "ti", "fi", "é", "s"]])
    doc = read_document(path)
    assert [w.text for w in doc.pages[0].words] == ["Les", "tiers", "certifiés"]
    assert doc.text() == "Les tiers certifiés"


def test_nested_o_markers_are_markers(tmp_path):
    # Word's second-level bullet is a letter "o" (Courier New) a short gap before its text.
    path = tmp_path / "o.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    h = A4[1]
    c.setFont("Helvetica", 10)
    c.drawString(72, h - 100, "Le candidat présente :")
    c.drawString(80, h - 114, "•")
    c.drawString(92, h - 114, "les livrables du projet")
    for k, text in enumerate(["le planning détaillé", "le budget prévisionnel"]):
        c.setFont("Courier", 10)
        c.drawString(92, h - 128 - 14 * k, "o")
        c.setFont("Helvetica", 10)
        c.drawString(100.5, h - 128 - 14 * k, text)
    c.setFont("Helvetica", 10)
    c.drawString(72, h - 176, "o un mot en début de ligne reste du texte.")  # after a blank line
    c.save()
    doc = read_document(path)
    entries = parse_entries(doc.content_lines(doc.pages[0]))
    assert [(e.kind, e.marker, e.depth, e.text) for e in entries] == [
        ("para", None, 0, "Le candidat présente :"),
        ("item", "•", 0, "les livrables du projet"),
        ("item", "o", 1, "le planning détaillé"),
        ("item", "o", 1, "le budget prévisionnel"),
        ("para", None, 0, "o un mot en début de ligne reste du texte."),
    ]
