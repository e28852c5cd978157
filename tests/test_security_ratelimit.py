"""Rate limits: per account, per address, invitation links; shared across processes."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent, RateLimitCounter
from assessment.queries import ratelimit as counter_queries

from .support.apps import WALK_SETTINGS, AppFactory
from .support.ci import skip_or_fail_in_ci
from .support.people import PASSWORD, sign_in
from .support.security import build_world

REDIS_URL = "redis://127.0.0.1:6379/13"


def redis_or_skip() -> str:
    """The test Redis, or a skip; under ``CI=true`` a failure (CI provides Redis)."""
    from limits.storage import storage_from_string

    if not storage_from_string(REDIS_URL).check():
        skip_or_fail_in_ci(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def fresh_prefix() -> str:
    """A key prefix of this test's own: Redis keeps counts between runs and tests."""
    return f"test-{uuid.uuid4().hex}"


def walk_app(make_app: AppFactory, **settings: object) -> Flask:
    """An app with the security walks' settings, ``settings`` winning."""
    return make_app(**(WALK_SETTINGS | settings))


@pytest.fixture
def limited_app(make_app: AppFactory) -> Flask:
    return walk_app(
        make_app,
        RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS="3 per minute",
        RATELIMIT_SIGN_IN_PER_ACCOUNT="6 per minute",
        RATELIMIT_SIGN_IN_SLOWED="1 per minute",
        RATELIMIT_SIGN_IN_PER_ADDRESS="5 per minute",
        RATELIMIT_INVITATION_PER_ADDRESS="3 per minute",
    )


def rate_limited_events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.event == "rate_limited").order_by(AuditEvent.id)
        return list(db.session.scalars(query))


def from_address(address: str) -> dict[str, dict[str, str]]:
    return {"environ_base": {"REMOTE_ADDR": address}}


def retry_after(response) -> int:  # type: ignore[no-untyped-def]
    return int(response.headers["Retry-After"])


def test_sign_in_failures_are_limited_per_account_and_address(limited_app: Flask) -> None:
    build_world(limited_app)
    client = limited_app.test_client()
    for _attempt in range(3):
        assert sign_in(client, "lead@example.org", "guess").status_code == 200
    refused = sign_in(client, "lead@example.org", PASSWORD)  # even the right password, for now
    assert refused.status_code == 429
    assert 0 < retry_after(refused) <= 60
    assert "You have tried too many times" in refused.get_data(as_text=True)
    assert sign_in(client, "trainer@example.org").status_code == 302  # other accounts are not locked
    [event] = rate_limited_events(limited_app)
    assert event.details == {"limit": "sign_in_account_and_address", "endpoint": "main.sign_in"}
    # The same account from another address is not locked by these failures.
    elsewhere = limited_app.test_client()
    assert elsewhere.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD},
                          **from_address("198.51.100.7")).status_code == 302


def test_successful_sign_ins_do_not_count(limited_app: Flask) -> None:
    build_world(limited_app)
    for _attempt in range(8):
        assert sign_in(limited_app.test_client(), "lead@example.org").status_code == 302


def test_failures_from_many_addresses_slow_the_account_but_do_not_lock_its_user_out(
        limited_app: Flask) -> None:
    build_world(limited_app)
    usual_browser = limited_app.test_client()
    assert sign_in(usual_browser, "lead@example.org").status_code == 302  # remembered for this account
    usual_browser.post("/sign-out")
    attacker = limited_app.test_client()
    for number in range(8):  # 8 failures from 4 addresses: past the account's ceiling of 6
        attacker.post("/sign-in", data={"email": "lead@example.org", "password": "guess"},
                      **from_address(f"203.0.113.{number // 2}"))
    # A browser the account has signed in on before is not slowed down by others' failures.
    assert sign_in(usual_browser, "lead@example.org").status_code == 302
    # A new browser is delayed (the account now allows one password check a minute), not locked.
    new_browser = limited_app.test_client()
    delayed = new_browser.post("/sign-in", data={"email": "lead@example.org", "password": PASSWORD},
                               **from_address("198.51.100.8"))
    assert delayed.status_code == 429 and 0 < retry_after(delayed) <= 60
    assert {event.details["limit"] for event in rate_limited_events(limited_app)} == {"sign_in_slowed"}


