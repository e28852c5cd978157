"""What every benchmark shares: figures, timing, statement counts, the table, options.

A :class:`Figure` is one measured number with the baseline it is compared
with: a bare equivalent measured in the same run (one GROUP BY, a bare
``executemany``, a bare openpyxl write, a bare Flask app ...), so a slow or
busy machine shows in both and the ratio stays meaningful.  Its :class:`Goal`
is written as the issue states it (issue #14, or issue #7 where #14 states
none), and every row says whether it is met, or by how much it is missed.
A goal stated for a round of 2,000 or 10,000 departments is judged only on a
round of that size (``--scale 1`` or ``--scale 5``); a ratio goal stated
without a size, at any size.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event

from benchmarks.workload import DATABASES

__all__ = ["Figure", "Goal", "best_of", "count_statements", "in_app_context", "median", "options",
           "p95", "print_table", "samples", "seconds_text"]


@dataclass(frozen=True)
class Goal:
    """A goal as an issue states it: ``measured <= bound`` (``< bound`` when ``strict``).

    ``on`` is what is bounded: the figure itself (``"value"``), its ratio to the
    baseline (``"ratio"``), or how far it is above the baseline (``"above"``).
    ``departments``: the round sizes the goal is stated for (empty: any size).
    """

    text: str
    bound: float
    on: str = "value"
    departments: tuple[int, ...] = ()
    strict: bool = False


@dataclass(frozen=True)
class Figure:
    """One line of the table.  ``value`` and ``limit`` (the baseline) share ``unit``.

    ``goal`` is a :class:`Goal`, judged here; or text, with ``met`` judged by the caller.
    ``departments``: the size of the round measured, to judge goals stated for one size.
    """

    database: str
    name: str
    value: float
    unit: str = "s"
    limit: float | None = None
    limit_name: str = ""
    goal: Goal | str = ""
    met: bool | None = None
    departments: int | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.limit if self.limit else None

    @property
    def goal_text(self) -> str:
        return self.goal.text if isinstance(self.goal, Goal) else self.goal

    @property
    def verdict(self) -> str:
        """``met``, ``MISSED by`` how much, or why it is not judged."""
        if not isinstance(self.goal, Goal):
            if not self.goal:
                return "no goal stated"
            return {True: "met", False: "MISSED", None: "not judged"}[self.met]
        goal = self.goal
        if goal.departments and self.departments not in goal.departments:
            sizes = " and ".join(f"{size:,}" for size in goal.departments)
            return f"not judged (goal for {sizes} departments)"
        measured = {"value": self.value, "ratio": self.ratio,
                    "above": None if self.limit is None else self.value - self.limit}[goal.on]
        if measured is None:
            return "not judged (no baseline)"
        if measured < goal.bound or (measured == goal.bound and not goal.strict):
            return "met"
        excess = measured - goal.bound
        amount = f"{excess:.2f}x" if goal.on == "ratio" else _amount(excess, self.unit)
        share = f" ({excess / goal.bound:.0%})" if goal.bound else ""
        return f"MISSED by {amount}{share}"


def samples(runs: int, step: Callable[[], Any], before: Callable[[], Any] | None = None) -> list[float]:
    """The wall times of ``runs`` runs of ``step`` (``before`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank: of 20 samples the second slowest, of 5 the slowest."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def best_of(runs: int, step: Callable[[], Any], before: Callable[[], Any] | None = None) -> float:
    """The shortest wall time of ``runs`` runs of ``step`` (``before`` runs untimed first).

    Kept for single-process micro-measurements; the goals are judged on medians.
    """
    best = float("inf")
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - started)
    return best


def in_app_context(app: Flask, step: Callable[[], Any]) -> Callable[[], None]:
    """``step``, run in a new app context each time: a new database session, as a request has."""

    def run() -> None:
        with app.app_context():
            step()

    return run


@contextmanager
def count_statements(engine: Engine) -> Iterator[list[int]]:
    """Count the SQL statements sent to ``engine`` inside the block (``counted[0]``).

    Transaction control is not counted: on SQLite the app sends ``BEGIN`` itself (see
    ``assessment/extensions.py``), which PostgreSQL's driver sends without a cursor event,
    so counting it would make the same work look dearer on SQLite.
    """
    counted = [0]

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            counted[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", count)


def seconds_text(value: float) -> str:
    if value >= 10:
        return f"{value:.1f} s"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1000:.0f} ms"
    return f"{value * 1000:.2f} ms"


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return seconds_text(value)
    if unit == "yes/no":
        return "yes" if value else "no"
    if unit == "KB" or abs(value) >= 10 or value == int(value):
        return f"{value:,.0f} {unit}"
    return f"{value:,.1f} {unit}"


def print_table(figures: list[Figure], title: str = "", markdown: bool = False) -> None:
    """One table: what was measured, its baseline, their ratio, the goal and the verdict."""
    head = ("database", "measure", "figure", "baseline (same run)", "ratio", "goal", "verdict")
    rows = [head]
    for f in figures:
        limit = f"{_amount(f.limit, f.unit)} {f.limit_name}".strip()
        ratio = "" if f.ratio is None else f"{f.ratio:.3f}x" if f.ratio < 0.1 else f"{f.ratio:.2f}x"
        rows.append((f.database, f.name, _amount(f.value, f.unit), limit, ratio,
                     f.goal_text or "-", f.verdict))
    if title:
        print(f"\n{title}")
    if markdown:
        for number, row in enumerate(rows):
            print("| " + " | ".join(row) + " |")
            if number == 0:
                print("|" + "---|" * len(head))
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for number, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


def options(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    """``--scale`` (share of the 2,000 departments) and ``--database`` (repeatable)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="share of 2,000 departments (default 1; 5 for 10,000)")
    parser.add_argument("--database", action="append", choices=DATABASES,
                        help="sqlite or postgresql (default: both)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    args.database = args.database or list(DATABASES)
    return args


def measure_each_database(args: argparse.Namespace, run: Callable[[Any], list[Figure]]) -> list[Figure]:
    """Build the workload on each database asked for and collect ``run``'s figures."""
    import tempfile
    from pathlib import Path

    from benchmarks.workload import Workload, prepared

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        for kind in args.database:
            with prepared(kind, Workload(args.scale), Path(name)) as setup:
                figures += run(setup)
    return figures
