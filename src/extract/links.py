"""Links between documents of one run: an RE competence and the REAC competence it evaluates;
an RNCP fiche's bloc and the référentiel's bloc it is.

They live in `<out>/links.json`, not inside either document: a Referential's relations stay
between its own nodes, so each document validates and compares on its own. Where a fiche and its
référentiel disagree (a bloc missing on one side, another count of competences, a title worded
otherwise), the référentiel gets a diagnostic: the registry's page is what the référentiel is
checked against.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, Iterable

from extract.text import normalize_text, slugify


def _competences(doc: dict[str, Any]) -> dict[str, str]:
    return {normalize_text(n.get("title") or n.get("text")).lower(): n["node_key"]
            for n in doc.get("nodes", []) if n["node_type"] == "competence"}


def exact_matches(docs: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """exact_match RE competence -> REAC competence, for an RE and a REAC of the same TP code and
    millésime, matched on the competence title as printed; then fiche bloc -> référentiel bloc."""
    docs = list(docs)
    return _re_reac_matches(docs) + fiche_checks(docs)[0]


def _re_reac_matches(docs: list[dict[str, Any]]) -> list[dict[str, str]]:
    reacs = {d["doc_key"].split(":", 1)[1]: d for d in docs if d.get("doc_kind") == "reac"}
    out = []
    for d in docs:
        if d.get("doc_kind") != "re":
            continue
        reac = reacs.get(d["doc_key"].split(":", 1)[1])
        if reac is None:
            continue
        targets = _competences(reac)
        for title, key in _competences(d).items():
            if title in targets:
                out.append({"type": "exact_match", "origin_key": key, "dest_key": targets[title]})
    return out


def criteria_of(doc: dict[str, Any], competence_key: str) -> list[str]:
    return [normalize_text(n["text"]) for n in doc["nodes"]
            if n["node_type"] == "assessment_criterion" and n["parent_key"] == competence_key]


# ---------------------------------------------------------------- RNCP fiche <-> référentiel

# Diagnostics this module puts on a référentiel: replaced as a whole on each run.
FICHE_CHECK_CODES = ("fiche_bloc_missing", "fiche_bloc_not_listed", "fiche_competence_count", "fiche_bloc_title")
MIN_BLOC_SIMILARITY = 0.5


def _rncp_number(doc: dict[str, Any]) -> str | None:
    key = doc["doc_key"].split(":", 1)[1]
    if re.fullmatch(r"RNCP\d+", key):
        return key
    for c in doc.get("certification", {}).get("codes", []):
        if c.get("scheme") == "rncp" and re.fullmatch(r"RNCP\d+", c.get("value", "")):
            return c["value"]
    return None


def same_certification(fiche: dict[str, Any], ref: dict[str, Any]) -> bool:
    """One certification: the same RNCP number printed on both, else (one of them prints none)
    the same title."""
    a, b = _rncp_number(fiche), _rncp_number(ref)
    if a and b:
        return a == b
    ta, tb = (d.get("certification", {}).get("title") for d in (fiche, ref))
    return bool(ta and tb and slugify(ta) == slugify(tb))


def _fold(text: str | None) -> str:
    return normalize_text(text).casefold()


def _blocs(doc: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    nodes = doc.get("nodes", [])
    blocs = sorted((n for n in nodes if n["node_type"] == "block" and n.get("parent_key") is None),
                   key=lambda n: n["position"])
    return [(b, sorted((n for n in nodes if n["node_type"] == "competence" and n.get("parent_key") == b["node_key"]),
                       key=lambda n: n["position"])) for b in blocs]


def _similarity(a: tuple[dict[str, Any], list[dict[str, Any]]], b: tuple[dict[str, Any], list[dict[str, Any]]]) -> float:
    """How much two blocs are one: their titles' wording, or the statements they share."""
    title = SequenceMatcher(None, _fold(a[0].get("title") or a[0]["text"]), _fold(b[0].get("title") or b[0]["text"])).ratio()
    sa, sb = {_fold(n["text"]) for n in a[1]}, {_fold(n["text"]) for n in b[1]}
    shared = len(sa & sb) / max(len(sa), len(sb)) if sa and sb else 0.0
    return max(title, shared)


