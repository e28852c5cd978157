"""Round results to plain JSON values and back, exactly, for the results store.

Public names:

- :func:`results_to_dict` and :func:`results_from_dict`: a
  :class:`~assessment.core.analysis.RoundResults` as JSON-ready lists and
  dicts, and back to an equal one (same dict key order, same tuples, same
  floats: JSON keeps a float's shortest repr exactly).
- :func:`summary_to_dict` and :func:`summary_from_dict`: only what the trend
  between rounds reads (the organisation's and each department's dimension
  scores), small enough to read for several earlier rounds on every page.
- :data:`FORMAT`: the version of both layouts.

Why compact: a 10,000-department round has 10,000 copies of the same
question and dimension ids in its score mappings.  Every mapping is written as
``[keys, values]`` where ``keys`` indexes a table of the key lists met (a
round has a handful), so each id is written once.

>>> from assessment.core.analysis import analyse_round
>>> from assessment.core.scoring import DepartmentInput, _example_bank
>>> results = analyse_round(_example_bank(), [
...     DepartmentInput("Parks", None, ({"a1": 2, "b1": 4},))], targets={"a": 3})
>>> results_from_dict(results_to_dict(results)) == results
True
>>> summary_from_dict(summary_to_dict(results)).departments[0].scores
{'a': 2.0, 'b': 4.0, 'c': None}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .analysis import RoundResults
from .consistency import Disagreement, Inconsistency, Outlier
from .errors import AssessmentError
from .scoring import DepartmentScores, OrganisationScores, level_reached

__all__ = ["FORMAT", "SerialiseError", "results_from_dict", "results_to_dict",
           "summary_from_dict", "summary_to_dict"]

#: Bump when the layout, or what the analysis computes, changes: stored results
#: of another format are computed again rather than read.
FORMAT = 1


class SerialiseError(AssessmentError):
    """Stored results are not in the layout this version writes."""


class _KeyTable:
    """The distinct key lists of a round's mappings, each written once."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], int] = {}

    def mapping(self, values: Mapping[str, Any]) -> list[Any]:
        keys = tuple(values)
        number = self.index.setdefault(keys, len(self.index))
        return [number, list(values.values())]

    def lists(self) -> list[list[str]]:
        return [list(keys) for keys in self.index]


def _mapping(table: list[list[str]], written: list[Any]) -> dict[str, Any]:
    number, values = written
    return dict(zip(table[number], values, strict=True))


def _department(keys: _KeyTable, department: DepartmentScores) -> list[Any]:
    return [department.name, department.directorate, department.respondents,
            keys.mapping(department.scores), keys.mapping(department.levels),
            keys.mapping(department.dont_know_rate), keys.mapping(department.question_scores),
            [keys.mapping(scores) for scores in department.respondent_scores]]


def _department_from(table: list[list[str]], written: list[Any]) -> DepartmentScores:
    name, directorate, respondents, scores, levels, rates, questions, by_respondent = written
    return DepartmentScores(
        name=name, directorate=directorate, respondents=respondents,
        scores=_mapping(table, scores), levels=_mapping(table, levels),
        dont_know_rate=_mapping(table, rates), question_scores=_mapping(table, questions),
        respondent_scores=tuple(_mapping(table, scores) for scores in by_respondent),
    )


def _organisation(keys: _KeyTable, organisation: OrganisationScores) -> list[Any]:
    return [keys.mapping(organisation.scores), keys.mapping(organisation.median),
            keys.mapping(organisation.min), keys.mapping(organisation.max),
            organisation.departments_scored]


def _organisation_from(table: list[list[str]], written: list[Any]) -> OrganisationScores:
    scores, middle, lowest, highest, scored = written
    return OrganisationScores(_mapping(table, scores), _mapping(table, middle),
                              _mapping(table, lowest), _mapping(table, highest), scored)


def _check_format(data: Mapping[str, Any], kind: str) -> None:
    if data.get("format") != FORMAT or data.get("kind") != kind:
        raise SerialiseError(f"stored {kind} are not in format {FORMAT}")


def results_to_dict(results: RoundResults) -> dict[str, Any]:
    """``results`` as JSON-ready values (see the module docstring)."""
    keys = _KeyTable()
    departments = [_department(keys, department) for department in results.departments]
    organisation = _organisation(keys, results.organisation)
    return {
        "format": FORMAT, "kind": "results",
        "departments": departments, "organisation": organisation,
        "targets": keys.mapping(results.targets), "gaps": keys.mapping(results.gaps),
        "inconsistencies": [[f.kind, f.dimension, f.question_id, f.spread, f.std_dev,
                             list(f.lowest), list(f.highest)] for f in results.inconsistencies],
        "outliers": [[o.department, o.dimension, o.score, o.median, o.direction]
                     for o in results.outliers],
        "within_department": [[d.department, d.dimension, d.spread]
                              for d in results.within_department],
        "keys": keys.lists(),
    }


def results_from_dict(data: Mapping[str, Any]) -> RoundResults:
    """The results :func:`results_to_dict` wrote; :class:`SerialiseError` for another format."""
    _check_format(data, "results")
    table = data["keys"]
    return RoundResults(
        departments=tuple(_department_from(table, written) for written in data["departments"]),
        organisation=_organisation_from(table, data["organisation"]),
        targets=_mapping(table, data["targets"]),
        gaps=_mapping(table, data["gaps"]),
        inconsistencies=tuple(
            Inconsistency(kind, dimension, question, spread, std_dev, tuple(low), tuple(high))
            for kind, dimension, question, spread, std_dev, low, high in data["inconsistencies"]),
        outliers=tuple(Outlier(*written) for written in data["outliers"]),
        within_department=tuple(Disagreement(*written) for written in data["within_department"]),
    )


def summary_to_dict(results: RoundResults) -> dict[str, Any]:
    """What the trend reads of ``results``: organisation and department dimension scores."""
    keys = _KeyTable()
    departments = [[d.name, d.directorate, d.respondents, keys.mapping(d.scores)]
                   for d in results.departments]
    return {"format": FORMAT, "kind": "summary", "departments": departments,
            "organisation": _organisation(keys, results.organisation), "keys": keys.lists()}


def summary_from_dict(data: Mapping[str, Any]) -> RoundResults:
    """Results holding only what :func:`summary_to_dict` wrote.

    Department levels follow from the scores; don't-know rates are ``None``;
    question and respondent scores, targets and every check are empty.  Only for the
    trend (:mod:`assessment.core.trend`), which reads nothing else.
    """
    _check_format(data, "summary")
    table = data["keys"]
    departments = []
    for name, directorate, respondents, written in data["departments"]:
        scores = _mapping(table, written)
        departments.append(DepartmentScores(
            name, directorate, respondents, scores,
            {dimension: level_reached(score) for dimension, score in scores.items()},
            dict.fromkeys(scores), {}, ()))
    return RoundResults(tuple(departments), _organisation_from(table, data["organisation"]),
                        {}, {}, (), (), ())
