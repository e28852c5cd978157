"""A round's analysis as the results pages read it, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from ...core.analysis import RoundResults
from ...core.bank import QuestionBank
from ...core.names import display_name, display_names
from ...core.scoring import DepartmentScores
from ...flags import Wording
from ...queries.results import RoundDepartment
from ...queries.rounds import RoundInfo
from ...services.results import RoundAnalysis


def rate_text(rate: float | None) -> str:
    return "–" if rate is None else f"{rate:.0%}"


@dataclass(frozen=True)
class RoundView:
    """A round (plain values), its analysis, its departments' ids and the reader's language."""

    round: RoundInfo
    analysis: RoundAnalysis
    departments: tuple[RoundDepartment, ...]
    language: str

    @property
    def bank(self) -> QuestionBank:
        return self.analysis.bank

    @property
    def results(self) -> RoundResults:
        return self.analysis.results

    @cached_property
    def words(self) -> Wording:
        return Wording(self.bank, self.language, self.department_names)

    @cached_property
    def department_names(self) -> Mapping[str, str]:
        """English department name (the results' key) -> the name shown to this reader."""
        return display_names(((d.name, d.name_cy) for d in self.departments), self.language)

    def department_name(self, name: str) -> str:
        return self.department_names.get(name, name)

    @cached_property
    def _welsh_directorates(self) -> dict[str, str]:
        """Each directorate's Welsh name, from the first department that gives one."""
        welsh: dict[str, str] = {}
        for department in self.departments:
            if department.directorate and department.directorate_cy:
                welsh.setdefault(department.directorate, department.directorate_cy)
        return welsh

    def directorate_name(self, directorate: str | None) -> str:
        """A directorate in the reader's language ('' for none)."""
        if not directorate:
            return ""
        return display_name(directorate, self._welsh_directorates.get(directorate), self.language)

    @property
    def round_name(self) -> str:
        return display_name(self.round.name, self.round.name_cy, self.language)

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
        return self.words.dimension_name(dimension_id)

    @property
    def dimension_names(self) -> list[str]:
        return [d.name.get(self.language) for d in self.bank.dimensions]

    def level_name(self, level: int | None) -> str:
        return self.words.level_name(level)

    def question_text(self, question_id: str) -> str:
        return self.words.question_text(question_id)

    def score_and_level(self, score: float | None) -> str:
        """'2.5, Emerging', or 'not scored'."""
        return self.words.score_and_level(score)

    def has_directorates(self) -> bool:
        return any(d.directorate for d in self.departments)
