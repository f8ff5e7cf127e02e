"""FAMILIES.md section 0: a typesetter's hyphenation is undone, a compound keeps its hyphen; a
word a narrow cell broke without a hyphen is mended. All from the document's own vocabulary."""

from extract.text import hyphenates, join_wrapped, printed_vocabulary, vocabulary

DOC = [
    "Les métiers de l'informatique et du développement.",
    "Un concepteur-développeur d'applications, des tiers",
    "et des lieux; le paramétrage des progiciels.",
    "Orientation Technologiques",
]
VOCAB = vocabulary(w for line in DOC for w in line.split())


def _join(lines, typeset=True):
    with printed_vocabulary(VOCAB, typeset):
        return join_wrapped(lines)


def test_a_word_the_document_prints_whole_is_joined():
    assert _join(["piloter un projet informa-", "tique avec des méthodes"]) == "piloter un projet informatique avec des méthodes"
    assert _join(["un projet informa-", "tique."]) == "un projet informatique."
    # An elided article is no part of the word.
    assert _join(["les métiers de l'informa-", "tique"]) == "les métiers de l'informatique"


def test_a_word_of_a_printed_family_is_joined():
    # "paramétreur" is not printed whole, but "paramétrage" is: "para" is no word of the document.
    assert _join(["d'intégrateur ou para-", "métreur de progiciels"]) == "d'intégrateur ou paramétreur de progiciels"


def test_compounds_keep_their_hyphen():
    assert _join(["de concepteur-", "développeur d'applications"]) == "de concepteur-développeur d'applications"
    # Both halves are words and the join is never printed: the hyphen is the compound's.
    assert _join(["les tiers-", "lieux du territoire"]) == "les tiers-lieux du territoire"


def test_dashes_capitals_and_numbers_are_left_alone():
    assert _join(["Paris -", "Lyon"]) == "Paris - Lyon"
    assert _join(["la région Île-de-", "France"]) == "la région Île-de-France"
    assert _join(["les années 2020-", "2025"]) == "les années 2020-2025"


def test_a_document_that_does_not_hyphenate_keeps_its_hyphens():
    assert _join(["un projet informa-", "tique"], typeset=False) == "un projet informa-tique"
    breaks = [("un projet informa-", "tique"), ("le para-", "métreur"), ("de l'informa-", "tique")]
    assert hyphenates(breaks, VOCAB)
    assert not hyphenates([("des micro-", "services")], VOCAB)  # once is a compound, not a habit


def test_a_word_broken_by_a_narrow_cell_is_mended():
    assert _join(["ORIENTATIONS TECHNOLOGIQ", "UES DE SOLUTIONS"], typeset=False) == "ORIENTATIONS TECHNOLOGIQUES DE SOLUTIONS"
    # Two words the document prints on their own stay two words.
    assert _join(["des tiers", "lieux"], typeset=False) == "des tiers lieux"


def test_vocabulary_leaves_out_cut_words():
    v = vocabulary(["un", "projet", "informa-", "tique", "l'informatique"])
    assert "informa" not in v and "informatique" in v and "l" not in v


def test_a_word_broken_in_a_narrow_cell_alone_on_its_line_is_mended():
    # The head stood alone on its line (the word did not fit), the tail goes on in lower case,
    # and neither piece is a word printed elsewhere: "modific" / "ation".
    assert _join(["modific", "ation des données"], typeset=False) == "modification des données"
    # A whole word opening the next line is no piece: "démarche" / "d'investigation".
    assert _join(["démarche", "d'investigation"], typeset=False) == "démarche d'investigation"
