"""Charts: scores already computed by ``assessment.core`` -> SVG or PNG bytes.

matplotlib's Figure API only (never pyplot, which keeps global state).  Text is
never parsed as mathtext, so a department called ``R&D $x^$`` is drawn as
written; SVG text stays text (escaped by matplotlib's XML writer).

Import this module only where a chart is drawn: importing matplotlib costs
about a second per process, and ``create_app`` must not pay it.

Every chart is rendered once per content: the cache key is a SHA-256 of the
chart's kind, format and input data, so every worker computes the same key and
an in-memory LRU per process can never serve stale bytes.

SVG output is made for inline use: no fixed width or height (it scales to its
container through its viewBox), ``role="img"`` with a ``<title>`` and
``<desc>``, and element ids prefixed with the content hash so several charts
can share a page.
"""

from __future__ import annotations

import hashlib
import io
import pickle  # nosec B403
import re
import textwrap
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from html import escape
from math import cos, nan, pi, sin
from typing import Any

import matplotlib
from flask_babel import gettext as _
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["FORMATS", "dot_plot", "radar_chart", "trend_chart"]

matplotlib.rcParams.update({
    "text.parse_math": False,
    "svg.fonttype": "none",
    "svg.hashsalt": "joined-up",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial"],
    "font.size": 16,
    "legend.fontsize": 15,
})

FORMATS = ("svg", "png")
#: Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
BAND_COLOUR = "#56B4E9"
GRID_COLOUR = "#b1b4b6"
TEXT_COLOUR = "#0b0c0c"
PNG_DPI = 150
LEVELS = (1, 2, 3, 4, 5)
# Bump when the drawing changes, so cached charts of the old style are not served.
_STYLE = 3
_CACHE_SIZE = 128
_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()

Series = Sequence[tuple[str, Sequence[float | None]]]


def radar_chart(
    title: str,
    dimension_names: list[str],
    series: list[tuple[str, list[float | None]]],
    band: tuple[list[float | None], list[float | None]] | None = None,
    fmt: str = "svg",
) -> bytes:
    """A radar of scores 1 to 5, one spoke per dimension, one line per series.

    ``band`` (lowest, highest) is shaded between, such as the range of
    department scores.  ``None`` values leave a gap.  The first series is drawn
    boldest; series beyond the palette reuse it with other line styles.
    """
    payload = {"title": title, "dimensions": dimension_names, "series": _plain(series),
               "band": None if band is None else [list(band[0]), list(band[1])],
               "band_label": _("Lowest to highest department")}
    return _render("radar", payload, fmt, title,
                   lambda: _describe(dimension_names, series, band, payload["band_label"]),
                   lambda fig: _draw_radar(fig, payload))


def dot_plot(
    title: str,
    dimension_names: list[str],
    departments: list[tuple[str, list[float | None]]],
    organisation: tuple[str, list[float | None]] | None = None,
    fmt: str = "svg",
) -> bytes:
    """One row per dimension, one dot per department, so the spread shows at once.

    The lowest and highest departments of each row are named beside their dots;
    ``organisation`` (label, scores) marks the organisation score of each dimension.
    """
    payload = {"title": title, "dimensions": dimension_names, "departments": _plain(departments),
               "organisation": None if organisation is None else _plain([organisation])[0]}
    return _render("dots", payload, fmt, title, lambda: _describe_spread(dimension_names, departments),
                   lambda fig: _draw_dots(fig, payload))


def trend_chart(
    title: str,
    round_names: list[str],
    series: list[tuple[str, list[float | None]]],
    fmt: str = "svg",
) -> bytes:
    """Scores over rounds (oldest first), one line per series (usually dimensions)."""
    payload = {"title": title, "rounds": round_names, "series": _plain(series)}
    return _render("trend", payload, fmt, title, lambda: "; ".join(
        f"{name}: " + ", ".join(f"{r} {_number(v)}" for r, v in zip(round_names, values, strict=True))
        for name, values in series
    ), lambda fig: _draw_trend(fig, payload))


