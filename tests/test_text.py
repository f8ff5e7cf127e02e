from extract.text import join_wrapped, key_code, normalize_text, slugify


def test_normalization_folds_what_section_4_says():
    assert normalize_text("l\u2019of\ufb01ce \u00abici\u00bb") == "l'office \"ici\""
    assert normalize_text("a\u00a0b\u202fc") == "a b c"
    assert normalize_text("ex\u00adample") == "example"
    assert normalize_text("tiers-\nlieux") == "tiers-lieux"
    assert normalize_text("  a \n\n b  ") == "a b"
    assert normalize_text("e\u0301") == "\u00e9"


def test_slug_and_key_codes():
    assert slugify("MANAGEUR DE L'INNOVATION NUMERIQUE") == "manageur-de-l-innovation-numerique"
    assert slugify("Expert(e) en Développement Logiciel") == "expert-e-en-developpement-logiciel"
    assert key_code("A1.1.") == "A1.1"
    assert key_code("CP 3") == "CP3"


def test_wrapped_lines_join_with_one_space_or_none_after_hyphen():
    assert join_wrapped(["des tiers-", "lieux et", "des  cafés"]) == "des tiers-lieux et des  cafés"
    assert join_wrapped(["A -", "B"]) == "A - B"
