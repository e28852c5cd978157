"""Stored XSS: script in every user-supplied field is shown escaped on every page."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update

from assessment.extensions import db
from assessment.models import Answer, Department, Organisation, Response, Round, User

from .support.apps import WALK_SETTINGS
from .support.people import sign_in
from .support.security import World
from .test_security_headers import pages_seen_by

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

FIELDS = ("organisation", "round", "contact", "department", "directorate", "respondent", "comment",
          "evidence", "challenge", "email", "audit")


def payload(field: str) -> str:
    return f'<i>{field}</i><script>alert("{field}")</script><img src=x onerror=alert(1)>'


ESCAPED = "&lt;script&gt;alert("


def plant_payloads(app: Flask, world: World) -> None:
    """Script in every field a person can type into, stored as they typed it."""
    with app.app_context(), db.transaction() as session:
        session.execute(update(Organisation).values(name=payload("organisation")))
        session.execute(update(Round).values(name=payload("round"), contact=payload("contact")))
        session.execute(update(Department).values(directorate=payload("directorate")))
        session.execute(update(Department).where(Department.id == world.department_ids["parks"])
                        .values(name=payload("department")))
        session.execute(update(Response).values(respondent=payload("respondent")))
        session.execute(update(Answer).values(comment=payload("comment"), evidence=payload("evidence"),
                                              challenged=True, challenge_note=payload("challenge")))
        session.execute(update(User).where(User.id == world.user_ids["trainer"])
                        .values(email='"<script>alert(1)</script>"@example.org'))
    sign_in(app.test_client(), payload("audit") + "@example.org", "a wrong password")


@pytest.mark.parametrize("role", ["admin", "lead", "trainer", "department_head"])
def test_script_typed_by_users_is_escaped_on_every_page(app: Flask, world: World, role: str) -> None:
    plant_payloads(app, world)
    shown = 0
    for url, response in pages_seen_by(app, world, role):
        if response.mimetype not in ("text/html", "image/svg+xml"):
            continue
        text = response.get_data(as_text=True)
        assert "<script>alert(" not in text, f"{url} shows a stored script unescaped"
        assert "<img src=x onerror" not in text, f"{url} shows a stored image tag unescaped"
        assert "<i>" not in text, f"{url} shows stored HTML unescaped"
        shown += text.count(ESCAPED)
    assert shown > 0, "no page showed any of the planted fields: the test proves nothing"
