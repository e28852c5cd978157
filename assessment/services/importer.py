"""Import answers from CSV or XLSX (docs/specification.md section 6): all or nothing.

The file format (columns, readers, limits) is :mod:`assessment.import_format`.
``plan_upload`` checks every row of an upload against the round's question
bank and either returns a plan (for a preview) or raises
:class:`ImportInvalid` listing every bad row by number, and ``apply_import``
writes a plan in one transaction.

Imported text follows the project's one text rule (:mod:`assessment.core.text`):
names lose control characters, tabs and line breaks; comments and evidence
keep only tab and newline.  NUL never reaches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from .. import audit
from ..core.bank import QuestionBank
from ..extensions import db
from ..import_format import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportInvalid,
    Limits,
    Row,
    Upload,
    read_upload,
)
from ..models import Round
from ..queries import responses as response_queries
from ..queries import rounds as round_queries
from ..queries.imports import ImportWriter
from ..queries.responses import AnswerWrite
from .import_check import ResponseState, RowChecker, column_index

__all__ = [
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportInvalid",
    "ImportPlan",
    "PlannedResponse",
    "apply_import",
    "import_file",
    "plan_import",
    "plan_upload",
]

#: Answers written per executemany by :func:`import_file`.
BATCH_ANSWERS = 5_000


@dataclass
class PlannedResponse:
    department: str
    directorate: str | None
    respondent: str
    answers: list[AnswerWrite] = field(default_factory=list)
    submitted: bool = False
    welsh: round_queries.WelshNames = field(default_factory=round_queries.WelshNames)
    #: How many answers; given when ``answers`` were written and not kept (:func:`import_file`).
    written_answers: int | None = None

    @property
    def answer_count(self) -> int:
        return len(self.answers) if self.written_answers is None else self.written_answers


@dataclass(frozen=True)
class ImportPlan:
    """What an import will create, for the preview and for :func:`apply_import`."""

    responses: tuple[PlannedResponse, ...]
    new_departments: tuple[str, ...]

    @property
    def answer_count(self) -> int:
        return sum(r.answer_count for r in self.responses)

    @property
    def submitted_count(self) -> int:
        return sum(1 for r in self.responses if r.submitted)


def plan_import(assessment_round: Round, bank: QuestionBank,
                rows: Iterable[Sequence[str]]) -> ImportPlan:
    """Check rows of text (header first); see :func:`plan_upload`."""
    upload = Upload(Row(list(cells), number) for number, cells in enumerate(rows, start=1))
    return plan_upload(assessment_round, bank, upload)


def _checked_rows(bank: QuestionBank, upload: Upload) -> tuple[RowChecker, Iterator[Row]]:
    rows = iter(upload.rows)
    header = next(rows, None)
    if header is None or not any(cell.strip() for cell in header.cells):
        raise ImportInvalid([_l("The file is empty: it needs a header row and answer rows.")])
    return RowChecker(bank, column_index(header.cells)), rows


def _raise_problems(existing: set[tuple[str, str]], checker: RowChecker) -> None:
    """Every problem found, or the file's lack of answer rows, as :class:`ImportInvalid`."""
    problems = checker.final_problems(existing)
    if problems:
        raise ImportInvalid(problems)
    if not checker.planned():
        raise ImportInvalid([_l("The file has a header but no answer rows.")])


def plan_upload(assessment_round: Round, bank: QuestionBank, upload: Upload) -> ImportPlan:
    """Check every row; the plan of what to write, or :class:`ImportInvalid`.

    Problems name rows by number (and sheet, for a questionnaire).  The plan
    holds every answer (for :func:`apply_import`); :func:`import_file` checks
    and writes without keeping them.
    """
    checker, rows = _checked_rows(bank, upload)
    answers: dict[tuple[str, str], list[AnswerWrite]] = {}
    for row in rows:
        checked = checker.check(row)
        if checked is not None:
            state, answer = checked
            kept = answers.setdefault((state.department, state.respondent), [])
            if answer is not None:
                kept.append(answer)
    _raise_problems(_existing_responses(assessment_round), checker)
    responses = tuple(
        PlannedResponse(s.department, s.directorate, s.respondent,
                        answers[(s.department, s.respondent)], checker.is_submitted(s), s.welsh)
        for s in checker.planned())
    return ImportPlan(responses, _new_departments(assessment_round.organisation_id, responses))


def _existing_responses(assessment_round: Round) -> set[tuple[str, str]]:
    return {(r.department.name, r.respondent)
            for r in response_queries.round_responses(assessment_round.id)}


def _new_departments(organisation_id: int, responses: Iterable[PlannedResponse]) -> tuple[str, ...]:
    """The departments the import will create: none of the round's organisation has the name."""
    names = {r.department for r in responses}
    known = {n for n in names
             if round_queries.find_department(db.session, organisation_id, n) is not None}
    return tuple(sorted(names - known))


def apply_import(assessment_round: Round, plan: ImportPlan) -> None:
    """Write a checked plan in one transaction: all of it, or nothing."""
    with db.transaction() as session:
        for planned in plan.responses:
            department = round_queries.get_or_create_department(
                session, assessment_round.organisation_id, planned.department, planned.directorate,
                planned.welsh)
            status = "submitted" if planned.submitted else "in_progress"
            response = response_queries.create_response(
                session, assessment_round.id, department.id, planned.respondent, status=status
            )
            response_queries.upsert_answers(session, response.id, planned.answers)
        round_queries.bump_data_version(session, assessment_round.id)


def import_file(assessment_round: Round, bank: QuestionBank, filename: str,
                content: bytes | BinaryIO, limits: Limits | None = None) -> ImportPlan:
    """Read, check and write a file in one pass and one transaction; what was written
    (its responses without their answers), and audited.

    Good rows are written in batches as they are read; a problem anywhere
    (even at the last row) rolls every batch back, so nothing is written.
    ``content`` may be an open binary file, read as it goes.
    """
    upload = read_upload(filename, content, limits)
    existing = _existing_responses(assessment_round)
    checker, rows = _checked_rows(bank, upload)
    with db.transaction() as session:
        writer = ImportWriter(session, assessment_round.organisation_id, assessment_round.id)
        for row in rows:
            checked = checker.check(row)
            if checked is not None and not checker.problems:
                _write(writer, existing, *checked)
        _raise_problems(existing, checker)
        writer.flush()
        planned = checker.planned()
        writer.store_welsh_names(checker.welsh_names())
        writer.mark_submitted([s.id for s in planned if checker.is_submitted(s)])
        round_queries.bump_data_version(session, assessment_round.id)
    responses = tuple(PlannedResponse(s.department, s.directorate, s.respondent,
                                      submitted=checker.is_submitted(s), welsh=s.welsh,
                                      written_answers=s.answered)
                      for s in planned)
    plan = ImportPlan(responses, tuple(sorted(writer.new_departments)))
    audit.record("import", assessment_round.id, file=filename, responses=len(plan.responses),
                 answers=plan.answer_count)
    return plan


def _write(writer: ImportWriter, existing: set[tuple[str, str]], state: ResponseState,
           answer: AnswerWrite | None) -> None:
    if not state.written:
        if (state.department, state.respondent) in existing:
            return  # a problem at the end: nothing is written
        state.written = True
        writer.add_response(state)
    if answer is not None:
        writer.add_answer(state, answer)
        if len(writer.answers) >= BATCH_ANSWERS:
            writer.flush()
