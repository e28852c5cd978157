"""Names beside their dots (assessment.chart_layout): never overlapping, each beside its own dot.

Pure geometry, no matplotlib: the charts' own drawing is checked in tests/test_charts.py.
Positions here are pixels of a 1500 by 800 plot, as the spread chart maps scores 0.6 to 5.4
across it and puts one row per dimension down it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.chart_layout import SIDES, Box, Label, Placement, key_lines, place_labels

from .support.charts import demo_spread

RADIUS, GAP = 8.0, 4.0
OFFSET = RADIUS + GAP
BOUNDS = Box(0, 0, 1500, 800)
LOW_END = ("left", "above", "below", "right")
HIGH_END = ("right", "above", "below", "left")
CHARACTER, LINE = 13.0, 34.0  # a generous name width per character and a label's height


def x_of(score: float) -> float:
    return (score - 0.6) / 4.8 * BOUNDS.right


def y_of(row: int, rows: int = 5) -> float:
    """Rows from the top, the first dimension highest, as the chart draws them."""
    return (rows - 1 - row + 0.8) / (rows + 0.6) * BOUNDS.top


def label(x: float, y: float, name: str, sides: tuple[str, ...] = SIDES) -> Label:
    return Label(x, y, CHARACTER * len(name), LINE, sides)


def assert_well_placed(labels: list[Label], placements: list[Placement | None],
                       bounds: Box = BOUNDS, reach_heights: float = 4) -> None:
    """No two boxes overlap; each is inside the bounds, of its label's size, beside its own dot."""
    boxes = [p.box for p in placements if p is not None]
    for index, box in enumerate(boxes):
        assert box.inside(bounds)
        assert not any(box.overlaps(other) for other in boxes[index + 1:]), box
    for item, placement in zip(labels, placements, strict=True):
        if placement is None:
            continue
        width, height = item.shapes[placement.shape]
        box = placement.box
        assert (box.right - box.left, box.top - box.bottom) == pytest.approx((width, height))
        distance = box.distance_to(item.x, item.y)
        if placement.leader:  # stacked along, within reach, clear of its own dot
            assert OFFSET < distance <= OFFSET + reach_heights * height + 1e-6
        else:  # touching: exactly the gap from the dot's edge
            assert distance == pytest.approx(OFFSET)


def test_boxes_that_only_touch_do_not_overlap():
    box = Box(0, 0, 10, 10)
    assert not box.overlaps(Box(10, 0, 20, 10)) and not box.overlaps(Box(0, 10, 10, 20))
    assert box.overlaps(Box(9.9, 9.9, 20, 20))
    assert box.distance_to(13, 14) == 5 and box.distance_to(5, 5) == 0


def test_the_demonstration_rounds_named_departments_sit_beside_their_dots():
    names, departments, _ = demo_spread()
    by_name = dict(departments)
    dots = [(x_of(score), y_of(row)) for _, scores in departments
            for row, score in enumerate(scores) if score is not None]
    # The ends the chart names (tests/test_charts.py holds the chart to them).
    listening, governance, measurement = (names.index(n) for n in ("Listening", "Governance", "Measurement"))
    named = [("Highways", listening, LOW_END), ("Communications", listening, HIGH_END),
             ("Adult Social Care", governance, LOW_END), ("Libraries", governance, HIGH_END),
             ("Communications", measurement, HIGH_END)]
    labels = [label(x_of(by_name[n][row]), y_of(row), n, sides) for n, row, sides in named]
    placements = place_labels(labels, BOUNDS, radius=RADIUS, gap=GAP, dots=dots)
    assert all(p is not None and not p.leader for p in placements)
    assert_well_placed(labels, placements)
    highways, libraries = placements[0], placements[3]
    assert highways is not None and libraries is not None and not highways.box.overlaps(libraries.box)