def align_blocs(fiche: list, ref: list) -> list[tuple[int | None, int | None]]:
    """Pairs (fiche index, référentiel index) in print order, the most similar blocs paired
    (order kept, as a sequence alignment); an index alone is a bloc the other side lacks."""
    n, m = len(fiche), len(ref)
    sim = [[_similarity(f, r) for r in ref] for f in fiche]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = sim[i][j] + best[i + 1][j + 1] if sim[i][j] >= MIN_BLOC_SIMILARITY else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MIN_BLOC_SIMILARITY and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    out += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return out


def _code_or_key(bloc: dict[str, Any]) -> str:
    codes = bloc.get("codes") or []
    return codes[0]["value"] if codes else bloc["node_key"].rsplit("/", 1)[-1]


def _page(bloc: dict[str, Any]) -> int | None:
    pages = (bloc.get("prov") or {}).get("pages") or []
    return pages[0] if pages else None


def _check(fiche: dict[str, Any], ref: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, Any]]]:
    fb, rb = _blocs(fiche), _blocs(ref)
    links: list[dict[str, str]] = []
    diags: list[dict[str, Any]] = []
    fkey = fiche["doc_key"]

    def warn(code: str, message: str, page: int | None) -> None:
        diags.append({"level": "warning", "code": code, "message": message, "page": page})

    for i, j in align_blocs(fb, rb):
        if j is None:
            f = fb[i][0]
            warn("fiche_bloc_missing", f"the fiche {fkey} lists bloc {_code_or_key(f)} « {f.get('title') or f['text']} », "
                 "which this référentiel does not print", None)
            continue
        r = rb[j][0]
        if i is None:
            warn("fiche_bloc_not_listed", f"bloc {_code_or_key(r)} « {r.get('title') or r['text']} » is not on the fiche {fkey}",
                 _page(r))
            continue
        f = fb[i][0]
        links.append({"type": "exact_match", "origin_key": f["node_key"], "dest_key": r["node_key"]})
        if _fold(f.get("title") or f["text"]) != _fold(r.get("title") or r["text"]):
            warn("fiche_bloc_title", f"bloc {_code_or_key(r)} is titled « {r.get('title') or r['text']} »; the fiche {fkey} "
                 f"titles it « {f.get('title') or f['text']} » ({_code_or_key(f)})", _page(r))
        if len(fb[i][1]) != len(rb[j][1]):
            warn("fiche_competence_count", f"bloc {_code_or_key(r)} prints {len(rb[j][1])} competence(s); the fiche {fkey} "
                 f"lists {len(fb[i][1])} under {_code_or_key(f)}", _page(r))
    return links, diags


def fiche_checks(docs: Iterable[dict[str, Any]]) -> tuple[list[dict[str, str]], dict[int, list[dict[str, Any]]]]:
    """For every fiche and référentiel of one certification in the run: exact_match links fiche
    bloc -> référentiel bloc, and the disagreements as diagnostics, by index of the référentiel
    in `docs` (every référentiel has an entry, empty when nothing disagrees or no fiche is there)."""
    docs = list(docs)
    links: list[dict[str, str]] = []
    diags: dict[int, list[dict[str, Any]]] = {i: [] for i, d in enumerate(docs) if d.get("doc_kind") == "rncp_referentiel"}
    for fiche in (d for d in docs if d.get("doc_kind") == "rncp_fiche"):
        for i in diags:
            if same_certification(fiche, docs[i]):
                found, problems = _check(fiche, docs[i])
                links += [link for link in found if link not in links]
                diags[i] += problems
    return links, diags
