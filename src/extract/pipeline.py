"""The plain-Python pipeline: one PDF in, one validated Referential out; a batch with a report.

The Prefect flow and the CLI's --no-prefect mode both call these functions.
"""

from __future__ import annotations

import glob
import json
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from extract import __version__
from extract.classify import classify_text
from extract.docmodel.model import DocModel, build_model
from extract.document import Document, read_document
from extract.download import fetch
from extract.errors import ExtractError, TransientError
from extract.families import FamilyResult, generic
from extract.guard import run_guarded
from extract.levels import eqf_level
from extract.links import FICHE_CHECK_CODES, exact_matches, fiche_checks
from extract.outputs import atomic_write_text, dumps, referential_json, write_referential
from extract.pdf_reading import Limits, sha256_file
from extract.records import RecordBuilder
from extract.schema import Certification, Referential, Source
from extract.scorecard import score_outputs
from extract.text import hyphenates, printed_vocabulary, vocabulary

EXTRACTOR_VERSION = __version__


def _family_parsers() -> dict[str, Callable[[DocModel], FamilyResult]]:
    from extract.families import but, fiche, re_eval, reac, rncp

    return {
        "rncp_referentiel": rncp.extract,
        "rncp_fiche": fiche.extract,
        "reac": reac.extract,
        "re": re_eval.extract,
        "but_referentiel": but.extract,
    }


LOG_NAME = "rncp-extract.log"


def log_trace(log: Path | None, what: str, trace: str) -> None:
    """Keep a traceback in the run's log file: never in the CLI output or errors.json."""
    if log is None:
        return
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8", errors="replace") as f:
            f.write(f"=== {time.strftime('%Y-%m-%d %H:%M:%S')} {what}\n{trace.rstrip()}\n")
    except OSError:
        pass


def extract_document(path: Path, limits: Limits = Limits(), log: Path | None = None) -> Referential:
    """Read, classify and extract one PDF, with its verdict. Raises ExtractError for unreadable
    input. Tracebacks of a parser that failed go to `log`, not into the output."""
    from extract.verdict import assess

    doc = read_document(path, limits)
    model = build_model(doc)
    cls = classify_text(doc.text(max_pages=6))
    parser = _family_parsers().get(cls.kind)
    failure: str | None = None
    result: FamilyResult | None = None
    vocab = vocabulary(w.text for p in doc.pages for w in p.content_words())
    typeset = hyphenates(_line_end_breaks(doc), vocab)
    if parser is not None:
        try:
            with printed_vocabulary(vocab, typeset):
                result = parser(model)
        except Exception as e:  # a parser bug must not lose the document: fall back, and say so
            failure = f"{cls.kind} parser failed: {type(e).__name__}: {e}".split("\n", 1)[0]
            log_trace(log, f"{path.name}: {failure}", traceback.format_exc())
    if result is None:
        result = generic.extract(model, cls.kind)
        if failure:
            result.builder.error("parser_failed", failure + (f" (traceback in {log.name})" if log else ""))
    b = result.builder
    _set_level_eqf(result.certification, b)
    b.info("classified", f"family {cls.kind} (confidence {cls.confidence}; scores {cls.scores})")
    for problem in doc.problems:
        b.warn(problem.code, problem.message, page=problem.page)
        if problem.trace:
            log_trace(log, f"{path.name}: {problem.message}", problem.trace)
    unreadable = {pr.page for pr in doc.problems if pr.code == "page_unreadable"}
    for p in doc.pages:
        if not p.content_words() and p.words:
            b.info("furniture_only_page", "page holds only headers/footers", page=p.number)
        elif not p.words and p.number not in unreadable and p.number not in doc.image_pages:
            b.info("blank_page", "page has no text", page=p.number)
    source = Source(sha256=doc.sha256, filename=path.name, kind="pdf", page_count=doc.page_count,
                    extractor_version=EXTRACTOR_VERSION)
    ref = b.build(cls.kind, result.certification, source)
    if doc.labels:
        for n in ref.nodes:
            n.prov.page_labels = [doc.labels.get(p, "") for p in n.prov.pages]
    ref.verdict = assess(doc, ref, cls)
    return ref


