"""Qualification levels: the European (EQF) level a printed French level means.

France printed levels in two nomenclatures. The 1969 one counts down, in Roman numerals, from
"Niveau V" (CAP) to "Niveau I" (master and above). The 2019 national framework (décret n° 2019-14
of 8 January 2019, article D. 6113-19 of the code du travail) counts up from 1 to 8, level for
level with the EQF, and the décret classes the older levels by this correspondence:
V -> 3, IV -> 4, III -> 5, II -> 6, I -> 7. The 1969 levels below V ("V bis", "VI") have none.
"""

from __future__ import annotations

import re
import unicodedata

ROMAN_1969_TO_EQF = {"V": 3, "IV": 4, "III": 5, "II": 6, "I": 7}

# The word that introduces a level, then the level; Roman numerals longest first so "III" is
# not read as "I". A "bis" after it is a 1969 sub-level with no EQF equivalent.
_LEVEL = re.compile(
    r"\b(?:niveau|level|niv\.)\s*(?:de\s+qualification\s*)?(?:n°\s*)?:?\s*"
    r"(?P<level>[1-8]|VIII|VII|VI|IV|V|III|II|I)\b(?!\s*bis\b)",
    re.IGNORECASE,
)


def eqf_level(printed: str | None) -> int | None:
    """The EQF level (1..8) of a level as printed ("Niveau III" -> 5, "niveau 7" -> 7), or None
    when nothing is printed or the printed level has no EQF equivalent ("Niveau V bis", "Niveau VI")."""
    if not printed:
        return None
    text = unicodedata.normalize("NFKC", printed)
    m = _LEVEL.search(text)
    if m is None:
        return None
    level = m.group("level")
    if level.isdigit():
        return int(level)
    return ROMAN_1969_TO_EQF.get(level.upper())
