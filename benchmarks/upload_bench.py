"""Benchmark: the web process's peak memory while big files are uploaded.

    python -m benchmarks.upload_bench

Each upload runs in a fresh Python process: an app on a new SQLite database
with the job queue in a SQLite file (so the check is queued, as in
production, and not run inside the request), a signed-in trainer, and one
POST of the file to the import page through the test client.  The process's
peak resident memory (Linux's ``VmHWM``, which ``exec`` resets: ``ru_maxrss`` would report
the benchmark runner's own peak, inherited through ``fork``) is compared with the hardening issue's
goal of 300 MB, and with the same process doing everything but the upload.

- a 1,000,000-row XLSX (refused by a limit before it is parsed);
- a 300,000-row CSV (staged in the database, its check queued).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, print_table
from benchmarks.upload_files import write_big_csv, write_big_xlsx

ROOT = Path(__file__).resolve().parent.parent
GOAL_MB = 300
_CHILD = r"""
import io, json, sys, time
from pathlib import Path
from sqlalchemy import create_engine
from assessment import create_app
from assessment.migrate import upgrade
from assessment.services import accounts, rounds
from benchmarks.fresh_process import process_peak_mb

folder, upload = Path(sys.argv[1]), sys.argv[2]
url = f"sqlite:///{folder / 'bench.sqlite'}"
engine = create_engine(url); upgrade(engine); engine.dispose()
app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url,
                  "WTF_CSRF_ENABLED": False, "JOBS_IMMEDIATE": False,
                  "JOBS_SQLITE_PATH": str(folder / "jobs.sqlite")})
with app.app_context():
    accounts.ensure_organisation("Bench Council")
    accounts.create_user("trainer@example.org", "a long enough password", "trainer")
    round_id = rounds.create_round("Bench", "open").id
client = app.test_client()
client.post("/sign-in", data={"email": "trainer@example.org", "password": "a long enough password"})
started, status = time.perf_counter(), None
if upload != "none":
    path = Path(upload)
    response = client.post(f"/rounds/{round_id}/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(path.read_bytes()), path.name)})
    status = response.status_code
print(json.dumps({"seconds": time.perf_counter() - started, "status": status,
                  "peak_mb": process_peak_mb()}))
"""


def _measure(folder: Path, upload: str) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(dir=folder))
    result = subprocess.run([sys.executable, "-c", _CHILD, str(work), upload], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> list[Figure]:
    from assessment.question_bank import load_question_bank

    questions = [q.id for q in load_question_bank().questions]
    figures = []
    with tempfile.TemporaryDirectory(prefix="upload-bench-") as name:
        folder = Path(name)
        files = {"1,000,000-row XLSX": folder / "million.xlsx", "300,000-row CSV": folder / "big.csv"}
        write_big_xlsx(files["1,000,000-row XLSX"], 1_000_000, questions)
        write_big_csv(files["300,000-row CSV"], 300_000, questions)
        bare = _measure(folder, "none")["peak_mb"]
        for label, path in files.items():
            measured = _measure(folder, str(path))
            figures.append(Figure(
                "sqlite", f"upload a {label}: web process peak (answer {measured['status']} in "
                f"{measured['seconds']:.1f} s)", measured["peak_mb"], unit="MB", limit=bare,
                limit_name="app without upload", goal=f"< {GOAL_MB} MB",
                met=measured["peak_mb"] < GOAL_MB))
    return figures


def main() -> None:
    print_table(run(), title="Upload memory")


if __name__ == "__main__":
    main()
