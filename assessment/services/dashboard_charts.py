"""Chart inputs, their data tables and one-line summaries (formatting only).

Each :class:`Chart` names a function of :mod:`assessment.charts` and its
arguments, so a page draws it inline as SVG and the chart URL draws the same
thing as PNG, without this module importing matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ..core.trend import RoundComparison, compare_rounds, organisation_history
from .dashboard import RoundView, rate_text, score_and_level, score_text


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """A chart to draw: ``assessment.charts.<function>(**arguments, fmt=...)``."""

    function: str
    arguments: dict[str, Any]
    summary: str
    table: Table
    title: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", self.arguments["title"])


def _levels(view: RoundView, scores: Sequence[float | None]) -> list[str]:
    return [score_and_level(view, score) for score in scores]


def organisation_radar(view: RoundView) -> Chart:
    """The organisation's scores, the band from lowest to highest department, targets."""
    organisation = view.results.organisation
    ids = view.dimension_ids
    scores = [organisation.scores[d] for d in ids]
    targets = [view.results.targets.get(d) for d in ids]
    series = [(_("Organisation"), scores)]
    if any(t is not None for t in targets):
        series.append((_("Target"), targets))
    band = ([organisation.min[d] for d in ids], [organisation.max[d] for d in ids])
    with_targets = any(t is not None for t in targets)
    table = Table(
        _("Organisation scores by dimension"),
        (_("Dimension"), _("Organisation"), _("Departments"), *[_("Target")] * with_targets),
        tuple(
            (name, score_and_level(view, organisation.scores[d]),
             _range_text(organisation.min[d], organisation.max[d]),
             *["–" if target is None else f"{target:g}"] * with_targets)
            for d, name, target in zip(ids, view.dimension_names, targets, strict=True)
        ),
    )
    return Chart("radar_chart", {
        "title": _("%(round)s: organisation scores", round=view.round.name),
        "dimension_names": view.dimension_names, "series": series,
        "band": band if organisation.departments_scored else None,
    }, _strongest_weakest(view, scores), table)


def _range_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "–"
    return _("%(low)s to %(high)s", low=score_text(low), high=score_text(high))


def _strongest_weakest(view: RoundView, scores: list[float | None]) -> str:
    scored = [(s, name) for s, name in zip(scores, view.dimension_names, strict=True) if s is not None]
    if not scored:
        return _("No department has submitted answers yet, so there are no scores.")
    high, low = max(scored, key=lambda item: item[0]), min(scored, key=lambda item: item[0])
    sentence = _("The organisation is strongest on %(high)s (%(high_score)s) and weakest on %(low)s "
                 "(%(low_score)s).", high=high[1], high_score=score_and_level(view, high[0]),
                 low=low[1], low_score=score_and_level(view, low[0]))
    flags = [f for f in view.results.inconsistencies if f.kind == "dimension"]
    if flags:
        sentence += " " + _("Departments differ most on %(dimension)s.",
                            dimension=view.dimension_name(flags[0].dimension))
    return sentence


def dot_plot(view: RoundView) -> Chart:
    """One dot per department on each dimension, with the organisation score."""
    organisation = view.results.organisation
    ids = view.dimension_ids
    departments = [(d.name, [d.scores[i] for i in ids]) for d in view.results.departments]
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
    return Chart("dot_plot", {
        "title": _("%(round)s: spread of department scores", round=view.round.name),
        "dimension_names": view.dimension_names, "departments": departments,
        "organisation": (_("Organisation"), [organisation.scores[i] for i in ids]),
    }, summary, table)


def department_radar(view: RoundView, name: str) -> Chart:
    """One department against the organisation, with its levels and don't-know rates."""
    department = view.scored[name]
    organisation = view.results.organisation
    ids = view.dimension_ids
    table = Table(
        _("Scores of %(department)s by dimension", department=name),
        (_("Dimension"), name, _("Organisation"), _("Don't know"), _("Respondents' scores")),
        tuple(
            (dimension_name, score_and_level(view, department.scores[d]),
             score_text(organisation.scores[d]), rate_text(department.dont_know_rate[d]),
             _respondent_range(department.respondent_scores, d))
            for d, dimension_name in zip(ids, view.dimension_names, strict=True)
        ),
    )
    ahead = [n for d, n in zip(ids, view.dimension_names, strict=True)
             if any(o.department == name and o.dimension == d and o.direction == "ahead"
                    for o in view.results.outliers)]
    behind = [n for d, n in zip(ids, view.dimension_names, strict=True)
              if any(o.department == name and o.dimension == d and o.direction == "behind"
                     for o in view.results.outliers)]
    summary = " ".join(filter(None, [
        _("%(department)s is ahead of most departments on %(dimensions)s.", department=name,
          dimensions=", ".join(ahead)) if ahead else "",
        _("%(department)s is behind most departments on %(dimensions)s.", department=name,
          dimensions=", ".join(behind)) if behind else "",
    ])) or _("%(department)s is close to most departments on every dimension.", department=name)
    return Chart("radar_chart", {
        "title": _("%(department)s against the organisation", department=name),
        "dimension_names": view.dimension_names,
        "series": [(name, [department.scores[d] for d in ids]),
                   (_("Organisation"), [organisation.scores[d] for d in ids])],
        "band": None,
    }, summary, table)


