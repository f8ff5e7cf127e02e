"""A self-contained HTML review page: what was read, where, and what was not.

Each PDF page is embedded as an image with the box of every extracted node drawn over it
(colour by node type); beside it, the extracted tree, the diagnostics, residual nodes, and, when
a golden exists, the differences (missing, extra, text differs). No external resource: it opens
offline. Clicking a node (in the tree or on a page) shows its key, text and provenance.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from extract.compare import compare
from extract.schema import Referential
from extract.text import normalize_text

COLORS = {
    "block": "#8e44ad", "activity_type": "#8e44ad", "activity": "#2980b9", "competence": "#27ae60",
    "transversal_competence": "#16a085", "competence_component": "#1abc9c", "professional_situation": "#d35400",
    "level": "#2c3e50", "learning_outcome": "#c0392b", "assessment_criterion": "#e67e22",
    "assessment_modality": "#f1c40f", "knowledge": "#7f8c8d", "pathway": "#9b59b6", "glossary_entry": "#34495e",
    "residual": "#e74c3c",
}


def page_images(pdf_path: Path, count: int | None = None, scale: float = 1.25,
                quality: int = 70) -> list[tuple[str, float, float]]:
    """(data URI, width pt, height pt) of every page, JPEG-encoded to keep the page light. A page
    PDFium cannot render gets an empty URI (shown as such): one damaged page, not a lost review."""
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf) if count is None else min(count, len(pdf))):
            try:
                page = pdf[i]
                w, h = page.get_size()
                buf = io.BytesIO()
                page.render(scale=scale).to_pil().convert("RGB").save(buf, format="JPEG", quality=quality)
                page.close()
                out.append(("data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii"), w, h))
            except pdfium.PdfiumError:
                out.append(("", 595.0, 842.0))
    finally:
        pdf.close()
    return out


def _img(uri: str, number: int) -> str:
    if not uri:
        return f'<div class="blank">page {number} could not be rendered</div>'
    return f'<img loading="lazy" src="{uri}" alt="page {number}">'


def _coverage_note(c: Any) -> str:
    """Where the page's printed text went, as the verdict measured it."""
    if c is None or not c.printed:
        return ""
    if c.share is None:
        return f'<span class="cov">no node read here ({c.printed} characters printed)</span>'
    low = " low" if c.share < 0.9 else ""
    extra = f", {c.lost} characters in no node" if c.lost else ""
    extra += f", {c.residual} residual" if c.residual else ""
    return f'<span class="cov{low}">coverage {c.share:.0%}{extra}</span>'



def _status(ref: Referential, golden: dict[str, Any] | None) -> tuple[dict[str, str], list[dict[str, Any]], dict[str, str]]:
    """Per node key: 'extra' or 'differs'; the golden nodes missing; golden texts of differing nodes."""
    if golden is None:
        return {}, [], {}
    cmp = compare(ref.model_dump(mode="json"), golden)
    prefix_out, prefix_gold = ref.doc_key + "/", golden["doc_key"] + "/"
    gold_by_rel = {n["node_key"][len(prefix_gold):]: n for n in golden["nodes"]}
    status: dict[str, str] = {}
    golden_text: dict[str, str] = {}
    missing = []
    for d in cmp.diffs:
        if d.kind == "missing":
            missing.append(gold_by_rel[d.key])
        elif d.kind == "extra":
            status[prefix_out + d.key] = "extra"
        elif d.kind == "text":
            status[prefix_out + d.key] = "differs"
            golden_text[prefix_out + d.key] = gold_by_rel[d.key]["text"]
    return status, missing, golden_text


VERDICT_COLORS = {"ok": "#2e7d32", "needs_review": "#e65100", "not_a_referential": "#6a1b9a", "failed": "#b71c1c"}


