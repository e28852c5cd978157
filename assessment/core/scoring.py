"""Scoring: answers to respondent, department and organisation scores.

The rules are those of docs/specification.md section 4.  Only level answers (1 to 5) are
scored; ``dont_know``, ``not_applicable`` and absent answers are left out of
every mean.  Callers pass submitted responses only.

Public names:

- :data:`TOLERANCE`: the floating-point allowance of every floor and threshold.
- :func:`level_reached`: the level a score has reached (``floor`` with tolerance).
- :func:`respondent_dimension_scores`: one respondent's weighted mean per dimension.
- :class:`DepartmentInput`, :func:`score_department` and :class:`DepartmentScores`.
- :func:`score_organisation` and :class:`OrganisationScores`: mean, median, min
  and max of the department scores, each department counting once.
- :func:`check_unique_names`: department names must not repeat.

Empty input is never an error: a score is ``None`` wherever nothing was scored
(a department with no responses, a dimension answered only ``dont_know`` ...).

>>> bank = _example_bank()
>>> finance = DepartmentInput("Finance", None, ({"a1": 2, "a2": 4, "b1": "dont_know"},))
>>> scores = score_department(bank, finance)
>>> scores.scores
{'a': 3.5, 'b': None, 'c': None}
>>> score_organisation(bank, [scores]).scores["a"]
3.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, median

from .answers import DONT_KNOW, NOT_APPLICABLE, AnswerValue, is_level
from .bank import LEVELS, Dimension, Level, Question, QuestionBank, Text
from .errors import AnswerError, ScoringError

__all__ = [
    "TOLERANCE",
    "DepartmentInput",
    "DepartmentScores",
    "OrganisationScores",
    "check_unique_names",
    "level_reached",
    "respondent_dimension_scores",
    "score_department",
    "score_organisation",
    "score_text",
    "shown_score",
]

#: Scores and spreads within this of a boundary count as reaching it.
TOLERANCE = 1e-9

# question id -> (dimension id, weight), built once per call.
_Index = dict[str, tuple[str, float]]


@dataclass(frozen=True)
class DepartmentInput:
    """A department's submitted responses: question id -> answer value each.

    An unanswered question is absent from a response (``None`` is read the same).
    """

    name: str
    directorate: str | None
    responses: tuple[Mapping[str, AnswerValue], ...]


@dataclass(frozen=True)
class DepartmentScores:
    """The scores of one department; every dimension and question is a key."""

    name: str
    directorate: str | None
    respondents: int
    scores: dict[str, float | None]
    levels: dict[str, int | None]
    dont_know_rate: dict[str, float | None]
    question_scores: dict[str, float | None]
    respondent_scores: tuple[dict[str, float | None], ...]


@dataclass(frozen=True)
class OrganisationScores:
    """Mean, median, min and max of department scores, per dimension."""

    scores: dict[str, float | None]
    median: dict[str, float | None]
    min: dict[str, float | None]
    max: dict[str, float | None]
    departments_scored: int


def shown_score(score: float | None) -> float | None:
    """A score as it is shown: cut (not rounded) to one decimal place.

    Rounding would show 2.95 as "3.0" beside the level it has not reached
    (Emerging, level 2); cutting keeps the number shown and its level in
    agreement on every page, chart, workbook and report. :data:`TOLERANCE`
    applies as in :func:`level_reached`.

    >>> shown_score(2.95), shown_score(3.0), shown_score(2.99999999999995), shown_score(1.25)
    (2.9, 3.0, 3.0, 1.2)
    >>> level_reached(shown_score(2.95)) == level_reached(2.95)
    True
    >>> shown_score(None) is None
    True
    """
    if score is None:
        return None
    return math.floor(score * 10 + TOLERANCE * 10) / 10


def score_text(score: float | None) -> str:
    """The one way a score is written: one decimal place, cut as :func:`shown_score`.

    >>> score_text(2.95), score_text(4), score_text(None)
    ('2.9', '4.0', '–')
    """
    shown = shown_score(score)
    return "–" if shown is None else f"{shown:.1f}"


def level_reached(score: float | None) -> int | None:
    """The level a score has reached: ``floor(score)``, allowing :data:`TOLERANCE`.

    A score within 1e-9 below a whole number has reached it; ``None`` (nothing
    scored) gives ``None``.

    >>> level_reached(2.9), level_reached(3.0), level_reached(2.9999999999995)
    (2, 3, 3)
    >>> level_reached(None) is None
    True
    """
    if score is None:
        return None
    return math.floor(score + TOLERANCE)


def respondent_dimension_scores(
    bank: QuestionBank, answers: Mapping[str, AnswerValue]
) -> dict[str, float | None]:
    """The weighted mean of one respondent's levels in each dimension.

    Weights come from the bank.  Every bank dimension is a key, ``None`` where
    no level was given (so an empty mapping gives all ``None``).  An unknown
    question id raises :class:`ScoringError`; a value other than 1..5,
    ``dont_know`` or ``not_applicable`` raises :class:`AnswerError`.

    >>> bank = _example_bank()  # a1 has weight 1, a2 weight 3
    >>> respondent_dimension_scores(bank, {"a1": 1, "a2": 5, "b1": "not_applicable"})
    {'a': 4.0, 'b': None, 'c': None}
    """
    return _score_respondent(bank.dimension_ids, _question_index(bank), answers)


def score_department(bank: QuestionBank, department: DepartmentInput) -> DepartmentScores:
    """Score one department from its submitted responses.

    A dimension's score is the mean of the respondents' dimension scores
    (``None`` ignored), a question's score the mean of the levels given to it,
    and the don't-know rate the share of ``dont_know`` among all answers given
    in the dimension.  With no responses every score and rate is ``None``.

    >>> bank = _example_bank()
    >>> parks = DepartmentInput("Parks", None, ({"a1": 1, "c1": 2}, {"a1": 3, "c1": "dont_know"}))
    >>> scores = score_department(bank, parks)
    >>> scores.scores, scores.levels["a"], scores.dont_know_rate["c"]
    ({'a': 2.0, 'b': None, 'c': 2.0}, 2, 0.5)
    """
    index = _question_index(bank)
    tally = _Tally(bank)
    respondent_scores = tuple(
        _score_respondent(bank.dimension_ids, index, answers, tally)
        for answers in department.responses
    )
    scores = {
        dimension: _mean_or_none(s[dimension] for s in respondent_scores)
        for dimension in bank.dimension_ids
    }
    return DepartmentScores(
        name=department.name,
        directorate=department.directorate,
        respondents=len(respondent_scores),
        scores=scores,
        levels={dimension: level_reached(score) for dimension, score in scores.items()},
        dont_know_rate=tally.dont_know_rates(),
        question_scores={
            question_id: _mean_or_none(levels)
            for question_id, levels in tally.question_levels.items()
        },
        respondent_scores=respondent_scores,
    )


def score_organisation(
    bank: QuestionBank, departments: Sequence[DepartmentScores]
) -> OrganisationScores:
    """Combine department scores, each department counting once.

    For each dimension: the mean, median, min and max of the department scores
    that are not ``None``; all ``None`` when no department is scored on it (or
    ``departments`` is empty).  Repeated department names, or a department
    lacking a bank dimension, raise :class:`ScoringError`.

    >>> bank = _example_bank()
    >>> one = DepartmentInput("One", None, ({"a1": 1},))
    >>> many = DepartmentInput("Many", None, ({"a1": 4},) * 3)
    >>> organisation = score_organisation(
    ...     bank, [score_department(bank, one), score_department(bank, many)])
    >>> organisation.scores["a"], organisation.max["a"], organisation.departments_scored
    (2.5, 4.0, 2)
    """
    check_unique_names(department.name for department in departments)
    columns = {
        dimension: [s for s in (_score_of(d, dimension) for d in departments) if s is not None]
        for dimension in bank.dimension_ids
    }
    return OrganisationScores(
        scores={d: fmean(values) if values else None for d, values in columns.items()},
        median={d: median(values) if values else None for d, values in columns.items()},
        min={d: min(values) if values else None for d, values in columns.items()},
        max={d: max(values) if values else None for d, values in columns.items()},
        departments_scored=sum(
            any(_score_of(d, dimension) is not None for dimension in bank.dimension_ids)
            for d in departments
        ),
    )


def check_unique_names(names: Iterable[str]) -> None:
    """Raise :class:`ScoringError` when a department name appears twice.

    >>> check_unique_names(["Finance", "Parks"])
    >>> check_unique_names(["Finance", "Parks", "Finance"])
    Traceback (most recent call last):
    ...
    assessment.core.errors.ScoringError: department names must be unique: 'Finance' repeats
    """
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ScoringError(f"department names must be unique: {name!r} repeats")
        seen.add(name)


class _Tally:
    """One department's answers counted as they are scored (private, mutable)."""

    def __init__(self, bank: QuestionBank) -> None:
        self.question_levels: dict[str, list[int]] = {q.id: [] for q in bank.questions}
        self.given = dict.fromkeys(bank.dimension_ids, 0)
        self.dont_know = dict.fromkeys(bank.dimension_ids, 0)

    def add(self, question_id: str, dimension: str, value: AnswerValue, scored: bool) -> None:
        self.given[dimension] += 1
        if scored:
            self.question_levels[question_id].append(value)
        elif value == DONT_KNOW:
            self.dont_know[dimension] += 1

    def dont_know_rates(self) -> dict[str, float | None]:
        return {
            dimension: self.dont_know[dimension] / given if given else None
            for dimension, given in self.given.items()
        }


