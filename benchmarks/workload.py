"""The benchmark workload: a 40-question bank, import rows, fresh databases.

Issue #7's workload is 2,000 departments x 5 respondents x 40 questions
(400,000 answers).  The repository's bank has 36 questions (7 or 8 per
dimension), so the benchmarks use a generated bank of the same five
dimensions with exactly 8 questions each: the real questions, padded with
copies under new ids.  It is written in the bank YAML format and loaded the
way the app loads any bank (``QUESTIONS_PATH``).

- :func:`write_bank`: that bank, written to a folder.
- :func:`make_rows`: import rows (docs/specification.md section 6, header first).
- :func:`fresh_database`: an empty, migrated SQLite file or PostgreSQL database.
- :func:`workload_app` / :func:`load_round`: the app on it, and a round
  imported through ``services.importer``, as a real import would.
- :func:`prepared` / :func:`big_round`: a database with an earlier round of
  12 departments, then the workload round (imported once, when first asked for).

Answers are random but repeatable (``seed``): mostly levels, some "don't know"
and "not applicable", a comment on about one answer in ten, evidence on
about half of the level 4 and 5 answers, departments spread over directorates.

>>> import tempfile
>>> bank = load_question_bank(write_bank(Path(tempfile.mkdtemp())))
>>> len(bank.questions), [len(d.questions) for d in bank.dimensions]
(40, [8, 8, 8, 8, 8])
>>> rows = make_rows(2, 3, bank)
>>> rows[0][:5], len(rows) - 1
(['department', 'respondent', 'question_id', 'answer', 'comment'], 240)
"""

from __future__ import annotations

import copy
import csv
import io
import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment import create_app
from assessment.core.bank import QuestionBank
from assessment.migrate import upgrade
from assessment.question_bank import DEFAULT_PATH, load_question_bank
from assessment.services import accounts, importer, rounds

__all__ = ["DATABASES", "DEPARTMENTS", "HEADER", "SMALL_DEPARTMENTS", "Prepared", "Workload",
           "big_round", "csv_file", "fresh_database", "load_round", "make_rows", "new_data_version",
           "prepared", "workload_app", "write_bank"]

#: The workload of issue #7, and how many questions each dimension gets.
DEPARTMENTS, RESPONDENTS, QUESTIONS_PER_DIMENSION = 2_000, 5, 8
#: The earlier, small round every benchmark database holds (the "12 departments" page).
SMALL_DEPARTMENTS = 12
DATABASES = ("sqlite", "postgresql")
#: The PostgreSQL server to create throwaway databases on (as tests/conftest.py does).
POSTGRES_SERVER = os.environ.get("BENCH_DATABASE_URL",
                                 "postgresql+psycopg://postgres@127.0.0.1:5432/test")

HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate"]
DIRECTORATES = ("People", "Place", "Communities", "Corporate", "Resources", "Health")
LEVEL_WEIGHTS = {"1": 10, "2": 25, "3": 30, "4": 20, "5": 8, "dont_know": 5, "not_applicable": 2}
COMMENTS = (
    "We post most days but nobody owns the plan.",
    "Agreed with the service manager in March.",
    "=SUM(A1:A9) is how the old tracker worked",  # formula-like text, as users write it
    "Cover is patchy during school holidays; Siân covers Ŵyl events.",
)


class Workload:
    """How big a benchmark round is; ``scale`` shrinks the departments only."""

    def __init__(self, scale: float = 1.0, departments: int = DEPARTMENTS,
                 respondents: int = RESPONDENTS) -> None:
        if scale <= 0:
            raise ValueError("scale must be more than 0")
        self.departments = max(2, round(departments * scale))
        self.respondents = respondents

    def describe(self, questions: int) -> str:
        answers = self.departments * self.respondents * questions
        return (f"{self.departments:,} departments x {self.respondents} respondents x "
                f"{questions} questions = {answers:,} answers")


