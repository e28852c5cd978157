"""Production refuses unsafe configuration; development and tests keep working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import create_app
from assessment.security import InsecureConfiguration

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "9d4be2a71c0f83e6b5a9d27c4e1f06b8a3c5d7e9f1a2b4c6"  # random-looking: see secret_key_weakness


def production_app(tmp_path: Path, **settings: object):  # type: ignore[no-untyped-def]
    """The app as in production: JOINED_UP_ENV=production, not TESTING."""
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
              "BASE_URL": "https://joined-up.example.org"}
    config.update(settings)
    return create_app(config)


@pytest.fixture
def in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOINED_UP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


@pytest.mark.usefixtures("in_production")
@pytest.mark.parametrize("key", [None, "", "short-key", "x" * 31])
def test_production_refuses_to_start_without_a_strong_secret_key(tmp_path: Path, key: str | None) -> None:
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY must be set"):
        production_app(tmp_path, SECRET_KEY=key)


@pytest.mark.usefixtures("in_production")
def test_production_refuses_to_start_in_debug_mode(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(InsecureConfiguration, match="Debug mode must be off"):
        production_app(tmp_path, SECRET_KEY=STRONG_KEY)


@pytest.mark.usefixtures("in_production")
def test_production_sends_secure_cookies_and_hsts(tmp_path: Path) -> None:
    app = production_app(tmp_path, SECRET_KEY=STRONG_KEY)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.test_request_context():
        from flask import session

        session["lang"] = "cy"
        response = app.make_response("ok")
        app.session_interface.save_session(app, session, response)
        response = app.process_response(response)
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.usefixtures("in_production")
def test_tests_are_never_production(tmp_path: Path) -> None:
    app = production_app(tmp_path, TESTING=True, SECRET_KEY="short")
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_development_uses_plain_http_cookies_and_limits_bodies(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOINED_UP_ENV", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = production_app(tmp_path, SECRET_KEY="short development key")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["MAX_CONTENT_LENGTH"] <= 16 * 1024 * 1024
    assert not app.debug


def test_the_app_entry_point_says_why_it_refuses_without_a_traceback(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SECRET_KEY", "FLASK_DEBUG")}
    env.update(JOINED_UP_ENV="production", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite'}")
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "Joined-Up cannot start: SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
