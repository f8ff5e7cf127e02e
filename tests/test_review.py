"""The review page, opened in headless Chromium (Debian's chromium package)."""

import copy
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import GOLDEN, RAW
from extract.review import render, write_review
from extract.schema import Referential

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,900", "--virtual-time-budget=4000"]


def _chromium(url: str, *extra: str) -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                             capture_output=True, text=True, timeout=120)
    return out.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory, corpus_outputs):
    ref = Referential.model_validate_json(corpus_outputs["rncp-manageur-innovation-numerique"].read_text())
    golden = json.loads((GOLDEN / "rncp-manageur-innovation-numerique.json").read_text())
    # A golden that differs from the output: one node missing from the output, one text changed.
    golden = copy.deepcopy(golden)
    golden["nodes"].append({**golden["nodes"][1], "node_key": golden["doc_key"] + "/block:1/activity:A9.9", "position": 99})
    golden["nodes"][2]["text"] = "Un autre énoncé"
    out = tmp_path_factory.mktemp("review") / "review.html"
    write_review(ref, RAW / "rncp-manageur-innovation-numerique.pdf", out, golden)
    return ref, out


def test_page_is_self_contained(page):
    _, out = page
    text = out.read_text()
    assert not re.search(r'(src|href)="https?://', text), "no external resource: it must open offline"
    assert text.count("<img") == 13


def test_tree_boxes_and_click_render_in_chromium(page, tmp_path):
    ref, out = page
    c11 = next(n for n in ref.nodes if n.node_key.endswith("/competence:C1.1"))
    dom = _chromium(f"file://{out}#node={c11.id}", "--dump-dom")
    assert dom.count('class="node') == len(ref.nodes)
    assert dom.count('class="box') >= len(ref.nodes) - 1
    detail = re.search(r'<div id="detail" data-shown="([^"]+)">(.*?)</div>', dom, re.S)
    assert detail and detail.group(1) == c11.id
    assert "Identifier les besoins exprimés par le donneur" in detail.group(2)
    assert 'class="missing"' in dom and "activity:A9.9" in dom
    assert 'class="node differs' in dom
    shot = tmp_path / "review.png"
    _chromium(f"file://{out}#node={c11.id}", f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 20_000
    Path("output").mkdir(exist_ok=True)
    shutil.copy(shot, Path("output") / "review-screenshot.png")


def test_review_without_pdf_still_shows_the_tree(corpus_outputs):
    ref = Referential.model_validate_json(corpus_outputs["but-mmi-competences"].read_text())
    text = render(ref, None)
    assert "PDF was not found" in text and text.count('class="node') == len(ref.nodes)


def test_the_document_model_is_drawn_under_the_nodes(page, tmp_path):
    """Tables, their header and cells, paragraphs and list items outlined, shown by a switch: a
    reader sees which cell a node's text came from."""
    _, out = page
    text = out.read_text()
    cells = re.findall(r'class="mbox m-cell" title="([^"]+)"', text)
    assert len(re.findall(r'class="mbox m-table"', text)) >= 11  # one table over 11 pages
    assert any("goes on from the page before" in c for c in cells)
    assert re.search(r'class="mbox m-header" title="header: REFERENTIEL', text)
    assert 'id="model-switch"' in text
    # Hidden until switched on; Chromium applies the switch's class.
    shot = tmp_path / "model.png"
    _chromium(f"file://{out}", f"--screenshot={shot}")
    assert shot.is_file()