def _verdict_html(ref: Referential) -> str:
    """The verdict, its reasons (pages linked to the page images) and notes."""
    v = ref.verdict
    if v is None:
        return "<p class='warn'>No verdict (output of an older extractor).</p>"
    ids = {n.node_key: n.id for n in ref.nodes}

    def items(reasons: list[Any]) -> str:
        out = []
        for r in reasons:
            pages = " ".join(f'<a href="#page-{p}">p.{p}</a>' for p in r.pages[:20])
            nodes = ", ".join(f'<a href="#node={ids[k]}" data-id="{ids[k]}">{html.escape(k[len(ref.doc_key) + 1:])}</a>'
                              for k in r.nodes[:8] if k in ids)
            out.append(f'<li><b>{html.escape(r.code)}</b> ({r.nodes_at_risk:g} node(s) at risk): {html.escape(r.message[:500])}'
                       f'{"<br>pages: " + pages if pages else ""}{"<br>nodes: " + nodes if nodes else ""}</li>')
        return "".join(out)

    cov = v.evidence.get("coverage")
    head = (f'<div id="verdict" class="verdict {v.status}"><span class="badge" style="background:{VERDICT_COLORS[v.status]}">'
            f'{v.status}</span> confidence <b>{v.confidence:.2f}</b>'
            + (f" · coverage <b>{cov:.0%}</b>" if isinstance(cov, (int, float)) else "") + "</div>")
    reasons = f"<h2>Reasons to review</h2><ul id='reasons'>{items(v.reasons)}</ul>" if v.reasons else ""
    notes = (f"<details><summary>{len(v.notes)} note(s) within tolerance</summary><ul id='notes'>{items(v.notes)}</ul></details>"
             if v.notes else "")
    return head + reasons + notes


MODEL_COLORS = {"table": "#555", "header": "#999", "cell": "#3a7bd5", "paragraph": "#bbb", "item": "#2ecc71"}


def _model_boxes(outlines: list[Any], w: float, h: float) -> str:
    return "".join(
        f'<div class="mbox m-{o.kind}" title="{html.escape(o.label)}" style="left:{100 * o.bbox[0] / w:.3f}%;'
        f'top:{100 * o.bbox[1] / h:.3f}%;width:{100 * (o.bbox[2] - o.bbox[0]) / w:.3f}%;'
        f'height:{100 * (o.bbox[3] - o.bbox[1]) / h:.3f}%;border-color:{MODEL_COLORS[o.kind]}"></div>'
        for o in outlines)


