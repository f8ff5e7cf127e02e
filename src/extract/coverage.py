"""Where the printed text of each page went: into classified nodes, residual nodes, or nowhere.

The evidence is read from the document itself, without a golden: every printed, non-furniture
line fragment of a page (a line cut at vertical rulings and wide gaps, so a grid gives one
fragment per cell line) is looked up in the text the output holds. Text is compared with spaces
and punctuation removed, so wrapped lines, line-end hyphens and bullet markers do not matter.

A fragment is
- `classified` when it is in a classified node printed on that page, or anywhere in the
  document's classified text or certification (a synoptic table or overview reprints nodes);
- `residual` when only a residual node of that page holds it;
- `lost` when nothing holds it and it lies inside the band of the page where nodes were read
  (between the top of the first node and the bottom of the last);
- `outside` otherwise (a preamble above the grid, notes under it, a page without nodes).
Lines repeated on many pages (table headers printed again, headings of every fiche) are
furniture by FAMILIES.md and left out, as the page furniture already is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from extract.docmodel.structure import BULLET_GLYPHS
from extract.layout import PageLayout, Word, group_lines
from extract.text import normalize_text

_ALNUM = re.compile(r"[^\W_]+", re.U)
# Wider than a word space, narrower than a column gutter: splits text set in columns.
SPLIT_GAP = 1.5


def squash(text: str | None) -> str:
    """Lower-case letters and digits only: the form in which printed and extracted text meet."""
    return "".join(_ALNUM.findall(normalize_text(text).lower()))


@dataclass
class Fragment:
    page: int
    text: str
    top: float
    bottom: float
    chars: int
    state: str = "outside"  # classified | residual | lost | outside


@dataclass
class PageCoverage:
    page: int
    printed: int = 0  # characters of printed, non-furniture text
    classified: int = 0
    residual: int = 0
    lost: int = 0
    outside: int = 0
    has_nodes: bool = False
    lost_lines: list[str] = field(default_factory=list)

    @property
    def in_band(self) -> int:
        return self.classified + self.residual + self.lost

    @property
    def share(self) -> float | None:
        """Share of the text in the band of read nodes that landed in classified nodes."""
        return round(self.classified / self.in_band, 3) if self.in_band else None


def fragments(page: PageLayout) -> list[list[Word]]:
    """Printed, non-furniture text of a page as line fragments (a grid cell's line each)."""
    verticals = sorted(((s.x0 + s.x1) / 2, s.top, s.bottom) for s in page.segments if not s.horizontal)
    out: list[list[Word]] = []
    for ln in group_lines(page.content_words(), page.number, split_gap=SPLIT_GAP):
        cuts = [x for x, top, bottom in verticals if top <= ln.bottom and bottom >= ln.top]
        current: list[Word] = []
        for w in ln.words:
            if current and any(current[-1].x1 - 1.0 <= x <= w.x0 + 1.0 for x in cuts):
                out.append(current)
                current = []
            current.append(w)
        if current:
            out.append(current)
    # A bullet marker is not text: "o" would otherwise read as a letter.
    return [f[1:] if len(f) > 1 and f[0].text in BULLET_GLYPHS else f for f in out]


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def node_strings(node: dict[str, Any]) -> list[str]:
    """The squashed texts a node holds: title, text, items, and its code glued to them (a cell
    prints "A1.2 - Titre" on one line while the node keeps the code apart)."""
    code = "".join(squash(c["value"]) for c in node.get("codes", [])[:1])
    parts = [node.get("title") or "", node.get("text") or "", (node.get("prov") or {}).get("heading_as_printed") or ""]

    def walk(items: Iterable[dict[str, Any]]) -> None:
        for it in items:
            parts.append(it.get("text", ""))
            walk(it.get("children", []))

    walk(node.get("items", []))
    out = [squash(p) for p in parts if p]
    if code:
        out += [code + s for s in out[:2]] + [code]
    return [s for s in out if s]


def certification_strings(cert: dict[str, Any]) -> list[str]:
    texts = [cert.get("title"), cert.get("level"), cert.get("certifier")]
    texts += [c.get("value") for c in cert.get("codes", [])]
    for heading, body in (cert.get("sections") or {}).items():
        texts += [heading, body]
    for lc in [*(cert.get("nsf") or []), *(cert.get("rome") or [])]:
        texts.append(f"{lc.get('code', '')} {lc.get('label') or ''}")
    return [squash(t) for t in texts if t]


def page_coverage(pages: list[PageLayout], ref: dict[str, Any], run: tuple[int, int] | None = None) -> list[PageCoverage]:
    """Coverage of every page of the document by the output `ref` (a Referential as a dict).

    `run` (first, last page) is set for a référentiel printed as one run of pages: its content
    flows from the first node to the last, so on a page of the run before the last, the band goes
    down to the page bottom, and a page of the run without any node is all band. Text above a
    page's first node (a heading, an introduction to what follows) stays outside."""
    local: dict[int, list[str]] = {}
    residual: dict[int, list[str]] = {}
    everywhere: list[str] = certification_strings(ref.get("certification") or {})
    bands: dict[int, tuple[float, float]] = {}
    for n in ref.get("nodes", []):
        strings = node_strings(n)
        prov = n.get("prov") or {}
        target = residual if n["node_type"] == "residual" else local
        if n["node_type"] != "residual":
            everywhere += strings
        for p in prov.get("pages", []):
            target.setdefault(p, []).extend(strings)
        for sp in prov.get("spans", []):
            x0, top, x1, bottom = sp["bbox"]
            lo, hi = bands.get(sp["page"], (top, bottom))
            bands[sp["page"]] = (min(lo, top), max(hi, bottom))
    pool = "|".join(everywhere)
    frags_by_page = {p.number: [f for f in fragments(p)] for p in pages}
    repeated = _repeated_shapes(frags_by_page, len(pages))
    out = []
    for p in pages:
        cov = PageCoverage(page=p.number, has_nodes=p.number in local or p.number in residual)
        here = "|".join(local.get(p.number, []))
        left = "|".join(residual.get(p.number, []))
        band = bands.get(p.number)
        if run is not None and run[0] <= p.number < run[1]:
            band = (band[0], p.height) if band else (0.0, p.height)
        for words in frags_by_page[p.number]:
            raw = " ".join(w.text for w in words)
            s = squash(raw)
            if not s or _shape(s) in repeated:
                continue
            k = len(s)
            cov.printed += k
            top, bottom = min(w.top for w in words), max(w.bottom for w in words)
            inside = band is not None and band[0] - 2.0 <= (top + bottom) / 2 <= band[1] + 2.0
            if s in here or s in pool or _labelled(words, here):
                state = "classified"
            elif s in left:
                state = "residual"
            elif inside and not _label(words):
                state = "lost"
            else:
                state = "outside"
            if state == "classified" and not inside:
                # reprinted elsewhere or part of the certification: still read, not in the band
                state = "outside" if band is None else "classified"
            setattr(cov, state, getattr(cov, state) + k)
            if state == "lost" and len(cov.lost_lines) < 8:
                cov.lost_lines.append(raw)
        out.append(cov)
    return out


def _label(words: list[Word]) -> bool:
    """A short line set in bold: a heading of the layout ("Critères de performance"), read by the
    parser as structure, not text of a node."""
    letters = [w for w in words if any(ch.isalpha() for ch in w.text)]
    return bool(letters) and len(letters) <= 6 and all(w.bold for w in letters)


def _labelled(words: list[Word], here: str) -> bool:
    """A line whose longest run of words (most of it) is in a node of the page: a printed label
    ("BLOC 1 :", "- Bloc de compétences n° 1, …:") ahead of text the node holds without it."""
    parts = [squash(w.text) for w in words]
    total = sum(len(p) for p in parts)
    if len(parts) < 2 or not here:
        return False
    for size in range(len(parts) - 1, 0, -1):
        for i in range(len(parts) - size + 1):
            run = "".join(parts[i:i + size])
            if len(run) < 0.6 * total:
                continue
            if run in here:
                return True
    return False


def _repeated_shapes(frags_by_page: dict[int, list[list[Word]]], n_pages: int) -> set[str]:
    """Line shapes printed on three pages or more: table headers printed again, the headings of
    every fiche ("Critères de performance"). Labels of the layout, not content."""
    counts: Counter[str] = Counter()
    for frags in frags_by_page.values():
        counts.update({_shape(squash(" ".join(w.text for w in f))) for f in frags})
    threshold = 3
    return {s for s, c in counts.items() if c >= threshold and s}