def _line_end_breaks(doc: Document) -> list[tuple[str, str]]:
    """Lines ending with a hyphen after a letter, each with the line under it in its column."""
    out = []
    for p in doc.pages:
        if not any(w.text.endswith("-") for w in p.words):
            continue
        lines = doc.content_lines(p, split_gap=1.5)
        for k, ln in enumerate(lines):
            t = ln.text
            if len(t) >= 2 and t.endswith("-") and t[-2].isalpha():
                below = [x for x in lines[k + 1:] if x.top > ln.top and abs(x.x0 - ln.x0) < 20]
                if below:
                    out.append((t, below[0].text))
    return out


def _set_level_eqf(cert: Certification, b: RecordBuilder) -> None:
    """Every family's printed level, as the EQF level it means (levels of all families compare)."""
    if cert.level_eqf is None:
        cert.level_eqf = eqf_level(cert.level)
    if cert.level and cert.level_eqf is None:
        b.warn("level_not_mapped", f"printed level {cert.level!r} has no EQF equivalent: level_eqf left null")


@dataclass
class DocResult:
    doc: str
    path: str
    status: str  # ok | unchanged | kept_previous | not_a_referential | failed (what happened to the file)
    output: str | None = None
    doc_kind: str | None = None
    nodes: int = 0
    residual: int = 0
    pages: int = 0
    message: str = ""
    error: dict[str, Any] | None = None
    # What a data team can do with the output: ok | needs_review | not_a_referential | failed.
    verdict: str = "failed"
    confidence: float | None = None
    coverage: float | None = None
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def take_verdict(self, verdict: dict[str, Any] | None) -> None:
        if not verdict:
            self.verdict, self.confidence, self.reasons = "needs_review", None, [
                {"code": "no_verdict", "message": "the output carries no verdict (made by an older extractor?)",
                 "pages": [], "nodes": []}]
            return
        self.verdict = verdict["status"]
        self.confidence = verdict.get("confidence")
        self.coverage = (verdict.get("evidence") or {}).get("coverage")
        self.reasons = [{k: r.get(k) for k in ("code", "message", "pages", "nodes")} for r in verdict.get("reasons", [])]


def up_to_date(path: Path, out: Path) -> dict[str, Any] | None:
    """The earlier output of this PDF when it was made from the same bytes by this extractor."""
    if not out.is_file():
        return None
    try:
        previous = load_json(out)
        source = previous["sources"][0]
        if source.get("sha256") == sha256_file(path) and source.get("extractor_version") == EXTRACTOR_VERSION:
            return previous
    except (OSError, ValueError, KeyError, IndexError):
        return None
    return None