def write_bank(folder: Path, questions_per_dimension: int = QUESTIONS_PER_DIMENSION) -> Path:
    """The repository's bank with exactly N questions per dimension, written to ``folder``.

    Dimensions with fewer questions repeat theirs under new ids ("...-copy-2").
    """
    folder.mkdir(parents=True, exist_ok=True)
    bank_yaml = (DEFAULT_PATH / "bank.yaml").read_text(encoding="utf-8")
    (folder / "bank.yaml").write_text(bank_yaml, encoding="utf-8")
    for dimension in yaml.safe_load(bank_yaml)["dimensions"]:
        data = yaml.safe_load((DEFAULT_PATH / dimension["file"]).read_text(encoding="utf-8"))
        real = data["questions"]
        questions = real[:questions_per_dimension]
        for number in range(len(questions), questions_per_dimension):
            extra = copy.deepcopy(real[number % len(real)])
            extra["id"] = f"{extra['id']}-copy-{number}"
            questions.append(extra)
        data["questions"] = questions
        (folder / dimension["file"]).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def make_rows(departments: int, respondents: int, bank: QuestionBank, seed: int = 0,
              first: int = 1) -> list[list[str]]:
    """Import rows, header first: every respondent answers every question, so every
    response is submitted.  Departments are numbered from ``first``."""
    chance = random.Random(seed)
    values, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
    rows = [list(HEADER)]
    for d in range(first, first + departments):
        department, directorate = f"Service {d:05d}", DIRECTORATES[d % len(DIRECTORATES)]
        for r in range(respondents):
            respondent = f"Head of service {r + 1}"
            for question in bank.questions:
                answer = chance.choices(values, weights)[0]
                comment = chance.choice(COMMENTS) if chance.random() < 0.1 else ""
                evidence = ("Quarterly report to the board"
                            if answer in ("4", "5") and chance.random() < 0.5 else "")
                rows.append([department, respondent, question.id, answer, comment, evidence,
                             directorate])
    return rows


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of an empty, migrated database of ``kind``; dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.sqlite'}"
        _migrate(url)
        yield url
        return
    if kind != "postgresql":
        raise ValueError(f"unknown database kind {kind!r}")
    name = f"joinedup_bench_{uuid.uuid4().hex[:10]}"
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        _migrate(url)
        yield url
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _migrate(url: str) -> None:
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()


def workload_app(database_url: str, questions_path: Path) -> Flask:
    """The app on ``database_url`` with the bank in ``questions_path`` (rounds pin it).

    Its job queue file goes beside the bank, in the benchmark's temporary folder.
    """
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "QUESTIONS_PATH": str(questions_path),
        "SECRET_KEY": "benchmark-only", "WTF_CSRF_ENABLED": False,
        "JOBS_SQLITE_PATH": str(questions_path.parent / "jobs.sqlite"),
    })


def load_round(app: Flask, rows: list[list[str]], name: str = "Benchmark round") -> int:
    """Create an open round and import ``rows`` into it through the importer; its id."""
    with app.app_context():
        accounts.ensure_organisation("Benchmark Council")
        assessment_round = rounds.create_round(name, "open")
        plan = importer.plan_import(assessment_round, app.extensions["question_bank"], rows)
        importer.apply_import(assessment_round, plan)
        return assessment_round.id


def csv_file(rows: list[list[str]]) -> bytes:
    """``rows`` as the CSV file a user would upload (UTF-8)."""
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8")


@dataclass
class Prepared:
    """A benchmark database: the app on it, its rounds, and the workload's rows."""

    kind: str
    url: str
    app: Flask
    bank: QuestionBank
    bank_path: Path
    folder: Path
    workload: Workload
    small_round: int
    big_round: int | None = None

    def big_rows(self) -> list[list[str]]:
        return make_rows(self.workload.departments, self.workload.respondents, self.bank)


@contextmanager
def prepared(kind: str, workload: Workload, folder: Path) -> Iterator[Prepared]:
    """A fresh database of ``kind`` holding the 12-department round (the big one comes
    from :func:`big_round`, or from the import benchmark, which times it)."""
    bank_path = folder / "bank"
    if not (bank_path / "bank.yaml").exists():
        write_bank(bank_path)
    bank = load_question_bank(bank_path)
    with fresh_database(kind, folder) as url:
        app = workload_app(url, bank_path)
        small = load_round(app, make_rows(SMALL_DEPARTMENTS, RESPONDENTS, bank, seed=1),
                           f"Earlier round, {SMALL_DEPARTMENTS} departments")
        yield Prepared(kind, url, app, bank, bank_path, folder, workload, small)
        with app.app_context():
            from assessment.extensions import db

            db.dispose()


def big_round(setup: Prepared) -> int:
    """The workload round's id, importing it (untimed) if no benchmark did yet."""
    if setup.big_round is None:
        setup.big_round = load_round(setup.app, setup.big_rows(), "Workload round")
    return setup.big_round


def new_data_version(setup: Prepared, round_id: int) -> None:
    """Mark the round's results stale, as a new answer does (its own transaction).

    Every cache of results (per process, or stored) is keyed by the data
    version, so the next view computes again: a "cold" view after a new answer.
    """
    from assessment.extensions import db
    from assessment.queries.rounds import bump_data_version

    with setup.app.app_context(), db.transaction() as session:
        bump_data_version(session, round_id)
