"""The command line of docs/specification.md section 7 (foundation commands)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import Response, User

ROOT = Path(__file__).resolve().parent.parent


def run_flask(instance: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``flask --app app ARGS`` in a subprocess sealed off from the checkout and the developer.

    Its instance folder (secret key, SQLite database, job queue, ``config.py``) is
    ``instance``, not the checkout's ``instance/``; its environment holds no
    DATABASE_URL, SECRET_KEY or other setting of whoever runs the tests.
    """
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(instance.parent),
                   "LANG": "C.UTF-8", "JOINED_UP_INSTANCE_PATH": str(instance)}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=environment, capture_output=True, text=True, check=False)


def checkout_instance() -> dict[str, tuple[int, int]]:
    """Every file under the checkout's instance/ folder, with its size and modification time."""
    return {str(path.relative_to(ROOT)): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in (ROOT / "instance").rglob("*")}


def test_init_db_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "up to date" in result.output


def test_create_user_reads_the_password_from_stdin(app, runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["create-user", "Lead@Example.org", "--role", "lead", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.email, user.role) == ("lead@example.org", "lead")
        assert user.password_hash.startswith("scrypt:")


def test_create_user_errors_are_one_sentence_on_stderr(runner):
    runner.invoke(args=["demo"])
    short = runner.invoke(args=["create-user", "a@example.org", "--role", "lead", "--password-stdin"],
                          input="short\n")
    assert short.exit_code == 1
    assert short.stderr == "Error: The password must be 12 characters or more.\n"
    bad_email = runner.invoke(args=["create-user", "not-an-email", "--role", "lead", "--password-stdin"],
                              input="a long enough password\n")
    assert bad_email.exit_code == 1 and "correct format" in bad_email.stderr


def test_create_round_prints_only_its_id(runner):
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["create-round", "Spring 2027", "--open"])
    assert result.exit_code == 0
    assert result.stdout.strip().isdigit()


def test_create_round_before_set_up_says_what_to_do(runner):
    result = runner.invoke(args=["create-round", "Spring 2027"])
    assert result.exit_code == 1
    assert "Set up the organisation first" in result.stderr


def test_invite_prints_one_absolute_link_and_stores_only_its_hash(app, runner):
    runner.invoke(args=["demo"])
    round_id = runner.invoke(args=["create-round", "Spring", "--open"]).stdout.strip()
    result = runner.invoke(args=["invite", round_id, "Libraries", "--respondent", "Ann"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("http://joined-up.test/r/")
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits, base64url
    with app.app_context():
        response = db.session.scalars(select(Response).where(Response.respondent == "Ann")).one()
        assert response.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in json.dumps([response.token_hash, response.respondent])


def test_unknown_round_is_a_clear_error(runner):
    for args in (["results", "999"], ["invite", "999", "Libraries"], ["import-responses", "999", __file__]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error: There is no round 999."), result.stderr


def test_demo_then_results_prints_the_contract_document(runner):
    round_id = runner.invoke(args=["demo"]).stdout.strip()
    document = json.loads(runner.invoke(args=["results", round_id]).stdout)
    assert document["round"]["status"] == "closed"
    assert document["organisation"]["departments_scored"] == 12
    assert any(d["respondents"] == 2 for d in document["departments"])


def test_check_questions_passes_on_the_shipped_bank(tmp_path):
    result = run_flask(tmp_path / "instance", "check-questions")
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stdout


def test_check_questions_lists_every_problem_and_exits_1(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "bank.yaml").write_text("id: x\nversion: 1\nlanguages: [en, fr]\nscale: []\ndimensions: []\n")
    result = run_flask(tmp_path / "instance", "check-questions", str(bank))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bank}/bank.yaml:3: unsupported language 'fr' (use en, cy)",
        f"{bank}/bank.yaml:4: scale must list exactly five levels, 1 to 5",
        f"{bank}/bank.yaml:5: dimensions must list 3 to 12 dimensions",
    ]
    assert "Traceback" not in result.stderr


def test_command_line_tests_leave_the_checkout_alone(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """The subprocess writes its key, database and job queue into its own instance folder, and
    neither a developer's DATABASE_URL nor their instance/config.py reaches it."""
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/not_a_database")
    monkeypatch.setenv("SECRET_KEY", "x")
    before = checkout_instance()
    instance = tmp_path / "instance"
    result = run_flask(instance, "init-db")
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert checkout_instance() == before
    assert {"secret_key", "joined-up.sqlite"} <= {path.name for path in instance.iterdir()}
    # A config.py in the test's instance folder is the one the app reads.
    (instance / "config.py").write_text("QUESTIONS_PATH = '/nowhere/at/all'\n")
    assert run_flask(instance, "check-questions").returncode != 0
    assert checkout_instance() == before
