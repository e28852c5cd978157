"""The service administrator's pages (issue 15): the installation's organisations, their
rounds and response rates, creating an organisation and its first admin, and trainers'
access to organisations other than their own.

Nothing here shows a department, respondent, answer or comment; and every page of an
organisation answers 404 to a service administrator (:func:`assessment.auth.requires`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from .. import audit
from ..auth import requires
from ..service_forms import BenchmarkGroupForm, NewOrganisationForm, TrainerAccessForm
from ..services import accounts, benchmarks, tenants
from ..services.accounts import AccountError
from ..services.benchmarks import BenchmarkSetupError

bp = Blueprint("service", __name__, url_prefix="/service")


@bp.route("/")
@requires("service")
def organisations() -> ResponseReturnValue:
    return render_template("service/organisations.html",
                           organisations=tenants.organisations_overview())


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires("service")
def new_organisation() -> ResponseReturnValue:
    form = NewOrganisationForm()
    if form.validate_on_submit():
        try:
            organisation, admin = accounts.create_organisation(
                form.name.data or "", form.email.data or "", form.password.data or "")
        except AccountError as error:
            field = form._fields.get("name" if error.field == "organisation" else error.field or "",
                                     form.email)
            field.errors = [*field.errors, str(error)]
        else:
            audit.record("organisation_created", organisation=organisation.name, admin=admin.email)
            flash(_("%(name)s is created: %(email)s can now sign in as its administrator.",
                    name=organisation.name, email=admin.email), "success")
            return redirect(url_for("service.organisations"))
    return render_template("service/new_organisation.html", form=form)


def change_trainer_access(form: TrainerAccessForm, organisation_id: int) -> bool:
    """Grant or revoke as the form's pressed button says; False (errors on the form) if refused."""
    try:
        if form.revoke.data:
            email = tenants.revoke_trainer_access(form.email.data or "", organisation_id)
            flash(_("%(email)s no longer has access.", email=email), "success")
        else:
            email = tenants.grant_trainer_access(form.email.data or "", organisation_id)
            flash(_("%(email)s can now switch to this organisation.", email=email), "success")
    except AccountError as error:
        form.email.errors = [*form.email.errors, str(error)]
        return False
    audit.record("user_changed", action="trainer_access_revoked" if form.revoke.data
                 else "trainer_access_granted", user=email, organisation_id=organisation_id)
    return True


@bp.route("/trainer-access", methods=["GET", "POST"])
@requires("service")
def trainer_access() -> ResponseReturnValue:
    form = TrainerAccessForm()
    form.organisation.choices = [SelectChoice("", _("Select an organisation")),
                                 *[SelectChoice(str(o.id), o.name) for o in tenants.all_organisations()]]
    if form.validate_on_submit() and change_trainer_access(form, int(form.organisation.data or 0)):
        return redirect(url_for("service.trainer_access"))
    return render_template("service/trainer_access.html", form=form, visitors=None)


@bp.route("/benchmark-groups", methods=["GET", "POST"])
@requires("service")
def benchmark_groups() -> ResponseReturnValue:
    """The groups organisations compare themselves in, who contributes which round, and a
    form for a new group.  Names of contributing organisations are shown here only."""
    form = BenchmarkGroupForm()
    if form.validate_on_submit():
        try:
            group = benchmarks.create_group(form.name.data or "", form.name_cy.data)
        except BenchmarkSetupError as error:
            form.name.errors = [*form.name.errors, str(error)]
        else:
            audit.record("benchmark_group_created", group=group.name)
            flash(_("The benchmark group %(name)s is created. An organisation's admin can now "
                    "contribute a closed round to it.", name=group.name), "success")
            return redirect(url_for("service.benchmark_groups"))
    groups = [(group, benchmarks.group_contributions(group.id)) for group in benchmarks.list_groups()]
    return render_template("service/benchmark_groups.html", form=form, groups=groups,
                           minimum=benchmarks.minimum_organisations())
