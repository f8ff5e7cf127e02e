"""FAMILIES.md section 0: a typesetter's hyphenation is undone, a compound keeps its hyphen."""

from extract.text import dehyphenate, join_wrapped, vocabulary

DOC = [
    "Les métiers de l'informatique et du développement.",
    "Un concepteur-développeur d'applications, des tiers",
    "et des lieux; le paramétrage des progiciels.",
]
VOCAB = vocabulary(DOC)


def _join(lines):
    return join_wrapped(dehyphenate(lines, VOCAB))


def test_a_word_the_document_prints_whole_is_joined():
    assert _join(["piloter un projet informa-", "tique avec des méthodes"]) == "piloter un projet informatique avec des méthodes"
    # Punctuation after the rest of the word goes up with it; an elided article stays in front.
    assert _join(["un projet informa-", "tique."]) == "un projet informatique."
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


def test_vocabulary_leaves_out_cut_words():
    assert "informa" not in vocabulary(["un projet informa-", "tique"])
    assert {"informatique", "métiers"} <= set(VOCAB)
