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

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ..models import Answer, Department, Response, Round, utcnow
from .responses import AnswerWrite

_ANSWERS, _DEPARTMENTS, _RESPONSES = Answer.__table__, Department.__table__, Response.__table__

#: Ids per ``IN (...)`` (well within SQLite's and PostgreSQL's parameter limits).
CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class ImportWriter:
    """Departments, responses and answers of one import into one round.

    ``department_id`` and ``response_id`` hand out ids as rows arrive;
    answers wait in a batch that :meth:`flush` writes.
    """

    def __init__(self, session: Session, organisation_id: int, round_id: int) -> None:
        self.session, self.organisation_id, self.round_id = session, organisation_id, round_id
        self.departments: dict[str, list] = {}  # name -> [id, directorate]
        self.new_departments: list[str] = []
        self.answers: list[dict] = []
        self.now: datetime = utcnow()

    def department_id(self, name: str, directorate: str | None) -> int:
        """The department's id, made if new; a given directorate replaces an old one."""
        known = self.departments.get(name)
        if known is None:
            known = self._find_or_create(name, directorate)
            self.departments[name] = known
        elif directorate and known[1] != directorate:
            self._set_directorate(known[0], directorate)
            known[1] = directorate
        return known[0]

    def _find_or_create(self, name: str, directorate: str | None) -> list:
        query = select(Department.id, Department.directorate).where(
            Department.organisation_id == self.organisation_id, Department.name == name)
        found = self.session.execute(query).first()
        if found is None:
            new_id = self.session.execute(insert(_DEPARTMENTS).returning(_DEPARTMENTS.c.id), {
                "organisation_id": self.organisation_id, "name": name,
                "directorate": directorate}).scalar_one()
            self.new_departments.append(name)
            return [new_id, directorate]
        if directorate and found.directorate != directorate:
            self._set_directorate(found.id, directorate)
            return [found.id, directorate]
        return [found.id, found.directorate]

    def _set_directorate(self, department_id: int, directorate: str) -> None:
        # As queries.rounds.get_or_create_department: results show the directorate,
        # so every round the department answered in is stale.
        self.session.execute(update(_DEPARTMENTS).where(_DEPARTMENTS.c.id == department_id)
                             .values(directorate=directorate))
        answered_in = select(Response.round_id).where(Response.department_id == department_id)
        self.session.execute(update(Round).where(Round.id.in_(answered_in))
                             .values(data_version=Round.data_version + 1))

    def response_id(self, department_id: int, respondent: str) -> int:
        """A new response (in progress until :meth:`mark_submitted`)."""
        return self.session.execute(insert(_RESPONSES).returning(_RESPONSES.c.id), {
            "round_id": self.round_id, "department_id": department_id,
            "respondent": respondent, "status": "in_progress"}).scalar_one()

    def add_answer(self, response_id: int, answer: AnswerWrite) -> None:
        self.answers.append({
            "response_id": response_id, "question_id": answer.question_id, "value": answer.value,
            "comment": answer.comment, "evidence": answer.evidence, "revision": 1,
            "updated_at": self.now})

    def flush(self) -> None:
        """Write the waiting answers (one compiled executemany)."""
        if self.answers:
            # A new response has no answers yet, so a plain INSERT (no upsert) is enough.
            self.session.execute(insert(_ANSWERS), self.answers)
            self.answers = []

    def mark_submitted(self, response_ids: Sequence[int]) -> None:
        """The responses that answered every question are submitted (now)."""
        for chunk in _chunks(list(response_ids)):
            self.session.execute(update(_RESPONSES).where(_RESPONSES.c.id.in_(chunk))
                                 .values(status="submitted", submitted_at=self.now))
