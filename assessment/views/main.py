"""Sign-in, sign-out and the signed-in home page listing rounds."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import audit, navigation, ratelimit
from ..auth import SignedInUser
from ..forms import SignInForm
from ..queries import accounts as account_queries
from ..queries import rounds as round_queries
from ..services import accounts, users

bp = Blueprint("main", __name__)
bp.app_context_processor(navigation.navigation_context)  # every page's service and round navigation


@bp.route("/")
def home() -> ResponseReturnValue:
    if account_queries.count_users() == 0:
        return redirect(url_for("setup.set_up"))
    if not current_user.is_authenticated:
        return redirect(url_for("main.sign_in"))
    if current_user.role == "service":
        return redirect(url_for("service.organisations"))
    organisation = account_queries.get_organisation(current_user.organisation_id)
    assert organisation is not None  # every member belongs to one
    assessment_rounds = round_queries.list_rounds(organisation.id)
    return render_template("main/home.html", organisation=organisation,
                           assessment_rounds=assessment_rounds,
                           round_page=navigation.round_home_endpoint(current_user.role))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        ratelimit.check_sign_in(email)  # 429 past a limit, counted across workers
        user = accounts.authenticate(email, form.password.data or "")
        if user is None:
            ratelimit.sign_in_failed(email)  # only failures count: nobody is locked out by signing in
            audit.record("sign_in_failed", email=email[:254])
            form.email.errors = [_("Enter a correct email address and password")]
        else:
            language = session.get("lang")
            session.clear()  # a fresh session at sign-in
            if language:
                session["lang"] = language
            login_user(SignedInUser(user))
            audit.record("sign_in")
            return ratelimit.remember_device(redirect(_safe_next(request.args.get("next"))), email)
    return render_template("main/sign_in.html", form=form)


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so a link cannot send a user elsewhere after sign-in.

    Anything else goes home: a scheme or host, ``//`` or a backslash (which
    browsers read as ``//``), and any space or control character, because
    browsers strip tabs and newlines and ``/<tab>/evil.example`` would leave
    as ``//evil.example``.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return url_for("main.home")
    if "\\" in target or any(character <= " " or character == "\x7f" for character in target):
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return url_for("main.home")
    return target


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> ResponseReturnValue:
    users.sign_out(current_user.user_id)  # every copy of the session cookie stops working
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.sign_in"))
