"""Small BUT référentiels drawn with reportlab: title bars, framed panels, arrows and chevrons.

Coordinates are from the top of the page, as the extractor reads them. The layouts differ from
the corpus's on purpose (landscape pages, arrows pointing up, situations on the left, chevrons of
other widths, other wording and codes) so that tests pin mechanisms, not one document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

import pdfgen  # noqa: F401  (registers the Vera fonts)

REG, BOLD = "Vera", "Vera-Bold"
ITALIC = "Helvetica-Oblique"


class Sheet:
    """One page being drawn, in top-down coordinates."""

    def __init__(self, c: canvas.Canvas, height: float) -> None:
        self.c, self.h = c, height

    def text(self, x: float, top: float, s: str, font: str = REG, size: float = 9) -> None:
        self.c.setFillColorRGB(0, 0, 0)
        self.c.setFont(font, size)
        self.c.drawString(x, self.h - top - size * 0.8, s)

    def label_text(self, x: float, top: float, label: str, s: str, size: float = 9, tab: float = 28) -> None:
        self.text(x, top, label, BOLD, size)
        self.text(x + tab, top, s, REG, size)

    def polygon(self, pts: Sequence[tuple[float, float]], rgb: tuple[float, float, float]) -> None:
        self.c.setFillColorRGB(*rgb)
        p = self.c.beginPath()
        p.moveTo(pts[0][0], self.h - pts[0][1])
        for x, y in pts[1:]:
            p.lineTo(x, self.h - y)
        p.close()
        self.c.drawPath(p, stroke=0, fill=1)

    def rect(self, x0: float, top: float, x1: float, bottom: float, rgb: tuple[float, float, float]) -> None:
        self.c.setFillColorRGB(*rgb)
        self.c.rect(x0, self.h - bottom, x1 - x0, bottom - top, stroke=0, fill=1)

    def bar(self, x0: float, top: float, x1: float, s: str) -> float:
        """A title bar across the page, its text bold and centred; returns its bottom."""
        self.rect(x0, top, x1, top + 18, (0.8, 0.85, 0.95))
        width = self.c.stringWidth(s, BOLD, 10)
        self.text((x0 + x1 - width) / 2, top + 4, s, BOLD, 10)
        return top + 18


def up_arrow(x0: float, top: float, x1: float, bottom: float, tip: float = 10,
             point: bool = True, notch: bool = True) -> list[tuple[float, float]]:
    """An arrow pointing up: a point at the top centre, a notch at the bottom centre where the
    arrow below enters (the first of a chain has a flat base, the last may have a flat top)."""
    xm = (x0 + x1) / 2
    pts = [(x0, top + tip if point else top)] + ([(xm, top)] if point else []) + [(x1, top + tip if point else top)]
    return pts + [(x1, bottom)] + ([(xm, bottom - tip)] if notch else []) + [(x0, bottom)]


def down_arrow(x0: float, top: float, x1: float, bottom: float, tip: float = 10,
               notch: bool = True, point: bool = True) -> list[tuple[float, float]]:
    xm = (x0 + x1) / 2
    pts = [(x0, top), (xm, top + tip) if notch else (xm, top), (x1, top), (x1, bottom - tip if point else bottom)]
    pts += [(xm, bottom)] if point else []
    pts += [(x0, bottom - tip if point else bottom)]
    return pts


def chevron(x0: float, top: float, x1: float, bottom: float, tip: float = 9,
            notch: bool = True, point: bool = True) -> list[tuple[float, float]]:
    """A chevron pointing right (the last of a row has a flat right end: point=False)."""
    ym = (top + bottom) / 2
    pts = [(x0, top), (x1 - tip if point else x1, top)]
    pts += [(x1, ym)] if point else []
    pts += [(x1 - tip if point else x1, bottom), (x0, bottom)]
    pts += [(x0 + tip, ym)] if notch else []
    return pts


@dataclass
class Level:
    libelle: list[str]  # printed lines, bold
    acs: list[list[str]]  # each apprentissage critique: its printed lines, the first after its code
    note: str | None = None  # italic line naming the parcours that reach it


@dataclass
class Comp:
    number: int
    libelle: str
    description: list[str]
    composantes: list[list[str]]
    situations: list[list[str]]
    levels: list[Level]


@dataclass
class Pathway:
    heading: str
    reaches: dict[int, list[int]]  # compétence number -> 0-based levels shown in its row
    text: list[str] = field(default_factory=list)


def but_programme(path: Path, comps: Sequence[Comp], pathways: Sequence[Pathway], cover: Sequence[str],
                  arrows: str = "up", ac_label: str = "AC", split: tuple[int, int] | None = None,
                  tables_after: bool = True) -> Path:
    """A landscape BUT programme: a cover, a presentation page, one page per compétence (levels as
    arrows, `up` or `down`; `split` (n, k): compétence n prints k levels, the rest on a new page),
    one page per parcours (chevron rows), then a page of tables repeating a compétence's bar."""
    size = landscape(A4)
    w, h = size
    c = canvas.Canvas(str(path), pagesize=size)
    sh = Sheet(c, h)

    def furniture(section: str) -> None:
        sh.text(40, 20, f"Aéronautique • {section}", ITALIC, 7)
        sh.text(w - 200, h - 30, "Programme national — édition d'essai", REG, 7)

    for k, line in enumerate(cover):
        sh.text(120, 180 + 40 * k, line, BOLD if k else REG, 22)
    c.showPage()
    furniture("Présentation")
    sh.text(50, 80, "Présentation générale", BOLD, 14)
    sh.text(50, 110, "Le référentiel décrit les compétences, leurs composantes essentielles et leurs apprentissages critiques.")
    for k in range(1, 8):
        sh.text(50, 110 + 14 * k, f"La spécialité prépare aux métiers de la maintenance, ligne {k + 1} de présentation.")
    c.showPage()

    for comp in comps:
        furniture("Les compétences")
        y = sh.bar(40, 60, w - 40, f"Compétence {comp.number} : {comp.libelle}")
        # Two columns: situations framed on the left, description and composantes on the right.
        panel_bottom = y + 14 + 12 * (len(comp.description) + sum(len(c) for c in comp.composantes))
        sh.rect(40, y + 6, 300, panel_bottom, (0.93, 0.93, 0.86))
        sh.text(48, y + 12, "Situations professionnelles", BOLD)
        ty = y + 26
        for sit in comp.situations:
            for j, line in enumerate(sit):
                sh.text(48 if j == 0 else 56, ty, ("– " if j == 0 else "") + line)
                ty += 11
        ty = y + 12
        for line in comp.description:
            sh.text(320, ty, line)
            ty += 12
        for comp_lines in comp.composantes:
            for j, line in enumerate(comp_lines):
                sh.text(320 if j == 0 else 330, ty, ("– " if j == 0 else "") + line)
                ty += 12
        top = max(panel_bottom, ty) + 16
        levels = list(enumerate(comp.levels))
        pages = [levels]
        if split is not None and split[0] == comp.number:
            pages = [levels[: split[1]], levels[split[1]:]]
        for pi, chunk in enumerate(pages):
            if pi:
                c.showPage()
                furniture("Les compétences")
                top = 60
            rows = []
            for k, lv in chunk:
                height = max(50, 14 * max(len(lv.libelle) + (1 if lv.note else 0), sum(len(a) for a in lv.acs)) + 20)
                rows.append((k, lv, height))
            order = rows if arrows == "down" else list(reversed(rows))
            yy = top
            for k, lv, height in order:
                if arrows == "down":
                    shape = down_arrow(40, yy, 250, yy + height, notch=k > 0, point=k < len(comp.levels) - 1)
                else:
                    shape = up_arrow(40, yy, 250, yy + height, point=k < len(comp.levels) - 1, notch=k > 0)
                sh.polygon(shape, (0.85, 0.9, 0.8))
                sh.rect(260, yy + 4, w - 40, yy + height - 8, (0.95, 0.95, 0.95))
                ly = yy + 18
                for line in lv.libelle:
                    sh.text(60, ly, line, BOLD, 10)
                    ly += 13
                if lv.note:
                    sh.text(120, ly, lv.note, ITALIC, 8)
                ay = yy + 12
                for n, ac in enumerate(lv.acs, start=1):
                    for j, line in enumerate(ac):
                        if j == 0:
                            sh.label_text(270, ay, f"{ac_label} {n}", line)
                        else:
                            sh.text(298, ay, line)
                        ay += 12
                    ay += 3
                yy += height + (4 if arrows == "down" else -6)  # up arrows: the tip enters the notch above
        c.showPage()

    for pw in pathways:
        furniture("Parcours")
        sh.text(50, 50, pw.heading, BOLD, 12)
        y = 76
        for comp in comps:
            y = sh.bar(40, y, w - 40, f"Compétence {comp.number} : {comp.libelle}") + 6
            shown = pw.reaches.get(comp.number, [])
            cw = 230
            for i, k in enumerate(shown):
                x0 = 40 + i * (cw - 9)
                sh.polygon(chevron(x0, y, x0 + cw, y + 40, notch=i > 0, point=i < len(shown) - 1), (0.9, 0.85 - 0.1 * i, 0.8))
                words = " ".join(comp.levels[k].libelle).split()
                half = (len(words) + 1) // 2
                sh.text(x0 + 14, y + 6, " ".join(words[:half]))
                sh.text(x0 + 14, y + 18, " ".join(words[half:]))
                sh.text(x0 + 60, y + 29, f"UE{k + 1}.{comp.number}", REG, 7)
            y += 46
        for i in range(3):
            sh.text(120 + i * 221, y, f"Semestres {2 * i + 1}-{2 * i + 2}", REG, 8)
        y += 16
        for line in pw.text:
            sh.text(40, y, line)
            y += 12
        c.showPage()

    if tables_after:
        furniture("Tableaux")
        sh.text(50, 50, "Tableau croisé des apprentissages", BOLD, 12)
        sh.bar(40, 80, w - 40, f"Compétence 1 : {comps[0].libelle}")
        for k in range(5):
            sh.text(50, 120 + 14 * k, f"R{k + 1}.01 Ressource numéro {k + 1}        12 h")
        c.showPage()
    c.save()
    return path
