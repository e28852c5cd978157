"""Helpers for the questionnaire and round-page tests (not fixtures).

Question counts and ids always come from the app's bank, so the tests pass
with the small test bank and with the real one in ``questions/``.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.core.bank import QuestionBank
from assessment.extensions import db
from assessment.models import Answer, Response, Round
from assessment.services import accounts, invitations, round_settings, rounds

LEAD_EMAIL = "lead@example.org"
LEAD_PASSWORD = "a long enough password"


def bank_of(app: Flask) -> QuestionBank:
    return app.extensions["question_bank"]


def open_round(app: Flask, name: str = "Test round", status: str = "open",
               contact: str | None = "Sam Jones, sam.jones@example.org",
               ask_evidence: bool = True, show_department_radar: bool = True) -> int:
    """An organisation (if none) and a round with these settings; returns its id."""
    with app.app_context():
        accounts.ensure_organisation("Test Council")
        created = round_settings.create_round(name, round_settings.SurveySettings(
            ask_evidence, show_department_radar, contact))
        if status != "draft":
            rounds.set_status(created.id, status)
        return created.id


def invite(app: Flask, round_id: int, department: str = "Housing",
           respondent: str = "Ann Example") -> str:
    """A new invitation link as a path (``/r/<token>``)."""
    with app.app_context():
        link = invitations.invite(round_id, department, respondent).link
    return link.removeprefix(app.config["BASE_URL"])


def link_works(app: Flask, link: str) -> bool:
    """Following the link (absolute or a path) opens the questionnaire."""
    followed = app.test_client().get(link.removeprefix(app.config["BASE_URL"]))
    return followed.status_code == 302 and followed.headers["Location"] != "/respond/link-not-working"


def respondent_client(app: Flask, link_path: str) -> FlaskClient:
    """A browser session that has followed an invitation link."""
    client = app.test_client()
    followed = client.get(link_path)
    assert followed.headers["Location"] != "/respond/link-not-working"
    return client


def answer(client: FlaskClient, question_id: str, value: str = "3", comment: str = "",
           evidence: str = "", revision: str | None = None, action: str = "continue"):
    """Post one question page; the revision defaults to the one the page shows."""
    if revision is None:
        page = client.get(f"/respond/questions/{question_id}").get_data(as_text=True)
        revision = re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)
    return client.post(f"/respond/questions/{question_id}", data={
        "answer": value, "comment": comment, "evidence": evidence, "revision": revision,
        "action": action})


def answer_everything(client: FlaskClient, bank: QuestionBank, value: str = "3") -> None:
    for question in bank.questions:
        assert answer(client, question.id, value, revision="0").status_code == 302


def complete_every_section(client: FlaskClient, bank: QuestionBank) -> None:
    for dimension in bank.dimensions:
        done = client.post(f"/respond/sections/{dimension.id}", data={"completed": "yes"})
        assert done.status_code == 302, done.get_data(as_text=True)


def stored_answers(app: Flask, response_id: int | None = None) -> dict[tuple[int, str], Answer]:
    with app.app_context():
        query = select(Answer)
        if response_id is not None:
            query = query.where(Answer.response_id == response_id)
        return {(a.response_id, a.question_id): a for a in db.session.scalars(query)}


def the_response(app: Flask, respondent: str = "Ann Example") -> Response:
    with app.app_context():
        return db.session.scalars(select(Response).where(Response.respondent == respondent)).one()


def data_version(app: Flask, round_id: int) -> int:
    with app.app_context():
        return db.session.get(Round, round_id).data_version


def lead_client(app: Flask, role: str = "lead") -> FlaskClient:
    """A signed-in lead (the organisation is made first if needed)."""
    with app.app_context():
        accounts.ensure_organisation("Test Council")
        email = f"{role}@example.org"
        accounts.create_user(email, LEAD_PASSWORD, role)
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": email, "password": LEAD_PASSWORD})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)
    return client
