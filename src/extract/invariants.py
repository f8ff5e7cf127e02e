"""What must hold in the records of each family (FAMILIES.md), checked on an output without a golden.

Each check returns findings: what is wrong, the pages and node keys it concerns, and how many
nodes it puts at risk. A node keyed by an ordinal (no printed code) takes its key from its rank:
one node missing or added shifts the key of every later sibling of its type, so those count too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable

from extract.text import normalize_text

# Parent node types each family allows (None: top level), from FAMILIES.md.
GRAMMAR: dict[str, dict[str, set[str | None]]] = {
    "rncp_referentiel": {
        "block": {None}, "activity": {"block"}, "competence": {"block"}, "assessment_modality": {"block"},
        "assessment_criterion": {"competence", "block"}, "glossary_entry": {None},
    },
    "rncp_fiche": {"block": {None}, "competence": {"block"}, "assessment_modality": {"block"}},
    "reac": {
        "activity_type": {None}, "competence": {"activity_type"}, "knowledge": {"competence"},
        "assessment_criterion": {"competence", "transversal_competence"}, "transversal_competence": {None},
        "glossary_entry": {None},
    },
    "re": {
        "assessment_modality": {None}, "activity_type": {None}, "competence": {"activity_type"},
        "assessment_criterion": {"competence"},
    },
    "but_referentiel": {
        "competence": {None}, "competence_component": {"competence"}, "professional_situation": {"competence"},
        "level": {"competence"}, "learning_outcome": {"level"}, "pathway": {None},
    },
}

# Node types without which a family's output is not its référentiel.
REQUIRED: dict[str, tuple[str, ...]] = {
    "rncp_referentiel": ("block", "competence"),
    "rncp_fiche": ("block", "competence"),
    "reac": ("activity_type", "competence", "assessment_criterion", "knowledge"),
    "re": ("assessment_modality", "activity_type", "competence", "assessment_criterion"),
    "but_referentiel": ("competence", "level", "learning_outcome"),
}

# Children every node of a type has in a family: (parent type, child type, what is printed).
CHILDREN: dict[str, list[tuple[str, str, str]]] = {
    "rncp_referentiel": [("block", "competence", "its compétences")],
    "rncp_fiche": [("block", "competence", "its « Liste de compétences »"),
                   ("block", "assessment_modality", "its « Modalités d'évaluation »")],
    "reac": [("activity_type", "competence", "its compétences professionnelles"),
             ("competence", "assessment_criterion", "its critères de performance"),
             ("competence", "knowledge", "its savoirs / savoir-faire")],
    "re": [("activity_type", "competence", "its compétences"),
           ("competence", "assessment_criterion", "its critères d'évaluation")],
    "but_referentiel": [("competence", "level", "its niveaux"),
                        ("level", "learning_outcome", "its apprentissages critiques")],
}


@dataclass
class Finding:
    code: str
    message: str
    pages: list[int] = field(default_factory=list)
    nodes: list[str] = field(default_factory=list)
    missing: float = 0.0  # nodes estimated missing from the output
    wrong: float = 0.0  # output nodes estimated wrong (key, parent or text)
    hard: bool = False  # a doubt whatever its size: the evidence cannot measure the damage
    node_confidence: float | None = None  # for the nodes named
    note: bool = False  # informative: the document's own inconsistency, not a reading error


class Tree:
    """Parent/child lookups over a Referential as plain data."""

    def __init__(self, ref: dict[str, Any]) -> None:
        self.ref = ref
        self.doc_key = ref["doc_key"]
        self.nodes = [n for n in ref.get("nodes", []) if n["node_type"] != "residual"]
        self.by_key = {n["node_key"]: n for n in ref.get("nodes", [])}
        self.children: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for n in self.nodes:
            self.children[n.get("parent_key")].append(n)
        for kids in self.children.values():
            kids.sort(key=lambda n: n["position"])
        self._size: dict[str, int] = {}

    def subtree(self, key: str) -> int:
        """The node and its descendants."""
        if key not in self._size:
            self._size[key] = 1 + sum(self.subtree(c["node_key"]) for c in self.children.get(key, []))
        return self._size[key]

    def short(self, key: str) -> str:
        return key[len(self.doc_key) + 1:] if key.startswith(self.doc_key + "/") else key

    def with_descendants(self, keys: Iterable[str]) -> list[str]:
        """The keys and those of every node under them: what a misplaced parent takes along."""
        out: list[str] = []
        stack = list(keys)[::-1]
        while stack:
            key = stack.pop()
            out.append(key)
            stack += [c["node_key"] for c in self.children.get(key, [])][::-1]
        return list(dict.fromkeys(out))

    def later_ordinal_keys(self, node: dict[str, Any]) -> list[str]:
        """Nodes whose ordinal key shifts if this one is added or removed: later siblings of its
        type without a printed code, with their subtrees."""
        if node.get("codes"):
            return []
        sibs = [s for s in self.children.get(node.get("parent_key"), [])
                if s["node_type"] == node["node_type"] and s["position"] > node["position"] and not s.get("codes")]
        return self.with_descendants(s["node_key"] for s in sibs)

    def later_ordinal_siblings(self, node: dict[str, Any]) -> int:
        return len(self.later_ordinal_keys(node))

    def mean_children(self, parent_type: str, child_type: str) -> float:
        """How many children of a type the parents that have some carry (at least 1)."""
        counts = [sum(1 for c in self.children.get(n["node_key"], []) if c["node_type"] == child_type)
                  for n in self.nodes if n["node_type"] == parent_type]
        counts = [c for c in counts if c]
        return max(1.0, sum(counts) / len(counts)) if counts else 1.0

    def mean_subtree(self, node_type: str) -> float:
        sizes = [self.subtree(n["node_key"]) for n in self.nodes if n["node_type"] == node_type]
        return sum(sizes) / len(sizes) if sizes else 1.0


def _pages(nodes: Iterable[dict[str, Any]]) -> list[int]:
    return sorted({p for n in nodes for p in (n.get("prov") or {}).get("pages", [])})


def _names(tree: Tree, nodes: Iterable[dict[str, Any]], limit: int = 6) -> str:
    keys = [tree.short(n["node_key"]) for n in nodes]
    return ", ".join(keys[:limit]) + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


# ---------------------------------------------------------------- the family's shape


def grammar(tree: Tree, kind: str) -> list[Finding]:
    """Nodes under a parent their family does not allow, and node types the family cannot do
    without: such a node's key, and its descendants' keys, are wrong."""
    rules = GRAMMAR.get(kind)
    if rules is None:
        return []
    out: list[Finding] = []
    misplaced: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for n in tree.nodes:
        parent = tree.by_key.get(n.get("parent_key") or "")
        ptype = parent["node_type"] if parent else None
        allowed = rules.get(n["node_type"])
        if allowed is None or ptype not in allowed:
            misplaced[(n["node_type"], ptype)].append(n)
    for (ntype, ptype), nodes in misplaced.items():
        allowed = rules.get(ntype)
        where = "at the top level" if ptype is None else f"under {ptype}"
        expected = ("is not a node type of this family" if allowed is None else
                    "belongs " + " or ".join("at the top level" if a is None else f"under {a}" for a in sorted(allowed, key=str)))
        out.append(Finding(
            "misplaced_nodes",
            f"{len(nodes)} {ntype} node(s) {where}: {ntype} {expected} ({_names(tree, nodes)})",
            pages=_pages(nodes), nodes=tree.with_descendants(n["node_key"] for n in nodes),
            wrong=sum(tree.subtree(n["node_key"]) for n in nodes), node_confidence=0.2))
    present = Counter(n["node_type"] for n in tree.nodes)
    for ntype in REQUIRED.get(kind, ()):
        if not present[ntype]:
            out.append(Finding("missing_node_type", f"no {ntype} node: a {kind} référentiel prints them",
                               hard=True))
    return out


def required_children(tree: Tree, kind: str) -> list[Finding]:
    """Parents that lack the children every one of them has in the family (a REAC CP without its
    critères, a BUT level without apprentissages critiques, an RNCP bloc without compétences)."""
    out: list[Finding] = []
    for ptype, ctype, what in CHILDREN.get(kind, []):
        parents = [n for n in tree.nodes if n["node_type"] == ptype]
        if not parents or not any(n["node_type"] == ctype for n in tree.nodes):
            continue  # the type is absent altogether: missing_node_type says it
        lacking = [p for p in parents
                   if not any(c["node_type"] == ctype for c in tree.children.get(p["node_key"], []))]
        if lacking:
            # each missing child takes its own children with it (a BUT level its ACs)
            mean = tree.mean_children(ptype, ctype) * tree.mean_subtree(ctype)
            where = sorted({p for n in lacking for p in _where_children_go(tree, parents, n, ctype)})
            out.append(Finding(
                "missing_children",
                f"{len(lacking)} of {len(parents)} {ptype} node(s) have no {ctype} ({what} were not read"
                + (f", expected about page(s) {', '.join(map(str, where))}" if where else "") + f"): {_names(tree, lacking)}",
                pages=sorted(set(_pages(lacking)) | set(where)), nodes=[p["node_key"] for p in lacking],
                missing=mean * len(lacking), node_confidence=0.6))
    return out


def usual_children(tree: Tree, kind: str) -> list[Finding]:
    """Children a document gives nearly every node of a type (three in four, over four of them
    at least) and a few lack: those few lost theirs, most likely to a neighbour that took them
    (criteria read under the competence above). The family's own rules are in CHILDREN."""
    known = {(p, c) for p, c, _ in CHILDREN.get(kind, [])}
    kinds: dict[str, set[str]] = defaultdict(set)
    for n in tree.nodes:
        parent = tree.by_key.get(n.get("parent_key") or "")
        if parent is not None:
            kinds[parent["node_type"]].add(n["node_type"])
    out = []
    for ptype, ctypes in kinds.items():
        parents = [n for n in tree.nodes if n["node_type"] == ptype]
        for ctype in sorted(ctypes):
            if (ptype, ctype) in known or len(parents) < 4:
                continue
            lacking = [p for p in parents if not any(c["node_type"] == ctype for c in tree.children.get(p["node_key"], []))]
            if not lacking or len(parents) - len(lacking) < 0.75 * len(parents):
                continue
            where = sorted({pg for n in lacking for pg in _where_children_go(tree, parents, n, ctype)})
            out.append(Finding(
                "missing_children",
                f"{len(lacking)} of {len(parents)} {ptype} node(s) have no {ctype}, which the others have: "
                f"{_names(tree, lacking)}", pages=sorted(set(_pages(lacking)) | set(where)),
                nodes=[p["node_key"] for p in lacking],
                missing=len(lacking) * tree.mean_children(ptype, ctype) * tree.mean_subtree(ctype), node_confidence=0.6))
    return out


