"""API tokens die with deactivation, a role change and a password change, and can be
revoked from the command line (issue 12 item 9, issue 11 item 7)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import ApiToken
from assessment.services import api_tokens, users

from .support.people import PASSWORD
from .support.security import World


def token_for(app: Flask, email: str) -> str:
    with app.app_context():
        return api_tokens.create_api_token(email)


def answers(app: Flask, world: World, token: str) -> int:
    response = app.test_client().get(f"/api/v1/rounds/{world.round_id}/results",
                                      headers={"Authorization": f"Bearer {token}"})
    return response.status_code


def test_a_token_dies_when_its_user_changes_password(app: Flask, world: World) -> None:
    token = token_for(app, "trainer@example.org")
    assert answers(app, world, token) == 200
    with app.app_context():
        users.change_password(world.user_ids["trainer"], PASSWORD, "a brand new password 42")
    assert answers(app, world, token) == 401


def test_a_token_stays_dead_after_deactivate_then_reactivate(app: Flask, world: World) -> None:
    token = token_for(app, "trainer@example.org")
    with app.app_context():
        users.set_active(world.user_ids["trainer"], False, world.user_ids["admin"])
    assert answers(app, world, token) == 401
    with app.app_context():
        users.set_active(world.user_ids["trainer"], True, world.user_ids["admin"])
    assert answers(app, world, token) == 401


def test_a_token_dies_when_its_user_changes_role(app: Flask, world: World) -> None:
    token = token_for(app, "lead@example.org")
    with app.app_context():
        users.change_role(world.user_ids["lead"], "trainer", world.user_ids["admin"])
    assert answers(app, world, token) == 401
    fresh = token_for(app, "lead@example.org")  # a new token for the new role works
    assert answers(app, world, fresh) == 200


def test_signing_out_of_the_web_pages_leaves_api_tokens_working(app: Flask, world: World) -> None:
    token = token_for(app, "lead@example.org")
    with app.app_context():
        users.sign_out(world.user_ids["lead"])
    assert answers(app, world, token) == 200


def token_ids(app: Flask) -> dict[int, bool]:
    with app.app_context():
        return {token.id: token.revoked for token in db.session.scalars(select(ApiToken))}


def test_revoke_api_token_by_id(app: Flask, world: World, runner: FlaskCliRunner) -> None:
    first, second = token_for(app, "lead@example.org"), token_for(app, "lead@example.org")
    first_id = min(token_ids(app))
    result = runner.invoke(args=["revoke-api-token", "--id", str(first_id)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"Revoked API token {first_id} of lead@example.org."
    assert answers(app, world, first) == 401
    assert answers(app, world, second) == 200


def test_revoke_api_token_by_email_revokes_all_of_that_users_tokens(
        app: Flask, world: World, runner: FlaskCliRunner) -> None:
    leads = [token_for(app, "lead@example.org") for _ in range(2)]
    trainers = token_for(app, "trainer@example.org")
    result = runner.invoke(args=["revoke-api-token", "--email", "LEAD@example.org"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "Revoked 2 API tokens of lead@example.org."
    assert [answers(app, world, token) for token in leads] == [401, 401]
    assert answers(app, world, trainers) == 200


def test_revoke_api_token_says_clearly_what_is_wrong(
        app: Flask, world: World, runner: FlaskCliRunner) -> None:
    cases = {
        ("--id", "999"): "Error: There is no API token 999.",
        ("--id", "99999999999999999999999"): "Error: There is no API token 99999999999999999999999.",
        ("--email", "nobody@example.org"):
            "Error: There is no user with the email address nobody@example.org.",
        (): "Error: Give either --id or --email.",
        ("--id", "1", "--email", "lead@example.org"): "Error: Give either --id or --email.",
    }
    for arguments, message in cases.items():
        result = runner.invoke(args=["revoke-api-token", *arguments])
        assert result.exit_code != 0 and result.stdout == ""
        assert message in result.stderr, (arguments, result.stderr)
