"""Flat tables across documents: one row per node, one per relation, each with its doc_key.

So a data team loads the corpus in one line: pd.read_parquet("output/nodes.parquet") or
duckdb.sql("select * from 'output/nodes.parquet'").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from extract.outputs import atomic_write_bytes, atomic_write_text

NODE_COLUMNS = ["doc_key", "doc_kind", "node_key", "id", "node_type", "parent_key", "position", "codes", "title",
                "text", "items", "category", "criterion_kind", "pages", "fingerprint"]
RELATION_COLUMNS = ["doc_key", "type", "origin_key", "dest_key"]


def rows(docs: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes, relations = [], []
    for d in docs:
        for n in d.get("nodes", []):
            nodes.append({
                "doc_key": d["doc_key"], "doc_kind": d["doc_kind"], "node_key": n["node_key"], "id": n.get("id"),
                "node_type": n["node_type"], "parent_key": n.get("parent_key"), "position": n["position"],
                "codes": ";".join(c["value"] for c in n.get("codes", [])), "title": n.get("title"),
                "text": n.get("text", ""), "items": json.dumps(n.get("items", []), ensure_ascii=False),
                "category": n.get("category"), "criterion_kind": n.get("criterion_kind"),
                "pages": ",".join(str(p) for p in n.get("prov", {}).get("pages", [])),
                "fingerprint": n.get("fingerprint"),
            })
        for r in d.get("relations", []):
            relations.append({"doc_key": d["doc_key"], **{k: r[k] for k in ("type", "origin_key", "dest_key")}})
    return nodes, relations


def referential_files(folder: Path) -> list[Path]:
    """The per-document outputs of a run folder (not its reports)."""
    skip = {"report.json", "errors.json", "scorecard.json", "links.json"}
    return sorted(p for p in folder.glob("*.json") if p.name not in skip and not p.name.endswith(".rejected.json"))


def write_tables(folder: Path, out_dir: Path | None = None) -> dict[str, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir = out_dir or folder
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in referential_files(folder)]
    nodes, relations = rows(docs)
    written = {}
    for name, data, columns in (("nodes", nodes, NODE_COLUMNS), ("relations", relations, RELATION_COLUMNS)):
        jsonl = "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in data)
        atomic_write_text(out_dir / f"{name}.jsonl", jsonl)
        table = pa.Table.from_pylist(data, schema=pa.schema([(c, pa.int64() if c == "position" else pa.string())
                                                              for c in columns]))
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write_bytes(out_dir / f"{name}.parquet", sink.getvalue().to_pybytes())
        written[name] = out_dir / f"{name}.parquet"
    return written
