"""Every state-changing route refuses a missing or foreign CSRF token and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from assessment.extensions import db
from assessment.models import AuditEvent

from .security_support import World, build_world, client_as, closing, make_app, table_snapshot
from .test_routes_allowlist import ACCESS, ALLOWED, STATE_CHANGING, methods, rules, url_for_rule

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')
#: Routes exempt from CSRF: the JSON API, which takes no cookies' word for anything it changes.
EXEMPT_PREFIXES = ("/api/",)


@pytest.fixture
def csrf_app(database_url: str) -> Iterator[Flask]:
    yield from closing(make_app(database_url, WTF_CSRF_ENABLED=True))


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
def test_state_changing_routes_refuse_a_bad_csrf_token(csrf_app: Flask, token: str) -> None:
    world = build_world(csrf_app)
    routes = state_changing_routes(csrf_app, world)
    assert len(routes) >= 5
    before = table_snapshot(csrf_app)
    for endpoint, method, url in routes:
        role = acting_role(endpoint)
        victim = client_as(csrf_app, world, role)
        token_from(victim, world, role)  # the victim's session has a token of its own
        data = {"name": "Changed", "role": "trainer", "status": "closed", "answer": "5",
                "department": "Evil", "email": "evil@example.org"}
        if token == "foreign":
            data["csrf_token"] = token_from(client_as(csrf_app, world, role), world, role)
        failures = csrf_failures(csrf_app)
        response = victim.open(url, method=method, data=data)
        assert response.status_code == 400, f"{method} {url} as {role}: {response.status_code}"
        assert csrf_failures(csrf_app) == failures + 1, f"{method} {url}: no csrf_failed audit event"
    assert table_snapshot(csrf_app) == before


def test_a_valid_token_is_accepted(csrf_app: Flask) -> None:
    """The check above is not just refusing everything."""
    world = build_world(csrf_app)
    admin = client_as(csrf_app, world, "admin")
    response = admin.post(f"/admin/users/{world.user_ids['trainer']}/deactivate",
                          data={"csrf_token": token_from(admin, world, "admin")})
    assert response.status_code == 302
