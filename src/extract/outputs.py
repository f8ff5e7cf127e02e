"""Writing outputs safely: atomic replace, and never a worse result over a good earlier one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from extract.schema import Referential


def dumps(obj: Any) -> str:
    """Deterministic JSON: same input, same bytes (no timestamps live inside records)."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes a private file; outputs get the mode any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def encodable(text: str) -> str:
    """Text that UTF-8 can write: surrogate pairs joined, a lone surrogate (mutated or damaged
    font data) replaced by U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def atomic_write_text(path: Path, text: str) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = encodable(text).encode("utf-8")
    atomic_write_bytes(path, data)


def referential_json(ref: Referential) -> str:
    return dumps(ref.model_dump(mode="json"))


def quality(doc: dict[str, Any]) -> tuple[int, int]:
    """How much a result understood: classified nodes first, then fewer errors."""
    nodes = doc.get("nodes", [])
    classified = sum(1 for n in nodes if n.get("node_type") != "residual")
    errors = sum(1 for d in doc.get("diagnostics", []) if d.get("level") == "error")
    return classified, -errors


def write_referential(ref: Referential, path: Path, force: bool = False) -> tuple[bool, str]:
    """Write `ref` to `path` unless an earlier output of the same source understood more.

    Returns (written, reason). A rejected result is kept beside it as `<stem>.rejected.json`.
    """
    text = referential_json(ref)
    if path.exists() and not force:
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous is not None:
            if path.read_text(encoding="utf-8") == text:
                return True, "unchanged"
            same_source = [s.get("sha256") for s in previous.get("sources", [])] == [
                s.sha256 for s in ref.sources
            ]
            if same_source and quality(previous) > quality(ref.model_dump(mode="json")):
                atomic_write_text(path.with_name(path.stem + ".rejected.json"), text)
                return False, (
                    f"kept the previous output: it has {quality(previous)[0]} classified nodes, "
                    f"the new one {quality(ref.model_dump(mode='json'))[0]} (new result saved as "
                    f"{path.stem}.rejected.json; use --force to replace)"
                )
    atomic_write_text(path, text)
    return True, "written"
