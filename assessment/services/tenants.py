"""Organisations as tenants (issue 15): the service administrator's overview, and trainers
who work for several organisations.

Every organisation's data is scoped by its id in the query layer; this module
adds what belongs to no one organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..extensions import db
from ..queries import accounts as account_queries
from ..queries import tenants as tenant_queries
from .accounts import AccountError


@dataclass(frozen=True)
class RoundRate:
    """A round as the service administrator sees it: no names but its own."""

    name: str
    status: str
    responses: int
    submitted: int

    @property
    def rate(self) -> float | None:
        """Submitted responses as a share of all responses, or None with none."""
        return self.submitted / self.responses if self.responses else None


@dataclass(frozen=True)
class OrganisationSummary:
    """One organisation on the service administrator's page."""

    id: int
    name: str
    members: int
    rounds: list[RoundRate] = field(default_factory=list)


def holds_several() -> bool:
    """Whether the installation holds more than one organisation (a regional service)."""
    return len(account_queries.organisation_ids(db.session, limit=2)) > 1


def organisations_overview() -> list[OrganisationSummary]:
    """Every organisation by name, with its members' count and its rounds' response rates."""
    members = tenant_queries.member_counts()
    rounds: dict[int, list[RoundRate]] = {}
    for row in tenant_queries.rounds_progress():
        rounds.setdefault(row.organisation_id, []).append(
            RoundRate(row.name, row.status, row.responses, row.submitted))
    return [OrganisationSummary(organisation_id, name, members.get(organisation_id, 0),
                                rounds.get(organisation_id, []))
            for organisation_id, name in tenant_queries.organisation_names()]


def _trainer_of_another(email: str, organisation_id: int) -> tuple[int, str]:
    """The id and email of the trainer ``email`` of an organisation other than this one."""
    user = account_queries.get_user_by_email(email)
    if user is None or user.role != "trainer":
        raise AccountError(_("There is no trainer with the email address %(email)s.",
                             email=email.strip()), "email")
    if user.organisation_id == organisation_id:
        raise AccountError(_("%(email)s is already a trainer of this organisation.",
                             email=user.email), "email")
    return user.id, user.email


def grant_trainer_access(email: str, organisation_id: int) -> str:
    """Let the trainer ``email`` of another organisation switch to ``organisation_id``."""
    user_id, shown = _trainer_of_another(email, organisation_id)
    with db.transaction() as session:
        account_queries.grant_trainer_access(session, user_id, organisation_id)
    return shown


def revoke_trainer_access(email: str, organisation_id: int) -> str:
    """Take away a trainer's access to ``organisation_id`` (their next request sees it gone)."""
    user_id, shown = _trainer_of_another(email, organisation_id)
    with db.transaction() as session:
        account_queries.revoke_trainer_access(session, user_id, organisation_id)
    return shown


def visiting_trainers(organisation_id: int) -> list[str]:
    """The emails of other organisations' trainers with access to this one."""
    return [user.email for user in account_queries.trainers_with_access(organisation_id)]


@dataclass(frozen=True)
class Choice:
    """An organisation a user may work in."""

    id: int
    name: str


def all_organisations() -> list[Choice]:
    """Every organisation of the installation, by name (the service administrator's choice)."""
    return [Choice(organisation_id, name) for organisation_id, name in tenant_queries.organisation_names()]


def may_switch(user_id: int) -> bool:
    """Whether a user was given access to any organisation besides their own."""
    return bool(account_queries.trainer_organisations(user_id))


def switchable(user_id: int, home_organisation_id: int | None) -> list[Choice]:
    """The organisations a user may switch to: their own first, then any they were given."""
    home = account_queries.get_organisation(home_organisation_id)
    given = account_queries.trainer_organisations(user_id)
    return [Choice(o.id, o.name) for o in ([home] if home else []) + given]
