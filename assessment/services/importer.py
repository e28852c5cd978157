"""Import answers from CSV or XLSX (CONTRACT section 6): all or nothing.

``read_table`` turns a file into rows of text, ``plan_import`` checks every row
against the round's question bank and either returns a plan (for a preview)
or raises :class:`ImportInvalid` listing every bad row by number, and
``apply_import`` writes a plan in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from .. import audit
from ..cells import csv_value
from ..core.answers import MAX_NOTE_LENGTH, AnswerError, is_level, parse_answer
from ..core.bank import QuestionBank
from ..core.errors import AssessmentError
from ..extensions import db
from ..models import Round
from ..queries import accounts as account_queries
from ..queries import responses as response_queries
from ..queries import rounds as round_queries
from ..queries.responses import AnswerWrite

REQUIRED_COLUMNS = ("department", "respondent", "question_id", "answer", "comment")
#: Written by the answers CSV export (the review loop), read by nobody: accepted and ignored.
REVIEW_COLUMNS = ("challenge_note", "challenge_state", "challenge_reply")
OPTIONAL_COLUMNS = ("evidence", "directorate")
MAX_NAME_LENGTH = 200


class ImportInvalid(AssessmentError):
    """The file cannot be imported; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class PlannedResponse:
    department: str
    directorate: str | None
    respondent: str
    answers: list[AnswerWrite] = field(default_factory=list)
    submitted: bool = False


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


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees (3.0 -> "3", None -> "")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Upload:
    """The rows of a file as text; ``row_names[i]`` says where row ``i`` came from
    ("sheet 'Parks', row 9") when that is not simply "row i+1"."""

    rows: list[list[str]]
    row_names: list[str] | None = None


