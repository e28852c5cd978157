"""The dashboard's heatmap (departments x dimensions, sortable) and response tracker."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ...core.consistency import name_order
from ...core.scoring import DepartmentScores, level_reached, score_text
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


@dataclass(frozen=True)
class HeatEntry:
    """A department as sorting and filtering need it: its scores and the names shown.
    Cells are made only for the rows a page shows (:func:`heat_row`): a round of
    10,000 departments sorts entries, not 50,000 formatted cells."""

    department: DepartmentScores
    name: str
    directorate: str | None

    def score(self, dimension: str) -> float | None:
        return self.department.scores[dimension]


def heat_entries(view: RoundView, sort: str, descending: bool) -> list[HeatEntry]:
    """Every scored department, sorted by ``sort`` (see :func:`heatmap`)."""
    entries = [HeatEntry(d, view.department_name(d.name),
                         view.directorate_name(d.directorate) or None)
               for d in view.results.departments]
    entries.sort(key=lambda entry: name_order(entry.name), reverse=descending)
    if sort == DIRECTORATE_COLUMN:
        entries.sort(key=lambda entry: name_order(entry.directorate or ""), reverse=descending)
    elif sort != DEPARTMENT_COLUMN:
        scored = [entry for entry in entries if entry.score(sort) is not None]
        scored.sort(key=lambda entry: entry.score(sort) or 0.0, reverse=descending)
        entries = scored + [entry for entry in entries if entry.score(sort) is None]
    return entries


def heat_row(view: RoundView, entry: HeatEntry) -> HeatRow:
    return HeatRow(view.ids.get(entry.department.name), entry.name, entry.directorate,
                   tuple(cell(view, entry.score(dimension)) for dimension in view.dimension_ids))


def heat_columns(view: RoundView) -> tuple[tuple[str, str], ...]:
    return ((DEPARTMENT_COLUMN, _("Department")),
            *((DIRECTORATE_COLUMN, _("Directorate")),) * view.has_directorates(),
            *zip(view.dimension_ids, view.dimension_names, strict=True))


def heatmap(view: RoundView, sort: str | None, order: str | None, grouped: bool) -> Heatmap:
    """Departments x dimensions, sorted by any column; unscored cells sort last."""
    keys = (DEPARTMENT_COLUMN, DIRECTORATE_COLUMN, *view.dimension_ids)
    sort = sort if sort in keys else DEPARTMENT_COLUMN
    order = order if order in SORT_ORDERS else "asc"
    rows = [heat_row(view, entry) for entry in heat_entries(view, sort, order == "desc")]
    return Heatmap(heat_columns(view), tuple(rows), sort, order,
                   by_directorate(rows) if grouped else ())


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
