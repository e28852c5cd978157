"""Every state-changing route refuses a missing or foreign CSRF token and changes nothing."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import AuditEvent

from .support.apps import WALK_SETTINGS
from .support.people import ClientFor
from .support.security import World
from .support.snapshots import table_snapshot
from .test_routes_allowlist import ACCESS, ALLOWED, STATE_CHANGING, methods, rules, url_for_rule

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS, WTF_CSRF_ENABLED=True)

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')
#: Routes exempt from CSRF: the JSON API, which takes no cookies' word for anything it changes.
EXEMPT_PREFIXES = ("/api/",)


def acting_role(endpoint: str) -> str:
    """Someone allowed to use the route, so only the CSRF check can refuse them."""
    allowed = ALLOWED[ACCESS[endpoint]]
    # Routes nobody may use as such (owner-only, nowhere) are tried as the admin.
    return next((role for role in ("admin", "department_head", "anonymous") if role in allowed), "admin")


def form_page(world: World, role: str) -> str:
    """A page that gives each kind of visitor a CSRF token of their own session."""
    return {"anonymous": "/sign-in", "admin": "/account/password",
            "department_head": f"/respond/questions/{world.first_question}"}[role]


def token_from(client: FlaskClient, world: World, role: str) -> str:
    page = client.get(form_page(world, role)).get_data(as_text=True)
    found = TOKEN.search(page)
    assert found, f"no CSRF token on {form_page(world, role)}"
    return found.group(1) or found.group(2)


def state_changing_routes(app: Flask, world: World) -> list[tuple[str, str, str]]:
    found = []
    for rule in rules(app):
        if rule.endpoint not in ACCESS:
            continue  # test_routes_allowlist fails on it, naming it
        url = url_for_rule(rule, world)
        for method in methods(rule):
            if method in STATE_CHANGING and not url.startswith(EXEMPT_PREFIXES):
                found.append((rule.endpoint, method, url))
    return found


def csrf_failures(app: Flask) -> int:
    with app.app_context():
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "csrf_failed")
        return db.session.scalar(query) or 0


@pytest.mark.parametrize("token", ["missing", "foreign"])
def test_state_changing_routes_refuse_a_bad_csrf_token(app: Flask, world: World, client_for: ClientFor,
                                                       token: str) -> None:
    routes = state_changing_routes(app, world)
    assert len(routes) >= 5
    before = table_snapshot(app)
    for endpoint, method, url in routes:
        role = acting_role(endpoint)
        victim = client_for(role, link=world.respondent_link)
        token_from(victim, world, role)  # the victim's session has a token of its own
        data = {"name": "Changed", "role": "trainer", "status": "closed", "answer": "5",
                "department": "Evil", "email": "evil@example.org"}
        if token == "foreign":
            data["csrf_token"] = token_from(client_for(role, link=world.respondent_link), world, role)
        failures = csrf_failures(app)
        response = victim.open(url, method=method, data=data)
        assert response.status_code == 400, f"{method} {url} as {role}: {response.status_code}"
        assert csrf_failures(app) == failures + 1, f"{method} {url}: no csrf_failed audit event"
    assert table_snapshot(app) == before


def test_a_valid_token_is_accepted(app: Flask, world: World, admin_client: FlaskClient) -> None:
    """The check above is not just refusing everything."""
    response = admin_client.post(f"/admin/users/{world.user_ids['trainer']}/deactivate",
                                 data={"csrf_token": token_from(admin_client, world, "admin")})
    assert response.status_code == 302
