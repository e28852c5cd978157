"""What a workshop workbook is made from, and the options that change it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..services.results import RoundAnalysis


@dataclass(frozen=True)
class WorkbookOptions:
    """``anonymise``: departments become Department A, B ... and respondents
    Respondent 1, 2 ...; directorates are left out.  ``no_comments``: comments,
    evidence notes and challenge notes are left out."""

    anonymise: bool = False
    no_comments: bool = False


class AnswerRecord(NamedTuple):
    """One submitted answer, as the Answers sheet lists it."""

    department: str
    directorate: str | None
    respondent: str
    question_id: str
    value: str
    comment: str | None
    evidence: str | None
    challenged: bool
    challenge_note: str | None


@dataclass(frozen=True)
class WorkbookContent:
    """A round's analysis, its results document (CONTRACT section 8) and answers.

    Every score in the workbook comes from ``analysis`` or ``document``;
    ``answers`` may be a generator, read once.  ``chart_png`` is the
    organisation's radar chart drawn by :mod:`assessment.charts`.
    """

    analysis: RoundAnalysis
    document: dict[str, Any]
    answers: Iterable[AnswerRecord]
    language: str = "en"
    chart_png: bytes | None = None
    author: str = "Joined-Up"
