"""The demonstration apart from real work: admins remove it in one action (issue 11 item 4)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..admin_forms import ConfirmForm
from ..auth import requires
from ..services import demo

bp = Blueprint("demo", __name__)


@bp.route("/demo/remove", methods=["GET", "POST"])
@requires("admin")
def remove() -> ResponseReturnValue:
    """A confirmation page (GET) and the removal itself (POST, with the CSRF token)."""
    summary = demo.demo_summary(current_user.organisation_id)
    if not summary.exists:
        flash(_("There is no demonstration data to remove."), "success")
        return redirect(url_for("main.home"))
    form = ConfirmForm()
    if form.validate_on_submit():
        removed = demo.remove_demo(current_user.organisation_id)
        flash(ngettext("Removed the demonstration round and everything in it.",
                       "Removed the %(num)d demonstration rounds and everything in them.",
                       len(removed.round_names)), "success")
        return redirect(url_for("main.home"))
    return render_template("demo/remove.html", summary=summary, form=form)
