"""Brute force is limited across processes: two gunicorn servers, one count.

Two separate servers (as on two hosts) share the database, or Redis, and the
attacker alternates between them: the limit still holds at the configured
number of attempts, not twice it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask

from .support.people import PASSWORD, make_user
from .test_security_ratelimit import fresh_prefix, redis_or_skip

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base: str, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the worker starts
            time.sleep(0.2)
    raise AssertionError(f"{base} did not start:\n{log.read_text()[-3000:]}")


@contextmanager
def servers(count: int, env: dict[str, str], logs: Path) -> Iterator[list[str]]:
    """``count`` gunicorn servers of the real app (one sync worker each) on free ports."""
    started: list[subprocess.Popen[bytes]] = []
    bases = []
    try:
        for number in range(count):
            port = free_port()
            log = logs / f"server-{number}.log"
            with log.open("wb") as out:
                started.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                     "--timeout", "60", "app:app"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                ))
            bases.append(f"http://127.0.0.1:{port}")
        for base, number in zip(bases, range(count), strict=True):
            wait_until_up(base, logs / f"server-{number}.log", time.monotonic() + 60)
        yield bases
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)


class Browser:
    """One attacker's browser: cookies shared by both servers (same host name)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def csrf_token(self, base: str) -> str:
        with self.opener.open(f"{base}/sign-in", timeout=10) as response:
            page = response.read().decode()
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert found
        return found.group(1)

    def sign_in(self, base: str, email: str, password: str, token: str) -> int:
        body = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
        try:
            with self.opener.open(f"{base}/sign-in", data=body.encode(), timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            error.close()
            return error.code


def server_env(database_url: str, storage_uri: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("JOINED_UP_ENV", "FLASK_DEBUG", "REDIS_URL", "RATELIMIT_STORAGE_URI")}
    env.update(DATABASE_URL=database_url, SECRET_KEY="shared-secret-key-of-both-servers-0123456789",
               PYTHONPATH=str(ROOT))
    if storage_uri:
        env.update(RATELIMIT_STORAGE_URI=storage_uri, RATELIMIT_KEY_PREFIX=fresh_prefix())
    return env


@pytest.mark.parametrize("storage", ["database", "redis"])
def test_brute_force_is_limited_across_two_server_processes(
        app: Flask, database_url: str, tmp_path: Path, storage: str) -> None:
    storage_uri = redis_or_skip() if storage == "redis" else None
    make_user(app, "lead")
    env = server_env(database_url, storage_uri)
    with servers(2, env, tmp_path) as bases:
        attacker = Browser()
        token = attacker.csrf_token(bases[0])
        statuses = [attacker.sign_in(bases[attempt % 2], "lead@example.org", f"guess {attempt}", token)
                    for attempt in range(10)]
        right_password = attacker.sign_in(bases[1], "lead@example.org", PASSWORD, token)
    # The default allows 10 failures per account and address in 15 minutes. Each server saw
    # only 5, and the 6th on the second server is refused even with the right password: one
    # shared count.
    assert statuses == [200] * 10
    assert right_password == 429
