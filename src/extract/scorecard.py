"""The scorecard of a run: every output that has a golden, compared by SCHEMA.md section 4
(residual nodes shown apart: they make no claim and are not scored)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extract.compare import compare


def score_pair(output: dict[str, Any], golden: dict[str, Any], doc: str) -> dict[str, Any]:
    s = compare(output, golden).summary()
    return {"doc": doc, **s}


def score_outputs(outputs: dict[str, Path], golden_dir: Path) -> dict[str, Any]:
    """Score each `{stem: output path}` that has `<golden_dir>/<stem>.json`."""
    docs = []
    for stem, out_path in sorted(outputs.items()):
        g = golden_dir / f"{stem}.json"
        if not g.is_file() or not out_path.is_file():
            continue
        output = json.loads(out_path.read_text(encoding="utf-8"))
        golden = json.loads(g.read_text(encoding="utf-8"))
        docs.append(score_pair(output, golden, stem))
    mean = (lambda k: round(sum(d[k] for d in docs) / len(docs), 4) if docs else None)
    return {
        "documents": docs,
        "mean_exact_node_f1": mean("exact_node_f1"),
        "mean_relation_f1": mean("relation_f1"),
    }


def render_scorecard(card: dict[str, Any]) -> str:
    # nodes: output/golden, residual nodes (kept, not scored) apart.
    rows = [f"{'document':48s} {'doc_key':7s} {'exactF1':>7s} {'keyF1':>6s} {'relF1':>6s} {'nodes':>11s} {'residual':>8s}"]
    for d in card["documents"]:
        rows.append(
            f"{d['doc'][:48]:48s} {'ok' if d['doc_key_ok'] else 'DIFF':7s} {d['exact_node_f1']:7.3f} "
            f"{d['key_f1']:6.3f} {d['relation_f1']:6.3f} {d['nodes_predicted']:5d}/{d['nodes_golden']:<5d} "
            f"{d.get('nodes_residual', 0):8d}"
        )
    if card["documents"]:
        rows.append(
            f"{'mean':48s} {'':7s} {card['mean_exact_node_f1']:7.3f} {'':6s} {card['mean_relation_f1']:6.3f}"
        )
    else:
        rows.append("(no output has a golden file)")
    return "\n".join(rows)
