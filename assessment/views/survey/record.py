"""The confirmation page: the respondent's own answers, who they are, what happens
next, and the scores they may see.

It never analyses the round (a round of 2,000 departments took seconds): the
department's scores are worked out by the core from that department's own
answers, and the organisation's are shown only when the round's results are
already held for the current data version.  A score made of colleagues'
answers is shown only when at least :data:`MIN_OTHERS_GROUP` respondents (or
departments, for the organisation) make it up, so no score reveals one
colleague's answers (docs/specification.md section 13).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from ...core.scoring import score_department
from ...queries import accounts as account_queries
from ...queries import responses as response_queries
from ...services import results, results_cache
from .pages import summary_rows
from .rendering import language, localised
from .respondent import Respondent

#: A score that includes other people's answers needs at least this many
#: respondents (department) or departments (organisation) behind it.
MIN_OTHERS_GROUP = 3


@dataclass(frozen=True)
class ShownScores:
    """The scores by dimension id the respondent may see (None: not shown), and why not."""

    department: dict[str, float | None] | None
    organisation: dict[str, float | None] | None
    department_withheld: bool
    organisation_pending: bool


def shown_scores(respondent: Respondent) -> ShownScores:
    """The department's scores (its own answers alone, or >= 3 respondents) and the
    organisation's (>= 3 departments, and only if already worked out)."""
    assessment_round = respondent.round
    responses, answers = response_queries.department_submitted(
        assessment_round.id, respondent.response.department_id)
    inputs = results.department_inputs(responses, answers)
    scored = score_department(respondent.bank, inputs[0]) if inputs else None
    own_only = scored is not None and scored.respondents == 1
    department = scored.scores if scored and (own_only or scored.respondents >= MIN_OTHERS_GROUP) else None
    held = results_cache.held(results.results_key(assessment_round))  # type: ignore[arg-type]
    organisation = None
    if held is not None and held.organisation.departments_scored >= MIN_OTHERS_GROUP:
        organisation = held.organisation.scores
    return ShownScores(department, organisation, scored is not None and department is None,
                       held is None)


def _radar(respondent: Respondent, scores: ShownScores, lang: str) -> dict[str, Any] | None:
    """The scores shown, as a chart and a table; None when there are none to show."""
    bank, name = respondent.bank, respondent.response.department
    series = []
    if scores.department is not None:
        series.append((name, [scores.department.get(d.id) for d in bank.dimensions]))
    if scores.organisation is not None:
        series.append((_("Organisation"), [scores.organisation.get(d.id) for d in bank.dimensions]))
    if not series:
        return None
    if len(series) == 2:
        title = _("%(department)s against the organisation", department=name)
    else:
        title = _("%(name)s: scores by section", name=series[0][0])
    names = [d.name.get(lang) for d in bank.dimensions]
    from ... import charts  # kept out of start-up (tests/test_charts.py holds it to that)

    svg = charts.draw(charts.RadarChart(title, names, series))
    return {"svg": Markup(svg.decode("utf-8")),  # noqa: S704 (matplotlib escapes its text)
            "title": title, "headings": [label for label, _values in series],
            "rows": [(names[i], [values[i] for _label, values in series]) for i in range(len(names))]}


def confirmation_page(respondent: Respondent) -> ResponseReturnValue:
    """What was submitted, by whom and when, as a compact printable record."""
    lang = language()
    record = [{"title": localised(d.name, lang),
               "rows": summary_rows(respondent, d.questions, None, lang)}
              for d in respondent.bank.dimensions]
    organisation = account_queries.get_organisation(respondent.round.organisation_id)
    submitted_at = respondent.response.submitted_at
    scores = shown_scores(respondent) if respondent.round.show_department_radar else None
    return render_template(
        "survey/confirmation.html", respondent=respondent, record=record,
        organisation=organisation.name if organisation else "",
        submitted_on=format_date(submitted_at, "d MMMM yyyy") if submitted_at else "",
        scores=scores, radar=_radar(respondent, scores, lang) if scores else None,
        awaiting=len(respondent.awaiting_reply),
    )
