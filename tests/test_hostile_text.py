"""Hostile text (NUL, bell, escape) from the forms and the command line: removed, never a 500.

PostgreSQL refuses NUL in text columns and SQLite keeps it, so every entry
point cleans text with the one rule of ``assessment.core.text`` before it
reaches a database.  Each test runs on SQLite and PostgreSQL.  (Restoring a
backup with hostile text is in test_backup.py; the importer and respondents'
comments are tested with their own pages.)
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import Department, Organisation, Response, Round, User

from .test_setup_and_sign_in import SETUP

#: The characters the issue tried: NUL (PostgreSQL refuses it), bell and escape.
NUL, BELL, ESCAPE = "\x00", "\x07", "\x1b"


def set_up(client: FlaskClient) -> None:
    """The organisation and its admin (who may do everything a lead can), signed in."""
    assert client.post("/setup", data=SETUP).status_code == 302


def one(app: Flask, query):  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalars(query).one()


def all_of(app: Flask, query) -> list:  # type: ignore[no-untyped-def,type-arg]
    with app.app_context():
        return list(db.session.scalars(query))


# --- forms ------------------------------------------------------------------------------------


def test_a_nul_in_the_sign_in_email_is_removed_and_the_user_signs_in(app: Flask, client: FlaskClient) -> None:
    set_up(client)
    client.post("/sign-out")
    credentials = {"email": f"admin{NUL}@example.org{NUL}", "password": SETUP["password"]}
    signed_in = client.post("/sign-in", data=credentials)
    assert signed_in.status_code == 302, signed_in.status_code
    client.post("/sign-out")
    wrong = client.post("/sign-in", data={"email": f"nobody{NUL}{ESCAPE}@example.org", "password": "x" * 20})
    assert wrong.status_code == 200
    assert "Enter a correct email address and password" in wrong.text


def test_an_email_of_control_characters_alone_is_an_empty_email(app: Flask, client: FlaskClient) -> None:
    set_up(client)
    client.post("/sign-out")
    page = client.post("/sign-in", data={"email": NUL * 3, "password": "x" * 20})
    assert page.status_code == 200
    assert "Enter your email address" in page.text


def test_set_up_removes_control_characters_from_the_organisation_and_email(
        app: Flask, client: FlaskClient) -> None:
    data = {**SETUP, "organisation": f"Aberbrook{NUL} County{BELL} Council{ESCAPE}",
            "email": f"Admin{NUL}@Example.org"}
    assert client.post("/setup", data=data).status_code == 302
    assert one(app, select(Organisation.name)) == "Aberbrook County Council"
    assert one(app, select(User.email)) == "admin@example.org"


def test_a_round_created_through_the_form_has_a_clean_name(app: Flask, client: FlaskClient) -> None:
    """The round form inherits the base form that cleans text."""
    set_up(client)
    page = client.post("/rounds/new", data={"name": f"Spring{NUL} round{ESCAPE}",
                                            "contact": f"Ann{BELL} Jones, 01234 567890"})
    assert page.status_code == 302, page.status_code
    created = one(app, select(Round))
    assert (created.name, created.contact) == ("Spring round", "Ann Jones, 01234 567890")
    empty = client.post("/rounds/new", data={"name": NUL + BELL})
    assert empty.status_code == 200
    assert "Enter a name for the round" in empty.text


def test_a_department_invited_through_the_form_has_a_clean_name(app: Flask, client: FlaskClient) -> None:
    """The invitation form inherits the base form that cleans text."""
    set_up(client)
    client.post("/rounds/new", data={"name": "Spring round"})
    round_id = one(app, select(Round.id))
    page = client.post(f"/rounds/{round_id}/invitations", data={
        "department": f"Parks{NUL}{BELL}", "directorate": f"Place{ESCAPE}",
        "respondents": f"Alex{NUL}\r\nBo{BELL}\n", "delivery": "screen"})
    assert page.status_code in (200, 302), page.status_code
    department = one(app, select(Department))
    assert (department.name, department.directorate) == ("Parks", "Place")
    assert sorted(all_of(app, select(Response.respondent))) == ["Alex", "Bo"]
    empty = client.post(f"/rounds/{round_id}/invitations", data={"department": NUL, "delivery": "screen"})
    assert empty.status_code == 200
    assert "Enter the name of the department" in empty.text
    assert len(all_of(app, select(Department))) == 1


def test_a_user_added_by_an_admin_has_a_clean_email(app: Flask, client: FlaskClient) -> None:
    set_up(client)
    password = "a completely different phrase"
    page = client.post("/admin/users/new", data={
        "email": f"New.{NUL}Person@Example.org{BELL}", "role": "trainer",
        "password": password, "confirm": password})
    assert page.status_code == 302, page.status_code
    assert "new.person@example.org" in all_of(app, select(User.email))


def test_the_audit_filter_survives_control_characters(app: Flask, client: FlaskClient) -> None:
    set_up(client)
    page = client.get("/admin/audit", query_string={"since": f"2026-01-01{NUL}", "until": NUL,
                                                    "event": NUL, "user": ESCAPE})
    assert page.status_code == 200, page.status_code


# --- the command line -------------------------------------------------------------------------


def test_the_command_line_removes_control_characters_from_names(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo"])
    created = runner.invoke(args=["create-round", f"Spring{NUL} 2027{ESCAPE}", "--open"])
    assert created.exit_code == 0, created.output
    round_id = created.stdout.strip()
    invited = runner.invoke(args=["invite", round_id, f"Coastal{NUL} Parks{BELL}",
                                  "--respondent", f"Ann{NUL}{ESCAPE}", "--directorate", f"Place{NUL}"])
    assert invited.exit_code == 0, invited.output
    assert one(app, select(Round.name).where(Round.id == int(round_id))) == "Spring 2027"
    department = one(app, select(Department).where(Department.name.like("Coastal%")))
    assert (department.name, department.directorate) == ("Coastal Parks", "Place")
    assert one(app, select(Response.respondent).where(Response.department_id == department.id)) == "Ann"


def test_the_command_line_refuses_a_name_of_control_characters_alone(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo"])
    empty_round = runner.invoke(args=["create-round", NUL + BELL])
    assert empty_round.exit_code == 1
    assert empty_round.stderr == "Error: Enter a name for the round.\n"
    round_id = runner.invoke(args=["create-round", "Spring", "--open"]).stdout.strip()
    empty_department = runner.invoke(args=["invite", round_id, NUL])
    assert empty_department.exit_code == 1
    assert empty_department.stderr == "Error: Enter the department name.\n"


def test_the_command_line_removes_control_characters_from_emails(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo"])
    created = runner.invoke(args=["create-user", f"Lead{NUL}@Example.org{ESCAPE}", "--role", "lead",
                                  "--password-stdin"], input="a long enough password\n")
    assert created.exit_code == 0, created.output
    assert one(app, select(User.email)) == "lead@example.org"
    token = runner.invoke(args=["create-api-token", f"lead@example.org{NUL}"])
    assert token.exit_code == 0, token.output
    unknown = runner.invoke(args=["create-api-token", f"nobody{NUL}@example.org"])
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: There is no user with the email address nobody@example.org.\n"


# --- one way for every form ------------------------------------------------------------------


def test_every_form_of_the_app_inherits_the_base_form_that_cleans_text() -> None:
    """A form written on ``FlaskForm`` directly would let control characters through."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import assessment
    from assessment.forms import AppForm

    # assessment.worker builds an app when imported (it is the job consumer's entry point).
    for module in pkgutil.walk_packages(assessment.__path__, "assessment."):
        if ".migrations" not in module.name and module.name != "assessment.worker":
            importlib.import_module(module.name)
    forms, pending = set(), list(FlaskForm.__subclasses__())
    while pending:
        form = pending.pop()
        forms.add(form)
        pending += form.__subclasses__()
    ours = {form for form in forms if form.__module__.startswith("assessment.")}
    assert len(ours) > 10
    assert sorted(f"{form.__module__}.{form.__qualname__}" for form in ours
                  if not issubclass(form, AppForm)) == []


