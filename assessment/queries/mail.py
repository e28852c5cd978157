"""Email recipients and messages (assessment.mail): the only code that writes them.

Functions taking a ``session`` join the caller's transaction (a service's);
the others, called by the send job one message at a time, commit on their own
so each message's state is visible at once to the round overview.  Nothing
here ever holds a message's body or link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    AuditEvent,
    BackgroundJob,
    Department,
    MailMessage,
    MailRecipient,
    Organisation,
    Response,
    Round,
    User,
    utcnow,
)


@dataclass(frozen=True)
class Target:
    """A respondent as a sender needs them: where to, in which language, their link's seed."""

    response_id: int
    email: str
    language: str
    link_seed: str
    token_hash: str | None
    link_revoked: bool
    status: str
    respondent: str
    department: str


@dataclass(frozen=True)
class RoundDetails:
    """What a message says about its round."""

    organisation: str
    round_name: str
    purpose: str | None
    closing_date: date | None
    contact: str | None


@dataclass(frozen=True)
class MessageInfo:
    """One message's state, for the round overview: never its body or link."""

    id: int
    response_id: int
    kind: str
    language: str
    state: str
    reason: str | None
    attempts: int
    provider_id: str | None
    updated_at: datetime
    sent_at: datetime | None


# --- recipients ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewLink:
    """A respondent's address and language, and the seed and token hash of their new link."""

    response_id: int
    email: str
    language: str
    link_seed: str
    token_hash: str


def round_response_ids(session: Session, round_id: int, response_ids: Iterable[int]) -> set[int]:
    """Which of ``response_ids`` are respondents of the round."""
    query = select(Response.id).where(Response.round_id == round_id,
                                      Response.id.in_(list(response_ids)))
    return set(session.scalars(query))


def give_links(session: Session, links: list[NewLink]) -> None:
    """Store each respondent's address and seed and switch their link to the new one.

    Bulk statements (one UPDATE and one INSERT for them all): 2,000 respondents
    one at a time took tens of seconds.
    """
    if not links:
        return
    now = utcnow()
    session.execute(delete(MailRecipient).where(
        MailRecipient.response_id.in_([link.response_id for link in links])))
    session.execute(update(Response), [
        {"id": link.response_id, "token_hash": link.token_hash, "token_revoked": False}
        for link in links])
    session.execute(insert(MailRecipient), [
        {"response_id": link.response_id, "email": link.email, "language": link.language,
         "link_seed": link.link_seed, "updated_at": now} for link in links])


def _target_query() -> Any:
    return (select(MailRecipient.response_id, MailRecipient.email, MailRecipient.language,
                   MailRecipient.link_seed, Response.token_hash, Response.token_revoked,
                   Response.status, Response.respondent, Department.name)
            .join(Response, Response.id == MailRecipient.response_id)
            .join(Department, Department.id == Response.department_id))


def target(response_id: int) -> Target | None:
    row = db.session.execute(_target_query().where(MailRecipient.response_id == response_id)).first()
    return None if row is None else Target(*row)


def targets(round_id: int, response_ids: Iterable[int] | None = None) -> list[Target]:
    """The round's respondents who have an email address (only ``response_ids``, if given)."""
    query = _target_query().where(Response.round_id == round_id)
    if response_ids is not None:
        query = query.where(MailRecipient.response_id.in_(list(response_ids)))
    return [Target(*row) for row in db.session.execute(query.order_by(Response.id))]


def response_status(response_id: int) -> str | None:
    """The response's status now (read afresh: it may have been submitted mid-job)."""
    db.session.rollback()  # a new snapshot, not the one the job started with
    return db.session.scalar(select(Response.status).where(Response.id == response_id))


def round_details(round_id: int) -> RoundDetails | None:
    row = db.session.execute(
        select(Round, Organisation.name).join(Organisation, Organisation.id == Round.organisation_id)
        .where(Round.id == round_id)
    ).first()
    if row is None:
        return None
    found, organisation = row
    # A purpose and a closing date are read if the round has them (issue 16 adds them).
    return RoundDetails(organisation, found.name, getattr(found, "purpose", None),
                        _as_date(getattr(found, "closing_date", None)), found.contact)


def set_round_details(session: Session, round_id: int, purpose: str | None,
                      closing_date: date | None) -> None:
    session.execute(update(Round).where(Round.id == round_id)
                    .values(purpose=purpose, closing_date=closing_date))


def rounds_closing_on(days: Iterable[date]) -> list[int]:
    """Open rounds whose closing date is one of ``days``."""
    query = select(Round.id).where(Round.status == "open", Round.closing_date.in_(list(days)))
    return list(db.session.scalars(query.order_by(Round.id)))


def reminders_since(round_id: int, since: datetime) -> int:
    """How many reminders of the round were queued since ``since`` (keeps schedules idempotent)."""
    query = (select(MailMessage.id).join(Response, Response.id == MailMessage.response_id)
             .where(Response.round_id == round_id, MailMessage.kind == "reminder",
                    MailMessage.created_at >= since))
    return len(list(db.session.scalars(query)))


