"""Sign-in: where it sends you afterwards, and the same work for every email (issue 12 items 1, 5)."""

from __future__ import annotations

import pytest
from flask import Flask

from assessment.services import accounts

from .support.apps import WALK_SETTINGS
from .support.people import PASSWORD
from .support.security import ScryptCalls, World

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

HOSTILE_NEXT = [
    "/%09/evil.example",         # a tab, stripped by browsers: //evil.example
    "/%0a/evil.example",         # a newline: gave a 500
    "%0d%0aSet-Cookie:%20x=1",   # header injection
    "//evil.example",
    "/%5cevil.example",          # /\evil.example, which browsers read as //evil.example
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%00/evil.example",
    "/ /evil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_after_sign_in_anything_but_a_same_site_path_goes_home(app: Flask, world: World,
                                                               target: str) -> None:
    client = app.test_client()
    url = f"/sign-in?next={target}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/rounds/new", "/rounds/1?view=all&x=%2F%2Fevil"])
def test_after_sign_in_a_same_site_path_is_kept(app: Flask, world: World, target: str) -> None:
    client = app.test_client()
    response = client.post("/sign-in", query_string={"next": target},
                           data={"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("password", ["not the password", "p" * 256, "p" * 257, "p" * 200_000])
def test_an_unknown_email_does_the_same_work_as_a_known_one(app: Flask, world: World,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            password: str) -> None:
    scrypt = ScryptCalls(monkeypatch)
    with app.app_context():
        known = scrypt.during(lambda: accounts.authenticate("lead@example.org", password))
        unknown = scrypt.during(lambda: accounts.authenticate("nobody@example.org", password))
        accounts_deactivated = scrypt.during(lambda: accounts.authenticate("NOBODY@example.org ", password))
    assert len(known) == len(unknown) == len(accounts_deactivated) == 1
    assert known == unknown  # the same length of input, so the same cost
    assert max(known) <= accounts.MAX_PASSWORD_LENGTH  # a huge password is never hashed whole


def test_a_deactivated_account_does_the_same_work_and_is_refused(app: Flask, world: World,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from assessment.services import users

    with app.app_context():
        users.set_active(world.user_ids["trainer"], False, world.user_ids["admin"])
        scrypt = ScryptCalls(monkeypatch)
        hashed = scrypt.during(lambda: accounts.authenticate("trainer@example.org", PASSWORD))
        assert hashed == [len(PASSWORD)]
        assert accounts.authenticate("trainer@example.org", PASSWORD) is None
        assert accounts.authenticate("lead@example.org", PASSWORD) is not None
