"""gunicorn settings for ``make serve`` and for production::

    .venv/bin/gunicorn -c gunicorn.conf.py        # serves app:app

Each value can be changed from the environment, without editing this file:

| variable           | meaning                                              | default   |
|--------------------|------------------------------------------------------|-----------|
| ``PORT``           | port to listen on                                    | 8000      |
| ``HOST``           | address to listen on (``0.0.0.0`` in a container)    | 127.0.0.1 |
| ``WEB_CONCURRENCY``| worker processes (about one per core)                | 2         |
| ``GUNICORN_THREADS``| threads in each worker                              | 4         |
| ``GUNICORN_TIMEOUT``| seconds a request may take before its worker restarts | 60      |
| ``ACCESS_LOG``     | access log file, ``-`` for standard output           | ``-``     |

2 workers x 4 threads answer 8 requests at once; a request waiting on the
database (a PostgreSQL query, SQLite's write lock) frees its core for the
others.  Workbook exports and imports too big for one request run in the job
consumer instead (assessment/jobs.py), so 60 s is far more than any page needs.

The access log never holds an invitation token: ``/r/<token>`` is written as
``/r/[token]``, because a token in a log file is a key to someone's answers.
The check is made on the normalised path, so ``//r/<token>``, ``/%72/<token>``,
``/./r/<token>`` and the absolute form ``GET http://host/r/<token>`` are
redacted too.
"""

import os
import posixpath
import re
from urllib.parse import unquote

from gunicorn.glogging import Logger

wsgi_app = "app:app"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{int(os.environ.get('PORT', '8000'))}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

accesslog = os.environ.get("ACCESS_LOG", "-")
# Address, time, request line, status, bytes, milliseconds, user agent.  No referrer.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"

REDACTED_INVITATION = "/r/[token]"
_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def _normalised_path(target: str) -> str:
    """The path the app would route ``target`` to, or near it: the host of an
    absolute-form target removed, percent-escapes decoded (repeatedly), runs of
    slashes and dot segments collapsed."""
    path = _ABSOLUTE_FORM.sub("", target).split("?", 1)[0].split("#", 1)[0]
    for _round in range(3):
        path = unquote(path)
    path = posixpath.normpath("/" + re.sub(r"/+", "/", path).lstrip("/"))
    return path


def redact_target(target: str) -> str:
    """``target`` with an invitation token taken out, however the path is spelt."""
    if (_normalised_path(target) + "/").startswith("/r/"):
        return REDACTED_INVITATION
    return target


def redact_request_line(line: str) -> str:
    """A request line ("GET /r/abc HTTP/1.1") with its target redacted."""
    method, _space, rest = line.partition(" ")
    target, space, version = rest.rpartition(" ") if rest.count(" ") else (rest, "", "")
    return f"{method} {redact_target(target)}{space}{version}" if rest else line


class RedactingLogger(Logger):
    """gunicorn's logger with invitation tokens taken out of every request path."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        if isinstance(atoms.get("r"), str):
            atoms["r"] = redact_request_line(atoms["r"])
        if isinstance(atoms.get("U"), str):
            atoms["U"] = redact_target(atoms["U"])
        return atoms


logger_class = RedactingLogger
