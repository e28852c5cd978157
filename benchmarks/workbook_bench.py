"""Benchmark: the workshop workbook of a big round against a bare openpyxl write.

    python -m benchmarks.workbook_bench [--scale 0.1] [--database sqlite]

Builds the workload round through the importer (:mod:`benchmarks.workload`;
2,000 x 5 x 40 = 400,000 answers at full scale), then measures, each in a
fresh process so memory figures do not mix:

- ``workbook``: ``services.exports.write_round_workbook``: analysis, all six
  sheets, both charts, safe cells, openpyxl write-only mode, answers streamed
  from the database;
- ``bare``: the same Answers rows, already in memory as plain tuples, appended
  to one openpyxl write-only sheet and saved: nothing else.

The two run interleaved, workbook then bare, three times, so one busy
moment on the machine does not decide the ratio: the time reported for each
is its median, and the ratio is theirs.  It reports wall time, peak memory
(the highest process peak of the three, Linux's ``VmHWM``, and the growth of
resident memory sampled every 20 ms during the measured step).  Issue #14's
goals, stated for 2,000 departments: at most 1.5 times the bare write's
time, and a process peak under 300 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, Goal, measure_each_database, median, options, print_table
from benchmarks.fresh_process import process_peak_mb
from benchmarks.workload import DEPARTMENTS, Prepared, big_round, workload_app

_PAGE_BYTES = resource.getpagesize()
MB = 1024 * 1024
#: Workbook and bare write pairs, run one after the other.
PAIRS = 3
BASELINE = "bare write-only"
#: Issue #14's goals.
TIME_GOAL = Goal("<= 1.5x bare write-only", 1.5, on="ratio", departments=(DEPARTMENTS,))
MEMORY_GOAL = Goal("< 300 MB", 300, departments=(DEPARTMENTS,), strict=True)


def _resident_bytes() -> int:
    """The process's resident memory now (Linux /proc); 0 where unavailable."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * _PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


@contextmanager
def measured(figures: dict[str, float]) -> Iterator[None]:
    """Time a step and sample its peak resident memory growth."""
    baseline, peak, done = _resident_bytes(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _resident_bytes())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        yield
    finally:
        figures["seconds"] = time.perf_counter() - started
        done.set()
        sampler.join()
        figures["peak_growth_mb"] = max(0, max(peak[0], _resident_bytes()) - baseline) / MB
        figures["process_peak_mb"] = process_peak_mb()


def _bare_rows(round_id: int) -> list[tuple[Any, ...]]:
    """The Answers sheet's rows as plain values, built the way the workbook shows them."""
    from assessment.queries.exports import answer_export_rows
    from assessment.services import results, rounds

    bank = results.round_bank(rounds.require_round(round_id))
    labels = {str(level.level): (f"{level.level} {level.name.en}", level.level)
              for level in bank.scale}
    labels |= {"dont_know": ("Don't know", None), "not_applicable": ("Not applicable", None)}
    rows = []
    for (dep, directorate, who, qid, value, comment, evidence, challenged, note, state,
         reply) in answer_export_rows(round_id, submitted_only=True):
        question = bank.question(qid)
        rows.append((dep, directorate, who, bank.dimension(question.dimension).name.en, qid,
                     question.text.en, *labels[value], comment, evidence,
                     "Yes" if challenged else "No", note, state, reply))
    return rows


def _measure(kind: str, database_url: str, bank_path: Path, round_id: int,
             out: Path) -> dict[str, float]:
    """One measurement, in this (fresh) process."""
    from openpyxl import Workbook

    from assessment.services import exports
    from assessment.workbook import WorkbookOptions

    app = workload_app(database_url, bank_path)
    figures: dict[str, float] = {}
    with app.app_context():
        if kind == "workbook":
            with measured(figures):
                figures["rows"] = exports.write_round_workbook(round_id, str(out),
                                                               WorkbookOptions())
        else:
            rows = _bare_rows(round_id)
            with measured(figures):
                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet("Answers")
                for row in rows:
                    sheet.append(row)
                workbook.save(out)
            figures["rows"] = len(rows)
    figures["file_mb"] = out.stat().st_size / MB
    return figures


def _in_fresh_process(kind: str, setup: Prepared, round_id: int) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.workbook_bench", "--measure", kind,
               "--database-url", setup.url, "--bank", str(setup.bank_path),
               "--round", str(round_id), "--out", str(setup.folder / f"{kind}.xlsx")]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(setup: Prepared) -> list[Figure]:
    """The workbook and the bare write of the workload round, interleaved, each in a fresh process.

    The memory figure is the highest process peak of the workbook's runs.
    """
    round_id = big_round(setup)
    runs: dict[str, list[dict[str, float]]] = {"workbook": [], "bare": []}
    for _ in range(PAIRS):
        for kind in ("workbook", "bare"):
            runs[kind].append(_in_fresh_process(kind, setup, round_id))
    ours, bare = runs["workbook"], runs["bare"]
    size = setup.workload.departments
    name = f"workbook ({ours[0]['rows']:,.0f} answer rows, {size:,} departments)"
    return [
        Figure(setup.kind, f"{name}, time, median of {PAIRS} interleaved",
               median([r["seconds"] for r in ours]), limit=median([r["seconds"] for r in bare]),
               limit_name=BASELINE, goal=TIME_GOAL, departments=size),
        Figure(setup.kind, f"{name}, process peak, highest of {PAIRS}",
               max(r["process_peak_mb"] for r in ours), unit="MB",
               limit=max(r["process_peak_mb"] for r in bare), limit_name=BASELINE,
               goal=MEMORY_GOAL, departments=size),
        # The bare write's rows are in memory before it starts: its growth is about 0.
        Figure(setup.kind, f"{name}, memory growth while writing",
               max(r["peak_growth_mb"] for r in ours), unit="MB"),
    ]


def main(argv: list[str] | None = None) -> None:
    measuring = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    measuring.add_argument("--measure", choices=("workbook", "bare"))
    measuring.add_argument("--database-url")
    measuring.add_argument("--bank", type=Path)
    measuring.add_argument("--round", type=int)
    measuring.add_argument("--out", type=Path)
    inner, rest = measuring.parse_known_args(argv)
    if inner.measure:  # one measurement, in the fresh process run() started
        print(json.dumps(_measure(inner.measure, inner.database_url, inner.bank, inner.round,
                                  inner.out)))
        return
    args = options(__doc__.split("\n\n")[0], rest)
    print_table(measure_each_database(args, run), markdown=args.markdown)


if __name__ == "__main__":
    main()
