"""Change between rounds: this round against comparable earlier rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from ...chart_types import TrendChart
from ...core.scoring import score_text
from ...core.trend import Change, RoundComparison, compare_rounds, organisation_history
from ...flags import shown_difference
from .figures import FigureView, Table
from .view import RoundView


@dataclass(frozen=True)
class History:
    """This round against the latest comparable earlier round, and the trend over rounds."""

    earlier: RoundView
    comparison: RoundComparison
    chart: FigureView
    changes: Table


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
    changes = Table(
        _("Change by department since %(round)s", round=earlier[0].round_name),
        (_("Department"), *view.dimension_names),
        tuple((d.name, *(change_text(d.changes[i]) for i in view.dimension_ids))
              for d in comparison.departments),
    )
    return History(earlier[0], comparison,
                   FigureView(chart, _trend_summary(view, comparison, earlier[0].round.name),
                              chart_table),
                   changes)


def _trend_summary(view: RoundView, comparison: RoundComparison, earlier_name: str) -> str:
    moved = [(c, d) for d, c in comparison.organisation.items() if c.change is not None]
    if not moved:
        return _("There are no scores to compare with %(round)s.", round=earlier_name)
    best = max(moved, key=lambda item: abs(item[0].change or 0.0))
    return _("Since %(round)s the organisation has moved most on %(dimension)s (%(change)s).",
             round=earlier_name, dimension=view.dimension_name(best[1]), change=change_text(best[0]))
