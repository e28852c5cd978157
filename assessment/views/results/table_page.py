"""The dashboard's department table, one page at a time: sorted, filtered and paged on
the server, so a round of 10,000 departments sends 50 rows, not 10,000.

Every parameter comes from the query string and is read leniently: an unknown sort
falls back to the department name, a page past the end shows the last page, and a
value that is not a number is ignored.  A bad link never gives an error page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ...core import plan
from ...core.consistency import name_order
from ...core.plan import furthest_apart
from ...core.scoring import level_reached
from .dashboard import (
    DEPARTMENT_COLUMN,
    DIRECTORATE_COLUMN,
    SORT_ORDERS,
    HeatEntry,
    HeatRow,
    by_directorate,
    heat_columns,
    heat_entries,
    heat_row,
)
from .view import RoundView

PAGE_SIZE = 50
LEVELS = (1, 2, 3, 4, 5)
#: How many departments the "most behind" and "most ahead" lists name.
EXTREMES = 5


@dataclass(frozen=True)
class TableQuery:
    """What the reader asked of the department table."""

    sort: str = DEPARTMENT_COLUMN
    order: str = "asc"
    directorate: str = ""
    name: str = ""
    level: int | None = None
    page: int = 1
    grouped: bool = False

    def args(self, **changes: object) -> dict[str, object]:
        """The query-string parameters for a link, with ``changes``; defaults left out."""
        changed = replace(self, **changes)  # type: ignore[arg-type]
        found = {
            "sort": changed.sort if changed.sort != DEPARTMENT_COLUMN else None,
            # A sort always names its order, so a link says which way it sorts.
            "order": changed.order if changed.sort != DEPARTMENT_COLUMN or changed.order != "asc" else None,
            "directorate": changed.directorate or None,
            "name": changed.name or None,
            "level": changed.level,
            "page": changed.page if changed.page != 1 else None,
            "group": "directorate" if changed.grouped else None,
        }
        return {key: value for key, value in found.items() if value is not None}

    @property
    def filtered(self) -> bool:
        return bool(self.directorate or self.name or self.level)


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def table_query(view: RoundView, args: Mapping[str, str], grouped: bool) -> TableQuery:
    """The reader's query, every unknown or malformed value replaced by its default."""
    sorts = (DEPARTMENT_COLUMN, DIRECTORATE_COLUMN, *view.dimension_ids)
    level = _number(args.get("level"))
    return TableQuery(
        sort=args.get("sort") if args.get("sort") in sorts else DEPARTMENT_COLUMN,  # type: ignore[arg-type]
        order=args.get("order") if args.get("order") in SORT_ORDERS else "asc",  # type: ignore[arg-type]
        directorate=(args.get("directorate") or "").strip()[:200],
        name=(args.get("name") or "").strip()[:200],
        level=level if level in LEVELS else None,
        page=max(_number(args.get("page")) or 1, 1),
        grouped=grouped,
    )


@dataclass(frozen=True)
class TablePage:
    """One page of the department table, and what the filters can offer."""

    query: TableQuery
    columns: tuple[tuple[str, str], ...]
    rows: tuple[HeatRow, ...]
    groups: tuple[tuple[str, tuple[HeatRow, ...]], ...]
    matching: int
    total: int
    pages: int
    directorates: tuple[str, ...]

    @property
    def first(self) -> int:
        return (self.query.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def lowest_level(entry: HeatEntry) -> int | None:
    """The lowest level the department reaches on any dimension."""
    levels = [level_reached(s) for s in entry.department.scores.values() if s is not None]
    return min((level for level in levels if level is not None), default=None)


def _matches(entry: HeatEntry, query: TableQuery) -> bool:
    if query.directorate and (entry.directorate or "") != query.directorate:
        return False
    if query.name and query.name.casefold() not in entry.name.casefold():
        return False
    return not query.level or lowest_level(entry) == query.level


def table_page(view: RoundView, query: TableQuery) -> TablePage:
    """The page of departments the query asks for; a page past the end is the last page."""
    entries = heat_entries(view, query.sort, query.order == "desc")
    matching = [entry for entry in entries if _matches(entry, query)]
    pages = max((len(matching) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    query = replace(query, page=min(query.page, pages))
    start = (query.page - 1) * PAGE_SIZE
    rows = tuple(heat_row(view, entry) for entry in matching[start:start + PAGE_SIZE])
    directorates = tuple(sorted({d.directorate for d in view.departments if d.directorate},
                                key=name_order))
    return TablePage(query, heat_columns(view), rows,
                     by_directorate(list(rows)) if query.grouped else (),
                     len(matching), len(entries), pages, directorates)


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers a GOV.UK pagination shows: first, last, and around the current
    page, with ``None`` for an ellipsis."""
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@dataclass(frozen=True)
class Standing:
    """A department's standing (from the core) with the id its page link needs."""

    department_id: int | None
    name: str
    mean: float
    level: int | None


def extremes(view: RoundView) -> tuple[tuple[Standing, ...], tuple[Standing, ...]]:
    """The departments most behind and most ahead, by their mean score across dimensions."""
    behind, ahead = furthest_apart(view.bank, view.results.departments, EXTREMES)

    def linked(standings: list[plan.Standing]) -> tuple[Standing, ...]:
        return tuple(Standing(view.ids.get(s.name), s.name, s.mean, s.level) for s in standings)

    return linked(behind), linked(ahead)
