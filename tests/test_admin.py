"""Admin pages: adding users, roles, deactivation, own password, the audit log."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from assessment.extensions import db
from assessment.models import AuditEvent, Organisation, User

from .support.apps import WALK_SETTINGS
from .support.people import PASSWORD, ClientFor, sign_in
from .support.security import World

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

NEW_PASSWORD = "a completely different phrase"


@pytest.fixture
def admin(world: World, admin_client: FlaskClient) -> FlaskClient:
    """The world's admin, signed in."""
    return admin_client


def user_row(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).first()
        assert user is not None
        return user


def cell(text: str) -> str:
    """A table cell of the audit log (the filter's options hold the same words)."""
    return f'<td class="govuk-table__cell">{text}</td>'


def audit_events(app: Flask, event: str | None = None) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.id)
        if event:
            query = query.where(AuditEvent.event == event)
        return list(db.session.scalars(query))


def test_admin_adds_a_user_who_can_then_sign_in(app: Flask, admin: FlaskClient) -> None:
    page = admin.post("/admin/users/new", data={
        "email": "New.Person@Example.org", "role": "trainer",
        "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert page.status_code == 302
    assert "new.person@example.org" in admin.get("/admin/users").get_data(as_text=True)
    assert user_row(app, "new.person@example.org").role == "trainer"
    signed_in = sign_in(app.test_client(), "new.person@example.org", NEW_PASSWORD)
    assert signed_in.status_code == 302
    created = audit_events(app, "user_created")[-1]
    assert created.details == {"email": "new.person@example.org", "role": "trainer"}


@pytest.mark.parametrize(("form", "message"), [
    ({"email": "lead@example.org", "role": "lead"}, "There is already a user with the email address"),
    ({"email": "not an email", "role": "lead"}, "Enter an email address in the correct format"),
    ({"email": "x@example.org", "role": "lead", "password": "short", "confirm": "short"},
     "The password must be 12 characters or more"),
    ({"email": "x@example.org", "role": "lead", "confirm": "something else entirely"},
     "The passwords do not match"),
    ({"email": "x@example.org", "role": "owner"}, "Not a valid choice"),
    ({"email": "", "role": "lead"}, "Enter their email address"),
])
def test_adding_a_user_with_bad_input_says_why_and_adds_nobody(
        app: Flask, admin: FlaskClient, form: dict[str, str], message: str) -> None:
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **form}
    page = admin.post("/admin/users/new", data=data)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 3


def test_role_change_ends_the_users_sessions_and_applies_at_next_sign_in(
        app: Flask, world: World, admin: FlaskClient, client_for: ClientFor) -> None:
    lead = client_for("lead")
    assert lead.get("/rounds/new").status_code == 200
    changed = admin.post(f"/admin/users/{world.user_ids['lead']}", data={"role": "trainer"})
    assert changed.status_code == 302
    assert lead.get("/").headers["Location"].startswith("/sign-in")
    again = app.test_client()
    sign_in(again, "lead@example.org")
    assert again.get("/rounds/new").status_code == 403
    event = audit_events(app, "user_changed")[-1]
    assert event.details == {"email": "lead@example.org", "role_from": "lead", "role": "trainer"}


def test_deactivated_user_is_signed_out_everywhere_and_cannot_sign_in(
        app: Flask, world: World, admin: FlaskClient, client_for: ClientFor) -> None:
    trainer = client_for("trainer")
    assert trainer.get("/").status_code == 200
    assert admin.post(f"/admin/users/{world.user_ids['trainer']}/deactivate").status_code == 302
    assert trainer.get("/").headers["Location"].startswith("/sign-in")
    refused = sign_in(app.test_client(), "trainer@example.org")
    assert "Enter a correct email address and password" in refused.get_data(as_text=True)
    assert admin.post(f"/admin/users/{world.user_ids['trainer']}/reactivate").status_code == 302
    assert sign_in(app.test_client(), "trainer@example.org").status_code == 302


def test_admin_cannot_demote_or_deactivate_themselves(
        app: Flask, world: World, admin: FlaskClient) -> None:
    own = world.user_ids["admin"]
    page = admin.post(f"/admin/users/{own}", data={"role": "lead"})
    assert "You cannot change your own role" in page.get_data(as_text=True)
    admin.post(f"/admin/users/{own}/deactivate")
    user = user_row(app, "admin@example.org")
    assert (user.role, user.active) == ("admin", True)
    assert admin.get("/admin/users").status_code == 200


def test_users_of_another_organisation_are_not_found(app: Flask, admin: FlaskClient) -> None:
    with app.app_context(), db.transaction() as session:
        other = Organisation(name="Other Council")
        session.add(other)
        session.flush()
        stranger = User(organisation_id=other.id, email="stranger@example.org",
                        password_hash="x", role="lead")
        session.add(stranger)
        session.flush()
        stranger_id = stranger.id
    assert admin.get(f"/admin/users/{stranger_id}").status_code == 404
    assert admin.post(f"/admin/users/{stranger_id}/deactivate").status_code == 404
    assert "stranger@example.org" not in admin.get("/admin/users").get_data(as_text=True)


def test_own_password_change_keeps_this_session_and_ends_the_others(
        app: Flask, world: World) -> None:
    here = app.test_client()
    sign_in(here, "lead@example.org")
    elsewhere = app.test_client()
    sign_in(elsewhere, "lead@example.org")
    changed = here.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    })
    assert changed.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").headers["Location"].startswith("/sign-in")
    old = sign_in(app.test_client(), "lead@example.org")
    assert "Enter a correct email address and password" in old.get_data(as_text=True)
    assert sign_in(app.test_client(), "lead@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(("form", "message"), [
    ({"current_password": "wrong password here"}, "Your current password is not right"),
    ({"new_password": "short", "confirm": "short"}, "The password must be 12 characters or more"),
    ({"confirm": "not the same at all"}, "The passwords do not match"),
])
def test_password_change_with_bad_input_keeps_the_old_password(
        app: Flask, world: World, client_for: ClientFor, form: dict[str, str], message: str) -> None:
    lead = client_for("lead")
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD, **form}
    page = lead.post("/account/password", data=data)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    assert sign_in(app.test_client(), "lead@example.org").status_code == 302


