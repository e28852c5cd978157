"""What a workshop workbook is made from, and the options that change it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ..core.analysis import RoundResults
from ..core.bank import QuestionBank
from ..peer_words import PeerGroup


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
    #: The review loop: "open", "kept", "changed" or "resolved" (None: not challenged).
    challenge_state: str | None = None
    challenge_reply: str | None = None


@dataclass(frozen=True)
class WorkbookContent:
    """A round's name, the question bank it pinned, its typed results and its answers.

    Every score in the workbook comes from ``results`` (the core's analysis,
    never worked out here); ``answers`` may be a generator, read once.
    ``chart_png`` is the organisation's radar chart drawn by :mod:`assessment.charts`.
    """

    round_name: str
    bank: QuestionBank
    results: RoundResults
    answers: Iterable[AnswerRecord]
    language: str = "en"
    chart_png: bytes | None = None
    author: str = "Joined-Up"
    #: English department or directorate name -> the name shown (Welsh names in Welsh).
    shown_names: Mapping[str, str] = field(default_factory=dict)
    #: The benchmark groups the round contributes to: the Peers sheet (none: no sheet).
    peers: tuple[PeerGroup, ...] = ()

    def dimension_names(self) -> list[tuple[str, str]]:
        """(id, name in the workbook's language) of every dimension, in bank order."""
        return [(d.id, d.name.get(self.language)) for d in self.bank.dimensions]
