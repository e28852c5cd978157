"""Extensions, created unbound and bound to an app in ``create_app``.

``db`` is a small wrapper around a SQLAlchemy engine rather than
Flask-SQLAlchemy, because the write path needs a different transaction start
from the read path on SQLite (see :meth:`Database.transaction`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from flask_babel import Babel
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

csrf = CSRFProtect()
babel = Babel()

_SQLITE_BUSY_TIMEOUT_MS = 10_000
_EXTENSION = "joined_up_db"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and an explicit BEGIN we control.

    pysqlite's own transaction handling is switched off so that a write
    transaction can start with ``BEGIN IMMEDIATE``: it takes the write lock up
    front, so two writers queue on the busy timeout instead of one failing at
    once or silently losing an update.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """One engine per app; a read session per app context; write transactions.

    - ``db.session``: the read session of the current request or command.
    - ``with db.transaction() as session:``: a separate session whose
      transaction takes the write lock first on SQLite; committed on success,
      rolled back on any exception, so a failure leaves all or nothing.

    The engine belongs to the app (``app.extensions["joined_up_db"]``), so it
    goes when the app goes and two apps in one process never share one.
    """

    def init_app(self, app: Flask) -> None:
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        options: dict[str, Any] = {"pool_pre_ping": True}
        # Tests shorten the wait for a locked SQLite file (SQLITE_BUSY_TIMEOUT_MS).
        busy_timeout_ms = app.config.get("SQLITE_BUSY_TIMEOUT_MS", _SQLITE_BUSY_TIMEOUT_MS)
        if url.startswith("sqlite"):
            options["connect_args"] = {"timeout": busy_timeout_ms / 1000}
        engine = create_engine(url, **options)
        if engine.dialect.name == "sqlite":
            _configure_sqlite(engine, busy_timeout_ms)
        app.extensions[_EXTENSION] = engine
        app.teardown_appcontext(self._remove_session)

    @property
    def engine(self) -> Engine:
        """The current app's engine."""
        return current_app.extensions[_EXTENSION]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = Session(self.engine, expire_on_commit=False)
        return g.db_session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        engine = self.engine.execution_options(sqlite_immediate=True)
        maker = sessionmaker(engine, expire_on_commit=False)
        with maker.begin() as session:
            yield session
        # End the read session's transaction: its snapshot predates this write
        # (SQLite WAL, PostgreSQL repeatable reads), and its objects may be stale.
        if "db_session" in g:
            g.db_session.rollback()

    def dispose(self) -> None:
        """Close the current app's pooled connections (tests, before dropping a database)."""
        self.engine.dispose()

    @staticmethod
    def _remove_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
