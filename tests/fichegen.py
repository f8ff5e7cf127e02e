"""Fiche-shaped HTML pages written by the tests and printed by headless Chromium.

The pages follow the shape of a France compétences fiche (header card, "L'essentiel", rubriques,
one two-column table per bloc) with the tests' own content and stylesheet, so the family is read
in a layout other than the corpus's.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


@dataclass
class BlocData:
    code: str
    title: str
    competences: list[str]
    modalities: list[str]


@dataclass
class FicheData:
    rncp: str
    title: str
    level: str
    blocs: list[BlocData]
    nsf: list[tuple[str, str]] = field(default_factory=list)
    formacodes: list[tuple[str, str]] = field(default_factory=list)
    rome: list[tuple[str, str]] = field(default_factory=list)
    certifier: str = "ORGANISME DE TEST"
    decision: str = "03-04-2023"
    expiry: str = "03-04-2028"
    resume: bool = True  # print the résumé's "Compétences attestées" rubrique
    bloc_rows: bool = False  # one table, a row per bloc (code and title in its first cell)


CSS = """
@page { size: %(page)s; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10px; color: #222; margin: 0 24px; }
.banner { font-size: 26px; font-weight: bold; text-align: center; margin: 10px 0 20px; }
.crumbs { font-size: 7px; }
h1 { font-size: 26px; margin: 14px 0; }
.cards { display: flex; gap: 12px; }
.card { border: 1px solid #444; padding: 6px 12px; }
.card strong { font-size: 15px; display: block; }
.tools { font-size: 10px; margin: 10px 0 24px; }
h2 { font-size: 17px; margin: 22px 0 10px; }
h3 { font-size: 12px; margin: 14px 0 8px; }
.row { display: flex; border-bottom: 1px dotted #999; padding: 6px 0; align-items: center; }
.row .label { width: 150px; font-weight: bold; margin-right: 30px; }
.row .value { font-size: 11px; }
table { border-collapse: collapse; width: 100%%; margin-bottom: 8px; }
th, td { border: 1px solid #555; padding: 8px; vertical-align: top; text-align: left; }
th { font-weight: %(th_weight)s; text-align: center; }
td.comp { width: %(comp_width)s; }
"""


def _labelled(rows: list[tuple[str, str]], sep: str) -> str:
    return "<br>".join(f"<b>{html.escape(c)}</b>{sep}{html.escape(t)}" for c, t in rows)


def fiche_html(f: FicheData, page: str = "A4", comp_width: str = "50%", bold_headers: bool = True) -> str:
    e = html.escape
    out = [f"<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>{e(f.rncp)} - {e(f.title)}</title>",
           f"<style>{CSS % {'page': page, 'comp_width': comp_width, 'th_weight': 'bold' if bold_headers else 'normal'}}"
           "</style></head><body>",
           "<div class='banner'>CERTIFICATION PROFESSIONNELLE</div>",
           f"<div class='crumbs'>Accueil › Trouver une certification › {e(f.title)}</div>",
           f"<h1>{e(f.title)}</h1>",
           "<div class='cards'>",
           f"<div class='card'>Code de la fiche :<strong>{e(f.rncp)}</strong></div>",
           "<div class='card'>Etat :<strong>Active</strong></div></div>",
           "<div class='tools'>⤓ Télécharger la fiche &nbsp; ⓘ Aide en ligne</div>",
           "<h2>L'essentiel</h2>",
           f"<div class='row'><div class='label'>Nomenclature<br>du niveau de qualification</div><div class='value'><b>{e(f.level)}</b></div></div>",
           f"<div class='row'><div class='label'>Code(s) NSF</div><div class='value'>{_labelled(f.nsf, ' : ')}</div></div>",
           f"<div class='row'><div class='label'>Formacode(s)</div><div class='value'>{_labelled(f.formacodes, ' : ')}</div></div>",
           f"<div class='row'><div class='label'>Date d’échéance<br>de l’enregistrement</div><div class='value'><b>{e(f.expiry)}</b></div></div>",
           "<h2>Certificateur(s)</h2>",
           "<table><tr><th>Nom légal</th><th>Siret</th><th>Nom commercial</th></tr>",
           f"<tr><td>{e(f.certifier)}</td><td>12345678900011</td><td>Test Formation</td></tr></table>",
           "<h2>Résumé de la certification</h2>",
           "<h3>Objectifs et contexte de la certification :</h3>",
           "<p>Le titulaire exerce dans des structures de toutes tailles. Cette page est écrite pour les tests "
           "et ne décrit aucune certification enregistrée.</p>",
           "<h3>Activités visées :</h3>"]
    for i, b in enumerate(f.blocs, start=1):
        out.append(f"<p><b>Bloc {i} : {e(b.title)}</b></p><p>Le titulaire conduit les activités de ce bloc.</p>")
    if f.resume:
        out.append("<h3>Compétences attestées :</h3>")
        out += [f"<p>{e(c)}</p>" for b in f.blocs for c in b.competences]
    out.append("<h3>Modalités d'évaluation :</h3><p>Etudes de cas et mises en situation</p>")
    out.append("<h2>Blocs de compétences</h2>")
    if f.bloc_rows:
        out.append("<table><thead><tr><th>Code et intitulé du bloc</th><th>Liste de compétences</th>"
                   "<th>Modalités d'évaluation</th></tr></thead><tbody>")
        for b in f.blocs:
            out.append(f"<tr><td>{e(b.code)} - {e(b.title)}</td><td class='comp'>"
                       + "<br>".join(e(c) for c in b.competences) + "</td><td>"
                       + "".join(f"<p>{e(m)}</p>" for m in b.modalities) + "</td></tr>")
        out.append("</tbody></table>")
    for b in ([] if f.bloc_rows else f.blocs):
        out.append(f"<h3>{e(b.code)} - {e(b.title)}</h3>")
        out.append("<table><thead><tr><th>Liste de compétences</th><th>Modalités d'évaluation</th></tr></thead><tbody><tr>")
        out.append("<td class='comp'>" + "<br>".join(e(c) for c in b.competences) + "</td>")
        out.append("<td>" + "".join(f"<p>{e(m)}</p>" for m in b.modalities) + "</td></tr></tbody></table>")
    out.append("<h2>Secteur d’activité et type d’emploi</h2>")
    out.append("<h3>Code(s) ROME :</h3>" + "".join(f"<p>{e(c)} - {e(t)}</p>" for c, t in f.rome))
    out.append("<h2>Base légale</h2><table>")
    out.append(f"<tr><td><b>Date de décision</b></td><td>{e(f.decision)}</td></tr>")
    out.append(f"<tr><td><b>Date d'échéance de l'enregistrement</b></td><td>{e(f.expiry)}</td></tr></table>")
    out.append("</body></html>")
    return "\n".join(out)


def require_chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium): fiches are printed with it")
    return CHROMIUM


def print_fiche(f: FicheData, out: Path, *, header_footer: bool = True, page: str = "A4",
                comp_width: str = "50%", bold_headers: bool = True) -> Path:
    """`f` as an HTML page printed to `out` by headless Chromium: with its running title, date, URL
    and "n/N" in the margins, or with the browser's headers and footers off."""
    chromium = require_chromium()
    source = out.with_suffix(".html")
    source.write_text(fiche_html(f, page, comp_width, bold_headers), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}"]
        if not header_footer:
            cmd.append("--no-pdf-header-footer")
        run = subprocess.run([*cmd, source.resolve().as_uri()], capture_output=True, text=True, timeout=180)
    if not out.is_file():
        raise RuntimeError(f"chromium printed nothing: {run.stderr[-2000:]}")
    return out
