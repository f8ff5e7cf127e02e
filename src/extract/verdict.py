"""The verdict on one output, from evidence in the document itself: can a data team use it as is?

- `ok`: every check holds, or what fails puts at most one node in twenty at risk;
- `needs_review`: the reasons say what is doubtful, with the pages and nodes to look at;
- `not_a_referential`: the document is not a référentiel of any family (no output is written);
- `failed`: the file could not be read (set by the pipeline).

The evidence: the classification margin; where each page's printed text went (coverage.py);
residual nodes; the family's invariants over the records (invariants.py); pages the reader lost
(unreadable, text only as an image, printed page numbers that jump); and, across the documents
of one run, agreement between documents that print the same content (an RE and its REAC).

Each finding estimates how many nodes it puts at risk (missing from the output, or wrong in it);
the document's confidence is the estimated share of right nodes, and the verdict is `needs_review`
above one wrong node in twenty (the accuracy a data team is promised) or on a doubt whose size
the evidence cannot measure (a page that could not be read).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from extract.classify import Classification
from extract.coverage import PageCoverage, page_coverage, squash
from extract.document import Document
from extract.invariants import Finding, Tree, check_all
from extract.schema import PageCoverageRecord, Reason, Referential, Verdict
from extract.text import normalize_text

# At most one node in twenty may be wrong in an output called ok.
TOLERANCE = 1 / 20
# Families whose nodes come from one run of pages (FAMILIES.md): a page inside that run without
# nodes lost its content. An RE reads tables 3.1 and 3.2 only, with other chapters between them.
CONTIGUOUS = {"rncp_referentiel", "rncp_fiche", "reac", "but_referentiel"}
# Confidence of an output whose doubt cannot be measured (a page lost, a parser that failed).
UNMEASURED = 0.5


def _pages_text(pages: Iterable[int]) -> str:
    ps = sorted(set(pages))
    if not ps:
        return ""
    runs: list[list[int]] = [[ps[0], ps[0]]]
    for p in ps[1:]:
        if p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def _node_chars(tree: Tree) -> float:
    """Mean printed size of a classified node: converts lost text into nodes at risk."""
    sizes = [len(squash((n.get("title") or "") + " " + (n.get("text") or ""))) for n in tree.nodes]
    sizes = [s for s in sizes if s]
    return max(20.0, sum(sizes) / len(sizes)) if sizes else 200.0


# ---------------------------------------------------------------- evidence from the pages


def page_findings(doc: Document, tree: Tree, coverage: list[PageCoverage], kind: str) -> list[Finding]:
    out: list[Finding] = []
    per_node = _node_chars(tree)
    node_pages = sorted({p for n in tree.nodes for p in (n.get("prov") or {}).get("pages", [])})
    first, last = (node_pages[0], node_pages[-1]) if node_pages else (0, -1)
    printed_node_pages = [c.printed for c in coverage if c.page in node_pages and c.printed]
    typical = sorted(printed_node_pages)[len(printed_node_pages) // 2] if printed_node_pages else 0
    nodes_per_page = len(tree.nodes) / max(1, len(node_pages))

    for pr in doc.problems:
        if pr.code == "page_unreadable":
            out.append(Finding("page_unreadable", pr.message, pages=[pr.page], missing=nodes_per_page, hard=True))
        elif pr.code == "image_without_text":
            inside = first < pr.page < last
            out.append(Finding("page_as_image", pr.message + ("" if inside else " (outside the pages read as the référentiel)"),
                               pages=[pr.page], missing=nodes_per_page if inside else 0.0, hard=inside, note=not inside))
        else:
            out.append(Finding(pr.code, pr.message, pages=[pr.page], note=True))

    out += _label_gaps(doc, nodes_per_page, first, last)

    lost_pages = [c for c in coverage if c.lost >= max(0.5 * per_node, 0.05 * max(1, c.in_band))]
    if lost_pages:
        lost = sum(c.lost for c in lost_pages)
        out.append(Finding(
            "text_in_no_node",
            "printed text inside the read part of the page landed in no node: "
            + "; ".join(f"page {c.page} ({c.lost} of {c.in_band} characters, e.g. {c.lost_lines[0][:60]!r})"
                        for c in lost_pages[:5]) + (f" and {len(lost_pages) - 5} more page(s)" if len(lost_pages) > 5 else ""),
            pages=[c.page for c in lost_pages],
            nodes=[n["node_key"] for n in tree.nodes if set((n.get("prov") or {}).get("pages", [])) & {c.page for c in lost_pages}][:50],
            missing=lost / per_node, node_confidence=0.8))

    if kind in CONTIGUOUS and node_pages:
        blank = [p.number for p in doc.pages if first < p.number < last and not p.words
                 and p.number not in doc.image_pages and not any(pr.page == p.number for pr in doc.problems)]
        for number in blank:
            # A blank page between pages of the référentiel is often on purpose (a fiche ends on an
            # odd page); not when the page after it opens in the middle of a statement.
            cut = [n for n in tree.nodes if _opens_lower(n) and number + 1 in (n.get("prov") or {}).get("pages", [])[:1]]
            if cut:
                out.append(Finding(
                    "blank_page_in_referential",
                    f"page {number} is blank between pages of the référentiel, and page {number + 1} opens in the middle "
                    f"of a statement ({tree.short(cut[0]['node_key'])}): its content is missing",
                    pages=[number, number + 1], nodes=[n["node_key"] for n in cut], missing=nodes_per_page, hard=True))
            else:
                out.append(Finding("blank_page", f"page {number} is blank between pages of the référentiel",
                                   pages=[number], note=True))
        empty = [c for c in coverage if first < c.page < last and c.page not in node_pages
                 and c.printed >= max(per_node, 0.25 * typical) and not _is_reprint(c)]
        if empty:
            out.append(Finding(
                "page_without_nodes",
                f"page(s) {_pages_text(c.page for c in empty)} print text between pages {first} and {last}, "
                "where the référentiel is read, but hold no node",
                pages=[c.page for c in empty], missing=sum(c.printed for c in empty) / per_node))
    return out


def _opens_lower(n: dict[str, Any]) -> bool:
    s = (n.get("title") or n.get("text") or "").lstrip(" \"'«»“(-–—•")
    return s[:1].isalpha() and s[:1].islower()


def _is_reprint(c: PageCoverage) -> bool:
    """A page whose text the output holds elsewhere (an overview, a synoptic table)."""
    return c.printed > 0 and (c.classified + c.outside - c.lost) >= 0.9 * c.printed and c.lost == 0 and c.residual == 0


def _label_gaps(doc: Document, nodes_per_page: float, first: int, last: int) -> list[Finding]:
    """Printed page numbers that jump ahead of the physical pages: pages missing from the file.

    A page number is `label - physical page`, an offset; a jump counts when the offset is steady
    before and after it (a stray number read as a label, "600" hours, moves it once, not for good)."""
    labelled = sorted((p, int(v)) for p, v in doc.labels.items() if str(v).isdigit())
    offsets = [label - page for page, label in labelled]
    out = []
    for i in range(len(labelled) - 1):
        (p0, l0), (p1, l1) = labelled[i], labelled[i + 1]
        skipped = offsets[i + 1] - offsets[i]
        steady_before = i == 0 or offsets[i - 1] == offsets[i]
        steady_after = i + 2 >= len(labelled) or offsets[i + 2] == offsets[i + 1]
        if not (0 < skipped <= doc.page_count and steady_before and steady_after and len(labelled) >= 3):
            continue
        missing = ", ".join(str(k) for k in range(l0 + (p1 - p0), l1)) if skipped <= 5 else f"{skipped} pages"
        inside = first <= p0 and p1 <= last
        out.append(Finding(
            "printed_pages_missing",
            f"the printed page numbers jump from {l0} (page {p0}) to {l1} (page {p1}): printed page(s) {missing} "
            "are not in the file" + ("" if inside else " (outside the pages read as the référentiel)"),
            pages=[p0, p1], missing=nodes_per_page * skipped if inside else 0.0, hard=inside, note=not inside))
    return out


def residual_findings(ref: dict[str, Any], tree: Tree) -> list[Finding]:
    """Residual nodes: content the parser did not classify. Inside the pages read as the
    référentiel, each is at least one node missed; on pages outside them (a programme after
    the référentiel, a preamble), a note that they were not read as the référentiel."""
    residual = [n for n in ref.get("nodes", []) if n["node_type"] == "residual"]
    if not residual:
        return []
    node_pages = sorted({p for n in tree.nodes for p in (n.get("prov") or {}).get("pages", [])})
    first, last = (node_pages[0], node_pages[-1]) if node_pages else (None, None)

    def inside(n: dict[str, Any]) -> bool:
        pages = (n.get("prov") or {}).get("pages", [])
        return first is None or any(first <= p <= last for p in pages)

    # Heading lines of the layout kept as residual are not missed nodes, once nodes were read at all.
    headings = [n for n in residual if inside(n) and first is not None and _heading_like(n)]
    within = [n for n in residual if inside(n) and n not in headings]
    outside = [n for n in residual if not inside(n)]
    out = []
    if within:
        pages = sorted({p for n in within for p in (n.get("prov") or {}).get("pages", [])})
        where = "no node was classified" if first is None else f"inside pages {first}-{last}, where the référentiel is read"
        # A residual block is a printed paragraph the parser did not classify: a node the output misses.
        at_risk = float(len(within))
        out.append(Finding(
            "residual_content",
            f"{len(within)} residual node(s) on page(s) {_pages_text(pages)} ({where}): content not understood",
            pages=pages, nodes=[n["node_key"] for n in within[:50]], missing=at_risk))
    if headings:
        pages = sorted({p for n in headings for p in (n.get("prov") or {}).get("pages", [])})
        out.append(Finding(
            "residual_headings", f"{len(headings)} residual heading line(s) on page(s) {_pages_text(pages)}: "
            + "; ".join(repr((n.get("text") or "")[:50]) for n in headings[:4]),
            pages=pages, nodes=[n["node_key"] for n in headings[:50]], note=True))
    if outside:
        pages = sorted({p for n in outside for p in (n.get("prov") or {}).get("pages", [])})
        out.append(Finding(
            "pages_not_read_as_referential",
            f"{len(outside)} residual node(s) on page(s) {_pages_text(pages)}, outside pages {first}-{last} "
            "read as the référentiel: kept, not read as référentiel content",
            pages=pages, note=True))
    return out


def _heading_like(n: dict[str, Any]) -> bool:
    """One short line without a sentence end: a section heading of the layout, not a node."""
    text = (n.get("text") or "").strip()
    return "\n" not in text and 0 < len(text) <= 80 and not text.endswith((".", ";", ":", "!", "?")) and not n.get("items")


def diagnostic_findings(ref: dict[str, Any]) -> list[Finding]:
    out = []
    for d in ref.get("diagnostics", []):
        if d["level"] == "error":
            out.append(Finding(d["code"], d["message"].split("\n", 1)[0], pages=[d["page"]] if d.get("page") else [],
                               hard=True))
    return out


def classification_findings(cls: Classification) -> list[Finding]:
    margin = cls.confidence
    if margin < 0.1 and cls.kind != "unknown":
        ranked = sorted(cls.scores.items(), key=lambda kv: -kv[1])
        return [Finding("classification_margin",
                        f"read as {cls.kind}, but {ranked[1][0]} scores almost as high ({ranked[0][1]} vs {ranked[1][1]})",
                        note=True)]
    return []


# ---------------------------------------------------------------- the verdict


def decide(findings: list[Finding], tree: Tree, extra: dict[str, Any]) -> Verdict:
    reasons = [f for f in findings if not f.note]
    notes = [f for f in findings if f.note]
    classified = len(tree.nodes)
    missing = sum(f.missing for f in reasons)
    wrong = sum(f.wrong for f in reasons)
    share = min(1.0, (missing + wrong) / max(1.0, classified + missing))
    hard = any(f.hard for f in reasons)
    status = "needs_review" if hard or share > TOLERANCE or classified == 0 else "ok"
    confidence = round(1.0 - share, 3)
    if hard or classified == 0:
        confidence = min(confidence, UNMEASURED) if classified else 0.0
    if status == "ok":
        notes = reasons + notes  # below the tolerance: said, not a reason to stop
        reasons = []
    # Damage located on pages first, then by nodes at risk; a type missing altogether says least where.
    reasons.sort(key=lambda f: (not (f.hard and f.pages), -(f.missing + f.wrong), f.code == "missing_node_type"))
    return Verdict(
        status=status, confidence=confidence,
        reasons=[_reason(f) for f in reasons], notes=[_reason(f) for f in notes],
        evidence={"classified_nodes": classified, "estimated_missing": round(missing, 1),
                  "estimated_wrong": round(wrong, 1), "estimated_error_share": round(share, 3), **extra})


def _reason(f: Finding) -> Reason:
    return Reason(code=f.code, message=f.message, pages=sorted(set(f.pages)), nodes=list(dict.fromkeys(f.nodes))[:50],
                  nodes_at_risk=round(f.missing + f.wrong, 1), hard=f.hard, counts=not f.note)


def node_confidence(ref: dict[str, Any], findings: list[Finding], coverage: list[PageCoverage]) -> dict[str, float]:
    """Per node: 0 for residual content, 1 when no evidence touches it, lower when a finding names
    it (the finding's own figure) or its pages lost text."""
    conf: dict[str, float] = {n["node_key"]: (0.0 if n["node_type"] == "residual" else 1.0) for n in ref["nodes"]}
    for f in findings:
        if f.node_confidence is None:
            continue
        for key in f.nodes:
            if key in conf:
                conf[key] = min(conf[key], f.node_confidence)
    shares = {c.page: c.share for c in coverage if c.share is not None}
    for n in ref["nodes"]:
        pages = (n.get("prov") or {}).get("pages", [])
        low = [shares[p] for p in pages if p in shares and shares[p] < 0.95]
        if low and conf[n["node_key"]] > 0:
            conf[n["node_key"]] = min(conf[n["node_key"]], round(max(0.5, min(low)), 3))
    return conf


def assess(doc: Document, ref: Referential, cls: Classification) -> Verdict:
    """The verdict on `ref`, read from `doc`; sets each node's prov.confidence."""
    if cls.kind == "unknown":
        return Verdict(status="not_a_referential", confidence=0.0, reasons=[Reason(
            code="not_a_referential", message=not_a_referential_message(cls))],
            evidence={"classification_scores": str(cls.scores), "french": cls.french})
    data = ref.model_dump(mode="json")
    tree = Tree(data)
    node_pages = sorted({p for n in tree.nodes for p in (n.get("prov") or {}).get("pages", [])})
    run = (node_pages[0], node_pages[-1]) if node_pages and ref.doc_kind in CONTIGUOUS else None
    coverage = page_coverage(doc.pages, data, run=run)
    printed = "\n".join(ln.text for p in doc.pages for ln in doc.content_lines(p))
    from extract.docmodel.furniture import furniture_text_by_page

    furniture = _repeated_furniture(furniture_text_by_page(doc.pages), doc.page_count)
    findings = [
        *classification_findings(cls),
        *diagnostic_findings(data),
        *page_findings(doc, tree, coverage, ref.doc_kind),
        *residual_findings(data, tree),
        *check_all(data, printed, furniture),
    ]
    totals = {k: sum(getattr(c, k) for c in coverage) for k in ("printed", "classified", "residual", "lost", "outside")}
    band = totals["classified"] + totals["residual"] + totals["lost"]
    verdict = decide(findings, tree, {
        "classification_margin": cls.confidence,
        "residual_nodes": sum(1 for n in data["nodes"] if n["node_type"] == "residual"),
        "coverage": round(totals["classified"] / band, 3) if band else None,
        "printed_chars": totals["printed"], "lost_chars": totals["lost"],
    })
    verdict.coverage = [PageCoverageRecord(page=c.page, printed=c.printed, classified=c.classified,
                                           residual=c.residual, lost=c.lost, outside=c.outside, share=c.share)
                        for c in coverage]
    conf = node_confidence(data, findings, coverage)
    for n in ref.nodes:
        n.prov.confidence = conf.get(n.node_key, n.prov.confidence)
    return verdict


def _repeated_furniture(by_page: dict[int, list[str]], n_pages: int) -> list[str]:
    """Furniture lines whose shape (digits folded) is printed on at least three pages and half of
    them: running headers and footer tables, not a content line that happened to sit in a margin."""
    pages_of: dict[str, set[int]] = {}
    for page, lines in by_page.items():
        for t in lines:
            pages_of.setdefault(re.sub(r"\d+", "#", squash(t)), set()).add(page)
    need = max(3, (n_pages + 1) // 2)
    return [t for lines in by_page.values() for t in lines if len(pages_of[re.sub(r"\d+", "#", squash(t))]) >= need]


def not_a_referential_message(cls: Classification) -> str:
    best = max(cls.scores.items(), key=lambda kv: kv[1]) if cls.scores else ("", 0.0)
    if not cls.french:
        return "the text is not French: référentiels of French certifications are written in French"
    if best[1] <= 0:
        return "no phrase of any référentiel family (bloc de compétences, REAC, référentiel d'évaluation, BUT) is printed"
    return (f"too little of any référentiel family is printed (best: {best[0]}, score {best[1]}, "
            f"{cls.distinct.get(best[0], 0)} distinct signal(s))")


NOT_A_REFERENTIAL_HINT = (
    "This file is not read as a référentiel (RNCP référentiel or fiche, REAC, RE/RC, BUT). If it is one, "
    "its family is not recognised: report it with the file; otherwise remove it from the source.")


# ---------------------------------------------------------------- across documents


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[^\W_]+", normalize_text(text).lower()))


def similarity(a: str | None, b: str | None) -> float:
    """Dice coefficient of the word sets: 1 for the same wording, ~0.5 for a paraphrase."""
    wa, wb = _words(a), _words(b)
    return 2 * len(wa & wb) / (len(wa) + len(wb)) if wa and wb else 0.0


AGREE = 0.5  # below this, two statements are not the same one worded otherwise


def agreement(outputs: list[dict[str, Any]]) -> dict[str, list[Finding]]:
    """Findings per doc_key from documents of one run that print the same content: an RE (or RC)
    quotes the compétences and critères of the REAC of its titre and millésime. Its wording may
    differ (an RC paraphrases); a statement that matches none of the REAC's is misread."""
    out: dict[str, list[Finding]] = {}
    reacs = {d["doc_key"].split(":", 1)[1]: d for d in outputs if d.get("doc_kind") == "reac"}
    for d in outputs:
        if d.get("doc_kind") != "re":
            continue
        reac = reacs.get(d["doc_key"].split(":", 1)[1])
        if reac is None:
            continue
        tree, theirs = Tree(d), Tree(reac)
        cps = [n for n in theirs.nodes if n["node_type"] == "competence"]
        findings = []
        unmatched, foreign = [], []
        for comp in (n for n in tree.nodes if n["node_type"] == "competence"):
            title = comp.get("title") or comp.get("text")
            best = max(cps, key=lambda c: similarity(title, c.get("title") or c.get("text")), default=None)
            if best is None or similarity(title, best.get("title") or best.get("text")) < AGREE:
                unmatched.append(comp)
                continue
            known = [c.get("text") for c in theirs.children.get(best["node_key"], [])
                     if c["node_type"] == "assessment_criterion"]
            foreign += [c for c in tree.children.get(comp["node_key"], []) if c["node_type"] == "assessment_criterion"
                        and max((similarity(c.get("text"), k) for k in known), default=0.0) < AGREE]
        if unmatched:
            findings.append(Finding(
                "not_in_reac", f"{len(unmatched)} competence(s) match no compétence professionnelle of "
                f"{reac['doc_key']} (same titre and millésime): {', '.join(tree.short(n['node_key']) for n in unmatched[:5])}",
                pages=sorted({p for n in unmatched for p in n["prov"]["pages"]}),
                nodes=[n["node_key"] for n in unmatched],
                wrong=sum(tree.subtree(n["node_key"]) for n in unmatched), node_confidence=0.5))
        if foreign:
            findings.append(Finding(
                "criteria_not_in_reac", f"{len(foreign)} critère(s) d'évaluation match no critère de performance "
                f"of the same compétence in {reac['doc_key']}: {', '.join(tree.short(n['node_key']) for n in foreign[:5])}",
                pages=sorted({p for n in foreign for p in n["prov"]["pages"]}),
                nodes=[n["node_key"] for n in foreign], wrong=len(foreign), node_confidence=0.5))
        if findings:
            out[d["doc_key"]] = findings
    for ref_key, findings in _fiche_agreement(outputs).items():
        out.setdefault(ref_key, []).extend(findings)
    return out


def _fiche_agreement(outputs: list[dict[str, Any]]) -> dict[str, list[Finding]]:
    """A fiche and the référentiel of one certification in the run print the same blocs: the run
    writes each disagreement as a diagnostic of the référentiel (links.fiche_checks). A bloc the
    fiche lists and the référentiel's output lacks is a bloc its reading missed; a title worded
    otherwise, a bloc the fiche does not list or another count of competences are notes: the two
    documents are written apart, and either may be the one that differs."""
    from extract.links import FICHE_CHECK_CODES

    out: dict[str, list[Finding]] = {}
    for ref in (d for d in outputs if d.get("doc_kind") == "rncp_referentiel"):
        found = [x for x in ref.get("diagnostics", []) if x.get("code") in FICHE_CHECK_CODES]
        if not found:
            continue
        tree = Tree(ref)
        missing = [x for x in found if x["code"] == "fiche_bloc_missing"]
        findings = []
        if missing:
            findings.append(Finding(
                "blocs_not_in_referential", "; ".join(x["message"] for x in missing[:3]),
                nodes=[n["node_key"] for n in tree.nodes if n["node_type"] == "block"],
                missing=len(missing) * tree.mean_subtree("block")))
        others = [x for x in found if x["code"] != "fiche_bloc_missing"]
        if others:
            findings.append(Finding("fiche_disagrees", "; ".join(x["message"] for x in others[:3])
                                    + (f" and {len(others) - 3} more" if len(others) > 3 else ""),
                                    pages=sorted({x["page"] for x in others if x.get("page")}), note=True))
        out[ref["doc_key"]] = findings
    return out


RUN_CODES = ("not_in_reac", "criteria_not_in_reac", "blocs_not_in_referential", "fiche_disagrees")


def with_findings(verdict: dict[str, Any], ref: dict[str, Any], findings: list[Finding]) -> dict[str, Any]:
    """The verdict of `ref` once run-level findings are added (the document's own kept)."""
    tree = Tree(ref)
    known = [_finding_of(r) for r in verdict.get("reasons", []) + verdict.get("notes", [])
             if r["code"] not in RUN_CODES]
    evidence = {k: v for k, v in verdict.get("evidence", {}).items()
                if k not in ("classified_nodes", "estimated_missing", "estimated_wrong", "estimated_error_share")}
    new = decide([*known, *findings], tree, evidence)
    new.coverage = [PageCoverageRecord(**c) for c in verdict.get("coverage", [])]
    return new.model_dump(mode="json")


def _finding_of(r: dict[str, Any]) -> Finding:
    # A stored reason counts as it did: its nodes at risk as missing, hard when it was sized so.
    return Finding(r["code"], r["message"], pages=r.get("pages", []), nodes=r.get("nodes", []),
                   missing=r.get("nodes_at_risk", 0.0), hard=r.get("hard", False), note=not r.get("counts", True))
