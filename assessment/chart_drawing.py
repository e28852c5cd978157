"""Drawing the charts with matplotlib's Figure API (never pyplot, which keeps global state).

Imported only by :func:`assessment.charts.draw` when a chart is not in its
cache: importing matplotlib costs about a second per process.  Text is never
parsed as mathtext, so a department called ``R&D $x^$`` is drawn as written.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from collections.abc import Sequence
from math import cos, nan, pi, sin
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .chart_types import Chart, DotPlot, RadarChart, TrendChart

matplotlib.rcParams.update({
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "joined-up",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": 16,
    "legend.fontsize": 15,
})

#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
BAND_COLOUR = "#56B4E9"
GRID_COLOUR = "#b1b4b6"
TEXT_COLOUR = "#0b0c0c"
PNG_DPI = 150
LEVELS = (1, 2, 3, 4, 5)


def render(chart: Chart, payload: dict[str, Any], fmt: str) -> bytes:
    """The chart drawn from its ``payload`` as matplotlib's SVG text or PNG bytes."""
    figure = Figure(figsize=(6.4, 6) if isinstance(chart, RadarChart) else (7, 5.2),
                    layout="constrained")
    match chart:
        case RadarChart():
            _draw_radar(figure, payload)
        case DotPlot():
            _draw_dots(figure, payload)
        case TrendChart():
            _draw_trend(figure, payload)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _draw_radar(figure: Figure, payload: dict[str, Any]) -> None:
    names = payload["dimensions"]
    axes = figure.add_subplot()
    axes.set_aspect("equal")
    axes.axis("off")
    angles = [pi / 2 - 2 * pi * i / len(names) for i in range(len(names))]

    def points(values: Sequence[float | None]) -> tuple[list[float], list[float]]:
        radii = [nan if v is None else v for v in values]
        xs = [r * cos(a) for r, a in zip(radii, angles, strict=True)]
        ys = [r * sin(a) for r, a in zip(radii, angles, strict=True)]
        return [*xs, xs[0]], [*ys, ys[0]]

    for level in LEVELS:
        axes.plot(*points([level] * len(names)), color=GRID_COLOUR, linewidth=0.8)
        axes.text(0.1, level + 0.1, str(level), color=TEXT_COLOUR, fontsize=12)
    for angle, name in zip(angles, names, strict=True):
        axes.plot([0, 5 * cos(angle)], [0, 5 * sin(angle)], color=GRID_COLOUR, linewidth=0.8)
        horizontal = "center" if abs(cos(angle)) < 0.2 else ("left" if cos(angle) > 0 else "right")
        vertical = "center" if abs(sin(angle)) < 0.2 else ("bottom" if sin(angle) > 0 else "top")
        axes.text(5.35 * cos(angle), 5.35 * sin(angle), _wrap(name, 14), ha=horizontal,
                  va=vertical, color=TEXT_COLOUR, parse_math=False)
    if payload["band"]:
        low_x, low_y = points(payload["band"][0])
        high_x, high_y = points(payload["band"][1])
        if not any(v is None for v in payload["band"][0] + payload["band"][1]):
            axes.fill([*high_x, *reversed(low_x)], [*high_y, *reversed(low_y)],
                      color=BAND_COLOUR, alpha=0.35, linewidth=0, label=payload["band_label"])
    for index, (label, values) in enumerate(payload["series"]):
        xs, ys = points(values)
        axes.plot(xs, ys, label=_wrap(label, 40), **_line_style(index))
    axes.set_xlim(-7.4, 7.4)
    axes.set_ylim(-5.9, 6.0)
    _legend(figure, axes, len(payload["series"]) + (1 if payload["band"] else 0))
    _title(axes, payload["title"])


