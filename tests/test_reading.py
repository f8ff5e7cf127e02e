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


FAMILY_OF_FOLDER = {"rncp": "rncp_referentiel", "reac": "reac", "re": "re", "but": "but_referentiel"}


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
