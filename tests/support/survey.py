"""The questionnaire, as a respondent uses it: invitations, answers, sections, and
what is stored (not fixtures; the ``survey_round`` and ``invitation`` fixtures are in
tests/conftest.py).

Question counts and ids always come from the app's bank, so the tests pass
with the small test bank and with the real one in ``questions/``.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from assessment.core.bank import QuestionBank
from assessment.extensions import db
from assessment.models import Answer, Response, Round
from assessment.services import invitations

from .people import LINK_NOT_WORKING, signed_in_client


def bank_of(app: Flask) -> QuestionBank:
    return app.extensions["question_bank"]


def invite(app: Flask, round_id: int, department: str = "Housing",
           respondent: str = "Ann Example") -> str:
    """A new invitation link as a path (``/r/<token>``)."""
    with app.app_context():
        link = invitations.invite(round_id, department, respondent).link
    return link.removeprefix(app.config["BASE_URL"])


def link_works(app: Flask, link: str) -> bool:
    """Following the link (absolute or a path) opens the questionnaire."""
    followed = app.test_client().get(link.removeprefix(app.config["BASE_URL"]))
    return followed.status_code == 302 and followed.headers["Location"] != LINK_NOT_WORKING


def respondent_client(app: Flask, link_path: str) -> FlaskClient:
    """A browser session that has followed an invitation link."""
    return signed_in_client(app, "department_head", link=link_path)


def answer(client: FlaskClient, question_id: str, value: str = "3", comment: str = "",
           evidence: str = "", revision: str | None = None, action: str = "continue") -> TestResponse:
    """Post one question page; the revision defaults to the one the page shows."""
    if revision is None:
        page = client.get(f"/respond/questions/{question_id}").get_data(as_text=True)
        found = re.search(r'name="revision" type="hidden" value="(\d+)"', page)
        assert found, f"no revision on the page of {question_id}"
        revision = found.group(1)
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
        found = db.session.get(Round, round_id)
        assert found is not None
        return found.data_version
