"""Look-ups every page shares: "this round belongs to my organisation, else 404".

A round of another organisation answers 404, never 403, so a page never
confirms that someone else's round exists.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..queries.rounds import RoundInfo, organisation_round


def round_or_404(round_id: int) -> RoundInfo:
    """The signed-in user's organisation's round ``round_id``; 404 otherwise."""
    found = organisation_round(current_user.organisation_id, round_id)
    if found is None:
        abort(404)
    return found
