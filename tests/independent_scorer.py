"""A second, independent reading of SCHEMA.md section 4, written apart from extract.compare.

It shares no code with the library (its own normalization too), so agreement between the two
is evidence that the scorecard computes what the contract says.
"""

from __future__ import annotations

import re
import unicodedata


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s)
    for a, b in {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"}.items():
        s = s.replace(a, b)
    s = re.sub("[\u2019\u2018\u2032\u201a\u201b\u00b4\u02bc`]", "'", s)
    s = re.sub("[\u00ab\u00bb\u201c\u201d\u201e\u201f\u2033]", '"', s)
    s = re.sub("[\u00a0\u202f\u2009\u2007\u2008\u200a\u2002-\u2006\u205f\u3000]", " ", s)
    s = s.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    s = re.sub(r"-[ \t]*\n[ \t]*", "-", s)
    return " ".join(s.split())


def f1(tp, npred, ngold):
    if npred == 0 and ngold == 0:
        return 1.0
    if tp == 0:
        return 0.0
    p, r = tp / npred, tp / ngold
    return 2 * p * r / (p + r)


def score(out, gold):
    def strip(doc):
        # A residual node claims nothing: it is neither a found node nor an extra one.
        prefix = doc["doc_key"] + "/"
        return {n["node_key"].removeprefix(prefix): n for n in doc["nodes"] if n["node_type"] != "residual"}

    o, g = strip(out), strip(gold)
    exact = sum(
        1 for k in o.keys() & g.keys()
        if o[k]["node_type"] == g[k]["node_type"] and norm(o[k].get("text")) == norm(g[k].get("text"))
    )

    def rels(doc):
        prefix = doc["doc_key"] + "/"
        return {(r["type"], r["origin_key"].removeprefix(prefix), r["dest_key"].removeprefix(prefix))
                for r in doc["relations"]}

    ro, rg = rels(out), rels(gold)
    return {
        "doc_key_ok": out["doc_key"] == gold["doc_key"],
        "exact_node_f1": round(f1(exact, len(o), len(g)), 4),
        "relation_f1": round(f1(len(ro & rg), len(ro), len(rg)), 4),
    }
