"""Every flag of a round explained once: who is lowest and highest, what their
levels mean, and the plain sentence that says it.

The results pages (dashboard, print view, department page) and the workshop
workbook render :func:`explain_flags`; none of them works a flag out again.

It lives here, beside :mod:`assessment.charts` and :mod:`assessment.workbook`
rather than in ``core``, because its sentences are translated (``core`` is the
standard library only) and rather than under ``views`` or ``services``,
because the workbook, an output writer, may not import from a layer above it.
It reads only typed core results and the question bank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import ngettext

from .core.analysis import RoundResults
from .core.bank import QuestionBank
from .core.consistency import Disagreement, Inconsistency, Outlier
from .core.plan import largest_differences
from .core.scoring import TOLERANCE, level_reached, score_text, shown_score
from .core.welsh import join_names


def shown_difference(higher: float | None, lower: float | None) -> float | None:
    """``higher - lower`` as the numbers shown beside it give it: the difference of the
    two as shown (:func:`~assessment.core.scoring.shown_score`), so a target of 3 and a
    score of 2.95 (shown 2.9) are 0.1 apart, never "0.0" (0.05 cut).  Gaps to targets,
    spreads and changes between rounds are all written this way.  ``None`` when either
    is ``None``.

    >>> shown_difference(3, 2.95), shown_difference(4, 3.37), shown_difference(3, 3.45)
    (0.1, 0.7, -0.4)
    >>> shown_difference(3, None) is None
    True
    """
    if higher is None or lower is None:
        return None
    # shown_score again drops the float noise of the subtraction (3 - 2.9 = 0.10000000000000009).
    return shown_score(shown_score(higher) - shown_score(lower))


#: How many tied departments a sentence names before it counts the rest: in a round of
#: thousands, hundreds may share the lowest score, and a sentence must stay readable.
NAMES_SHOWN = 5


def names_text(names: Sequence[str], language: str) -> str:
    """'A', 'A and B', 'A, B and C' (GOV.UK style: no serial comma; in Welsh "a" or "ac"
    by the last name); beyond :data:`NAMES_SHOWN` names, 'A, B, C, D, E and 12 other
    departments'."""
    if len(names) > NAMES_SHOWN:
        others = len(names) - NAMES_SHOWN
        return ngettext("%(names)s and %(num)s other department",
                        "%(names)s and %(num)s other departments", others,
                        names=", ".join(names[:NAMES_SHOWN]))
    return join_names(names, language)


@dataclass(frozen=True)
class Wording:
    """The question bank's text in the reader's language, and the departments' names in it
    (English name -> name shown; a name not given stays as it is)."""

    bank: QuestionBank
    language: str
    department_names: Mapping[str, str] = field(default_factory=dict)

    def department(self, name: str) -> str:
        return self.department_names.get(name, name)

    def dimension_name(self, dimension_id: str) -> str:
        return self.bank.dimension(dimension_id).name.get(self.language)

    @cached_property
    def _level_names(self) -> dict[int, str]:
        # Asked for once per heatmap cell: thousands of times on a large round's page.
        return {level.level: level.name.get(self.language) for level in self.bank.scale}

    def level_name(self, level: int | None) -> str:
        return "" if level is None else self._level_names[level]

    def question_text(self, question_id: str) -> str:
        return self.bank.question(question_id).text.get(self.language)

    def score_and_level(self, score: float | None) -> str:
        """'2.5, Emerging', or 'not scored'."""
        if score is None:
            return _("not scored")
        return f"{score_text(score)}, {self.level_name(level_reached(score))}"

    def meaning(self, score: float | None, question_id: str | None) -> tuple[int | None, str | None]:
        """The level a score reached and what it means: the question's own descriptor,
        or for a dimension the scale's level name and meaning."""
        level = level_reached(score)
        if level is None:
            return None, None
        if question_id is not None:
            return level, self.bank.question(question_id).descriptor(level).get(self.language)
        scale = self.bank.scale[level - 1]
        return level, f"{scale.name.get(self.language)}: {scale.meaning.get(self.language)}"


