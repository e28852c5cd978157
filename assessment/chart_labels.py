"""Department names beside their dots on the spread chart, measured and drawn with matplotlib.

:func:`name_dots` settles the figure's layout, measures each name with
matplotlib's renderer, asks :func:`assessment.chart_layout.place_labels` where
it goes, then draws it there, with a leader line when it stands away from its
dot.  When some name has no place, the dots are numbered instead and the key
("1 Highways") joins the legend below the chart; the layout is settled again
first, as the key takes room from the plot.

Labels and leader lines stay out of the constrained layout (``in_layout``
false) and the layout is frozen once settled, so saving draws exactly what was
measured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import hypot, sqrt

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from .chart_layout import Box, Label, Placement, place_labels

#: Space around a name's text: its white backing, as a fraction of the font size.
PAD = 0.2
#: Space between a dot's edge and its label, in points.
GAP_PT = 2.0


@dataclass(frozen=True)
class DotName:
    """A name for the dot at (x, y) in data units, sides in order of preference.

    ``texts`` are the name as drawn, first choice first (on one line, then
    wrapped); ``department`` is what the numbered key says.
    """

    x: float
    y: float
    texts: tuple[str, ...]
    department: str
    sides: tuple[str, ...]


def name_dots(figure: Figure, axes: Axes, dots: Sequence[tuple[float, float]], names: Sequence[DotName],
              *, dot_radius_pt: float, font_size: float, colour: str,
              add_key: Callable[[list[str]], None]) -> None:
    """Draw each name beside its dot, or number the dots and call ``add_key`` with the key's lines."""
    if not names:
        _settle(figure)
        return
    placed = _place(figure, axes, dots, names, [n.texts for n in names], dot_radius_pt, font_size, colour)
    if all(placement is not None for placement, _ in placed):
        _draw(axes, names, placed, dot_radius_pt, colour)
        return
    for _, text in placed:
        text.remove()
    numbers = {department: number for number, department
               in enumerate(dict.fromkeys(n.department for n in names), start=1)}
    add_key([f"{number} {department}" for department, number in numbers.items()])
    placed = _place(figure, axes, dots, names, [(str(numbers[n.department]),) for n in names],
                    dot_radius_pt, font_size, colour)
    _draw(axes, names, placed, dot_radius_pt, colour)


def _settle(figure: Figure) -> RendererAgg:
    """Run the constrained layout once and freeze it, so the axes stay where they were measured."""
    figure.set_layout_engine("constrained")
    renderer = FigureCanvasAgg(figure).get_renderer()
    engine = figure.get_layout_engine()
    assert engine is not None
    engine.execute(figure)
    figure.set_layout_engine("none")
    return renderer


def _place(figure: Figure, axes: Axes, dots: Sequence[tuple[float, float]], names: Sequence[DotName],
           texts: Sequence[tuple[str, ...]], dot_radius_pt: float, font_size: float,
           colour: str) -> list[tuple[Placement | None, Text]]:
    """Each label's place (``None`` where none fits), its text already moved there."""
    renderer = _settle(figure)
    pixels_per_point = figure.dpi / 72
    pad = PAD * font_size * pixels_per_point
    drawn = [axes.text(0, 0, shapes[0], ha="left", va="bottom", fontsize=font_size, color=colour,
                       parse_math=False, in_layout=False, zorder=5,
                       bbox={"boxstyle": f"square,pad={PAD}", "facecolor": "white",
                             "edgecolor": "none", "alpha": 0.85})
             for shapes in texts]
    to_pixels = axes.transData.transform
    labels = []
    for name, shapes, text in zip(names, texts, drawn, strict=True):
        sizes = []
        for shape in shapes:
            text.set_text(shape)
            extent = text.get_window_extent(renderer)
            sizes.append((extent.width + 2 * pad, extent.height + 2 * pad))
        x, y = to_pixels((name.x, name.y))
        labels.append(Label(float(x), float(y), *sizes[0], name.sides, tuple(sizes[1:])))
    frame = axes.get_window_extent(renderer)
    placements = place_labels(
        labels, Box(frame.x0, frame.y0, frame.x1, frame.y1),
        radius=dot_radius_pt * pixels_per_point, gap=GAP_PT * pixels_per_point,
        dots=[(float(x), float(y)) for x, y in to_pixels(dots)] if len(dots) else [])
    to_data = axes.transData.inverted().transform
    for placement, shapes, text in zip(placements, texts, drawn, strict=True):
        if placement is not None:
            text.set_text(shapes[placement.shape])
            text.set_position(to_data((placement.box.left + pad, placement.box.bottom + pad)))
    return list(zip(placements, drawn, strict=True))


def _draw(axes: Axes, names: Sequence[DotName], placed: Sequence[tuple[Placement | None, Text]],
          dot_radius_pt: float, colour: str) -> None:
    """Keep the placed labels (a label with no place is dropped) and draw their leader lines."""
    to_pixels = axes.transData.transform
    to_data = axes.transData.inverted().transform
    radius = dot_radius_pt * axes.figure.dpi / 72
    for name, (placement, text) in zip(names, placed, strict=True):
        if placement is None:
            text.remove()
            continue
        if not placement.leader:
            continue
        x, y = (float(v) for v in to_pixels((name.x, name.y)))
        box = placement.box
        end_x, end_y = min(max(x, box.left), box.right), min(max(y, box.bottom), box.top)
        length = hypot(end_x - x, end_y - y)
        start = (x + (end_x - x) * radius / length, y + (end_y - y) * radius / length)
        (start_x, start_y), (stop_x, stop_y) = to_data([start, (end_x, end_y)])
        axes.plot([start_x, stop_x], [start_y, stop_y], color=colour, linewidth=1,
                  zorder=4, in_layout=False)


def dot_radius(area_pt2: float, edge_pt: float) -> float:
    """The radius in points of a scatter marker of ``area_pt2`` with an edge ``edge_pt`` wide."""
    return sqrt(area_pt2) / 2 + edge_pt / 2