def test_the_base_form_cleans_every_kind_of_text_field_and_leaves_passwords_alone(app: Flask) -> None:
    from werkzeug.datastructures import MultiDict
    from wtforms import EmailField, HiddenField, PasswordField, StringField, TextAreaField

    from assessment.forms import AppForm

    class Everything(AppForm):
        line = StringField()
        email = EmailField()
        hidden = HiddenField()
        long = TextAreaField(filters=[str.upper])
        password = PasswordField()

    hostile = f" a{NUL}\tb{BELL}\r\nc{ESCAPE} "
    with app.test_request_context():
        form = Everything(formdata=MultiDict({name: hostile for name in
                                              ("line", "email", "hidden", "long", "password")}))
    assert (form.line.data, form.email.data, form.hidden.data) == ("a b c",) * 3
    assert form.long.data == "A\tB\nC"  # the field's own filter runs after the cleaning one
    assert form.password.data == hostile


def test_an_api_token_with_control_characters_is_refused_not_a_crash(app: Flask, client: FlaskClient) -> None:
    """The API reads no text but its token, which is only ever hashed."""
    set_up(client)
    client.post("/sign-out")
    for token in (f"jnup_{NUL}abc", f"jnup_{ESCAPE}{BELL}"):
        answer = client.get("/api/v1/rounds/1/results", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401, answer.status_code


def test_the_cell_rules_repeated_from_openpyxl_still_agree_with_it():
    from openpyxl.cell import cell as openpyxl_cell

    from assessment import cells

    assert cells.ILLEGAL_CHARACTERS_RE.pattern == openpyxl_cell.ILLEGAL_CHARACTERS_RE.pattern
    assert tuple(openpyxl_cell.ERROR_CODES) == cells.ERROR_CODES
