"""The JSON API for people (issue 11 item 7): its documentation page and the API tokens page.

The documentation page renders /api/v1/openapi.json with Swagger UI, served from
our own static files (no network needed).  The tokens page lists the live tokens
of the signed-in lead or trainer (an admin sees every user's of the organisation),
with when each was made and last used, and revokes one after a confirmation.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..admin_forms import ConfirmForm
from ..auth import requires
from ..services import api_tokens
from ..services.api_tokens import ApiTokenError

bp = Blueprint("api_docs", __name__)


@bp.route("/api/docs")
@requires("results")
def docs() -> ResponseReturnValue:
    return render_template("api/docs.html")


def _sees_everyone() -> bool:
    return bool(current_user.can("admin"))


@bp.route("/account/api-tokens")
@requires("results")
def tokens() -> ResponseReturnValue:
    rows = api_tokens.tokens_to_show(current_user.organisation_id, current_user.user_id,
                                     _sees_everyone())
    return render_template("api/tokens.html", tokens=rows, everyone=_sees_everyone())


@bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@requires("results")
def revoke(token_id: int) -> ResponseReturnValue:
    # 404 alike for a token that does not exist, is revoked, or is not yours to revoke.
    token = api_tokens.revocable_token(token_id, current_user.organisation_id,
                                       current_user.user_id, _sees_everyone())
    if token is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            api_tokens.revoke_token(token.token_id)  # audited there
        except ApiTokenError:
            abort(404)  # revoked and removed between the page and the button
        flash(_("The API token of %(email)s is revoked: it no longer works.", email=token.email),
              "success")
        return redirect(url_for("api_docs.tokens"))
    return render_template("api/revoke.html", token=token, form=form)
