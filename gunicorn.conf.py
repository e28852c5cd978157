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
"""

import os
import re

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

_TOKEN_IN_PATH = re.compile(r"(^|\s)/r/[^/?\s]+")


class RedactingLogger(Logger):
    """gunicorn's logger with invitation tokens taken out of every request path."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = _TOKEN_IN_PATH.sub(r"\1/r/[token]", atoms[key])
        return atoms


logger_class = RedactingLogger