@dataclass(frozen=True)
class Descriptor:
    """What the departments' levels mean on one question: (who, descriptor) pairs."""

    question: str
    levels: tuple[tuple[str, str], ...]


def descriptor(wording: Wording, question_id: str, who: Sequence[tuple[str, float]]) -> Descriptor:
    question = wording.bank.question(question_id)
    levels = []
    for name, score in who:
        level = level_reached(score) or 1
        label = _("%(name)s, level %(level)s %(level_name)s", name=name, level=level,
                  level_name=wording.level_name(level))
        levels.append((label, question.descriptor(level).get(wording.language)))
    return Descriptor(question.text.get(wording.language), tuple(levels))


@dataclass(frozen=True)
class End:
    """One end of a flag: whom it names, their score, the level reached and its meaning.

    ``role`` says who stands there: ``departments`` (those named), ``median``,
    ``lowest_respondent`` / ``highest_respondent`` (of the one department named),
    ``organisation`` or ``target``.
    """

    role: str
    departments: tuple[str, ...]
    score: float | None
    level: int | None
    meaning: str | None

    def label(self, name: Callable[[str], str] = str) -> str:
        """Who stands at this end, with each department named by ``name``
        (the workbook passes its anonymising names)."""
        names = [name(department) for department in self.departments]
        if self.role == "median":
            return _("Median of departments")
        if self.role == "lowest_respondent":
            return _("%(department)s: lowest respondent", department=names[0])
        if self.role == "highest_respondent":
            return _("%(department)s: highest respondent", department=names[0])
        if self.role == "organisation":
            return _("Organisation")
        if self.role == "target":
            return _("Target")
        return ", ".join(names)


@dataclass(frozen=True)
class Flag:
    """One flag, worked out: its ends, the departments it names, its sentence.

    ``size`` is the spread of an inconsistency or a disagreement and the gap
    to a target.  ``descriptors`` are what the two ends' levels mean on the
    questions where they differ most.  A target that is met has no sentence.
    """

    kind: str
    dimension: str
    question_id: str | None
    size: float | None
    std_dev: float | None
    lower: End
    higher: End
    departments: tuple[str, ...]
    sentence: str
    descriptors: tuple[Descriptor, ...] = ()

    @property
    def shown_size(self) -> float | None:
        """``size`` as it is shown: the :func:`shown_difference` of the two ends."""
        return None if self.size is None else shown_difference(self.higher.score, self.lower.score)

    @property
    def met(self) -> bool:
        """A target the organisation has reached (within the scoring tolerance)."""
        return self.kind == "target" and self.size is not None and self.size <= TOLERANCE


def explain_flags(results: RoundResults, wording: Wording) -> list[Flag]:
    """Every flag of the round, in the core's order: inconsistencies (dimensions and
    questions), departments behind and ahead, disagreements within departments,
    then the targets of every dimension that has one."""
    explain = _Explainer(results, wording)
    return [
        *(explain.inconsistency(flag) for flag in results.inconsistencies),
        *(explain.outlier(outlier) for outlier in results.outliers),
        *(explain.disagreement(item) for item in results.within_department),
        *(explain.target(dimension) for dimension in results.gaps),
    ]


