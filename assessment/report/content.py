"""A round's board report as typed content: the one place that decides what it says.

Large rounds are summarised: above :data:`LARGE_ROUND` departments the report
shows each directorate's scores (its departments counting once, as for the
organisation) and the departments flagged behind or ahead, and says that the
full table is on the dashboard and in the workshop workbook, which keep every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flask_babel import gettext as _
from flask_babel import ngettext

from ..core.consistency import name_order
from ..core.scoring import score_organisation
from ..views.results.dashboard import HeatRow, cell, heatmap
from ..views.results.figures import FigureView, Table, dot_plot, organisation_radar
from ..views.results.gaps import Gap, gap_list
from ..views.results.history import History
from ..views.results.peers import PeerSection
from ..views.results.plan import DepartmentPlan, Pairing, Step, action_plan
from ..views.results.view import RoundView
from .notes import Note, guide_note, method_note

#: Above this many departments the heatmap is summarised (the workbook keeps every row).
LARGE_ROUND = 60
#: At most this many departments flagged behind (and as many ahead) are listed in a summary.
FLAGGED_LISTED = 20
#: The peer pairs a board paper lists, largest gap first (the action plan page lists all).
PAIRS_LISTED = 10
#: A dimension name longer than this is abbreviated in table headings, with a key.
SHORT_NAME = 12


class Counts(Protocol):
    """How many departments and respondents took part (the dashboard's response tracker)."""

    @property
    def departments(self) -> int: ...
    @property
    def invited(self) -> int: ...
    @property
    def submitted(self) -> int: ...
    @property
    def in_progress(self) -> int: ...
    @property
    def not_started(self) -> int: ...


@dataclass(frozen=True)
class TitleBlock:
    organisation: str
    round_name: str
    date: str
    departments: int
    invited: int
    submitted: int

    @property
    def response_rate(self) -> str:
        return "–" if not self.invited else f"{self.submitted / self.invited:.0%}"

    def lines(self) -> tuple[str, ...]:
        """The title block's facts as sentences, in the order both layouts use."""
        return (
            ngettext("%(num)s department took part.", "%(num)s departments took part.",
                     self.departments),
            ngettext("%(submitted)s of %(num)s respondent submitted their answers.",
                     "%(submitted)s of %(num)s respondents submitted their answers.",
                     self.invited, submitted=self.submitted),
            _("Response rate: %(rate)s.", rate=self.response_rate),
        )


@dataclass(frozen=True)
class Column:
    """A dimension as a table heading shows it (``short``) and its full name."""

    short: str
    name: str


@dataclass(frozen=True)
class HeatTable:
    """Rows of scores by dimension: departments, or directorates in a summary."""

    caption: str
    row_heading: str
    with_directorate: bool
    rows: tuple[HeatRow, ...]


@dataclass(frozen=True)
class Departments:
    """The heatmap part of the report: one full table, or a summary and where the rest is."""

    columns: tuple[Column, ...]
    tables: tuple[HeatTable, ...]
    summarised: bool
    note: str

    @property
    def key(self) -> tuple[Column, ...]:
        """The abbreviated headings and what they stand for (empty when none is)."""
        return self.columns if any(c.short != c.name for c in self.columns) else ()

    def names(self) -> list[str]:
        """Every department or directorate name the tables show."""
        return [row.name for table in self.tables for row in table.rows]


@dataclass(frozen=True)
class PlanSection:
    targets: Table
    organisation: tuple[Step, ...]
    pairs: tuple[Pairing, ...]
    pairs_left_out: int
    departments: tuple[DepartmentPlan, ...]
    departments_note: str


@dataclass(frozen=True)
class BoardReport:
    """Everything a board paper about one round says, in the reader's language."""

    title: str
    heading: TitleBlock
    radar: FigureView
    gaps: tuple[Gap, ...]
    no_gaps: str  # what the gaps part says when it lists none
    departments: Departments
    dots: FigureView
    history: History | None
    changes: Table | None  # by department; left out of a large round's paper
    plan: PlanSection
    guide: Note
    method: Note
    #: The benchmark groups the round contributes to (none: the paper says nothing of peers).
    peers: tuple[PeerSection, ...] = ()

    def gap_sentences(self) -> list[str]:
        """Every gap sentence, the differing questions' sentences under their dimension."""
        return [flag.sentence for gap in self.gaps for flag in (gap, *gap.questions)]


def board_report(view: RoundView, counts: Counts, organisation: str, date: str,
                 history: History | None = None,
                 peers: tuple[PeerSection, ...] = ()) -> BoardReport:
    """The board report of an analysed round (``counts``: the response tracker's)."""
    gaps = tuple(gap_list(view))
    found = departments(view)
    return BoardReport(
        title=_("Social media maturity: results"),
        heading=TitleBlock(organisation, view.round_name, date, counts.departments,
                           counts.invited, counts.submitted),
        radar=organisation_radar(view),
        gaps=gaps,
        no_gaps=_("Nothing is flagged.") if counts.submitted else nothing_to_analyse(counts),
        departments=found,
        dots=dot_plot(view),
        history=history,
        changes=changes_table(history, found) if history else None,
        plan=plan_section(view),
        guide=guide_note(view),
        method=method_note(view),
        peers=peers,
    )


# --- departments ---------------------------------------------------------------------------


def short_names(names: Sequence[str]) -> tuple[Column, ...]:
    """Table headings that fit an A4 column: long names cut to a word or initials, kept unique.

    >>> [c.short for c in short_names(["Listening", "Strategy and governance", "Measurement"])]
    ['Listening', 'SaG', 'Measurement']
    """
    columns, seen = [], set()
    for number, name in enumerate(names, start=1):
        short = name
        if len(name) > SHORT_NAME:
            words = name.split()
            short = "".join(w[0] for w in words) if len(words) > 1 else name[:SHORT_NAME - 3] + "."
        if short in seen:
            short = f"{short}{number}"
        seen.add(short)
        columns.append(Column(short, name))
    return tuple(columns)


def departments(view: RoundView) -> Departments:
    columns = short_names(view.dimension_names)
    rows = heatmap(view, None, None, False).rows
    if len(rows) <= LARGE_ROUND:
        table = HeatTable(_("Department scores by dimension"), _("Department"),
                          view.has_directorates(), rows)
        return Departments(columns, (table,) if rows else (), False,
                           "" if rows else _("No department has submitted answers yet."))
    by_name = {row.name: row for row in rows}  # names as shown: flagged() gives English ones
    tables = (
        HeatTable(_("Directorate scores by dimension (each department counting once)"),
                  _("Directorate"), False, directorate_rows(view)),
        HeatTable(_("Departments flagged as behind most departments"), _("Department"), True,
                  tuple(by_name[view.department_name(n)]
                        for n in flagged(view, "behind")[:FLAGGED_LISTED])),
        HeatTable(_("Departments flagged as ahead of most departments"), _("Department"), True,
                  tuple(by_name[view.department_name(n)]
                        for n in flagged(view, "ahead")[:FLAGGED_LISTED])),
    )
    note = _("This round has %(num)s departments, so this paper shows each directorate and the "
             "departments furthest behind and ahead. Every department's scores are on the "
             "dashboard and in the workshop workbook.", num=len(rows))
    return Departments(columns, tuple(t for t in tables if t.rows), True, note)


def directorate_rows(view: RoundView) -> tuple[HeatRow, ...]:
    """Each directorate's scores: the mean of its departments', as the organisation's are."""
    groups: dict[str, list] = {}
    for scores in view.results.departments:
        groups.setdefault(scores.directorate or "", []).append(scores)
    names = sorted(groups, key=lambda n: (n == "", name_order(n)))
    rows = []
    for name in names:
        combined = score_organisation(view.bank, groups[name])
        label = view.directorate_name(name) or _("No directorate")
        label = ngettext("%(name)s (%(num)s department)", "%(name)s (%(num)s departments)",
                         len(groups[name]), name=label)
        rows.append(HeatRow(None, label, None,
                            tuple(cell(view, combined.scores[d]) for d in view.dimension_ids)))
    return tuple(rows)


def flagged(view: RoundView, direction: str) -> list[str]:
    """Departments flagged ``direction`` ("behind" or "ahead"), most flags first."""
    counts: dict[str, int] = {}
    for outlier in view.results.outliers:
        if outlier.direction == direction:
            counts[outlier.department] = counts.get(outlier.department, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], name_order(n)))


