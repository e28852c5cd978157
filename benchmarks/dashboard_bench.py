"""Benchmark: a round's dashboard page through the Flask test client, cold and warm.

    python -m benchmarks.dashboard_bench [--scale 0.1] [--database sqlite]

A signed-in lead asks for ``/rounds/<id>/dashboard`` of the 12-department
round and of the workload round (which has the small round as its earlier
round, so it also draws the trend):

- ``cold``: results and chart caches emptied first, as after a new answer
  (a new data version); matplotlib is already imported, as in any worker that
  has drawn a chart before (importing it costs about a second more once per
  process: see the start-up figures);
- ``warm``: the same page again.

Cold is the best of three runs, warm of five.

The limit is the lightest signed-in page of the app, the rounds list at
``/``, through the same client: the cost of any request (session, sign-in
check, security headers, template) that no page can go below.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from assessment.services import accounts, results_cache
from benchmarks.common import Figure, best_of, measure_each_database, options, print_table
from benchmarks.workload import SMALL_DEPARTMENTS, Prepared, big_round

EMAIL, PASSWORD = "bench-lead@example.org", "benchmark-only-password"
WARM_RUNS, COLD_RUNS = 5, 3
#: Issue #7's goals for the warm page, in seconds, by round size.
GOALS = {SMALL_DEPARTMENTS: (0.1, "< 100 ms"), 2_000: (1.0, "< 1 s")}


def signed_in_client(app: Flask) -> FlaskClient:
    with app.app_context():
        accounts.create_user(EMAIL, PASSWORD, "lead")
    client = app.test_client()
    signed = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    if signed.status_code != 302:
        raise RuntimeError(f"the benchmark lead could not sign in ({signed.status_code})")
    return client


def fetch(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")


def empty_caches(app: Flask) -> None:
    from assessment import charts

    results_cache.clear(app)
    charts.clear_cache()


def run(setup: Prepared) -> list[Figure]:
    import assessment.charts  # noqa: F401 - imported once, as in a worker that drew before

    rounds = {SMALL_DEPARTMENTS: setup.small_round, setup.workload.departments: big_round(setup)}
    client = signed_in_client(setup.app)
    floor = best_of(WARM_RUNS, lambda: fetch(client, "/"))
    figures = []
    def cold_caches() -> None:
        empty_caches(setup.app)

    for departments, round_id in rounds.items():
        path = f"/rounds/{round_id}/dashboard"
        cold = best_of(COLD_RUNS, lambda path=path: fetch(client, path), before=cold_caches)
        warm = best_of(WARM_RUNS, lambda path=path: fetch(client, path))
        limit, goal = GOALS.get(departments, (None, ""))
        name = f"dashboard, {departments:,} departments"
        figures += [
            Figure(setup.kind, f"{name}, cold", cold, limit=floor, limit_name="rounds list"),
            Figure(setup.kind, f"{name}, warm", warm, limit=floor, limit_name="rounds list",
                   goal=goal, met=None if limit is None else warm < limit),
        ]
    return figures


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
