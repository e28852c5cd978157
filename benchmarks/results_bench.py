"""Benchmark: the results document of the workload round, against one bare GROUP BY.

    python -m benchmarks.results_bench [--scale 0.1] [--database sqlite]

- ``cold``: ``results_document(analyse(require_round(id)))`` with the results
  cache emptied first (a new data version): the round, its submitted
  responses and answers read, scored by ``assessment.core``, the document built.
- ``warm``: the same with the round's results cached (same data version).
- ``statements``: the SQL statements the cold document sends (issue #7: at
  most 5, whatever the number of departments).
- ``flask results``, cold: the command in a fresh process after a new data
  version (:func:`~benchmarks.workload.new_data_version`), so no cache, in the
  process or stored, holds the round; its time from ``main()`` (``create_app``
  included) and the process's peak memory.
- the baseline: one bare ``SELECT department, question, answer, count(*) ...
  GROUP BY department, question, answer`` over the same submitted answers,
  every row fetched: the table a hand-written SQL report would start from.

Each in-process time is the median of three runs in a new app context (new
session).  Issue #14's goals for ``flask results`` cold: at most 3x the bare
GROUP BY and under 300 MB (stated for 10,000 departments, ``--scale 5``).
"""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Answer, Response
from assessment.services import results, results_cache, rounds
from benchmarks.common import (
    Figure,
    Goal,
    count_statements,
    in_app_context,
    measure_each_database,
    median,
    options,
    print_table,
    samples,
)
from benchmarks.fresh_process import flask_command
from benchmarks.workload import Prepared, big_round, new_data_version

RUNS = 3
BASELINE = "one GROUP BY"
#: Issue #7's goals for the document in a process, issue #14's for the command.
DOCUMENT_GOAL = Goal("<= 3x one GROUP BY (issue #7)", 3.0, on="ratio")
STATEMENTS_GOAL = Goal("<= 5 (issue #7)", 5)
COMMAND_GOAL = Goal("<= 3x one GROUP BY", 3.0, on="ratio", departments=(10_000,))
COMMAND_MEMORY_GOAL = Goal("< 300 MB", 300, departments=(10_000,), strict=True)


def group_by(round_id: int) -> list[tuple]:
    """The bare limit: answer counts per department, question and answer."""
    query = (
        select(Response.department_id, Answer.question_id, Answer.value, func.count())
        .join(Response, Answer.response_id == Response.id)
        .where(Response.round_id == round_id, Response.status == "submitted")
        .group_by(Response.department_id, Answer.question_id, Answer.value)
    )
    return [tuple(row) for row in db.session.connection().execute(query)]


def document(round_id: int) -> dict:
    return results.results_document(results.analyse(rounds.require_round(round_id)))


def run(setup: Prepared) -> list[Figure]:
    round_id = big_round(setup)

    def cold_start() -> None:
        new_data_version(setup, round_id)
        results_cache.clear(setup.app)

    bare = median(samples(RUNS, in_app_context(setup.app, lambda: group_by(round_id))))
    cold = median(samples(RUNS, in_app_context(setup.app, lambda: document(round_id)),
                          before=cold_start))
    warm = median(samples(RUNS, in_app_context(setup.app, lambda: document(round_id))))
    cold_start()
    with setup.app.app_context(), count_statements(db.engine) as counted:
        document(round_id)
    cold_start()
    command = flask_command(setup, "results", str(round_id))
    size = setup.workload.departments
    name = f"results document, {size:,} departments"
    return [
        Figure(setup.kind, f"{name}, cold, in a process", cold, limit=bare, limit_name=BASELINE,
               goal=DOCUMENT_GOAL, departments=size),
        Figure(setup.kind, f"{name}, warm (cached)", warm, limit=bare, limit_name=BASELINE),
        Figure(setup.kind, f"{name}, SQL statements (cold)", counted[0], unit="statements",
               goal=STATEMENTS_GOAL, departments=size),
        Figure(setup.kind, f"flask results, {size:,} departments, cold", command["seconds"],
               limit=bare, limit_name=BASELINE, goal=COMMAND_GOAL, departments=size),
        Figure(setup.kind, f"flask results, {size:,} departments, process peak",
               command["peak_mb"], unit="MB", goal=COMMAND_MEMORY_GOAL, departments=size),
    ]


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
