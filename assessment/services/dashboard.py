"""View-models of the results pages: a round's analysis -> what templates show.

Formatting only.  Every number comes from ``assessment.core`` through
:func:`assessment.services.results.analyse`; here numbers become one-decimal
text, level names, sorted heatmap rows, plain sentences and the response
tracker.  Chart inputs and tables are in :mod:`.dashboard_charts`, the action
plan in :mod:`.dashboard_plan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import ngettext

from ..core.analysis import RoundResults
from ..core.bank import QuestionBank
from ..core.consistency import Disagreement, Inconsistency, Outlier, name_order
from ..core.plan import largest_differences
from ..core.scoring import TOLERANCE, DepartmentScores, level_reached
from ..models import Round
from ..queries.results import RoundDepartment
from .results import RoundAnalysis

SORT_ORDERS = ("asc", "desc")
DEPARTMENT_COLUMN = "department"
DIRECTORATE_COLUMN = "directorate"


@dataclass(frozen=True)
class RoundView:
    """A round's analysis, its departments' ids and the reader's language."""

    analysis: RoundAnalysis
    departments: tuple[RoundDepartment, ...]
    language: str

    @property
    def round(self) -> Round:
        return self.analysis.round

    @property
    def bank(self) -> QuestionBank:
        return self.analysis.bank

    @property
    def results(self) -> RoundResults:
        return self.analysis.results

    @cached_property
    def ids(self) -> dict[str, int]:
        return {d.name: d.id for d in self.departments}

    @cached_property
    def scored(self) -> dict[str, DepartmentScores]:
        return {d.name: d for d in self.results.departments}

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return self.bank.dimension_ids

    def dimension_name(self, dimension_id: str) -> str:
        return self.bank.dimension(dimension_id).name.get(self.language)

    @property
    def dimension_names(self) -> list[str]:
        return [d.name.get(self.language) for d in self.bank.dimensions]

    def level_name(self, level: int | None) -> str:
        return "" if level is None else self.bank.level_name(level).get(self.language)

    def question_text(self, question_id: str) -> str:
        return self.bank.question(question_id).text.get(self.language)

    def has_directorates(self) -> bool:
        return any(d.directorate for d in self.departments)


def score_text(score: float | None) -> str:
    """One decimal place, as CONTRACT section 8 says pages show; a dash when unscored."""
    return "–" if score is None else f"{score:.1f}"