def render(ref: Referential, pdf_path: Path | None, golden: dict[str, Any] | None = None,
           outlines: dict[int, list[Any]] | None = None) -> str:
    """The review page; `outlines` (docmodel.outline.page_outlines): the document model drawn
    under the nodes (tables, cells, paragraphs, list items), shown with a switch."""
    status, missing, golden_text = _status(ref, golden)
    coverage = {c.page: c for c in (ref.verdict.coverage if ref.verdict else [])}
    diag_pages: dict[int, list[str]] = defaultdict(list)
    for d in ref.diagnostics:
        if d.page:
            diag_pages[d.page].append(d.code)
    nodes = {n.node_key: n for n in ref.nodes}
    children: dict[str | None, list[str]] = defaultdict(list)
    for n in ref.nodes:
        children[n.parent_key].append(n.node_key)
    data = {
        n.id: {"key": n.node_key, "type": n.node_type, "title": n.title, "text": n.text, "pages": n.prov.pages,
               "codes": [c.value for c in n.codes], "status": status.get(n.node_key, "residual" if n.node_type == "residual" else ""),
               "golden": golden_text.get(n.node_key)}
        for n in ref.nodes
    }

    def tree(parent: str | None) -> str:
        items = []
        for key in sorted(children[parent], key=lambda k: nodes[k].position):
            n = nodes[key]
            label = n.title or n.text.split("\n", 1)[0]
            code = f"<b>{html.escape(n.codes[0].value)}</b> " if n.codes else ""
            cls = f"node {status.get(key, '')} {'residual' if n.node_type == 'residual' else ''}".strip()
            sub = tree(key)
            items.append(
                f'<li><span class="{cls}" data-id="{n.id}" id="t-{n.id}" style="border-left-color:{COLORS[n.node_type]}">'
                f'<i>{n.node_type}</i> {code}{html.escape(label[:140])}</span>{sub}</li>'
            )
        return f"<ul>{''.join(items)}</ul>" if items else ""

    pages_html = []
    if pdf_path is not None and pdf_path.is_file():
        images = page_images(pdf_path, ref.sources[0].page_count if ref.sources else None)
        for number, (uri, w, h) in enumerate(images, start=1):
            boxes = []
            for n in ref.nodes:
                for sp in n.prov.spans:
                    if sp.page != number:
                        continue
                    x0, top, x1, bottom = sp.bbox
                    boxes.append(
                        f'<div class="box {status.get(n.node_key, "")} t-{n.node_type}" data-id="{n.id}" title="{html.escape(n.node_key)}" '
                        f'style="left:{100 * x0 / w:.3f}%;top:{100 * top / h:.3f}%;width:{100 * (x1 - x0) / w:.3f}%;'
                        f'height:{100 * (bottom - top) / h:.3f}%;border-color:{COLORS[n.node_type]}"></div>'
                    )
            note = f'<div class="pdiag">{html.escape(", ".join(diag_pages[number]))}</div>' if diag_pages.get(number) else ""
            model = _model_boxes((outlines or {}).get(number, []), w, h)
            pages_html.append(
                f'<section class="page" id="page-{number}"><h3>page {number}{_coverage_note(coverage.get(number))}</h3>{note}<div class="sheet" '
                f'style="aspect-ratio:{w:.1f}/{h:.1f}">{_img(uri, number)}{model}{"".join(boxes)}</div></section>'
            )
    else:
        pages_html.append("<p class='warn'>The PDF was not found: pages are not shown (use --pdf).</p>")

    diags = "".join(
        f'<li class="{d.level}"><b>{d.level}</b> {html.escape(d.code)}{f" (page {d.page})" if d.page else ""}: '
        f"{html.escape(d.message[:300])}</li>" for d in ref.diagnostics if d.level != "info"
    ) or "<li>none</li>"
    missing_html = "".join(
        f'<li class="missing"><i>{html.escape(m["node_type"])}</i> {html.escape(m["node_key"])}<br><small>{html.escape(normalize_text(m["text"])[:200])}</small></li>'
        for m in missing
    )
    summary = ""
    if golden is not None:
        s = compare(ref.model_dump(mode="json"), golden).summary()
        summary = (f"<p class='score'>against golden: exact-node F1 <b>{s['exact_node_f1']:.3f}</b>, relation F1 "
                   f"<b>{s['relation_f1']:.3f}</b>; {len(missing)} missing, "
                   f"{sum(1 for v in status.values() if v == 'extra')} extra, "
                   f"{sum(1 for v in status.values() if v == 'differs')} with different text</p>")
    title = html.escape(ref.certification.title or ref.doc_key)
    return TEMPLATE.format(
        verdict=_verdict_html(ref),
        title=title, doc_key=html.escape(ref.doc_key), kind=ref.doc_kind, n=len(ref.nodes),
        residual=sum(1 for n in ref.nodes if n.node_type == "residual"), summary=summary, diags=diags,
        tree=tree(None), missing=f"<h2>Missing (in golden, not extracted)</h2><ul>{missing_html}</ul>" if missing else "",
        pages="".join(pages_html), data=json.dumps(data, ensure_ascii=False).replace("</", "<\\/"),
        legend="".join(f'<span style="border-color:{c}">{t}</span>' for t, c in COLORS.items()),
    )


