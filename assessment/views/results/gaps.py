"""The flags as the results pages list them (see :func:`assessment.flags.explain_flags`).

Inconsistent dimensions come first, each with the inconsistent questions of
that dimension folded under it; then the other inconsistent questions,
departments behind and ahead, disagreements, and the targets not yet met
(largest gap first).  Each kind keeps the core's order (largest first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _

from ...core.consistency import name_order
from ...flags import Descriptor, Flag, explain_flags
from .view import RoundView


@dataclass(frozen=True)
class Gap:
    """One flag as a plain sentence, and whom it names."""

    kind: str
    sentence: str
    dimension: str
    departments: tuple[str, ...]
    descriptors: tuple[Descriptor, ...] = ()
    # The question flags of an inconsistent dimension, under its own flag.
    questions: tuple[Gap, ...] = ()

    def names(self) -> set[str]:
        """Every department this flag and its question flags name."""
        return set(self.departments).union(*(q.departments for q in self.questions))


def _gap(flag: Flag, questions: Sequence[Gap] = ()) -> Gap:
    return Gap(flag.kind, flag.sentence, flag.dimension, flag.departments, flag.descriptors,
               tuple(questions))


def gap_list(view: RoundView) -> list[Gap]:
    """Every flag the pages show, in the order described above."""
    flags = explain_flags(view.results, view.words)
    dimensions = [f for f in flags if f.kind == "dimension"]
    flagged = {f.dimension for f in dimensions}
    questions = [_gap(f) for f in flags if f.kind == "question"]
    targets = sorted((f for f in flags if f.kind == "target" and not f.met),
                     key=lambda f: -(f.size or 0.0))
    return [
        *(_gap(f, [q for q in questions if q.dimension == f.dimension]) for f in dimensions),
        *(q for q in questions if q.dimension not in flagged),
        *(_gap(f) for f in flags if f.kind not in ("dimension", "question", "target")),
        *(_gap(f) for f in targets),
    ]


def every_gap(gaps: Sequence[Gap]) -> list[Gap]:
    """The gaps with the question flags nested in them, as one flat list."""
    return [flag for gap in gaps for flag in (gap, *gap.questions)]


def gaps_by_directorate(view: RoundView, gaps: list[Gap]) -> list[tuple[str, list[Gap]]]:
    """The gaps naming each directorate's departments; the rest under the organisation."""
    directorates = {d.name: d.directorate for d in view.departments}
    names = sorted({d for d in directorates.values() if d}, key=name_order)
    groups = [(name, [g for g in gaps if any(directorates.get(d) == name for d in g.names())])
              for name in names]
    unplaced = [g for g in gaps if not any(directorates.get(d) for d in g.names())]
    return [(name, items) for name, items in groups if items] + (
        [(_("Whole organisation and departments without a directorate"), unplaced)] if unplaced else []
    )
