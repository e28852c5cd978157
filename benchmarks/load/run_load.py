"""Load test: department heads answering and leads reading, against gunicorn on 127.0.0.1.

    .venv/bin/python -m benchmarks.load.run_load                 # SQLite, then PostgreSQL
    .venv/bin/python -m benchmarks.load.run_load --database sqlite --seconds 30

For each database it makes a fresh one (a SQLite file, or a new PostgreSQL
database on ``LOAD_POSTGRES_URL``, default the local server), a large round of
``--large-departments`` departments (2,000 by default, imported as the
benchmarks' workload is) whose dashboard the leads view, a round open for
answers, invitation links for ``--respondents`` x ``--links-each``
departments and a lead account; starts gunicorn with gunicorn.conf.py
(2 workers x 4 threads) on a free 127.0.0.1 port; runs Locust headless for
``--seconds`` (benchmarks/load/locustfile.py); stops everything; and checks
that the database holds exactly the answers whose saves succeeded and the
submissions that were confirmed.  It prints requests/s, p50/p95/p99 per kind
of request, failures, and lost writes over the saves and submissions that
happened, and writes them as JSON beside Locust's CSV files (``--out``).

Everyone comes from 127.0.0.1, so this run's own settings file raises the
per-address rate limits (``RATELIMIT_*``); the defaults are never changed.
Nothing is sent anywhere but 127.0.0.1, and every run stops by itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LEAD_EMAIL, LEAD_PASSWORD = "lead@example.org", "load test password 2026"
#: Raised for this run only: every simulated visitor shares the address 127.0.0.1.
RUN_LIMITS = {"RATELIMIT_INVITATION_PER_ADDRESS": "100000 per minute",
              "RATELIMIT_SIGN_IN_PER_ADDRESS": "1000 per minute",
              "RATELIMIT_SIGN_IN_PER_ACCOUNT": "1000 per minute"}
KINDS = ("follow link", "start page", "question page", "save answer", "section page", "mark section",
         "task list", "check page", "submit", "confirmation page", "other page", "sign-in page",
         "sign in", "dashboard", "large dashboard", "workshop page", "export workbook",
         "bare page (/healthz)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--respondents", type=int, default=50)
    parser.add_argument("--leads", type=int, default=5)
    parser.add_argument("--links-each", type=int, default=3, help="invitation links per respondent")
    parser.add_argument("--large-departments", type=int, default=2_000,
                        help="departments of the large round whose dashboard the leads view")
    parser.add_argument("--think-seconds", type=float, default=1.0, help="mean pause to read a question")
    parser.add_argument("--spawn-rate", type=float, default=5.0,
                        help="users started per second (people do not all arrive in the same second)")
    parser.add_argument("--out", type=Path, default=ROOT / "instance" / "load-test",
                        help="where Locust's CSV files and summary.json go (not in git)")
    return parser.parse_args(argv)


@contextmanager
def fresh_database(kind: str, workdir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'load.sqlite'}"
        return
    server = os.environ.get("LOAD_POSTGRES_URL", DEFAULT_POSTGRES)
    name = f"joinedup_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(workdir: Path, database_url: str, port: int) -> Path:
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "BASE_URL": f"http://127.0.0.1:{port}",
                "SECRET_KEY": uuid.uuid4().hex * 2, "JOBS_SQLITE_PATH": str(workdir / "jobs.sqlite"),
                **RUN_LIMITS}
    path = workdir / "settings.py"
    path.write_text("".join(f"{name} = {value!r}\n" for name, value in settings.items()))
    return path


def clean_environment(settings: Path) -> dict[str, str]:
    """This process's environment without anything that would point the app elsewhere."""
    ignored = ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", "PORT", "ACCESS_LOG", "JOINED_UP_ENV")
    environment = {name: value for name, value in os.environ.items() if name not in ignored}
    environment["JOINED_UP_SETTINGS"] = str(settings)
    return environment


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate the database, then a lead, an open round and the invitation links."""
    from assessment import create_app
    from assessment.extensions import db
    from assessment.migrate import upgrade
    from assessment.services import accounts, invitations, results, rounds
    from benchmarks.workload import RESPONDENTS, load_round, make_rows

    app = create_app()
    with app.app_context():
        upgrade(db.engine)
        accounts.ensure_organisation("Load Test Council")
    large_rows = make_rows(args.large_departments, RESPONDENTS, app.extensions["question_bank"])
    large_round_id = load_round(app, large_rows, f"Large round, {args.large_departments:,} departments")
    with app.app_context():
        accounts.create_user(LEAD_EMAIL, LEAD_PASSWORD, "lead")
        assessment_round = rounds.create_round("Load test", "open")
        bank = results.round_bank(assessment_round)
        links = [invitations.invite(assessment_round.id, f"Department {i:03}", "Head of service")
                 for i in range(args.respondents * args.links_each)]
        db.dispose()
    return {
        "round_id": assessment_round.id, "respondents": args.respondents, "leads": args.leads,
        "think_seconds": args.think_seconds, "lead_email": LEAD_EMAIL, "lead_password": LEAD_PASSWORD,
        "large_round_id": large_round_id, "large_departments": args.large_departments,
        "sections": [{"id": d.id, "questions": [q.id for q in d.questions]} for d in bank.dimensions],
        "invitations": [{"response_id": link.response_id, "department": link.department,
                         "path": "/r/" + link.link.rsplit("/r/", 1)[1]} for link in links],
    }


def worker_cpu_seconds(master: int) -> list[float]:
    """CPU seconds used so far by each gunicorn worker (an uneven split shows in the report)."""
    import psutil

    return [round(sum(child.cpu_times()[:2]), 1) for child in psutil.Process(master).children()]


@contextmanager
def gunicorn(environment: dict[str, str], port: int, workdir: Path) -> Iterator[int]:
    env = {**environment, "PORT": str(port), "ACCESS_LOG": str(workdir / "access.log")}
    log = (workdir / "gunicorn.log").open("wb")
    process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start: see " + str(workdir / "gunicorn.log")) from None
                time.sleep(0.2)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


def run_locust(environment: dict[str, str], port: int, args: argparse.Namespace, workdir: Path,
               prefix: Path) -> None:
    users = args.respondents + args.leads + 1
    env = {**environment, "LOAD_PLAN": str(workdir / "plan.json"), "LOAD_SAVES": str(workdir / "saves.jsonl")}
    subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
         "-u", str(users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--stop-timeout", "10",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix), "--loglevel", "WARNING"],
        cwd=ROOT, env=env, check=False, timeout=args.seconds + 120,
    )


def check_writes(plan: dict[str, Any], saves_file: Path) -> dict[str, int]:
    """Compare the last confirmed save of every (response, question) with the database."""
    from assessment import create_app
    from assessment.extensions import db
    from assessment.queries import exports as export_queries
    from assessment.queries import responses as response_queries

    confirmed: dict[tuple[str, str], str] = {}
    submitted: set[int] = set()
    departments = {i["response_id"]: i["department"] for i in plan["invitations"]}
    for line in saves_file.read_text().splitlines():
        save = json.loads(line)
        if save.get("submitted"):
            submitted.add(save["response_id"])
        else:
            confirmed[(departments[save["response_id"]], save["question_id"])] = save["value"]
    submitted_departments = {departments[response_id] for response_id in submitted}
    app = create_app()
    with app.app_context():
        stored = {(row[0], row[3]): row[4]
                  for row in export_queries.answer_export_rows(plan["round_id"], submitted_only=False)}
        stored_submitted = {r.id for r in response_queries.round_responses(plan["round_id"])
                            if r.status == "submitted"}
        db.dispose()
    lost = {key for key, value in confirmed.items() if stored.get(key) != value}
    return {
        "saves_confirmed": len(confirmed), "answers_in_database": len(stored),
        "lost_writes": len(lost),
        "saves_in_submitted_questionnaires": sum(1 for key in confirmed if key[0] in submitted_departments),
        "lost_in_submitted_questionnaires": sum(1 for key in lost if key[0] in submitted_departments),
        "unconfirmed_in_database": len(set(stored) - set(confirmed)),
        "submits_confirmed": len(submitted), "submitted_in_database": len(stored_submitted),
        "submits_lost": len(submitted - stored_submitted),
    }


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    with Path(f"{prefix}_stats.csv").open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    columns = {"requests": "Request Count", "failures": "Failure Count", "rps": "Requests/s",
               "p50": "50%", "p95": "95%", "p99": "99%"}
    return {name: {key: float(row[column] or 0) for key, column in columns.items()}
            for name, row in rows.items()}


def report(kind: str, stats: dict[str, dict[str, float]], writes: dict[str, int]) -> dict[str, Any]:
    print(f"\n== {kind} ==")
    print(f"{'request':<24}{'count':>8}{'fail':>6}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for name in [*KINDS, "Aggregated"]:
        if name in stats:
            s = stats[name]
            print(f"{name:<24}{s['requests']:>8.0f}{s['failures']:>6.0f}{s['rps']:>8.1f}"
                  f"{s['p50']:>8.0f}{s['p95']:>8.0f}{s['p99']:>8.0f}")
    print(f"lost writes: {writes['lost_writes']} of {writes['saves_confirmed']} saves confirmed; "
          f"{writes['lost_in_submitted_questionnaires']} of the "
          f"{writes['saves_in_submitted_questionnaires']} in the {writes['submits_confirmed']} "
          f"questionnaires submitted; submissions lost: {writes['submits_lost']} of "
          f"{writes['submits_confirmed']} confirmed")
    print(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in writes.items()))
    save, bare = stats.get("save answer", {}), stats.get("bare page (/healthz)", {})
    ratio = save.get("p95", 0) / bare["p95"] if bare.get("p95") else float("nan")
    goals = {"no_failures": stats.get("Aggregated", {}).get("failures", 1) == 0,
             "no_lost_writes": writes["lost_writes"] == 0 and writes["submits_lost"] == 0,
             "save_p95_within_3x_bare": ratio <= 3}
    print(f"save p95 / bare p95 = {ratio:.2f}; goals: {goals}")
    return {"database": kind, "stats": stats, "writes": writes, "save_to_bare_p95": ratio, "goals": goals}


def run_one(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="joined-up-load-") as temporary:
        workdir, port = Path(temporary), free_port()
        with fresh_database(kind, workdir) as database_url:
            environment = clean_environment(write_settings(workdir, database_url, port))
            os.environ.clear()  # prepare() and check_writes() build the app as gunicorn does
            os.environ.update(environment)
            plan = prepare(args)
            (workdir / "plan.json").write_text(json.dumps(plan))
            (workdir / "saves.jsonl").touch()
            prefix = args.out / kind
            with gunicorn(environment, port, workdir) as master:
                run_locust(environment, port, args, workdir, prefix)
                cpu = worker_cpu_seconds(master)
            result = report(kind, read_stats(prefix), check_writes(plan, workdir / "saves.jsonl"))
            print(f"CPU seconds used by each gunicorn worker: {cpu}")
            return {**result, "worker_cpu_seconds": cpu}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    machine = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "cores": os.cpu_count(),
               "load_average_before": os.getloadavg()[0], "spawn_rate": args.spawn_rate,
               "python": platform.python_version(), "platform": platform.platform(),
               "seconds": args.seconds, "respondents": args.respondents, "leads": args.leads}
    runs = [run_one(kind, args) for kind in kinds]
    (args.out / "summary.json").write_text(json.dumps({"machine": machine, "runs": runs}, indent=2))
    print(f"\nWritten to {args.out / 'summary.json'}")


if __name__ == "__main__":
    main()
