"""Responses (one respondent for one department in one round) and answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Insert, Select, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Answer, Department, Response, utcnow


@dataclass(frozen=True)
class AnswerWrite:
    """One answer to store: the written value (``"3"``, ``"dont_know"`` ...)."""

    question_id: str
    value: str
    comment: str | None = None
    evidence: str | None = None


def find_response(session: Session, round_id: int, department_id: int,
                  respondent: str) -> Response | None:
    query = select(Response).where(
        Response.round_id == round_id,
        Response.department_id == department_id,
        Response.respondent == respondent,
    )
    return session.scalars(query).first()


def create_response(session: Session, round_id: int, department_id: int, respondent: str,
                    token_hash: str | None = None, status: str = "in_progress") -> Response:
    response = Response(round_id=round_id, department_id=department_id, respondent=respondent,
                        token_hash=token_hash, status=status)
    if status == "submitted":
        response.submitted_at = utcnow()
    session.add(response)
    session.flush()
    return response


def upsert_answers(session: Session, response_id: int, answers: Iterable[AnswerWrite]) -> None:
    """Insert or update answers, one row per (response, question).

    ``INSERT ... ON CONFLICT DO UPDATE`` is atomic on SQLite and PostgreSQL, so
    two saves of the same answer at once never lose either write or fail.
    """
    rows = [
        {"response_id": response_id, "question_id": a.question_id, "value": a.value,
         "comment": a.comment, "evidence": a.evidence, "revision": 1, "updated_at": utcnow()}
        for a in answers
    ]
    if not rows:
        return
    # The rows as parameters (executemany), not .values(rows): one statement, built and
    # compiled once, sent in batches.  A 40-row .values() was compiled anew on every call
    # (about 12 ms each: most of a 400,000-answer import; benchmarks/README.md).
    session.execute(_upsert_statement(session.get_bind().dialect.name), rows)


@lru_cache(maxsize=2)
def _upsert_statement(dialect_name: str) -> Insert:
    """``INSERT ... ON CONFLICT (response, question) DO UPDATE`` for the dialect."""
    table = Answer.__table__
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
    return statement.on_conflict_do_update(
        index_elements=["response_id", "question_id"],
        set_={
            "value": statement.excluded.value,
            "comment": statement.excluded.comment,
            "evidence": statement.excluded.evidence,
            "updated_at": statement.excluded.updated_at,
            "revision": table.c.revision + 1,
        },
    )


def response_answers(response_id: int) -> list[Answer]:
    query = select(Answer).where(Answer.response_id == response_id).order_by(Answer.id)
    return list(db.session.scalars(query))


def submitted_responses(round_id: int) -> list[tuple[int, str, str | None]]:
    """(response id, department, directorate) of every submitted response of a round.

    Ordered by department name, then respondent.
    """
    query = (
        select(Response.id, Department.name, Department.directorate)
        .join(Department, Response.department_id == Department.id)
        .where(Response.round_id == round_id, Response.status == "submitted")
        .order_by(Department.name, Response.respondent, Response.id)
    )
    return [tuple(row) for row in db.session.connection().execute(query)]


def submitted_answers(round_id: int) -> list[tuple[int, str, str]]:
    """(response id, question id, value) of every answer of the round's submitted responses.

    In no particular order: results are sums with exact rounding (``math.fsum``),
    so order cannot change them, and sorting 400,000 rows costs time.  Three
    narrow columns, run on the session's connection rather than through the ORM
    (which builds result objects per row): reading a 400,000-answer round this
    way took about a fifth of the time of ORM rows with comments (benchmarks/README.md).
    """
    query = (
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.round_id == round_id, Response.status == "submitted")
    )
    return plain_rows(query)


def plain_rows(query: Select) -> list[tuple]:
    """Every row of ``query`` as the database driver gives it: plain tuples, one ``fetchall``.

    For the one read of a whole round's answers: building a SQLAlchemy row per answer took
    about 0.9 s of a 400,000-answer round's analysis, the driver's own tuples 0.55 s.  The
    statement still goes through SQLAlchemy (events, logging, statement counts); only the
    fetching skips its row objects.
    """
    result = db.session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


#: The three states of :func:`progress_state`, as the pages name them ("Not started" ...).
NOT_STARTED, IN_PROGRESS, SUBMITTED = "not_started", "in_progress", "submitted"


def progress_state(status: str, answered: bool) -> str:
    """The one definition of a respondent's progress (specification section 13):
    ``submitted`` once submitted; else ``in_progress`` once at least one answer is
    saved; else ``not_started`` (invited, whether or not the link was opened)."""
    if status == "submitted":
        return SUBMITTED
    return IN_PROGRESS if answered else NOT_STARTED


@dataclass(frozen=True)
class ProgressCounts:
    """How many respondents were invited, and how many of them are in each state.

    ``invited`` is every response of the round (an imported respondent counts
    too), so ``invited == not_started + in_progress + submitted``.
    """

    invited: int
    not_started: int
    in_progress: int
    submitted: int

    @property
    def waiting(self) -> int:
        """Respondents who have not submitted."""
        return self.invited - self.submitted

    def as_dict(self) -> dict[str, int]:
        """The four counts alone (as the results JSON gives them)."""
        return {"invited": self.invited, "not_started": self.not_started,
                "in_progress": self.in_progress, "submitted": self.submitted}


@dataclass(frozen=True)
class DepartmentProgress(ProgressCounts):
    name: str
    directorate: str | None


@dataclass(frozen=True)
class RoundProgress(ProgressCounts):
    """A round's counts, and each department's (ordered by department name)."""

    departments: tuple[DepartmentProgress, ...]


def progress_counts(round_id: int) -> RoundProgress:
    """Counts of :func:`progress_state`, for the whole round and each department.

    Every page and the JSON API that counts respondents reads this.  One row per
    response, plain rows (10,000 responses as ORM objects took about 0.5 s).
    """
    has_answer = select(Answer.id).where(Answer.response_id == Response.id).exists()
    query = (
        select(Department.name, Department.directorate, Response.status, has_answer)
        .join(Department, Response.department_id == Department.id)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Department.id)
    )
    tallies: dict[tuple[str, str | None], Counter[str]] = {}
    for name, directorate, status, answered in db.session.connection().execute(query):
        tallies.setdefault((name, directorate), Counter())[progress_state(status, answered)] += 1
    departments = tuple(DepartmentProgress(**_counts(tally), name=name, directorate=directorate)
                        for (name, directorate), tally in tallies.items())
    return RoundProgress(**_counts(sum(tallies.values(), Counter())), departments=departments)


def _counts(tally: Counter[str]) -> dict[str, int]:
    return {"invited": tally.total(), "not_started": tally[NOT_STARTED],
            "in_progress": tally[IN_PROGRESS], "submitted": tally[SUBMITTED]}


def round_responses(round_id: int) -> list[Response]:
    """Every response of a round with its department, for trackers and lists."""
    query = (
        select(Response).join(Department)
        .where(Response.round_id == round_id)
        .order_by(Department.name, Response.respondent)
    )
    return list(db.session.scalars(query))


# --- challenges (the review loop: services.review) -------------------------------------


@dataclass(frozen=True)
class Challenge:
    """A lead's challenge of one submitted answer, and where it has got to."""

    answer_id: int
    question_id: str
    note: str | None
    state: str
    reply: str | None


