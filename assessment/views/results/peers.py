"""The peer benchmarks of a round as tables, for the dashboard, print view and board report."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ...peer_words import PeerGroup, peer_groups, peer_head
from ...services import benchmarks
from .figures import Table
from .view import RoundView


@dataclass(frozen=True)
class PeerSection:
    """One benchmark group: its name, a sentence, and its two tables when shown."""

    name: str
    summary: str
    tables: tuple[Table, ...]


def peer_section(group: PeerGroup) -> PeerSection:
    if not group.shown:
        return PeerSection(group.name, group.summary, ())
    return PeerSection(group.name, group.summary, (
        Table(_("%(group)s: dimensions", group=group.name), (_("Dimension"), *peer_head()),
              tuple(row.texts() for row in group.dimensions)),
        Table(_("%(group)s: questions", group=group.name), (_("Question"), *peer_head()),
              tuple(row.texts() for row in group.questions)),
    ))


def peer_sections(view: RoundView) -> tuple[PeerSection, ...]:
    """Every group the round contributes to; empty (nothing shown) when it is in none."""
    found = benchmarks.round_benchmarks(view.analysis, view.round.organisation_id)
    return tuple(peer_section(g) for g in peer_groups(found, view.bank, view.language))