def test_naming_every_department_of_the_demonstration_round_never_overlaps():
    """Twelve names to a row in a cluster: stacked with leader lines, or left for numbering."""
    _, departments, _ = demo_spread()
    labels, dots = [], []
    for row in range(5):
        seen: dict[float, int] = {}
        for name, scores in departments:
            score = scores[row]
            assert score is not None
            count = seen[round(score, 2)] = seen.get(round(score, 2), -1) + 1
            x, y = x_of(score), y_of(row) + 14 * ((count + 1) // 2) * (1 if count % 2 else -1)
            dots.append((x, y))
            labels.append(label(x, y, name))
    placements = place_labels(labels, BOUNDS, radius=RADIUS, gap=GAP, dots=dots)
    assert_well_placed(labels, placements)
    assert any(p is not None and p.leader for p in placements)


def tied_labels(bounds: Box = BOUNDS) -> tuple[list[Label], list[tuple[float, float]]]:
    """Five departments sharing the lowest score, 1.0, stacked 14 px apart as the chart draws them."""
    names = ["Adult Social Care", "Children's Services", "Highways", "Libraries", "Waste and Recycling"]
    x, y = x_of(1.0), y_of(2)
    ys = [y + 14 * ((i + 1) // 2) * (1 if i % 2 else -1) for i in range(5)]
    labels = [label(x, dot_y, name, LOW_END) for name, dot_y in zip(names, ys, strict=True)]
    others = [(x_of(3.0 + i / 10), y_of(2)) for i in range(6)]
    return labels, [(x, dot_y) for dot_y in ys] + others


def test_five_departments_sharing_one_score_are_all_named_without_overlap():
    labels, dots = tied_labels()
    placements = place_labels(labels, BOUNDS, radius=RADIUS, gap=GAP, dots=dots)
    assert all(p is not None for p in placements)
    assert_well_placed(labels, placements)
    assert any(p is not None and p.leader for p in placements)  # five cannot all touch their dots


def test_where_names_do_not_fit_some_come_back_unplaced_and_numbers_fit():
    tight = Box(0, y_of(2) - 60, 1500, y_of(2) + 60)
    labels, dots = tied_labels(tight)
    placements = place_labels(labels, tight, radius=RADIUS, gap=GAP, dots=dots)
    assert None in placements
    assert_well_placed(labels, placements, tight)
    numbers = [Label(item.x, item.y, CHARACTER * 1.2, LINE, item.sides) for item in labels]
    numbered = place_labels(numbers, tight, radius=RADIUS, gap=GAP, dots=dots)
    assert None not in numbered
    assert_well_placed(numbers, numbered, tight)


def test_a_wrapped_shape_is_used_where_the_long_one_would_cover_dots():
    x, y = x_of(1.0), y_of(2)
    cluster = [(x_of(1.6 + i / 20), y + dy) for i in range(6) for dy in (-30, 0, 30, 60)]
    item = Label(x, y, 400, LINE, LOW_END, wrapped=((200, 2 * LINE),))
    [placement] = place_labels([item], Box(x - 100, 0, 1500, 800), radius=RADIUS, gap=GAP, dots=cluster)
    assert placement is not None and placement.shape == 1 and not placement.leader


def test_the_layout_is_the_same_every_time():
    labels, dots = tied_labels()
    first = place_labels(labels, BOUNDS, radius=RADIUS, gap=GAP, dots=dots)
    assert place_labels(list(labels), BOUNDS, radius=RADIUS, gap=GAP, dots=list(reversed(dots))) == first


def test_the_key_runs_entries_on_in_lines_that_fit():
    entries = ["1 Highways", "2 Libraries", "3 Adult Social Care", "4 " + "Very long name " * 6]
    lines = key_lines(entries, 30)
    assert all(len(line) <= 30 for line in lines)
    assert lines[0] == "1 Highways   2 Libraries"
    text = " ".join(lines)
    assert all(word in text.split() for entry in entries for word in entry.split())
    assert key_lines([], 30) == []


POSITIONS = st.tuples(st.floats(0, 1500), st.floats(0, 800))
SIZES = st.tuples(st.floats(5, 300), st.floats(10, 60))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(POSITIONS, SIZES, st.permutations(SIDES)), max_size=25),
       st.lists(POSITIONS, max_size=60))
def test_random_labels_never_overlap_and_each_sits_beside_its_own_dot(items, other_dots):
    labels = [Label(x, y, w, h, tuple(sides)) for (x, y), (w, h), sides in items]
    dots = [(item.x, item.y) for item in labels] + other_dots
    placements = place_labels(labels, BOUNDS, radius=RADIUS, gap=GAP, dots=dots)
    assert_well_placed(labels, placements)
