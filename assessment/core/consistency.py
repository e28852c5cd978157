"""Consistency across departments, disagreement within them, and target gaps.

The rules are those of docs/specification.md section 5.  Every comparison with a threshold
allows :data:`~assessment.core.scoring.TOLERANCE` (a spread of
1.4999999999999998 counts as 1.5), and a spread within that tolerance of zero
is a tie, never a flag.

Public names:

- :class:`Thresholds`: the configurable thresholds, validated on construction;
  :data:`DEFAULT_THRESHOLDS` holds the contract's defaults.
- :func:`dimension_inconsistencies` and :func:`question_inconsistencies`:
  :class:`Inconsistency` flags where department scores spread too far.
- :func:`find_outliers`: :class:`Outlier` departments far from the median.
- :func:`within_department_disagreements`: :class:`Disagreement` between the
  respondents of one department.
- :func:`target_gaps`: target minus organisation score per dimension.
- :func:`name_order`: the sort key of department names (case-insensitive).

Each flag function returns its flags largest first and an empty list when
fewer than two scores can be compared (no departments, one department ...).

>>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
>>> bank = _example_bank()
>>> parks = score_department(bank, DepartmentInput("Parks", None, ({"a1": 1},)))
>>> roads = score_department(bank, DepartmentInput("Roads", None, ({"a1": 4},)))
>>> dimension_inconsistencies(bank, [parks, roads], DEFAULT_THRESHOLDS)[0].spread
3.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from statistics import median, pstdev

from .bank import QuestionBank
from .errors import ScoringError
from .scoring import TOLERANCE, DepartmentScores, OrganisationScores, check_unique_names

__all__ = [
    "DEFAULT_THRESHOLDS",
    "Disagreement",
    "Inconsistency",
    "Outlier",
    "Thresholds",
    "dimension_inconsistencies",
    "find_outliers",
    "name_order",
    "question_inconsistencies",
    "target_gaps",
    "within_department_disagreements",
]

# (department name, score) for the departments scored on one dimension or question.
_Column = list[tuple[str, float]]


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of a round; each must be a positive, finite number.

    >>> Thresholds(dimension_spread=0)
    Traceback (most recent call last):
    ...
    assessment.core.errors.ScoringError: threshold dimension_spread must be a positive number, not 0
    """

    dimension_spread: float = 1.5
    question_spread: float = 2.0
    outlier_distance: float = 1.0
    within_department_spread: float = 1.5

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not (number and math.isfinite(value) and value > 0):
                raise ScoringError(
                    f"threshold {field.name} must be a positive number, not {value!r}"
                )


#: The thresholds of docs/specification.md section 5, used unless a round sets its own.
DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Inconsistency:
    """Departments disagree on a dimension or on one question."""

    kind: str
    dimension: str
    question_id: str | None
    spread: float
    std_dev: float
    lowest: tuple[str, ...]
    highest: tuple[str, ...]


@dataclass(frozen=True)
class Outlier:
    """A department ``behind`` or ``ahead`` of the median on a dimension."""

    department: str
    dimension: str
    score: float
    median: float
    direction: str


@dataclass(frozen=True)
class Disagreement:
    """The respondents of one department disagree on a dimension."""

    department: str
    dimension: str
    spread: float


def name_order(name: str) -> tuple[str, str]:
    """Sort key of department names: case-insensitive, then exact.

    >>> sorted(["beta", "Alpha", "alpha"], key=name_order)
    ['Alpha', 'alpha', 'beta']
    """
    return (name.casefold(), name)


def dimension_inconsistencies(
    bank: QuestionBank, departments: Sequence[DepartmentScores], thresholds: Thresholds
) -> list[Inconsistency]:
    """Dimensions whose department scores spread by ``thresholds.dimension_spread``.

    Over the departments scored on a dimension (at least two): the spread
    ``max - min``, the population standard deviation, and the departments at
    the lowest and highest score.  Largest spread first, then bank order.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> scored = [score_department(bank, DepartmentInput(name, None, ({"a1": level},)))
    ...           for name, level in [("Parks", 1), ("Roads", 3), ("Waste", 3)]]
    >>> flag = dimension_inconsistencies(bank, scored, Thresholds())[0]
    >>> flag.spread, flag.lowest, flag.highest
    (2.0, ('Parks',), ('Roads', 'Waste'))
    """
    check_unique_names(department.name for department in departments)
    flags = (
        _spread_flag("dimension", dimension, None, _column(departments, "scores", dimension),
                     thresholds.dimension_spread)
        for dimension in bank.dimension_ids
    )
    return sorted((flag for flag in flags if flag), key=lambda flag: -flag.spread)


def question_inconsistencies(
    bank: QuestionBank, departments: Sequence[DepartmentScores], thresholds: Thresholds
) -> list[Inconsistency]:
    """Questions whose department scores spread by ``thresholds.question_spread``.

    As :func:`dimension_inconsistencies`, over department question scores;
    largest spread first, then bank order.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> scored = [score_department(bank, DepartmentInput(name, None, ({"b1": level},)))
    ...           for name, level in [("Parks", 1), ("Roads", 3)]]
    >>> [(f.kind, f.question_id, f.std_dev) for f in question_inconsistencies(
    ...     bank, scored, Thresholds())]
    [('question', 'b1', 1.0)]
    """
    check_unique_names(department.name for department in departments)
    flags = (
        _spread_flag("question", question.dimension, question.id,
                     _column(departments, "question_scores", question.id),
                     thresholds.question_spread)
        for question in bank.questions
    )
    return sorted((flag for flag in flags if flag), key=lambda flag: -flag.spread)