def _where_children_go(tree: Tree, parents: list[dict[str, Any]], lacking: dict[str, Any], ctype: str) -> list[int]:
    """Pages where a parent's missing children would be printed: after the children of the
    parent before it, up to the first child of the parent after it (at most five pages)."""
    def child_pages(p: dict[str, Any]) -> list[int]:
        return _pages(c for c in tree.children.get(p["node_key"], []) if c["node_type"] == ctype)

    i = parents.index(lacking)
    before = [pg for p in parents[:i] for pg in child_pages(p)]
    after = [pg for p in parents[i + 1:] for pg in child_pages(p)]
    lo = max(before) if before else (min(after) if after else None)
    hi = min(after) if after else lo
    if lo is None or hi is None or hi < lo or hi - lo > 4:
        return []
    return list(range(lo, hi + 1))


def assessed(tree: Tree, kind: str) -> list[Finding]:
    """Every RNCP / RE competence is assessed: by a criterion of its own, by an assessment
    modality (`assesses`), or, when a bloc's criteria are not paired with competences, by those."""
    if kind not in ("rncp_referentiel", "re"):
        return []
    targets = {r["dest_key"] for r in tree.ref.get("relations", []) if r["type"] == "assesses"}
    if kind == "re" and not any(n["node_type"] == "assessment_modality" for n in tree.nodes):
        return []  # no modality at all: missing_node_type already says it
    unassessed = []
    for n in tree.nodes:
        if n["node_type"] != "competence":
            continue
        own = any(c["node_type"] == "assessment_criterion" for c in tree.children.get(n["node_key"], []))
        bloc_wide = any(c["node_type"] == "assessment_criterion"
                        for c in tree.children.get(n.get("parent_key"), []))
        # An RE assesses every competence twice: criteria of table 3.2, a modality of table 3.1.
        assessed_here = (own and n["node_key"] in targets) if kind == "re" else (
            own or n["node_key"] in targets or bloc_wide)
        if not assessed_here:
            unassessed.append(n)
    if not unassessed:
        return []
    return [Finding(
        "unassessed_competences",
        f"{len(unassessed)} competence(s) not assessed ("
        + ("criteria of table 3.2 and a modality of table 3.1 each" if kind == "re" else "no criterion, no modality")
        + f"): {_names(tree, unassessed)}",
        pages=_pages(unassessed), nodes=[n["node_key"] for n in unassessed],
        missing=len(unassessed) * tree.mean_children("competence", "assessment_criterion"), node_confidence=0.6)]