def process_pdf(path: Path, out_dir: Path, limits: Limits = Limits(), force: bool = False,
                refresh: bool = False) -> DocResult:
    """Extract one PDF and write `<out_dir>/<stem>.json`; never raises for a bad input.

    Unless `refresh`, a PDF whose output was made from the same bytes (sha256) by this extractor
    version is not extracted again (status "unchanged")."""
    res = DocResult(doc=path.stem, path=str(path), status="failed")
    out = out_dir / f"{path.stem}.json"
    log = out_dir / LOG_NAME
    previous = None if refresh else up_to_date(path, out)
    if previous is not None:
        res.status, res.output, res.doc_kind = "unchanged", str(out), previous["doc_kind"]
        res.nodes = len(previous["nodes"])
        res.residual = sum(1 for n in previous["nodes"] if n["node_type"] == "residual")
        res.pages = previous["sources"][0]["page_count"]
        res.message = "same sha256 and extractor version: not extracted again"
        res.take_verdict(previous.get("verdict"))
        return res
    try:
        if limits.guarded:
            ref = run_guarded(extract_document, (path, limits, log), seconds=limits.max_seconds,
                              max_mb=limits.max_memory_mb, what=path.name)
        else:
            ref = extract_document(path, limits, log)
    except ExtractError as e:
        res.message = _one_line(str(e))
        res.error = _error_record(path, e.stage, res.message, e.hint)
        return res
    except Exception as e:  # unexpected: still one record, the batch goes on; the traceback goes to the log
        trace = getattr(e, "trace", None) or traceback.format_exc()
        summary = str(e) if getattr(e, "trace", None) else f"{type(e).__name__}: {e}"
        res.message = _one_line(summary) + f" (details in {log})"
        log_trace(log, f"{path.name}: unexpected error", trace)
        res.error = _error_record(path, "extract", res.message, "This is a bug in rncp-extract: please report it with the file "
                                  f"and the end of {LOG_NAME}.")
        return res
    verdict = ref.verdict
    if verdict is not None and verdict.status == "not_a_referential":
        # No output pretends to be a référentiel: the file gets an error record instead.
        from extract.verdict import NOT_A_REFERENTIAL_HINT

        res.status = res.verdict = "not_a_referential"
        res.pages = ref.sources[0].page_count
        res.message = f"{path.name} is not a référentiel: {verdict.reasons[0].message}"
        res.reasons = [{"code": r.code, "message": r.message, "pages": r.pages, "nodes": r.nodes} for r in verdict.reasons]
        res.confidence = verdict.confidence
        res.error = _error_record(path, "classify", res.message, NOT_A_REFERENTIAL_HINT)
        return res
    written, reason = write_referential(ref, out, force=force)
    res.status = "ok" if written else "kept_previous"
    res.output = str(out)
    res.doc_kind = ref.doc_kind
    res.nodes = len(ref.nodes)
    res.residual = sum(1 for n in ref.nodes if n.node_type == "residual")
    res.pages = ref.sources[0].page_count
    res.message = reason
    if written:
        res.take_verdict(verdict.model_dump(mode="json") if verdict else None)
    else:
        res.take_verdict(load_json(out).get("verdict"))
    return res


def _one_line(message: str) -> str:
    """The first line of an error message: what a user reads (the rest goes to the log)."""
    first = message.strip().split("\n", 1)[0]
    return first if len(first) <= 300 else first[:297] + "..."


def _error_record(path: Path, stage: str, message: str, hint: str) -> dict[str, Any]:
    try:
        digest = sha256_file(path)
    except OSError:
        digest = None
    return {"file": str(path), "sha256": digest, "stage": stage, "message": message, "hint": hint}


def is_url(item: str | Path) -> bool:
    return isinstance(item, str) and "://" in item


def fetch_source(item: str | Path, download_dir: Path, attempts: int = 3) -> Path:
    """A local path as is; a URL downloaded (transient failures retried a few times)."""
    if not is_url(item):
        return Path(item)
    for attempt in range(1, attempts + 1):
        try:
            return fetch(str(item), download_dir)
        except TransientError:
            if attempt == attempts:
                raise
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def resolve_sources(source: str | Path) -> list[Path]:
    """A folder, a glob, a single PDF, or a manifest file (one path or URL per line, # comments).

    URLs are returned as strings and fetched by the run (see fetch_source)."""
    s = str(source)
    p = Path(s)
    if p.is_dir():
        return sorted(q for q in p.iterdir() if q.suffix.lower() == ".pdf" and q.is_file())
    if p.is_file() and p.suffix.lower() == ".pdf":
        return [p]
    if p.is_file():
        base = p.parent
        paths: list[Path] = []
        for raw in p.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if "://" in line:
                paths.append(line)  # type: ignore[arg-type]  # a URL, fetched by the run
                continue
            q = Path(line)
            paths.append(q if q.is_absolute() else base / q)
        return paths
    matches = sorted(Path(m) for m in glob.glob(s))
    if not matches:
        raise ExtractError(f"no PDF found for source {s!r}", hint="Give a folder, a glob such as 'raw_pdfs/*.pdf', or a manifest file.")
    return matches


