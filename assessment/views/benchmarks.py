"""A round's benchmark groups, for admins: contribute a closed round's scores, or withdraw them.

The groups are defined by the service administrator (``flask create-benchmark-group``);
what is shared is described on the page and in docs/benchmarks.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import HiddenField
from wtforms.validators import AnyOf, Regexp

from ..auth import requires
from ..core.names import display_name
from ..forms import AppForm, Required
from ..services import benchmarks
from .lookups import round_or_404

bp = Blueprint("benchmarks", __name__)

ACTIONS = ("contribute", "withdraw")


class ContributionForm(AppForm):
    """One button of the page: contribute the round to a group, or withdraw it."""

    group = HiddenField(validators=[Required(_l("Select a benchmark group")),
                                    Regexp(r"^[0-9]{1,9}$", message=_l("Select a benchmark group"))])
    action = HiddenField(validators=[Required(_l("Choose to contribute or to withdraw")),
                                     AnyOf(ACTIONS, message=_l("Choose to contribute or to withdraw"))])


@bp.route("/rounds/<int:round_id>/benchmarks", methods=["GET", "POST"])
@requires("admin")
def round_benchmarks(round_id: int) -> ResponseReturnValue:
    assessment_round = round_or_404(round_id)
    organisation_id = current_user.organisation_id
    form = ContributionForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                _act(organisation_id, round_id, int(form.group.data), form.action.data)
            except benchmarks.BenchmarkSetupError as error:
                form.group.errors = [str(error)]
                status = 400
            else:
                return redirect(url_for("benchmarks.round_benchmarks", round_id=round_id))
        else:
            status = 400
    language = str(get_locale() or "en")
    rows = [GroupRow(item.group.id, display_name(item.group.name, item.group.name_cy, language),
                     format_date(item.contributed_at, "d MMMM y") if item.contributed_at else None)
            for item in benchmarks.round_groups(organisation_id, round_id)]
    return render_template(
        "rounds/benchmarks.html", round=assessment_round, groups=rows, form=form,
        round_name=display_name(assessment_round.name, assessment_round.name_cy, language),
        minimum=benchmarks.minimum_organisations()), status


@dataclass(frozen=True)
class GroupRow:
    """A group as the page lists it: its id, name in the reader's language, and the date
    this round was contributed to it (None: it is not)."""

    id: int
    name: str
    contributed: str | None


def _act(organisation_id: int, round_id: int, group_id: int, action: str) -> None:
    if action == "contribute":
        benchmarks.contribute(organisation_id, round_id, group_id)
        flash(_("The round's scores are contributed to the group."), "success")
    else:
        benchmarks.withdraw(organisation_id, round_id, group_id)
        flash(_("The round is withdrawn: its scores are deleted from the group."), "success")