def _respondent_range(respondent_scores: Sequence[dict[str, float | None]], dimension: str) -> str:
    scores = sorted(s for r in respondent_scores if (s := r[dimension]) is not None)
    if len(scores) < 2:
        return score_text(scores[0]) if scores else "–"
    return _range_text(scores[0], scores[-1])


def compare_radar(view: RoundView, names: Sequence[str]) -> Chart:
    """Two to five departments overlaid, with a side-by-side table."""
    ids = view.dimension_ids
    organisation = view.results.organisation
    table = Table(
        _("Scores of the departments compared"),
        (_("Dimension"), *names, _("Organisation")),
        tuple(
            (dimension_name, *(score_and_level(view, view.scored[n].scores[d]) for n in names),
             score_text(organisation.scores[d]))
            for d, dimension_name in zip(ids, view.dimension_names, strict=True)
        ),
    )
    return Chart("radar_chart", {
        "title": _("%(round)s: departments compared", round=view.round.name),
        "dimension_names": view.dimension_names,
        "series": [(n, [view.scored[n].scores[d] for d in ids]) for n in names],
        "band": None,
    }, _strongest_of_each(view, names), table)


def _strongest_of_each(view: RoundView, names: Sequence[str]) -> str:
    """'Parks is strongest on Culture (3.5); Roads on Listening (4.0).'"""
    parts = []
    for name in names:
        scored = [(s, d) for d in view.dimension_ids if (s := view.scored[name].scores[d]) is not None]
        if scored:
            score, dimension = max(scored, key=lambda item: item[0])
            parts.append((name, view.dimension_name(dimension), score_text(score)))
    if not parts:
        return _("None of these departments has scores yet.")
    first, *rest = parts
    sentence = _("%(department)s is strongest on %(dimension)s (%(score)s)", department=first[0],
                 dimension=first[1], score=first[2])
    return "; ".join([sentence, *(_("%(department)s on %(dimension)s (%(score)s)", department=n,
                                    dimension=d, score=s) for n, d, s in rest)]) + "."


# --- change between rounds -------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """This round against the latest comparable earlier round, and the trend over rounds."""

    earlier: RoundView
    comparison: RoundComparison
    chart: Chart
    changes: Table


def change_text(change: float | None) -> str:
    if change is None:
        return "–"
    text = score_text(abs(change))
    return "0.0" if text == "0.0" else ("+" if change > 0 else "−") + text


def history(view: RoundView, earlier: Sequence[RoundView]) -> History | None:
    """``earlier`` are comparable rounds, newest first; None when there are none."""
    if not earlier:
        return None
    comparison = compare_rounds(earlier[0].results, view.results)
    rounds = [*reversed(earlier), view]
    trend = organisation_history([r.results for r in rounds])
    round_names = [r.round.name for r in rounds]
    names = dict(zip(view.dimension_ids, view.dimension_names, strict=True))
    chart_table = Table(
        _("Organisation scores by round"), (_("Dimension"), *round_names),
        tuple((names[d], *(score_text(s) for s in values)) for d, values in trend.items()),
    )
    chart = Chart("trend_chart", {
        "title": _("Organisation scores over rounds"), "round_names": round_names,
        "series": [(names[d], values) for d, values in trend.items()],
    }, _trend_summary(view, comparison, earlier[0].round.name), chart_table)
    changes = Table(
        _("Change by department since %(round)s", round=earlier[0].round.name),
        (_("Department"), *view.dimension_names),
        tuple((d.name, *(change_text(d.changes[i].change) for i in view.dimension_ids))
              for d in comparison.departments),
    )
    return History(earlier[0], comparison, chart, changes)


def _trend_summary(view: RoundView, comparison: RoundComparison, earlier_name: str) -> str:
    moved = [(c.change, d) for d, c in comparison.organisation.items() if c.change is not None]
    if not moved:
        return _("There are no scores to compare with %(round)s.", round=earlier_name)
    best = max(moved, key=lambda item: abs(item[0]))
    return _("Since %(round)s the organisation has moved most on %(dimension)s (%(change)s).",
             round=earlier_name, dimension=view.dimension_name(best[1]), change=change_text(best[0]))
