"""Charts: accessible, scalable SVG and PNG, drawn once per content, text never parsed.

Drawing happens outside any request here (flask_babel falls back to English).
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import charts
from assessment.charts import DotPlot, RadarChart, TrendChart

from .support.charts import demo_spread

ROOT = Path(__file__).resolve().parents[1]
DIMENSIONS = ["Objectives", "Listening", "Culture", "Governance", "Measurement"]
HOSTILE = "R&D $x^$ <script>alert(1)</script>"


def radar(title="Organisation", series=None, band=None, fmt="svg") -> bytes:
    series = series or [("Organisation", [2.5, 2.0, None, 4.0, 1.5])]
    return charts.draw(RadarChart(title, DIMENSIONS, series, band), fmt)


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120,
    )
    return result.stdout.strip()


def test_create_app_loads_no_heavy_library_until_it_is_used():
    # Issue #14: matplotlib, openpyxl and huey load when first used, not at start-up.
    out = run_python(
        "import sys\n"
        "from assessment import create_app\n"
        "app = create_app({'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "print(*(name in sys.modules for name in "
        "('matplotlib', 'assessment.charts', 'openpyxl', 'huey')))\n"
        "from assessment.jobs import job_queue\n"
        "print(type(job_queue(app)).__name__, 'huey' in sys.modules)\n"
    )
    assert out.splitlines() == ["False False False False", "JobQueue True"]


def test_importing_the_charts_module_does_not_import_matplotlib():
    out = run_python(
        "import sys\n"
        "from assessment import charts\n"
        "charts.RadarChart('T', ['a', 'b', 'c'], [('s', [1.0, 2.0, 3.0])]).payload()\n"
        "print('matplotlib' in sys.modules)\n"
    )
    assert out == "False"


def test_drawing_uses_the_figure_api_without_pyplot():
    out = run_python(
        "import sys\n"
        "from assessment import charts\n"
        "charts.draw(charts.RadarChart('T', ['a', 'b', 'c'], [('s', [1.0, 2.0, 3.0])]), 'png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    assert out == "False"


def test_svg_is_an_accessible_image_with_title_and_description():
    svg = radar("Aberbrook: organisation scores").decode("utf-8")
    assert svg.startswith("<svg")
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    assert 'role="img"' in opening
    title_id = re.search(r'aria-labelledby="([^"]+)"', opening).group(1)
    desc_id = re.search(r'aria-describedby="([^"]+)"', opening).group(1)
    assert f'<title id="{title_id}">Aberbrook: organisation scores</title>' in svg
    assert re.search(rf'<desc id="{desc_id}">Organisation: Objectives 2.5, Listening 2.0, Culture –', svg)


def test_svg_scales_to_its_container():
    opening = re.match(r"<svg[^>]*>", radar().decode()).group(0)
    assert "viewBox=" in opening
    assert not re.search(r"\s(width|height)=", opening)
    assert "<?xml" not in radar().decode() and "<metadata>" not in radar().decode()


def test_png_is_a_png_image():
    png = radar(fmt="png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="svg or png"):
        radar(fmt="pdf")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_names_with_markup_and_dollar_signs_are_drawn_literally(fmt):
    series = [(HOSTILE, [1.0, 2.0, 3.0, 4.0, 5.0])]
    drawn = {
        "radar": charts.draw(RadarChart(HOSTILE, [HOSTILE, "B", "C"], [(HOSTILE, [1.0, 2.0, 3.0])]), fmt),
        "dots": charts.draw(DotPlot(HOSTILE, DIMENSIONS, [*series, ("Other", [2.0] * 5)],
                                    (HOSTILE, [1.5] * 5)), fmt),
        "trend": charts.draw(TrendChart(HOSTILE, [HOSTILE, "2026"], [(HOSTILE, [1.0, 2.0])]), fmt),
    }
    if fmt == "png":
        assert all(content.startswith(b"\x89PNG") for content in drawn.values())
    else:
        for content in drawn.values():
            text = content.decode("utf-8")
            assert "<script>" not in text
            assert "R&amp;D $x^$ &lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_each_chart_is_drawn_once_per_content():
    first = radar("Cached chart")
    assert radar("Cached chart") is first
    assert radar("Another chart") != first


def test_the_cache_key_is_the_same_in_every_process():
    payload = {"title": "T", "values": [1.5, None]}
    here = charts._cache_key("radar", "svg", payload)
    there = run_python(
        "from assessment import charts\n"
        "print(charts._cache_key('radar', 'svg', {'values': [1.5, None], 'title': 'T'}))\n"
    )
    assert here == there


def test_the_same_content_draws_the_same_bytes_after_the_cache_is_emptied():
    first = radar("Deterministic")
    charts._cache.clear()
    assert radar("Deterministic") == first


def test_ids_differ_between_charts_so_several_can_share_a_page():
    ids_one = set(re.findall(r'\bid="([^"]+)"', radar("One").decode()))
    ids_two = set(re.findall(r'\bid="([^"]+)"', radar("Two").decode()))
    assert ids_one and not ids_one & ids_two


def test_internal_references_follow_the_renamed_ids():
    svg = radar("Clipped", band=([1.0] * 5, [4.0] * 5)).decode()
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    for reference in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg):
        assert (reference[0] or reference[1]) in ids


def test_a_band_and_missing_values_are_drawn_without_error():
    band = ([1.0, None, 2.0, 1.0, 2.0], [4.0, None, 3.0, 4.5, 2.5])
    assert radar("Band", band=band, fmt="png").startswith(b"\x89PNG")
    assert charts.draw(DotPlot("Empty", DIMENSIONS, [])).startswith(b"<svg")
    trend = TrendChart("Gaps", ["2025", "2026"], [("Objectives", [None, 2.0])])
    assert charts.draw(trend).startswith(b"<svg")


# --- slides: 16:9 PNGs, readable text, names beside their dots ------------------------------------

SLIDE = (1920, 1080)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's header (its IHDR chunk comes first)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def every_kind() -> list[charts.Chart]:
    names, departments, organisation = demo_spread()
    return [RadarChart("Radar", names, [("Organisation", organisation)]),
            DotPlot("Spread", names, departments, ("Organisation", organisation)),
            TrendChart("Trend", ["2025", "2026"], [(names[0], [1.5, 2.5])])]


@pytest.mark.parametrize("chart", every_kind(), ids=lambda chart: chart.kind)
def test_pngs_are_16_9_at_slide_resolution_and_svgs_keep_their_proportions(chart):
    assert png_size(charts.draw(chart, "png")) == SLIDE
    opening = re.match(r"<svg[^>]*>", charts.draw(chart).decode()).group(0)
    view_box = {"radar": "0 0 460.8 432", "dots": "0 0 504 374.4", "trend": "0 0 504 374.4"}
    assert f'viewBox="{view_box[chart.kind]}"' in opening


@pytest.mark.parametrize("chart", every_kind(), ids=lambda chart: chart.kind)
def test_png_text_is_at_least_14_points(chart):
    from matplotlib.text import Text

    from assessment import chart_drawing

    figure = chart_drawing.draw_figure(chart, chart.payload(), "png")
    sizes = {text.get_text(): text.get_fontsize() for text in figure.findobj(Text)
             if text.get_text() and text.get_visible()}
    assert sizes and min(sizes.values()) >= 14, sizes


def label_boxes(chart: DotPlot, fmt: str):
    """The drawn names of a spread chart: (text, box in pixels), the axes' box, the pixels of a score."""
    from assessment import chart_drawing

    figure = chart_drawing.draw_figure(chart, chart.payload(), fmt)
    renderer = figure.canvas.get_renderer()
    [axes] = figure.axes
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in axes.texts]
    return boxes, axes.get_window_extent(renderer), axes.transData.transform, figure


