"""The one-time set-up page: organisation, first admin, optional demo data."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user

from ..auth import SignedInUser
from ..forms import SetupForm
from ..queries import accounts as account_queries
from ..services import accounts, demo

bp = Blueprint("setup", __name__)


@bp.route("/setup", methods=["GET", "POST"])
def set_up() -> ResponseReturnValue:
    if account_queries.count_users() > 0:
        return redirect(url_for("main.home"))
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_up_installation(
                form.organisation.data or "", form.email.data or "", form.password.data or "",
                form.organisation_cy.data,
            )
        except accounts.AccountError as error:
            field = form._fields.get(error.field or "", form.email)
            field.errors = [*field.errors, str(error)]
        else:
            if form.load_demo.data:
                demo.load_demo(current_app.extensions["question_bank"], user.organisation_id)
            login_user(SignedInUser(user))
            flash(_("Joined-Up is set up. You are signed in as the administrator."), "success")
            return redirect(url_for("main.home"))
    return render_template("main/setup.html", form=form)