def test_every_429_and_503_says_when_to_try_again(limited_app: Flask, make_app: AppFactory) -> None:
    client = limited_app.test_client()
    for number in range(4):
        last = client.get(f"/r/guess-{number}-abcdefghijklmnopqrstuvwxyz")
    assert last.status_code == 429 and 0 < retry_after(last) <= 60
    app = walk_app(make_app, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    unavailable = app.test_client().get("/r/any-token-abcdefghijklmnopqrstuvwxyz")
    assert unavailable.status_code == 503 and retry_after(unavailable) > 0


def test_sign_in_attempts_are_limited_per_address(limited_app: Flask) -> None:
    build_world(limited_app)
    client = limited_app.test_client()
    for number in range(5):
        assert sign_in(client, f"person{number}@example.org", "guess").status_code == 200
    assert sign_in(client, "admin@example.org").status_code == 429


def test_invitation_links_are_limited_per_address_and_tokens_stay_out_of_the_log(
        limited_app: Flask) -> None:
    client = limited_app.test_client()
    tokens = [f"guess-{number}-abcdefghijklmnopqrstuvwxyz" for number in range(4)]
    for token in tokens[:3]:
        assert client.get(f"/r/{token}").status_code == 302  # to the "link not working" page
    assert client.get(f"/r/{tokens[3]}").status_code == 429
    [event] = rate_limited_events(limited_app)
    assert event.details == {"limit": "invitation", "endpoint": "survey.follow_link"}
    with limited_app.app_context():
        stored = [(e.details, e.address) for e in db.session.scalars(select(AuditEvent))]
    assert not any("guess-" in str(row) for row in stored)


def test_counters_keep_neither_addresses_nor_emails(make_app: AppFactory) -> None:
    app = walk_app(make_app, RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS="2 per minute")
    build_world(app)
    client = app.test_client()
    for _attempt in range(2):
        sign_in(client, "lead@example.org", "guess")
    assert sign_in(client, "lead@example.org").status_code == 429
    with app.app_context():
        keys = [counter.key for counter in db.session.scalars(select(RateLimitCounter))]
    assert keys and all(len(key) == 64 and "example" not in key and "127.0" not in key
                        for key in keys)


def test_a_window_starts_again_once_it_has_expired_and_old_counters_go(app: Flask) -> None:
    def hit(key: str, now: int, expiry: int = 60) -> int:
        with app.app_context(), db.transaction() as session:
            return counter_queries.add_hits(session, key, 1, expiry, now)

    assert hit("stale", now=0, expiry=10) == 1
    assert [hit("account", now) for now in (1000, 1030, 1059)] == [1, 2, 3]
    assert hit("account", now=1060) == 1  # the window of 1000-1060 is over
    with app.app_context():
        assert [c.key for c in db.session.scalars(select(RateLimitCounter))] == ["account"]


def test_counts_can_be_kept_in_redis(make_app: AppFactory) -> None:
    url = redis_or_skip()
    app = walk_app(make_app, RATELIMIT_STORAGE_URI=url, RATELIMIT_KEY_PREFIX=fresh_prefix(),
                   RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS="2 per minute")
    build_world(app)
    client = app.test_client()
    for _attempt in range(2):
        sign_in(client, "lead@example.org", "guess")
    assert sign_in(client, "lead@example.org").status_code == 429
    with app.app_context():
        assert db.session.scalars(select(RateLimitCounter)).first() is None


def test_an_unreachable_counter_store_gives_the_503_page(make_app: AppFactory) -> None:
    app = walk_app(make_app, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    build_world(app)
    response = sign_in(app.test_client(), "lead@example.org")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "Sorry, the service is unavailable" in response.get_data(as_text=True)
