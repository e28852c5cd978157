"""Question bank types: the scale, dimensions and questions of a maturity model.

Public names:

- :class:`Text`: a translatable string (English required, Welsh optional).
- :class:`Level`: one step of the answer scale (1 to 5), with a name and meaning.
- :class:`Question`: a question with five level descriptors and a weight.
- :class:`Dimension`: a named, ordered group of questions.
- :class:`QuestionBank`: the whole bank; validated on construction.
- :func:`bank_to_dict` / :func:`bank_from_dict`: the snapshot a round stores, so
  later edits to ``questions/`` never change that round's results.

>>> bank = QuestionBank(
...     id="demo", version="1", languages=("en",),
...     scale=tuple(Level(n, Text(f"L{n}"), Text("")) for n in range(1, 6)),
...     dimensions=tuple(
...         Dimension(d, Text(d.title()), Text(""), (
...             Question(f"{d}-q", d, Text("?"), tuple(Text(str(n)) for n in range(1, 6))),
...         ))
...         for d in ("a", "b", "c")
...     ),
... )
>>> bank.question("b-q").dimension
'b'
>>> bank_from_dict(bank_to_dict(bank)) == bank
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .errors import BankError

__all__ = [
    "LANGUAGES",
    "LEVELS",
    "MAX_DIMENSIONS",
    "MIN_DIMENSIONS",
    "Dimension",
    "Level",
    "Question",
    "QuestionBank",
    "Text",
    "bank_from_dict",
    "bank_to_dict",
]

#: The answer scale always runs from 1 to 5.
LEVELS = (1, 2, 3, 4, 5)
#: Languages a bank may carry; English is required.
LANGUAGES = ("en", "cy")
MIN_DIMENSIONS = 3
MAX_DIMENSIONS = 12


@dataclass(frozen=True)
class Text:
    """A string users read, in English and optionally Welsh.

    >>> Text("Objectives", "Amcanion").get("cy")
    'Amcanion'
    >>> Text("Objectives").get("cy")  # falls back to English
    'Objectives'
    """

    en: str
    cy: str | None = None

    def get(self, language: str) -> str:
        """Return the text in ``language``, falling back to English."""
        if language == "cy" and self.cy:
            return self.cy
        return self.en

    def __str__(self) -> str:
        return self.en

    def to_data(self) -> str | dict[str, str]:
        """A JSON-ready form: a plain string when only English is set."""
        return {"en": self.en, "cy": self.cy} if self.cy else self.en

    @classmethod
    def from_data(cls, data: str | dict[str, str]) -> Text:
        """Inverse of :meth:`to_data`."""
        if isinstance(data, str):
            return cls(data)
        return cls(data["en"], data.get("cy"))


@dataclass(frozen=True)
class Level:
    """One level of the answer scale, such as ``3, Learning``."""

    level: int
    name: Text
    meaning: Text


@dataclass(frozen=True)
class Question:
    """A question and the five descriptors of what each level concretely means."""

    id: str
    dimension: str
    text: Text
    descriptors: tuple[Text, ...]
    hint: Text | None = None
    weight: float = 1.0
    applies_to: Text | None = None

    def descriptor(self, level: int) -> Text:
        """The descriptor of ``level`` (1 to 5)."""
        return self.descriptors[level - 1]


@dataclass(frozen=True)
class Dimension:
    """A dimension of maturity (objectives, listening ...) and its questions."""

    id: str
    name: Text
    description: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class QuestionBank:
    """A validated question bank.

    Raises :class:`BankError` when the scale is not levels 1 to 5, the dimension
    count is outside 3..12, an id repeats, a question has other than five
    descriptors, a weight is not positive, or English is missing.
    """

    id: str
    version: str
    languages: tuple[str, ...]
    scale: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    _questions: dict[str, Question] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        problems = _bank_problems(self)
        if problems:
            raise BankError("; ".join(problems))
        index = {q.id: q for d in self.dimensions for q in d.questions}
        object.__setattr__(self, "_questions", index)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in dimension order then question order."""
        return tuple(self._questions.values())

    @cached_property
    def dimension_ids(self) -> tuple[str, ...]:
        """Dimension ids in chart order (worked out once: pages ask for them per row)."""
        return tuple(d.id for d in self.dimensions)

    def question(self, question_id: str) -> Question:
        """The question with that id; :class:`BankError` if there is none."""
        try:
            return self._questions[question_id]
        except KeyError:
            raise BankError(f"unknown question id {question_id!r}") from None

    def has_question(self, question_id: str) -> bool:
        """True when the bank has a question with that id."""
        return question_id in self._questions

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with that id; :class:`BankError` if there is none."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise BankError(f"unknown dimension id {dimension_id!r}")

    def level_name(self, level: int) -> Text:
        """The name of a scale level, such as ``Learning`` for 3."""
        return self.scale[level - 1].name


