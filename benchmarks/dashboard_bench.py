"""Benchmark: a round's dashboard, and a respondent's confirmation page, through gunicorn.

    python -m benchmarks.dashboard_bench [--scale 0.1] [--database sqlite]

gunicorn serves the benchmark database on 127.0.0.1 with the project's
``gunicorn.conf.py`` (:mod:`benchmarks.http_server`); every request is a new
HTTP connection and the clock stops when the whole body is read.  A signed-in
lead asks for ``/rounds/<id>/dashboard`` of the workload round (which has the
12-department round before it, so the page also draws the trend):

- ``HTML``: the size of the page's body;
- ``first request after start``: the first dashboard request gunicorn serves
  (a new worker: nothing cached, matplotlib not yet imported);
- ``cold``: after a new data version, as after a new answer; 5 samples;
- ``warm``: the same page again, after 4 untimed requests so that both
  workers have seen it; 20 samples.

The confirmation page: a respondent of the round follows their invitation
link, then asks for ``/respond/confirmation`` after a new data version (as
right after submitting); 5 samples.

Times are reported as median and 95th percentile; goals are judged on the
median.  The baseline is the rounds list at ``/``, the lightest signed-in page,
through the same server (median of 20).  Issue #14's goals: at 2,000
departments HTML <= 500 KB, warm <= 200 ms, cold <= 2 s, confirmation page
<= 100 ms; at 10,000 departments warm <= 500 ms, cold <= 5 s.
"""

from __future__ import annotations

from collections.abc import Callable

from assessment.services import invitations
from benchmarks.common import Figure, Goal, measure_each_database, median, options, p95, print_table
from benchmarks.http_server import Client, served, signed_in_lead
from benchmarks.workload import Prepared, big_round, new_data_version

WARM_RUNS, WARM_UP, COLD_RUNS, CONFIRMATION_RUNS = 20, 4, 5, 5
BASELINE = "rounds list /"
_TWO, _TEN = 2_000, 10_000
#: Issue #14's goals by round size; a size not listed shows the 2,000-department goals, unjudged.
GOALS: dict[int, dict[str, Goal]] = {
    _TWO: {"html": Goal("<= 500 KB", 500, departments=(_TWO,)),
           "warm": Goal("<= 200 ms", 0.2, departments=(_TWO,)),
           "cold": Goal("<= 2 s", 2.0, departments=(_TWO,)),
           "confirmation": Goal("<= 100 ms", 0.1, departments=(_TWO,))},
    _TEN: {"warm": Goal("<= 500 ms", 0.5, departments=(_TEN,)),
           "cold": Goal("<= 5 s", 5.0, departments=(_TEN,))},
}
MEDIAN_JUDGED = "(median judged)"


def timed(client: Client, path: str, runs: int,
          before: Callable[[], object] | None = None) -> list[float]:
    """Seconds of ``runs`` requests for ``path`` (``before`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        times.append(client.page(path)[1])
    return times


def spread(setup: Prepared, name: str, times: list[float], baseline: float,
           goal: Goal | None) -> list[Figure]:
    """Two rows: the median, judged against ``goal``, and the 95th percentile."""
    size = setup.workload.departments
    return [
        Figure(setup.kind, f"{name}, median of {len(times)}", median(times), limit=baseline,
               limit_name=BASELINE, goal=goal or "", departments=size),
        Figure(setup.kind, f"{name}, p95 of {len(times)}", p95(times), limit=baseline,
               limit_name=BASELINE, goal=MEDIAN_JUDGED if goal else "", departments=size),
    ]


def respondent(setup: Prepared, client: Client, round_id: int) -> None:
    """``client`` follows a new invitation link of an imported, submitted respondent."""
    with setup.app.app_context():
        invitation = invitations.invite(round_id, "Service 00001", "Head of service 1",
                                        base_url=client.base)
    status, _, _ = client.get("/r/" + invitation.link.rsplit("/r/", 1)[1], follow=False)
    if status != 302:
        raise RuntimeError(f"the invitation link answered {status}")


def run(setup: Prepared) -> list[Figure]:
    round_id, size = big_round(setup), setup.workload.departments
    goals = {**GOALS[_TWO], **GOALS.get(size, {})}
    path = f"/rounds/{round_id}/dashboard"
    with served(setup, "dashboard") as server:
        lead = signed_in_lead(setup, server)
        html, first = lead.page(path)
        baseline = median(timed(lead, "/", WARM_RUNS))
        cold = timed(lead, path, COLD_RUNS, before=lambda: new_data_version(setup, round_id))
        timed(lead, path, WARM_UP)
        warm = timed(lead, path, WARM_RUNS)
        person = server.client()
        respondent(setup, person, round_id)
        confirmation = timed(person, "/respond/confirmation", CONFIRMATION_RUNS,
                             before=lambda: new_data_version(setup, round_id))
    name = f"dashboard, {size:,} departments"
    return [
        Figure(setup.kind, f"{name}, HTML", len(html) / 1024, unit="KB", goal=goals["html"],
               departments=size),
        Figure(setup.kind, f"{name}, first request after start", first, limit=baseline,
               limit_name=BASELINE, goal=goals["cold"], departments=size),
        *spread(setup, f"{name}, cold (after a new answer)", cold, baseline, goals["cold"]),
        *spread(setup, f"{name}, warm", warm, baseline, goals["warm"]),
        *spread(setup, f"confirmation page, {size:,} departments (after a new answer)",
                confirmation, baseline, goals["confirmation"]),
    ]


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
