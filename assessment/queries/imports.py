"""The writes of an import: departments, responses and answers in batches.

The importer (:mod:`assessment.services.importer`) checks rows as it reads
them and hands the good ones here; :class:`ImportWriter` writes them a batch
at a time with compiled Core ``INSERT`` executemany (``RETURNING`` the new ids
where it needs them), inside the caller's one transaction, so a problem found
at the last row rolls every batch back.  A 400,000-answer import through the
ORM (a flush per response, a query per department) took 3 to 10 times a bare
executemany (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..models import Answer, Department, Response, Round, utcnow
from .responses import AnswerWrite
from .rounds import WelshNames

_ANSWERS, _DEPARTMENTS, _RESPONSES = Answer.__table__, Department.__table__, Response.__table__

#: Ids per ``IN (...)`` (well within SQLite's and PostgreSQL's parameter limits).
CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class PendingResponse(Protocol):
    """A response to write: its names, and its id once written."""

    department: str
    respondent: str
    directorate: str | None
    welsh: WelshNames
    id: int | None


class ImportWriter:
    """Departments, responses and answers of one import into one round.

    New responses and their answers wait in a batch; :meth:`flush` looks up
    the batch's departments at once, inserts the new ones and the responses
    (``RETURNING`` their ids, in order) and then the answers.  Welsh names
    given in later rows are stored at the end (:meth:`store_welsh_names`).
    """

    def __init__(self, session: Session, organisation_id: int, round_id: int) -> None:
        self.session, self.organisation_id, self.round_id = session, organisation_id, round_id
        self.departments: dict[str, list] = {}  # name -> [id, directorate, name_cy, directorate_cy]
        self.new_departments: list[str] = []
        self.responses: list[PendingResponse] = []
        self.answers: list[tuple[PendingResponse, AnswerWrite]] = []
        self.now: datetime = utcnow()

    def add_response(self, response: PendingResponse) -> None:
        self.responses.append(response)

    def add_answer(self, response: PendingResponse, answer: AnswerWrite) -> None:
        self.answers.append((response, answer))

    def flush(self) -> None:
        """Write the waiting responses and answers (a few compiled executemany)."""
        if self.responses:
            self._find_departments()
            rows = [{"round_id": self.round_id, "status": "in_progress",
                     "department_id": self._department_id(r.department, r.directorate),
                     "respondent": r.respondent} for r in self.responses]
            statement = insert(_RESPONSES).returning(_RESPONSES.c.id, sort_by_parameter_order=True)
            ids = self.session.execute(statement, rows).scalars().all()
            for response, new_id in zip(self.responses, ids, strict=True):
                response.id = new_id
            self.responses = []
        if self.answers:
            # A new response has no answers yet, so a plain INSERT (no upsert) is enough.
            self.session.execute(insert(_ANSWERS), [
                {"response_id": r.id, "question_id": a.question_id, "value": a.value,
                 "comment": a.comment, "evidence": a.evidence, "revision": 1,
                 "updated_at": self.now} for r, a in self.answers])
            self.answers = []

    def _find_departments(self) -> None:
        """Look up the batch's unknown departments at once; insert those not found."""
        first: dict[str, PendingResponse] = {}
        for response in self.responses:
            if response.department not in self.departments:
                first.setdefault(response.department, response)
        columns = (_DEPARTMENTS.c.name, _DEPARTMENTS.c.id, _DEPARTMENTS.c.directorate,
                   _DEPARTMENTS.c.name_cy, _DEPARTMENTS.c.directorate_cy)
        for names in _chunks(list(first)):
            query = select(*columns).where(_DEPARTMENTS.c.organisation_id == self.organisation_id,
                                           _DEPARTMENTS.c.name.in_(names))
            for name, *known in self.session.execute(query):
                self.departments.setdefault(name, known)
        new = [name for name in first if name not in self.departments]
        if new:
            statement = insert(_DEPARTMENTS).returning(_DEPARTMENTS.c.id, sort_by_parameter_order=True)
            values = [{"organisation_id": self.organisation_id, "name": name,
                       "directorate": first[name].directorate, "name_cy": first[name].welsh.name,
                       "directorate_cy": first[name].welsh.directorate} for name in new]
            ids = self.session.execute(statement, values).scalars().all()
            for row, new_id in zip(values, ids, strict=True):
                self.departments[row["name"]] = [new_id, row["directorate"], row["name_cy"],
                                                 row["directorate_cy"]]
            self.new_departments += new

    def _department_id(self, name: str, directorate: str | None) -> int:
        """The department's id; a given directorate replaces an old one."""
        known = self.departments[name]
        if directorate and known[1] != directorate:
            self._set_directorate(known[0], directorate)
            known[1] = directorate
        return known[0]

    def _set_directorate(self, department_id: int, directorate: str) -> None:
        self.session.execute(update(_DEPARTMENTS).where(_DEPARTMENTS.c.id == department_id)
                             .values(directorate=directorate))
        self._mark_stale(department_id)

    def store_welsh_names(self, names: dict[str, WelshNames]) -> None:
        """Store each department's Welsh names (after every response is written):
        a name given replaces the old one, a missing one keeps it."""
        new = set(self.new_departments)
        for name, welsh in names.items():
            known = self.departments[name]
            changed = {column: value for column, value, index in (
                ("name_cy", welsh.name, 2), ("directorate_cy", welsh.directorate, 3))
                if value and known[index] != value}
            if not changed:
                continue
            known[2], known[3] = changed.get("name_cy", known[2]), changed.get("directorate_cy", known[3])
            self.session.execute(update(_DEPARTMENTS).where(_DEPARTMENTS.c.id == known[0])
                                 .values(**changed))
            if name not in new:
                self._mark_stale(known[0])

    def _mark_stale(self, department_id: int) -> None:
        # As queries.rounds.get_or_create_department: results show the directorate
        # and the Welsh names, so every round the department answered in is stale.
        answered_in = select(Response.round_id).where(Response.department_id == department_id)
        self.session.execute(update(Round).where(Round.id.in_(answered_in))
                             .values(data_version=Round.data_version + 1))

    def mark_submitted(self, response_ids: Sequence[int]) -> None:
        """The responses that answered every question are submitted (now)."""
        for chunk in _chunks(list(response_ids)):
            self.session.execute(update(_RESPONSES).where(_RESPONSES.c.id.in_(chunk))
                                 .values(status="submitted", submitted_at=self.now))