def changes_table(history: History, found: Departments) -> Table | None:
    """Change by department since the earlier round, with the heatmap's short headings."""
    changes = history.changes
    if found.summarised:
        return None
    return Table(changes.caption, (changes.head[0], *(c.short for c in found.columns)), changes.rows)


# --- action plan ---------------------------------------------------------------------------


def plan_section(view: RoundView) -> PlanSection:
    plan = action_plan(view)
    targets = Table(_("Target level of each dimension"),
                    (_("Dimension"), _("Target level"), _("Organisation"), _("Gap to target")),
                    tuple((r.dimension, r.target, r.score, r.gap) for r in plan.targets))
    large = len(plan.departments) > LARGE_ROUND
    left_out = max(0, len(plan.pairs) - PAIRS_LISTED)
    return PlanSection(
        targets=targets,
        organisation=plan.organisation,
        pairs=plan.pairs[:PAIRS_LISTED],
        pairs_left_out=left_out,
        departments=() if large else plan.departments,
        departments_note=_("Each department's next steps are on the action plan page and in "
                           "the workshop workbook.") if large else "",
    )


def nothing_to_analyse(counts: Counts) -> str:
    """Before anyone submits: say so and how far respondents are, as the dashboard does."""
    return " ".join((
        _("There is nothing to analyse yet: nobody has submitted their answers."),
        ngettext("%(num)s respondent has started but not submitted.",
                 "%(num)s respondents have started but not submitted.", counts.in_progress),
        ngettext("%(num)s respondent has not started.", "%(num)s respondents have not started.",
                 counts.not_started),
    ))
