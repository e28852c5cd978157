"""The Gaps sheet: every flag of CONTRACT section 5, with the level descriptors
that differ, so a workshop can argue about what the two ends actually do.

For a question, the descriptors are the question's own; for a dimension, the
scale's level names and meanings.  Every score comes from the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from openpyxl.workbook import Workbook

from ..core.scoring import level_reached
from .content import WorkbookContent
from .layout import header, new_sheet, number, text, wrapped
from .naming import Names


@dataclass(frozen=True)
class End:
    """One end of a gap: who, their score, and what the level they reached means."""

    who: str
    score: float | None
    level: int | None = None
    descriptor: str | None = None


@dataclass(frozen=True)
class GapRow:
    flag: str
    dimension: str
    question_id: str | None
    size: float | None
    std_dev: float | None
    lower: End
    higher: End


class _Describer:
    """Fills in the level and its descriptor for a score on a dimension or question."""

    def __init__(self, content: WorkbookContent) -> None:
        self.bank, self.language = content.analysis.bank, content.language

    def end(self, who: str, score: float | None, question_id: str | None = None) -> End:
        level = level_reached(score)
        if level is None:
            return End(who, score)
        if question_id is not None:
            descriptor = self.bank.question(question_id).descriptor(level).get(self.language)
        else:
            scale = self.bank.scale[level - 1]
            descriptor = f"{scale.name.get(self.language)}: {scale.meaning.get(self.language)}"
        return End(who, score, level, descriptor)


def gap_rows(content: WorkbookContent, names: Names) -> list[GapRow]:
    """Inconsistencies, outliers, disagreements within departments, then target gaps."""
    describe = _Describer(content)
    return [
        *_inconsistencies(content, names, describe),
        *_outliers(content, names, describe),
        *_disagreements(content, names, describe),
        *_target_gaps(content, describe),
    ]


def _inconsistencies(content: WorkbookContent, names: Names, describe: _Describer) -> list[GapRow]:
    departments = {d["name"]: d for d in content.document["departments"]}
    rows = []
    for flag in content.document["inconsistencies"]:
        question = flag["question_id"]
        if question is None:
            label = _("Departments differ on this dimension")
            scores = [departments[n]["scores"][flag["dimension"]] for n in flag["lowest"]
                      + flag["highest"]]
        else:
            label = _("Departments differ on this question")
            scores = [departments[n]["question_scores"][question] for n in flag["lowest"]
                      + flag["highest"]]
        low, high = scores[0], scores[-1]
        rows.append(GapRow(
            label, flag["dimension"], question, flag["spread"], flag["std_dev"],
            describe.end(names.departments(flag["lowest"]), low, question),
            describe.end(names.departments(flag["highest"]), high, question),
        ))
    return rows


def _outliers(content: WorkbookContent, names: Names, describe: _Describer) -> list[GapRow]:
    rows = []
    for outlier in content.document["outliers"]:
        department = describe.end(names.department(outlier["department"]), outlier["score"])
        median = describe.end(_("Median of departments"), outlier["median"])
        if outlier["direction"] == "behind":
            rows.append(GapRow(_("Department behind the others"), outlier["dimension"], None,
                               None, None, department, median))
        else:
            rows.append(GapRow(_("Department ahead of the others"), outlier["dimension"], None,
                               None, None, median, department))
    return rows


def _disagreements(content: WorkbookContent, names: Names, describe: _Describer) -> list[GapRow]:
    scored = {d.name: d for d in content.analysis.results.departments}
    rows = []
    for item in content.document["within_department"]:
        dimension = item["dimension"]
        scores = [s[dimension] for s in scored[item["department"]].respondent_scores
                  if s[dimension] is not None]
        department = names.department(item["department"])
        rows.append(GapRow(
            _("Respondents of one department disagree"), dimension, None, item["spread"], None,
            describe.end(_("%(department)s: lowest respondent", department=department),
                         min(scores)),
            describe.end(_("%(department)s: highest respondent", department=department),
                         max(scores)),
        ))
    return rows


def _target_gaps(content: WorkbookContent, describe: _Describer) -> list[GapRow]:
    organisation = content.document["organisation"]
    rows = []
    for dimension, gap in content.analysis.results.gaps.items():
        if gap is None:
            continue
        rows.append(GapRow(
            _("Gap to the target"), dimension, None, gap, None,
            describe.end(_("Organisation"), organisation["scores"][dimension]),
            describe.end(_("Target"), organisation["targets"][dimension]),
        ))
    return rows


def add_gaps(workbook: Workbook, content: WorkbookContent, names: Names) -> None:
    dimension_names = {d["id"]: d["name"] for d in content.document["dimensions"]}
    bank, language = content.analysis.bank, content.language
    sheet = new_sheet(workbook, "Gaps", (28, 18, 20, 40, 10, 10,
                                         24, 9, 8, 40, 24, 9, 8, 40), freeze="B2")
    sheet.append(header(sheet, [
        _("Flag"), _("Dimension"), _("Question ID"), _("Question"), _("Spread or gap"),
        _("Standard deviation"), _("Lower"), _("Score"), _("Level"), _("What the lower level means"),
        _("Higher"), _("Score"), _("Level"), _("What the higher level means"),
    ]))
    for row in gap_rows(content, names):
        question = bank.question(row.question_id).text.get(language) if row.question_id else None
        sheet.append([
            wrapped(sheet, row.flag), text(sheet, dimension_names[row.dimension]),
            text(sheet, row.question_id), wrapped(sheet, question),
            number(sheet, row.size), number(sheet, row.std_dev),
            *_end_cells(sheet, row.lower), *_end_cells(sheet, row.higher),
        ])


def _end_cells(sheet: Any, end: End) -> list[Any]:
    return [wrapped(sheet, end.who), number(sheet, end.score), end.level,
            wrapped(sheet, end.descriptor)]
