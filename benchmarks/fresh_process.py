"""Measure a ``flask`` command the way an operator runs it: in a fresh process.

``flask --app app <command> ...`` runs through ``flask.cli.main`` in a new
Python process whose settings file points at the benchmark database and bank.
The time is taken inside that process from just before ``main()`` (so it
includes ``create_app()``, not the interpreter's own start), and the memory
is the process peak, Linux's ``VmHWM`` (``exec`` resets it; ``ru_maxrss``
would be inherited from the benchmark runner).  Standard output (the results
JSON) is thrown away.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import uuid
from pathlib import Path

from benchmarks.workload import Prepared

__all__ = ["flask_command", "process_peak_mb"]

ROOT = Path(__file__).resolve().parent.parent
_PROGRAM = """
import contextlib, json, os, sys, time
from flask.cli import main
from benchmarks.fresh_process import process_peak_mb
sys.argv = ["flask", "--app", "app", *json.loads(sys.argv[1])]
code = 0
started = time.perf_counter()
with open(os.devnull, "w") as nowhere, contextlib.redirect_stdout(nowhere):
    try:
        main()
    except SystemExit as ended:
        code = ended.code or 0
seconds = time.perf_counter() - started
sys.stderr.write("\\n" + json.dumps({"seconds": seconds, "peak_mb": process_peak_mb(),
                                     "code": code}) + "\\n")
"""


def process_peak_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``; ``ru_maxrss`` where absent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settings_file(setup: Prepared) -> Path:
    path = setup.folder / f"cli-settings-{uuid.uuid4().hex[:6]}.py"
    settings = {"SQLALCHEMY_DATABASE_URI": setup.url, "QUESTIONS_PATH": str(setup.bank_path),
                "SECRET_KEY": "benchmark-only", "JOBS_SQLITE_PATH": str(setup.folder / "jobs.sqlite")}
    path.write_text("".join(f"{name} = {value!r}\n" for name, value in settings.items()))
    return path


def flask_command(setup: Prepared, *arguments: str) -> dict[str, float]:
    """``{"seconds", "peak_mb"}`` of ``flask --app app <arguments>`` in a fresh process."""
    ignored = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "JOINED_UP_ENV", "QUESTIONS_PATH")
    environment = {name: value for name, value in os.environ.items() if name not in ignored}
    environment["JOINED_UP_SETTINGS"] = str(_settings_file(setup))
    done = subprocess.run([sys.executable, "-c", _PROGRAM, json.dumps(list(arguments))], cwd=ROOT,
                          env=environment, capture_output=True, text=True, check=True)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    if report["code"] != 0:
        raise RuntimeError(f"flask {' '.join(arguments)} failed:\n{done.stderr[-2000:]}")
    return report
