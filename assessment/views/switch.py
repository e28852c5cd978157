"""The "Switch organisation" page (issue 15): a trainer given access to several
organisations chooses which one every page works in.

The choice is kept in the signed session and checked again on every request
(:func:`assessment.auth.load_user`): access taken away ends it at once.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from ..auth import SWITCHED_ORGANISATION, requires
from ..service_forms import SwitchOrganisationForm
from ..services import tenants

bp = Blueprint("switch", __name__)


@bp.route("/switch-organisation", methods=["GET", "POST"])
@requires("results")
def choose() -> ResponseReturnValue:
    choices = tenants.switchable(current_user.user_id, current_user.home_organisation_id)
    if not current_user.can("switch") or len(choices) < 2:
        abort(404)  # only a trainer given another organisation has anything to switch to
    form = SwitchOrganisationForm(organisation=str(current_user.organisation_id))
    form.organisation.choices = [SelectChoice(str(choice.id), choice.name) for choice in choices]
    if form.validate_on_submit():
        chosen = next(choice for choice in choices if str(choice.id) == form.organisation.data)
        if chosen.id == current_user.home_organisation_id:
            session.pop(SWITCHED_ORGANISATION, None)
        else:
            session[SWITCHED_ORGANISATION] = chosen.id
        flash(_("You are now working in %(name)s.", name=chosen.name), "success")
        return redirect(url_for("main.home"))
    return render_template("switch/choose.html", form=form)
