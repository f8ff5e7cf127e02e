import json
from pathlib import Path

from conftest import RAW
from extract.pipeline import extract_document, process_pdf, resolve_sources, run_batch
from extract.schema import Referential
from pdfgen import pdf_with_pages


def test_every_corpus_pdf_gives_valid_json(corpus_outputs):
    assert set(corpus_outputs) == {p.stem for p in RAW.glob("*.pdf")}
    for stem, path in corpus_outputs.items():
        ref = Referential.model_validate_json(path.read_text(encoding="utf-8"))
        assert ref.nodes, stem
        assert ref.sources[0].filename == f"{stem}.pdf"


def test_bad_files_give_error_records_and_the_batch_goes_on(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.pdf").write_bytes(b"")
    (src / "page.pdf").write_text("<!DOCTYPE html><html><body>404</body></html>")
    (src / "truncated.pdf").write_bytes((RAW / "rncp-chef-de-projet-digital.pdf").read_bytes()[:3000])
    pdf_with_pages(src / "letter.pdf", [[(50, 100, "Bonjour, voici la facture du mois de mars.")]])
    out = tmp_path / "out"
    report = run_batch(src, out)
    status = {d.doc: d.status for d in report.documents}
    assert status == {"empty": "failed", "page": "failed", "truncated": "failed", "letter": "not_a_referential"}
    errors = json.loads((out / "errors.json").read_text())
    by_file = {Path(e["file"]).stem: e for e in errors}
    assert "empty" in by_file["empty"]["message"] and by_file["empty"]["stage"] == "read"
    assert "HTML" in by_file["page"]["message"] and by_file["page"]["hint"]
    assert all(e["sha256"] and e["hint"] for e in errors)
    # a letter is no référentiel: an error record with a hint, and no output that pretends to be one
    assert by_file["letter"]["stage"] == "classify" and "not a référentiel" in by_file["letter"]["message"]
    assert not (out / "letter.json").exists()
    assert {d.doc: d.verdict for d in report.documents}["letter"] == "not_a_referential"
    assert report.partial


def test_rerun_on_unchanged_input_is_byte_identical(tmp_path: Path):
    pdf = RAW / "rncp-webmarketing-communication-digitale.pdf"
    a = process_pdf(pdf, tmp_path / "a")
    b = process_pdf(pdf, tmp_path / "b")
    assert Path(a.output).read_bytes() == Path(b.output).read_bytes()


def test_manifest_and_glob_sources(tmp_path: Path):
    manifest = tmp_path / "list.txt"
    manifest.write_text(f"# two files\n{RAW / 'rncp-chef-de-projet-digital.pdf'}\n\n{RAW / 'but-mmi-competences.pdf'}\n")
    assert [p.name for p in resolve_sources(manifest)] == ["rncp-chef-de-projet-digital.pdf", "but-mmi-competences.pdf"]
    assert all(p.name.startswith("reac-") for p in resolve_sources(str(RAW / "reac-*.pdf")))


def test_scorecard_meets_the_family_targets(corpus_outputs):
    """The issues' accuracy targets, as a regression guard: RNCP/REAC/RE >= 0.98, BUT >= 0.95."""
    from conftest import GOLDEN
    from extract.scorecard import score_outputs

    card = score_outputs(corpus_outputs, GOLDEN)
    for d in card["documents"]:
        target = 0.95 if d["doc"].startswith("but-") else 0.98
        assert d["doc_key_ok"], d["doc"]
        assert d["exact_node_f1"] >= target and d["relation_f1"] >= target, (d["doc"], d["exact_node_f1"], d["relation_f1"])


def test_both_pdf_engines_read_the_same_document():
    from extract.pdf_reading import Limits

    for name in ("rncp-chef-de-projet-digital.pdf", "but-rt-cybersecurite.pdf"):
        a = extract_document(RAW / name, Limits(engine="pdfium")).model_dump(mode="json")
        b = extract_document(RAW / name, Limits(engine="pdfplumber")).model_dump(mode="json")
        strip = lambda d: [(n["node_key"], n["text"], n["title"], n["items"]) for n in d["nodes"]]  # noqa: E731
        assert strip(a) == strip(b) and a["relations"] == b["relations"], name


def test_incremental_runs_skip_unchanged_pdfs_until_the_extractor_changes(tmp_path, monkeypatch):
    import extract.pipeline as pipeline
    from extract.pdf_reading import Limits

    src = tmp_path / "in"
    src.mkdir()
    for name in ("rncp-chef-de-projet-digital.pdf", "but-mmi-competences.pdf"):
        (src / name).write_bytes((RAW / name).read_bytes())
    out = tmp_path / "out"
    first = run_batch(src, out, limits=Limits(guarded=False))
    assert [d.status for d in first.documents] == ["ok", "ok"]
    docs = ("rncp-chef-de-projet-digital.json", "but-mmi-competences.json")
    before = {name: (out / name).read_bytes() for name in docs}

    def must_not_run(*args, **kwargs):
        raise AssertionError("an unchanged PDF was extracted again")

    monkeypatch.setattr(pipeline, "extract_document", must_not_run)
    second = run_batch(src, out, limits=Limits(guarded=False))
    assert [d.status for d in second.documents] == ["unchanged", "unchanged"] and not second.partial
    assert {name: (out / name).read_bytes() for name in docs} == before
    monkeypatch.undo()
    (src / "but-mmi-competences.pdf").write_bytes((RAW / "but-rt-cybersecurite.pdf").read_bytes())  # new bytes
    third = run_batch(src, out, limits=Limits(guarded=False))
    assert [d.status for d in third.documents] == ["ok", "unchanged"]
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "999.0")
    fourth = run_batch(src, out, limits=Limits(guarded=False))
    assert [d.status for d in fourth.documents] == ["ok", "ok"]
    refreshed = run_batch(src, out, limits=Limits(guarded=False), refresh=True)
    assert all(d.status == "ok" for d in refreshed.documents)
