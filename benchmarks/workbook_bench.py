"""Benchmark: the workshop workbook of a big round against a bare openpyxl write.

    python -m benchmarks.workbook_bench [--departments 2000] [--respondents 5]
                                        [--questions-per-dimension 8]

Builds a round in a temporary SQLite database through the importer
(:mod:`benchmarks.workload`; 2,000 x 5 x 40 = 400,000 answers by default),
then measures, each in a fresh process so memory figures do not mix:

- ``workbook``: ``services.exports.write_round_workbook``: analysis, all six
  sheets, both charts, safe cells, openpyxl write-only mode, answers streamed
  from the database;
- ``bare``: the same Answers rows, already in memory as plain tuples, appended
  to one openpyxl write-only sheet and saved: nothing else.

It prints wall time, peak memory (the process peak from ``resource.getrusage``,
and the growth of resident memory sampled every 20 ms during the measured
step) and the ratios of the two.  Run it on a quiet machine: other processes
competing for the CPU stretch both times unevenly.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.workload import load_round, make_rows, trimmed_bank, workload_app

_PAGE_BYTES = resource.getpagesize()
MB = 1024 * 1024


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
        figures["process_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _bare_rows(round_id: int) -> list[tuple[Any, ...]]:
    """The Answers sheet's rows as plain values, built the way the workbook shows them."""
    from assessment.queries.exports import answer_export_rows
    from assessment.services import results, rounds

    bank = results.round_bank(rounds.require_round(round_id))
    labels = {str(level.level): (f"{level.level} {level.name.en}", level.level)
              for level in bank.scale}
    labels |= {"dont_know": ("Don't know", None), "not_applicable": ("Not applicable", None)}
    rows = []
    for dep, directorate, who, qid, value, comment, evidence, challenged, note in \
            answer_export_rows(round_id, submitted_only=True):
        question = bank.question(qid)
        rows.append((dep, directorate, who, bank.dimension(question.dimension).name.en, qid,
                     question.text.en, *labels[value], comment, evidence,
                     "Yes" if challenged else "No", note))
    return rows


def _measure(kind: str, database: Path, round_id: int, out: Path) -> dict[str, float]:
    """One measurement, in this (fresh) process."""
    from openpyxl import Workbook

    from assessment.services import exports
    from assessment.workbook import WorkbookOptions

    app = workload_app(database)
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


def _in_fresh_process(kind: str, database: Path, round_id: int, folder: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "benchmarks.workbook_bench", "--measure", kind,
               "--database", str(database), "--round", str(round_id),
               "--out", str(folder / f"{kind}.xlsx")]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _timed(label: str, step: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = step()
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


def _build_round(database: Path, departments: int, respondents: int,
                 questions_per_dimension: int | None) -> int:
    bank = trimmed_bank(None, questions_per_dimension)
    rows = _timed("generate rows", lambda: make_rows(
        departments, respondents, questions_per_dimension, bank))
    app = workload_app(database, bank)
    round_id = _timed("import through services.importer", lambda: load_round(app, rows))
    print(f"round: {departments:,} departments x {respondents} respondents x "
          f"{len(bank.questions)} questions = {len(rows) - 1:,} answers", flush=True)
    return round_id


def run(departments: int, respondents: int, questions_per_dimension: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as name:
        folder = Path(name)
        database = folder / "bench.sqlite"
        round_id = _build_round(database, departments, respondents, questions_per_dimension)
        figures = {kind: _in_fresh_process(kind, database, round_id, folder)
                   for kind in ("workbook", "bare")}
    _report(figures)


def _report(figures: dict[str, dict[str, float]]) -> None:
    """The bare write's rows are in memory before it starts, so its growth is near 0:
    the memory ratio compares process peaks (``resource.getrusage``)."""
    ours, bare = figures["workbook"], figures["bare"]
    print(f"\n{'':22}{'rows':>10}{'time':>10}{'process peak':>15}{'growth in step':>17}{'file':>10}")
    for label, f in (("workbook (6 sheets)", ours), ("bare write-only", bare)):
        print(f"{label:22}{f['rows']:>10,.0f}{f['seconds']:>9.1f}s{f['process_peak_mb']:>12.0f} MB"
              f"{f['peak_growth_mb']:>14.0f} MB{f['file_mb']:>7.1f} MB")
    print(f"{'ratio':22}{'':>10}{ours['seconds'] / bare['seconds']:>9.2f}x"
          f"{ours['process_peak_mb'] / bare['process_peak_mb']:>12.2f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--respondents", type=int, default=5)
    parser.add_argument("--questions-per-dimension", type=int, default=8)
    parser.add_argument("--measure", choices=("workbook", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(args.measure, args.database, args.round, args.out)))
    else:
        run(args.departments, args.respondents, args.questions_per_dimension)


if __name__ == "__main__":
    main()
