"""Probing ids and links: what belongs elsewhere looks exactly like what does not exist.

For every route taking an id, the id of a record that exists but belongs
elsewhere (another round's department, response or answer; another
organisation's user) must get the same answer as an id that exists nowhere:
same status, same page.  Invitation links that are unknown, revoked, replaced
or of a closed round all lead to the same page.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from werkzeug.routing import Rule

from assessment.extensions import db
from assessment.models import Organisation, Response, User
from assessment.services import invitations

from .support.apps import WALK_SETTINGS
from .support.people import ClientFor
from .support.rounds import RoundFactory
from .support.security import ROLES, World, submit_all
from .test_routes_allowlist import ACCESS, methods, rules, sample_args

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

NOWHERE = 987654
ID_ARGUMENTS = ("department_id", "response_id", "answer_id", "user_id")


def elsewhere_ids(app: Flask, world: World) -> dict[str, int]:
    """Ids that exist but belong to another round or organisation."""
    other_round = RoundFactory(app)("Another round", invited={"Museums": "Cy"})
    museums = other_round.responses["Museums"]
    submit_all(app, other_round.id, museums)
    with app.app_context(), db.transaction() as session:
        from assessment.queries import responses as response_queries

        response = session.get(Response, museums)
        assert response is not None
        organisation = Organisation(name="Another council")
        session.add(organisation)
        session.flush()
        stranger = User(organisation_id=organisation.id, email="stranger@example.org",
                        password_hash="x", role="admin")
        session.add(stranger)
        session.flush()
        answer_id = response_queries.response_answers(museums)[0].id
        return {"department_id": response.department_id, "response_id": museums,
                "answer_id": answer_id, "user_id": stranger.id}


def normalised(response, url: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    text = response.get_data(as_text=True)
    text = re.sub(r'nonce="[^"]+"', "", text)
    text = re.sub(r'name="csrf_token"[^>]*>', "", text)
    for form in (quote(url, safe=""), url):
        text = text.replace(form, "URL")
    location = response.headers.get("Location", "").replace(quote(url, safe=""), "URL")
    return response.status_code, location, text


def probe(client: FlaskClient, rule: Rule, method: str, values: dict[str, object]) -> tuple[int, str, str]:
    url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
    response = client.open(url, method=method, data={} if method != "GET" else None)
    return normalised(response, url)


@pytest.mark.parametrize("role", ROLES)
def test_ids_of_other_rounds_and_organisations_look_like_ids_that_do_not_exist(
        app: Flask, world: World, client_for: ClientFor, role: str) -> None:
    elsewhere = elsewhere_ids(app, world)
    probed = 0
    for rule in rules(app):
        for argument in set(rule.arguments) & set(ID_ARGUMENTS):
            if rule.endpoint not in ACCESS:
                continue  # test_routes_allowlist names it
            for method in methods(rule):
                values = sample_args(world)
                foreign = probe(client_for(role, link=world.respondent_link), rule, method,
                                {**values, argument: elsewhere[argument]})
                missing = probe(client_for(role, link=world.respondent_link), rule, method,
                                {**values, argument: NOWHERE})
                assert foreign == missing, (
                    f"{role} {method} {rule.rule} with {argument} of another round or organisation "
                    f"got {foreign[:2]}, but {missing[:2]} for an id that does not exist"
                )
                probed += 1
    assert probed >= 4


def test_unknown_revoked_replaced_and_closed_links_all_look_the_same(
        app: Flask, world: World, round_factory: RoundFactory) -> None:
    with app.app_context():
        replaced = world.tokens["libraries"]
        invitations.invite(world.round_id, "Libraries", "Bo")  # a new link for Bo
    closed_round = round_factory("Closed round", status="closed", invited={"Archives": "Di"})
    closed = closed_round.links["Archives"].rsplit("/", 1)[1]
    with app.app_context(), db.transaction() as session:
        session.execute(update(Response).where(Response.id == world.response_ids["parks"])
                        .values(token_revoked=True))
    pages = set()
    for token in ("x" * 43, world.tokens["parks"], replaced, closed):
        response = app.test_client().get(f"/r/{token}", follow_redirects=True)
        pages.add(normalised(response, f"/r/{token}"))
    assert len(pages) == 1
    status, _location, text = pages.pop()
    assert status == 404 and "Traceback" not in text