# --- rendering and the cache -------------------------------------------------------


def _render(kind: str, payload: dict[str, Any], fmt: str, title: str, describe: Callable[[], str],
            draw: Callable[[Figure], None]) -> bytes:
    """The chart's bytes from the cache, else drawn.  A cache hit costs only the key
    (about 2 ms for 2,000 departments): the description is written on a miss only."""
    if fmt not in FORMATS:
        raise ValueError(f"charts are drawn as svg or png, not {fmt!r}")
    key = _cache_key(kind, fmt, payload)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    figure = Figure(figsize=(6.4, 6) if kind == "radar" else (7, 5.2), layout="constrained")
    draw(figure)
    buffer = io.BytesIO()
    if fmt == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        content = _accessible_svg(buffer.getvalue().decode("utf-8"), title, describe(), key).encode()
    else:
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        content = buffer.getvalue()
    with _cache_lock:
        _cache[key] = content
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return content


def clear_cache() -> None:
    """Forget every drawn chart (the benchmarks time first renders with this)."""
    with _cache_lock:
        _cache.clear()


def _cache_key(kind: str, fmt: str, payload: dict[str, Any]) -> str:
    """SHA-256 of the chart's style, kind, format and data (lists, strings, numbers, None).

    Serialised with pickle (``dumps`` only, never ``loads``) in "fast" mode, which
    has no memo, so equal content always gives equal bytes, in every process: it
    takes about 0.3 ms for a 2,000-department dot plot, against about 3 ms for JSON,
    which kept a cached chart over its 5 ms budget (benchmarks/README.md).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump((_STYLE, kind, fmt, sorted(payload.items())))
    return hashlib.sha256(buffer.getvalue()).hexdigest()


_SVG_TAG = re.compile(r"<svg\b[^>]*>")


def _accessible_svg(svg: str, title: str, desc: str, key: str) -> str:
    """Inline-ready SVG: scalable, named for assistive technology, unique ids."""
    prefix = "chart-" + key[:12]
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(
        r'(\bid="|url\(#|href="#)([^")]+)',
        lambda m: m.group(1) + (f"{prefix}-{m.group(2)}" if m.group(2) in ids else m.group(2)),
        svg,
    )
    opening = _SVG_TAG.search(svg)
    assert opening is not None  # matplotlib always writes one
    tag = re.sub(r'\s(width|height)="[^"]*"', "", opening.group(0))
    tag = tag[:-1] + (f' role="img" aria-labelledby="{prefix}-title"'
                      f' aria-describedby="{prefix}-desc" class="app-chart" focusable="false">')
    named = (f'<title id="{prefix}-title">{escape(title)}</title>'
             f'<desc id="{prefix}-desc">{escape(desc)}</desc>')
    return svg[:opening.start()] + tag + named + svg[opening.end():]


# --- drawing -----------------------------------------------------------------------


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


def _plain(series: Series) -> list[list[Any]]:
    return [[name, list(values)] for name, values in series]


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _describe(names: list[str], series: Series,
              band: tuple[Sequence[float | None], Sequence[float | None]] | None,
              band_label: str) -> str:
    parts = [f"{label}: " + ", ".join(f"{n} {_number(v)}" for n, v in zip(names, values, strict=True))
             for label, values in series]
    if band is not None:
        parts.append(f"{band_label}: " + ", ".join(
            _("%(name)s %(low)s to %(high)s", name=n, low=_number(low), high=_number(high))
            for n, low, high in zip(names, band[0], band[1], strict=True)))
    return "; ".join(parts)


def _describe_spread(names: list[str], departments: Series) -> str:
    parts = []
    for column, name in enumerate(names):
        scored = sorted((v[column], d) for d, v in departments if v[column] is not None)
        if scored:
            parts.append(name + ": " + _(
                "%(name)s %(low)s to %(high)s", name=scored[0][1], low=_number(scored[0][0]),
                high=f"{scored[-1][1]} {_number(scored[-1][0])}"))
    return "; ".join(parts)
