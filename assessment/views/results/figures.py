"""The results pages' charts: what each draws, its one-line summary and its data table.

Each :class:`FigureView` carries a chart description of
:mod:`assessment.chart_types`, so a page draws it inline as SVG and the chart
URL draws the same thing as PNG, with one call to :func:`assessment.charts.draw`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from ...chart_types import Chart, DotPlot, RadarChart
from ...core.scoring import score_text
from .view import RoundView, rate_text


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FigureView:
    """A chart to draw, the sentence that sums it up and the table of its data."""

    chart: Chart
    summary: str
    table: Table

    @property
    def title(self) -> str:
        return self.chart.title


def range_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return _("%(low)s to %(high)s", low=score_text(low), high=score_text(high))


def organisation_radar(view: RoundView) -> FigureView:
    """The organisation's scores, the band from lowest to highest department, targets."""
    organisation = view.results.organisation
    ids = view.dimension_ids
    scores = [organisation.scores[d] for d in ids]
    targets = [view.results.targets.get(d) for d in ids]
    with_targets = any(t is not None for t in targets)
    series = [(_("Organisation"), scores), *[(_("Target"), targets)] * with_targets]
    band = ([organisation.min[d] for d in ids], [organisation.max[d] for d in ids])
    table = Table(
        _("Organisation scores by dimension"),
        (_("Dimension"), _("Organisation"), _("Departments"), *[_("Target")] * with_targets),
        tuple(
            (name, view.score_and_level(organisation.scores[d]),
             range_text(organisation.min[d], organisation.max[d]),
             *["–" if target is None else f"{target:g}"] * with_targets)
            for d, name, target in zip(ids, view.dimension_names, targets, strict=True)
        ),
    )
    chart = RadarChart(_("%(round)s: organisation scores", round=view.round_name),
                       view.dimension_names, series,
                       band if organisation.departments_scored else None)
    return FigureView(chart, _strongest_weakest(view, scores), table)


def _strongest_weakest(view: RoundView, scores: list[float | None]) -> str:
    scored = [(s, name) for s, name in zip(scores, view.dimension_names, strict=True) if s is not None]
    if not scored:
        return _("No department has submitted answers yet, so there are no scores.")
    high, low = max(scored, key=lambda item: item[0]), min(scored, key=lambda item: item[0])
    sentence = _("The organisation is strongest on %(high)s (%(high_score)s) and weakest on %(low)s "
                 "(%(low_score)s).", high=high[1], high_score=view.score_and_level(high[0]),
                 low=low[1], low_score=view.score_and_level(low[0]))
    flags = [f for f in view.results.inconsistencies if f.kind == "dimension"]
    if flags:
        sentence += " " + _("Departments differ most on %(dimension)s.",
                            dimension=view.dimension_name(flags[0].dimension))
    return sentence


def dot_plot(view: RoundView) -> FigureView:
    """One dot per department on each dimension, with the organisation score."""
    organisation = view.results.organisation
    ids = view.dimension_ids
    flags = [f for f in view.results.inconsistencies if f.kind == "dimension"]
    if flags:
        summary = _("Each dot is a department. The widest spread is on %(dimension)s, from "
                    "%(low)s to %(high)s.", dimension=view.dimension_name(flags[0].dimension),
                    low=score_text(organisation.min[flags[0].dimension]),
                    high=score_text(organisation.max[flags[0].dimension]))
    else:
        summary = _("Each dot is a department. No dimension is flagged as inconsistent.")
    table = Table(
        _("Spread of department scores by dimension"),
        (_("Dimension"), _("Lowest"), _("Median"), _("Highest")),
        tuple(
            (name, score_text(organisation.min[i]), score_text(organisation.median[i]),
             score_text(organisation.max[i]))
            for i, name in zip(ids, view.dimension_names, strict=True)
        ),
    )
    chart = DotPlot(
        _("%(round)s: spread of department scores", round=view.round_name), view.dimension_names,
        [(view.department_name(d.name), [d.scores[i] for i in ids]) for d in view.results.departments],
        (_("Organisation"), [organisation.scores[i] for i in ids]),
    )
    return FigureView(chart, summary, table)


