"""Change between rounds: per department and dimension, and over several rounds.

Two rounds can be compared when their banks have the same dimension ids in the
same order (questions may differ: scores are compared per dimension only).

Public names:

- :func:`comparable`: whether two banks' rounds can be compared.
- :func:`compare_rounds`, :class:`RoundComparison`, :class:`DepartmentChange`
  and :class:`Change`: ``after - before`` for the organisation and for every
  department of the later round (matched by name).
- :func:`organisation_history`: the organisation's score on each dimension
  over a series of rounds, oldest first, for a trend chart.
- :func:`largest_changes`: the departments that moved most, for a large
  round's summary.

A change is ``None`` wherever either score is ``None`` (a department that did
not take part in the earlier round, a dimension nobody scored).

>>> from assessment.core.analysis import analyse_round
>>> from assessment.core.scoring import DepartmentInput, _example_bank
>>> bank = _example_bank()
>>> before = analyse_round(bank, [DepartmentInput("Parks", None, ({"a1": 2},))])
>>> after = analyse_round(bank, [DepartmentInput("Parks", None, ({"a1": 3},)),
...                              DepartmentInput("Roads", None, ({"a1": 4},))])
>>> comparison = compare_rounds(before, after)
>>> comparison.organisation["a"]
Change(before=2.0, after=3.5, change=1.5)
>>> [(d.name, d.changes["a"].change) for d in comparison.departments]
[('Parks', 1.0), ('Roads', None)]
>>> comparison.new_departments, organisation_history([before, after])["a"]
(('Roads',), [2.0, 3.5])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .analysis import RoundResults
from .bank import QuestionBank
from .consistency import name_order
from .errors import ScoringError

__all__ = [
    "Change",
    "DepartmentChange",
    "RoundComparison",
    "comparable",
    "compare_rounds",
    "largest_changes",
    "organisation_history",
]


@dataclass(frozen=True)
class Change:
    """A score before and after; ``change`` is ``after - before`` or ``None``."""

    before: float | None
    after: float | None
    change: float | None


@dataclass(frozen=True)
class DepartmentChange:
    """One department of the later round and its change on every dimension."""

    name: str
    changes: dict[str, Change]


@dataclass(frozen=True)
class RoundComparison:
    """The later round against the earlier one.

    ``departments`` follows the later round's order; ``new_departments`` took
    part only in the later round, ``missing_departments`` only in the earlier.
    """

    organisation: dict[str, Change]
    departments: tuple[DepartmentChange, ...]
    new_departments: tuple[str, ...]
    missing_departments: tuple[str, ...]


def comparable(earlier: QuestionBank, later: QuestionBank) -> bool:
    """True when both banks have the same dimension ids in the same order.

    >>> from assessment.core.scoring import _example_bank
    >>> comparable(_example_bank(), _example_bank())
    True
    """
    return earlier.dimension_ids == later.dimension_ids


def compare_rounds(earlier: RoundResults, later: RoundResults) -> RoundComparison:
    """``later - earlier`` per dimension, for the organisation and each department.

    Raises :class:`ScoringError` when the rounds' dimensions differ (see the
    module docstring for an example).
    """
    dimensions = _dimensions_of(earlier, later)
    before_by_name = {d.name: d.scores for d in earlier.departments}
    after_names = {d.name for d in later.departments}
    return RoundComparison(
        organisation=_changes(dimensions, earlier.organisation.scores, later.organisation.scores),
        departments=tuple(
            DepartmentChange(d.name, _changes(dimensions, before_by_name.get(d.name, {}), d.scores))
            for d in later.departments
        ),
        new_departments=tuple(d.name for d in later.departments if d.name not in before_by_name),
        missing_departments=tuple(d.name for d in earlier.departments if d.name not in after_names),
    )


def organisation_history(history: Sequence[RoundResults]) -> dict[str, list[float | None]]:
    """Each dimension's organisation score in each round of ``history``, in order.

    An empty history gives ``{}``; rounds with other dimensions raise
    :class:`ScoringError`.
    """
    if not history:
        return {}
    for earlier in history[:-1]:
        _dimensions_of(earlier, history[-1])
    return {
        dimension: [results.organisation.scores[dimension] for results in history]
        for dimension in history[-1].organisation.scores
    }


def largest_changes(comparison: RoundComparison, count: int) -> list[DepartmentChange]:
    """The ``count`` departments whose largest change on any dimension is biggest.

    Only departments with at least one change (scores in both rounds) are ranked;
    by the size of their largest change, up or down, largest first, then by name.

    >>> def moved(name, *changes):
    ...     return DepartmentChange(name, {str(i): Change(None, None, c) for i, c in enumerate(changes)})
    >>> comparison = RoundComparison({}, (moved("A", 0.5, -1.5), moved("B", 1.0), moved("C", None),
    ...                                   moved("D", -1.5)), ("C",), ())
    >>> [d.name for d in largest_changes(comparison, 2)]
    ['A', 'D']
    """
    def biggest(department: DepartmentChange) -> float | None:
        sizes = [abs(c.change) for c in department.changes.values() if c.change is not None]
        return max(sizes) if sizes else None

    ranked = [(size, d) for d in comparison.departments if (size := biggest(d)) is not None]
    ranked.sort(key=lambda item: (-item[0], name_order(item[1].name)))
    return [department for _, department in ranked[:count]]


def _dimensions_of(earlier: RoundResults, later: RoundResults) -> tuple[str, ...]:
    before, after = tuple(earlier.organisation.scores), tuple(later.organisation.scores)
    if before != after:
        raise ScoringError(
            f"rounds with different dimensions cannot be compared: {', '.join(before)} "
            f"against {', '.join(after)}"
        )
    return after


def _changes(
    dimensions: tuple[str, ...],
    before: dict[str, float | None],
    after: dict[str, float | None],
) -> dict[str, Change]:
    changes = {}
    for dimension in dimensions:
        old, new = before.get(dimension), after.get(dimension)
        changes[dimension] = Change(old, new, None if old is None or new is None else new - old)
    return changes
