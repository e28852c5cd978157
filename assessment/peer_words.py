"""Peer benchmarks in words and rows: what the dashboard, print view, board report and
workbook show for each benchmark group a round contributes to.

The figures come from :func:`assessment.core.benchmark.group_benchmark` (through
:func:`assessment.services.benchmarks.round_benchmarks`); this module only words them in
the reader's language.  Nothing here names another organisation: a group's rows hold
the round's own score and the group's distribution, never whose the other scores are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import ngettext

from .core.bank import QuestionBank
from .core.benchmark import Benchmark, GroupBenchmark
from .core.names import display_name
from .core.scoring import score_text


class ContributedGroup(Protocol):
    """A group a round contributes to (services.benchmarks.RoundBenchmark)."""

    @property
    def name(self) -> str: ...
    @property
    def name_cy(self) -> str | None: ...
    @property
    def figures(self) -> GroupBenchmark: ...


def band_words(band: str) -> str:
    """A band of :data:`assessment.core.benchmark.BANDS` in words, as a table cell."""
    words = {
        "lowest_quarter": _("In the lowest quarter"),
        "below_median": _("Below the median"),
        "at_median": _("At the median"),
        "above_median": _("Above the median"),
        "highest_quarter": _("In the highest quarter"),
    }
    return words[band]


def not_enough(contributed: int, minimum: int) -> str:
    """'Not enough organisations yet: 4 of 5 have contributed.'"""
    return ngettext("Not enough organisations yet: %(num)s of %(total)s has contributed.",
                    "Not enough organisations yet: %(num)s of %(total)s have contributed.",
                    contributed, total=minimum)


@dataclass(frozen=True)
class PeerRow:
    """One dimension or question: the round's score, its position and the group's figures.

    The numbers are ``None`` where nothing is shown; ``position`` then says why.
    """

    label: str
    score: float | None
    position: str
    below: str
    figures: tuple[float | None, ...]  # lowest, lower quartile, median, upper quartile, highest

    def texts(self) -> tuple[str, ...]:
        """The row as table cells: every number as the pages write a score."""
        numbers = [score_text(n) if n is not None else "" for n in (self.score, *self.figures)]
        return (self.label, numbers[0], self.position, self.below, *numbers[1:])


@dataclass(frozen=True)
class PeerGroup:
    """One benchmark group as every output shows it: a sentence, and (when enough
    organisations contributed) a row per dimension and per question."""

    name: str
    summary: str
    shown: bool
    dimensions: tuple[PeerRow, ...]
    questions: tuple[PeerRow, ...]


def peer_head() -> tuple[str, ...]:
    """The column headings of every peer table (the first column is the dimension or question)."""
    return (_("Your score"), _("Position"), _("Organisations below you"), _("Lowest"),
            _("Lower quartile"), _("Median"), _("Upper quartile"), _("Highest"))


def _row(label: str, found: Benchmark) -> PeerRow:
    if found.distribution is None:
        return PeerRow(label, None, not_enough(found.contributed, found.minimum), "",
                       (None,) * 5)
    d = found.distribution
    figures = (d.lowest, d.lower_quartile, d.median, d.upper_quartile, d.highest)
    if found.position is None:
        return PeerRow(label, None, _("Not scored"), "", figures)
    below = _("%(below)s of %(num)s", below=found.position.below, num=d.count)
    return PeerRow(label, found.position.score, band_words(found.position.band), below, figures)


def peer_groups(groups: Sequence[ContributedGroup], bank: QuestionBank,
                language: str) -> tuple[PeerGroup, ...]:
    """Every group the round contributes to, worded; empty when it contributes to none."""
    found = []
    for group in groups:
        figures = group.figures
        name = display_name(group.name, group.name_cy, language)
        if not figures.shown:
            found.append(PeerGroup(name, not_enough(figures.organisations, figures.minimum),
                                   False, (), ()))
            continue
        summary = ngettext(
            "%(num)s organisation, yours included, has contributed a round on this version of "
            "the questions. Each counts once.",
            "%(num)s organisations, yours included, have contributed a round on this version of "
            "the questions. Each counts once.", figures.organisations)
        dimensions = tuple(_row(d.name.get(language), figures.dimensions[d.id])
                           for d in bank.dimensions)
        questions = tuple(_row(q.text.get(language), figures.questions[q.id])
                          for q in bank.questions)
        found.append(PeerGroup(name, summary, True, dimensions, questions))
    return tuple(found)
