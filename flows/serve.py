"""Serve the ingest flow on a cron schedule (needs a running Prefect server: see README).

    prefect server start --host 127.0.0.1 --port 4200 &
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    python -m flows.serve --manifest sources.txt --out output --cron "0 3 * * 1"
"""

from __future__ import annotations

import argparse

from flows.ingest import ingest


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m flows.serve", description="Refresh a manifest of sources on a schedule.")
    p.add_argument("--manifest", required=True, help="file listing the PDFs (paths or URLs) to refresh")
    p.add_argument("--out", default="output", help="output folder (default: %(default)s)")
    p.add_argument("--golden", default="golden", help="golden folder for the scorecard (default: %(default)s)")
    p.add_argument("--cron", default="0 3 * * 1", help="cron schedule (default: Mondays 03:00)")
    p.add_argument("--name", default="refresh", help="deployment name (default: %(default)s)")
    args = p.parse_args(argv)
    # Incremental by default: unchanged PDFs are not extracted again on each scheduled run.
    ingest.serve(name=args.name, cron=args.cron,
                 parameters={"source": args.manifest, "out_dir": args.out, "golden_dir": args.golden})


if __name__ == "__main__":
    main()
