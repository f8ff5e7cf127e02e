"""`rncp-extract`: the command line.

    rncp-extract ingest raw_pdfs --out output --golden golden   # Prefect flow, embedded server
    rncp-extract ingest raw_pdfs --out output --no-prefect      # same work, plain Python
    rncp-extract compare output/x.json golden/x.json            # readable diff against a golden
    rncp-extract schema --check                                 # is schema/*.json current?
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

from extract import __version__
from extract.errors import ExtractError
from extract.pdf_reading import Limits

EXIT_OK, EXIT_USAGE, EXIT_PARTIAL, EXIT_REVIEW = 0, 1, 2, 3
SCHEMA_PATH = Path("schema/referential.schema.json")


def _limits(args: argparse.Namespace) -> Limits:
    return Limits(
        max_pages=args.max_pages,
        max_bytes=int(args.max_mb * 1024 * 1024),
        max_seconds=args.max_seconds,
        max_memory_mb=args.max_memory_mb,
        guarded=not args.no_guard,
        engine=args.engine,
    )


def _progress(total: int, quiet: bool) -> tuple[Callable[[object], None], Callable[[], None]]:
    """A progress bar on stderr (silent when not a terminal and --quiet)."""
    if quiet:
        return (lambda r: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=False,
    )
    task = progress.add_task("", total=total)
    progress.start()

    def advance(result: object) -> None:
        doc = getattr(result, "doc", "")
        status = getattr(result, "status", "")
        progress.update(task, advance=1, description=f"{doc} [{status}]")

    return advance, progress.stop


def _print_run(report: object, out_dir: Path) -> None:
    from extract.scorecard import render_scorecard

    docs = report.documents  # type: ignore[attr-defined]
    print(f"\n{len(docs)} document(s) -> {out_dir}/")
    for d in docs:
        mark = {"ok": "done", "unchanged": "same", "kept_previous": "KEPT", "failed": "FAIL",
                "not_a_referential": "SKIP"}[d.status]
        detail = f"{d.doc_kind}, {d.nodes} nodes ({d.residual} residual), {d.pages} p" if d.output else d.message
        confidence = f" {d.confidence:.2f}" if d.output and d.confidence is not None else ""
        print(f"  {mark} {d.doc:50s} {d.verdict:17s}{confidence:5s} {detail}")
        if d.status not in ("ok", "not_a_referential") and d.output:
            print(f"       {d.message}")
        if d.verdict == "needs_review":
            for r in d.reasons[:3]:
                pages = f" (page {', '.join(map(str, r['pages'][:8]))})" if r.get("pages") else ""
                print(f"       - {r['code']}: {r['message'][:160]}{pages}")
            if len(d.reasons) > 3:
                print(f"       - and {len(d.reasons) - 3} more reason(s): see {out_dir}/index.html")
        if d.error:
            print(f"       hint: {d.error['hint']}")
    if report.scorecard is not None:  # type: ignore[attr-defined]
        print("\nScorecard against golden (SCHEMA.md section 4):")
        print(render_scorecard(report.scorecard))  # type: ignore[attr-defined]
    counts = {v: sum(1 for d in docs if d.verdict == v) for v in ("ok", "needs_review", "not_a_referential", "failed")}
    print("\nVerdicts: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n) + f" (run index: {out_dir}/index.html)")
    failed = [d for d in docs if d.status in ("failed", "not_a_referential")]
    if failed:
        print(f"{len(failed)} file(s) gave no référentiel: see {out_dir}/errors.json")


def cmd_ingest(args: argparse.Namespace) -> int:
    from extract.pipeline import finish_run, process_source, resolve_sources

    out_dir, golden = Path(args.out), Path(args.golden) if args.golden else None
    try:
        paths = resolve_sources(args.source)
    except ExtractError as e:
        print(f"error: {e}\nhint: {e.hint}", file=sys.stderr)
        return EXIT_USAGE
    if not paths:
        print(f"error: no PDF in {args.source}", file=sys.stderr)
        return EXIT_USAGE
    advance, stop = _progress(len(paths), args.quiet)
    limits = _limits(args)
    try:
        if args.no_prefect:
            out_dir.mkdir(parents=True, exist_ok=True)
            results = []
            for p in paths:
                r = process_source(p, out_dir, limits, args.force, args.refresh)
                results.append(r)
                advance(r)
            report = finish_run(results, out_dir, golden, review=not args.no_review)
        else:
            os.environ.setdefault("DO_NOT_TRACK", "1")
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            # A fresh PREFECT_HOME sets up its database on first start: the 20 s default is too short.
            os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
            if not args.verbose:
                os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
            from flows.ingest import ingest_files

            report = ingest_files(paths, out_dir, golden, limits, args.force, on_done=advance,
                                  review=not args.no_review, refresh=args.refresh)
    finally:
        stop()
    _print_run(report, out_dir)
    if report.partial:
        return EXIT_PARTIAL
    if args.strict and report.needs_review:
        print(f"--strict: {len(report.needs_review)} document(s) need review", file=sys.stderr)
        return EXIT_REVIEW
    return EXIT_OK


def _load_json_files(*paths: str) -> list[dict] | None:
    """The JSON documents named on the command line, or None after printing why not."""
    try:
        return [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return None


def cmd_compare(args: argparse.Namespace) -> int:
    from extract.compare import compare, render_diff

    docs = _load_json_files(args.output, args.golden)
    if docs is None:
        return EXIT_USAGE
    cmp = compare(*docs)
    if args.json:
        print(json.dumps(cmp.summary(), ensure_ascii=False, indent=2))
    else:
        print(render_diff(cmp, limit=args.limit))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from extract.outputs import atomic_write_text, dumps
    from extract.schema import json_schema

    text = dumps(json_schema())
    path = Path(args.out)
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date: run `rncp-extract schema` and commit it", file=sys.stderr)
            return EXIT_PARTIAL
        print(f"{path} is current")
        return EXIT_OK
    atomic_write_text(path, text)
    print(f"wrote {path}")
    return EXIT_OK


def _load_referential(path: str) -> object:
    from extract.schema import Referential

    return Referential.model_validate_json(Path(path).read_text(encoding="utf-8"))


def cmd_export(args: argparse.Namespace) -> int:
    from extract.outputs import atomic_write_text, dumps

    if args.format == "case":
        from extract.case_export import to_case

        text = dumps(to_case(_load_referential(args.input)))  # type: ignore[arg-type]
        if args.out:
            atomic_write_text(Path(args.out), text)
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(text)
        return EXIT_OK
    from extract.tables import write_tables

    folder = Path(args.input)
    if not folder.is_dir():
        print(f"error: --format tables takes a run's output folder, not {args.input}", file=sys.stderr)
        return EXIT_USAGE
    for name, path in write_tables(folder, Path(args.out) if args.out else None).items():
        print(f"wrote {path} and {path.with_suffix('.jsonl').name}")
    return EXIT_OK


def cmd_golden(args: argparse.Namespace) -> int:
    from extract.golden_tools import check, draft
    from extract.outputs import atomic_write_text, dumps

    if args.action == "draft":
        from extract.pipeline import extract_document

        text = dumps(draft(extract_document(Path(args.path))))
        out = Path(args.out) if args.out else None
        if out:
            atomic_write_text(out, text)
            print(f"wrote {out}: correct it by hand against the PDF, then `rncp-extract golden check {out}`")
        else:
            sys.stdout.write(text)
        return EXIT_OK
    status = EXIT_OK
    for p in args.paths:
        problems = check(json.loads(Path(p).read_text(encoding="utf-8")))
        print(f"{p}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems[: args.limit]:
            print(f"  - {problem}")
        status = status if not problems else EXIT_PARTIAL
    return status


def cmd_review(args: argparse.Namespace) -> int:
    from extract.review import write_review

    ref = _load_referential(args.output)
    pdf = Path(args.pdf) if args.pdf else Path(args.raw) / ref.sources[0].filename  # type: ignore[attr-defined]
    golden = None
    gpath = Path(args.golden) if args.golden else Path("golden") / f"{Path(args.output).stem}.json"
    if gpath.is_file():
        golden = json.loads(gpath.read_text(encoding="utf-8"))
    out = Path(args.out) if args.out else Path(args.output).with_suffix(".review.html")
    write_review(ref, pdf if pdf.is_file() else None, out, golden)  # type: ignore[arg-type]
    print(f"wrote {out}" + ("" if pdf.is_file() else f" (PDF {pdf} not found: no page images)"))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from extract.diff import diff, render

    docs = _load_json_files(args.old, args.new)
    if docs is None:
        return EXIT_USAGE
    d = diff(*docs)
    print(json.dumps(d, ensure_ascii=False, indent=2) if args.json else render(d, args.limit))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rncp-extract",
        description="Turn French certification référentiels (RNCP, REAC, RE/RC, BUT) from PDF into "
        "validated JSON in one common schema, and score them against golden files.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "ingest",
        help="extract every PDF of a source into JSON, with a scorecard against golden files",
        description="Extract every PDF of SOURCE into <out>/<pdf stem>.json, each with a verdict read from the "
        "document itself: ok, needs_review (with reasons naming pages and nodes), not_a_referential (no output, "
        "a record in errors.json) or failed. Writes report.json, errors.json (files that gave no référentiel, "
        "with a hint), index.html (every document, its verdict and reasons), nodes.parquet and relations.parquet "
        "and, with --golden, scorecard.json; tracebacks go to rncp-extract.log. Exit code 0 when every file was "
        "extracted, 2 when the run was partial (a file failed or is not a référentiel), 3 with --strict when a "
        "document needs review.",
    )
    p.add_argument("source", help="a folder of PDFs, a glob ('raw_pdfs/*.pdf'), one PDF, or a manifest file (one path or http(s) URL per line)")
    p.add_argument("--out", default="output", help="output folder (default: output)")
    p.add_argument("--golden", default=None, help="folder of golden JSON files named <pdf stem>.json")
    p.add_argument("--no-prefect", action="store_true", help="run the library directly, without Prefect")
    p.add_argument("--force", action="store_true", help="replace earlier outputs even when the new result understood less")
    p.add_argument("--max-pages", type=int, default=Limits.max_pages, help="refuse documents with more pages (default: %(default)s)")
    p.add_argument("--max-seconds", type=float, default=Limits.max_seconds, help="time limit per document (default: %(default)s)")
    p.add_argument("--max-mb", type=float, default=Limits.max_bytes / 1024 / 1024, help="size limit per file in MB (default: %(default)s)")
    p.add_argument("--max-memory-mb", type=float, default=Limits.max_memory_mb, help="memory limit per document in MB (default: %(default)s)")
    p.add_argument("--no-guard", action="store_true", help="extract in this process, without the time and memory guard")
    p.add_argument("--engine", choices=("pdfium", "pdfplumber"), default=Limits.engine,
                   help="PDF reader: pdfium (fast, default) or pdfplumber (pure Python); same output")
    p.add_argument("--no-review", action="store_true", help="do not write the <stem>.review.html pages")
    p.add_argument("--refresh", action="store_true",
                   help="extract every PDF again, even those whose output was made from the same bytes by this version")
    p.add_argument("--strict", action="store_true",
                   help="exit with code 3 when any document's verdict is needs_review (pipelines that must stop on doubt)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true", help="show Prefect's logs")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "compare",
        help="compare one output with its golden file (readable diff)",
        description="Compare OUTPUT.json with GOLDEN.json by the rules of SCHEMA.md section 4: "
        "per node type key F1 and exact-node F1, relation F1, then missing, extra and differing nodes.",
    )
    p.add_argument("output")
    p.add_argument("golden")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--limit", type=int, default=200, help="at most this many differences (default: %(default)s)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "export",
        help="export one output as a CASE 1.1 package, or a run folder as flat tables",
        description="--format case OUTPUT.json: a 1EdTech CASE 1.1 CFPackage (stdout or --out). "
        "--format tables OUTPUT_DIR: nodes/relations as Parquet and JSONL across all documents.",
    )
    p.add_argument("input", help="an output JSON (case) or a run's output folder (tables)")
    p.add_argument("--format", choices=("case", "tables"), required=True)
    p.add_argument("--out", help="file (case) or folder (tables); default: stdout / the input folder")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "golden",
        help="draft a golden from a PDF, or check golden files",
        description="golden draft PDF [--out FILE]: the current output in the golden profile, to correct by "
        "hand. golden check FILE...: keys unique, parents exist, positions contiguous, profile fields only.",
    )
    gsub = p.add_subparsers(dest="action", required=True)
    g = gsub.add_parser("draft", help="write a golden-profile draft from the current extraction")
    g.add_argument("path", help="the PDF")
    g.add_argument("--out", help="where to write it (default: stdout)")
    g = gsub.add_parser("check", help="validate golden files")
    g.add_argument("paths", nargs="+")
    g.add_argument("--limit", type=int, default=30, help="problems shown per file (default: %(default)s)")
    p.set_defaults(func=cmd_golden)

    p = sub.add_parser(
        "review",
        help="write a self-contained HTML review page of one output",
        description="Pages with the box of every node drawn on them, the extracted tree, diagnostics, residual "
        "nodes and, when a golden exists, the differences. Opens offline.",
    )
    p.add_argument("output", help="an output JSON")
    p.add_argument("--pdf", help="the source PDF (default: <raw>/<source filename>)")
    p.add_argument("--raw", default="raw_pdfs", help="where to look for the source PDF (default: %(default)s)")
    p.add_argument("--golden", help="golden to compare with (default: golden/<stem>.json when it exists)")
    p.add_argument("--out", help="default: <output stem>.review.html beside it")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser(
        "diff",
        help="what changed between two versions of a référentiel (added, removed, changed, renumbered)",
        description="Nodes are matched on key, then on identical text (renumbered), then on similar text.",
    )
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--json", action="store_true", help="the full diff as JSON")
    p.add_argument("--limit", type=int, default=60, help="lines per section (default: %(default)s)")
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("schema", help="write (or --check) the JSON Schema of the common schema")
    p.add_argument("--out", default=str(SCHEMA_PATH), help="default: %(default)s")
    p.add_argument("--check", action="store_true", help="fail if the file on disk is not current")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_PARTIAL
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout again at exit
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - never a traceback on screen: one line, the rest in the log
        import tempfile
        import traceback

        from extract.pipeline import LOG_NAME, log_trace

        # The run's output folder when the command has one, else the temporary folder.
        out = getattr(args, "out", None) if args.command == "ingest" else None
        log = (Path(out) if out else Path(tempfile.gettempdir())) / LOG_NAME
        log_trace(log, f"rncp-extract {args.command}: unexpected error", traceback.format_exc())
        message = str(e).strip().split("\n", 1)[0]
        print(f"error: {type(e).__name__}: {message}\n(this is a bug in rncp-extract; the details are in {log})",
              file=sys.stderr)
        return EXIT_PARTIAL


if __name__ == "__main__":
    raise SystemExit(main())