@dataclass
class RunReport:
    documents: list[DocResult] = field(default_factory=list)
    scorecard: dict[str, Any] | None = None

    @property
    def failed(self) -> list[DocResult]:
        return [d for d in self.documents if d.status == "failed"]

    @property
    def partial(self) -> bool:
        return any(d.status not in ("ok", "unchanged") for d in self.documents)

    @property
    def needs_review(self) -> list[DocResult]:
        return [d for d in self.documents if d.verdict == "needs_review"]


def finish_run(results: Iterable[DocResult], out_dir: Path, golden_dir: Path | None,
               review: bool = False) -> RunReport:
    """Write report.json, errors.json, links.json, scorecard.json, the flat tables, the run index
    (and review pages) for a batch. Verdicts take the agreement between documents into account."""
    report = RunReport(documents=list(results))
    written = [(d, load_json(Path(d.output))) for d in report.documents if d.output and Path(d.output).is_file()]
    rechecked = check_against_fiches(written)
    rechecked |= apply_agreement(written)
    if review:
        write_reviews(report.documents, golden_dir, rewritten=rechecked)
    errors = [d.error for d in report.documents if d.error]
    atomic_write_text(out_dir / "errors.json", dumps(errors))
    outputs = [doc for _, doc in written]
    atomic_write_text(out_dir / "links.json", dumps({"relations": exact_matches(outputs)}))
    write_version_diffs(outputs, out_dir / "versions",
                        changed={doc["doc_key"] for d, doc in written if d.status != "unchanged"})
    if golden_dir is not None and golden_dir.is_dir():
        report.scorecard = score_outputs({d.doc: Path(d.output) for d in report.documents if d.output}, golden_dir)
        atomic_write_text(out_dir / "scorecard.json", dumps(report.scorecard))
    from extract.run_index import write_index
    from extract.tables import write_tables

    write_tables(out_dir, documents=outputs)
    summary = {
        "extractor_version": EXTRACTOR_VERSION,
        "documents": [asdict(d) for d in report.documents],
        "failed": len(report.failed),
        "needs_review": len(report.needs_review),
        "not_a_referential": sum(1 for d in report.documents if d.verdict == "not_a_referential"),
        "partial": report.partial,
    }
    atomic_write_text(out_dir / "report.json", dumps(summary))
    write_index(report.documents, out_dir, report.scorecard)
    return report


def apply_agreement(written: list[tuple[DocResult, dict[str, Any]]]) -> set[str]:
    """Add to each output's verdict what the other documents of the run say about it (an RE and
    its REAC, a fiche and its référentiel), rewriting the outputs whose verdict changed. Returns
    the outputs rewritten."""
    from extract.verdict import RUN_CODES, agreement, with_findings

    rewritten: set[str] = set()
    found = agreement([doc for _, doc in written])
    for d, doc in written:
        findings = found.get(doc["doc_key"], [])
        had = any(r["code"] in RUN_CODES
                  for r in (doc.get("verdict") or {}).get("reasons", []) + (doc.get("verdict") or {}).get("notes", []))
        if doc.get("verdict") is None or not (findings or had):
            continue
        new = with_findings(doc["verdict"], doc, findings)
        if new != doc["verdict"]:
            doc["verdict"] = new
            atomic_write_text(Path(d.output), dumps(doc))
            rewritten.add(str(d.output))
        d.take_verdict(new)
    return rewritten


def check_against_fiches(written: list[tuple[DocResult, dict[str, Any]]]) -> set[str]:
    """A référentiel checked against the fiche of its certification in the same run: the
    disagreements become diagnostics of the référentiel's output. They are recomputed for every
    référentiel of the run (none when no fiche is there) and the output rewritten only when they
    changed, so an unchanged re-run leaves every byte as it was. Returns the outputs rewritten."""
    rewritten: set[str] = set()
    checks = fiche_checks([doc for _, doc in written])[1]
    for i, found in checks.items():
        d, doc = written[i]
        diagnostics = [x for x in doc.get("diagnostics", []) if x.get("code") not in FICHE_CHECK_CODES] + found
        if diagnostics != doc.get("diagnostics"):
            doc["diagnostics"] = diagnostics
            atomic_write_text(Path(d.output), referential_json(Referential.model_validate(doc)))
            rewritten.add(str(d.output))
    return rewritten


