"""What a chart shows: one frozen description per kind of chart, carrying its data.

Pages, the workbook and the survey build these; :func:`assessment.charts.draw`
draws any of them as SVG or PNG.  This module never imports matplotlib, so
building a description is cheap; only drawing pays for the import.

Each description gives the data it is drawn from as plain lists (:meth:`payload`,
also the content of its cache key) and the text an SVG carries for assistive
technology (:meth:`describe`), whose numbers are written as every page writes
scores (:func:`assessment.core.scoring.score_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import gettext as _

from .core.scoring import score_text

Scores = Sequence[float | None]
Series = Sequence[tuple[str, Scores]]


def _plain(series: Series) -> list[list[Any]]:
    return [[name, list(values)] for name, values in series]


@dataclass(frozen=True)
class RadarChart:
    """A radar of scores 1 to 5, one spoke per dimension, one line per series.

    ``band`` (lowest, highest) is shaded between, such as the range of
    department scores.  ``None`` values leave a gap.  The first series is drawn
    boldest; series beyond the palette reuse it with other line styles.
    """

    kind: ClassVar[str] = "radar"
    title: str
    dimension_names: Sequence[str]
    series: Series
    band: tuple[Scores, Scores] | None = None

    def payload(self) -> dict[str, Any]:
        return {"title": self.title, "dimensions": list(self.dimension_names),
                "series": _plain(self.series),
                "band": None if self.band is None else [list(self.band[0]), list(self.band[1])],
                "band_label": _("Lowest to highest department")}

    def describe(self) -> str:
        names = self.dimension_names
        parts = [f"{label}: " + ", ".join(f"{n} {score_text(v)}"
                                          for n, v in zip(names, values, strict=True))
                 for label, values in self.series]
        if self.band is not None:
            parts.append(f"{_('Lowest to highest department')}: " + ", ".join(
                _("%(name)s %(low)s to %(high)s", name=n, low=score_text(low), high=score_text(high))
                for n, low, high in zip(names, self.band[0], self.band[1], strict=True)))
        return "; ".join(parts)


@dataclass(frozen=True)
class DotPlot:
    """One row per dimension, one dot per department, so the spread shows at once.

    The lowest and highest departments of each row are named beside their dots;
    ``organisation`` (label, scores) marks the organisation score of each dimension.
    """

    kind: ClassVar[str] = "dots"
    title: str
    dimension_names: Sequence[str]
    departments: Series
    organisation: tuple[str, Scores] | None = None

    def payload(self) -> dict[str, Any]:
        return {"title": self.title, "dimensions": list(self.dimension_names),
                "departments": _plain(self.departments),
                "organisation": None if self.organisation is None else _plain([self.organisation])[0]}

    def describe(self) -> str:
        parts = []
        for column, name in enumerate(self.dimension_names):
            scored = sorted((v[column], d) for d, v in self.departments if v[column] is not None)
            if scored:
                parts.append(name + ": " + _(
                    "%(name)s %(low)s to %(high)s", name=scored[0][1], low=score_text(scored[0][0]),
                    high=f"{scored[-1][1]} {score_text(scored[-1][0])}"))
        return "; ".join(parts)


@dataclass(frozen=True)
class TrendChart:
    """Scores over rounds (oldest first), one line per series (usually dimensions)."""

    kind: ClassVar[str] = "trend"
    title: str
    round_names: Sequence[str]
    series: Series

    def payload(self) -> dict[str, Any]:
        return {"title": self.title, "rounds": list(self.round_names), "series": _plain(self.series)}

    def describe(self) -> str:
        return "; ".join(
            f"{name}: " + ", ".join(f"{r} {score_text(v)}"
                                    for r, v in zip(self.round_names, values, strict=True))
            for name, values in self.series)


#: Every kind of chart :func:`assessment.charts.draw` draws.
Chart = RadarChart | DotPlot | TrendChart
