"""Golden comparison of SCHEMA.md section 4, and the readable diff behind `rncp-extract compare`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extract.text import normalize_text


def _rel(key: str | None, doc_key: str) -> str | None:
    if key is None:
        return None
    prefix = doc_key + "/"
    return key[len(prefix) :] if key.startswith(prefix) else key


def _items_shape(items: list[dict[str, Any]], depth: int = 0) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for it in items:
        out.append((depth, normalize_text(it.get("text", ""))))
        out.extend(_items_shape(it.get("children", []), depth + 1))
    return out


def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 4), round(r, 4), round(f, 4)


@dataclass
class TypeScore:
    predicted: int = 0
    golden: int = 0
    matched: int = 0
    exact: int = 0
    text_same: int = 0
    parent_same: int = 0
    position_same: int = 0
    codes_same: int = 0
    items_same: int = 0

    def as_dict(self) -> dict[str, Any]:
        p, r, f = _f1(self.matched, self.predicted, self.golden)
        ep, er, ef = _f1(self.exact, self.predicted, self.golden)
        share = (lambda x: round(x / self.matched, 4) if self.matched else None)
        return {
            "predicted": self.predicted,
            "golden": self.golden,
            "key_precision": p,
            "key_recall": r,
            "key_f1": f,
            "exact_node_f1": ef,
            "exact_precision": ep,
            "exact_recall": er,
            "text_identical": share(self.text_same),
            "parent_identical": share(self.parent_same),
            "position_identical": share(self.position_same),
            "codes_identical": share(self.codes_same),
            "items_identical": share(self.items_same),
        }


@dataclass
class NodeDiff:
    key: str
    node_type: str
    kind: str  # missing | extra | text | parent | position | codes | items
    golden: Any = None
    output: Any = None


@dataclass
class Comparison:
    doc_key_ok: bool
    doc_key_output: str
    doc_key_golden: str
    by_type: dict[str, TypeScore]
    relations: tuple[int, int, int]  # tp, predicted, golden
    diffs: list[NodeDiff] = field(default_factory=list)
    missing_relations: list[tuple[str, str, str]] = field(default_factory=list)
    extra_relations: list[tuple[str, str, str]] = field(default_factory=list)
    residual: int = 0  # residual nodes of the output: shown, not scored

    def totals(self) -> TypeScore:
        t = TypeScore()
        for s in self.by_type.values():
            for f in t.__dataclass_fields__:
                setattr(t, f, getattr(t, f) + getattr(s, f))
        return t

    def summary(self) -> dict[str, Any]:
        t = self.totals()
        _, _, exact_f1 = _f1(t.exact, t.predicted, t.golden)
        _, _, key_f1 = _f1(t.matched, t.predicted, t.golden)
        rp, rr, rf = _f1(*self.relations)
        return {
            "doc_key_ok": self.doc_key_ok,
            "doc_key": self.doc_key_output,
            "golden_doc_key": self.doc_key_golden,
            "exact_node_f1": exact_f1,
            "key_f1": key_f1,
            "relation_f1": rf,
            "relation_precision": rp,
            "relation_recall": rr,
            "nodes_predicted": t.predicted,
            "nodes_golden": t.golden,
            "nodes_residual": self.residual,
            "by_type": {k: v.as_dict() for k, v in sorted(self.by_type.items())},
        }


def compare(output: dict[str, Any], golden: dict[str, Any]) -> Comparison:
    """Compare two Referential documents (plain dicts, any profile) per SCHEMA.md section 4."""
    out_doc, gold_doc = output["doc_key"], golden["doc_key"]
    # Residual nodes make no claim: they are not counted against precision; a golden node whose
    # content the output kept only as residual has no matching key and stays missed.
    residual = [n for n in output.get("nodes", []) if n["node_type"] == "residual"]
    out_nodes = {_rel(n["node_key"], out_doc): n for n in output.get("nodes", []) if n["node_type"] != "residual"}
    gold_nodes = {_rel(n["node_key"], gold_doc): n for n in golden.get("nodes", [])}
    by_type: dict[str, TypeScore] = {}
    diffs: list[NodeDiff] = []

    def score(t: str) -> TypeScore:
        return by_type.setdefault(t, TypeScore())

    for k, n in out_nodes.items():
        score(n["node_type"]).predicted += 1
    for k, g in gold_nodes.items():
        s = score(g["node_type"])
        s.golden += 1
        o = out_nodes.get(k)
        if o is None or o["node_type"] != g["node_type"]:
            diffs.append(NodeDiff(k, g["node_type"], "missing", golden=g.get("text")))
            continue
        s.matched += 1
        same_text = normalize_text(o.get("text")) == normalize_text(g.get("text"))
        checks = {
            "text": (same_text, g.get("text"), o.get("text")),
            "parent": (
                _rel(o.get("parent_key"), out_doc) == _rel(g.get("parent_key"), gold_doc),
                g.get("parent_key"),
                o.get("parent_key"),
            ),
            "position": (o.get("position") == g.get("position"), g.get("position"), o.get("position")),
            "codes": (
                [c["value"] for c in o.get("codes", [])] == [c["value"] for c in g.get("codes", [])],
                g.get("codes"),
                o.get("codes"),
            ),
            "items": (
                _items_shape(o.get("items", [])) == _items_shape(g.get("items", [])),
                g.get("items"),
                o.get("items"),
            ),
        }
        s.exact += same_text
        s.text_same += same_text
        s.parent_same += checks["parent"][0]
        s.position_same += checks["position"][0]
        s.codes_same += checks["codes"][0]
        s.items_same += checks["items"][0]
        for kind, (ok, gv, ov) in checks.items():
            if not ok:
                diffs.append(NodeDiff(k, g["node_type"], kind, golden=gv, output=ov))
    for k, n in out_nodes.items():
        g = gold_nodes.get(k)
        if g is None or g["node_type"] != n["node_type"]:
            diffs.append(NodeDiff(k, n["node_type"], "extra", output=n.get("text")))

    def rels(doc: dict[str, Any], dk: str) -> set[tuple[str, str, str]]:
        return {
            (r["type"], _rel(r["origin_key"], dk) or "", _rel(r["dest_key"], dk) or "")
            for r in doc.get("relations", [])
        }

    ro, rg = rels(output, out_doc), rels(golden, gold_doc)
    return Comparison(
        doc_key_ok=out_doc == gold_doc,
        doc_key_output=out_doc,
        doc_key_golden=gold_doc,
        by_type=by_type,
        relations=(len(ro & rg), len(ro), len(rg)),
        diffs=diffs,
        missing_relations=sorted(rg - ro),
        extra_relations=sorted(ro - rg),
        residual=len(residual),
    )


def _short(v: Any, width: int = 160) -> str:
    s = normalize_text(v) if isinstance(v, str) else repr(v)
    return s if len(s) <= width else s[: width - 1] + "…"


def render_diff(cmp: Comparison, limit: int = 200) -> str:
    """A readable report: summary, then missing / extra / differing nodes with both sides."""
    s = cmp.summary()
    lines = [
        f"doc_key: {'ok' if cmp.doc_key_ok else 'DIFFERS'} (output {cmp.doc_key_output!r}, golden {cmp.doc_key_golden!r})",
        f"exact-node F1 {s['exact_node_f1']:.3f}   key F1 {s['key_f1']:.3f}   relation F1 {s['relation_f1']:.3f}"
        f"   nodes {s['nodes_predicted']} output / {s['nodes_golden']} golden"
        + (f" (+{cmp.residual} residual, not scored)" if cmp.residual else ""),
        "",
        f"{'node_type':24s} {'out':>5s} {'gold':>5s} {'keyF1':>6s} {'exact':>6s} {'text':>6s} {'parent':>6s} {'pos':>6s} {'codes':>6s} {'items':>6s}",
    ]
    fmt = lambda x: "   -  " if x is None else f"{x:6.2f}"  # noqa: E731
    for t, d in s["by_type"].items():
        lines.append(
            f"{t:24s} {d['predicted']:5d} {d['golden']:5d} {d['key_f1']:6.2f} {d['exact_node_f1']:6.2f} "
            f"{fmt(d['text_identical'])} {fmt(d['parent_identical'])} {fmt(d['position_identical'])} "
            f"{fmt(d['codes_identical'])} {fmt(d['items_identical'])}"
        )
    order = {"missing": 0, "extra": 1, "text": 2, "parent": 3, "position": 4, "codes": 5, "items": 6}
    diffs = sorted(cmp.diffs, key=lambda d: (order[d.kind], d.key))
    if diffs:
        lines.append("")
    for d in diffs[:limit]:
        if d.kind == "missing":
            lines.append(f"- MISSING {d.key}\n      golden: {_short(d.golden)}")
        elif d.kind == "extra":
            lines.append(f"+ EXTRA   {d.key}\n      output: {_short(d.output)}")
        else:
            lines.append(
                f"~ {d.kind.upper():8s}{d.key}\n      golden: {_short(d.golden)}\n      output: {_short(d.output)}"
            )
    if len(diffs) > limit:
        lines.append(f"… {len(diffs) - limit} more differences")
    for r in cmp.missing_relations[:20]:
        lines.append(f"- MISSING relation {r[0]} {r[1]} -> {r[2]}")
    for r in cmp.extra_relations[:20]:
        lines.append(f"+ EXTRA   relation {r[0]} {r[1]} -> {r[2]}")
    return "\n".join(lines)