def rate_text(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


def names_text(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C' (GOV.UK style: no serial comma)."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def score_and_level(view: RoundView, score: float | None) -> str:
    """'2.5, Emerging', or 'not scored'."""
    if score is None:
        return _("not scored")
    return f"{score_text(score)}, {view.level_name(level_reached(score))}"


# --- heatmap ---------------------------------------------------------------------------


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
    rows = [
        HeatRow(view.ids.get(d.name), d.name, d.directorate,
                tuple(cell(view, d.scores[dimension]) for dimension in view.dimension_ids))
        for d in view.results.departments
    ]
    rows.sort(key=lambda row: name_order(row.name), reverse=order == "desc")
    if sort == DIRECTORATE_COLUMN:
        rows.sort(key=lambda row: name_order(row.directorate or ""), reverse=order == "desc")
    elif sort != DEPARTMENT_COLUMN:
        index = view.dimension_ids.index(sort)
        scored = [row for row in rows if row.cells[index].score is not None]
        scored.sort(key=lambda row: row.cells[index].score or 0.0, reverse=order == "desc")
        rows = scored + [row for row in rows if row.cells[index].score is None]
    columns = ((DEPARTMENT_COLUMN, _("Department")),
               *((DIRECTORATE_COLUMN, _("Directorate")),) * view.has_directorates(),
               *zip(view.dimension_ids, view.dimension_names, strict=True))
    return Heatmap(tuple(columns), tuple(rows), sort, order,
                   _by_directorate(rows) if grouped else ())


def _by_directorate(rows: list[HeatRow]) -> tuple[tuple[str, tuple[HeatRow, ...]], ...]:
    names = sorted({row.directorate or "" for row in rows}, key=lambda n: (n == "", name_order(n)))
    return tuple(
        (name or _("No directorate"), tuple(row for row in rows if (row.directorate or "") == name))
        for name in names
    )


# --- gaps ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Descriptor:
    """What the departments' levels mean on one question: (who, descriptor) pairs."""

    question: str
    levels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Gap:
    """One flag of CONTRACT section 5 as a plain sentence, and whom it names."""

    kind: str
    sentence: str
    dimension: str
    departments: tuple[str, ...]
    descriptors: tuple[Descriptor, ...] = ()
    # The question flags of an inconsistent dimension, under its own flag.
    questions: tuple[Gap, ...] = ()

    def names(self) -> set[str]:
        """Every department this flag and its question flags name."""
        return set(self.departments).union(*(q.departments for q in self.questions))


def gap_list(view: RoundView) -> list[Gap]:
    """Every flag: inconsistent dimensions (with their questions), inconsistent
    questions of other dimensions, behind and ahead, disagreement, target gaps.

    Each kind keeps the core's order (largest first); kinds follow in that order.
    """
    results = view.results
    dimensions = [f for f in results.inconsistencies if f.kind == "dimension"]
    flagged = {f.dimension for f in dimensions}
    questions = [_inconsistency_gap(view, f) for f in results.inconsistencies if f.kind == "question"]
    return [
        *(replace(_inconsistency_gap(view, flag),
                  questions=tuple(q for q in questions if q.dimension == flag.dimension))
          for flag in dimensions),
        *(q for q in questions if q.dimension not in flagged),
        *(_outlier_gap(view, outlier) for outlier in results.outliers),
        *(_disagreement_gap(view, item) for item in results.within_department),
        *_target_gaps(view),
    ]


def every_gap(gaps: Sequence[Gap]) -> list[Gap]:
    """The gaps with the question flags nested in them, as one flat list."""
    return [flag for gap in gaps for flag in (gap, *gap.questions)]


def gaps_by_directorate(view: RoundView, gaps: list[Gap]) -> list[tuple[str, list[Gap]]]:
    """The gaps naming each directorate's departments; the rest under the organisation."""
    directorates = {d.name: d.directorate for d in view.departments}
    names = sorted({d for d in directorates.values() if d}, key=name_order)
    groups = [(name, [g for g in gaps if any(directorates.get(d) == name for d in g.names())])
              for name in names]
    unplaced = [g for g in gaps if not any(directorates.get(d) for d in g.names())]
    return [(name, items) for name, items in groups if items] + (
        [(_("Whole organisation and departments without a directorate"), unplaced)] if unplaced else []
    )


def _at(view: RoundView, names: Sequence[str], score: float, first: bool) -> str:
    if first:
        return ngettext("%(names)s is at %(score)s", "%(names)s are at %(score)s", len(names),
                        names=names_text(names), score=score_and_level(view, score))
    return _("%(names)s at %(score)s", names=names_text(names), score=score_and_level(view, score))


def _inconsistency_gap(view: RoundView, flag: Inconsistency) -> Gap:
    low_scores = view.scored[flag.lowest[0]]
    high_scores = view.scored[flag.highest[0]]
    key, dimension = flag.question_id, flag.dimension
    low = (low_scores.question_scores if key else low_scores.scores)[key or dimension]
    high = (high_scores.question_scores if key else high_scores.scores)[key or dimension]
    where = _("%(dimension)s is inconsistent", dimension=view.dimension_name(dimension)) if key is None \
        else _("Answers to “%(question)s” (%(dimension)s) are inconsistent",
               question=view.question_text(key), dimension=view.dimension_name(dimension))
    sentence = f"{where}: {_at(view, flag.lowest, low, True)}; {_at(view, flag.highest, high, False)}."
    if key is None:
        differences = largest_differences(view.bank, low_scores, high_scores, dimension)
        descriptors = tuple(
            descriptor(view, d.question_id, [(flag.lowest[0], d.lower_score),
                                              (flag.highest[0], d.higher_score)])
            for d in differences)
    else:
        descriptors = (descriptor(view, key, [(names_text(flag.lowest), low),
                                               (names_text(flag.highest), high)]),)
    return Gap(flag.kind, sentence, dimension, (*flag.lowest, *flag.highest), descriptors)


def descriptor(view: RoundView, question_id: str, who: list[tuple[str, float]]) -> Descriptor:
    question = view.bank.question(question_id)
    levels = []
    for name, score in who:
        level = level_reached(score) or 1
        label = _("%(name)s, level %(level)s %(level_name)s", name=name, level=level,
                  level_name=view.level_name(level))
        levels.append((label, question.descriptor(level).get(view.language)))
    return Descriptor(question.text.get(view.language), tuple(levels))


def _outlier_gap(view: RoundView, outlier: Outlier) -> Gap:
    values = {"department": outlier.department, "dimension": view.dimension_name(outlier.dimension),
              "score": score_and_level(view, outlier.score), "median": score_text(outlier.median)}
    if outlier.direction == "behind":
        sentence = _("%(department)s is behind on %(dimension)s: %(score)s, against a median of "
                     "%(median)s.", **values)
    else:
        sentence = _("%(department)s is ahead on %(dimension)s: %(score)s, against a median of "
                     "%(median)s.", **values)
    return Gap(outlier.direction, sentence, outlier.dimension, (outlier.department,))


def _disagreement_gap(view: RoundView, item: Disagreement) -> Gap:
    scores = [s for r in view.scored[item.department].respondent_scores
              if (s := r[item.dimension]) is not None]
    sentence = _("The respondents of %(department)s disagree on %(dimension)s: their scores range "
                 "from %(low)s to %(high)s.", department=item.department,
                 dimension=view.dimension_name(item.dimension), low=score_text(min(scores)),
                 high=score_text(max(scores)))
    return Gap("within_department", sentence, item.dimension, (item.department,))


def _target_gaps(view: RoundView) -> list[Gap]:
    found = []
    for dimension, gap in view.results.gaps.items():
        target = view.results.targets[dimension]
        name = view.dimension_name(dimension)
        if gap is None:
            sentence = _("%(dimension)s has a target of level %(target)s but no scores yet.",
                         dimension=name, target=f"{target:g}")
        elif gap > TOLERANCE:
            sentence = _("%(dimension)s is %(gap)s below its target of level %(target)s: the "
                         "organisation is at %(score)s.", dimension=name, gap=score_text(gap),
                         target=f"{target:g}",
                         score=score_and_level(view, view.results.organisation.scores[dimension]))
        else:
            continue
        found.append((-(gap or 0.0), Gap("target", sentence, dimension, ())))
    return [gap for _, gap in sorted(found, key=lambda item: item[0])]


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
