"""The document model's shapes (arrows, chevrons, title bars, notched panels), labelled lists and
running headers, on hand-made layout data."""

from __future__ import annotations

from extract.docmodel.furniture import detect_furniture
from extract.docmodel.labels import labelled_entries
from extract.docmodel.shapes import beside, chains, contains, inside, pointing, title_bars
from extract.layout import Box, Line, PageLayout, Word


def shape(pts, filled=True):
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return Box(min(xs), min(ys), max(xs), max(ys), filled, tuple(pts))


def word(text, x0, top, size=10.0, font="Helvetica", width=None):
    return Word(text, x0, top, x0 + (width or 5.5 * len(text)), top + size, font, size)


def line(text, x0, top, font="Helvetica", size=10.0):
    words, x = [], x0
    for t in text.split():
        words.append(word(t, x, top, size, font))
        x = words[-1].x1 + 3
    return Line(words)


DOWN = [(0, 0), (50, 10), (100, 0), (100, 60), (50, 70), (0, 60)]  # notched top, point at the bottom
RIGHT = [(0, 0), (90, 0), (100, 20), (90, 40), (0, 40), (10, 20)]
PANEL_L = [(200, 100), (200, 30), (400, 30), (400, 0), (0, 0), (0, 100)]  # an L: a notch top right


def test_pointing_reads_the_tip_of_arrows_and_chevrons():
    assert pointing(shape(DOWN)) == "down"
    assert pointing(shape([(x, 70 - y) for x, y in DOWN])) == "up"
    assert pointing(shape(RIGHT)) == "right"
    assert pointing(shape([(100 - x, y) for x, y in RIGHT])) == "left"
    # Rectangles (with a collinear midpoint), notched panels and plain boxes do not point.
    assert pointing(shape([(0, 0), (50, 0), (100, 0), (100, 60), (0, 60)])) is None
    assert pointing(shape(PANEL_L)) is None
    assert pointing(Box(0, 0, 100, 50, True)) is None


def test_contains_follows_the_outline():
    arrow = shape(DOWN)
    assert contains(arrow, 50, 40) and not contains(arrow, 50, 3)  # the notch is outside
    assert not contains(arrow, 5, 68)  # beside the point
    panel = shape(PANEL_L)
    assert contains(panel, 100, 80) and not contains(panel, 300, 80)


def test_chains_follow_arrows_into_the_next_shape_in_arrow_order():
    a = shape([(0, 100), (50, 110), (100, 100), (100, 160), (50, 170), (0, 160)])
    b = shape([(0, 162), (50, 172), (100, 162), (100, 220), (0, 220)])  # flat end: last of the chain
    top = shape(DOWN)
    other_column = shape([(x + 300, y) for x, y in DOWN])
    got = chains([b, other_column, a, top])
    # `top` ends 30 pt above `a`: too far to lead into it; a lone arrow is a chain of one.
    assert sorted([[(s.top, s.x0) for s in c] for c in got]) == [[(0, 0)], [(0, 300)], [(100, 0), (162, 0)]]
    # Arrows pointing up chain from the bottom one.
    up1 = shape([(0, 210), (50, 200), (100, 210), (100, 260), (0, 260)])
    up2 = shape([(0, 140), (100, 140), (100, 205), (50, 195), (0, 205)])
    assert [c[0].top for c in chains([up2, up1])] == [200]
    # A row of chevrons, the last with a flat end; a far box is not part of it.
    c1 = shape(RIGHT)
    c2 = shape([(92, 0), (180, 0), (190, 20), (180, 40), (92, 40), (102, 20)])
    c3 = shape([(182, 0), (260, 0), (260, 40), (182, 40), (192, 20)])
    far = shape([(400, 0), (450, 0), (450, 40), (400, 40)])
    assert [[s.x0 for s in c] for c in chains([c3, far, c2, c1])] == [[0, 92, 182]]


def test_chain_of_three_down_arrows():
    a = shape([(0, 0), (100, 0), (100, 60), (50, 70), (0, 60)])
    b = shape([(0, 62), (50, 72), (100, 62), (100, 120), (50, 130), (0, 120)])
    c = shape([(0, 122), (50, 132), (100, 122), (100, 180), (0, 180)])
    assert [[s.top for s in ch] for ch in chains([c, a, b])] == [[0, 62, 122]]


