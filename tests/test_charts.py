"""Charts: accessible, scalable SVG and PNG, drawn once per content, text never parsed.

Drawing happens outside any request here (flask_babel falls back to English).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import charts
from assessment.charts import DotPlot, RadarChart, TrendChart

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


def test_create_app_does_not_import_matplotlib_or_the_charts_module():
    out = run_python(
        "import sys\n"
        "from assessment import create_app\n"
        "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "print('matplotlib' in sys.modules, 'assessment.charts' in sys.modules)\n"
    )
    assert out == "False False"


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
