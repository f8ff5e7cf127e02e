import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import GOLDEN, RAW, ROOT
from extract.cli import main


def test_help_explains_the_commands(capsys):
    try:
        main(["--help"])
    except SystemExit as e:
        assert e.code == 0
    out = capsys.readouterr().out
    assert "ingest" in out and "compare" in out and "schema" in out


def test_compare_command_prints_a_readable_diff(tmp_path, capsys):
    g = json.loads((GOLDEN / "rncp-chef-de-projet-digital.json").read_text())
    g["nodes"] = g["nodes"][:-1]
    g["relations"] = [r for r in g["relations"] if r["origin_key"] in {n["node_key"] for n in g["nodes"]}
                      and r["dest_key"] in {n["node_key"] for n in g["nodes"]}]
    out = tmp_path / "o.json"
    out.write_text(json.dumps(g))
    assert main(["compare", str(out), str(GOLDEN / "rncp-chef-de-projet-digital.json")]) == 0
    text = capsys.readouterr().out
    assert "MISSING" in text and "exact-node F1" in text


def test_schema_check_passes_on_the_checked_in_file(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["schema", "--check"]) == 0


def test_prefect_flow_writes_outputs_scorecard_and_artifact(tmp_path):
    """The real flow on the embedded Prefect server (one flow test: start-up costs ~15 s)."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("rncp-webmarketing-communication-digitale.pdf", "but-mmi-competences.pdf"):
        shutil.copy(RAW / name, src / name)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "extract.cli", "ingest", str(src), "--out", str(out), "--golden", str(GOLDEN), "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert proc.returncode == 2, proc.stderr[-3000:]  # partial: one file is broken
    assert (out / "rncp-webmarketing-communication-digitale.json").is_file()
    assert (out / "rncp-webmarketing-communication-digitale.review.html").is_file()  # the flow's review step
    card = json.loads((out / "scorecard.json").read_text())
    assert {d["doc"] for d in card["documents"]} == {"rncp-webmarketing-communication-digitale", "but-mmi-competences"}
    errors = json.loads((out / "errors.json").read_text())
    assert [Path(e["file"]).name for e in errors] == ["broken.pdf"]
    assert "Scorecard" in proc.stdout
