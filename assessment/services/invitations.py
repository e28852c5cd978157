"""Invitation links: a random token per response, only its hash stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app

from ..core.errors import AssessmentError
from ..extensions import db
from ..models import Response
from ..queries import accounts as account_queries
from ..queries import responses as response_queries
from ..queries import rounds as round_queries
from .rounds import require_round

# 32 bytes = 256 bits from the OS's cryptographic generator.
TOKEN_BYTES = 32


class InvitationError(AssessmentError):
    """An invitation cannot be created as asked."""


@dataclass(frozen=True)
class Invitation:
    response_id: int
    department: str
    respondent: str
    link: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_link(token: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + "/r/" + token


def _clean_name(value: str, what: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvitationError(f"Enter the {what}.")
    if len(value) > 200:
        raise InvitationError(f"The {what} must be 200 characters or fewer.")
    return value


def invite(round_id: int, department: str, respondent: str | None = None,
           directorate: str | None = None) -> Invitation:
    """A new link for ``respondent`` of ``department``; replaces their old link.

    Without a respondent name, a new respondent ``Respondent N`` is added.
    """
    assessment_round = require_round(round_id)
    if assessment_round.status == "closed":
        raise InvitationError("The round is closed: reopen it before inviting anyone.")
    department = _clean_name(department, "department name")
    organisation = account_queries.get_organisation()
    assert organisation is not None  # a round exists, so the organisation does
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with db.transaction() as session:
        dept = round_queries.get_or_create_department(session, organisation.id, department,
                                                      directorate)
        name = _clean_name(respondent, "respondent name") if respondent else None
        response = _find_or_create(session, round_id, dept.id, name)
        response.token_hash = hash_token(token)
        response.token_revoked = False
        return Invitation(response.id, dept.name, response.respondent, invitation_link(token))


def _find_or_create(session, round_id: int, department_id: int, name: str | None) -> Response:
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
