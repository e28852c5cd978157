"""The benchmark database served by a real gunicorn on 127.0.0.1, and a client for it.

The dashboard, chart and confirmation-page benchmarks time what a browser
waits for: gunicorn started with the project's ``gunicorn.conf.py``
(2 workers x 4 threads, gthread), its own settings file pointing at the
benchmark database and bank, and every request a new HTTP connection (as a
reverse proxy makes by default, so the kernel spreads them over both
workers) whose whole body is read before the clock stops.  Nothing listens
or is asked for anywhere but 127.0.0.1; the server stops with the block.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load.run_load import RUN_LIMITS, clean_environment, free_port, gunicorn
from benchmarks.workload import Prepared

__all__ = ["Client", "Served", "served", "signed_in_lead"]

SLOW_PAGE_SECONDS = 600
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class Client:
    """A browser of one person: its own cookies, a new connection for every request."""

    def __init__(self, base: str) -> None:
        if not base.startswith("http://127.0.0.1:"):
            raise ValueError("the benchmarks ask only 127.0.0.1")
        self.base = base
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self._follow = urllib.request.build_opener(cookies)
        self._stay = urllib.request.build_opener(cookies, _NoRedirect())

    def get(self, path: str, follow: bool = True) -> tuple[int, bytes, float]:
        """(status, whole body, seconds) of one GET, redirects followed unless ``follow`` is off."""
        return self._send(urllib.request.Request(self.base + path), follow)  # noqa: S310 - 127.0.0.1

    def post(self, path: str, form: dict[str, str]) -> int:
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310 - 127.0.0.1
        return self._send(request, follow=False)[0]

    def _send(self, request: urllib.request.Request, follow: bool) -> tuple[int, bytes, float]:
        opener = self._follow if follow else self._stay
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=SLOW_PAGE_SECONDS) as answer:
                body = answer.read()
                status = answer.status
        except urllib.error.HTTPError as error:  # a 3xx not followed, or a 4xx/5xx
            body, status = error.read(), error.code
        return status, body, time.perf_counter() - started

    def page(self, path: str) -> tuple[bytes, float]:
        """The body and seconds of a page that must answer 200."""
        status, body, seconds = self.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return body, seconds

    def sign_in(self, email: str, password: str) -> None:
        form_page, _ = self.page("/sign-in")
        token = _CSRF.search(form_page.decode())
        status = self.post("/sign-in", {"csrf_token": token.group(1) if token else "",
                                        "email": email, "password": password})
        if status != 302:
            raise RuntimeError(f"the benchmark lead could not sign in ({status})")


@dataclass
class Served:
    """A running gunicorn on the benchmark database."""

    base: str
    pid: int

    def client(self) -> Client:
        return Client(self.base)


def _settings(setup: Prepared, port: int, workdir: Path) -> Path:
    settings = {"SQLALCHEMY_DATABASE_URI": setup.url, "QUESTIONS_PATH": str(setup.bank_path),
                "BASE_URL": f"http://127.0.0.1:{port}", "SECRET_KEY": uuid.uuid4().hex * 2,
                "JOBS_SQLITE_PATH": str(workdir / "jobs.sqlite"), **RUN_LIMITS}
    path = workdir / "settings.py"
    path.write_text("".join(f"{name} = {value!r}\n" for name, value in settings.items()))
    return path


@contextmanager
def served(setup: Prepared, name: str) -> Iterator[Served]:
    """gunicorn (the project's gunicorn.conf.py) serving ``setup``'s database on 127.0.0.1."""
    workdir = setup.folder / f"gunicorn-{name}-{uuid.uuid4().hex[:6]}"
    workdir.mkdir()
    port = free_port()
    # A page slower than gunicorn.conf.py's 60 s would lose its worker and leave no figure;
    # the bench waits for it instead, and its row shows by how much it misses its goal.
    environment = {**clean_environment(_settings(setup, port, workdir)), "HOST": "127.0.0.1",
                   "GUNICORN_TIMEOUT": str(SLOW_PAGE_SECONDS)}
    with gunicorn(environment, port, workdir) as pid:
        yield Served(f"http://127.0.0.1:{port}", pid)


LEAD_EMAIL, LEAD_PASSWORD = "bench-lead@example.org", "benchmark-only-password"


def signed_in_lead(setup: Prepared, server: Served) -> Client:
    """A lead's browser, signed in (the account is made on first use)."""
    from sqlalchemy import select

    from assessment.extensions import db
    from assessment.models import User
    from assessment.services import accounts

    with setup.app.app_context():
        if db.session.scalars(select(User).where(User.email == LEAD_EMAIL)).first() is None:
            accounts.create_user(LEAD_EMAIL, LEAD_PASSWORD, "lead")
    client = server.client()
    client.sign_in(LEAD_EMAIL, LEAD_PASSWORD)
    return client