def find_outliers(
    bank: QuestionBank, departments: Sequence[DepartmentScores], thresholds: Thresholds
) -> list[Outlier]:
    """Departments at least ``thresholds.outlier_distance`` from the median.

    The median is over the departments scored on that dimension; a department
    below it is ``behind``, above it ``ahead``.  Largest distance first, then
    bank dimension order, then department name.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> scored = [score_department(bank, DepartmentInput(name, None, ({"c1": level},)))
    ...           for name, level in [("Parks", 1), ("Roads", 3), ("Waste", 3)]]
    >>> find_outliers(bank, scored, Thresholds())
    [Outlier(department='Parks', dimension='c', score=1.0, median=3.0, direction='behind')]
    """
    check_unique_names(department.name for department in departments)
    found = []
    for dimension in bank.dimension_ids:
        column = _column(departments, "scores", dimension)
        if len(column) < 2:
            continue
        middle = median(score for _, score in column)
        for name, score in column:
            direction = _direction(score, middle, thresholds.outlier_distance)
            if direction:
                found.append(Outlier(name, dimension, score, middle, direction))
    order = {dimension: i for i, dimension in enumerate(bank.dimension_ids)}
    return sorted(
        found,
        key=lambda o: (-abs(o.score - o.median), order[o.dimension], name_order(o.department)),
    )


def within_department_disagreements(
    bank: QuestionBank, departments: Sequence[DepartmentScores], thresholds: Thresholds
) -> list[Disagreement]:
    """Dimensions on which a department's respondents spread by the threshold.

    Only departments with at least two respondents count, and only dimensions
    on which at least two of them have a score.  Largest spread first, then
    department name, then bank dimension order.

    >>> from assessment.core.scoring import DepartmentInput, _example_bank, score_department
    >>> bank = _example_bank()
    >>> parks = DepartmentInput("Parks", None, ({"a1": 1, "b1": 2}, {"a1": 5, "b1": 3}))
    >>> within_department_disagreements(bank, [score_department(bank, parks)], Thresholds())
    [Disagreement(department='Parks', dimension='a', spread=4.0)]
    """
    check_unique_names(department.name for department in departments)
    found = []
    for department in departments:
        if department.respondents < 2:
            continue
        for dimension in bank.dimension_ids:
            values = [
                score
                for respondent in department.respondent_scores
                if (score := _get(respondent, dimension, department.name)) is not None
            ]
            if len(values) < 2:
                continue
            spread = max(values) - min(values)
            if _reaches(spread, thresholds.within_department_spread):
                found.append(Disagreement(department.name, dimension, spread))
    order = {dimension: i for i, dimension in enumerate(bank.dimension_ids)}
    return sorted(
        found, key=lambda d: (-d.spread, name_order(d.department), order[d.dimension])
    )


def target_gaps(
    organisation: OrganisationScores, targets: Mapping[str, float]
) -> dict[str, float | None]:
    """``target - organisation score`` for each dimension that has a target.

    ``None`` where the organisation has no score; no targets give ``{}``.  A
    target outside 1..5, or naming an unknown dimension, raises
    :class:`ScoringError`.

    >>> from assessment.core.scoring import OrganisationScores
    >>> organisation = OrganisationScores({"a": 2.5, "b": None, "c": 4.0}, {}, {}, {}, 2)
    >>> target_gaps(organisation, {"a": 4, "b": 3})
    {'a': 1.5, 'b': None}
    """
    _check_targets(organisation.scores, targets)
    return {
        dimension: None if score is None else targets[dimension] - score
        for dimension, score in organisation.scores.items()
        if dimension in targets
    }


def _check_targets(scores: Mapping[str, float | None], targets: Mapping[str, float]) -> None:
    unknown = sorted(set(targets) - set(scores))
    if unknown:
        raise ScoringError(f"targets name unknown dimensions: {', '.join(map(repr, unknown))}")
    for dimension, target in targets.items():
        number = isinstance(target, (int, float)) and not isinstance(target, bool)
        if not (number and 1 <= target <= 5):
            raise ScoringError(
                f"the target of {dimension!r} must be a level from 1 to 5, not {target!r}"
            )


def _reaches(spread: float, threshold: float) -> bool:
    """True when ``spread`` reaches ``threshold``, allowing the tolerance both ways."""
    return spread > TOLERANCE and spread >= threshold - TOLERANCE


def _direction(score: float, middle: float, distance: float) -> str | None:
    if _reaches(middle - score, distance):
        return "behind"
    if _reaches(score - middle, distance):
        return "ahead"
    return None


def _spread_flag(
    kind: str, dimension: str, question_id: str | None, column: _Column, threshold: float
) -> Inconsistency | None:
    if len(column) < 2:
        return None
    values = [score for _, score in column]
    low, high = min(values), max(values)
    if not _reaches(high - low, threshold):
        return None
    lowest, highest = _names_at(column, low), _names_at(column, high)
    return Inconsistency(kind, dimension, question_id, high - low, pstdev(values), lowest, highest)


def _names_at(column: _Column, value: float) -> tuple[str, ...]:
    names = (name for name, score in column if abs(score - value) <= TOLERANCE)
    return tuple(sorted(names, key=name_order))


def _column(departments: Sequence[DepartmentScores], attribute: str, key: str) -> _Column:
    return [
        (department.name, score)
        for department in departments
        if (score := _get(getattr(department, attribute), key, department.name)) is not None
    ]


def _get(scores: Mapping[str, float | None], key: str, department: str) -> float | None:
    try:
        return scores[key]
    except KeyError:
        raise ScoringError(
            f"department {department!r} has no score for {key!r}: "
            "was it scored with another question bank?"
        ) from None