def _draw_dots(figure: Figure, payload: dict[str, Any]) -> None:
    names = payload["dimensions"]
    axes = figure.add_subplot()
    rows = list(range(len(names)))[::-1]  # first dimension at the top
    for row, column in zip(rows, range(len(names)), strict=True):
        scored = sorted((values[column], name) for name, values in payload["departments"]
                        if values[column] is not None)
        xs = [score for score, _ in scored]
        axes.scatter(xs, [row + offset for offset in _stacked(xs)], s=80, facecolors="none",
                     edgecolors=PALETTE[0], linewidths=1.8, zorder=3)
        _name_extremes(axes, row, scored)
        organisation = payload["organisation"]
        if organisation and organisation[1][column] is not None:
            axes.plot([organisation[1][column]] * 2, [row - 0.22, row + 0.22], color=PALETTE[1],
                      linewidth=3, zorder=4, label=organisation[0] if column == 0 else None)
    axes.set_yticks(rows, [_wrap(name, 16) for name in names])
    axes.set_ylim(-0.8, len(names) - 0.2)
    _score_axis(axes, "x")
    if payload["organisation"]:
        _legend(figure, axes, 1)
    _title(axes, payload["title"])


def _stacked(xs: list[float]) -> list[float]:
    """Vertical offsets so departments with the same score stay visible as separate dots."""
    keys = [round(x, 2) for x in xs]
    tallest = max(Counter(keys).values(), default=1)
    step = min(0.1, 0.7 / tallest)
    seen: dict[float, int] = {}
    offsets = []
    for key in keys:
        count = seen[key] = seen.get(key, -1) + 1
        offsets.append(step * ((count + 1) // 2) * (1 if count % 2 else -1))
    return offsets


def _name_extremes(axes: Axes, row: int, scored: list[tuple[float, str]]) -> None:
    """Name the lowest and highest department of a row when each is alone at its score."""
    if len(scored) < 2 or scored[-1][0] - scored[0][0] < 0.05:
        return
    if scored[1][0] - scored[0][0] >= 0.005:
        axes.text(scored[0][0], row - 0.3, _wrap(scored[0][1], 22), ha="left", va="top",
                  fontsize=13, color=TEXT_COLOUR, parse_math=False)
    if scored[-1][0] - scored[-2][0] >= 0.005:
        axes.text(scored[-1][0], row + 0.3, _wrap(scored[-1][1], 22), ha="right", va="bottom",
                  fontsize=13, color=TEXT_COLOUR, parse_math=False)


def _draw_trend(figure: Figure, payload: dict[str, Any]) -> None:
    axes = figure.add_subplot()
    positions = list(range(len(payload["rounds"])))
    for index, (label, values) in enumerate(payload["series"]):
        axes.plot(positions, [nan if v is None else v for v in values],
                  label=_wrap(label, 30), **_line_style(index))
    axes.set_xticks(positions, [_wrap(name, 18) for name in payload["rounds"]])
    axes.set_xlim(-0.3, len(positions) - 0.7)
    _score_axis(axes, "y")
    _legend(figure, axes, len(payload["series"]))
    _title(axes, payload["title"])


def _line_style(index: int) -> dict[str, Any]:
    return {
        "color": PALETTE[index % len(PALETTE)],
        "linestyle": LINE_STYLES[index % len(LINE_STYLES)],
        "marker": MARKERS[index % len(MARKERS)],
        "linewidth": 3 if index == 0 else 2.2,
        "markersize": 7,
    }


def _score_axis(axes: Axes, which: str) -> None:
    setter = axes.set_xlim if which == "x" else axes.set_ylim
    ticks = axes.set_xticks if which == "x" else axes.set_yticks
    setter(0.6, 5.4)
    ticks(LEVELS, [str(level) for level in LEVELS])
    axes.grid(axis=which, color=GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_parse_math(False)


def _legend(figure: Figure, axes: Axes, entries: int) -> None:
    if entries == 0:
        return
    handles, labels = axes.get_legend_handles_labels()
    legend = figure.legend(handles, labels, loc="outside lower center", frameon=False,
                           ncols=min(entries, 2))
    for text in legend.get_texts():
        text.set_parse_math(False)


def _title(axes: Axes, title: str) -> None:
    axes.figure.suptitle(_wrap(title, 50), x=0.02, ha="left", color=TEXT_COLOUR,
                         fontsize=17, parse_math=False)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text
