"""A lead's review of a round: target levels and challenged answers."""

from __future__ import annotations

from ..audit import record
from ..core.answers import MAX_NOTE_LENGTH
from ..core.bank import LEVELS
from ..core.errors import AssessmentError
from ..extensions import db
from ..queries import results as result_queries
from ..queries import rounds as round_queries
from .results import round_bank
from .rounds import require_round


class ReviewError(AssessmentError):
    """Targets or a challenge cannot be saved as given."""


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


def challenge_answer(round_id: int, department_id: int, answer_id: int, note: str) -> None:
    """Mark a submitted answer as challenged, with the lead's note."""
    note = note.strip()
    if not note:
        raise ReviewError("Enter why you are challenging this answer.")
    if len(note) > MAX_NOTE_LENGTH:
        raise ReviewError(f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer.")
    _save_challenge(round_id, department_id, answer_id, True, note)
    record("answer_challenged", round_id=round_id, answer_id=answer_id, challenged=True)


def withdraw_challenge(round_id: int, department_id: int, answer_id: int) -> None:
    _save_challenge(round_id, department_id, answer_id, False, None)
    record("answer_challenged", round_id=round_id, answer_id=answer_id, challenged=False)


def _save_challenge(round_id: int, department_id: int, answer_id: int, challenged: bool,
                    note: str | None) -> None:
    if result_queries.find_round_answer(round_id, department_id, answer_id) is None:
        raise ReviewError("There is no such submitted answer in this round.")
    with db.transaction() as session:
        result_queries.set_challenge(session, answer_id, challenged, note)
        # Exports and cached results read challenges: mark them stale.
        round_queries.bump_data_version(session, round_id)