def read_table(filename: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV (UTF-8, with or without BOM) or XLSX file, as text.

    A filled-in questionnaire template (services.offline_template) becomes
    rows in the import format.
    """
    return read_upload(filename, content).rows


def read_upload(filename: str, content: bytes) -> Upload:
    """Like :func:`read_table`, with where each row came from."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportInvalid(["The file is not UTF-8 text: save it as 'CSV UTF-8'."]) from None
        # csv_value drops the apostrophe our CSV export puts before formula-like text.
        rows = csv.reader(io.StringIO(text, newline=""))
        return Upload([[csv_value(cell) for cell in row] for row in rows])
    raise ImportInvalid(["The file must be a CSV or an XLSX file."])


def _read_xlsx(content: bytes) -> Upload:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged file
        raise ImportInvalid(["The file could not be read as an XLSX workbook."]) from None
    try:
        from .offline_template import read_questionnaires

        questionnaires = read_questionnaires(workbook, _cell_text)
        if questionnaires is not None:
            return questionnaires
        sheet = workbook["Answers"] if "Answers" in workbook.sheetnames else workbook.worksheets[0]
        return Upload([[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)])
    finally:
        workbook.close()


def _column_index(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    if tuple(names[:5]) != REQUIRED_COLUMNS:
        raise ImportInvalid([
            "Row 1: the header must start with " + ",".join(REQUIRED_COLUMNS)
            + f", not {','.join(names[:5])}"
        ])
    problems = [f"Row 1: unknown column {n!r}" for n in names[5:]
                if n and n not in OPTIONAL_COLUMNS and n not in REVIEW_COLUMNS]
    repeated = {n for n in names if n and names.count(n) > 1}
    problems += [f"Row 1: column {n!r} appears more than once" for n in sorted(repeated)]
    if problems:
        raise ImportInvalid(problems)
    return {n: i for i, n in enumerate(names) if n}


def plan_import(assessment_round: Round, bank: QuestionBank, rows: list[list[str]],
                row_names: list[str] | None = None) -> ImportPlan:
    """Check every row; the plan of what to write, or :class:`ImportInvalid`.

    Problems name rows by number, or by ``row_names`` (see :class:`Upload`).
    """
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportInvalid(["The file is empty: it needs a header row and answer rows."])
    columns = _column_index(rows[0])
    problems: list[str] = []
    planned: dict[tuple[str, str], PlannedResponse] = {}
    seen: dict[tuple[str, str, str], str] = {}
    for index, row in enumerate(rows[1:], start=1):
        where = row_names[index] if row_names else f"row {index + 1}"
        if not any(cell.strip() for cell in row):
            continue  # blank lines, common at the end of spreadsheets
        record = {name: (row[i] if i < len(row) else "") for name, i in columns.items()}
        row_problems = _row_problems(record, bank)
        key = (record["department"].strip(), record["respondent"].strip(),
               record["question_id"].strip())
        if key in seen:
            row_problems.append(f"repeats the answer of {seen[key]} for {key[2]!r}")
        seen.setdefault(key, where)
        problems += [f"{where[:1].upper()}{where[1:]}: {problem}" for problem in row_problems]
        if not row_problems:
            _add_to_plan(planned, record)
    problems += _directorate_problems(planned)
    problems += _existing_response_problems(assessment_round, planned)
    if problems:
        raise ImportInvalid(problems)
    if not planned:
        raise ImportInvalid(["The file has a header but no answer rows."])
    return _finish_plan(bank, planned)


def _row_problems(record: dict[str, str], bank: QuestionBank) -> list[str]:
    problems = []
    for column in ("department", "respondent"):
        value = record[column].strip()
        if not value:
            problems.append(f"{column} is empty")
        elif len(value) > MAX_NAME_LENGTH:
            problems.append(f"{column} is longer than {MAX_NAME_LENGTH} characters")
    question_id = record["question_id"].strip()
    if not bank.has_question(question_id):
        problems.append(f"unknown question_id {question_id!r}")
    value = None
    try:
        value = parse_answer(record["answer"].strip())
    except AnswerError as error:
        problems.append(str(error))
    for column in ("comment", "evidence"):
        if len(record.get(column, "")) > MAX_NOTE_LENGTH:
            problems.append(f"{column} is longer than {MAX_NOTE_LENGTH:,} characters")
    if record.get("evidence", "").strip() and not (is_level(value) and value >= 4):
        problems.append("evidence goes only with answers at level 4 or 5")
    return problems


def _add_to_plan(planned: dict[tuple[str, str], PlannedResponse], record: dict[str, str]) -> None:
    department, respondent = record["department"].strip(), record["respondent"].strip()
    directorate = record.get("directorate", "").strip() or None
    response = planned.setdefault(
        (department, respondent), PlannedResponse(department, directorate, respondent)
    )
    answer = record["answer"].strip()
    if answer:
        response.answers.append(AnswerWrite(
            record["question_id"].strip(), answer,
            record["comment"].strip() or None, record.get("evidence", "").strip() or None,
        ))


def _directorate_problems(planned: dict[tuple[str, str], PlannedResponse]) -> list[str]:
    by_department: dict[str, set[str]] = defaultdict(set)
    for response in planned.values():
        if response.directorate:
            by_department[response.department].add(response.directorate)
    return [
        f"Department {name!r} is given more than one directorate: {', '.join(sorted(values))}"
        for name, values in sorted(by_department.items()) if len(values) > 1
    ]


def _existing_response_problems(assessment_round: Round,
                                planned: dict[tuple[str, str], PlannedResponse]) -> list[str]:
    existing = {
        (r.department.name, r.respondent)
        for r in response_queries.round_responses(assessment_round.id)
    }
    return [
        f"{respondent!r} of {department!r} already has a response in this round"
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
        raise ImportInvalid(["Set up the organisation before importing answers."])
    with db.transaction() as session:
        for planned in plan.responses:
            department = round_queries.get_or_create_department(
                session, organisation.id, planned.department, planned.directorate
            )
            status = "submitted" if planned.submitted else "in_progress"
            response = response_queries.create_response(
                session, assessment_round.id, department.id, planned.respondent, status=status
            )
            response_queries.upsert_answers(session, response.id, planned.answers)
        round_queries.bump_data_version(session, assessment_round.id)


def import_file(assessment_round: Round, bank: QuestionBank, filename: str,
                content: bytes) -> ImportPlan:
    """Read, check and write a file; the plan that was written (and audited)."""
    upload = read_upload(filename, content)
    plan = plan_import(assessment_round, bank, upload.rows, upload.row_names)
    apply_import(assessment_round, plan)
    audit.record("import", assessment_round.id, file=filename, responses=len(plan.responses),
                 answers=plan.answer_count)
    return plan
