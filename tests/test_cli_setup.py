"""``flask setup``: install from the command line, then every other command works (issue 11 item 3)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Organisation, Round, User

from .support.files import csv_bytes
from .test_cli import run_flask

PASSWORD = "a long enough password\n"


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Organisation)) or 0,
                db.session.scalar(select(func.count()).select_from(User)) or 0)


def set_up(runner: FlaskCliRunner, *extra: str, organisation: str = "Brynmawr Council",
           email: str = "Admin@Example.org", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return runner.invoke(args=["setup", "--organisation", organisation, "--admin", email,
                               "--password-stdin", *extra], input=password)


def test_setup_creates_the_organisation_and_its_first_admin(app: Flask, runner: FlaskCliRunner) -> None:
    result = set_up(runner)
    assert result.exit_code == 0, result.output
    assert "Set up Brynmawr Council with the administrator admin@example.org." in result.stderr
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        organisation = db.session.scalars(select(Organisation)).one()
    assert (organisation.name, user.email, user.role) == ("Brynmawr Council", "admin@example.org", "admin")
    assert user.organisation_id == organisation.id and user.password_hash.startswith("scrypt:")
    # The admin signs in with the password given on standard input.
    response = app.test_client().post("/sign-in", data={"email": "admin@example.org",
                                                       "password": PASSWORD.strip()})
    assert response.status_code == 302


def test_a_second_setup_is_refused_clearly_and_changes_nothing(app: Flask, runner: FlaskCliRunner) -> None:
    assert set_up(runner).exit_code == 0
    again = set_up(runner, organisation="Another Council", email="other@example.org")
    assert again.exit_code == 1
    assert again.stderr == ("Error: Joined-Up is already set up for Brynmawr Council: "
                            "add people with 'flask create-user' instead.\n")
    assert counts(app) == (1, 1)


def test_setup_checks_what_the_set_up_page_checks_and_writes_nothing_on_a_problem(
        app: Flask, runner: FlaskCliRunner) -> None:
    cases = [
        ({"organisation": "   "}, "Error: Enter the name of your organisation.\n"),
        ({"organisation": "x" * 201}, "Error: The name must be 200 characters or fewer\n"),
        ({"email": "not-an-email"}, "Error: Enter an email address in the correct format, "
                                    "like name@example.org.\n"),
        ({"password": "short\n"}, "Error: The password must be 12 characters or more.\n"),
    ]
    for arguments, message in cases:
        result = set_up(runner, **arguments)
        assert (result.exit_code, result.stderr) == (1, message), arguments
    assert counts(app) == (0, 0)
    missing = runner.invoke(args=["setup", "--admin", "a@example.org", "--password-stdin"], input=PASSWORD)
    assert missing.exit_code == 2 and "--organisation" in missing.stderr


def test_setup_cleans_control_characters_like_the_web_form(app: Flask, runner: FlaskCliRunner) -> None:
    assert set_up(runner, organisation="Bryn\x1b[31mmawr\x00  Council").exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(Organisation.name)).one() == "Bryn[31mmawr Council"


def test_every_other_command_works_after_setup(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    assert set_up(runner).exit_code == 0
    lead = runner.invoke(args=["create-user", "lead@example.org", "--role", "lead", "--password-stdin"],
                         input=PASSWORD)
    assert lead.exit_code == 0, lead.output
    round_id = runner.invoke(args=["create-round", "Spring 2027", "--open"]).stdout.strip()
    assert round_id.isdigit()
    link = runner.invoke(args=["invite", round_id, "Libraries", "--respondent", "Ann"])
    assert link.exit_code == 0, link.output
    assert link.stdout.startswith("http://joined-up.test/r/")

    with app.app_context():
        questions = app.extensions["question_bank"].questions
    answers = tmp_path / "answers.csv"
    answers.write_bytes(csv_bytes([["department", "respondent", "question_id", "answer", "comment"],
                                   *(["Parks", "Bo", question.id, "3", ""] for question in questions)]))
    imported = runner.invoke(args=["import-responses", round_id, str(answers)])
    assert imported.exit_code == 0, imported.output
    document = json.loads(runner.invoke(args=["results", round_id]).stdout)
    assert document["organisation"]["departments_scored"] == 1
    with app.app_context():
        assert db.session.scalars(select(Round.is_demo)).all() == [False]


def test_setup_with_the_demo_marks_only_the_demo_rounds(app: Flask, runner: FlaskCliRunner) -> None:
    assert set_up(runner, "--demo").exit_code == 0
    round_id = runner.invoke(args=["create-round", "Real round"]).stdout.strip()
    with app.app_context():
        marked = {name: demo for name, demo in db.session.execute(select(Round.name, Round.is_demo))}
    assert marked == {"2025 baseline": True, "2026 baseline": True, "Real round": False}
    assert round_id.isdigit()


def test_setup_after_flask_demo_names_the_organisation(app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert set_up(runner).exit_code == 0
    with app.app_context():
        assert db.session.scalars(select(Organisation.name)).all() == ["Brynmawr Council"]


def test_a_fresh_install_from_the_command_line_alone(tmp_path: Path) -> None:
    """What the README's command-line section says, in a process of its own, without BASE_URL."""
    instance = tmp_path / "instance"
    assert run_flask(instance, "init-db").returncode == 0
    setup = run_flask_input(instance, PASSWORD, "setup", "--organisation", "Brynmawr Council",
                            "--admin", "admin@example.org", "--password-stdin")
    assert setup.returncode == 0, setup.stderr
    user = run_flask_input(instance, PASSWORD, "create-user", "lead@example.org", "--role", "lead",
                           "--password-stdin")
    assert user.returncode == 0, user.stderr
    round_id = run_flask(instance, "create-round", "Spring 2027", "--open").stdout.strip()
    no_address = run_flask(instance, "invite", round_id, "Libraries")
    assert no_address.returncode == 1 and "set BASE_URL" in no_address.stderr
    link = run_flask(instance, "invite", round_id, "Libraries", "--base-url", "http://127.0.0.1:5077")
    assert link.returncode == 0 and link.stdout.startswith("http://127.0.0.1:5077/r/")
    again = run_flask_input(instance, PASSWORD, "setup", "--organisation", "X", "--admin",
                            "x@example.org", "--password-stdin")
    assert again.returncode == 1 and "already set up" in again.stderr
    assert "Traceback" not in again.stderr


def run_flask_input(instance: Path, stdin: str, *args: str):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from .test_cli import ROOT

    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(instance.parent),
                   "LANG": "C.UTF-8", "JOINED_UP_INSTANCE_PATH": str(instance)}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                          env=environment, input=stdin, capture_output=True, text=True, check=False)
