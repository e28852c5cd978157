"""Drawing the charts with matplotlib's Figure API (never pyplot, which keeps global state).

Imported only by :func:`assessment.charts.draw` when a chart is not in its
cache: importing matplotlib costs about a second per process.  Text is never
parsed as mathtext, so a department called ``R&D $x^$`` is drawn as written.

A PNG is a slide: 16:9, 1920 by 1080 pixels, no text under 14 pt.  An SVG keeps
its proportions and scales to its container.  The spread chart names its
extreme departments beside their dots (:mod:`assessment.chart_labels`, which
places them with :mod:`assessment.chart_layout`).
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

from .chart_labels import DotName, dot_radius, name_dots
from .chart_layout import key_lines
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
#: PNGs are for slides: 16:9, 1920 by 1080 pixels, so a 14 pt font is 39 pixels high.
PNG_SIZE_IN = (9.6, 5.4)
PNG_DPI = 200
#: The SVG scales to its container through its viewBox; these give its proportions.
SVG_SIZE_IN = {"radar": (6.4, 6.0), "dots": (7.0, 5.2), "trend": (7.0, 5.2)}
SVG_DPI = 72
LEVELS = (1, 2, 3, 4, 5)
#: The smallest text on any chart, in points.
SMALL_FONT = 14
KEY_FONT = 15
#: A generous average width of a character, in ems, to run the key on in lines that fit.
CHARACTER_EM = 0.6
DOT_AREA = 80  # points squared
DOT_EDGE = 1.8  # points
#: At most this many departments sharing the lowest (or highest) score of a row are named.
MAX_NAMED_TIES = 5
#: An end of a row is named when it is at least this far from the next score: apart once shown to 0.1.
APART = 0.1


def render(chart: Chart, payload: dict[str, Any], fmt: str) -> bytes:
    """The chart drawn from its ``payload`` as matplotlib's SVG text or PNG bytes."""
    figure = draw_figure(chart, payload, fmt)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    else:
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def draw_figure(chart: Chart, payload: dict[str, Any], fmt: str) -> Figure:
    """The chart drawn on a figure of the size ``fmt`` is saved at (tests look inside it)."""
    if fmt == "png":
        figure = Figure(figsize=PNG_SIZE_IN, dpi=PNG_DPI, layout="constrained")
    else:
        figure = Figure(figsize=SVG_SIZE_IN[chart.kind], dpi=SVG_DPI, layout="constrained")
    match chart:
        case RadarChart():
            _draw_radar(figure, payload)
        case DotPlot():
            _draw_dots(figure, payload, stretch=fmt == "svg")
        case TrendChart():
            _draw_trend(figure, payload)
    return figure


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
        # Inside its ring, below the spoke's end, clear of the top dimension's name.
        axes.text(0.12, level - 0.08, str(level), va="top", color=TEXT_COLOUR, fontsize=SMALL_FONT)
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


def _draw_dots(figure: Figure, payload: dict[str, Any], stretch: bool) -> None:
    """The spread chart; with ``stretch`` (an SVG, which scales to fit) a key makes it taller."""
    names = payload["dimensions"]
    axes = figure.add_subplot()
    rows = list(range(len(names)))[::-1]  # first dimension at the top
    dots: list[tuple[float, float]] = []
    named: list[DotName] = []
    organisation = payload["organisation"]
    for row, column in zip(rows, range(len(names)), strict=True):
        scored = sorted((values[column], name) for name, values in payload["departments"]
                        if values[column] is not None)
        xs = [score for score, _ in scored]
        ys = [row + offset for offset in _stacked(xs)]
        axes.scatter(xs, ys, s=DOT_AREA, facecolors="none", edgecolors=PALETTE[0],
                     linewidths=DOT_EDGE, zorder=3)
        dots.extend(zip(xs, ys, strict=True))
        named.extend(_named_ends(scored, ys))
        if organisation and organisation[1][column] is not None:
            score = organisation[1][column]
            axes.plot([score] * 2, [row - 0.22, row + 0.22], color=PALETTE[1], linewidth=3,
                      zorder=4, label=organisation[0] if column == 0 else None)
            dots.extend((score, row + offset) for offset in (-0.2, 0, 0.2))  # names keep off it too
    axes.set_yticks(rows, [_wrap(name, 16) for name in names])
    axes.set_ylim(-0.8, len(names) - 0.2)
    _score_axis(axes, "x")
    _legend(figure, axes, 1 if organisation else 0)
    _title(axes, payload["title"])

    def add_key(entries: list[str]) -> None:
        for legend in figure.legends[:]:
            legend.remove()
        width = int(figure.get_figwidth() * 72 / (CHARACTER_EM * KEY_FONT))
        lines = key_lines(entries, width)
        if stretch:  # room for the key below, rather than taken from the plot
            figure.set_figheight(figure.get_figheight() + len(lines) * KEY_FONT * 1.25 / 72)
        _legend(figure, axes, 1 if organisation else 0, key="\n".join(lines))

    name_dots(figure, axes, dots, named, dot_radius_pt=dot_radius(DOT_AREA, DOT_EDGE),
              font_size=SMALL_FONT, colour=TEXT_COLOUR, add_key=add_key)


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


def _named_ends(scored: list[tuple[float, str]], ys: list[float]) -> list[DotName]:
    """Names for the lowest and the highest departments of a row, where they stand apart.

    An end is named when at most :data:`MAX_NAMED_TIES` departments share its
    score and the next score is at least :data:`APART` away; a row whose
    departments all score within 0.05 of each other names none.
    """
    keys = [round(score, 2) for score, _ in scored]
    if len(keys) < 2 or keys[-1] - keys[0] < 0.05:
        return []
    names = []
    for end, sides in ((keys[0], ("left", "above", "below", "right")),
                       (keys[-1], ("right", "above", "below", "left"))):
        tied = [i for i, key in enumerate(keys) if key == end]
        nearest = min(abs(key - end) for key in keys if key != end)
        if len(tied) <= MAX_NAMED_TIES and nearest >= APART - 1e-9:
            names.extend(DotName(scored[i][0], ys[i], _shapes(scored[i][1]), scored[i][1], sides)
                         for i in tied)
    return names


def _shapes(name: str) -> tuple[str, ...]:
    """A department's name as a label: on one line where it is short, else wrapped, then narrower."""
    return tuple(dict.fromkeys((_wrap(name, 22), _wrap(name, 12))))


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


def _legend(figure: Figure, axes: Axes, entries: int, key: str = "") -> None:
    """The legend below the plot, headed by the ``key`` to numbered dots if there is one."""
    if entries == 0 and not key:
        return
    handles, labels = axes.get_legend_handles_labels() if entries else ([], [])
    legend = figure.legend(handles, labels, loc="outside lower center", frameon=False,
                           ncols=max(1, min(entries, 2)), title=key or None,
                           title_fontsize=KEY_FONT, alignment="left" if key else "center")
    legend.get_title().set_parse_math(False)
    for text in legend.get_texts():
        text.set_parse_math(False)


def _title(axes: Axes, title: str) -> None:
    axes.figure.suptitle(_wrap(title, 50), x=0.02, ha="left", color=TEXT_COLOUR,
                         fontsize=17, parse_math=False)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text
