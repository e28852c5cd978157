"""Joined-Up: a social-media maturity self-assessment for public bodies."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from .question_bank import load_question_bank


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, instance config, environment, extensions, bank."""
    # JOINED_UP_INSTANCE_PATH: another instance folder (the tests' own, never the checkout's).
    instance_path = os.environ.get("JOINED_UP_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.from_object("assessment.settings")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        # A settings file of its own for one run (the load test raises the rate limits).
        app.config.from_envvar("JOINED_UP_SETTINGS", silent=True)
    else:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_from_environment(app, testing=test_config is not None)

    # Refuses to start on an invalid bank; the error lists every problem.
    app.extensions["question_bank"] = load_question_bank(app.config["QUESTIONS_PATH"])

    from . import auth, cache, cli, jobs, ratelimit, reliability, security, web
    from .extensions import db

    # Everything stateful hangs off the app (app.extensions): its engine, its
    # caches, its job queue; nothing is shared between two apps in one process.
    db.init_app(app)
    cache.init_app(app)
    web.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    reliability.init_app(app)
    ratelimit.init_app(app)
    jobs.init_app(app)
    cli.init_app(app)
    return app


def _configure_from_environment(app: Flask, testing: bool) -> None:
    """``DATABASE_URL``, ``SECRET_KEY``, ``BASE_URL`` from the environment.

    Values given to ``create_app(test_config)`` win over the environment.
    """
    for name in ("BASE_URL", "SECRET_KEY", "QUESTIONS_PATH", "RATELIMIT_STORAGE_URI", "REDIS_URL",
                 "RATELIMIT_KEY_PREFIX", "PROXY_FIX_X_FOR"):
        if os.environ.get(name) and not (testing and name in app.config and app.config[name]):
            app.config[name] = os.environ[name]
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = os.environ.get("DATABASE_URL") or (
            "sqlite:///" + os.path.join(app.instance_path, app.config["SQLITE_FILENAME"])
        )
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                url = "postgresql+psycopg://" + url[len(prefix):]
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    from .security import is_production

    # In production the key must be given: security.check_production_config refuses to start.
    if not app.config.get("SECRET_KEY") and not is_production(app):
        app.config["SECRET_KEY"] = _development_secret_key(Path(app.instance_path))


def _development_secret_key(instance: Path) -> str:
    """A random key kept in ``instance/secret_key`` so sessions survive restarts."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
