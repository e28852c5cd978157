"""Change between rounds: this round against comparable earlier rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from ...chart_types import TrendChart
from ...core.scoring import score_text
from ...core.trend import (
    Change,
    DepartmentChange,
    RoundComparison,
    compare_rounds,
    largest_changes,
    organisation_history,
)
from ...flags import names_text, shown_difference
from .figures import FigureView, Table
from .view import RoundView


@dataclass(frozen=True)
class History:
    """This round against the latest comparable earlier round, and the trend over rounds."""

    earlier: RoundView
    comparison: RoundComparison
    chart: FigureView
    changes: Table
    #: How many departments of this round the changes table leaves out (a large round
    #: lists only those that moved most), and the new departments' names as a sentence.
    changes_left_out: int
    new_departments: str


#: Above this many departments the change table lists only the ones that moved most.
CHANGES_LISTED = 20


def change_text(change: Change) -> str:
    """'+0.3', '−0.1' or '0.0': the difference of the two scores as shown, so the change
    agrees with the scores in the trend table (2.95 to 3.0 is shown 2.9 to 3.0: +0.1)."""
    shown = shown_difference(change.after, change.before)
    if shown is None:
        return "–"
    text = score_text(abs(shown))
    return "0.0" if text == "0.0" else ("+" if shown > 0 else "−") + text


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
    chart = TrendChart(_("Organisation scores over rounds"), round_names,
                       [(names[d], values) for d, values in trend.items()])
    large = len(comparison.departments) > CHANGES_LISTED
    listed = largest_changes(comparison, CHANGES_LISTED) if large else comparison.departments
    caption = (_("The %(num)s departments that changed most since %(round)s", num=len(listed),
                 round=earlier[0].round_name) if large else
               _("Change by department since %(round)s", round=earlier[0].round_name))
    changes = Table(
        caption, (_("Department"), *view.dimension_names),
        tuple(_change_row(view, d) for d in listed),
    )
    return History(earlier[0], comparison,
                   FigureView(chart, _trend_summary(view, comparison, earlier[0].round.name),
                              chart_table),
                   changes, len(comparison.departments) - len(listed),
                   names_text(comparison.new_departments, view.language))


def _change_row(view: RoundView, department: DepartmentChange) -> tuple[str, ...]:
    return (department.name, *(change_text(department.changes[d]) for d in view.dimension_ids))


def department_change(view: RoundView, found: History, name: str) -> tuple[str, ...] | None:
    """The department's name and its change on each dimension, as the changes table shows
    them (a large round's table lists only some departments; every department has this)."""
    department = next((d for d in found.comparison.departments if d.name == name), None)
    return None if department is None else _change_row(view, department)


def _trend_summary(view: RoundView, comparison: RoundComparison, earlier_name: str) -> str:
    moved = [(c, d) for d, c in comparison.organisation.items() if c.change is not None]
    if not moved:
        return _("There are no scores to compare with %(round)s.", round=earlier_name)
    best = max(moved, key=lambda item: abs(item[0].change or 0.0))
    return _("Since %(round)s the organisation has moved most on %(dimension)s (%(change)s).",
             round=earlier_name, dimension=view.dimension_name(best[1]), change=change_text(best[0]))
