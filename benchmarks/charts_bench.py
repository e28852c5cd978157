"""Benchmark: the dashboard's charts of the workload round, through their URLs.

    python -m benchmarks.charts_bench [--scale 0.1] [--database sqlite]

The organisation radar and the dot plot (one dot per department and
dimension: the chart that grows with the round), as SVG and PNG, asked for
at ``/rounds/<id>/charts/<name>.<fmt>`` by a signed-in lead from gunicorn on
127.0.0.1 (:mod:`benchmarks.http_server`: a new connection per request, the
whole body read):

- ``first request``: the chart's first request on a new server: the round
  analysed, matplotlib imported and the chart drawn, on whichever worker
  takes it;
- ``again``: 20 more requests (from the chart cache on a worker that drew
  it; drawn once more on the other worker), as median and 95th percentile.

The baseline is the rounds list at ``/`` through the same server (median of 20).
Issue #14 states no goal for a chart; issue #7's "under 5 ms from cache" was
for the drawing function in a process, not a request, so it is not applied.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Figure, median, options, p95, print_table
from benchmarks.http_server import served, signed_in_lead
from benchmarks.workload import Prepared, Workload, big_round, prepared

RUNS = 20
CHARTS = (("radar", "svg"), ("radar", "png"), ("dots", "svg"), ("dots", "png"))
BASELINE = "rounds list /"


def run(setup: Prepared) -> list[Figure]:
    round_id, size = big_round(setup), setup.workload.departments
    figures = []
    with served(setup, "charts") as server:
        lead = signed_in_lead(setup, server)
        baseline = median([lead.page("/")[1] for _ in range(RUNS)])
        for name, fmt in CHARTS:
            path = f"/rounds/{round_id}/charts/{name}.{fmt}"
            first = lead.page(path)[1]
            again = [lead.page(path)[1] for _ in range(RUNS)]
            label = f"chart {name}.{fmt}, {size:,} departments"
            figures += [
                Figure(setup.kind, f"{label}, first request", first, limit=baseline,
                       limit_name=BASELINE, departments=size),
                Figure(setup.kind, f"{label}, again, median of {RUNS}", median(again),
                       limit=baseline, limit_name=BASELINE, departments=size),
                Figure(setup.kind, f"{label}, again, p95 of {RUNS}", p95(again),
                       limit=baseline, limit_name=BASELINE, departments=size),
            ]
    return figures


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    figures = []
    # Charts do not depend on the database: the first one asked for is enough.
    with tempfile.TemporaryDirectory(prefix="bench-") as name, \
            prepared(args.database[0], Workload(args.scale), Path(name)) as setup:
        figures += run(setup)
    print_table(figures, markdown=args.markdown)


if __name__ == "__main__":
    main()