def test_audit_log_lists_and_filters_events_without_passwords(
        app: Flask, world: World, admin: FlaskClient) -> None:
    sign_in(app.test_client(), "lead@example.org", "a wrong password 1")
    sign_in(app.test_client(), "lead@example.org")
    admin.post(f"/admin/users/{world.user_ids['trainer']}/deactivate")
    everything = admin.get("/admin/audit").get_data(as_text=True)
    for event in ("Sign-in failed", "Signed in", "User changed"):  # event names in words
        assert cell(event) in everything
    assert PASSWORD not in everything and "a wrong password 1" not in everything
    failed = admin.get("/admin/audit?event=sign_in_failed").get_data(as_text=True)
    assert cell("Sign-in failed") in failed and cell("User changed") not in failed
    by_admin = admin.get(f"/admin/audit?user={world.user_ids['admin']}").get_data(as_text=True)
    assert cell("User changed") in by_admin and cell("Sign-in failed") not in by_admin
    stored = json.dumps([e.details for e in audit_events(app)])
    assert PASSWORD not in stored and "a wrong password 1" not in stored


def test_audit_log_filters_by_date(app: Flask, world: World, admin: FlaskClient) -> None:
    sign_in(app.test_client(), "lead@example.org")
    with app.app_context(), db.transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.event == "sign_in")
                        .values(created_at=datetime(2025, 3, 1, 12, tzinfo=UTC)))
    march = admin.get("/admin/audit?since=2025-03-01&until=2025-03-01").get_data(as_text=True)
    assert cell("Signed in") in march and "1 event" in march
    today = datetime.now(UTC).date()
    recent = admin.get(f"/admin/audit?since={today - timedelta(days=1)}").get_data(as_text=True)
    assert cell("Signed in") not in recent


@pytest.mark.parametrize(("query", "message"), [
    ("since=2025-02-30", "Enter a real date in the format YYYY-MM-DD"),
    ("since=2025-03-02&until=2025-03-01", "The 'to' date must be the same as or after"),
])
def test_audit_log_explains_a_bad_date(admin: FlaskClient, query: str, message: str) -> None:
    page = admin.get(f"/admin/audit?{query}")
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)


def test_user_text_cannot_forge_an_audit_line(app: Flask, admin: FlaskClient) -> None:
    forged = 'x@example.org"}\n2026-01-01 00:00:00 sign_in admin@example.org <b>ok</b>'
    sign_in(app.test_client(), forged, "whatever password")
    page = admin.get("/admin/audit?event=sign_in_failed").get_data(as_text=True)
    assert "<b>ok</b>" not in page
    assert "&lt;b&gt;ok&lt;/b&gt;" in page
    # The newline, a control character, is gone: the forged line stays inside one detail's value.
    assert ("<dd>x@example.org&#34;} 2026-01-01 00:00:00 sign_in admin@example.org "
            "&lt;b&gt;ok&lt;/b&gt;</dd>") in page
    assert page.count('<tr class="govuk-table__row">') == 2  # the heading row and one event
