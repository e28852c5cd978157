"""Look-ups every page shares: "this round belongs to my organisation, else 404".

A round of another organisation answers 404, never 403, so a page never
confirms that someone else's round exists.
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user

from ..queries.rounds import RoundInfo, organisation_round


def round_or_404(round_id: int) -> RoundInfo:
    """The signed-in user's organisation's round ``round_id``; 404 otherwise.

    The round is kept on ``g`` for the page's own navigation (a demonstration round is
    tagged on every page of it), so the layout needs no second query.
    """
    found = organisation_round(current_user.organisation_id, round_id)
    if found is None:
        abort(404)
    g.current_round = found
    return found
