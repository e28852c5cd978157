"""Where each name goes beside its dot on the spread chart: plain geometry, no matplotlib.

:func:`place_labels` puts each label right, left, above or below its own dot,
touching it (a fixed gap away); where every such place is taken it stacks the
label further up or down beside the dot, joined to it by a leader line, within
``reach``.  Labels never overlap one another and stay inside ``bounds``; among
the places that fit, one covering fewer other dots wins.  A label with no
place at all comes back as ``None``: the caller then numbers the dots instead,
with a key below the chart (small numbers fit where names do not), which
:func:`key_lines` runs on into lines.

Units are the caller's (matplotlib's drawing code passes pixels, y upwards);
the only rule is that widths, heights and positions share them.  Placement is
greedy, top to bottom, so the same input always gives the same layout.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from math import floor, hypot

SIDES = ("right", "left", "above", "below")
#: Between two entries on a line of the key.
SEPARATOR = "   "
#: How many steps of a third of a label's height a stacked label may move, at most.
STACK_STEPS = 12


@dataclass(frozen=True)
class Box:
    """An upright rectangle; boxes that only touch do not overlap."""

    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: Box) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.bottom < other.top and other.bottom < self.top)

    def inside(self, other: Box) -> bool:
        return (other.left <= self.left and self.right <= other.right
                and other.bottom <= self.bottom and self.top <= other.top)

    def distance_to(self, x: float, y: float) -> float:
        """How far the point (x, y) is from the box (0 inside it)."""
        return hypot(max(self.left - x, 0.0, x - self.right), max(self.bottom - y, 0.0, y - self.top))


@dataclass(frozen=True)
class Label:
    """A label of ``width`` by ``height`` for the dot centred at (x, y), sides in order of preference.

    ``wrapped`` are other shapes (width, height) of the same text, such as the
    name on two lines: tried where the first shape covers dots or needs a leader line.
    """

    x: float
    y: float
    width: float
    height: float
    sides: tuple[str, ...] = SIDES
    wrapped: tuple[tuple[float, float], ...] = ()

    @property
    def shapes(self) -> tuple[tuple[float, float], ...]:
        return ((self.width, self.height), *self.wrapped)


@dataclass(frozen=True)
class Placement:
    box: Box
    side: str
    #: Moved along from its dot: draw a line from the dot to the box.
    leader: bool
    #: Which of the label's shapes: 0 for the first, 1 for ``wrapped[0]``...
    shape: int = 0


def place_labels(labels: Sequence[Label], bounds: Box, *, radius: float, gap: float,
                 dots: Sequence[tuple[float, float]] = (), reach: float | None = None,
                 ) -> list[Placement | None]:
    """A place for each label (in the order given), or ``None`` where none fits.

    ``radius`` is the dots' radius, ``gap`` the space between a dot's edge and
    its label; ``dots`` are every dot on the chart (labels prefer not to cover
    them).  A stacked label's nearest edge stays within ``reach`` of its dot's
    centre (default: the dot's own gap plus four label heights).
    """
    grid = _DotGrid(dots, radius)
    taken: list[Box] = []
    placed: list[Placement | None] = [None] * len(labels)
    for index in sorted(range(len(labels)), key=lambda i: (-labels[i].y, labels[i].x)):
        label = labels[index]
        limit = reach if reach is not None else radius + gap + 4 * label.height
        best: tuple[tuple[int, int, int, int], Placement] | None = None
        for order, candidate in enumerate(_candidates(label, radius + gap, limit)):
            box = candidate.box
            if not box.inside(bounds) or any(box.overlaps(other) for other in taken):
                continue
            cost = (grid.covered(box, (label.x, label.y)), int(candidate.leader), candidate.shape, order)
            if best is None or cost < best[0]:
                best = (cost, candidate)
            if cost[:3] == (0, 0, 0):
                break  # a direct place for the first shape covering no dot: nothing beats it
        if best is not None:
            placed[index] = best[1]
            taken.append(best[1].box)
    return placed


def _candidates(label: Label, offset: float, reach: float) -> list[Placement]:
    """Every shape's places touching the dot, in order of preference, then stacked places by distance."""
    return [candidate for shape, (width, height) in enumerate(label.shapes)
            for candidate in _shape_candidates(label, width, height, shape, offset, reach)]


def _shape_candidates(label: Label, w: float, h: float, shape: int, offset: float,
                      reach: float) -> list[Placement]:
    x, y = label.x, label.y
    inset = offset * 0.5  # an above/below label may also start or end over its dot's edge
    lefts = [x - w / 2, *([x - inset, x + inset - w] if w > 2 * inset else [])]
    direct = {
        "right": [Box(x + offset, y - h / 2, x + offset + w, y + h / 2)],
        "left": [Box(x - offset - w, y - h / 2, x - offset, y + h / 2)],
        "above": [Box(left, y + offset, left + w, y + offset + h) for left in lefts],
        "below": [Box(left, y - offset - h, left + w, y - offset) for left in lefts],
    }
    candidates = [Placement(box, side, False, shape) for side in label.sides for box in direct[side]]
    across = offset + h / 2  # a stacked label stands a little further out, for its leader line
    sides = [side for side in label.sides if side in ("right", "left")]
    step = h / 3
    stacked = []
    for k in range(1, STACK_STEPS + 1):
        for shift in (k * step, -k * step):
            for side in sides:
                left = x + across if side == "right" else x - across - w
                box = Box(left, y + shift - h / 2, left + w, y + shift + h / 2)
                if box.distance_to(x, y) <= reach:
                    stacked.append(Placement(box, side, True, shape))
    return candidates + stacked


class _DotGrid:
    """Dots bucketed by cell, so counting the dots under a box stays cheap with thousands of them."""

    def __init__(self, dots: Sequence[tuple[float, float]], radius: float) -> None:
        self.radius = radius
        self.cell = max(4 * radius, 1.0)
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
        for dot in set(dots):
            self.cells[self._key(*dot)].append(dot)

    def _key(self, x: float, y: float) -> tuple[int, int]:
        return floor(x / self.cell), floor(y / self.cell)

    def covered(self, box: Box, own: tuple[float, float]) -> int:
        """How many dots other than ``own`` the box covers, even partly."""
        low = self._key(box.left - self.radius, box.bottom - self.radius)
        high = self._key(box.right + self.radius, box.top + self.radius)
        return sum(
            1
            for i in range(low[0], high[0] + 1)
            for j in range(low[1], high[1] + 1)
            for dot in self.cells.get((i, j), ())
            if dot != own and box.distance_to(*dot) < self.radius
        )


def key_lines(entries: Sequence[str], width: int) -> list[str]:
    """The key's entries ("1 Highways") run on in lines of at most ``width`` characters.

    An entry longer than a line is wrapped; three spaces separate entries on a line.
    """
    lines: list[str] = []
    current = ""
    for entry in entries:
        for part in textwrap.wrap(entry, width, break_long_words=True) or [entry]:
            joined = f"{current}{SEPARATOR}{part}" if current else part
            if len(joined) <= width:
                current = joined
            else:
                lines.append(current)
                current = part
    return [*lines, current] if current else lines