# ---------------------------------------------------------------- codes

_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def _series(code: str) -> tuple[str, int] | None:
    """('C1.#', 3) for 'C1.3': the code with its last number taken out, and that number."""
    m = _LAST_NUMBER.search(code)
    if not m:
        return None
    return code[: m.start()] + "#" + code[m.end():], int(m.group(1))


def _printed_code(n: dict[str, Any]) -> str | None:
    for c in n.get("codes", []):
        if c.get("scheme") != "derived":
            return re.sub(r"\s+", "", c["value"]).rstrip(".")
    return None


def code_sequences(tree: Tree, printed: str) -> list[Finding]:
    """Printed codes of one type and series run 1, 2, 3… without a gap or a repeat under a parent.

    A series runs across the document (REAC CP 1…8 over two activity types) unless it restarts
    under each parent (BUT "AC 1" at every level); then each parent's run starts where the others do.
    A code missing from its series is a reading error when the document prints it somewhere
    (`printed`: the document's text) or when the gap falls where pages meet (a page was lost);
    otherwise the document itself skips it, which is a note, not a doubt on the reading."""
    out: list[Finding] = []
    groups: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for n in tree.nodes:
        code = _printed_code(n)
        s = _series(code) if code else None
        if s:
            groups[(n["node_type"], s[0])].append((s[1], n))
    printed_codes = set(re.findall(r"[^\s,;:()«»]+", printed))
    for (ntype, series), members in groups.items():
        by_parent: dict[str | None, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for num, n in members:
            by_parent[n.get("parent_key")].append((num, n))
        dups = []
        for kids in by_parent.values():
            count = Counter(num for num, _ in kids)
            dups += [n for num, n in kids if count[num] > 1]
        if dups:
            out.append(Finding(
                "duplicate_codes",
                f"{ntype} codes printed twice under one parent in series {series}: {_names(tree, dups)}",
                pages=_pages(dups), nodes=[n["node_key"] for n in dups], wrong=len(dups) / 2, node_confidence=0.5))
        overall = Counter(num for num, _ in members)
        restarts = len(by_parent) > 1 and any(c > 1 for c in overall.values())
        runs = list(by_parent.values()) if restarts else [members]
        starts = Counter(min(num for num, _ in run) for run in runs)
        usual_start = starts.most_common(1)[0][0] if restarts else None
        gaps: list[tuple[int, list[dict[str, Any]]]] = []
        for run in runs:
            numbers = {num for num, _ in run}
            lo = min(numbers) if usual_start is None else min(usual_start, min(numbers))
            missing = sorted(set(range(lo, max(numbers) + 1)) - numbers)
            if len(missing) > 2 * len(numbers):
                continue  # not a numbered series (years, arbitrary numbers)
            ordered = sorted(run, key=lambda m: m[0])
            for num in missing:
                before = [n for k, n in ordered if k < num][-1:]
                after = [n for k, n in ordered if k > num][:1]
                gaps.append((num, before + after))
        if not gaps:
            continue
        found: dict[str, list[tuple[str, list[dict[str, Any]], list[int]]]] = defaultdict(list)
        for num, neighbours in gaps:
            code = series.replace("#", str(num))
            spelled = {series.replace("#", f"{num:0{w}d}") for w in (1, 2, 3)}
            pages = [_pages(neighbours[:1])[-1:], _pages(neighbours[1:])[:1]] if len(neighbours) == 2 else [[], []]
            if any(c in printed_codes or c + "." in printed_codes for c in spelled):
                found["printed"].append((code, neighbours, _pages(neighbours)))
            elif pages[0] and pages[1] and pages[1][0] > pages[0][0]:
                found["break"].append((code, neighbours, pages[0] + pages[1]))
            else:
                found["silent"].append((code, neighbours, _pages(neighbours)))
        size = tree.mean_subtree(ntype)
        for kind, label in (("printed", "printed in the document but not read"),
                            ("break", "missing where two pages meet (a page may be lost)"),
                            ("silent", "not printed: the document skips it")):
            items = found.get(kind)
            if not items:
                continue
            is_note = kind == "silent"
            out.append(Finding(
                "code_skipped" if is_note else "code_gap",
                f"{ntype} {', '.join(c for c, _, _ in items)} {label} (series {series})",
                pages=sorted({p for _, _, ps in items for p in ps}),
                nodes=[n["node_key"] for _, ns, _ in items for n in ns],
                missing=0.0 if is_note else size * len(items), note=is_note,
                node_confidence=None if is_note else 0.8))
    out += _mixed_series(tree, groups)
    return out


def _lead(code: str) -> int | None:
    """The leading number of a hierarchical code ("C2.3" -> 2); None for a flat one ("C12")."""
    nums = re.findall(r"\d+", code)
    return int(nums[0]) if len(nums) >= 2 else None


def _mixed_series(tree: Tree, groups: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]]) -> list[Finding]:
    """Children of one parent whose hierarchical codes lead with different numbers ("C1.2" and
    "C2.1" in one bloc): the parents they belong to were not told apart."""
    out = []
    leads: dict[tuple[str | None, str], dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for (ntype, _series_), members in groups.items():
        for _, n in members:
            lead = _lead(_printed_code(n) or "")
            if lead is not None and n.get("parent_key"):
                leads[(n["parent_key"], ntype)][lead].append(n)
    for (parent, ntype), by_lead in leads.items():
        if len(by_lead) < 2:
            continue
        nodes = [n for ns in by_lead.values() for n in ns]
        main = max(len(ns) for ns in by_lead.values())
        out.append(Finding(
            "mixed_code_series",
            f"{tree.short(parent)} holds {ntype} nodes whose codes lead with {len(by_lead)} numbers "
            f"({', '.join(str(k) for k in sorted(by_lead))}): the parents they belong to were not told apart",
            pages=_pages(nodes), nodes=[parent, *tree.with_descendants(n["node_key"] for n in nodes)],
            wrong=sum(tree.subtree(n["node_key"]) for ns in by_lead.values() if len(ns) < main for n in ns)
            or sum(tree.subtree(n["node_key"]) for n in nodes) / 2, node_confidence=0.3))
    return out


def announced_blocs(tree: Tree, kind: str, printed: str) -> list[Finding]:
    """"composée de 4 blocs de compétences", "l'ensemble des 5 blocs": the count the document
    announces, against the blocs read. A shortfall is a reading error when the missing bloc's
    number is printed as a bloc ("Bloc 5", "BC05"), else the document's own inconsistency."""
    if kind not in ("rncp_referentiel", "rncp_fiche"):
        return []
    words = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
             "neuf": 9, "dix": 10, "onze": 11, "douze": 12}
    t = normalize_text(printed).lower()
    found = set()
    for m in re.finditer(r"\b(\d{1,2}|" + "|".join(words) + r")\s+blocs?\b(?:\s+de\s+comp[ée]tences?)?", t):
        v = m.group(1)
        found.add(int(v) if v.isdigit() else words[v])
    if len(found) != 1:
        return []  # nothing announced, or several counts: nothing to check against
    announced = found.pop()
    blocs = [n for n in tree.nodes if n["node_type"] == "block"]
    if not blocs or announced == len(blocs):
        return []
    numbers = {s[1] for n in blocs for s in [_series(_printed_code(n) or "")] if s}
    absent = [k for k in range(1, announced + 1) if k not in numbers]
    shown = [k for k in absent if re.search(rf"\bbloc\s*(?:de\s+comp[ée]tences\s*)?(?:n\s*°\s*)?0?{k}\b|bc0?{k}\b", t)]
    size = tree.mean_subtree("block")
    if announced > len(blocs) and shown:
        return [Finding("announced_count", f"the document announces {announced} blocs and prints bloc(s) "
                        f"{', '.join(map(str, shown))}, but {len(blocs)} were read",
                        nodes=[n["node_key"] for n in blocs], missing=size * (announced - len(blocs)))]
    return [Finding("announced_count", f"the document announces {announced} blocs; {len(blocs)} are printed and read",
                    nodes=[n["node_key"] for n in blocs], note=True)]


