"""Benchmark: the results document of the workload round, against one bare GROUP BY.

    python -m benchmarks.results_bench [--scale 0.1] [--database sqlite]

- ``cold``: ``results_document(analyse(require_round(id)))`` with the results
  cache emptied first (a new data version): the round, its submitted
  responses and answers read, scored by ``assessment.core``, the document built.
- ``warm``: the same with the round's results cached (same data version).
- ``statements``: the SQL statements the cold document sends (issue #7: at
  most 5, whatever the number of departments).
- the limit: one bare ``SELECT department, question, answer, count(*) ...
  GROUP BY department, question, answer`` over the same submitted answers,
  every row fetched: the table a hand-written SQL report would start from.

Each time is the best of three runs in a new app context (new session).
"""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Answer, Response
from assessment.services import results, results_cache, rounds
from benchmarks.common import (
    Figure,
    best_of,
    count_statements,
    in_app_context,
    measure_each_database,
    options,
    print_table,
)
from benchmarks.workload import Prepared, big_round

RUNS = 3
#: Issue #7's goals.
MAX_RATIO, MAX_STATEMENTS = 3.0, 5


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
    bare = best_of(RUNS, in_app_context(setup.app, lambda: group_by(round_id)))
    cold = best_of(RUNS, in_app_context(setup.app, lambda: document(round_id)),
                   before=lambda: results_cache.clear(setup.app))
    warm = best_of(RUNS, in_app_context(setup.app, lambda: document(round_id)))
    results_cache.clear(setup.app)
    with setup.app.app_context(), count_statements(db.engine) as counted:
        document(round_id)
    name = f"results document, {setup.workload.departments:,} departments"
    return [
        Figure(setup.kind, f"{name}, cold", cold, limit=bare, limit_name="one GROUP BY",
               goal=f"<= {MAX_RATIO:g}x", met=cold <= MAX_RATIO * bare),
        Figure(setup.kind, f"{name}, warm (cached)", warm, limit=bare, limit_name="one GROUP BY"),
        Figure(setup.kind, f"{name}, SQL statements", counted[0], unit="statements",
               goal=f"<= {MAX_STATEMENTS}", met=counted[0] <= MAX_STATEMENTS),
    ]


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
