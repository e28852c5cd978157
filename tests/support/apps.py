"""The settings of the tests' apps: what every app starts from, and the presets a test asks
for with ``@pytest.mark.app_settings(**PRESET)`` (see the ``app`` fixture in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

#: The ``make_app`` and ``app_on`` fixtures: ``make_app(**settings)``, ``app_on(url, **settings)``.
AppFactory = Callable[..., Flask]

#: The question bank as shipped, whatever QUESTIONS_PATH the environment names.
REAL_BANK = Path(__file__).resolve().parents[2] / "questions"
REAL_BANK_SETTINGS: dict[str, Any] = {"QUESTIONS_PATH": str(REAL_BANK)}
#: The small test bank, for hand-worked numbers.
SMALL_BANK = Path(__file__).resolve().parents[1] / "data" / "small_bank"
SMALL_BANK_SETTINGS: dict[str, Any] = {"QUESTIONS_PATH": str(SMALL_BANK)}

#: For the security tests' walks, which follow invitation links many times from one address;
#: rate limits counted in the database, never in a Redis the environment names.
WALK_SETTINGS: dict[str, Any] = {
    "RATELIMIT_STORAGE_URI": None,
    "REDIS_URL": None,
    "RATELIMIT_INVITATION_PER_ADDRESS": "10000 per minute",
}


def app_settings(database_url: str, **settings: Any) -> dict[str, Any]:
    """The settings every test app starts from, CSRF off (tests that check CSRF turn it on)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://joined-up.test",  # invitations made outside a request need it
        **settings,
    }
