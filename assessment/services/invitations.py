"""Invitation links: a random token per response, only its hash stored.

A link is shown once, when it is made.  Replacing a link keeps the answers;
revoking it stops it working.  The CSV for a mail merge can therefore hold
only links made in the same action.

A link starts with ``BASE_URL`` when it is set (production requires it),
otherwise with the address the request came in on, so ``flask run --port
5077`` gives working links; behind a proxy that address is the public one
when ``PROXY_FIX_X_FOR`` is set (:mod:`assessment.security`).  Outside a
request (the command line) ``BASE_URL`` or ``--base-url`` must say it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from sqlalchemy.orm import Session

from .. import audit
from ..cells import csv_field
from ..core.errors import AssessmentError
from ..core.text import clean_line
from ..extensions import db
from ..models import Response
from ..queries import accounts as account_queries
from ..queries import responses as response_queries
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from .rounds import require_round

# 32 bytes = 256 bits from the OS's cryptographic generator.
TOKEN_BYTES = 32
CSV_HEADER = ("department", "directorate", "respondent", "link")


class InvitationError(AssessmentError):
    """An invitation cannot be created as asked."""


@dataclass(frozen=True)
class Invitation:
    response_id: int
    department: str
    respondent: str
    link: str
    directorate: str | None = None


@dataclass(frozen=True)
class RevokedLink:
    """Whose link stopped working."""

    response_id: int
    department: str
    respondent: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_base(base_url: str | None = None) -> str:
    """Where links start: ``base_url``, else BASE_URL, else this request's address."""
    base = base_url or current_app.config.get("BASE_URL")
    if not base and has_request_context():
        base = request.url_root  # honours ProxyFix's X-Forwarded-Host and -Proto
    if not base:
        raise InvitationError(
            "Links need the address people open the app at: set BASE_URL "
            "(for example https://joined-up.example.org) or give --base-url."
        )
    parts = urlsplit(str(base))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvitationError(f"The base URL {base} must start with https:// or http://, "
                              "like https://joined-up.example.org.")
    return str(base).rstrip("/")


def invitation_link(token: str, base_url: str | None = None) -> str:
    return link_base(base_url) + "/r/" + token


def _clean_name(value: str, what: str) -> str:
    value = " ".join(clean_line(value).split())
    if not value:
        raise InvitationError(f"Enter the {what}.")
    if len(value) > 200:
        raise InvitationError(f"The {what} must be 200 characters or fewer.")
    return value


def _require_not_closed(round_id: int) -> None:
    if require_round(round_id).status == "closed":
        raise InvitationError("The round is closed: reopen it before inviting anyone.")


