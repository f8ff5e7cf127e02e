"""Against a real Prefect server on 127.0.0.1: a served (scheduled) deployment triggered once, and
the flow on a local 2-worker Dask cluster giving the same outputs as the default runner."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import RAW, ROOT

BIN = Path(sys.executable).parent
DOCS = ("rncp-webmarketing-communication-digitale.pdf", "but-mmi-competences.pdf")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    env.pop("PREFECT_API_URL", None)
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(1)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the Prefect server did not start:\n" + (home / "server.log").read_text()[-3000:])
    client_home = tmp_path_factory.mktemp("prefect-client")
    yield {**env, "PREFECT_API_URL": url, "PREFECT_HOME": str(client_home), "PREFECT_LOGGING_LEVEL": "WARNING"}
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(30)


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name in DOCS:
        shutil.copy(RAW / name, src / name)
    return src


def test_a_served_deployment_runs_on_trigger(server, tmp_path):
    src = _inputs(tmp_path)
    manifest = tmp_path / "sources.txt"
    manifest.write_text("".join(f"{src / n}\n" for n in DOCS))
    out = tmp_path / "out"
    serve = subprocess.Popen([sys.executable, "-m", "flows.serve", "--manifest", str(manifest), "--out", str(out),
                              "--cron", "0 3 * * 1", "--name", "test-refresh"],
                             cwd=ROOT, env=server, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            ls = subprocess.run([str(BIN / "prefect"), "deployment", "ls"], env=server, capture_output=True, text=True)
            if "test-refresh" in ls.stdout:
                break
            time.sleep(2)
        else:
            pytest.fail("the served deployment never registered")
        inspect = subprocess.run([str(BIN / "prefect"), "deployment", "inspect", "ingest/test-refresh"], env=server,
                                 capture_output=True, text=True)
        assert "0 3 * * 1" in inspect.stdout  # the cron schedule is registered
        run = subprocess.run([str(BIN / "prefect"), "deployment", "run", "ingest/test-refresh", "--watch",
                              "--watch-timeout", "300"], env=server, capture_output=True, text=True, timeout=360)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        assert "Completed" in run.stdout + run.stderr
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(30)
    for name in DOCS:
        assert (out / name.replace(".pdf", ".json")).is_file()


def test_dask_runner_gives_the_same_outputs_as_the_default_runner(server, tmp_path):
    src = _inputs(tmp_path)
    code = ("import sys; from flows.ingest import ingest, run_on_dask;"
            "kind, src, out = sys.argv[1:];"
            "ingest(source=src, out_dir=out, golden_dir=None, review=False) if kind == 'default' "
            "else run_on_dask(src, out, n_workers=2)")
    for kind in ("default", "dask"):
        proc = subprocess.run([sys.executable, "-c", code, kind, str(src), str(tmp_path / kind)], cwd=ROOT, env=server,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    for name in DOCS:
        stem = name.replace(".pdf", ".json")
        a, b = (tmp_path / "default" / stem).read_bytes(), (tmp_path / "dask" / stem).read_bytes()
        assert a == b and json.loads(a)["nodes"], stem