class _Explainer:
    def __init__(self, results: RoundResults, wording: Wording) -> None:
        self.results, self.words = results, wording
        self.scored = {d.name: d for d in results.departments}

    def end(self, role: str, departments: Sequence[str], score: float | None,
            question_id: str | None = None) -> End:
        level, meaning = self.words.meaning(score, question_id)
        return End(role, tuple(departments), score, level, meaning)

    def _at(self, names: Sequence[str], score: float, first: bool) -> str:
        words = self.words
        if first:
            return ngettext("%(names)s is at %(score)s", "%(names)s are at %(score)s", len(names),
                            names=self._names(names), score=words.score_and_level(score))
        return _("%(names)s at %(score)s", names=self._names(names), score=words.score_and_level(score))

    def _names(self, names: Sequence[str]) -> str:
        return names_text([self.words.department(name) for name in names], self.words.language)

    def inconsistency(self, flag: Inconsistency) -> Flag:
        words, key, dimension = self.words, flag.question_id, flag.dimension
        low_scores, high_scores = self.scored[flag.lowest[0]], self.scored[flag.highest[0]]
        low = (low_scores.question_scores if key else low_scores.scores)[key or dimension]
        high = (high_scores.question_scores if key else high_scores.scores)[key or dimension]
        where = _("%(dimension)s is inconsistent", dimension=words.dimension_name(dimension)) \
            if key is None else _("Answers to “%(question)s” (%(dimension)s) are inconsistent",
                                  question=words.question_text(key),
                                  dimension=words.dimension_name(dimension))
        sentence = f"{where}: {self._at(flag.lowest, low, True)}; {self._at(flag.highest, high, False)}."
        if key is None:
            descriptors = tuple(
                descriptor(words, d.question_id, [(words.department(flag.lowest[0]), d.lower_score),
                                                  (words.department(flag.highest[0]), d.higher_score)])
                for d in largest_differences(words.bank, low_scores, high_scores, dimension))
        else:
            descriptors = (descriptor(words, key, [(self._names(flag.lowest), low),
                                                   (self._names(flag.highest), high)]),)
        return Flag(flag.kind, dimension, key, flag.spread, flag.std_dev,
                    self.end("departments", flag.lowest, low, key),
                    self.end("departments", flag.highest, high, key),
                    (*flag.lowest, *flag.highest), sentence, descriptors)

    def outlier(self, outlier: Outlier) -> Flag:
        words = self.words
        values = {"department": words.department(outlier.department),
                  "dimension": words.dimension_name(outlier.dimension),
                  "score": words.score_and_level(outlier.score), "median": score_text(outlier.median)}
        department = self.end("departments", (outlier.department,), outlier.score)
        median = self.end("median", (), outlier.median)
        if outlier.direction == "behind":
            sentence = _("%(department)s is behind on %(dimension)s: %(score)s, against a median of "
                         "%(median)s.", **values)
            lower, higher = department, median
        else:
            sentence = _("%(department)s is ahead on %(dimension)s: %(score)s, against a median of "
                         "%(median)s.", **values)
            lower, higher = median, department
        return Flag(outlier.direction, outlier.dimension, None, None, None, lower, higher,
                    (outlier.department,), sentence)

    def disagreement(self, item: Disagreement) -> Flag:
        scores = [s for r in self.scored[item.department].respondent_scores
                  if (s := r[item.dimension]) is not None]
        sentence = _("The respondents of %(department)s disagree on %(dimension)s: their scores range "
                     "from %(low)s to %(high)s.", department=self.words.department(item.department),
                     dimension=self.words.dimension_name(item.dimension), low=score_text(min(scores)),
                     high=score_text(max(scores)))
        return Flag("within_department", item.dimension, None, item.spread, None,
                    self.end("lowest_respondent", (item.department,), min(scores)),
                    self.end("highest_respondent", (item.department,), max(scores)),
                    (item.department,), sentence)

    def target(self, dimension: str) -> Flag:
        words, gap = self.words, self.results.gaps[dimension]
        target = self.results.targets[dimension]
        score = self.results.organisation.scores[dimension]
        name = words.dimension_name(dimension)
        if gap is None:
            sentence = _("%(dimension)s has a target of level %(target)s but no scores yet.",
                         dimension=name, target=f"{target:g}")
        elif gap > TOLERANCE:
            sentence = _("%(dimension)s is %(gap)s below its target of level %(target)s: the "
                         "organisation is at %(score)s.", dimension=name,
                         gap=score_text(shown_difference(target, score)),
                         target=f"{target:g}", score=words.score_and_level(score))
        else:
            sentence = ""
        return Flag("target", dimension, None, gap, None, self.end("organisation", (), score),
                    self.end("target", (), target), (), sentence)
