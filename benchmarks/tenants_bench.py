"""Benchmark: one organisation's dashboard and results among 50 organisations in one database.

    python -m benchmarks.tenants_bench [--scale 0.1] [--database postgresql]

A regional service (issue #15) keeps many organisations in one database.  What
one of them sees must not slow down because the others are there:

- ``shared``: 50 organisations, each with a round of 200 departments x 5
  respondents x 40 questions (40,000 answers each, 2,000,000 in all), every
  one imported through ``services.importer``; the organisation measured is
  the 25th created, so its rows sit in the middle of every table;
- ``alone``: a fresh database holding only that organisation, with the very
  same answers (the same seed).

On each: the organisation's dashboard through gunicorn
(:mod:`benchmarks.http_server`, a signed-in lead of that organisation), cold
(after a new data version, as after a new answer; 5 samples) and warm (20
samples, after 4 untimed requests), and the results document in a process,
cold (5 samples).  The two databases are served at the same time and
sampled in turn, so a busy machine slows both alike.  The baseline of each
row is the same figure for the organisation alone.  Issue #15's goal: the
dashboard (and the results document) in the shared database at most 1.5x the same
figure alone.
``--scale`` multiplies the 200 departments of every organisation.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from flask import Flask

from assessment.core.bank import QuestionBank, bank_to_dict
from assessment.extensions import db
from assessment.queries import accounts as account_queries
from assessment.queries import rounds as round_queries
from assessment.question_bank import load_question_bank
from assessment.services import importer, results, results_cache, rounds
from assessment.services.accounts import hash_password
from benchmarks.common import Figure, Goal, in_app_context, median, options, print_table, samples
from benchmarks.http_server import Client, served
from benchmarks.workload import (
    RESPONDENTS,
    Prepared,
    Workload,
    fresh_database,
    make_rows,
    new_data_version,
    workload_app,
    write_bank,
)

ORGANISATIONS, DEPARTMENTS, MEASURED = 50, 200, 25
WARM_RUNS, WARM_UP, COLD_RUNS, DOCUMENT_RUNS = 20, 4, 5, 5
LEAD_EMAIL, LEAD_PASSWORD = "tenant-lead@example.org", "benchmark-only-password"
BASELINE = "same organisation alone"
GOAL = Goal("<= 1.5x alone (issue #15)", 1.5, on="ratio")


def organisation_rows(number: int, departments: int, bank: QuestionBank) -> list[list[str]]:
    """Organisation ``number``'s import rows: its own department names, its own seed."""
    return make_rows(departments, RESPONDENTS, bank, seed=number, first=number * 100_000 + 1)


def add_organisation(app: Flask, number: int, departments: int) -> int:
    """Organisation ``number`` with an open round of its answers, imported; the round's id."""
    bank = app.extensions["question_bank"]
    with app.app_context():
        with db.transaction() as session:
            organisation = account_queries.create_organisation(session, f"Organisation {number:02d}")
            round_id = round_queries.create_round(session, organisation.id, "Regional round 2026",
                                                  "open", bank_to_dict(bank)).id
            organisation_id = organisation.id
        assessment_round = rounds.require_round(round_id)
        rows = organisation_rows(number, departments, bank)
        importer.apply_import(assessment_round, importer.plan_import(assessment_round, bank, rows))
        with db.transaction() as session:
            account_queries.hand_round_to(session, round_id, organisation_id)
            if number == MEASURED:
                account_queries.create_user(session, organisation_id, LEAD_EMAIL,
                                            hash_password(LEAD_PASSWORD), "lead")
    return round_id


@contextmanager
def database(kind: str, folder: Path, bank_path: Path, workload: Workload,
             numbers: range) -> Iterator[tuple[Prepared, int]]:
    """A fresh database holding organisations ``numbers``; the measured round's id."""
    with fresh_database(kind, folder) as url:
        app = workload_app(url, bank_path)
        measured = 0
        for number in numbers:
            round_id = add_organisation(app, number, workload.departments)
            measured = round_id if number == MEASURED else measured
        yield Prepared(kind, url, app, app.extensions["question_bank"], bank_path, folder,
                       workload, small_round=measured, big_round=measured), measured
        with app.app_context():
            db.dispose()


