from pathlib import Path

import pytest

from conftest import SHARED
from extract.classify import classify_text
from extract.document import read_document
from extract.layout import Word, group_lines
from pdfgen import pdf_with_pages


def test_words_on_one_baseline_form_a_line_and_columns_split_at_wide_gaps():
    ws = [Word("Bloc", 50, 100, 70, 110), Word("1", 72, 100.5, 76, 110.5),
          Word("Critères", 400, 100, 440, 110), Word("Suite", 50, 115, 80, 125)]
    lines = group_lines(ws)
    assert [ln.text for ln in lines] == ["Bloc 1 Critères", "Suite"]
    split = group_lines(ws, split_gap=3.0)
    assert [ln.text for ln in split] == ["Bloc 1", "Critères", "Suite"]


def test_bold_comes_from_the_font_name():
    assert Word("a", 0, 0, 1, 1, font="Arial-BoldMT").bold
    assert not Word("a", 0, 0, 1, 1, font="ArialMT").bold


def test_running_header_footer_and_page_numbers_are_furniture(tmp_path: Path):
    pages = []
    for i in range(1, 5):
        pages.append([
            (50, 30, "Référentiel de compétences - RNCP 12345"),
            (50, 300, f"Contenu propre à la page {i} avec du texte."),
            (280, 820, f"Page {i} / 4"),
        ])
    doc = read_document(pdf_with_pages(tmp_path / "f.pdf", pages))
    for p in doc.pages:
        texts = [ln.text for ln in doc.content_lines(p)]
        assert texts == [f"Contenu propre à la page {p.number} avec du texte."]
    assert doc.labels == {1: "1", 2: "2", 3: "3", 4: "4"}


def test_text_repeated_in_the_body_is_not_furniture(tmp_path: Path):
    pages = [[(50, 400, "Critères de performance")] for _ in range(3)]
    doc = read_document(pdf_with_pages(tmp_path / "b.pdf", pages))
    assert all(doc.content_lines(p) for p in doc.pages)


FAMILY_OF_FOLDER = {"rncp": "rncp_referentiel", "fiche": "rncp_fiche", "reac": "reac", "re": "re",
                    "but": "but_referentiel"}


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared is not beside this checkout")
@pytest.mark.parametrize("pdf", sorted((SHARED / "corpus").glob("*/*.pdf")), ids=lambda p: p.name)
def test_corpus_documents_are_classified_as_their_folder(pdf: Path):
    doc = read_document(pdf)
    assert classify_text(doc.text(max_pages=6)).kind == FAMILY_OF_FOLDER[pdf.parent.name]


def test_text_that_is_no_referentiel_is_unknown():
    assert classify_text("Facture n° 2024-12\nMontant total : 120 €\nMerci de votre confiance.").kind == "unknown"


def test_rotated_column_headers_come_out_readable():
    from conftest import RAW
    from extract.layout import rotated_text

    re_doc = read_document(RAW / "re-dwwm-tp01280-v04.pdf")
    assert rotated_text(re_doc.pages[8]) == ["Entretien technique", "Questionnaire professionnel",
                                              "Questionnement à partir de production(s)"]
    rc = read_document(RAW / "rc-developpeur-logiciel-2013.pdf")
    assert rotated_text(rc.pages[7]) == ["Questionnaire professionnel", "Entretien technique"]


def test_printed_page_labels_are_kept_in_provenance(tmp_path: Path):
    from extract.pipeline import extract_document

    pages = [[(50, 30, "Cover added by a third party")]] + [
        [(50, 30, "Référentiel de compétences - Bloc de compétences n° 1"), (50, 300, f"Bloc de compétences {i}"),
         (280, 820, f"Page {i} / 3")] for i in range(1, 4)]
    ref = extract_document(pdf_with_pages(tmp_path / "shifted.pdf", pages))
    node = next(n for n in ref.nodes if "Bloc de compétences 2" in n.text)
    assert node.prov.pages == [3] and node.prov.page_labels == ["2"]


def test_text_and_rulings_inside_a_flipped_form_xobject_read_upright_in_place(tmp_path: Path):
    # A browser's print may wrap a whole page in a form XObject whose matrix flips y, the text
    # matrices flipping it back: the text is upright on the page and must be read so.
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    w, h = A4
    path = tmp_path / "form.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.beginForm("page")
    t = c.beginText()
    t.setFont("Helvetica", 1)
    t.setTextTransform(12, 0, 0, -12, 80, 200)  # 12 pt text, baseline 200 pt from the top
    t.textOut("Texte dans un formulaire")
    c.drawText(t)
    c.setLineWidth(0.5)
    c.line(80, 260, 400, 260)  # a ruling 260 pt from the top
    c.endForm()
    c.transform(1, 0, 0, -1, 0, h)  # the form is placed flipped: its y grows downwards from the top
    c.doForm("page")
    c.showPage()
    c.save()
    page = read_document(path).pages[0]
    assert [(w.text, w.upright) for w in page.words] == [("Texte", True), ("dans", True), ("un", True),
                                                         ("formulaire", True)]
    assert abs(page.words[0].bottom - 200) < 4 and abs(page.words[0].size - 12) < 0.1
    rulings = [s for s in page.segments if s.horizontal and s.x1 - s.x0 > 300]
    assert len(rulings) == 1 and abs(rulings[0].top - 260) < 1
