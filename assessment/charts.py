"""Charts: a chart description (see :mod:`assessment.chart_types`) -> SVG or PNG bytes.

:func:`draw` is the one way to draw a chart.  It imports matplotlib (through
:mod:`assessment.chart_drawing`) only when a chart is not in the cache, so
importing this module stays cheap; ``create_app`` imports neither.

Every chart is rendered once per content: the cache key is a SHA-256 of the
chart's kind, format and input data, so every worker computes the same key and
an in-memory LRU per process can never serve stale bytes.

SVG output is made for inline use: no fixed width or height (it scales to its
container through its viewBox), ``role="img"`` with a ``<title>`` and
``<desc>``, and element ids prefixed with the content hash so several charts
can share a page.  SVG text stays text, escaped by matplotlib's XML writer.
"""

from __future__ import annotations

import hashlib
import io
import pickle  # nosec B403
import re
from html import escape
from typing import Any

from .cache import LRUCache
from .chart_types import Chart, DotPlot, RadarChart, TrendChart

__all__ = ["FORMATS", "Chart", "DotPlot", "RadarChart", "TrendChart", "clear_cache", "draw"]

FORMATS = ("svg", "png")
# Bump when the drawing changes, so cached charts of the old style are not served.
_STYLE = 4
_CACHE_SIZE = 128
# Keyed by content, not by app: any app in the process may share a drawn chart.
_cache: LRUCache[str, bytes] = LRUCache(_CACHE_SIZE)


def draw(chart: Chart, fmt: str = "svg") -> bytes:
    """The chart as ``fmt`` ("svg" or "png"): from the cache, else drawn.

    A cache hit costs only the key (about 2 ms for 2,000 departments): the
    description is written on a miss only.
    """
    if fmt not in FORMATS:
        raise ValueError(f"charts are drawn as svg or png, not {fmt!r}")
    payload = chart.payload()
    key = _cache_key(chart.kind, fmt, payload)
    return _cache.get_or_compute(key, lambda: _render(chart, payload, fmt, key))


def _render(chart: Chart, payload: dict[str, Any], fmt: str, key: str) -> bytes:
    from . import chart_drawing  # matplotlib: about a second to import, so only here

    content = chart_drawing.render(chart, payload, fmt)
    if fmt == "png":
        return content
    return _accessible_svg(content.decode("utf-8"), chart.title, chart.describe(), key).encode()


def clear_cache() -> None:
    """Forget every drawn chart (the benchmarks time first renders with this)."""
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