def write_version_diffs(outputs: list[dict[str, Any]], folder: Path, changed: set[str] | None = None) -> list[Path]:
    """When a run holds several versions of one titre (same key, other millésime), what changed
    from each to the next: <folder>/<titre>@<old>..<new>.diff.json and .txt. A diff already
    written is kept when neither version changed in this run (`changed`: doc_keys re-extracted)."""
    from extract.diff import diff, render

    by_titre: dict[str, list[dict[str, Any]]] = {}
    for o in outputs:
        if "@" in o["doc_key"]:
            by_titre.setdefault(o["doc_key"].rsplit("@", 1)[0], []).append(o)
    written = []
    for titre, versions in by_titre.items():
        versions.sort(key=lambda o: o["doc_key"].rsplit("@", 1)[1])
        for old, new in zip(versions, versions[1:]):
            name = f"{titre.replace(':', '_')}@{old['doc_key'].rsplit('@', 1)[1]}..{new['doc_key'].rsplit('@', 1)[1]}"
            if (changed is not None and not {old["doc_key"], new["doc_key"]} & changed
                    and (folder / f"{name}.diff.json").is_file()):
                continue
            d = diff(old, new)
            atomic_write_text(folder / f"{name}.diff.json", dumps(d))
            atomic_write_text(folder / f"{name}.diff.txt", render(d) + "\n")
            written.append(folder / f"{name}.diff.json")
    return written


def write_reviews(documents: Iterable[DocResult], golden_dir: Path | None,
                  rewritten: set[str] | None = None) -> None:
    """One <stem>.review.html per extracted document, beside its JSON (again for an unchanged
    document whose output the run `rewritten`)."""
    from extract.review import write_review

    for d in documents:
        if not d.output:
            continue
        out = Path(d.output)
        if d.status == "unchanged" and out.with_suffix(".review.html").is_file() and str(out) not in (rewritten or set()):
            continue
        ref = Referential.model_validate_json(out.read_text(encoding="utf-8"))
        gpath = golden_dir / f"{d.doc}.json" if golden_dir else None
        golden = load_json(gpath) if gpath is not None and gpath.is_file() else None
        pdf = Path(d.path)
        try:
            write_review(ref, pdf if pdf.is_file() else None, out.with_suffix(".review.html"), golden)
        except Exception:  # noqa: BLE001 - a review page must not stop the run; the reason goes to the log
            log_trace(out.parent / LOG_NAME, f"{d.doc}: review page not written", traceback.format_exc())


def run_batch(
    source: str | Path,
    out_dir: Path,
    golden_dir: Path | None = None,
    limits: Limits = Limits(),
    force: bool = False,
    on_done: Callable[[DocResult], None] | None = None,
    review: bool = False,
    refresh: bool = False,
) -> RunReport:
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for item in resolve_sources(source):
        r = process_source(item, out_dir, limits, force, refresh)
        results.append(r)
        if on_done:
            on_done(r)
    return finish_run(results, out_dir, golden_dir, review)


def process_source(item: str | Path, out_dir: Path, limits: Limits = Limits(), force: bool = False,
                   refresh: bool = False) -> DocResult:
    """process_pdf for a path or a URL; a failed download is one error record like any other."""
    try:
        path = fetch_source(item, out_dir / "downloads")
    except (ExtractError, TransientError) as e:
        return download_failure(str(item), e)
    return process_pdf(path, out_dir, limits, force, refresh)


def download_failure(url: str, e: Exception) -> DocResult:
    name = url.rstrip("/").rsplit("/", 1)[-1] or url
    res = DocResult(doc=Path(name).stem, path=url, status="failed", message=str(e))
    res.error = {"file": url, "sha256": None, "stage": getattr(e, "stage", "download"), "message": str(e),
                 "hint": getattr(e, "hint", "") or "The server did not answer: retry later."}
    return res


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
