"""An unavailable database gives a 503 page, and the app recovers by itself.

A locked SQLite file (past the busy timeout), a PostgreSQL server that is down
or restarting, or a dropped connection raise ``OperationalError`` (or a
``DBAPIError`` whose connection was invalidated): the visitor gets the plain
503 page with ``Retry-After``, never a traceback.  Nothing is half-written,
because every write runs in ``db.transaction()``, which rolls back.  The pool
pings each connection before use (``pool_pre_ping``), so the first request
after the database returns works again without a restart.

So do rate-limit storage failures (Redis down): ``limits.errors.StorageError``.
"""

from __future__ import annotations

from flask import Flask, g
from flask_login import AnonymousUserMixin
from limits.errors import StorageError
from sqlalchemy.exc import DBAPIError, OperationalError

from .http_errors import error_page

RETRY_AFTER_SECONDS = 30


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database (or counter store) cannot be reached or is locked."""
    if isinstance(error, OperationalError | StorageError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def unavailable_page(_error: BaseException | None = None):  # type: ignore[no-untyped-def]
    # The page's header asks who is signed in, which needs the database: when
    # that is what failed, show the page as to a visitor who is not signed in.
    if "_login_user" not in g:
        g._login_user = AnonymousUserMixin()
    body, code = error_page(503)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def init_app(app: Flask) -> None:
    @app.errorhandler(OperationalError)
    @app.errorhandler(StorageError)
    def database_unavailable(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.warning("Database unavailable: %s", error)
        return unavailable_page(error)

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):  # type: ignore[no-untyped-def]
        if is_unavailable(error):
            app.logger.warning("Database connection lost: %s", error)
            return unavailable_page(error)
        app.logger.exception("Unexpected database error")
        body, code = error_page(500)
        return body, code
