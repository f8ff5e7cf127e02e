"""`make bench`: speed, memory and accuracy of rncp-extract against the floor and plain baselines.

One process, one core, no result cache: every PDF of raw_pdfs/ is read and extracted afresh.
- end_to_end: our extraction (library path, no Prefect), pages/s per family and in total;
- floor: pypdfium2 raw text of the same pages (the least any extractor must do);
- baselines: pdfplumber extract_tables and camelot lattice on every page, and what their tables
  give when mapped naively onto the schema (RNCP: one row -> activity/competence/modality/criterion);
- memory: peak RSS of a fresh process extracting the largest REAC.
Writes bench/results.json and the README table between its markers.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # camelot/opencv: one core like everything else

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from extract.compare import compare  # noqa: E402
from extract.pdf_reading import Limits  # noqa: E402
from extract.pipeline import extract_document  # noqa: E402
from extract.text import key_code  # noqa: E402

RAW, GOLDEN = ROOT / "raw_pdfs", ROOT / "golden"
CODE = re.compile(r"\b(C[A-Z]?\.?\d+(?:\.\d+)*|A\.?\d+(?:\.\d+)+)\b")


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import pdfplumber
    import pypdfium2

    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "system": platform.platform(), "pdfplumber": pdfplumber.__version__, "pypdfium2": str(getattr(pypdfium2, "PYPDFIUM_INFO", "")),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


def family(stem: str) -> str:
    for prefix, fam in (("rncp", "rncp"), ("reac", "reac"), ("re-", "re"), ("rc-", "re"), ("but", "but")):
        if stem.startswith(prefix):
            return fam
    return "other"


def timed(fn, *args):  # noqa: ANN001, ANN201
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def end_to_end(pdfs: list[Path]) -> tuple[dict, dict]:
    per_family: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    outputs = {}
    limits = Limits(guarded=False)
    for pdf in pdfs:
        ref, dt = timed(extract_document, pdf, limits)
        pages = ref.sources[0].page_count
        for key in (family(pdf.stem), "total"):
            per_family[key][0] += pages
            per_family[key][1] += dt
        outputs[pdf.stem] = ref.model_dump(mode="json")
    stats = {k: {"pages": int(p), "seconds": round(s, 2), "pages_per_s": round(p / s, 1)} for k, (p, s) in per_family.items()}
    return stats, outputs


def floor(pdfs: list[Path]) -> dict:
    import pypdfium2 as pdfium

    pages, t = 0, time.perf_counter()
    for pdf in pdfs:
        doc = pdfium.PdfDocument(str(pdf))
        for page in doc:
            page.get_textpage().get_text_range()
            pages += 1
        doc.close()
    dt = time.perf_counter() - t
    return {"what": "pypdfium2 raw text", "pages": pages, "seconds": round(dt, 2), "pages_per_s": round(pages / dt, 1)}


def pdfplumber_tables(pdfs: list[Path]) -> tuple[dict, dict]:
    import pdfplumber

    tables: dict[str, list[list[str]]] = {}
    pages, t = 0, time.perf_counter()
    for pdf in pdfs:
        rows: list[list[str]] = []
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages:
                for table in page.extract_tables():
                    rows += [[c or "" for c in row] for row in table]
                pages += 1
        tables[pdf.stem] = rows
    dt = time.perf_counter() - t
    return {"what": "pdfplumber extract_tables, every page", "pages": pages, "seconds": round(dt, 2),
            "pages_per_s": round(pages / dt, 1)}, tables


def camelot_tables(pdfs: list[Path]) -> tuple[dict, dict]:
    import camelot

    tables: dict[str, list[list[str]]] = {}
    pages, t = 0, time.perf_counter()
    for pdf in pdfs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = camelot.read_pdf(str(pdf), pages="1-end", flavor="lattice")
            except Exception as e:  # noqa: BLE001 - a baseline failing is a result, not a crash
                print(f"  camelot failed on {pdf.name}: {type(e).__name__}", file=sys.stderr)
                found = []
        tables[pdf.stem] = [list(map(str, row)) for tb in found for row in tb.df.values.tolist()]
        import pypdfium2 as pdfium

        pages += len(pdfium.PdfDocument(str(pdf)))
    dt = time.perf_counter() - t
    return {"what": "camelot lattice, every page", "pages": pages, "seconds": round(dt, 2),
            "pages_per_s": round(pages / dt, 1)}, tables


def naive_rncp(doc_key: str, rows: list[list[str]]) -> dict:
    """What a plain table reader gives in the schema: each 4+-cell row is one activity, competence,
    modality and criterion, keyed by the first code printed in the cell (else an ordinal)."""
    nodes, block, ordinals = [], "block:1", defaultdict(int)
    types = ("activity", "competence", "assessment_modality", "assessment_criterion")
    nodes.append({"node_key": f"{doc_key}/{block}", "node_type": "block", "text": ""})
    for row in rows:
        cells = [c.strip() for c in row if c is not None]
        filled = [c for c in cells if c]
        bloc = re.match(r"(?i)^bloc\s*(\d+)", filled[0]) if len(filled) == 1 else None
        if bloc:
            block = f"block:{bloc.group(1)}"
            nodes.append({"node_key": f"{doc_key}/{block}", "node_type": "block", "text": filled[0]})
            continue
        if len(cells) < 4 or any("REFERENTIEL" in c.upper() or "MODALIT" in c.upper() for c in filled):
            continue
        for node_type, text in zip(types, cells[-4:]):
            if not text:
                continue
            m = CODE.search(text)
            ordinals[(block, node_type)] += 1
            code = key_code(m.group(1)) if m else str(ordinals[(block, node_type)])
            key = f"{doc_key}/{block}/{node_type}:{code}"
            nodes.append({"node_key": key, "node_type": node_type, "text": "\n".join(text.splitlines())})
    seen, unique = set(), []
    for n in nodes:
        if n["node_key"] not in seen:
            seen.add(n["node_key"])
            unique.append(n)
    return {"doc_key": doc_key, "nodes": unique, "relations": []}


def accuracy(outputs: dict, pdfplumber_rows: dict, camelot_rows: dict) -> dict:
    out = {}
    for g in sorted(GOLDEN.glob("*.json")):
        golden = json.loads(g.read_text(encoding="utf-8"))
        row = {"ours": compare(outputs[g.stem], golden).summary()["exact_node_f1"]}
        if g.stem.startswith("rncp"):
            for name, rows in (("pdfplumber_tables", pdfplumber_rows), ("camelot_tables", camelot_rows)):
                row[name] = compare(naive_rncp(golden["doc_key"], rows.get(g.stem, [])), golden).summary()["exact_node_f1"]
        out[g.stem] = row
    return out


def peak_rss_largest_reac() -> dict:
    reacs = sorted(RAW.glob("reac-*.pdf"), key=lambda p: len(__import__("pypdfium2").PdfDocument(str(p))))
    largest = reacs[-1]
    code = ("import resource, sys; from pathlib import Path; sys.path.insert(0, 'src');"
            "from extract.pdf_reading import Limits; from extract.pipeline import extract_document;"
            f"extract_document(Path({str(largest)!r}), Limits(guarded=False));"
            # VmHWM belongs to this address space; ru_maxrss would carry the parent's peak over fork.
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return {"document": largest.name, "peak_rss_mb": round(int(out.stdout.strip().splitlines()[-1]) / 1024, 1)}


def readme_table(results: dict) -> str:
    e, f = results["end_to_end"], results["floor"]
    lines = [
        f"Measured by `make bench` on {results['machine']['cpu']} ({results['machine']['cores']} cores, one used), "
        f"Python {results['machine']['python']}, {results['date']}.",
        "",
        "| run | pages | seconds | pages/s |",
        "|---|---:|---:|---:|",
    ]
    for k in ("rncp", "reac", "re", "but", "total"):
        if k in e:
            lines.append(f"| rncp-extract, {k} | {e[k]['pages']} | {e[k]['seconds']} | {e[k]['pages_per_s']} |")
    lines.append(f"| floor: {f['what']} | {f['pages']} | {f['seconds']} | {f['pages_per_s']} |")
    for b in results["baselines"].values():
        lines.append(f"| baseline: {b['what']} | {b['pages']} | {b['seconds']} | {b['pages_per_s']} |")
    lines += [
        "",
        f"End to end runs at {e['total']['pages_per_s'] / f['pages_per_s']:.2f}x the raw-text floor. "
        f"Peak RSS extracting the largest REAC ({results['memory']['document']}): {results['memory']['peak_rss_mb']} MB.",
        "",
        "| golden | exact-node F1, rncp-extract | pdfplumber tables, mapped | camelot tables, mapped |",
        "|---|---:|---:|---:|",
    ]
    for doc, row in results["accuracy"].items():
        cells = [format(row[k], ".3f") if k in row else "–" for k in ("pdfplumber_tables", "camelot_tables")]
        lines.append(f"| {doc} | {row['ours']:.3f} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main() -> None:
    pdfs = sorted(RAW.glob("*.pdf"))
    print(f"benchmark over {len(pdfs)} PDFs ...", flush=True)
    e2e, outputs = end_to_end(pdfs)
    rss_run = round(int(next(ln.split()[1] for ln in open("/proc/self/status") if ln.startswith("VmHWM"))) / 1024, 1)
    print(f"  end to end: {e2e['total']}", flush=True)
    fl = floor(pdfs)
    print(f"  floor: {fl}", flush=True)
    plumber, plumber_rows = pdfplumber_tables(pdfs)
    print(f"  pdfplumber tables: {plumber}", flush=True)
    cam, cam_rows = camelot_tables(pdfs)
    print(f"  camelot: {cam}", flush=True)
    results = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "end_to_end": {**e2e["total"], "peak_rss_mb": rss_run, "by_family": e2e},
        "floor": fl,
        "ratio_to_floor": round(e2e["total"]["pages_per_s"] / fl["pages_per_s"], 3),
        "baselines": {"pdfplumber_tables": plumber, "camelot_lattice": cam},
        "memory": peak_rss_largest_reac(),
        "accuracy": accuracy(outputs, plumber_rows, cam_rows),
    }
    results["end_to_end"].update(e2e)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = readme_table({**results, "end_to_end": e2e})
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + table + "\n" + text[text.index(end):]
        readme.write_text(text, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
