"""Small builders of core objects for tests: banks, departments and scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assessment.core.answers import AnswerValue
from assessment.core.bank import LEVELS, Dimension, Level, Question, QuestionBank, Text
from assessment.core.scoring import DepartmentInput, DepartmentScores, level_reached

#: A question id, or (question id, weight).
QuestionSpec = str | tuple[str, float]


def make_bank(dimensions: Mapping[str, Sequence[QuestionSpec]]) -> QuestionBank:
    """A bank with these dimensions (in order) and questions (weight 1 unless given).

    >>> make_bank({"a": ["a1", ("a2", 3.0)], "b": ["b1"], "c": ["c1"]}).question("a2").weight
    3.0
    """
    return QuestionBank(
        id="test",
        version="1",
        languages=("en",),
        scale=tuple(Level(n, Text(f"Level {n}"), Text(f"meaning {n}")) for n in LEVELS),
        dimensions=tuple(
            Dimension(
                dimension_id,
                Text(dimension_id.title()),
                Text(""),
                tuple(_question(spec, dimension_id) for spec in specs),
            )
            for dimension_id, specs in dimensions.items()
        ),
    )


def _question(spec: QuestionSpec, dimension_id: str) -> Question:
    question_id, weight = (spec, 1.0) if isinstance(spec, str) else spec
    descriptors = tuple(Text(f"{question_id} level {n}") for n in LEVELS)
    return Question(question_id, dimension_id, Text(question_id), descriptors, weight=weight)


#: objectives: o1 (weight 1), o2 (weight 3); listening: l1; culture: c1, c2.
BANK = make_bank(
    {"objectives": ["o1", ("o2", 3.0)], "listening": ["l1"], "culture": ["c1", "c2"]}
)


def department(
    name: str, *responses: Mapping[str, AnswerValue], directorate: str | None = None
) -> DepartmentInput:
    """A department with these submitted responses."""
    return DepartmentInput(name, directorate, tuple(responses))


def scores(
    name: str,
    dimension_scores: Mapping[str, float | None],
    question_scores: Mapping[str, float | None] | None = None,
    respondent_scores: Sequence[Mapping[str, float | None]] = (),
    bank: QuestionBank = BANK,
) -> DepartmentScores:
    """DepartmentScores built directly; dimensions and questions not given are None."""
    every_dimension = {d: dimension_scores.get(d) for d in bank.dimension_ids}
    return DepartmentScores(
        name=name,
        directorate=None,
        respondents=len(respondent_scores),
        scores=every_dimension,
        levels={d: level_reached(s) for d, s in every_dimension.items()},
        dont_know_rate=dict.fromkeys(bank.dimension_ids),
        question_scores={q.id: (question_scores or {}).get(q.id) for q in bank.questions},
        respondent_scores=tuple(
            {d: r.get(d) for d in bank.dimension_ids} for r in respondent_scores
        ),
    )
