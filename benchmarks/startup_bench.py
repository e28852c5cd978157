"""Benchmark: start-up, and that nothing which draws no chart imports matplotlib.

    python -m benchmarks.startup_bench

Each figure is measured in a fresh Python process (best of three):

- ``create_app()``: importing the package and building the app, against a
  bare ``Flask(__name__)`` (the limit);
- ``flask check-questions``: a CLI command that draws nothing, run through
  ``flask.cli.main`` as ``flask --app app check-questions`` runs it;
- ``import assessment.charts`` after ``create_app()``: what a worker pays once,
  on its first chart, because start-up leaves matplotlib out.

Issue #7's goal: ``create_app()`` and the CLI commands that draw nothing must
not import matplotlib (``tests/test_startup.py`` and ``tests/test_charts.py``
check it too).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import Figure, print_table

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
APP = "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})"
_REPORT = "print(json.dumps([time.perf_counter() - started, 'matplotlib' in sys.modules]))"
SNIPPETS = {
    "bare": "from flask import Flask\nFlask('bare')",
    "create_app": f"from assessment import create_app\n{APP}",
    "check-questions": (
        "import contextlib, io\nfrom flask.cli import main\n"
        "sys.argv = ['flask', '--app', 'app', 'check-questions']\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()"
    ),
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


def _best(snippet: str) -> tuple[float, bool]:
    runs = [_in_fresh_process(snippet) for _ in range(RUNS)]
    return min(seconds for seconds, _ in runs), any(imported for _, imported in runs)


def run() -> list[Figure]:
    bare, _ = _best(SNIPPETS["bare"])
    figures = []
    for name in ("create_app", "check-questions"):
        seconds, matplotlib = _best(SNIPPETS[name])
        label = "create_app()" if name == "create_app" else f"flask {name}"
        figures.append(Figure("-", f"start-up: {label}", seconds, limit=bare,
                              limit_name="bare Flask()", goal="no matplotlib",
                              met=not matplotlib))
    charts, _ = _best(CHARTS_IMPORT)
    figures.append(Figure("-", "first chart's import of matplotlib (once per worker)", charts))
    return figures


def main() -> None:
    print_table(run())


if __name__ == "__main__":
    main()