# ---------------------------------------------------------------- text


_PAGE_NUMBER = re.compile(r"^(page\s*)?\d{1,4}(\s*(/|sur|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.I)
_URL_LINE = re.compile(r"^(https?://|www\.)\S+$", re.I)


def furniture_text(tree: Tree, furniture_lines: Iterable[str]) -> list[Finding]:
    """Node lines that are page furniture: a page number, a URL alone on its line, a line the
    document prints as furniture elsewhere (running header), or one made of the words of its
    footer cells (a footer table read on a page where it sits at another height)."""
    from extract.coverage import squash

    furniture_lines = list(furniture_lines)
    shapes = {re.sub(r"\d+", "#", squash(t)) for t in furniture_lines if len(squash(t)) >= 4}
    words = {re.sub(r"\d+", "#", squash(w)) for t in furniture_lines for w in t.split()} - {"", "#"}
    hits = []
    for n in tree.nodes:
        for line in (n.get("text") or "").split("\n"):
            s = line.strip()
            if not s:
                continue
            tokens = [re.sub(r"\d+", "#", squash(w)) for w in s.split()]
            tokens = [t for t in tokens if t]
            footer_words = len(tokens) >= 4 and sum(t in words or t == "#" for t in tokens) >= 0.8 * len(tokens)
            if (_PAGE_NUMBER.match(s) or _URL_LINE.match(s) or re.sub(r"\d+", "#", squash(s)) in shapes
                    or footer_words):
                hits.append((n, s))
                break
    if not hits:
        return []
    nodes = [n for n, _ in hits]
    return [Finding(
        "furniture_in_nodes",
        f"{len(hits)} node(s) hold a line of page furniture (page number, URL, running header or footer): "
        + "; ".join(f"{tree.short(n['node_key'])}: {s[:60]!r}" for n, s in hits[:4]),
        pages=_pages(nodes), nodes=list(dict.fromkeys(k for n in nodes for k in [n["node_key"], *tree.later_ordinal_keys(n)])),
        wrong=sum(1 + tree.later_ordinal_siblings(n) for n in nodes), node_confidence=0.3)]


_PRONOUNS = {"se", "s", "me", "m", "te", "t", "ne"}


def _infinitive(statement: str) -> bool:
    """Does the statement open with a French infinitive (the form of every compétence and
    apprentissage critique: "Réaliser…", "S'assurer…", "Co-construire…")?"""
    t = unicodedata.normalize("NFKD", normalize_text(statement).lower())
    t = "".join(c for c in t if not unicodedata.combining(c))
    words = re.findall(r"[a-z]+(?:-[a-z]+)*", t)
    while words and words[0] in _PRONOUNS:
        words = words[1:]
    return bool(words) and bool(re.search(r"(er|ir|re|oir)$", words[0]))


def statement_form(tree: Tree) -> list[Finding]:
    """Compétences and apprentissages critiques are phrased as actions. When most of a
    document's are not, the column read as competences holds something else (columns swapped,
    a header read as another)."""
    out = []
    for ntype in ("competence", "learning_outcome"):
        nodes = [n for n in tree.nodes if n["node_type"] == ntype and (n.get("title") or n.get("text"))]
        if len(nodes) < 3:
            continue
        odd = [n for n in nodes if not _infinitive(n.get("title") or n.get("text") or "")]
        if len(odd) * 2 > len(nodes):
            out.append(Finding(
                "statements_not_competences",
                f"{len(odd)} of {len(nodes)} {ntype} statements do not open with a verb in the infinitive, "
                f"as a compétence does: what was read as {ntype} is something else ({_names(tree, odd, 4)})",
                pages=_pages(odd), nodes=tree.with_descendants(n["node_key"] for n in odd),
                wrong=sum(tree.subtree(n["node_key"]) for n in odd), node_confidence=0.2))
        elif odd:
            out.append(Finding(
                "odd_statements", f"{len(odd)} {ntype} statement(s) not opening with an infinitive: {_names(tree, odd, 4)}",
                pages=_pages(odd), nodes=[n["node_key"] for n in odd], note=True, node_confidence=0.8))
    return out


def _opening(n: dict[str, Any]) -> str:
    s = (n.get("title") or n.get("text") or "").lstrip(" \"'«»“(-–—•")
    return s[:1]


def mid_sentence(tree: Tree) -> list[Finding]:
    """Nodes that open in lower case where their type, in this document, opens with a capital:
    the rest of a statement whose start was not read (a page lost, a cell cut by a page break
    read as a new node). Types that open in lower case by form (BUT "en …" composantes) are left."""
    out = []
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in tree.nodes:
        if _opening(n).isalpha():
            by_type[n["node_type"]].append(n)
    for ntype, nodes in by_type.items():
        low = [n for n in nodes if _opening(n).islower()]
        if not low or len(nodes) < 3 or 2 * len(low) >= len(nodes):
            continue
        out.append(Finding(
            "starts_mid_sentence",
            f"{len(low)} {ntype} node(s) open in lower case, as the rest of a statement whose start was not read: "
            + "; ".join(f"{tree.short(n['node_key'])}: {(n.get('title') or n.get('text') or '')[:50]!r}" for n in low[:3]),
            pages=_pages(low), nodes=list(dict.fromkeys(k for n in low for k in [n["node_key"], *tree.later_ordinal_keys(n)])),
            wrong=sum(1 + tree.later_ordinal_siblings(n) for n in low), node_confidence=0.4))
    return out


def cross_references(tree: Tree, diagnostics: Iterable[dict[str, Any]]) -> list[Finding]:
    """What the document says of itself elsewhere and the parser could not find: an RE's table
    3.1 names competences that its table 3.2 does not hold; a REAC's synoptic table lists more
    CP than it has fiches. The parsers report them as diagnostics; here they are sized."""
    out = []
    named: set[str] = set()
    synoptic = None
    for d in diagnostics:
        if d.get("code") == "unknown_evaluated_competence":
            named.add(d["message"].split(" is listed", 1)[0])
        elif d.get("code") == "synoptic_count":
            m = re.search(r"lists (\d+) CP, the document has (\d+)", d["message"])
            if m:
                synoptic = (int(m.group(1)), int(m.group(2)))
    if named:
        out.append(Finding(
            "evaluated_competences_not_read",
            f"{len(named)} competence(s) named as evaluated are not among those read: {', '.join(sorted(named)[:4])}",
            missing=len(named) * tree.mean_subtree("competence")))
    if synoptic and synoptic[0] > synoptic[1]:
        out.append(Finding(
            "fiches_not_read",
            f"the synoptic table lists {synoptic[0]} compétences professionnelles, {synoptic[1]} fiches were read",
            missing=(synoptic[0] - synoptic[1]) * tree.mean_subtree("competence")))
    return out


def unnamed_categories(tree: Tree, kind: str) -> list[Finding]:
    """REAC savoirs whose group the combined heading names no category for (category `other`):
    FAMILIES.md gives such a group the category under which the other CPs print the same lines,
    so `other` is a category not found."""
    if kind != "reac":
        return []
    other = [n for n in tree.nodes if n["node_type"] == "knowledge" and n.get("category") == "other"]
    if not other:
        return []
    return [Finding(
        "knowledge_category_unknown",
        f"{len(other)} savoir(s) in groups the heading names no category for (kept as 'other'): "
        f"{_names(tree, other, 4)}", pages=_pages(other), nodes=[n["node_key"] for n in other],
        wrong=len(other), node_confidence=0.5)]


def _top(tree: Tree, n: dict[str, Any]) -> str:
    while n.get("parent_key") and n["parent_key"] in tree.by_key:
        n = tree.by_key[n["parent_key"]]
    return n["node_key"]


def uncoded_among_coded(tree: Tree) -> list[Finding]:
    """A document that prints a code on nearly every node of a type (four in five, five at least)
    prints it on all: the uncoded ones are pieces of coded nodes read apart (a cell cut at a page
    break, a column read across its neighbour)."""
    out = []
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n in tree.nodes:
        by_type[n["node_type"]].append(n)
    for ntype, nodes in by_type.items():
        coded = [n for n in nodes if _printed_code(n)]
        bare = [n for n in nodes if not _printed_code(n)]
        if not bare or len(coded) < 5 or len(coded) < 0.8 * len(nodes):
            continue
        out.append(Finding(
            "uncoded_pieces",
            f"{len(bare)} of {len(nodes)} {ntype} nodes carry no code where the others print one: "
            + "; ".join(f"{tree.short(n['node_key'])}: {(n.get('title') or n.get('text') or '')[:40]!r}" for n in bare[:3]),
            pages=_pages(bare), nodes=tree.with_descendants(n["node_key"] for n in bare),
            wrong=sum(tree.subtree(n["node_key"]) for n in bare), node_confidence=0.3))
    return out


def consistent_layout(tree: Tree) -> list[Finding]:
    """A document lays out all its blocs (activity types, compétences) alike: where a node type
    may hang under two parent types (RNCP criteria under their competence, or under the bloc when
    competences are not paired with rows), the blocs that do otherwise than nearly all the others
    were read in another way, and the keys of those nodes follow from that reading."""
    out = []
    # per (node type, type of its top-level part): how each part holds those nodes
    by_type: dict[tuple[str, str], dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for n in tree.nodes:
        parent = tree.by_key.get(n.get("parent_key") or "")
        if parent is not None:
            top = _top(tree, n)
            by_type[(n["node_type"], tree.by_key[top]["node_type"])][top][parent["node_type"]] += 1
    for (ntype, _), tops in by_type.items():
        patterns = Counter(max(c, key=lambda k: c[k]) for c in tops.values())
        if len(patterns) < 2 or len(tops) < 3:
            continue
        usual, count = patterns.most_common(1)[0]
        if count < 0.75 * len(tops):
            continue  # no layout most blocs share
        odd = [top for top, c in tops.items() if max(c, key=lambda k: c[k]) != usual]
        nodes = [n for n in tree.nodes if n["node_type"] == ntype and _top(tree, n) in odd]
        out.append(Finding(
            "inconsistent_layout",
            f"{ntype} nodes hang under a {usual} in {count} of {len(tops)} top-level parts, otherwise in "
            f"{', '.join(tree.short(t) for t in odd[:4])}: that part was read another way",
            pages=_pages(nodes), nodes=[*odd, *[n["node_key"] for n in nodes]], wrong=len(nodes), node_confidence=0.4))
    return out


def check_all(ref: dict[str, Any], printed: str, furniture_lines: Iterable[str]) -> list[Finding]:
    tree = Tree(ref)
    kind = ref["doc_kind"]
    return [*grammar(tree, kind), *required_children(tree, kind), *usual_children(tree, kind), *assessed(tree, kind),
            *code_sequences(tree, printed), *announced_blocs(tree, kind, printed),
            *furniture_text(tree, furniture_lines), *statement_form(tree), *mid_sentence(tree),
            *cross_references(tree, ref.get("diagnostics", [])), *unnamed_categories(tree, kind),
            *consistent_layout(tree), *uncoded_among_coded(tree)]