def in_turn(runs: int, steps: list[Callable[[], float]]) -> list[list[float]]:
    """Each step's ``runs`` results, the steps taken one after another in every run."""
    found: list[list[float]] = [[] for _ in steps]
    for _ in range(runs):
        for times, step in zip(found, steps, strict=True):
            times.append(step())
    return found


def dashboard_step(setup: Prepared, lead: Client, round_id: int, cold: bool) -> Callable[[], float]:
    def step() -> float:
        if cold:
            new_data_version(setup, round_id)
        return lead.page(f"/rounds/{round_id}/dashboard")[1]

    return step


def document_step(setup: Prepared, round_id: int) -> Callable[[], float]:
    def document() -> None:
        results.results_document(results.analyse(rounds.require_round(round_id)))

    def step() -> float:
        new_data_version(setup, round_id)
        results_cache.clear(setup.app)
        return samples(1, in_app_context(setup.app, document))[0]

    return step


def measure(alone: tuple[Prepared, int], shared: tuple[Prepared, int]) -> list[Figure]:
    """The rows for one kind of database: each figure shared, against alone."""
    pairs = [alone, shared]
    with ExitStack() as stack:
        leads = []
        for setup, _round_id in pairs:
            server = stack.enter_context(served(setup, "tenants"))
            leads.append(server.client())
            leads[-1].sign_in(LEAD_EMAIL, LEAD_PASSWORD)
        cold = in_turn(COLD_RUNS, [dashboard_step(s, lead, r, True)
                                   for (s, r), lead in zip(pairs, leads, strict=True)])
        warm_steps = [dashboard_step(s, lead, r, False) for (s, r), lead in zip(pairs, leads, strict=True)]
        in_turn(WARM_UP, warm_steps)
        warm = in_turn(WARM_RUNS, warm_steps)
    document = in_turn(DOCUMENT_RUNS, [document_step(s, r) for s, r in pairs])
    setup = shared[0]
    size = setup.workload.departments
    name = f"1 of {ORGANISATIONS} organisations, {size:,} departments"
    return [
        Figure(setup.kind, f"dashboard of {name}, cold, median of {COLD_RUNS}", median(cold[1]),
               limit=median(cold[0]), limit_name=BASELINE, goal=GOAL, departments=size),
        Figure(setup.kind, f"dashboard of {name}, warm, median of {WARM_RUNS}", median(warm[1]),
               limit=median(warm[0]), limit_name=BASELINE, goal=GOAL, departments=size),
        Figure(setup.kind, f"results document of {name}, cold, median of {DOCUMENT_RUNS}",
               median(document[1]), limit=median(document[0]), limit_name=BASELINE, goal=GOAL,
               departments=size),
    ]


def run(kind: str, workload: Workload, folder: Path) -> list[Figure]:
    """Both databases of ``kind`` built in ``folder``, measured, dropped; their rows."""
    bank_path = folder / "bank"
    if not (bank_path / "bank.yaml").exists():
        write_bank(bank_path)
    load_question_bank(bank_path)  # refuses a broken bank before anything is built
    started = time.perf_counter()
    with database(kind, folder, bank_path, workload, range(MEASURED, MEASURED + 1)) as alone, \
            database(kind, folder, bank_path, workload, range(1, ORGANISATIONS + 1)) as shared:
        print(f"{kind}: {ORGANISATIONS} organisations x {workload.departments:,} departments "
              f"built in {time.perf_counter() - started:.0f} s", flush=True)
        return measure(alone, shared)


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    workload = Workload(args.scale, departments=DEPARTMENTS)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        for kind in args.database:
            figures += run(kind, workload, Path(name))
    print_table(figures, markdown=args.markdown)


if __name__ == "__main__":
    main()
