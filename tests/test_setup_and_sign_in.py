"""The one-time set-up page and signing in."""

from __future__ import annotations

from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import Organisation, Round, User

SETUP = {"organisation": "Aberbrook County Council", "email": "Admin@Example.org",
         "password": "correct horse battery", "confirm": "correct horse battery"}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_an_empty_installation_sends_everyone_to_set_up(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/setup")
    assert "Set up Joined-Up" in client.get("/setup").text


def test_set_up_creates_the_organisation_and_admin_and_signs_in(app, client):
    response = client.post("/setup", data=SETUP, follow_redirects=True)
    assert "Rounds" in response.text and "admin@example.org" in response.text
    assert (count(app, Organisation), count(app, User), count(app, Round)) == (1, 1, 0)
    # Once a user exists the set-up page is gone for good.
    assert client.get("/setup").status_code == 302


def test_set_up_with_demo_data_loads_the_demo_round(app, client):
    response = client.post("/setup", data={**SETUP, "load_demo": "y"}, follow_redirects=True)
    assert "2026 baseline" in response.text
    assert count(app, Round) >= 1


def test_set_up_errors_keep_what_was_typed_and_write_nothing(app, client):
    response = client.post("/setup", data={**SETUP, "password": "short", "confirm": "short"})
    assert response.status_code == 200
    assert "The password must be 12 characters or more." in response.text
    assert 'value="Aberbrook County Council"' in response.text
    assert (count(app, Organisation), count(app, User)) == (0, 0)
    mismatch = client.post("/setup", data={**SETUP, "confirm": "something else entirely"})
    assert "The passwords do not match" in mismatch.text
    assert (count(app, Organisation), count(app, User)) == (0, 0)


def test_sign_in_gives_one_message_for_any_failure(app, client):
    client.post("/setup", data=SETUP)
    client.post("/sign-out")
    wrong_password = client.post("/sign-in", data={"email": "admin@example.org", "password": "x" * 20})
    unknown_user = client.post("/sign-in", data={"email": "nobody@example.org", "password": "x" * 20})
    for response in (wrong_password, unknown_user):
        assert "Enter a correct email address and password" in response.text


def test_sign_in_returns_only_to_local_pages(app, client):
    client.post("/setup", data=SETUP)
    client.post("/sign-out")
    credentials = {"email": "admin@example.org", "password": SETUP["password"]}
    elsewhere = client.post("/sign-in?next=//evil.example/", data=credentials)
    assert elsewhere.location == "/"
    client.post("/sign-out")
    local = client.post("/sign-in?next=/setup", data=credentials)
    assert local.location == "/setup"