def assert_apart_and_inside(boxes, frame) -> None:
    for index, (_, box) in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        for other_text, other in boxes[index + 1:]:
            assert not box.overlaps(other), (boxes[index][0], other_text)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_demo_spread_chart_names_its_extremes_beside_their_dots(fmt, tmp_path):
    names, departments, organisation = demo_spread()
    chart = DotPlot("2026 baseline: spread of department scores", names, departments,
                    ("Organisation", organisation))
    boxes, frame, to_pixels, figure = label_boxes(chart, fmt)
    scores = dict(departments)
    row_of = {name: len(names) - 1 - index for index, name in enumerate(names)}  # first at the top
    expected = [("Highways", "Listening"), ("Communications", "Listening"),
                ("Adult Social Care", "Governance"), ("Libraries", "Governance"),
                ("Communications", "Measurement")]
    assert sorted(text.replace("\n", " ") for text, _ in boxes) == sorted(n for n, _ in expected)
    assert_apart_and_inside(boxes, frame)
    for department, dimension in expected:
        x, y = to_pixels((scores[department][names.index(dimension)], row_of[dimension]))
        nearest = min(max(box.x0 - x, 0, x - box.x1) ** 2 + max(box.y0 - y, 0, y - box.y1) ** 2
                      for text, box in boxes if text.replace("\n", " ") == department) ** 0.5
        dot_and_gap = (chart_drawing_dot_radius() + 2.0 + 0.2 * 14 + 1) * figure.dpi / 72
        assert nearest <= dot_and_gap, (department, dimension, nearest)
    if fmt == "png":
        png = charts.draw(chart, "png")
        (tmp_path / "spread-chart.png").write_bytes(png)
        assert png_size(png) == SLIDE