def scheduling_user(round_id: int) -> int | None:
    """Whom a scheduled reminder is sent for: the lead who last emailed the round, else the first lead."""
    last = db.session.scalar(select(BackgroundJob.user_id).where(
        BackgroundJob.round_id == round_id, BackgroundJob.kind == "send_mail")
        .order_by(BackgroundJob.created_at.desc()).limit(1))
    if last is not None:
        return last
    return db.session.scalar(select(User.id).where(User.role == "lead", User.active.is_(True))
                             .order_by(User.id).limit(1))


def _as_date(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else value


# --- messages ------------------------------------------------------------------------------


def queue_messages(session: Session, job_id: str, kind: str,
                   recipients: Iterable[tuple[int, str]]) -> int:
    """A queued message for each (response id, language); how many."""
    now = utcnow()
    rows = [MailMessage(response_id=response_id, job_id=job_id, kind=kind, language=language,
                        state="queued", attempts=0, created_at=now, updated_at=now)
            for response_id, language in recipients]
    session.add_all(rows)
    session.flush()
    return len(rows)


def queued_messages(job_id: str) -> list[tuple[int, int, str, str]]:
    """(message id, response id, kind, language) of the job's messages still queued."""
    query = (select(MailMessage.id, MailMessage.response_id, MailMessage.kind, MailMessage.language)
             .where(MailMessage.job_id == job_id, MailMessage.state == "queued")
             .order_by(MailMessage.id))
    return [tuple(row) for row in db.session.execute(query)]  # type: ignore[misc]


def _set(message_id: int, **values: Any) -> None:
    with db.transaction() as session:
        session.execute(update(MailMessage).where(MailMessage.id == message_id)
                        .values(updated_at=utcnow(), **values))


@dataclass(frozen=True)
class Settled:
    """A message's final state: ``sent`` (with the provider's id) or ``failed`` (with why)."""

    message_id: int
    state: str
    attempts: int
    reason: str | None = None
    provider_id: str | None = None


def add_audit_events(session: Session, rows: Iterable[dict[str, Any]]) -> None:
    """Audit events built by :func:`assessment.mail.trail.audit_row`."""
    session.add_all([AuditEvent(**row) for row in rows])
    session.flush()


def settle_messages(settled: Iterable[Settled], audit_rows: Iterable[dict[str, Any]]) -> None:
    """Several messages' final states and their audit events, in one transaction."""
    now = utcnow()
    with db.transaction() as session:
        for item in settled:
            values: dict[str, Any] = {"state": item.state, "attempts": item.attempts,
                                      "reason": item.reason, "updated_at": now}
            if item.state == "sent":
                values.update(provider_id=item.provider_id, sent_at=now)
            session.execute(update(MailMessage).where(MailMessage.id == item.message_id)
                            .values(**values))
        add_audit_events(session, audit_rows)


def mark_retrying(message_id: int, attempts: int, reason: str) -> None:
    """Still queued after a temporary failure: the reason shows why it is waiting."""
    _set(message_id, state="queued", attempts=attempts, reason=reason)


def mark_bounced(provider_id: str, reason: str) -> bool:
    """The provider says a sent message never arrived; False if no message has that id."""
    with db.transaction() as session:
        result = session.execute(
            update(MailMessage).where(MailMessage.provider_id == provider_id)
            .values(state="bounced", reason=reason, updated_at=utcnow()))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def drop_message(message_id: int) -> None:
    """A queued message that must not go (a reminder to someone who has since submitted)."""
    with db.transaction() as session:
        session.execute(delete(MailMessage).where(MailMessage.id == message_id,
                                                  MailMessage.state == "queued"))


def sent_with_provider_ids(round_id: int) -> list[tuple[int, str]]:
    """(message id, provider id) of the round's sent messages, to ask the provider about."""
    query = (select(MailMessage.id, MailMessage.provider_id)
             .join(Response, Response.id == MailMessage.response_id)
             .where(Response.round_id == round_id, MailMessage.state == "sent",
                    MailMessage.provider_id.is_not(None)))
    return [tuple(row) for row in db.session.execute(query)]  # type: ignore[misc]


def messages_of_round(round_id: int) -> list[MessageInfo]:
    """Every message of the round, oldest first (the overview shows each respondent's latest)."""
    query = (select(MailMessage).join(Response, Response.id == MailMessage.response_id)
             .where(Response.round_id == round_id).order_by(MailMessage.id))
    return [MessageInfo(m.id, m.response_id, m.kind, m.language, m.state, m.reason, m.attempts,
                        m.provider_id, m.updated_at, m.sent_at)
            for m in db.session.scalars(query)]


def latest_messages(round_id: int) -> dict[int, MessageInfo]:
    """Each respondent's latest message, by response id."""
    return {message.response_id: message for message in messages_of_round(round_id)}
