"""A whole round analysed in one call: scores, flags, outliers and gaps.

Public names:

- :func:`analyse_round`: score every department, the organisation, and run
  every check of :mod:`assessment.core.consistency`.
- :class:`RoundResults`: what it returns, in a stable order that never depends
  on the order of the departments given.

An empty round (no departments) gives ``None`` scores and no flags.

>>> from assessment.core.scoring import DepartmentInput, _example_bank
>>> bank = _example_bank()
>>> results = analyse_round(bank, [
...     DepartmentInput("roads", None, ({"a1": 4, "b1": 2, "c1": 3},)),
...     DepartmentInput("Parks", "Place", ({"a1": 1, "b1": 2, "c1": 3},)),
... ], targets={"a": 4})
>>> [d.name for d in results.departments], results.organisation.scores
(['Parks', 'roads'], {'a': 2.5, 'b': 2.0, 'c': 3.0})
>>> results.gaps, [(f.kind, f.dimension, f.spread) for f in results.inconsistencies]
({'a': 1.5}, [('dimension', 'a', 3.0), ('question', 'a', 3.0)])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .bank import QuestionBank
from .consistency import (
    DEFAULT_THRESHOLDS,
    Disagreement,
    Inconsistency,
    Outlier,
    Thresholds,
    dimension_inconsistencies,
    find_outliers,
    name_order,
    question_inconsistencies,
    target_gaps,
    within_department_disagreements,
)
from .scoring import (
    DepartmentInput,
    DepartmentScores,
    OrganisationScores,
    check_unique_names,
    score_department,
    score_organisation,
)

__all__ = ["RoundResults", "analyse_round"]


@dataclass(frozen=True)
class RoundResults:
    """Everything the results pages, API and workbook show about a round.

    Departments are sorted by name (case-insensitive first); inconsistencies
    largest spread first, then dimension flags before question flags, then bank
    order; outliers largest distance from the median first; within-department
    disagreements largest spread first.
    """

    departments: tuple[DepartmentScores, ...]
    organisation: OrganisationScores
    targets: dict[str, float]
    gaps: dict[str, float | None]
    inconsistencies: tuple[Inconsistency, ...]
    outliers: tuple[Outlier, ...]
    within_department: tuple[Disagreement, ...]


def analyse_round(
    bank: QuestionBank,
    departments: Sequence[DepartmentInput],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    targets: Mapping[str, float] | None = None,
) -> RoundResults:
    """Score a round's submitted responses and run every consistency check.

    Raises :class:`ScoringError` for repeated department names, answers to
    unknown questions, or targets outside 1..5 or naming unknown dimensions.
    Targets are kept in bank dimension order.  See the module docstring for an
    example.
    """
    check_unique_names(department.name for department in departments)
    ordered = sorted(departments, key=lambda department: name_order(department.name))
    scored = tuple(score_department(bank, department) for department in ordered)
    organisation = score_organisation(bank, scored)
    wanted = dict(targets or {})
    gaps = target_gaps(organisation, wanted)
    flags = dimension_inconsistencies(bank, scored, thresholds) + question_inconsistencies(
        bank, scored, thresholds
    )
    return RoundResults(
        departments=scored,
        organisation=organisation,
        targets={d: float(wanted[d]) for d in bank.dimension_ids if d in wanted},
        gaps=gaps,
        inconsistencies=tuple(sorted(flags, key=_inconsistency_order(bank))),
        outliers=tuple(find_outliers(bank, scored, thresholds)),
        within_department=tuple(within_department_disagreements(bank, scored, thresholds)),
    )


def _inconsistency_order(
    bank: QuestionBank,
) -> Callable[[Inconsistency], tuple[float, int, int, int]]:
    dimensions = {dimension: i for i, dimension in enumerate(bank.dimension_ids)}
    questions = {question.id: i for i, question in enumerate(bank.questions)}

    def key(flag: Inconsistency) -> tuple[float, int, int, int]:
        question = -1 if flag.question_id is None else questions[flag.question_id]
        kind = 0 if flag.kind == "dimension" else 1
        return (-flag.spread, kind, dimensions[flag.dimension], question)

    return key
