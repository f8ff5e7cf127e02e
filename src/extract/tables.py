"""Flat tables across documents: one row per node, one per relation, each with its doc_key and
its document's verdict.

So a data team loads the corpus in one line: pd.read_parquet("output/nodes.parquet") or
duckdb.sql("select * from 'output/nodes.parquet' where verdict = 'ok'"). `codes`, `items` and
`pages` are native lists (of structs): `unnest(codes)` in DuckDB, lists of dicts in pandas.
`items` is the bullet tree depth-first, each item with its depth (0 at the top).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from extract.outputs import atomic_write_bytes, atomic_write_text

NODE_COLUMNS = ["doc_key", "doc_kind", "verdict", "node_key", "id", "node_type", "parent_key", "position", "codes",
                "title", "text", "items", "category", "criterion_kind", "pages", "confidence", "fingerprint"]
RELATION_COLUMNS = ["doc_key", "verdict", "type", "origin_key", "dest_key"]


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    code = pa.struct([("value", pa.string()), ("scheme", pa.string())])
    item = pa.struct([("marker", pa.string()), ("text", pa.string()), ("depth", pa.int32())])
    types = {"position": pa.int64(), "codes": pa.list_(code), "items": pa.list_(item), "pages": pa.list_(pa.int32()),
             "confidence": pa.float64()}
    nodes = pa.schema([(c, types.get(c, pa.string())) for c in NODE_COLUMNS])
    relations = pa.schema([(c, pa.string()) for c in RELATION_COLUMNS])
    return nodes, relations


def flat_items(items: Iterable[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    """The bullet tree depth-first, each item with its depth: the tree is its depth sequence."""
    out = []
    for it in items:
        out.append({"marker": it.get("marker", ""), "text": it.get("text", ""), "depth": depth})
        out += flat_items(it.get("children", []), depth + 1)
    return out


def rows(docs: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    nodes, relations = [], []
    for d in docs:
        verdict = (d.get("verdict") or {}).get("status")
        for n in d.get("nodes", []):
            prov = n.get("prov") or {}
            nodes.append({
                "doc_key": d["doc_key"], "doc_kind": d["doc_kind"], "verdict": verdict, "node_key": n["node_key"],
                "id": n.get("id"), "node_type": n["node_type"], "parent_key": n.get("parent_key"),
                "position": n["position"],
                "codes": [{"value": c["value"], "scheme": c.get("scheme")} for c in n.get("codes", [])],
                "title": n.get("title"), "text": n.get("text", ""), "items": flat_items(n.get("items", [])),
                "category": n.get("category"), "criterion_kind": n.get("criterion_kind"),
                "pages": list(prov.get("pages", [])), "confidence": prov.get("confidence"),
                "fingerprint": n.get("fingerprint"),
            })
        for r in d.get("relations", []):
            relations.append({"doc_key": d["doc_key"], "verdict": verdict,
                              **{k: r[k] for k in ("type", "origin_key", "dest_key")}})
    return nodes, relations


def referential_files(folder: Path) -> list[Path]:
    """The per-document outputs of a run folder (not its reports)."""
    skip = {"report.json", "errors.json", "scorecard.json", "links.json"}
    return sorted(p for p in folder.glob("*.json") if p.name not in skip and not p.name.endswith(".rejected.json"))


def write_tables(folder: Path, out_dir: Path | None = None,
                 documents: list[dict[str, Any]] | None = None) -> dict[str, Path]:
    """nodes/relations .parquet and .jsonl of every output in `folder` (or of `documents`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out_dir = out_dir or folder
    if documents is None:
        documents = [json.loads(p.read_text(encoding="utf-8")) for p in referential_files(folder)]
    nodes, relations = rows(sorted(documents, key=lambda d: d["doc_key"]))
    node_schema, relation_schema = _schemas()
    written = {}
    for name, data, schema in (("nodes", nodes, node_schema), ("relations", relations, relation_schema)):
        jsonl = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data)
        atomic_write_text(out_dir / f"{name}.jsonl", jsonl)
        table = pa.Table.from_pylist(data, schema=schema)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write_bytes(out_dir / f"{name}.parquet", sink.getvalue().to_pybytes())
        written[name] = out_dir / f"{name}.parquet"
    return written
