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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .. import audit
from ..core.answers import MAX_NOTE_LENGTH, AnswerValue, parse_answer, takes_evidence
from ..core.bank import QuestionBank
from ..core.errors import AnswerError
from ..core.text import clean_line, clean_text
from ..extensions import db
from ..import_format import (
    MAX_NAME_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    REVIEW_COLUMNS,
    ImportInvalid,
    Limits,
    Problem,
    Row,
    Upload,
    at,
    read_upload,
    row_name,
)
from ..models import Round
from ..queries import accounts as account_queries
from ..queries import responses as response_queries
from ..queries import rounds as round_queries
from ..queries.responses import AnswerWrite

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

_NAMES = ("department", "respondent", "directorate", "department_cy", "directorate_cy")
_OPTIONAL_NAMES = ("directorate", "department_cy", "directorate_cy")
_NOTES = ("comment", "evidence")


@dataclass
class PlannedResponse:
    department: str
    directorate: str | None
    respondent: str
    answers: list[AnswerWrite] = field(default_factory=list)
    submitted: bool = False
    welsh: round_queries.WelshNames = field(default_factory=round_queries.WelshNames)


@dataclass(frozen=True)
class ImportPlan:
    """What an import will create, for the preview and for :func:`apply_import`."""

    responses: tuple[PlannedResponse, ...]
    new_departments: tuple[str, ...]

    @property
    def answer_count(self) -> int:
        return sum(len(r.answers) for r in self.responses)

    @property
    def submitted_count(self) -> int:
        return sum(1 for r in self.responses if r.submitted)