def _new_link(session: Session, response: Response, base: str) -> Invitation:
    """Give ``response`` a fresh token (the old one stops working)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    survey_queries.set_token(session, response.id, hash_token(token))
    department = response.department
    return Invitation(response.id, department.name, response.respondent,
                      invitation_link(token, base), department.directorate)


def _record_created(round_id: int, invitations: Iterable[Invitation], **details: object) -> None:
    for invitation in invitations:
        audit.record("invitation_created", round_id, response_id=invitation.response_id,
                     department=invitation.department, respondent=invitation.respondent,
                     **details)


def invite_many(round_id: int, department: str, respondents: list[str],
                directorate: str | None = None,
                welsh: round_queries.WelshNames | None = None,
                base_url: str | None = None) -> list[Invitation]:
    """New links for ``respondents`` of ``department``, in one transaction.

    A respondent who already exists gets a new link (their answers stay).  An
    empty list adds one new respondent named ``Respondent N``.  ``base_url``
    overrides where links start (:func:`link_base`).
    """
    base = link_base(base_url)  # before anything is written
    _require_not_closed(round_id)
    department = _clean_name(department, "department name")
    directorate = " ".join(clean_line(directorate or "").split()) or None
    names: list[str | None] = [_clean_name(n, "respondent name") for n in respondents] or [None]
    welsh = _clean_welsh(welsh)
    organisation = account_queries.organisation_of_round(round_id)
    assert organisation is not None  # checked open above, so the round exists
    with db.transaction() as session:
        dept = round_queries.get_or_create_department(session, organisation.id, department,
                                                      directorate, welsh)
        created = [_new_link(session, _find_or_create(session, round_id, dept.id, name), base)
                   for name in dict.fromkeys(names)]
    _record_created(round_id, created)
    return created


def invite(round_id: int, department: str, respondent: str | None = None,
           directorate: str | None = None,
           welsh: round_queries.WelshNames | None = None, base_url: str | None = None) -> Invitation:
    """A new link for ``respondent`` of ``department``; replaces their old link.

    Without a respondent name, a new respondent ``Respondent N`` is added.
    """
    return invite_many(round_id, department, [respondent] if respondent else [], directorate,
                       welsh, base_url)[0]


def _clean_welsh(welsh: round_queries.WelshNames | None) -> round_queries.WelshNames:
    """Welsh names by the one text rule, each at most 200 characters (blank means none)."""
    if welsh is None:
        return round_queries.WelshNames()
    name = " ".join(clean_line(welsh.name or "").split()) or None
    directorate = " ".join(clean_line(welsh.directorate or "").split()) or None
    for value, what in ((name, "Welsh department name"), (directorate, "Welsh directorate name")):
        if value and len(value) > 200:
            raise InvitationError(f"The {what} must be 200 characters or fewer.")
    return round_queries.WelshNames(name, directorate)


def replace_link(round_id: int, response_id: int) -> Invitation:
    """A new link for an existing respondent; the old link stops working."""
    base = link_base()
    _require_not_closed(round_id)
    with db.transaction() as session:
        response = _require_response(session, round_id, response_id)
        invitation = _new_link(session, response, base)
    _record_created(round_id, [invitation], replaced=True)
    return invitation


def revoke_link(round_id: int, response_id: int) -> RevokedLink:
    """Stop a respondent's link working; their answers stay."""
    with db.transaction() as session:
        response = _require_response(session, round_id, response_id)
        survey_queries.revoke_token(session, response.id)
        revoked = RevokedLink(response.id, response.department.name, response.respondent)
    audit.record("invitation_revoked", round_id, response_id=revoked.response_id,
                 department=revoked.department, respondent=revoked.respondent)
    return revoked


def links_for_respondents_without_one(round_id: int) -> list[Invitation]:
    """Links for every unsubmitted respondent who has never had one (imported ones)."""
    base = link_base()
    _require_not_closed(round_id)
    with db.transaction() as session:
        created = [_new_link(session, response, base)
                   for response in survey_queries.responses_without_link(session, round_id)]
    _record_created(round_id, created, bulk=True)
    return created


def _require_response(session: Session, round_id: int, response_id: int) -> Response:
    response = survey_queries.round_response(session, round_id, response_id)
    if response is None:
        raise InvitationError(f"Round {round_id} has no respondent {response_id}.")
    return response


def _find_or_create(session: Session, round_id: int, department_id: int,
                    name: str | None) -> Response:
    if name is not None:
        found = response_queries.find_response(session, round_id, department_id, name)
        if found is not None:
            return found
        return response_queries.create_response(session, round_id, department_id, name)
    number = 1
    while response_queries.find_response(session, round_id, department_id,
                                         f"Respondent {number}"):
        number += 1
    return response_queries.create_response(session, round_id, department_id,
                                            f"Respondent {number}")


def invitations_csv(invitations: Iterable[Invitation]) -> str:
    """A CSV for a mail merge: department, directorate, respondent, link."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_HEADER)
    for invitation in invitations:
        writer.writerow([csv_field(invitation.department), csv_field(invitation.directorate),
                         csv_field(invitation.respondent), invitation.link])
    return output.getvalue()
