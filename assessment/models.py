"""Typed SQLAlchemy models.  No logic: scoring lives in ``assessment.core``.

The naming convention gives every constraint a stable name, so Alembic
migrations can alter them on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .core.answers import ANSWER_CHOICES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Each tuple is the one source of its strings: the check constraints below are
# written from them (the same SQL text the migrations hold).
ROLES = ("service", "admin", "lead", "trainer")
#: The roles of an organisation's members; a ``service`` administrator belongs to none.
MEMBER_ROLES = ("admin", "lead", "trainer")
#: A service administrator has no organisation; every other account has one.
ORGANISATION_RULE = "(role = 'service') = (organisation_id IS NULL)"
ROUND_STATUSES = ("draft", "open", "closed")
RESPONSE_STATUSES = ("in_progress", "submitted")
JOB_KINDS = ("export_xlsx", "import", "import_check", "send_mail")
MAIL_KINDS = ("invitation", "reminder")
MAIL_LANGUAGES = ("en", "cy", "both")
MAIL_STATES = ("queued", "sent", "failed", "bounced")
JOB_STATUSES = ("queued", "running", "done", "failed")
#: A challenge's state: awaiting the respondent ("open"), answered by keeping the
#: answer with a reply ("kept") or by changing it ("changed"), or closed by the lead.
CHALLENGE_STATES = ("open", "kept", "changed", "resolved")


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """``column IN ('a', 'b')``, a check constraint named after the column."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Organisation(Base):
    """A tenant: one public body, owning its users, departments and rounds."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_cy: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        one_of("role", ROLES),
        CheckConstraint(ORGANISATION_RULE, name="organisation_by_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # None only for the ``service`` role (the check constraint above holds it to that).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped by logout, password change, deactivation and role change: every
    # session carrying an older value is refused on its next request.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TrainerAccess(Base):
    """A trainer's access to an organisation other than their own (issue 15).

    Granted by the service administrator or the organisation's admin; the
    trainer switches between their organisations on the "Switch organisation" page.
    """

    __tablename__ = "trainer_access"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Round(Base):
    __tablename__ = "assessment_round"
    __table_args__ = (
        one_of("status", ROUND_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The Welsh name, if any (core.names.display_name falls back to ``name``).
    name_cy: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    bank_id: Mapped[str] = mapped_column(String(100))
    bank_version: Mapped[str] = mapped_column(String(50))
    # The question bank as it was when the round was created (core.bank_to_dict).
    bank_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Overrides of core.consistency.Thresholds fields; empty means defaults.
    thresholds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Target level per dimension id.
    targets: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    ask_evidence: Mapped[bool] = mapped_column(Boolean, default=True)
    show_department_radar: Mapped[bool] = mapped_column(Boolean, default=True)
    contact: Mapped[str | None] = mapped_column(String(300))
    # Made by ``flask demo`` or the set-up page's demo option: shown with a
    # "Demonstration" tag, never compared with real rounds, removable in one go.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Issue 16: what the round is for and when it closes, told to respondents and in emails.
    purpose: Mapped[str | None] = mapped_column(String(500))
    closing_date: Mapped[date | None] = mapped_column(Date)
    # Bumped in the same transaction as every answer write: the results cache key.
    data_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Department(Base):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    directorate: Mapped[str | None] = mapped_column(String(200))
    name_cy: Mapped[str | None] = mapped_column(String(200))
    directorate_cy: Mapped[str | None] = mapped_column(String(200))


class Response(Base):
    """One respondent answering for one department in one round.

    The invitation link belongs to the response: only the SHA-256 of its token
    is stored, and replacing the link keeps the answers.
    """

    __tablename__ = "response"
    __table_args__ = (
        one_of("status", RESPONSE_STATUSES),
        UniqueConstraint("round_id", "department_id", "respondent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    respondent: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the current link was first followed, and when the lead downloaded it in the
    # mail-merge CSV: the honest states of a link (issue 16).  A new link clears both.
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    downloaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Dimension ids the respondent marked as completed on a section's check page.
    completed_sections: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    department: Mapped[Department] = relationship(lazy="joined")


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        one_of("value", ANSWER_CHOICES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    # Incremented on every save: a second tab saving over a newer answer is told.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    challenged: Mapped[bool] = mapped_column(Boolean, default=False)
    challenge_note: Mapped[str | None] = mapped_column(Text)
    # One of CHALLENGE_STATES while ``challenged``, else None; checked by services.review.
    challenge_state: Mapped[str | None] = mapped_column(String(10))
    challenge_reply: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Who did what, when: never passwords or tokens (see assessment.audit)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(50), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    user_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(64))
    round_id: Mapped[int | None] = mapped_column(Integer)
    # Whose log it is in (issue 15): the member's organisation, else the round's; None for
    # events of no organisation (a service administrator's, an unknown sign-in).
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RateLimitCounter(Base):
    """One fixed-window attempt counter (assessment.ratelimit), shared by every worker.

    ``key`` is the SHA-256 of the limit and who it counts (an address or an
    account), so neither is stored in clear.  Expired rows are deleted as new
    attempts arrive.
    """

    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer)
    # Seconds since the epoch: compared with time.time(), the same on every host.
    expires_at: Mapped[int] = mapped_column(Integer, index=True)


class BackgroundJob(Base):
    """A long export or import run by the job queue (assessment.jobs), and its result.

    The state lives here rather than in the queue, so every web worker and
    host sees the same progress.  ``file_data`` holds the uploaded file of an
    import until it has run, and the finished workbook of an export until
    ``expires_at``; it is deferred, so the progress page never loads it.
    """

    __tablename__ = "background_job"
    __table_args__ = (
        one_of("kind", JOB_KINDS),
        one_of("status", JOB_STATUSES),
    )

    #: Random, so one user cannot guess another's job (it would 404 anyway).
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id", ondelete="CASCADE"))
    # Rows written (exports) or answers imported, of the total expected.
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    # What was asked (export options, language, address) and what came of it.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(300))
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class StoredRoundResults(Base):
    """A round's analysed results, stored once per data version for every worker and host.

    Derived data (assessment.services.results_store): one row per round, replaced
    when ``data_version`` or ``inputs_digest`` no longer match the round, deleted
    with the round, never backed up.  ``payload`` and ``summary`` are
    zlib-compressed JSON of assessment.core.serialise.
    """

    __tablename__ = "round_results"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_round.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(Integer)
    bank_version: Mapped[str] = mapped_column(String(50))
    # Everything else the results depend on: the round's creation time (an id used
    # again after a restore), targets, thresholds and the serialisation format.
    inputs_digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    summary: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailRecipient(Base):
    """Where a respondent's invitation and reminders go (assessment.mail).

    ``link_seed`` is a random value from which the link's token is derived
    with an HMAC keyed by ``LINK_KEY`` (assessment.mail.links), so a reminder
    can carry the same link while the database alone never reveals it.
    """

    __tablename__ = "mail_recipient"
    __table_args__ = (one_of("language", MAIL_LANGUAGES),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(4))
    link_seed: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MailMessage(Base):
    """One invitation or reminder to one respondent and what became of it.

    Never the body or the link: only who, what kind, in which language, and
    the state (``reason`` says why a message failed, with any link removed).
    """

    __tablename__ = "mail_message"
    __table_args__ = (
        one_of("kind", MAIL_KINDS),
        one_of("language", MAIL_LANGUAGES),
        one_of("state", MAIL_STATES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    # The background job sending it (no foreign key: jobs expire, messages stay).
    job_id: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(4))
    state: Mapped[str] = mapped_column(String(10), default="queued")
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The provider's id for the message (Notify's notification id, SMTP's Message-ID).
    provider_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StagedUpload(Base):
    """An import file waiting between its check and its confirmation.

    Kept in the database, not on one host's disk, so the upload, the check
    (perhaps a background job) and the confirmation may each be served by a
    different web host.  ``summary`` is what the import will create, once the
    file has been checked; ``job_id`` the background check, if there is one.
    Only ``user_id`` may use it, until ``expires_at``; it is deleted once
    imported or cancelled, and expired ones are swept away.
    """

    __tablename__ = "staged_upload"

    #: Random, kept only in the uploader's signed session.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(300))
    file_data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    job_id: Mapped[str | None] = mapped_column(String(32))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class BenchmarkGroup(Base):
    """A group of organisations that compare their scores ("Welsh councils").

    Defined by the service administrator (``flask create-benchmark-group``).
    """

    __tablename__ = "benchmark_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_cy: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BenchmarkContribution(Base):
    """A closed round's scores, contributed by its organisation to a benchmark group.

    Only the organisation's dimension scores and question scores (the means of
    its departments', each counting once) are kept: never names, comments or
    anything about a department.  Withdrawing the round deletes the row.
    """

    __tablename__ = "benchmark_contribution"
    __table_args__ = (UniqueConstraint("group_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("benchmark_group.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_round.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    bank_id: Mapped[str] = mapped_column(String(100))
    bank_version: Mapped[str] = mapped_column(String(50))
    # Dimension id -> score, and question id -> score (None where not scored).
    dimension_scores: Mapped[dict[str, float | None]] = mapped_column(JSON)
    question_scores: Mapped[dict[str, float | None]] = mapped_column(JSON)
    contributed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