def _column_index(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    if tuple(names[:5]) != REQUIRED_COLUMNS:
        raise ImportInvalid([_l("Row 1: the header must start with %(expected)s, not %(found)s",
                                expected=",".join(REQUIRED_COLUMNS), found=",".join(names[:5]))])
    problems: list[Problem] = [_l("Row 1: unknown column %(name)s", name=repr(n))
                               for n in names[5:]
                               if n and n not in OPTIONAL_COLUMNS and n not in REVIEW_COLUMNS]
    repeated = {n for n in names if n and names.count(n) > 1}
    problems += [_l("Row 1: column %(name)s appears more than once", name=repr(n))
                 for n in sorted(repeated)]
    if problems:
        raise ImportInvalid(problems)
    return {n: i for i, n in enumerate(names) if n}


def plan_import(assessment_round: Round, bank: QuestionBank,
                rows: Iterable[Sequence[str]]) -> ImportPlan:
    """Check rows of text (header first); see :func:`plan_upload`."""
    upload = Upload(Row(list(cells), number) for number, cells in enumerate(rows, start=1))
    return plan_upload(assessment_round, bank, upload)


def plan_upload(assessment_round: Round, bank: QuestionBank, upload: Upload) -> ImportPlan:
    """Check every row; the plan of what to write, or :class:`ImportInvalid`.

    Problems name rows by number (and sheet, for a questionnaire).
    """
    rows = iter(upload.rows)
    header = next(rows, None)
    if header is None or not any(cell.strip() for cell in header.cells):
        raise ImportInvalid([_l("The file is empty: it needs a header row and answer rows.")])
    columns = _column_index(header.cells)
    problems: list[Problem] = []
    planned: dict[tuple[str, str], PlannedResponse] = {}
    seen: dict[tuple[str, str, str], tuple[int, str | None]] = {}
    for row in rows:
        if not any(cell.strip() for cell in row.cells):
            continue  # blank lines, common at the end of spreadsheets
        record = _record(row.cells, columns)
        row_problems, value = _row_problems(record, bank)
        key = (record["department"], record["respondent"], record["question_id"])
        if key in seen:
            row_problems.append(_l("repeats the answer of %(where)s for %(question)s",
                                   where=row_name(*seen[key]), question=repr(key[2])))
        seen.setdefault(key, (row.number, row.sheet))
        problems += [at(row, problem) for problem in row_problems]
        if not row_problems:
            _add_to_plan(planned, record, value)
    problems += _directorate_problems(planned)
    problems += _existing_response_problems(assessment_round, planned)
    if problems:
        raise ImportInvalid(problems)
    if not planned:
        raise ImportInvalid([_l("The file has a header but no answer rows.")])
    return _finish_plan(bank, planned)


def _record(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    """A row's values by column, cleaned by the project's text rule."""
    record = {}
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        index = columns.get(name)
        raw = cells[index] if index is not None and index < len(cells) else ""
        record[name] = clean_text(raw) if name in _NOTES else clean_line(raw)
    return record


def _row_problems(record: dict[str, str], bank: QuestionBank) -> tuple[list[Problem], AnswerValue | None]:
    problems: list[Problem] = []
    for column in _NAMES:
        if not record[column] and column not in _OPTIONAL_NAMES:
            problems.append(_l("%(column)s is empty", column=column))
        elif len(record[column]) > MAX_NAME_LENGTH:
            problems.append(_l("%(column)s is longer than %(count)d characters", column=column,
                               count=MAX_NAME_LENGTH))
    if not bank.has_question(record["question_id"]):
        problems.append(_l("unknown question_id %(id)s", id=repr(record["question_id"])))
    value = None
    try:
        value = parse_answer(record["answer"])
    except AnswerError:
        problems.append(_l("%(answer)s is not an answer: use 1 to 5, dont_know or not_applicable",
                           answer=repr(record["answer"])))
    for column in _NOTES:
        if len(record[column]) > MAX_NOTE_LENGTH:
            problems.append(_l("%(column)s is longer than %(count)s characters", column=column,
                               count=f"{MAX_NOTE_LENGTH:,}"))
    if record["evidence"] and not takes_evidence(value):
        problems.append(_l("evidence goes only with answers at level 4 or 5"))
    return problems, value


def _add_to_plan(planned: dict[tuple[str, str], PlannedResponse], record: dict[str, str],
                 value: AnswerValue | None) -> None:
    department, respondent = record["department"], record["respondent"]
    response = planned.setdefault(
        (department, respondent),
        PlannedResponse(department, record["directorate"] or None, respondent),
    )
    if record["department_cy"] or record["directorate_cy"]:
        response.welsh = round_queries.WelshNames(
            record["department_cy"] or response.welsh.name,
            record["directorate_cy"] or response.welsh.directorate)
    if value is not None:
        response.answers.append(AnswerWrite(record["question_id"], record["answer"],
                                            record["comment"] or None, record["evidence"] or None))


def _directorate_problems(planned: dict[tuple[str, str], PlannedResponse]) -> list[Problem]:
    by_department: dict[str, set[str]] = defaultdict(set)
    for response in planned.values():
        if response.directorate:
            by_department[response.department].add(response.directorate)
    return [
        _l("Department %(name)s is given more than one directorate: %(values)s",
           name=repr(name), values=", ".join(sorted(values)))
        for name, values in sorted(by_department.items()) if len(values) > 1
    ] + _welsh_name_problems(planned)


def _welsh_name_problems(planned: dict[tuple[str, str], PlannedResponse]) -> list[Problem]:
    """A department given two Welsh names, or two Welsh directorate names, cannot be imported."""
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for response in planned.values():
        for column, value in (("department_cy", response.welsh.name),
                              ("directorate_cy", response.welsh.directorate)):
            if value:
                names[(response.department, column)].add(value)
    return [
        _l("Department %(name)s is given more than one %(column)s: %(values)s",
           name=repr(name), column=column, values=", ".join(sorted(values)))
        for (name, column), values in sorted(names.items()) if len(values) > 1
    ]


def _existing_response_problems(assessment_round: Round,
                                planned: dict[tuple[str, str], PlannedResponse]) -> list[Problem]:
    existing = {
        (r.department.name, r.respondent)
        for r in response_queries.round_responses(assessment_round.id)
    }
    return [
        _l("%(respondent)s of %(department)s already has a response in this round",
           respondent=repr(respondent), department=repr(department))
        for department, respondent in sorted(planned) if (department, respondent) in existing
    ]


def _finish_plan(bank: QuestionBank, planned: dict[tuple[str, str], PlannedResponse]) -> ImportPlan:
    all_questions = {q.id for q in bank.questions}
    for response in planned.values():
        response.submitted = {a.question_id for a in response.answers} == all_questions
    organisation = account_queries.get_organisation()
    known = set()
    if organisation is not None:
        names = {r.department for r in planned.values()}
        known = {n for n in names
                 if round_queries.find_department(db.session, organisation.id, n) is not None}
    new_departments = sorted({r.department for r in planned.values()} - known)
    return ImportPlan(tuple(planned.values()), tuple(new_departments))


def apply_import(assessment_round: Round, plan: ImportPlan) -> None:
    """Write a checked plan in one transaction: all of it, or nothing."""
    organisation = account_queries.get_organisation()
    if organisation is None:
        raise ImportInvalid([_l("Set up the organisation before importing answers.")])
    with db.transaction() as session:
        for planned in plan.responses:
            department = round_queries.get_or_create_department(
                session, organisation.id, planned.department, planned.directorate, planned.welsh
            )
            status = "submitted" if planned.submitted else "in_progress"
            response = response_queries.create_response(
                session, assessment_round.id, department.id, planned.respondent, status=status
            )
            response_queries.upsert_answers(session, response.id, planned.answers)
        round_queries.bump_data_version(session, assessment_round.id)


def import_file(assessment_round: Round, bank: QuestionBank, filename: str,
                content: bytes, limits: Limits | None = None) -> ImportPlan:
    """Read, check and write a file; the plan that was written (and audited)."""
    plan = plan_upload(assessment_round, bank, read_upload(filename, content, limits))
    apply_import(assessment_round, plan)
    audit.record("import", assessment_round.id, file=filename, responses=len(plan.responses),
                 answers=plan.answer_count)
    return plan
