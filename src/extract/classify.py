"""Which family a document belongs to, from what its first pages say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.text import normalize_text

# Each family's telltale phrases, matched on the normalized, lower-cased, accent-kept text.
_SIGNALS: dict[str, list[tuple[str, float]]] = {
    "reac": [
        (r"r[ée]f[ée]rentiel emploi activit[ée]s comp[ée]tences", 3.0),
        (r"\breac\b", 2.0),
        (r"fiche comp[ée]tence professionnelle", 2.0),
        (r"crit[èe]res de performance", 1.5),
        (r"fiche activit[ée] type", 1.0),
    ],
    "re": [
        (r"r[ée]f[ée]rentiel d['’ ]?[ée]valuation", 3.0),
        (r"r[ée]f[ée]rentiel de certification", 3.0),
        (r"modalit[ée]s d['’ ]?[ée]valuation des comp[ée]tences", 1.0),
        (r"mise en situation professionnelle", 0.5),
        (r"entretien final", 1.0),
        (r"\bccp\b", 1.0),
    ],
    "but_referentiel": [
        (r"\bb\.?u\.?t\.?\b", 2.0),
        (r"bachelor universitaire de technologie", 3.0),
        (r"apprentissages? critiques?", 3.0),
        (r"composantes? essentielles?", 3.0),
        (r"niveaux? de d[ée]veloppement", 1.0),
        (r"situations? professionnelles?", 0.5),
    ],
    "rncp_referentiel": [
        (r"bloc(s)? de comp[ée]tences", 2.0),
        (r"\bbloc\s*\d", 2.0),
        (r"r[ée]f[ée]rentiel d['’ ]?activit[ée]s", 2.0),
        (r"r[ée]f[ée]rentiel de comp[ée]tences", 1.5),
        (r"crit[èe]res d['’ ]?[ée]valuation", 1.5),
        (r"modalit[ée]s d['’ ]?[ée]valuation", 1.0),
        (r"\brncp\s*\d{4,6}", 1.0),
    ],
    # The registry's own page of a certification: its rubriques and "L'essentiel" labels, the
    # two-column bloc table, and the registry's address a browser prints in its margins.
    "rncp_fiche": [
        (r"francecompetences\.fr/recherche/rncp", 2.0),
        (r"nomenclature\s+du\s+niveau\s+de\s+qualification", 2.0),
        (r"code de la fiche", 2.0),
        (r"date d['’ ]?[ée]ch[ée]ance de l['’ ]?enregistrement", 2.0),
        (r"r[ée]sum[ée] de la certification", 2.0),
        (r"liste de comp[ée]tences\s+modalit[ée]s d['’ ]?[ée]valuation", 2.0),
        (r"comp[ée]tences attest[ée]es", 1.0),
        (r"activit[ée]s vis[ée]es", 1.0),
        (r"certificateur\(s\)", 1.0),
    ],
}


@dataclass(frozen=True)
class Classification:
    kind: str  # rncp_referentiel | rncp_fiche | reac | re | but_referentiel | unknown
    scores: dict[str, float]
    # How many different telltale phrases of each family are printed (one phrase, however
    # often, is not a family: "but" is an English word before it is a B.U.T.).
    distinct: dict[str, int] = field(default_factory=dict)
    french: bool = True

    @property
    def confidence(self) -> float:
        ranked = sorted(self.scores.values(), reverse=True)
        if not ranked or ranked[0] == 0:
            return 0.0
        second = ranked[1] if len(ranked) > 1 else 0.0
        return round((ranked[0] - second) / ranked[0], 3)


MIN_SCORE = 3.0
MIN_DISTINCT = 2

# The commonest function words of each language: a référentiel of a French certification is
# written in French, a manual in English is not one whatever words it shares with them.
_FRENCH = frozenset("le la les des du de et en un une est dans pour par sur au aux qui que avec ce ces son sa ses "
                    "ou il elle sont être leur plus".split())
_ENGLISH = frozenset("the of and to in is for that with on as by this are be it or from an which at not "
                     "can if was".split())


def is_french(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    fr = sum(1 for w in words if w in _FRENCH)
    en = sum(1 for w in words if w in _ENGLISH)
    return fr >= en


def classify_text(text: str) -> Classification:
    t = normalize_text(text).lower()
    scores: dict[str, float] = {}
    distinct: dict[str, int] = {}
    for kind, signals in _SIGNALS.items():
        score = 0.0
        found = 0
        for pattern, weight in signals:
            hits = len(re.findall(pattern, t))
            # Diminishing returns: a phrase repeated on every page must not swamp the others.
            score += weight * min(hits, 3) ** 0.5
            found += hits > 0
        scores[kind] = round(score, 3)
        distinct[kind] = found
    best = max(scores, key=lambda k: scores[k])
    french = is_french(t)
    if scores[best] < MIN_SCORE or distinct[best] < MIN_DISTINCT or not french:
        return Classification("unknown", scores, distinct, french)
    # A référentiel d'évaluation quotes its REAC: the cover title decides between the two.
    head = t[:3000]
    if best in ("reac", "re"):
        if re.search(r"r[ée]f[ée]rentiel d['’ ]?[ée]valuation|r[ée]f[ée]rentiel de certification", head):
            best = "re"
        elif re.search(r"r[ée]f[ée]rentiel emploi activit[ée]s comp[ée]tences", head):
            best = "reac"
    return Classification(best, scores, distinct, french)