def chart_drawing_dot_radius() -> float:
    from assessment import chart_drawing

    return chart_drawing.dot_radius(chart_drawing.DOT_AREA, chart_drawing.DOT_EDGE)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_five_departments_sharing_the_lowest_score_are_all_named_apart(fmt):
    tied = ["Adult Social Care", "Children's Services", "Highways", "Libraries", "Waste and Recycling"]
    departments = [(name, [1.0, 3.0, 2.5, 4.0, 3.0]) for name in tied]
    departments += [(f"Department {i}", [3.0 + i / 10, 3.0, 2.5 + i / 10, 3.0, 3.0]) for i in range(6)]
    boxes, frame, _, figure = label_boxes(DotPlot("Tied", DIMENSIONS, departments), fmt)
    assert_apart_and_inside(boxes, frame)
    drawn = {text.replace("\n", " ") for text, _ in boxes}
    if drawn <= {str(n) for n in range(1, 20)}:  # numbered: the key below names them
        key = figure.legends[0].get_title().get_text()
        assert all(name in key.replace("\n", " ") for name in tied)
    else:
        assert set(tied) <= drawn


def test_where_names_cannot_fit_the_dots_are_numbered_with_a_key_below():
    departments = [(f"Department with a long name {i}", [1.0 + (i % 2) * 4, 3.0, 2.5, 1 + i / 10, 3.0])
                   for i in range(10)]
    boxes, frame, _, figure = label_boxes(DotPlot("Crowded", DIMENSIONS, departments, ("Organisation",
                                                                                        [2.5] * 5)), "svg")
    assert_apart_and_inside(boxes, frame)
    assert {text for text, _ in boxes} == {str(n) for n in range(1, 11)}
    [legend] = figure.legends
    key = legend.get_title().get_text()
    assert key.startswith("1 Department with a long name 0")
    assert all(f"{n} Department with a long name" in key for n in range(1, 11))
    assert [text.get_text() for text in legend.get_texts()] == ["Organisation"]


def test_a_round_where_five_departments_share_a_score_downloads_slide_pngs(lead_client, round_factory):
    """The chart files of a real round: 1920 by 1080 PNGs; every tied name on the spread chart."""
    tied = ["Parks", "Roads", "Schools", "Housing", "Libraries"]
    made = round_factory(departments={**dict.fromkeys(tied, "1"), "Planning": "3", "Waste": "4"})
    for name in ("radar", "dots"):
        png = lead_client.get(f"/rounds/{made.id}/charts/{name}.png")
        assert png.status_code == 200 and png_size(png.data) == SLIDE
    svg = lead_client.get(f"/rounds/{made.id}/charts/dots.svg").get_data(as_text=True)
    assert all(f">{name}<" in svg or f" {name}" in svg for name in tied)


def test_a_numbered_key_draws_names_with_markup_and_dollar_signs_literally():
    departments = [(f"{HOSTILE} {i}", [1.0 + (i % 2) * 4, 3.0, 2.5, 1 + i / 10, 3.0]) for i in range(10)]
    chart = DotPlot("Hostile key", DIMENSIONS, departments)
    svg = charts.draw(chart).decode()
    assert "<script>" not in svg
    assert "1 R&amp;D $x^$ &lt;script&gt;alert(1)&lt;/script&gt; 0" in svg
    assert png_size(charts.draw(chart, "png")) == SLIDE
