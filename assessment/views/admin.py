"""Admin pages (users, audit log) and every signed-in user's own password page."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from wtforms.fields.choices import SelectChoice

from .. import audit
from ..admin_forms import AddUserForm, AuditFilterForm, ConfirmForm, PasswordForm, RoleForm
from ..auth import SignedInUser, requires
from ..queries import LARGEST_ID
from ..queries import accounts as account_queries
from ..queries import admin as admin_queries
from ..service_forms import TrainerAccessForm
from ..services import tenants, users
from ..services.accounts import AccountError
from . import audit_words

bp = Blueprint("admin", __name__)

AUDIT_PAGE_SIZE = 50


def _add_error(form, error: AccountError, default: str) -> None:  # type: ignore[no-untyped-def]
    field = form._fields.get(error.field or "", form._fields[default])
    field.errors = [*field.errors, str(error)]


def _organisation_user(user_id: int) -> users.UserSummary:
    """A user of the signed-in admin's organisation, else 404 (no hint whether it exists)."""
    user = users.organisation_user(user_id, current_user.organisation_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users")
@requires("admin")
def list_users() -> ResponseReturnValue:
    return render_template("admin/users.html",
                           users=admin_queries.list_users(current_user.organisation_id),
                           regional=tenants.holds_several())


@bp.route("/admin/trainer-access", methods=["GET", "POST"])
@requires("admin")
def trainer_access() -> ResponseReturnValue:
    """Trainers of other organisations who may switch to this one (linked from the users
    page only in a regional service: with one organisation there is no other trainer)."""
    from .service import change_trainer_access

    form = TrainerAccessForm()
    del form.organisation  # always the admin's own
    if form.validate_on_submit() and change_trainer_access(form, current_user.organisation_id):
        return redirect(url_for("admin.trainer_access"))
    return render_template("service/trainer_access.html", form=form,
                           visitors=tenants.visiting_trainers(current_user.organisation_id))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires("admin")
def add_user() -> ResponseReturnValue:
    form = AddUserForm()
    if form.validate_on_submit():
        try:
            user = users.add_user(form.email.data or "", form.password.data or "", form.role.data or "",
                                  current_user.organisation_id)
        except AccountError as error:
            _add_error(form, error, "email")
        else:
            flash(_("%(email)s can now sign in.", email=user.email), "success")
            return redirect(url_for("admin.list_users"))
    return render_template("admin/add_user.html", form=form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@requires("admin")
def edit_user(user_id: int) -> ResponseReturnValue:
    user = _organisation_user(user_id)
    form = RoleForm(role=user.role)
    if form.validate_on_submit():
        try:
            users.change_role(user.id, form.role.data or "", current_user.user_id)
        except AccountError as error:
            _add_error(form, error, "role")
        else:
            flash(_("The role of %(email)s is changed. They must sign in again.", email=user.email),
                  "success")
            return redirect(url_for("admin.list_users"))
    return render_template("admin/edit_user.html", user=user, form=form,
                           confirm_form=ConfirmForm(), is_self=user.id == current_user.user_id)


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    user = _organisation_user(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        users.set_active(user.id, active, current_user.user_id)
    except AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    message = (_("%(email)s can sign in again.", email=user.email) if active
               else _("%(email)s is deactivated and signed out everywhere.", email=user.email))
    flash(message, "success")
    return redirect(url_for("admin.list_users"))


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@requires("admin")
def deactivate_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, False)


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@requires("admin")
def reactivate_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, True)


def _audit_filter(form: AuditFilterForm) -> admin_queries.AuditFilter:
    since, until = form.dates()
    user_id = form.user.data
    return admin_queries.AuditFilter(
        organisation_id=current_user.organisation_id,
        event=form.event.data or None,
        # Only an id offered in the list gets here (the form checks the choice).
        user_id=int(user_id) if user_id and user_id.isascii() and user_id.isdigit() else None,
        since=datetime.combine(since, time.min, UTC) if since else None,
        before=datetime.combine(until + timedelta(days=1), time.min, UTC) if until else None,
    )


def _audit_rows(events: list) -> list[dict[str, object]]:  # type: ignore[type-arg]
    """Each event in words, its details as (name, value) pairs: shown escaped in a
    definition list inside the event's row, so no value can pass for another event."""
    return [{"event": event, "what": audit_words.event_words(event.event),
             "details": audit_words.detail_rows(event.details)}
            for event in events]


def _page_number(page: str) -> int:
    """The page asked for; 1 for anything but plain ASCII digits (``isdigit`` allows "٣")."""
    if not page.isascii() or not page.isdigit():
        return 1
    return max(1, int(page)) if len(page) <= 20 else LARGEST_ID


@bp.route("/admin/audit")
@requires("admin")
def audit_log() -> ResponseReturnValue:
    form = AuditFilterForm(request.args)
    form.event.choices = [SelectChoice("", _("All events")),
                          *[SelectChoice(event, audit_words.event_words(event)) for event in audit.EVENTS]]
    people = admin_queries.list_users(current_user.organisation_id)
    form.user.choices = [SelectChoice("", _("All users")),
                         *[SelectChoice(str(person.id), person.email) for person in people]]
    page_number = _page_number(request.args.get("page", "1"))
    if not form.validate():
        return render_template("admin/audit.html", form=form, rows=[], total=0, page=1, pages=1)
    criteria = _audit_filter(form)
    total = admin_queries.count_audit_events(criteria)
    pages = max(1, -(-total // AUDIT_PAGE_SIZE))
    if page_number > pages:
        abort(404)  # checked before the query, so no number can overflow its offset
    events = admin_queries.audit_events(criteria, AUDIT_PAGE_SIZE, (page_number - 1) * AUDIT_PAGE_SIZE)
    return render_template("admin/audit.html", form=form, rows=_audit_rows(events), total=total,
                           page=page_number, pages=pages)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(current_user.user_id, form.current_password.data or "",
                                  form.new_password.data or "")
        except AccountError as error:
            _add_error(form, error, "new_password")
        else:
            _sign_in_again(current_user.user_id)
            flash(_("Your password is changed. You have been signed out everywhere else."), "success")
            return redirect(url_for("main.home"))
    return render_template("admin/password.html", form=form)


def _sign_in_again(user_id: int) -> None:
    """A fresh session carrying the new session version, for this browser only."""
    user = account_queries.get_user(user_id)
    assert user is not None
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(SignedInUser(user))
