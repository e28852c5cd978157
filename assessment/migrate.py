"""Create or migrate the database with Alembic (``flask init-db``).

Used by the CLI and the test fixtures, so tests run the real migrations.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; a no-op when it is there.

    On SQLite, foreign keys are off while the migrations run (the app's connections
    turn them on): a migration that rebuilds a table others refer to (0013 rebuilds
    user_account) would otherwise fail, or cascade deletes.  The references are then
    checked before anything is committed, as SQLite's own ALTER TABLE procedure asks.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # only outside a transaction does SQLite honour this
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise RuntimeError("The migrated database has rows referring to missing rows.")
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()

