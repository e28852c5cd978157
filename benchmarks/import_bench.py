"""Benchmark: importing the workload file, against a bare executemany of the same rows.

    python -m benchmarks.import_bench [--scale 0.1] [--database sqlite]

- ``import``: the CSV file through ``services.importer.import_file`` in this
  process, as the import page's background job runs it: read, check every
  row, plan, write in one transaction, audit.
- ``flask import-responses``: the same file into another new round through the
  command, in a fresh process (time from ``main()``, and the process's peak
  memory: :mod:`benchmarks.fresh_process`).
- the baseline, ``bare executemany``: the same CSV read with the ``csv``
  module, grouped into departments, responses and answers, and written with
  SQLAlchemy Core ``insert()`` executemany (ids chosen in Python) in one
  transaction into a fresh database of the same kind: no checks, nothing else.

Issue #14's goals: both imports at most 5x the bare executemany; the command
under 300 MB at 10,000 departments (``--scale 5``).
"""

from __future__ import annotations

import csv
import io
import time

from sqlalchemy import create_engine, insert

from assessment.models import Answer, Department, Organisation, Response, Round
from assessment.services import accounts, importer, rounds
from benchmarks.common import Figure, Goal, measure_each_database, options, print_table
from benchmarks.fresh_process import flask_command
from benchmarks.workload import Prepared, csv_file, fresh_database

FILE_NAME = "answers.csv"
#: Issue #14's goals for the import and the import command.
RATIO_GOAL = Goal("<= 5x bare executemany", 5.0, on="ratio")
#: The command's ratio goal is stated for 2,000 departments (362,045 answers) and for 10,000.
COMMAND_GOAL = Goal("<= 5x bare executemany", 5.0, on="ratio", departments=(2_000, 10_000))
MEMORY_GOAL = Goal("< 300 MB", 300, departments=(10_000,), strict=True)
BASELINE = "bare executemany"


def time_import(setup: Prepared, content: bytes) -> float:
    """Import ``content`` into a new round through the importer; sets ``setup.big_round``."""
    with setup.app.app_context():
        accounts.ensure_organisation("Benchmark Council")
        assessment_round = rounds.create_round("Workload round", "open")
        started = time.perf_counter()
        importer.import_file(assessment_round, setup.bank, FILE_NAME, content)
        elapsed = time.perf_counter() - started
        setup.big_round = assessment_round.id
    return elapsed


def bare_insert(url: str, content: bytes) -> float:
    """The same rows into ``url`` (a fresh database) with Core executemany; seconds."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(insert(Organisation.__table__), [{"id": 1, "name": "Bare"}])
        connection.execute(insert(Round.__table__), [{
            "id": 1, "organisation_id": 1, "name": "Bare", "status": "open", "bank_id": "bare",
            "bank_version": "1", "bank_snapshot": {}, "thresholds": {}, "targets": {}}])
    started = time.perf_counter()
    reader = csv.reader(io.StringIO(content.decode("utf-8"), newline=""))
    header = next(reader)
    column = {name: header.index(name) for name in header}
    departments: dict[str, dict[str, object]] = {}
    responses: dict[tuple[str, str], dict[str, object]] = {}
    answers = []
    for row in reader:
        name, respondent = row[column["department"]], row[column["respondent"]]
        department = departments.setdefault(name, {
            "id": len(departments) + 1, "organisation_id": 1, "name": name,
            "directorate": row[column["directorate"]] or None})
        response = responses.setdefault((name, respondent), {
            "id": len(responses) + 1, "round_id": 1, "department_id": department["id"],
            "respondent": respondent, "status": "submitted"})
        answers.append({"response_id": response["id"], "question_id": row[column["question_id"]],
                        "value": row[column["answer"]], "comment": row[column["comment"]] or None,
                        "evidence": row[column["evidence"]] or None})
    with engine.begin() as connection:
        connection.execute(insert(Department.__table__), list(departments.values()))
        connection.execute(insert(Response.__table__), list(responses.values()))
        connection.execute(insert(Answer.__table__), answers)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def time_command(setup: Prepared, path: str) -> dict[str, float]:
    """``flask import-responses`` of the file at ``path`` into a new round, in a fresh process."""
    with setup.app.app_context():
        round_id = rounds.create_round("Imported by the command", "open").id
    return flask_command(setup, "import-responses", str(round_id), path)


def run(setup: Prepared) -> list[Figure]:
    """Time the import (which makes the workload round), the command and the bare insert."""
    rows = setup.big_rows()
    content = csv_file(rows)
    path = setup.folder / FILE_NAME
    path.write_bytes(content)
    ours = time_import(setup, content)
    with fresh_database(setup.kind, setup.folder) as bare_url:
        bare = bare_insert(bare_url, content)
    command = time_command(setup, str(path))
    size, answers = setup.workload.departments, f"{len(rows) - 1:,} answers"
    return [
        Figure(setup.kind, f"import {answers} (CSV, importer)", ours, limit=bare,
               limit_name=BASELINE, goal=RATIO_GOAL, departments=size),
        Figure(setup.kind, f"flask import-responses, {answers}", command["seconds"], limit=bare,
               limit_name=BASELINE, goal=COMMAND_GOAL, departments=size),
        Figure(setup.kind, f"flask import-responses, {answers}, process peak", command["peak_mb"],
               unit="MB", goal=MEMORY_GOAL, departments=size),
    ]


def main(argv: list[str] | None = None) -> None:
    args = options(__doc__.split("\n\n")[0], argv)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
