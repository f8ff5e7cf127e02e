"""Bad and hostile input: every file gets a clear error record, the batch goes on, nothing good is
overwritten with something worse."""

import http.server
import json
import random
import threading
import zlib
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from conftest import RAW
from extract.download import DownloadLimits, fetch, safe_name
from extract.errors import InputError, LimitExceeded, TransientError
from extract.pdf_reading import Limits
from extract.pipeline import process_pdf, run_batch
from pdfgen import pdf_with_pages, raw_pdf


def _encrypted(path: Path, user_password: str) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=user_password or " ")
    if not user_password:
        from reportlab.lib import pdfencrypt

        c = canvas.Canvas(str(path), pagesize=A4,
                          encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner-secret"))
    c.drawString(72, 700, "Référentiel de compétences - Bloc de compétences n° 1")
    c.showPage()
    c.save()
    return path


def _scanned(path: Path) -> Path:
    from PIL import Image

    img = path.with_suffix(".png")
    Image.new("RGB", (400, 300), (240, 240, 240)).save(img)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(str(img), 50, 400, 400, 300)
    c.showPage()
    c.save()
    return path


def _bomb(path: Path, megabytes: int = 600) -> Path:
    """A valid PDF whose one content stream inflates to `megabytes` of data."""
    stream = zlib.compress(b"0 0 m\n" * (megabytes * 1024 * 1024 // 6), 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    return raw_pdf(path, objs)


def _error(tmp_path: Path, pdf: Path, limits: Limits = Limits()) -> dict:
    r = process_pdf(pdf, tmp_path / "out", limits)
    assert r.status == "failed" and r.error is not None, r
    assert r.error["hint"] and r.error["sha256"] and r.error["stage"]
    return r.error


def test_encrypted_with_empty_user_password_is_read(tmp_path):
    r = process_pdf(_encrypted(tmp_path / "open.pdf", ""), tmp_path / "out")
    assert r.status == "ok"
    doc = json.loads(Path(r.output).read_text())
    assert "Bloc de compétences" in " ".join(n["text"] for n in doc["nodes"])


def test_encrypted_with_a_password_is_a_clear_error(tmp_path):
    err = _error(tmp_path, _encrypted(tmp_path / "locked.pdf", "s3cret"))
    assert "encrypted" in err["message"] and "password" in err["hint"].lower() + err["message"].lower()


def test_scanned_pdf_without_text_layer_asks_for_ocr(tmp_path):
    err = _error(tmp_path, _scanned(tmp_path / "scan.pdf"))
    assert "no text layer" in err["message"] and "OCR" in err["hint"]
    assert not (tmp_path / "out" / "scan.json").exists()


def test_too_many_pages_is_refused_cleanly(tmp_path):
    pages = [[(72, 100, f"page {i}")] for i in range(1000)]
    err = _error(tmp_path, pdf_with_pages(tmp_path / "long.pdf", pages))
    assert "1000 pages" in err["message"] and err["stage"] == "limits"


def test_absurd_page_size_is_refused(tmp_path):
    c = canvas.Canvas(str(tmp_path / "huge.pdf"), pagesize=(200000, 200000))
    c.drawString(72, 100, "Bloc de compétences")
    c.showPage()
    c.save()
    err = _error(tmp_path, tmp_path / "huge.pdf")
    assert "over the" in err["message"] and err["stage"] == "limits"


def test_decompression_bomb_hits_the_memory_limit(tmp_path):
    err = _error(tmp_path, _bomb(tmp_path / "bomb.pdf"), Limits(max_memory_mb=400, max_seconds=60))
    assert err["stage"] == "limits" and ("memory" in err["message"] or "stopped after" in err["message"])


def test_slow_document_hits_the_time_limit(tmp_path):
    err = _error(tmp_path, RAW / "reac-dwwm-tp01280-v04.pdf", Limits(max_seconds=0.5))
    assert "stopped after" in err["message"]


def test_a_worse_rerun_never_replaces_a_good_output(tmp_path, monkeypatch):
    pdf = RAW / "rncp-webmarketing-communication-digitale.pdf"
    good = process_pdf(pdf, tmp_path, Limits(guarded=False))
    before = Path(good.output).read_bytes()
    from extract.families import rncp

    def broken(doc):
        raise RuntimeError("simulated parser bug")

    monkeypatch.setattr(rncp, "extract", broken)
    worse = process_pdf(pdf, tmp_path, Limits(guarded=False), refresh=True)  # re-extract, as a new version would
    assert worse.status == "kept_previous" and "kept the previous output" in worse.message
    assert Path(good.output).read_bytes() == before
    rejected = json.loads((tmp_path / f"{pdf.stem}.rejected.json").read_text())
    assert any(d["code"] == "parser_failed" for d in rejected["diagnostics"])


# Mutated copies of the corpus, seeded: every one gives a result or one clean error record. The
# 265-page programme is left out to keep the run short (its pages are the same kind of objects).
FUZZ_SOURCES = [p for p in sorted(RAW.glob("*.pdf")) if p.stat().st_size < 1_500_000]
TRACEBACK = ("Traceback (most recent call last)", 'File "', "\n  ")


def _mutated(seed: int, folder: Path) -> Path:
    rng = random.Random(seed)
    data = bytearray(FUZZ_SOURCES[seed % len(FUZZ_SOURCES)].read_bytes())
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if seed % 3 == 0:
        data = data[: rng.randrange(len(data))]
    pdf = folder / f"fuzz{seed}.pdf"
    pdf.write_bytes(bytes(data))
    return pdf


@pytest.mark.parametrize("seed", range(80))
def test_fuzzed_corpus_pdfs_give_a_result_or_a_clean_error(tmp_path, seed):
    pdf = _mutated(seed, tmp_path)
    r = process_pdf(pdf, tmp_path / "out", Limits(max_seconds=60))
    assert r.status in ("ok", "not_a_referential", "failed") and r.verdict in (
        "ok", "needs_review", "not_a_referential", "failed")
    if r.error is not None:
        assert r.error["message"] and r.error["hint"]
        text = r.error["message"] + r.error["hint"]
        assert not any(t in text for t in TRACEBACK), text
        # a page PDFium cannot read costs that page, never the document
        assert "page size" not in text, text
    if r.output:
        doc = json.loads(Path(r.output).read_text(encoding="utf-8"))  # written whatever the text held
        assert doc["verdict"]["status"] == r.verdict
        assert not any(t in json.dumps(doc, ensure_ascii=False) for t in TRACEBACK[:2])
        unreadable = sorted({d["page"] for d in doc["diagnostics"] if d["code"] == "page_unreadable"})
        if unreadable:
            assert r.verdict == "needs_review"
            named = {p for x in doc["verdict"]["reasons"] if x["code"] == "page_unreadable" for p in x["pages"]}
            assert named == set(unreadable)


def test_lone_surrogates_never_stop_the_write(tmp_path):
    from extract.document import PageProblem, _readable_text
    from extract.layout import PageLayout, Word
    from extract.outputs import atomic_write_text, dumps

    page = PageLayout(number=3, width=595, height=842, words=[Word("Comp\ud835tence", 72, 100, 140, 110), Word("ok", 150, 100, 160, 110)])
    problems: list[PageProblem] = []
    _readable_text(page, problems)
    assert page.words[0].text == "Comp\ufffdtence" and page.words[1].text == "ok"
    assert [(p.page, p.code) for p in problems] == [(3, "unreadable_characters")]
    atomic_write_text(tmp_path / "x.json", dumps({"text": "a\udc80b \U0001d400"}))
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))["text"] == "a\ufffdb \U0001d400"


def test_no_traceback_reaches_the_cli_or_errors_json(tmp_path, capsys, monkeypatch):
    """An unexpected error in a parser, and one in the command itself: one line on screen and in
    errors.json, the traceback in <out>/rncp-extract.log."""
    from extract import cli
    from extract.families import rncp

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.pdf").write_bytes((RAW / "rncp-webmarketing-communication-digitale.pdf").read_bytes())
    for seed in (10, 13):  # pages PDFium cannot read
        _mutated(seed, src)

    def broken(doc):
        raise KeyError("simulated parser bug")

    monkeypatch.setattr(rncp, "extract", broken)
    out = tmp_path / "out"
    code = cli.main(["ingest", str(src), "--out", str(out), "--no-prefect", "--no-guard", "--quiet", "--no-review"])
    printed = capsys.readouterr()
    assert code in (0, 2)
    assert not any(t in printed.out + printed.err for t in TRACEBACK[:2])
    report = json.loads((out / "report.json").read_text())
    verdicts = {d["doc"]: d["verdict"] for d in report["documents"]}
    assert verdicts["a"] == "needs_review"  # the parser failed: residual content and a parser_failed error
    assert not any(t in (out / "errors.json").read_text() for t in TRACEBACK[:2])
    doc = json.loads((out / "a.json").read_text())
    failed = next(d for d in doc["diagnostics"] if d["code"] == "parser_failed")
    assert "simulated parser bug" in failed["message"] and "Traceback" not in failed["message"]
    assert "Traceback (most recent call last)" in (out / "rncp-extract.log").read_text()

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash\nwith a second line")

    monkeypatch.setattr("extract.pipeline.finish_run", crash)
    code = cli.main(["ingest", str(src), "--out", str(out), "--no-prefect", "--no-guard", "--quiet", "--no-review"])
    printed = capsys.readouterr()
    assert code == 2 and "simulated crash" in printed.err and "second line" not in printed.err
    assert not any(t in printed.out + printed.err for t in TRACEBACK[:2])
    assert "simulated crash" in (out / "rncp-extract.log").read_text()


# ---------------------------------------------------------------- downloads


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_downloads_checked_capped_and_safely_named(tmp_path, server):
    pdf = (RAW / "rncp-chef-de-projet-digital.pdf").read_bytes()
    _Handler.routes = {
        "/ok.pdf": (200, {"Content-Disposition": 'attachment; filename="../../etc/passwd"'}, pdf),
        "/error.pdf": (200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html>Erreur</html>"),
        "/big.pdf": (200, {}, b"%PDF-1.4\n" + b"0" * 5000),
        "/down.pdf": (503, {}, b"busy"),
        "/gone.pdf": (404, {}, b"no"),
    }
    path = fetch(f"{server}/ok.pdf", tmp_path / "dl")
    assert path.parent == tmp_path / "dl" and path.read_bytes() == pdf and ".." not in path.name
    with pytest.raises(InputError, match="did not return a PDF"):
        fetch(f"{server}/error.pdf", tmp_path / "dl")
    with pytest.raises(LimitExceeded):
        fetch(f"{server}/big.pdf", tmp_path / "dl", DownloadLimits(max_bytes=1000))
    with pytest.raises(TransientError):
        fetch(f"{server}/down.pdf", tmp_path / "dl")
    with pytest.raises(InputError, match="404"):
        fetch(f"{server}/gone.pdf", tmp_path / "dl")
    with pytest.raises(TransientError):
        fetch("http://127.0.0.1:1/nothing.pdf", tmp_path / "dl", DownloadLimits(timeout=2))


def test_safe_names_never_leave_the_folder():
    for url, disp in [("http://x/a/../../b.pdf", None), ("http://x/%2e%2e%2fetc%2fpasswd", None),
                      ("http://x/doc", 'attachment; filename="..\\\\..\\\\win.ini"'), ("http://x/", None)]:
        name = safe_name(url, disp)
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name.endswith(".pdf")


def test_manifest_with_urls_runs_and_reports_download_errors(tmp_path, server):
    _Handler.routes = {"/fiche.pdf": (200, {}, (RAW / "rncp-chef-de-projet-digital.pdf").read_bytes()),
                       "/missing.pdf": (404, {}, b"")}
    manifest = tmp_path / "sources.txt"
    manifest.write_text(f"{server}/fiche.pdf\n{server}/missing.pdf\n{RAW / 'but-mmi-competences.pdf'}\n")
    report = run_batch(manifest, tmp_path / "out")
    assert [d.status for d in report.documents] == ["ok", "failed", "ok"]
    errors = json.loads((tmp_path / "out" / "errors.json").read_text())
    assert errors[0]["stage"] == "download" and "404" in errors[0]["message"]


def test_prefect_retries_downloads_only_on_transient_failures():
    from prefect.states import Failed

    from flows.ingest import _transient, extract_pdf, fetch_pdf

    assert fetch_pdf.retries == 2 and extract_pdf.retries == 0
    assert _transient(None, None, Failed(data=TransientError("HTTP 503"))) is True
    assert _transient(None, None, Failed(data=InputError("not a PDF"))) is False
