"""How the app is served: gunicorn.conf.py, the Makefile's run and serve targets, and
running behind a reverse proxy (PROXY_FIX_X_FOR)."""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent

from .support.apps import AppFactory
from .support.databases import migrated_sqlite

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
SETTINGS_VARIABLES = ("PORT", "HOST", "WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
                      "ACCESS_LOG")


def gunicorn_settings(**environment: str) -> dict:
    """The settings gunicorn.conf.py gives under ``environment`` (and nothing else set)."""
    saved = {name: os.environ.pop(name, None) for name in SETTINGS_VARIABLES}
    os.environ.update(environment)
    try:
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    finally:
        for name in SETTINGS_VARIABLES:
            os.environ.pop(name, None)
            if saved[name] is not None:
                os.environ[name] = saved[name]


def test_gunicorn_defaults_to_two_workers_of_four_threads_on_localhost() -> None:
    settings = gunicorn_settings()
    assert settings["wsgi_app"] == "app:app"
    assert settings["bind"] == "127.0.0.1:8000"
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (2, 4, "gthread")
    assert settings["timeout"] == 60 and settings["accesslog"] == "-"


def test_gunicorn_takes_port_and_sizes_from_the_environment() -> None:
    settings = gunicorn_settings(PORT="9123", HOST="0.0.0.0", WEB_CONCURRENCY="3",  # noqa: S104
                                 GUNICORN_THREADS="8", GUNICORN_TIMEOUT="90", ACCESS_LOG="/tmp/a.log")
    assert settings["bind"] == "0.0.0.0:9123"
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 8, 90)
    assert settings["accesslog"] == "/tmp/a.log"


@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_run_and_serve_start_the_job_consumer_and_stop_it_with_the_server(target: str) -> None:
    commands = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    line = next(line for line in commands.splitlines() if "huey_consumer" in line)
    assert "huey_consumer assessment.worker.huey" in line and "& consumer=$!" in line
    assert line.startswith("trap 'kill $consumer")  # stopped when the server stops or on Ctrl-C
    assert ("gunicorn -c gunicorn.conf.py" if target == "serve" else "flask --app app run") in line


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def raw_status(port: int, request_line: str) -> int:
    """Send one request line exactly as written (urllib would tidy it) and read the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(f"{request_line}\r\nHost: 127.0.0.1:{port}\r\n"
                           "X-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n".encode())
        status_line = connection.recv(1024).decode("latin-1").split("\r\n", 1)[0]
    return int(status_line.split()[1])


@pytest.mark.parametrize("request_line", [
    "GET /r/SECRET-TOKEN HTTP/1.1",
    "GET /r/SECRET-TOKEN?lang=cy HTTP/1.1",
    "GET //r/SECRET-TOKEN HTTP/1.1",
    "GET ///r//SECRET-TOKEN HTTP/1.1",
    "GET /%72/SECRET-TOKEN HTTP/1.1",
    "GET /%2572/SECRET-TOKEN HTTP/1.1",
    "GET /%2F/r/SECRET-TOKEN HTTP/1.1",
    "GET /./r/SECRET-TOKEN HTTP/1.1",
    "GET /x/../r/SECRET-TOKEN HTTP/1.1",
    "GET http://joined-up.example/r/SECRET-TOKEN HTTP/1.1",
    "GET HTTPS://joined-up.example//%72/SECRET-TOKEN HTTP/1.1",
    "POST /r/SECRET-TOKEN",
])
def test_the_access_log_redacts_every_spelling_of_an_invitation_path(request_line: str) -> None:
    redact = gunicorn_settings()["redact_request_line"]
    redacted = redact(request_line)
    assert "SECRET" not in redacted
    assert "/r/[token]" in redacted and redacted.split()[0] == request_line.split()[0]


@pytest.mark.parametrize("request_line", ["GET /rounds/1 HTTP/1.1", "GET /healthz HTTP/1.1",
                                          "GET /respond/?x=/r/ok HTTP/1.1"])
def test_the_access_log_keeps_other_paths(request_line: str) -> None:
    assert gunicorn_settings()["redact_request_line"](request_line) == request_line


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60  # generous: CI machines may be busy
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if get(url) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start:\n" + log.read_text(errors="replace"))


def test_gunicorn_serves_the_app_behind_a_proxy_and_keeps_tokens_out_of_its_log(
        app_on: AppFactory, tmp_path: Path) -> None:
    database = migrated_sqlite(tmp_path / "serve.sqlite")
    settings = tmp_path / "settings.py"
    settings.write_text(f"SQLALCHEMY_DATABASE_URI = {database!r}\nSECRET_KEY = 'x' * 40\n"
                        "JOBS_IMMEDIATE = True\n")
    port, access_log, log = free_port(), tmp_path / "access.log", tmp_path / "gunicorn.log"
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI", *SETTINGS_VARIABLES)}
    environment.update(JOINED_UP_SETTINGS=str(settings), PORT=str(port), ACCESS_LOG=str(access_log),
                       PROXY_FIX_X_FOR="1")
    with log.open("wb") as out:
        process = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py"], cwd=ROOT, env=environment,
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", process, log)
        status = get(f"http://127.0.0.1:{port}/r/not-a-real-token-0123456789",
                     {"X-Forwarded-For": "203.0.113.9"})
        assert status in (302, 404)
        for variant in ("//r/double-slash-token-0123456789", "/%72/encoded-token-0123456789"):
            assert raw_status(port, f"GET {variant} HTTP/1.1") in (302, 308, 404)
        absolute = f"GET http://127.0.0.1:{port}/r/absolute-form-token-0123456789 HTTP/1.1"
        assert raw_status(port, absolute) in (302, 308, 404)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    logged = access_log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in logged
    assert "/r/[token]" in logged and "not-a-real-token" not in logged
    for leaked in ("double-slash-token", "encoded-token", "absolute-form-token"):
        assert leaked not in logged, logged
    app = app_on(database)
    with app.app_context():
        addresses = [e.address for e in db.session.scalars(select(AuditEvent))]
    assert addresses == ["203.0.113.9"] * 4  # the visitor of each request, as the proxy reported them


@pytest.fixture
def direct_app(app_on: AppFactory, tmp_path: Path) -> Flask:
    """The app on SQLite only, without PROXY_FIX_X_FOR (the database makes no difference)."""
    return app_on(migrated_sqlite(tmp_path / "direct.sqlite"))


def test_without_proxy_fix_a_forwarded_address_is_not_believed(direct_app: Flask) -> None:
    direct_app.test_client().get("/r/not-a-real-token", headers={"X-Forwarded-For": "203.0.113.9"})
    with direct_app.app_context():
        assert [e.address for e in db.session.scalars(select(AuditEvent))] == ["127.0.0.1"]
