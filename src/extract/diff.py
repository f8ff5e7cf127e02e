"""What changed between two versions of a référentiel.

Nodes are matched on their key (relative to the doc_key), then, among those left, on the same
normalized text (a renumbered node), then on similar text (a renumbered and reworded node).
"""

from __future__ import annotations

import difflib
from typing import Any

from extract.text import normalize_text

SIMILAR = 0.75


def _rel(key: str | None, doc_key: str) -> str | None:
    return key[len(doc_key) + 1 :] if key and key.startswith(doc_key + "/") else key


def _label(n: dict[str, Any]) -> str:
    return normalize_text(n.get("title") or n.get("text") or "")[:160]


def _similar(a: str, b: str, floor: float) -> float:
    """Similarity of two texts as word sequences (a shared-word prefilter rejects most pairs)."""
    wa, wb = a.lower().split(), b.lower().split()
    if not wa or not wb:
        return 0.0
    sa, sb = set(wa), set(wb)
    if 2 * len(sa & sb) / (len(sa) + len(sb)) < floor:
        return 0.0
    m = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    if m.real_quick_ratio() < floor or m.quick_ratio() < floor:
        return 0.0
    return m.ratio()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Match in passes: same text (same key first, then any key: renumbered); same key with
    similar text (changed); similar text under another key (renumbered and reworded); same printed
    code whatever the text (rewritten). What is left was added or removed."""
    o_nodes = {_rel(n["node_key"], old["doc_key"]): n for n in old["nodes"]}
    n_nodes = {_rel(n["node_key"], new["doc_key"]): n for n in new["nodes"]}
    o_text = {k: normalize_text(n["text"]) for k, n in o_nodes.items()}
    n_text = {k: normalize_text(n["text"]) for k, n in n_nodes.items()}
    left_old, left_new = set(o_nodes), set(n_nodes)
    pairs: list[tuple[str, str, str]] = []  # (old key, new key, how)

    def take(ok: str, nk: str, how: str) -> None:
        pairs.append((ok, nk, how))
        left_old.discard(ok)
        left_new.discard(nk)

    def same_type(ok: str, nk: str) -> bool:
        return o_nodes[ok]["node_type"] == n_nodes[nk]["node_type"]

    for k in sorted(left_old & left_new):
        if same_type(k, k) and o_text[k] == n_text[k]:
            take(k, k, "key")
    by_text: dict[tuple[str, str], list[str]] = {}
    for k in sorted(left_new):
        if n_text[k]:
            by_text.setdefault((n_nodes[k]["node_type"], n_text[k]), []).append(k)
    for k in sorted(left_old):
        cands = [c for c in by_text.get((o_nodes[k]["node_type"], o_text[k]), []) if c in left_new]
        if cands:
            take(k, cands[0], "text")
    for k in sorted(left_old & left_new):
        if same_type(k, k) and _similar(o_text[k], n_text[k], 0.5) >= 0.5:
            take(k, k, "key")
    for k in sorted(left_old):
        best, score = None, SIMILAR
        for nk in sorted(left_new):
            if same_type(k, nk):
                r = _similar(o_text[k], n_text[nk], score)
                if r >= score:
                    best, score = nk, r
        if best is not None:
            take(k, best, "similar")
    for k in sorted(left_old & left_new):
        # A printed code ("CP 1") names the same element even when rewritten; an ordinal key
        # ("criterion 3") with unrelated text is a coincidence of numbering.
        if same_type(k, k) and o_nodes[k].get("codes") and n_nodes[k].get("codes"):
            take(k, k, "key")
    changed, renumbered, unchanged = [], [], 0
    for ok, nk, how in sorted(pairs, key=lambda p: p[1] or ""):
        o, n = o_nodes[ok], n_nodes[nk]
        text_changed = normalize_text(o["text"]) != normalize_text(n["text"])
        title_changed = normalize_text(o.get("title")) != normalize_text(n.get("title"))
        if ok != nk:
            renumbered.append({"old_key": ok, "new_key": nk, "node_type": n["node_type"], "matched_on": how,
                               "text_changed": text_changed, "old_text": o["text"] if text_changed else None,
                               "new_text": n["text"]})
        elif text_changed or title_changed:
            changed.append({"key": nk, "node_type": n["node_type"], "old_title": o.get("title"),
                            "new_title": n.get("title"), "old_text": o["text"], "new_text": n["text"]})
        else:
            unchanged += 1
    added = [{"key": k, "node_type": n_nodes[k]["node_type"], "text": n_nodes[k]["text"]} for k in sorted(left_new)]
    removed = [{"key": k, "node_type": o_nodes[k]["node_type"], "text": o_nodes[k]["text"]} for k in sorted(left_old)]
    return {
        "old": old["doc_key"],
        "new": new["doc_key"],
        "summary": {"unchanged": unchanged, "changed": len(changed), "renumbered": len(renumbered),
                    "added": len(added), "removed": len(removed)},
        "changed": changed,
        "renumbered": renumbered,
        "added": added,
        "removed": removed,
    }


def render(d: dict[str, Any], limit: int = 60) -> str:
    s = d["summary"]
    lines = [f"{d['old']} -> {d['new']}",
             f"{s['unchanged']} unchanged, {s['changed']} changed, {s['renumbered']} renumbered, "
             f"{s['added']} added, {s['removed']} removed", ""]

    def short(t: str | None) -> str:
        t = normalize_text(t)
        return t if len(t) <= 150 else t[:149] + "…"

    for c in d["changed"][:limit]:
        lines += [f"~ {c['key']}", f"    was: {short(c['old_text'])}", f"    now: {short(c['new_text'])}"]
    for r in d["renumbered"][:limit]:
        lines.append(f"> {r['old_key']} -> {r['new_key']} ({'reworded' if r['text_changed'] else 'same text'})")
    for a in d["added"][:limit]:
        lines.append(f"+ {a['key']}: {short(a['text'])}")
    for r in d["removed"][:limit]:
        lines.append(f"- {r['key']}: {short(r['text'])}")
    hidden = sum(max(0, len(d[k]) - limit) for k in ("changed", "renumbered", "added", "removed"))
    if hidden:
        lines.append(f"… {hidden} more (see the JSON)")
    return "\n".join(lines)