def _bank_problems(bank: QuestionBank) -> list[str]:
    problems = []
    if "en" not in bank.languages:
        problems.append("languages must include 'en'")
    unknown = [lang for lang in bank.languages if lang not in LANGUAGES]
    if unknown:
        problems.append(f"unsupported languages: {', '.join(unknown)}")
    if tuple(level.level for level in bank.scale) != LEVELS:
        problems.append("the scale must have levels 1 to 5 in order")
    if not MIN_DIMENSIONS <= len(bank.dimensions) <= MAX_DIMENSIONS:
        problems.append(
            f"a bank needs {MIN_DIMENSIONS} to {MAX_DIMENSIONS} dimensions, "
            f"not {len(bank.dimensions)}"
        )
    seen_dimensions: set[str] = set()
    seen_questions: set[str] = set()
    for dimension in bank.dimensions:
        if dimension.id in seen_dimensions:
            problems.append(f"dimension id {dimension.id!r} repeats")
        seen_dimensions.add(dimension.id)
        if not dimension.questions:
            problems.append(f"dimension {dimension.id!r} has no questions")
        for question in dimension.questions:
            problems.extend(_question_problems(question, dimension.id, seen_questions))
            seen_questions.add(question.id)
    return problems


def _question_problems(question: Question, dimension_id: str, seen: set[str]) -> list[str]:
    problems = []
    if question.id in seen:
        problems.append(f"question id {question.id!r} repeats")
    if question.dimension != dimension_id:
        problems.append(
            f"question {question.id!r} says dimension {question.dimension!r} "
            f"but is listed under {dimension_id!r}"
        )
    if len(question.descriptors) != len(LEVELS):
        problems.append(f"question {question.id!r} needs 5 level descriptors")
    if not question.weight > 0:
        problems.append(f"question {question.id!r} needs a positive weight")
    return problems


def _optional(text: Text | None) -> str | dict[str, str] | None:
    return None if text is None else text.to_data()


def bank_to_dict(bank: QuestionBank) -> dict[str, Any]:
    """A JSON-ready snapshot of ``bank``; :func:`bank_from_dict` reverses it."""
    return {
        "id": bank.id,
        "version": bank.version,
        "languages": list(bank.languages),
        "scale": [
            {"level": lv.level, "name": lv.name.to_data(), "meaning": lv.meaning.to_data()}
            for lv in bank.scale
        ],
        "dimensions": [
            {
                "id": d.id,
                "name": d.name.to_data(),
                "description": d.description.to_data(),
                "questions": [
                    {
                        "id": q.id,
                        "text": q.text.to_data(),
                        "hint": _optional(q.hint),
                        "levels": [t.to_data() for t in q.descriptors],
                        "weight": q.weight,
                        "applies_to": _optional(q.applies_to),
                    }
                    for q in d.questions
                ],
            }
            for d in bank.dimensions
        ],
    }


def _optional_text(data: Any) -> Text | None:
    return None if data is None else Text.from_data(data)


def bank_from_dict(data: dict[str, Any]) -> QuestionBank:
    """Rebuild a bank from :func:`bank_to_dict` output."""
    return QuestionBank(
        id=data["id"],
        version=data["version"],
        languages=tuple(data["languages"]),
        scale=tuple(
            Level(lv["level"], Text.from_data(lv["name"]), Text.from_data(lv["meaning"]))
            for lv in data["scale"]
        ),
        dimensions=tuple(
            Dimension(
                id=d["id"],
                name=Text.from_data(d["name"]),
                description=Text.from_data(d["description"]),
                questions=tuple(
                    Question(
                        id=q["id"],
                        dimension=d["id"],
                        text=Text.from_data(q["text"]),
                        descriptors=tuple(Text.from_data(t) for t in q["levels"]),
                        hint=_optional_text(q.get("hint")),
                        weight=float(q.get("weight", 1.0)),
                        applies_to=_optional_text(q.get("applies_to")),
                    )
                    for q in d["questions"]
                ),
            )
            for d in data["dimensions"]
        ),
    )
