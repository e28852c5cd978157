"""The dashboard's heatmap (departments x dimensions, sortable) and response tracker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from ...core.consistency import name_order
from ...core.scoring import level_reached
from ...flags import score_text
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
        HeatRow(view.ids.get(d.name), d.name, d.directorate,
                tuple(cell(view, d.scores[dimension]) for dimension in view.dimension_ids))
        for d in view.results.departments
    ], view, sort, order == "desc")
    columns = ((DEPARTMENT_COLUMN, _("Department")),
               *((DIRECTORATE_COLUMN, _("Directorate")),) * view.has_directorates(),
               *zip(view.dimension_ids, view.dimension_names, strict=True))
    return Heatmap(tuple(columns), tuple(rows), sort, order,
                   _by_directorate(rows) if grouped else ())


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


def _by_directorate(rows: list[HeatRow]) -> tuple[tuple[str, tuple[HeatRow, ...]], ...]:
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
class Tracker:
    departments: int
    invited: int
    in_progress: int
    submitted: int
    chase: tuple[Chase, ...]


def tracker(statuses: Sequence[tuple[str, str]]) -> Tracker:
    """How many responses are in each state, and which departments to chase.

    ``statuses`` holds (department, response status) for every response.
    """
    by_department: dict[str, list[str]] = {}
    for department, status in statuses:
        by_department.setdefault(department, []).append(status)
    chase = tuple(
        Chase(name, sum(s != "submitted" for s in found), len(found))
        for name, found in sorted(by_department.items(), key=lambda item: name_order(item[0]))
        if any(s != "submitted" for s in found)
    )
    submitted = sum(status == "submitted" for _, status in statuses)
    return Tracker(len(by_department), len(statuses), len(statuses) - submitted, submitted, chase)
