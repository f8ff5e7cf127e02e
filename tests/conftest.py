"""Test setup. Prefect reads its settings at import: they are set here, before any import of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_PREFECT_HOME = tempfile.mkdtemp(prefix="rncp-extract-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = str(Path(_PREFECT_HOME) / "storage")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "raw_pdfs"
GOLDEN = ROOT / "golden"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every corpus PDF extracted once per session (plain library path), keyed by stem."""
    from extract.pipeline import process_pdf

    out = tmp_path_factory.mktemp("corpus-out")
    results = {}
    for pdf in sorted(RAW.glob("*.pdf")):
        r = process_pdf(pdf, out)
        assert r.status == "ok", (pdf.name, r.message)
        results[pdf.stem] = Path(r.output)
    return results
