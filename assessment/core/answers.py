"""Answer values: a level 1..5, "don't know" or "not applicable".

An absent answer (not yet answered) is simply missing from a response's
mapping; :func:`parse_answer` returns ``None`` for the empty string.

>>> parse_answer("3"), parse_answer("dont_know"), parse_answer("")
(3, 'dont_know', None)
>>> parse_answer(" 3 ")
Traceback (most recent call last):
...
assessment.core.errors.AnswerError: ' 3 ' is not an answer: use 1 to 5, dont_know or not_applicable
"""

from __future__ import annotations

from typing import Final

from .bank import LEVELS
from .errors import AnswerError

__all__ = [
    "ANSWER_CHOICES",
    "DONT_KNOW",
    "EVIDENCE_LEVELS",
    "MAX_NOTE_LENGTH",
    "NOT_APPLICABLE",
    "AnswerValue",
    "answer_to_text",
    "is_level",
    "parse_answer",
    "takes_evidence",
]

DONT_KNOW: Final = "dont_know"
NOT_APPLICABLE: Final = "not_applicable"
#: Every answer as it is written in files, forms and the database.
ANSWER_CHOICES: Final = (*(str(level) for level in LEVELS), DONT_KNOW, NOT_APPLICABLE)
#: Evidence is asked for, and kept, only with answers at these levels.
EVIDENCE_LEVELS: Final = (4, 5)
#: Comments and evidence notes are at most this many characters.
MAX_NOTE_LENGTH: Final = 2000

#: A level (int 1..5), DONT_KNOW or NOT_APPLICABLE.
AnswerValue = int | str


def parse_answer(raw: str) -> AnswerValue | None:
    """Turn the exact written form of an answer into its value.

    Only the exact strings of :data:`ANSWER_CHOICES` are accepted (no spaces,
    signs or non-ASCII digits); ``""`` means not answered and gives ``None``.
    Anything else raises :class:`AnswerError`.
    """
    if raw == "":
        return None
    if raw not in ANSWER_CHOICES:
        raise AnswerError(
            f"{raw!r} is not an answer: use 1 to 5, {DONT_KNOW} or {NOT_APPLICABLE}"
        )
    return int(raw) if raw.isdigit() else raw


def answer_to_text(value: AnswerValue) -> str:
    """The written form of an answer value, the inverse of :func:`parse_answer`."""
    return str(value)


def is_level(value: AnswerValue | None) -> bool:
    """True for a scored answer (a level 1..5), False for the other kinds."""
    return isinstance(value, int) and not isinstance(value, bool) and value in LEVELS


def takes_evidence(value: AnswerValue | None) -> bool:
    """True when an answer may carry evidence: levels 4 and 5 only.

    The one place the evidence rule lives: forms, the importer, the department
    page and the demonstration data all ask this function.

    >>> takes_evidence(4), takes_evidence(3), takes_evidence("dont_know"), takes_evidence(None)
    (True, False, False, False)
    """
    return is_level(value) and value in EVIDENCE_LEVELS