def test_inside_cuts_a_line_running_across_two_chevrons():
    c1 = shape(RIGHT)
    c2 = shape([(92, 0), (180, 0), (190, 20), (180, 40), (92, 40), (102, 20)])
    ln = Line([word("Observer", 12, 10, width=50), word("Intervenir", 104, 10, width=60)])
    assert [x.text for x in inside(c1, [ln])] == ["Observer"]
    assert [x.text for x in inside(c2, [ln])] == ["Intervenir"]


def test_title_bars_hold_one_bold_line_across_the_page():
    page = PageLayout(1, 600, 800, [], boxes=[
        Box(18, 98, 582, 124, True),  # shadow under the bar
        Box(20, 100, 580, 120, True),  # the bar
        Box(20, 130, 580, 155, True),  # a panel whose first line is body text
        Box(20, 200, 200, 220, True),  # a narrow label box
    ])
    bold = line("Compétence 2 : Gérer", 200, 105, font="Helvetica-Bold")
    body = line("Concevoir et gérer les données", 30, 135)
    label = line("B.1", 25, 205, font="Helvetica-Bold")
    bars = title_bars(page, [bold, body, label])
    assert [(b.text, b.box.x0) for b in bars] == [("Compétence 2 : Gérer", 20)]


def test_beside_finds_the_box_on_the_same_band():
    arrow = shape(DOWN)
    right = Box(110, 2, 500, 58, True)
    below = Box(110, 70, 500, 130, True)
    assert beside([right, below, arrow], arrow) is right


def test_labelled_entries_open_at_a_bold_code_and_hang_their_wrapped_lines():
    rows = [
        Line([word("AC", 0, 0, font="Arial-BoldMT"), word("1", 16, 0, font="Arial-BoldMT"),
              word("Élaborer", 28, 0), word("et", 75, 0)]),
        Line([word("implémenter", 28, 12)]),
        Line([word("AC", 0, 28, font="Arial-BoldMT"), word("2", 16, 28, font="Arial-BoldMT"), word("Appliquer", 28, 28)]),
    ]
    entries = labelled_entries(rows)
    assert [(e.label, e.texts) for e in entries] == [("AC 1", ["Élaborer et", "implémenter"]), ("AC 2", ["Appliquer"])]
    # A bold heading without a digit is no code; nor is a line all bold.
    assert labelled_entries([Line([word("Prestataire", 0, 0, font="Arial-BoldMT"), word("texte", 70, 0)])]) is None
    assert labelled_entries([Line([word("AC", 0, 0, font="Arial-BoldMT"), word("1", 16, 0, font="Arial-BoldMT")])]) is None


def _page(n, words):
    return PageLayout(n, 600, 800, words)


def test_running_headers_whose_wording_changes_are_furniture_when_set_apart():
    pages = []
    for n in range(1, 7):
        section = "Les compétences" if n < 4 else "Les parcours"
        header = [word(t, 30 + 60 * i, 30, 8, "Arial-ItalicMT") for i, t in enumerate(["Guide", "•", section])]
        footer = [word(f"Spécialité (parcours {'ABCDEF'[n - 1]})", 420, 780, 9)]
        content = [word(f"Texte{n}", 30, 120), word("suite", 30, 134)]
        pages.append(_page(n, header + footer + content))
    detect_furniture(pages)
    for p in pages:
        furniture = {p.words[i].text for i in p.furniture}
        assert furniture >= {"Guide", "•"} and any(t.startswith("Spécialité") for t in furniture)
        assert not furniture & {f"Texte{p.number}", "suite"}


def test_lines_at_a_steady_place_next_to_content_are_not_furniture():
    # A table continued at the top of each page: same place, wording changes, but no gap
    # separates it from what follows: content.
    rows = ["Analyser", "Concevoir", "Réaliser", "Tester", "Déployer", "Maintenir"]
    pages = [_page(n, [word(rows[n - 1], 30, 40), word(rows[-n], 30, 53), word("fin", 30, 300)])
             for n in range(1, 7)]
    detect_furniture(pages)
    assert all(not p.furniture for p in pages)


def test_column_labels_are_a_row_of_short_lines_under_the_shapes():
    from extract.docmodel.shapes import column_labels

    cells = [Box(0, 0, 180, 40, True), Box(170, 0, 360, 40, True)]
    labels = [line("Année 1", 60, 50), line("Année 2", 240, 50), line("Année 3", 420, 50)]
    paragraph = [line("Ce parcours forme aux métiers de la maintenance aéronautique et au contrôle", 0, 66)]
    assert column_labels(labels + paragraph, cells) == labels
