"""The dashboard's heatmap (departments x dimensions, sortable) and response tracker."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ...core.consistency import name_order
from ...core.scoring import level_reached, score_text
from ...queries.responses import ProgressCounts, RoundProgress
from .view import RoundView

SORT_ORDERS = ("asc", "desc")
DEPARTMENT_COLUMN = "department"
DIRECTORATE_COLUMN = "directorate"


@dataclass(frozen=True)
class Cell:
    score: float | None
    text: str
    level: int | None
    level_name: str


@dataclass(frozen=True)
class HeatRow:
    department_id: int | None
    name: str
    directorate: str | None
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Heatmap:
    columns: tuple[tuple[str, str], ...]  # (sort key, heading)
    rows: tuple[HeatRow, ...]
    sort: str
    order: str
    groups: tuple[tuple[str, tuple[HeatRow, ...]], ...]  # by directorate, when asked


def cell(view: RoundView, score: float | None) -> Cell:
    level = level_reached(score)
    return Cell(score, score_text(score), level, view.level_name(level))


def heatmap(view: RoundView, sort: str | None, order: str | None, grouped: bool) -> Heatmap:
    """Departments x dimensions, sorted by any column; unscored cells sort last."""
    keys = (DEPARTMENT_COLUMN, DIRECTORATE_COLUMN, *view.dimension_ids)
    sort = sort if sort in keys else DEPARTMENT_COLUMN
    order = order if order in SORT_ORDERS else "asc"
    rows = _sorted([
        HeatRow(view.ids.get(d.name), view.department_name(d.name),
                view.directorate_name(d.directorate) or None,
                tuple(cell(view, d.scores[dimension]) for dimension in view.dimension_ids))
        for d in view.results.departments
    ], view, sort, order == "desc")
    columns = ((DEPARTMENT_COLUMN, _("Department")),
               *((DIRECTORATE_COLUMN, _("Directorate")),) * view.has_directorates(),
               *zip(view.dimension_ids, view.dimension_names, strict=True))
    return Heatmap(tuple(columns), tuple(rows), sort, order,
                   by_directorate(rows) if grouped else ())


def _sorted(rows: list[HeatRow], view: RoundView, sort: str, descending: bool) -> list[HeatRow]:
    rows.sort(key=lambda row: name_order(row.name), reverse=descending)
    if sort == DIRECTORATE_COLUMN:
        rows.sort(key=lambda row: name_order(row.directorate or ""), reverse=descending)
    elif sort != DEPARTMENT_COLUMN:
        index = view.dimension_ids.index(sort)
        scored = [row for row in rows if row.cells[index].score is not None]
        scored.sort(key=lambda row: row.cells[index].score or 0.0, reverse=descending)
        rows = scored + [row for row in rows if row.cells[index].score is None]
    return rows


def by_directorate(rows: list[HeatRow]) -> tuple[tuple[str, tuple[HeatRow, ...]], ...]:
    names = sorted({row.directorate or "" for row in rows}, key=lambda n: (n == "", name_order(n)))
    return tuple(
        (name or _("No directorate"), tuple(row for row in rows if (row.directorate or "") == name))
        for name in names
    )


# --- response tracker ------------------------------------------------------------------


@dataclass(frozen=True)
class Chase:
    department: str
    waiting: int
    total: int


@dataclass(frozen=True)
class Tracker(ProgressCounts):
    """The round's counts, as every page counts them
    (:func:`assessment.queries.responses.progress_counts`), how many departments
    were invited, and the departments whose respondents have not all submitted."""

    departments: int
    chase: tuple[Chase, ...]

    @property
    def analysed(self) -> bool:
        """Whether anything is submitted, so there are results to analyse."""
        return self.submitted > 0


def tracker(progress: RoundProgress) -> Tracker:
    """How many respondents are in each state, and which departments to chase."""
    chase = tuple(
        Chase(d.name, d.waiting, d.invited)
        for d in sorted(progress.departments, key=lambda d: name_order(d.name)) if d.waiting
    )
    return Tracker(progress.invited, progress.not_started, progress.in_progress, progress.submitted,
                   len(progress.departments), chase)
