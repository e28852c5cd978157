"""Benchmark: start-up, and that nothing which draws no chart imports matplotlib.

    python -m benchmarks.startup_bench

Each figure is the median of three fresh Python processes, timed from the
process's first statement:

- ``create_app()``: importing the package and building the app, against a
  bare ``from flask import Flask; Flask(__name__)`` (the baseline);
- ``flask --help``: the command line listing its commands (it builds the app),
  run through ``flask.cli.main`` as ``flask --app app --help`` runs it;
- ``flask check-questions``: a CLI command that draws nothing;
- ``import assessment.charts`` after ``create_app()``: what a worker pays once,
  on its first chart, because start-up leaves matplotlib out.

Issue #14's goal: ``create_app()`` and ``flask --help`` at most 1 s above the
bare app.  Issue #7's: the CLI commands that draw nothing import no matplotlib
(``tests/test_startup.py`` and ``tests/test_charts.py`` check it too).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure, Goal, median, print_table

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
BASELINE = "bare Flask()"
#: Issue #14's goal, and issue #7's.
ABOVE_BARE_GOAL = Goal("<= 1 s above a bare app", 1.0, on="above")
NO_MATPLOTLIB = "no matplotlib (issue #7)"
_QUIET_CLI = ("import contextlib, io\nfrom flask.cli import main\n"
              "sys.argv = ['flask', '--app', 'app', {arguments}]\n"
              "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
              "    main()")
APP = "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})"
_REPORT = "print(json.dumps([time.perf_counter() - started, 'matplotlib' in sys.modules]))"
SNIPPETS = {
    "bare": "from flask import Flask\nFlask('bare')",
    "create_app": f"from assessment import create_app\n{APP}",
    "--help": _QUIET_CLI.format(arguments="'--help'"),
    "check-questions": _QUIET_CLI.format(arguments="'check-questions'"),
}
#: Timed after create_app, which runs untimed first.
CHARTS_IMPORT = (f"from assessment import create_app\n{APP}\n"
                 "started = time.perf_counter()\nimport assessment.charts")


def _in_fresh_process(snippet: str) -> tuple[float, bool]:
    """(seconds, whether matplotlib was imported) of ``snippet``, timed from its start."""
    program = f"import json, sys, time\nstarted = time.perf_counter()\n{snippet}\n{_REPORT}\n"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    seconds, matplotlib = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, matplotlib


def _median(snippet: str) -> tuple[float, bool]:
    runs = [_in_fresh_process(snippet) for _ in range(RUNS)]
    return median([seconds for seconds, _ in runs]), any(imported for _, imported in runs)


def run() -> list[Figure]:
    bare, _ = _median(SNIPPETS["bare"])
    figures = []
    for name in ("create_app", "--help", "check-questions"):
        seconds, matplotlib = _median(SNIPPETS[name])
        label = "create_app()" if name == "create_app" else f"flask {name}"
        figures.append(Figure("-", f"start-up: {label}, median of {RUNS}", seconds, limit=bare,
                              limit_name=BASELINE,
                              goal=ABOVE_BARE_GOAL if name != "check-questions" else ""))
        figures.append(Figure("-", f"start-up: {label} imports matplotlib", float(matplotlib),
                              unit="yes/no", goal=NO_MATPLOTLIB, met=not matplotlib))
    charts, _ = _median(CHARTS_IMPORT)
    figures.append(Figure("-", "first chart's import of matplotlib (once per worker)", charts))
    return figures


def main() -> None:
    print_table(run())


if __name__ == "__main__":
    main()
