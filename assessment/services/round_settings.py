"""A lead's round: created with its questionnaire settings, opened and closed.

Each change is one transaction and one audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import audit
from ..core.bank import bank_to_dict
from ..core.text import clean_line
from ..extensions import db
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from ..queries.rounds import RoundInfo
from . import accounts
from .rounds import RoundError, current_bank, require_round

#: The status a lead may move a round to, from each status.
NEXT_STATUSES = {"draft": ("open",), "open": ("closed",), "closed": ("open",)}


@dataclass(frozen=True)
class SurveySettings:
    """How the questionnaire behaves for respondents of a round."""

    ask_evidence: bool = True
    show_department_radar: bool = True
    contact: str | None = None


def _one_line(text: str | None) -> str:
    """The one text rule (``core.text.clean_line``), with every run of spaces folded."""
    return " ".join(clean_line(text or "").split())


def _clean_name(name: str) -> str:
    name = _one_line(name)
    if not name:
        raise RoundError("Enter a name for the round.")
    if len(name) > 200:
        raise RoundError("The round name must be 200 characters or fewer.")
    return name


def create_round(name: str, settings: SurveySettings, name_cy: str | None = None,
                 organisation_id: int | None = None) -> RoundInfo:
    """A draft round of ``organisation_id`` (default: the installation's only organisation)
    pinning the current question bank, with its settings, in one transaction."""
    name = _clean_name(name)
    name_cy = _clean_name(name_cy) if _one_line(name_cy) else None
    contact = _one_line(settings.contact)[:300] or None
    if organisation_id is None:
        organisation_id = accounts.find_organisation(None).id
    with db.transaction() as session:
        created = round_queries.create_round(session, organisation_id, name, "draft",
                                             bank_to_dict(current_bank()), name_cy)
        survey_queries.set_survey_settings(session, created.id, settings.ask_evidence,
                                           settings.show_department_radar, contact)
    audit.record("round_created", created.id, name=name)
    return RoundInfo.of(require_round(created.id))


def change_status(round_id: int, status: str) -> RoundInfo:
    """Open, close or reopen a round; only the moves of NEXT_STATUSES are allowed."""
    assessment_round = require_round(round_id)
    before = assessment_round.status
    if status not in NEXT_STATUSES[before]:
        raise RoundError(f"A {before} round cannot become {status}.")
    with db.transaction() as session:
        round_queries.set_round_status(session, round_id, status)
    audit.record("round_changed", round_id, status_before=before, status=status)
    return RoundInfo.of(require_round(round_id))
