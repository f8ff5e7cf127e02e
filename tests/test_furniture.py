"""Furniture on generated PDFs that mix portrait and landscape pages (expectations by hand)."""

from pathlib import Path

from extract.document import read_document
from extract.docmodel.grid import find_grid
from pdfgen import WordPage, word_footer_table, word_pdf

HEADER = "Référentiel d'évaluation - Testeur de logiciels"
CELLS = [("SIGLE", "TDL"), ("Code titre", "TP-09999"), ("Millésime", "01")]


def _page(body: list[tuple[float, str]], header_top: float | None):
    def draw(pg: WordPage) -> None:
        if header_top is not None:
            pg.text(60, header_top, HEADER, 8)
        for top, text in body:
            pg.text(60, top, text, 10)
    return draw


def test_a_running_header_printed_lower_on_landscape_pages_is_furniture(tmp_path: Path):
    # Portrait pages print the header 30 pt from the top; the landscape section 80 pt from it,
    # deeper than the portrait band's share of a landscape page's height.
    pages = [_page([(200, f"Texte de la page {i}")], 30) for i in range(4)]
    pages += [_page([(200, "Tableau en paysage")], 80),
              _page([(40, "Titre imprimé au-dessus"), (200, "Autre tableau")], 80)]
    doc = read_document(word_pdf(tmp_path / "h.pdf", pages, portrait=range(4)))
    texts = [[ln.text for ln in doc.content_lines(p)] for p in doc.pages]
    assert texts[:5] == [[f"Texte de la page {i}"] for i in range(4)] + [["Tableau en paysage"]]
    # Only furniture may lie between a furniture line and the edge: under a printed title, the
    # same words are the page's own.
    assert texts[5] == ["Titre imprimé au-dessus", HEADER, "Autre tableau"]


def test_a_table_header_row_in_the_band_is_no_footer_block(tmp_path: Path):
    xs = [60, 200, 400, 540]

    def draw(pg: WordPage) -> None:
        top = 40.0
        for k in range(6):  # a one-line header row in the top band, drawn row by row like Word,
            bottom = top + (11.5 if k == 0 else 60)  # its cells split apart from the body's
            pg.grid_row([xs[0], 300, xs[-1]] if k == 0 else xs, top, bottom)
            pg.text(64, top + 1, "Compétences" if k == 0 else f"Ligne {k}", 8)
            top = bottom
        pg.close(xs, top)
        for x in (xs[0], xs[-1]):  # the table's outer sides drawn in one stroke each, top to bottom
            pg.fill(x, 40, x + 0.5, top)
        word_footer_table(pg, [(a, b) for a, b in CELLS], 150, [90, 90, 90], bottom=30)

    doc = read_document(word_pdf(tmp_path / "t.pdf", [draw] * 3, portrait=range(3)))
    for p in doc.pages:
        assert len(p.furniture_blocks) == 1 and p.furniture_blocks[0][1] > 0.8 * p.height  # the footer table only
        grid = find_grid(p)
        assert grid is not None and abs(grid.top - 40) < 1 and grid.bottom < 0.8 * p.height
        footer = {i for i, w in enumerate(p.words) if w.top > 0.8 * p.height}
        assert footer and footer <= p.furniture
