"""What every benchmark shares: figures, timing, statement counts, the table, options.

A :class:`Figure` is one measured number with the limit it is compared with:
a bare equivalent measured in the same run (one GROUP BY, a bare Core insert,
a bare openpyxl write, a chart's first render ...), so a slow or busy machine
shows in both and the ratio stays meaningful.  Goals come from issue #7.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event

from benchmarks.workload import DATABASES

__all__ = ["Figure", "best_of", "count_statements", "in_app_context", "options", "print_table",
           "seconds_text"]


@dataclass(frozen=True)
class Figure:
    """One line of the table.  ``value`` and ``limit`` share ``unit``."""

    database: str
    name: str
    value: float
    unit: str = "s"
    limit: float | None = None
    limit_name: str = ""
    goal: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        return self.value / self.limit if self.limit else None


def best_of(runs: int, step: Callable[[], Any], before: Callable[[], Any] | None = None) -> float:
    """The shortest wall time of ``runs`` runs of ``step`` (``before`` runs untimed first).

    The shortest is the least disturbed by other work on the machine.
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
    """Count the SQL statements sent to ``engine`` inside the block (``counted[0]``)."""
    counted = [0]

    def count(*_args: Any) -> None:
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
    return f"{value:,.0f} {unit}"


def print_table(figures: list[Figure], title: str = "", markdown: bool = False) -> None:
    """One table: what was measured, its limit, their ratio, the goal and whether it is met."""
    head = ("database", "measure", "ours", "limit (measured)", "ratio", "goal", "verdict")
    rows = [head]
    for f in figures:
        limit = f"{_amount(f.limit, f.unit)} {f.limit_name}".strip()
        ratio = "" if f.ratio is None else f"{f.ratio:.3f}x" if f.ratio < 0.1 else f"{f.ratio:.2f}x"
        verdict = {True: "met", False: "MISSED", None: ""}[f.met]
        rows.append((f.database, f.name, _amount(f.value, f.unit), limit, ratio, f.goal, verdict))
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
                        help="share of the full workload's departments (default 1: 2,000)")
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