TEMPLATE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Review — {title}</title>
<style>
body{{margin:0;font:13px/1.4 system-ui,sans-serif;display:grid;grid-template-columns:minmax(320px,38%) 1fr;height:100vh}}
#side{{overflow:auto;padding:10px 14px;border-right:1px solid #ccc}} #pages{{overflow:auto;padding:10px;background:#eee}}
h1{{font-size:16px;margin:4px 0}} h2{{font-size:14px;margin:12px 0 4px}} ul{{list-style:none;padding-left:14px;margin:0}}
.node{{display:block;border-left:4px solid #999;padding:1px 4px;margin:1px 0;cursor:pointer}} .node i{{color:#666;font-size:11px}}
.node:hover,.node.sel{{background:#fff3b0}} .node.extra{{background:#fde2e2}} .node.differs{{background:#fff0d0}} .node.residual{{outline:2px dashed #e74c3c}}
li.missing{{color:#a00}} .warning{{color:#a60}} .error{{color:#a00}}
#detail{{position:sticky;top:0;background:#fafafa;border:1px solid #ccc;padding:6px;margin-bottom:8px;white-space:pre-wrap;max-height:40vh;overflow:auto}}
.sheet{{position:relative;width:100%;max-width:900px;background:#fff;box-shadow:0 1px 4px #999}} .sheet img{{width:100%;height:100%;display:block}}
.box{{position:absolute;border:1.5px solid;background:rgba(255,255,255,0);cursor:pointer}} .box:hover,.box.sel{{background:rgba(255,230,0,.35)}}
.box.extra{{border-style:dashed}} .box.differs{{border-width:3px}} .box.t-residual{{background:rgba(231,76,60,.15)}}
.mbox{{position:absolute;border:1px dotted;pointer-events:auto;display:none}} body.model .mbox{{display:block}}
.mbox.m-table{{border:1.5px dashed}} .mbox.m-cell{{background:rgba(58,123,213,.05)}} .mbox.m-item{{border-left:3px solid}}
.page h3{{margin:14px 0 4px;font-size:12px;color:#555}} .cov{{font-weight:normal;margin-left:8px}} .cov.low{{color:#b71c1c;font-weight:bold}}
.verdict{{margin:6px 0}} .badge{{color:#fff;border-radius:3px;padding:1px 6px}} .blank{{padding:40px;color:#a00}} .pdiag{{color:#a60;font-size:11px}} .legend span{{border-left:6px solid;padding:0 6px;margin-right:4px;font-size:11px;display:inline-block}}
</style></head><body>
<div id="side"><h1>{title}</h1><div>{doc_key} · {kind} · {n} nodes · {residual} residual</div>{verdict}{summary}
<div class="legend">{legend}</div>
<label><input type="checkbox" id="model-switch" onchange="document.body.classList.toggle('model',this.checked)"> show the document model (tables, cells, paragraphs, list items; hover for what each is)</label>
<div id="detail">Click a node in the tree or a box on a page.</div>
<h2>Diagnostics</h2><ul id="diagnostics">{diags}</ul>{missing}
<h2>Extracted tree</h2><div id="tree">{tree}</div></div>
<div id="pages">{pages}</div>
<script>
const NODES={data};
function show(id){{
  const n=NODES[id]; if(!n) return;
  document.querySelectorAll('.sel').forEach(e=>e.classList.remove('sel'));
  document.querySelectorAll('[data-id="'+id+'"]').forEach(e=>e.classList.add('sel'));
  const d=document.getElementById('detail');
  d.textContent=n.key+'\\n'+n.type+(n.codes.length?' · '+n.codes.join(', '):'')+' · pages '+n.pages.join(', ')+(n.status?' · '+n.status:'')
    +(n.title?'\\n\\n'+n.title:'')+'\\n\\n'+n.text+(n.golden!==null&&n.golden!==undefined?'\\n\\n— golden —\\n'+n.golden:'');
  d.dataset.shown=id;
  const box=document.querySelector('.box[data-id="'+id+'"]'); if(box) box.scrollIntoView({{block:'center'}});
}}
document.addEventListener('click',e=>{{const t=e.target.closest('[data-id]'); if(t) show(t.dataset.id);}});
const m=location.hash.match(/^#node=(.+)$/); if(m){{const t=document.getElementById('t-'+m[1]); if(t) t.click();}}
</script></body></html>
"""


def write_review(ref: Referential, pdf_path: Path | None, out: Path, golden: dict[str, Any] | None = None) -> Path:
    from extract.outputs import atomic_write_text

    atomic_write_text(out, render(ref, pdf_path, golden, _outlines(pdf_path)))
    return out


def _outlines(pdf_path: Path | None) -> dict[int, list[Any]] | None:
    """The document model of the PDF, read again for the page (None when it cannot be read)."""
    if pdf_path is None or not pdf_path.is_file():
        return None
    from extract.docmodel.model import build_model
    from extract.docmodel.outline import page_outlines
    from extract.document import read_document
    from extract.errors import ExtractError

    try:
        return page_outlines(build_model(read_document(pdf_path)))
    except ExtractError:
        return None
