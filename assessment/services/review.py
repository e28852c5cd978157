"""A lead's review of a round: target levels, and the review loop of challenges.

The loop (a light version of a validation stage): a lead challenges a submitted
answer with a note (state "open"); the respondent, through their link while the
round is open, keeps the answer with a reply ("kept") or changes it ("changed");
the lead then marks it "resolved" or opens it again.  Every step is audited and
bumps the round's data version (exports and cached results carry challenges).
Once the round is closed nothing about a challenge changes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..audit import record
from ..core.answers import MAX_NOTE_LENGTH
from ..core.bank import LEVELS
from ..core.errors import AssessmentError
from ..core.text import clean_text
from ..extensions import db
from ..queries import responses as response_queries
from ..queries import results as result_queries
from ..queries import rounds as round_queries
from ..queries import survey as survey_queries
from ..queries.responses import AnswerWrite
from .results import round_bank
from .rounds import require_round


class ReviewError(AssessmentError):
    """Targets or a challenge cannot be saved as given."""


class ChallengeClosed(ReviewError):
    """The round is closed (or the challenge is no longer awaiting this step)."""


ROUND_CLOSED = "The round is closed, so its challenges can no longer change."


def set_targets(round_id: int, targets: dict[str, int]) -> None:
    """Store the round's target level per dimension (dimensions left out have none)."""
    assessment_round = require_round(round_id)
    known = round_bank(assessment_round).dimension_ids
    unknown = sorted(set(targets) - set(known))
    if unknown:
        raise ReviewError(f"The round has no dimension {unknown[0]!r}.")
    for dimension, level in targets.items():
        if isinstance(level, bool) or level not in LEVELS:
            raise ReviewError(f"The target for {dimension!r} must be a level from 1 to 5.")
    ordered = {d: targets[d] for d in known if d in targets}
    with db.transaction() as session:
        result_queries.set_targets(session, round_id, ordered)
    record("round_changed", round_id=round_id, targets=", ".join(f"{d}={v}" for d, v in ordered.items()))


def _checked_text(text: str, missing: str) -> str:
    cleaned = clean_text(text or "")
    if not cleaned:
        raise ReviewError(missing)
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ReviewError(f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer.")
    return cleaned


def _open_round_in(session: Session, round_id: int) -> None:
    found = survey_queries.get_round_in(session, round_id)
    if found is None or found.status == "closed":
        raise ChallengeClosed(ROUND_CLOSED)


# --- the lead's steps ---------------------------------------------------------------


def challenge_answer(round_id: int, department_id: int, answer_id: int, note: str) -> None:
    """Challenge a submitted answer with the lead's note: it awaits the respondent."""
    note = _checked_text(note, "Enter why you are challenging this answer.")
    _lead_step(round_id, department_id, answer_id, note=note, state="open")
    record("answer_challenged", round_id=round_id, answer_id=answer_id, challenged=True)


def withdraw_challenge(round_id: int, department_id: int, answer_id: int) -> None:
    _lead_step(round_id, department_id, answer_id, note=None, state=None)
    record("answer_challenged", round_id=round_id, answer_id=answer_id, challenged=False)


def resolve_challenge(round_id: int, department_id: int, answer_id: int, resolved: bool) -> None:
    """After the respondent's reply: resolved, or open again for another reply."""
    _require_round_answer(round_id, department_id, answer_id)
    with db.transaction() as session:
        _open_round_in(session, round_id)
        found = response_queries.challenge_in(session, answer_id)
        if found is None or found.state not in ("kept", "changed", "resolved"):
            raise ReviewError("The respondent has not replied to this challenge yet.")
        response_queries.set_challenge_state(session, answer_id, "resolved" if resolved else "open")
        round_queries.bump_data_version(session, round_id)
    record("challenge_resolved" if resolved else "challenge_reopened",
           round_id=round_id, answer_id=answer_id)


def _require_round_answer(round_id: int, department_id: int, answer_id: int) -> None:
    if result_queries.find_round_answer(round_id, department_id, answer_id) is None:
        raise ReviewError("There is no such submitted answer in this round.")


def _lead_step(round_id: int, department_id: int, answer_id: int, note: str | None,
               state: str | None) -> None:
    _require_round_answer(round_id, department_id, answer_id)
    with db.transaction() as session:
        _open_round_in(session, round_id)
        earlier = response_queries.challenge_in(session, answer_id)
        # Rewording a challenge keeps the respondent's last reply beside it.
        reply = earlier.reply if earlier is not None and state is not None else None
        response_queries.set_challenge(session, answer_id, note, state, reply)
        # Exports and cached results read challenges: mark them stale.
        round_queries.bump_data_version(session, round_id)


# --- the respondent's steps ---------------------------------------------------------


def _open_challenge_in(session: Session, response_id: int,
                       question_id: str) -> tuple[int, int]:
    """(round id, answer id) of a challenge awaiting this respondent, rows locked."""
    response = survey_queries.lock_response(session, response_id)
    if response is None or response.status != "submitted":
        raise ChallengeClosed("There is no such submitted answer.")
    _open_round_in(session, response.round_id)
    answer_id = response_queries.answer_id_of(session, response_id, question_id)
    found = response_queries.challenge_in(session, answer_id) if answer_id else None
    if found is None or found.state != "open":
        raise ChallengeClosed("This challenge is not waiting for a reply.")
    return response.round_id, found.answer_id


def keep_answer(response_id: int, question_id: str, reply: str) -> None:
    """The respondent keeps the challenged answer and says why."""
    reply = _checked_text(reply, "Enter your reply to your lead.")
    with db.transaction() as session:
        round_id, answer_id = _open_challenge_in(session, response_id, question_id)
        response_queries.set_challenge_state(session, answer_id, "kept", reply, keep_reply=False)
        round_queries.bump_data_version(session, round_id)
    record("challenge_replied", round_id=round_id, answer_id=answer_id, outcome="kept")


def change_answer(response_id: int, write: AnswerWrite, expected_revision: int) -> int | None:
    """The respondent changes the challenged answer; its new revision, or None when
    another window saved first (nothing is then changed)."""
    with db.transaction() as session:
        round_id, answer_id = _open_challenge_in(session, response_id, write.question_id)
        revision = survey_queries.save_answer_if_unchanged(session, response_id, write,
                                                           expected_revision)
        if revision is None:
            return None
        response_queries.set_challenge_state(session, answer_id, "changed", None, keep_reply=False)
        round_queries.bump_data_version(session, round_id)
    record("challenge_replied", round_id=round_id, answer_id=answer_id, outcome="changed")
    return revision
