"""level_eqf: the European level of a printed French level, for every family (décret n° 2019-14)."""

import json

import pytest

from conftest import GOLDEN
from extract.levels import eqf_level
from extract.pipeline import _set_level_eqf
from extract.records import RecordBuilder
from extract.schema import Certification


@pytest.mark.parametrize("printed, eqf", [
    ("Niveau V", 3), ("Niveau IV", 4), ("Niveau III", 5), ("Niveau II", 6), ("Niveau I", 7),  # 1969
    ("Niveau 3", 3), ("Niveau 5", 5), ("niveau 7", 7), ("NIVEAU 8", 8), ("Niveau 1", 1),  # 2019
    ("Titre de niveau III (Bac+2)", 5), ("Niveau 6 (Bac+3)", 6), ("Level 6", 6),
    ("Niveau de qualification : 4", 4), ("Niveau I (Bac+5)", 7),
])
def test_printed_levels_in_both_nomenclatures(printed, eqf):
    assert eqf_level(printed) == eqf


@pytest.mark.parametrize("printed", [None, "", "Bac+5", "Niveau V bis", "Niveau VI", "niveau débutant"])
def test_no_level_or_no_equivalent_is_none(printed):
    assert eqf_level(printed) is None


def test_a_printed_level_without_equivalent_is_a_warning():
    b = RecordBuilder("x:y", "test")
    cert = Certification(level="Niveau V bis")
    _set_level_eqf(cert, b)
    assert cert.level_eqf is None and [d.code for d in b.diagnostics] == ["level_not_mapped"]
    cert = Certification(level="Niveau III")
    _set_level_eqf(cert, b)
    assert cert.level_eqf == 5 and len(b.diagnostics) == 1


# What each printed level of the goldens means, from the official correspondence (not from the code).
EQF_OF_PRINTED = {"Niveau III": 5, "Niveau 5": 5, "niveau 7": 7, "Niveau 7": 7}


def test_every_golden_document_that_prints_a_level_gets_its_eqf_level(corpus_outputs):
    checked = 0
    for g in sorted(GOLDEN.glob("*.json")):
        out = corpus_outputs[g.stem]
        level = json.loads(g.read_text(encoding="utf-8"))["certification"].get("level")
        cert = json.loads(out.read_text(encoding="utf-8"))["certification"]
        if level is None:
            assert cert["level_eqf"] is None, g.stem
            continue
        assert cert["level"] == level and cert["level_eqf"] == EQF_OF_PRINTED[level], (g.stem, cert["level"], cert["level_eqf"])
        checked += 1
    assert checked >= 6  # RNCP, REAC, RE and the fiche print levels
