"""A live server and Debian's Chromium for browser and accessibility tests.

Chromium comes from the system (``/usr/bin/chromium``, installed by .ci/run);
``playwright install`` is never used.  Without Chromium these tests skip and
say why; under ``CI=true`` they fail.  Screenshots go to a temporary folder, so a test run
never changes the checkout; ``make screenshots`` points ``JOINED_UP_SCREENSHOTS`` at
``docs/screenshots/`` to retake the README's pictures.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine
from werkzeug.serving import make_server

from assessment import create_app
from assessment.extensions import db
from assessment.migrate import upgrade

from ..support.ci import skip_or_fail_in_ci
from ..support.rounds import RoundFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXPECT_TIMEOUT_MS = 20_000
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        skip_or_fail_in_ci("Chromium is not installed (.ci/run installs Debian's chromium package)")
    try:
        from playwright import sync_api
    except ImportError:
        skip_or_fail_in_ci("Playwright is not installed (requirements-dev.txt)")
    # expect() waits 5 s by default: too little when CI shares its 2 cores with other work.
    sync_api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    """The app on a fresh SQLite database, CSRF on, as a user would have it."""
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    flask_app = create_app({
        "SECRET_KEY": "live-test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": url,
    })
    yield flask_app
    with flask_app.app_context():
        db.dispose()


@pytest.fixture
def round_factory(live_app: Flask) -> RoundFactory:
    """Rounds of ``live_app`` (in place of tests/conftest.py's, which builds on ``app``)."""
    return RoundFactory(live_app)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL of ``live_app`` served on a free port of 127.0.0.1."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page: object) -> list[dict]:
    """axe-core's violations on the current page (bundled by axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return results.response["violations"]


@cache
def screenshots_folder() -> Path:
    """``JOINED_UP_SCREENSHOTS`` when set (``make screenshots``), else one temporary folder."""
    chosen = os.environ.get("JOINED_UP_SCREENSHOTS")
    folder = Path(chosen) if chosen else Path(tempfile.mkdtemp(prefix="joined-up-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_screenshot(page: object, name: str) -> Path:
    path = screenshots_folder() / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
