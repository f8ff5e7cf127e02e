"""The run index: one self-contained page listing every document of a run with its verdict, its
reasons (pages and nodes), its coverage and a link to its review page (`index.html`)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Iterable

from extract.outputs import atomic_write_text

BADGES = {"ok": "#2e7d32", "needs_review": "#e65100", "not_a_referential": "#6a1b9a", "failed": "#b71c1c"}


def _pages(pages: list[int]) -> str:
    if not pages:
        return ""
    shown = ", ".join(str(p) for p in pages[:12]) + ("…" if len(pages) > 12 else "")
    return f" <span class='pages'>(page{'s' if len(pages) > 1 else ''} {shown})</span>"


def render(documents: Iterable[Any], scorecard: dict[str, Any] | None = None) -> str:
    docs = list(documents)
    f1 = {d["doc"]: d["exact_node_f1"] for d in (scorecard or {}).get("documents", [])}
    counts: dict[str, int] = {}
    rows = []
    for d in docs:
        verdict = d.verdict
        counts[verdict] = counts.get(verdict, 0) + 1
        review = Path(d.output).with_suffix(".review.html") if d.output else None
        name = html.escape(d.doc)
        link = f'<a href="{html.escape(review.name)}">{name}</a>' if review is not None and review.is_file() else name
        if d.output:
            detail = (f"{html.escape(d.doc_kind or '')} · {d.nodes} nodes ({d.residual} residual) · {d.pages} p")
        else:
            detail = html.escape(d.message)
        reasons = "".join(
            f"<li><b>{html.escape(r['code'])}</b>: {html.escape(r['message'][:400])}{_pages(r.get('pages') or [])}</li>"
            for r in d.reasons)
        if d.error and d.error.get("hint"):
            reasons += f"<li class='hint'>hint: {html.escape(d.error['hint'])}</li>"
        coverage = f"{d.coverage:.0%}" if isinstance(d.coverage, (int, float)) else "–"
        confidence = f"{d.confidence:.2f}" if isinstance(d.confidence, (int, float)) else "–"
        score = f"{f1[d.doc]:.3f}" if d.doc in f1 else "–"
        rows.append(
            f'<tr class="doc {verdict}" data-doc="{name}"><td>{link}<div class="detail">{detail}</div></td>'
            f'<td><span class="badge" style="background:{BADGES.get(verdict, "#555")}">{verdict}</span></td>'
            f"<td class='num'>{confidence}</td><td class='num'>{coverage}</td><td class='num'>{score}</td>"
            f"<td><ul>{reasons}</ul></td></tr>")
    summary = " · ".join(f"{counts[k]} {k}" for k in BADGES if counts.get(k))
    return TEMPLATE.format(n=len(docs), summary=html.escape(summary), rows="".join(rows),
                           golden="exact-node F1 (golden)" if f1 else "golden")


TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rncp-extract run: {n} document(s)</title>
<style>
body{{font:13px/1.45 system-ui,sans-serif;margin:16px 22px}} h1{{font-size:18px;margin:0 0 4px}}
table{{border-collapse:collapse;width:100%}} th,td{{border-bottom:1px solid #ddd;padding:5px 8px;vertical-align:top;text-align:left}}
th{{background:#f4f4f4;position:sticky;top:0}} .num{{text-align:right;white-space:nowrap}}
.badge{{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;white-space:nowrap}}
.detail{{color:#666;font-size:12px}} ul{{margin:0;padding-left:16px}} .pages{{color:#555}} .hint{{color:#555;list-style:none}}
tr.ok ul:empty::after{{content:"–";color:#999}}
</style></head><body>
<h1>Run index: {n} document(s)</h1><p id="summary">{summary}</p>
<p>Verdict from the document itself (no golden needed): <b>ok</b> at most one node in twenty doubtful;
<b>needs_review</b> with its reasons; <b>not_a_referential</b> no output written; <b>failed</b> not readable.
Confidence: estimated share of right nodes. Coverage: share of the printed text, where nodes were read, that is in classified nodes.</p>
<table><thead><tr><th>document</th><th>verdict</th><th>confidence</th><th>coverage</th><th>{golden}</th><th>reasons</th></tr></thead>
<tbody>{rows}</tbody></table></body></html>
"""


def write_index(documents: Iterable[Any], out_dir: Path, scorecard: dict[str, Any] | None = None) -> Path:
    path = out_dir / "index.html"
    atomic_write_text(path, render(documents, scorecard))
    return path
