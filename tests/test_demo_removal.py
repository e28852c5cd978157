"""The demonstration apart from real work (issue 11 item 4).

Demo rounds are marked, tagged "Demonstration", never compared with real
rounds, and one action (``flask remove-demo`` or the admins' button) deletes
them and all that is only theirs: answers, responses and links, departments
no real round uses, targets, their audit entries, anything else hanging off them.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text

from assessment.extensions import db
from assessment.migrate import alembic_config
from assessment.models import Answer, AuditEvent, BackgroundJob, Department, Response, Round, User, utcnow
from assessment.queries import results as result_queries
from assessment.queries.rounds import RoundInfo
from assessment.services import accounts, demo, results, review, rounds

from .support.people import ORGANISATION, PASSWORD
from .support.rounds import RoundFactory

DEMO_ROUNDS = {demo.ROUND_NAME, demo.BASELINE_NAME}


def info(app: Flask, round_id: int) -> RoundInfo:
    with app.app_context():
        return RoundInfo.of(rounds.require_round(round_id))


def count(app: Flask, model: type, *where: object) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def earlier_names(app: Flask, round_id: int) -> list[str]:
    with app.app_context():
        return [found.name for found in result_queries.earlier_rounds(info(app, round_id))]


def test_the_demo_rounds_are_marked_and_real_rounds_are_not(app: Flask,
                                                            round_factory: RoundFactory) -> None:
    real_before = round_factory("Real 2025", departments={"Housing": "2"}, status="closed").id
    loaded = round_factory.demo(ORGANISATION)
    assert info(app, loaded.round_id).is_demo and info(app, loaded.baseline_round_id or 0).is_demo
    assert not info(app, real_before).is_demo


def test_change_between_rounds_never_compares_a_real_round_with_a_demo_round(
        app: Flask, round_factory: RoundFactory, lead_client: FlaskClient) -> None:
    first_real = round_factory("Real 2025", departments={"Housing": "2", "Parks": "2"}, status="closed").id
    loaded = round_factory.demo(ORGANISATION)
    real = round_factory("Real 2026", departments={"Housing": "3", "Parks": "3"}, status="closed").id
    assert earlier_names(app, real) == ["Real 2025"]
    assert earlier_names(app, first_real) == []
    assert earlier_names(app, loaded.round_id) == [demo.BASELINE_NAME]

    page = lead_client.get(f"/rounds/{real}/dashboard").get_data(as_text=True)
    assert "Change since Real 2025" in page
    assert "baseline" not in page
    demo_page = lead_client.get(f"/rounds/{loaded.round_id}/dashboard").get_data(as_text=True)
    assert f"Change since {demo.BASELINE_NAME}" in demo_page and "Real 2025" not in demo_page


def test_a_real_round_after_the_demo_alone_shows_no_change(app: Flask, round_factory: RoundFactory,
                                                           lead_client: FlaskClient) -> None:
    round_factory.demo(ORGANISATION)
    real = round_factory("Our first round", departments={"Housing": "3"}, status="closed").id
    page = lead_client.get(f"/rounds/{real}/dashboard").get_data(as_text=True)
    assert "Change since" not in page and demo.ROUND_NAME not in page


def demo_job(app: Flask, round_id: int) -> None:
    """A finished export of a demo round: a table that hangs off rounds."""
    with app.app_context():
        user_id = db.session.scalars(select(User.id)).first()
        db.session.add(BackgroundJob(id="d" * 32, kind="export_xlsx", status="done", user_id=user_id,
                                     round_id=round_id, details={}, done=1, total=1,
                                     expires_at=utcnow() + timedelta(hours=1)))
        db.session.commit()


def test_removing_the_demo_deletes_all_that_is_only_the_demos_and_nothing_else(
        app: Flask, round_factory: RoundFactory, admin_client: FlaskClient) -> None:
    loaded = round_factory.demo(ORGANISATION)
    demo_ids = [loaded.round_id, loaded.baseline_round_id]
    real = round_factory("Real 2026", departments={"Housing": "3", "Parks": ["2", "4"]},
                         invited=["Museums"]).id
    demo_job(app, loaded.round_id)
    with app.app_context():
        review.set_targets(loaded.round_id, {"governance": 4})
        real_results = results.results_document(results.analyse(rounds.require_round(real)))
    real_answers = count(app, Answer, Answer.response_id.in_(
        select(Response.id).where(Response.round_id == real)))
    real_audit = count(app, AuditEvent, AuditEvent.round_id == real)
    assert count(app, AuditEvent, AuditEvent.round_id.in_(demo_ids)) > 0 and real_audit > 0

    with app.app_context():
        removed = demo.remove_demo(rounds.require_round(real).organisation_id)
    assert set(removed.round_names) == DEMO_ROUNDS
    assert removed.responses == 2 * 15 - 1  # 15 respondents in 2026, 14 in 2025 (no Human Resources)

    assert count(app, Round, Round.is_demo.is_(True)) == 0
    assert count(app, Round) == 1
    assert count(app, Response, Response.round_id.in_(demo_ids)) == 0
    assert count(app, Answer) == real_answers
    assert count(app, BackgroundJob) == 0
    assert count(app, AuditEvent, AuditEvent.round_id.in_(demo_ids)) == 0
    assert count(app, AuditEvent, AuditEvent.round_id == real) == real_audit
    with app.app_context():
        departments = set(db.session.scalars(select(Department.name)))
        assert departments == {"Housing", "Parks", "Museums"}  # Housing: used by the real round too
        assert results.results_document(results.analyse(rounds.require_round(real))) == real_results
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "demo_removed")).one()
    assert event.details["responses"] == removed.responses
    assert removed.departments == len(demo.DEPARTMENTS) - 1  # all but Housing


def test_flask_remove_demo_removes_it_once_and_then_says_there_is_none(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = runner.invoke(args=["remove-demo"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Removed the demonstration: {demo.BASELINE_NAME}, {demo.ROUND_NAME} (")
    assert count(app, Round) == 0 and count(app, Response) == 0 and count(app, Department) == 0
    again = runner.invoke(args=["remove-demo"])
    assert (again.exit_code, again.stderr) == (0, "There is no demonstration data to remove.\n")
    # The organisation stays: real work can start straight away.
    assert runner.invoke(args=["create-round", "Spring"]).exit_code == 0


def test_the_home_page_tags_demo_rounds_and_offers_admins_the_removal(
        app: Flask, round_factory: RoundFactory, admin_client: FlaskClient, lead_client: FlaskClient) -> None:
    round_factory.demo(ORGANISATION)
    round_factory("Real 2026")
    home = admin_client.get("/").get_data(as_text=True)
    assert len(re.findall(r'govuk-tag--purple">Demonstration<', home)) == 2
    assert 'href="/demo/remove"' in home
    lead_home = lead_client.get("/").get_data(as_text=True)
    assert "Demonstration<" in lead_home and "/demo/remove" not in lead_home
    assert lead_client.get("/demo/remove").status_code == 403
    assert lead_client.post("/demo/remove").status_code == 403
    assert count(app, Round, Round.is_demo.is_(True)) == 2


def test_every_page_of_a_demo_round_says_so_and_a_real_rounds_pages_do_not(
        app: Flask, round_factory: RoundFactory, lead_client: FlaskClient,
        trainer_client: FlaskClient) -> None:
    demo_round_id = round_factory.demo(ORGANISATION).round_id
    real_round_id = round_factory("Real 2026").id
    note = "This round holds made-up answers from the demonstration council."
    for client, pages in ((lead_client, ("", "/dashboard", "/plan", "/print", "/compare")),
                          (trainer_client, ("/dashboard", "/export", "/import"))):
        for suffix in pages:
            demo_page = client.get(f"/rounds/{demo_round_id}{suffix}")
            assert demo_page.status_code == 200, suffix
            assert note in demo_page.get_data(as_text=True), suffix
            real_page = client.get(f"/rounds/{real_round_id}{suffix}")
            assert real_page.status_code == 200, suffix
            assert note not in real_page.get_data(as_text=True), suffix


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)
def test_the_removal_button_asks_first_and_needs_the_csrf_token(
        app: Flask, round_factory: RoundFactory) -> None:
    with app.app_context():
        accounts.set_up_installation(ORGANISATION, "admin@example.org", PASSWORD)
    round_factory.demo(ORGANISATION)
    admin = app.test_client()
    sign_in = admin.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', sign_in)
    assert token
    admin.post("/sign-in", data={"email": "admin@example.org", "password": PASSWORD,
                                 "csrf_token": token.group(1)})

    confirm = admin.get("/demo/remove")
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Remove the demonstration" in page and demo.ROUND_NAME in page and demo.BASELINE_NAME in page
    assert "This cannot be undone" in page

    assert admin.post("/demo/remove").status_code == 400  # no CSRF token: refused, nothing removed
    assert count(app, Round, Round.is_demo.is_(True)) == 2

    form_token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert form_token
    done = admin.post("/demo/remove", data={"csrf_token": form_token.group(1)})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert count(app, Round) == 0
    home = admin.get("/").get_data(as_text=True)
    assert "Removed the 2 demonstration rounds and everything in them." in home
    assert "Demonstration<" not in home
    # Nothing left: the page sends the admin home with a message.
    assert admin.get("/demo/remove").headers["Location"] == "/"


def test_the_set_up_pages_demo_option_marks_the_demo_rounds(client: FlaskClient, app: Flask) -> None:
    response = client.post("/setup", data={
        "organisation": "Brynmawr Council", "email": "admin@example.org", "password": PASSWORD,
        "confirm": PASSWORD, "load_demo": "y"})
    assert response.status_code == 302
    with app.app_context():
        marked = {name: is_demo for name, is_demo in db.session.execute(select(Round.name, Round.is_demo))}
    assert marked == {demo.BASELINE_NAME: True, demo.ROUND_NAME: True}


def test_the_migration_marks_demo_rounds_made_before_the_flag(tmp_path: Path) -> None:
    """Rounds loaded by an older ``flask demo`` are found by their names and made-up respondents."""
    from alembic import command

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(text(
            "INSERT INTO organisation (id, name, created_at) VALUES (1, 'Ours', '2026-01-01')"))
        for round_id, name in ((1, demo.BASELINE_NAME), (2, demo.ROUND_NAME), (3, "2026 baseline real")):
            connection.execute(text(
                "INSERT INTO assessment_round (id, organisation_id, name, status, bank_id, bank_version, "
                "bank_snapshot, thresholds, targets, ask_evidence, show_department_radar, data_version, "
                "created_at) VALUES (:id, 1, :name, 'closed', 'b', '1', '{}', '{}', '{}', 1, 1, 0, "
                "'2026-01-01')"), {"id": round_id, "name": name})
        connection.execute(text(
            "INSERT INTO department (id, organisation_id, name) VALUES (1, 1, 'Housing')"))
        respondents = [(1, "Housing deputy"), (1, "Waste and Recycling deputy"), (2, "Housing deputy"),
                       (3, "Housing deputy"), (3, "Waste and Recycling deputy")]
        for number, (round_id, respondent) in enumerate(respondents, 1):
            connection.execute(text(
                "INSERT INTO response (id, round_id, department_id, respondent, status, token_revoked, "
                "completed_sections, created_at) VALUES (:id, :round, 1, :who, 'submitted', 0, '[]', "
                "'2026-01-01')"), {"id": number, "round": round_id, "who": respondent})
        command.upgrade(config, "head")
        marked = dict(connection.execute(text("SELECT id, is_demo FROM assessment_round")).all())
    engine.dispose()
    # Round 2 lacks one of the two made-up respondents; round 3 has another name.
    assert {key: bool(value) for key, value in marked.items()} == {1: True, 2: False, 3: False}
