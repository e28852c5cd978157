"""The JSON API: API tokens, the results document, JSON errors and the OpenAPI document."""

from __future__ import annotations

import hashlib
import json

from flask import Flask
from sqlalchemy import select, update

from assessment.extensions import db
from assessment.models import ApiToken, User
from assessment.services import accounts

from .support.people import make_user
from .test_results_pages import hand_round


def new_token(app: Flask, runner, email: str = "lead@example.org", role: str = "lead") -> str:
    make_user(app, role, email)
    result = runner.invoke(args=["create-api-token", email])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_api_token_prints_a_token_alone_and_stores_only_its_hash(app, runner):
    result_token = new_token(app, runner)
    assert "\n" not in result_token and result_token.startswith("ju_") and len(result_token) > 40
    with app.app_context():
        stored = db.session.scalars(select(ApiToken)).one()
        assert stored.token_hash == hashlib.sha256(result_token.encode()).hexdigest()
        assert result_token not in json.dumps([stored.token_hash])


def test_trainers_get_tokens_too(app, runner):
    assert new_token(app, runner, "trainer@example.org", "trainer").startswith("ju_")


def test_create_api_token_for_an_unknown_user_fails_in_one_sentence(app, runner):
    with app.app_context():
        accounts.ensure_organisation("Test Council")
    result = runner.invoke(args=["create-api-token", "nobody@example.org"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "Error: There is no user with the email address nobody@example.org."


def test_token_holder_gets_the_same_document_as_the_results_command(app, client, runner):
    round_id = hand_round(app)
    token = new_token(app, runner)
    response = client.get(f"/api/v1/rounds/{round_id}/results", headers=bearer(token))
    assert response.status_code == 200 and response.mimetype == "application/json"
    printed = runner.invoke(args=["results", str(round_id)])
    assert response.get_json() == json.loads(printed.stdout)
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).one().last_used_at is not None


def test_a_signed_in_lead_can_read_the_api_without_a_token(app, client_for):
    round_id = hand_round(app)
    lead = client_for("lead")
    response = lead.get(f"/api/v1/rounds/{round_id}/results")
    assert response.status_code == 200
    assert response.get_json()["round"]["id"] == round_id


def test_missing_malformed_or_unknown_tokens_get_a_json_401(app, client, runner):
    round_id = hand_round(app)
    token = new_token(app, runner)
    url = f"/api/v1/rounds/{round_id}/results"
    for headers in ({}, {"Authorization": f"Basic {token}"}, bearer("ju_not-a-token"),
                    bearer(token + "x"), {"Authorization": "Bearer "}):
        response = client.get(url, headers=headers)
        assert response.status_code == 401, headers
        assert set(response.get_json()) == {"error"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_users_token_stops_working(app, client, runner):
    round_id = hand_round(app)
    token = new_token(app, runner)
    with app.app_context(), db.transaction() as session:
        session.execute(update(User).values(active=False))
    response = client.get(f"/api/v1/rounds/{round_id}/results", headers=bearer(token))
    assert response.status_code == 401


def test_unknown_rounds_and_addresses_get_a_json_404(app, client, runner):
    token = new_token(app, runner)
    for url in ("/api/v1/rounds/99999/results", "/api/v1/nothing/here", "/api/v1/rounds/x/results"):
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 404, url
        assert set(response.get_json()) == {"error"}


def test_the_api_is_exempt_from_csrf_and_answers_other_methods_in_json(make_app, app, runner):
    round_id = hand_round(app)
    token = new_token(app, runner)
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    url = f"/api/v1/rounds/{round_id}/results"
    assert client.get(url, headers=bearer(token)).status_code == 200
    response = client.post(url, headers=bearer(token))
    assert response.status_code == 405 and set(response.get_json()) == {"error"}
    with csrf_app.app_context():
        db.dispose()


def test_openapi_document_describes_the_results_endpoint(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    operation = spec["paths"]["/rounds/{round_id}/results"]["get"]
    assert set(operation["responses"]) == {"200", "401", "403", "404"}
    assert spec["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_every_key_of_the_results_document_is_in_the_openapi_schema(app, client, client_for):
    round_id = hand_round(app)
    lead = client_for("lead")
    document = lead.get(f"/api/v1/rounds/{round_id}/results").get_json()
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    results_schema = schemas["Results"]
    assert set(document) == set(results_schema["properties"]) == set(results_schema["required"])
    department_schema = schemas["Department"]
    assert set(document["departments"][0]) == set(department_schema["properties"])
    for key in ("round", "organisation"):
        assert set(document[key]) == set(results_schema["properties"][key]["properties"])
    assert set(document["inconsistencies"][0]) == set(
        results_schema["properties"]["inconsistencies"]["items"]["properties"])