def department_radar(view: RoundView, name: str) -> FigureView:
    """One department against the organisation, with its levels and don't-know rates."""
    department = view.scored[name]
    organisation = view.results.organisation
    ids = view.dimension_ids
    shown = view.department_name(name)
    table = Table(
        _("Scores of %(department)s by dimension", department=shown),
        (_("Dimension"), shown, _("Organisation"), _("Don't know"), _("Respondents' scores")),
        tuple(
            (dimension_name, view.score_and_level(department.scores[d]),
             score_text(organisation.scores[d]), rate_text(department.dont_know_rate[d]),
             _respondent_range(department.respondent_scores, d))
            for d, dimension_name in zip(ids, view.dimension_names, strict=True)
        ),
    )
    chart = RadarChart(_("%(department)s against the organisation", department=shown),
                       view.dimension_names,
                       [(shown, [department.scores[d] for d in ids]),
                        (_("Organisation"), [organisation.scores[d] for d in ids])])
    return FigureView(chart, _ahead_behind(view, name), table)


def _ahead_behind(view: RoundView, name: str) -> str:
    def named(direction: str) -> list[str]:
        return [n for d, n in zip(view.dimension_ids, view.dimension_names, strict=True)
                if any(o.department == name and o.dimension == d and o.direction == direction
                       for o in view.results.outliers)]

    ahead, behind = named("ahead"), named("behind")
    name = view.department_name(name)  # matched by its English name above; shown translated
    return " ".join(filter(None, [
        _("%(department)s is ahead of most departments on %(dimensions)s.", department=name,
          dimensions=", ".join(ahead)) if ahead else "",
        _("%(department)s is behind most departments on %(dimensions)s.", department=name,
          dimensions=", ".join(behind)) if behind else "",
    ])) or _("%(department)s is close to most departments on every dimension.", department=name)


def _respondent_range(respondent_scores: Sequence[dict[str, float | None]], dimension: str) -> str:
    scores = sorted(s for r in respondent_scores if (s := r[dimension]) is not None)
    if len(scores) < 2:
        return score_text(scores[0]) if scores else "–"
    return range_text(scores[0], scores[-1])


def compare_radar(view: RoundView, names: Sequence[str]) -> FigureView:
    """Two to five departments overlaid, with a side-by-side table."""
    ids = view.dimension_ids
    organisation = view.results.organisation
    table = Table(
        _("Scores of the departments compared"),
        (_("Dimension"), *(view.department_name(n) for n in names), _("Organisation")),
        tuple(
            (dimension_name, *(view.score_and_level(view.scored[n].scores[d]) for n in names),
             score_text(organisation.scores[d]))
            for d, dimension_name in zip(ids, view.dimension_names, strict=True)
        ),
    )
    chart = RadarChart(_("%(round)s: departments compared", round=view.round_name),
                       view.dimension_names,
                       [(view.department_name(n), [view.scored[n].scores[d] for d in ids])
                        for n in names])
    return FigureView(chart, _strongest_of_each(view, names), table)


def _strongest_of_each(view: RoundView, names: Sequence[str]) -> str:
    """'Parks is strongest on Culture (3.5); Roads on Listening (4.0).'"""
    parts = []
    for name in names:
        scored = [(s, d) for d in view.dimension_ids if (s := view.scored[name].scores[d]) is not None]
        if scored:
            score, dimension = max(scored, key=lambda item: item[0])
            parts.append((view.department_name(name), view.dimension_name(dimension),
                          score_text(score)))
    if not parts:
        return _("None of these departments has scores yet.")
    first, *rest = parts
    sentence = _("%(department)s is strongest on %(dimension)s (%(score)s)", department=first[0],
                 dimension=first[1], score=first[2])
    return "; ".join([sentence, *(_("%(department)s on %(dimension)s (%(score)s)", department=n,
                                    dimension=d, score=s) for n, d, s in rest)]) + "."