def _question_index(bank: QuestionBank) -> _Index:
    return {question.id: (question.dimension, question.weight) for question in bank.questions}


def _score_respondent(
    dimension_ids: tuple[str, ...],
    index: _Index,
    answers: Mapping[str, AnswerValue],
    tally: _Tally | None = None,
) -> dict[str, float | None]:
    levels: dict[str, list[int]] = {dimension: [] for dimension in dimension_ids}
    weights: dict[str, list[float]] = {dimension: [] for dimension in dimension_ids}
    for question_id, value in answers.items():
        if question_id not in index:
            raise ScoringError(f"an answer names unknown question {question_id!r}")
        dimension, weight = index[question_id]
        if value is None:
            continue
        scored = is_level(value)
        if scored:
            levels[dimension].append(value)
            weights[dimension].append(weight)
        elif value != DONT_KNOW and value != NOT_APPLICABLE:
            raise AnswerError(
                f"question {question_id!r} has answer {value!r}: "
                f"use 1 to 5, {DONT_KNOW} or {NOT_APPLICABLE}"
            )
        if tally is not None:
            tally.add(question_id, dimension, value, scored)
    return {d: _weighted_mean(levels[d], weights[d]) for d in dimension_ids}


def _weighted_mean(levels: list[int], weights: list[float]) -> float | None:
    """``fmean`` with weights, kept within the levels' range.

    Rounding of non-integer weights can put the mean of all-3 answers at
    2.9999999999999996; clamping keeps it at exactly 3.0.
    """
    if not levels:
        return None
    return min(max(fmean(levels, weights), min(levels)), max(levels))


def _mean_or_none(values: Iterable[float | None]) -> float | None:
    scored = [value for value in values if value is not None]
    return fmean(scored) if scored else None


def _score_of(department: DepartmentScores, dimension: str) -> float | None:
    try:
        return department.scores[dimension]
    except KeyError:
        raise ScoringError(
            f"department {department.name!r} has no score for dimension {dimension!r}: "
            "was it scored with another question bank?"
        ) from None


def _example_bank() -> QuestionBank:
    """The bank of this package's examples: a1 (weight 1), a2 (weight 3), b1, c1."""

    def question(question_id: str, weight: float = 1.0) -> Question:
        descriptors = tuple(Text(f"{question_id} at level {n}") for n in LEVELS)
        return Question(question_id, question_id[0], Text(question_id), descriptors, weight=weight)

    questions = {"a": (question("a1"), question("a2", 3.0)), "b": (question("b1"),),
                 "c": (question("c1"),)}
    return QuestionBank(
        id="example",
        version="1",
        languages=("en",),
        scale=tuple(Level(n, Text(f"Level {n}"), Text("")) for n in LEVELS),
        dimensions=tuple(Dimension(d, Text(d), Text(""), qs) for d, qs in questions.items()),
    )
