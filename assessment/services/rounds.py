"""Creating and changing rounds, and the organisation they belong to."""

from __future__ import annotations

from flask import current_app

from ..core.bank import QuestionBank, bank_to_dict
from ..core.errors import AssessmentError
from ..extensions import db
from ..models import ROUND_STATUSES, Round
from ..queries import rounds as round_queries
from . import accounts


class RoundError(AssessmentError):
    """A round cannot be created or changed as asked."""


def current_bank() -> QuestionBank:
    """The bank loaded from ``questions/`` when the app started."""
    return current_app.extensions["question_bank"]


def require_round(round_id: int) -> Round:
    assessment_round = round_queries.get_round(round_id)
    if assessment_round is None:
        raise RoundError(f"There is no round {round_id}.")
    return assessment_round


def create_round(name: str, status: str = "draft", name_cy: str | None = None,
                 organisation_id: int | None = None) -> Round:
    """A new round of ``organisation_id`` (default: the installation's only organisation)
    that pins a snapshot of the current question bank (Welsh name optional)."""
    name = name.strip()
    name_cy = (name_cy or "").strip() or None
    if not name:
        raise RoundError("Enter a name for the round.")
    if len(name) > 200 or (name_cy and len(name_cy) > 200):
        raise RoundError("The round name must be 200 characters or fewer.")
    if organisation_id is None:
        organisation_id = accounts.find_organisation(None).id
    with db.transaction() as session:
        return round_queries.create_round(
            session, organisation_id, name, status, bank_to_dict(current_bank()), name_cy
        )


def set_status(round_id: int, status: str) -> None:
    if status not in ROUND_STATUSES:
        raise RoundError(f"A round's status is draft, open or closed, not {status!r}.")
    require_round(round_id)
    with db.transaction() as session:
        round_queries.set_round_status(session, round_id, status)
