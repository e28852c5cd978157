"""Checking the rows of an import one at a time (docs/specification.md section 6).

:class:`RowChecker` takes the rows of an upload as they are read, checks
each against the round's question bank and the rows before it, and keeps
only what the all-or-nothing checks need: per response its names, how many
questions it answered and the row of each answer (an array of numbers, not a
dictionary per answer), so memory grows with respondents, not with answers.
The column handling (:data:`COLUMNS`, :func:`record`) is here alone.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..core.answers import MAX_NOTE_LENGTH, AnswerValue, parse_answer, takes_evidence
from ..core.bank import QuestionBank
from ..core.errors import AnswerError
from ..core.text import clean_line, clean_text
from ..import_format import (
    MAX_NAME_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    REVIEW_COLUMNS,
    ImportInvalid,
    Problem,
    Row,
    at,
    row_name,
)
from ..queries.responses import AnswerWrite
from ..queries.rounds import WelshNames

#: Every column the importer reads, in the order it reads them.
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
_NAMES = ("department", "respondent", "directorate", "department_cy", "directorate_cy")
_OPTIONAL_NAMES = ("directorate", "department_cy", "directorate_cy")
_NOTES = ("comment", "evidence")
NO_WELSH_NAMES = WelshNames()


def column_index(header: list[str]) -> dict[str, int]:
    """Where each column is, from the header row; or :class:`ImportInvalid`."""
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


def record(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    """A row's values by column, cleaned by the project's text rule."""
    values = {}
    for name in COLUMNS:
        index = columns.get(name)
        raw = cells[index] if index is not None and index < len(cells) else ""
        if raw.isprintable() and "  " not in raw:
            values[name] = raw.strip()  # nothing to clean (most cells): the rule's result, faster
        else:
            values[name] = clean_text(raw) if name in _NOTES else clean_line(raw)
    return values


def row_problems(values: dict[str, str], bank: QuestionBank) -> tuple[list[Problem], AnswerValue | None]:
    problems: list[Problem] = []
    for column in _NAMES:
        if not values[column] and column not in _OPTIONAL_NAMES:
            problems.append(_l("%(column)s is empty", column=column))
        elif len(values[column]) > MAX_NAME_LENGTH:
            problems.append(_l("%(column)s is longer than %(count)d characters", column=column,
                               count=MAX_NAME_LENGTH))
    if not bank.has_question(values["question_id"]):
        problems.append(_l("unknown question_id %(id)s", id=repr(values["question_id"])))
    value = None
    try:
        value = parse_answer(values["answer"])
    except AnswerError:
        problems.append(_l("%(answer)s is not an answer: use 1 to 5, dont_know or not_applicable",
                           answer=repr(values["answer"])))
    for column in _NOTES:
        if len(values[column]) > MAX_NOTE_LENGTH:
            problems.append(_l("%(column)s is longer than %(count)s characters", column=column,
                               count=f"{MAX_NOTE_LENGTH:,}"))
    if values["evidence"] and not takes_evidence(value):
        problems.append(_l("evidence goes only with answers at level 4 or 5"))
    return problems, value


@dataclass(slots=True)
class ResponseState:
    """What the checks remember of one (department, respondent)."""

    department: str
    respondent: str
    first_rows: array  # the row number of each question's first answer, 0 if none yet
    sheets: dict[int, str | None] | None = None  # a questionnaire's sheet of each answer
    planned: bool = False  # a row of it had no problem
    directorate: str | None = None
    welsh: WelshNames = NO_WELSH_NAMES  # the last Welsh names given in its rows
    answered: int = 0
    written: bool = False  # handed to the writer
    id: int | None = None  # once written

    def first(self, index: int) -> tuple[int, str | None] | None:
        number = self.first_rows[index]
        if not number:
            return None
        return number, (self.sheets or {}).get(index)

    def remember(self, index: int, row: Row) -> None:
        if not self.first_rows[index]:
            self.first_rows[index] = row.number
            if row.sheet is not None:
                self.sheets = self.sheets or {}
                self.sheets[index] = row.sheet


class RowChecker:
    """Checks rows one at a time; :meth:`check` gives each good row's answer."""

    def __init__(self, bank: QuestionBank, columns: dict[str, int]) -> None:
        self.bank, self.columns = bank, columns
        self.question_index = {q.id: i for i, q in enumerate(bank.questions)}
        self.responses: dict[tuple[str, str], ResponseState] = {}
        self.unknown_seen: dict[tuple[str, str, str], tuple[int, str | None]] = {}
        self.problems: list[Problem] = []

    def check(self, row: Row) -> tuple[ResponseState, AnswerWrite | None] | None:
        """The row's response and answer (None for a blank answer), or None if it
        has a problem (kept in :attr:`problems`) or is blank."""
        if not any(cell.strip() for cell in row.cells):
            return None  # blank lines, common at the end of spreadsheets
        values = record(row.cells, self.columns)
        problems, value = row_problems(values, self.bank)
        state = self._state(values)
        question = values["question_id"]
        index = self.question_index.get(question)
        first = state.first(index) if index is not None else self.unknown_seen.get(
            (state.department, state.respondent, question))
        if first is not None:
            problems.append(_l("repeats the answer of %(where)s for %(question)s",
                               where=row_name(*first), question=repr(question)))
        elif index is not None:
            state.remember(index, row)
        else:
            self.unknown_seen[(state.department, state.respondent, question)] = (row.number, row.sheet)
        if problems:
            self.problems += [at(row, problem) for problem in problems]
            return None
        if not state.planned:
            state.planned, state.directorate = True, values["directorate"] or None
        if values["department_cy"] or values["directorate_cy"]:
            state.welsh = WelshNames(values["department_cy"] or state.welsh.name,
                                     values["directorate_cy"] or state.welsh.directorate)
        if value is None:
            return state, None
        state.answered += 1
        return state, AnswerWrite(question, values["answer"], values["comment"] or None,
                                  values["evidence"] or None)

    def _state(self, values: dict[str, str]) -> ResponseState:
        key = (values["department"], values["respondent"])
        state = self.responses.get(key)
        if state is None:
            state = ResponseState(*key, array("I", [0]) * len(self.question_index))
            self.responses[key] = state
        return state

    def planned(self) -> list[ResponseState]:
        return [state for state in self.responses.values() if state.planned]

    def is_submitted(self, state: ResponseState) -> bool:
        return state.answered == len(self.question_index)

    def welsh_names(self) -> dict[str, WelshNames]:
        """The Welsh names given for each department (checked by :meth:`final_problems`)."""
        names: dict[str, WelshNames] = {}
        for state in self.planned():
            known = names.get(state.department, NO_WELSH_NAMES)
            names[state.department] = WelshNames(state.welsh.name or known.name,
                                                 state.welsh.directorate or known.directorate)
        return {name: welsh for name, welsh in names.items() if welsh != NO_WELSH_NAMES}

    def final_problems(self, existing: set[tuple[str, str]]) -> list[Problem]:
        """Every problem: the rows', then directorates' and Welsh names', then responses already there."""
        planned = self.planned()
        by_department: dict[str, set[str]] = defaultdict(set)
        for state in planned:
            if state.directorate:
                by_department[state.department].add(state.directorate)
        problems = list(self.problems)
        problems += [
            _l("Department %(name)s is given more than one directorate: %(values)s",
               name=repr(name), values=", ".join(sorted(values)))
            for name, values in sorted(by_department.items()) if len(values) > 1
        ]
        problems += _welsh_name_problems(planned)
        problems += [
            _l("%(respondent)s of %(department)s already has a response in this round",
               respondent=repr(respondent), department=repr(department))
            for department, respondent in sorted((s.department, s.respondent) for s in planned)
            if (department, respondent) in existing
        ]
        return problems


def _welsh_name_problems(planned: list[ResponseState]) -> list[Problem]:
    """A department given two Welsh names, or two Welsh directorate names, cannot be imported."""
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for state in planned:
        for column, value in (("department_cy", state.welsh.name),
                              ("directorate_cy", state.welsh.directorate)):
            if value:
                names[(state.department, column)].add(value)
    return [
        _l("Department %(name)s is given more than one %(column)s: %(values)s",
           name=repr(name), column=column, values=", ".join(sorted(values)))
        for (name, column), values in sorted(names.items()) if len(values) > 1
    ]