def response_challenges(response_id: int) -> list[Challenge]:
    """The challenges of a response's answers, in the order the answers were saved."""
    query = (
        select(Answer.id, Answer.question_id, Answer.challenge_note,
               Answer.challenge_state, Answer.challenge_reply)
        .where(Answer.response_id == response_id, Answer.challenged.is_(True))
        .order_by(Answer.id)
    )
    return [Challenge(*row) for row in db.session.execute(query)]


def department_challenges(round_id: int, department_id: int) -> dict[int, Challenge]:
    """The challenges of a department's submitted answers by answer id."""
    query = (
        select(Answer.id, Answer.question_id, Answer.challenge_note,
               Answer.challenge_state, Answer.challenge_reply)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.round_id == round_id, Response.department_id == department_id,
               Response.status == "submitted", Answer.challenged.is_(True))
    )
    return {row[0]: Challenge(*row) for row in db.session.execute(query)}


def challenge_in(session: Session, answer_id: int) -> Challenge | None:
    """One answer's challenge, read in the caller's transaction (None if not challenged)."""
    query = select(Answer.id, Answer.question_id, Answer.challenge_note,
                   Answer.challenge_state, Answer.challenge_reply).where(
        Answer.id == answer_id, Answer.challenged.is_(True))
    row = session.execute(query).first()
    return None if row is None else Challenge(*row)


def answer_id_of(session: Session, response_id: int, question_id: str) -> int | None:
    query = select(Answer.id).where(Answer.response_id == response_id,
                                    Answer.question_id == question_id)
    return session.scalar(query)


def set_challenge(session: Session, answer_id: int, note: str | None, state: str | None,
                  reply: str | None) -> None:
    """Challenge an answer (``note`` and ``state`` given) or withdraw it (both None)."""
    session.execute(
        update(Answer).where(Answer.id == answer_id).values(
            challenged=state is not None, challenge_note=note, challenge_state=state,
            challenge_reply=reply)
    )


def set_challenge_state(session: Session, answer_id: int, state: str,
                        reply: str | None = None, keep_reply: bool = True) -> None:
    values: dict[str, object] = {"challenge_state": state}
    if not keep_reply:
        values["challenge_reply"] = reply
    session.execute(update(Answer).where(Answer.id == answer_id).values(**values))


def department_submitted(round_id: int, department_id: int) -> tuple[
        list[tuple[int, str, str | None]], list[tuple[int, str, str]]]:
    """The submitted responses (id, department, directorate) of one department in a
    round and their answers (response id, question id, value): what the core scores
    the department from, without reading the rest of the round."""
    responses = (
        select(Response.id, Department.name, Department.directorate)
        .join(Department, Response.department_id == Department.id)
        .where(Response.round_id == round_id, Response.department_id == department_id,
               Response.status == "submitted")
        .order_by(Response.id)
    )
    answers = (
        select(Answer.response_id, Answer.question_id, Answer.value)
        .join(Response, Answer.response_id == Response.id)
        .where(Response.round_id == round_id, Response.department_id == department_id,
               Response.status == "submitted")
    )
    connection = db.session.connection()
    return ([tuple(row) for row in connection.execute(responses)],
            [tuple(row) for row in connection.execute(answers)])
