"""Every benchmark, on SQLite and PostgreSQL, as one table (``make bench``).

    python -m benchmarks [--scale 0.1] [--database sqlite]

For each database: a fresh database with a 12-department round; the
workload file imported through the importer and through ``flask
import-responses`` (timed: the import benchmark), then the results document
and ``flask results``, the dashboard and confirmation pages through gunicorn,
the charts through their URLs (first database only: they do not read it)
and the workbook on that round.  Then, on fresh databases of each kind, one
organisation's dashboard and results among 50 organisations against the same
organisation alone (the tenants benchmark).  Start-up last.  ``--scale`` multiplies the
2,000 departments (5 for 10,000); goals stated for 2,000 or 10,000
departments are judged only at that size.  Every row: measure, figure,
baseline, goal, verdict (benchmarks/README.md).  Then the web process's memory while big files are uploaded.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import (
    charts_bench,
    dashboard_bench,
    import_bench,
    results_bench,
    startup_bench,
    tenants_bench,
    upload_bench,
    workbook_bench,
)
from benchmarks.common import Figure, options, print_table
from benchmarks.workload import Workload, prepared


def run_all(scale: float, databases: list[str]) -> list[Figure]:
    workload = Workload(scale)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        for number, kind in enumerate(databases):
            with prepared(kind, workload, Path(name)) as setup:
                print(f"{kind}: {workload.describe(len(setup.bank.questions))}", flush=True)
                steps = [import_bench, results_bench, dashboard_bench,
                         *([charts_bench] if number == 0 else []), workbook_bench]
                for step in steps:
                    started = time.perf_counter()
                    figures += step.run(setup)
                    print(f"{kind}: {step.__name__.split('.')[-1]} done in "
                          f"{time.perf_counter() - started:.0f} s", flush=True)
        tenants = Workload(scale, departments=tenants_bench.DEPARTMENTS)
        for kind in databases:
            figures += tenants_bench.run(kind, tenants, Path(name))
    return figures + upload_bench.run() + startup_bench.run()


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(run_all(args.scale, args.database),
                title=f"Joined-Up benchmarks, {time.strftime('%Y-%m-%d %H:%M')}", markdown=args.markdown)


if __name__ == "__main__":
    main()
