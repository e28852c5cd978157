"""``flask backup`` and ``flask restore``: everything kept, across databases, all or nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from assessment.migrate import upgrade
from assessment.models import Base
from assessment.services import accounts, backup, demo, results, rounds

from .support.apps import AppFactory
from .support.databases import migrated_sqlite
from .support.people import make_user, sign_in
from .support.rounds import RoundFactory


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """A second, empty, migrated PostgreSQL database (the conftest's one is the source)."""
    admin = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"joinedup_restore_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def target_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> str:
    """An empty database of the same kind as ``database_url``."""
    if database_url.startswith("postgresql"):
        return request.getfixturevalue("fresh_postgres")
    return migrated_sqlite(tmp_path / "target.sqlite")


def load_demo(app: Flask) -> int:
    """The demonstration rounds, and a lead to sign in; the demonstration round's id."""
    with app.app_context():
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
    make_user(app, "lead")
    return RoundFactory(app).demo().round_id


def results_document(app: Flask, round_id: int) -> dict:  # type: ignore[type-arg]
    with app.app_context():
        return results.results_document(results.analyse(rounds.require_round(round_id)))


def tables_of(app: Flask) -> dict:  # type: ignore[type-arg]
    with app.app_context():
        return backup.make_backup()["tables"]


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_backup_holds_every_table_with_its_ids(app: Flask, tmp_path: Path) -> None:
    load_demo(app)
    sign_in(app.test_client(), "lead@example.org")
    out = tmp_path / "backup.json"
    result = run(app, "backup", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())
    assert document["format"] == "joined-up-backup" and document["version"] == 1
    with app.app_context():
        from assessment.queries.admin import database_revision

        assert document["schema"] == database_revision()
    expected = {t.name for t in Base.metadata.sorted_tables} - backup.SKIPPED_TABLES
    assert set(document["tables"]) == expected
    answers = document["tables"]["answer"]
    assert answers["columns"][0] == "id" and len(answers["rows"]) > 100
    assert document["tables"]["audit_event"]["rows"]


def test_sqlite_backup_restored_into_postgresql_gives_the_same_results(
        tmp_path: Path, fresh_postgres: str, app_on: AppFactory) -> None:
    out = tmp_path / "move.json"
    source = app_on(migrated_sqlite(tmp_path / "source.sqlite"))
    round_id = load_demo(source)
    sign_in(source.test_client(), "lead@example.org")
    expected_results, expected_tables = results_document(source, round_id), tables_of(source)
    assert run(source, "backup", str(out)).exit_code == 0
    target = app_on(fresh_postgres)
    result = run(target, "restore", str(out))
    assert result.exit_code == 0, result.output
    assert results_document(target, round_id) == expected_results
    assert tables_of(target) == expected_tables
    with target.app_context():  # the id sequences continue after the restored ids
        new_round = rounds.create_round("After the move", "draft")
    assert new_round.id == max(row[0] for row in expected_tables["assessment_round"]["rows"]) + 1
    assert sign_in(target.test_client(), "lead@example.org").status_code == 302


def test_backup_and_restore_round_trip_on_the_same_kind_of_database(
        app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    round_id = load_demo(app)
    out = tmp_path / "same.json"
    assert run(app, "backup", str(out)).exit_code == 0
    target = app_on(target_url)
    assert run(target, "restore", str(out)).exit_code == 0
    assert tables_of(target) == tables_of(app)
    assert results_document(target, round_id) == results_document(app, round_id)


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


def backup_of(app: Flask) -> dict:  # type: ignore[type-arg]
    with app.app_context():
        return backup.make_backup()


def one_line_error(result, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_restore_refuses_a_file_from_a_newer_version(
        app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    load_demo(app)
    newer_format = {**backup_of(app), "version": 2}
    newer_schema = {**backup_of(app), "schema": "9999_from_the_future"}
    target = app_on(target_url)
    one_line_error(run(target, "restore", str(write(tmp_path / "a.json", newer_format))),
                   "was made by a newer version of Joined-Up (backup format 2")
    one_line_error(run(target, "restore", str(write(tmp_path / "b.json", newer_schema))),
                   "it was made by a newer version. Upgrade Joined-Up, then restore.")
    assert not any(table["rows"] for table in tables_of(target).values())


@pytest.mark.parametrize(("content", "expected"), [
    ("not json at all", "is not a Joined-Up backup: it is not valid JSON"),
    ('{"format": "something-else"}', "is not a Joined-Up backup (its format is not"),
    ('{"format": "joined-up-backup", "version": 1}', "has no tables"),
])
def test_restore_explains_a_file_that_is_not_a_backup(app: Flask, tmp_path: Path, content: str,
                                                      expected: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content)
    one_line_error(run(app, "restore", str(path)), expected)
    one_line_error(run(app, "restore", str(tmp_path / "missing.json")), "No such file or directory")


def test_restore_refuses_a_database_with_data_unless_asked_to_replace_it(
        app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    load_demo(app)
    out = tmp_path / "full.json"
    assert run(app, "backup", str(out)).exit_code == 0
    target = app_on(target_url)
    with target.app_context():
        accounts.ensure_organisation("Already here")
    one_line_error(run(target, "restore", str(out)), "The database already holds data (in organisation)")
    assert run(target, "restore", "--replace", str(out)).exit_code == 0
    assert tables_of(target) == tables_of(app)


def test_restore_is_all_or_nothing(app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    load_demo(app)
    document = backup_of(app)
    answers = document["tables"]["answer"]
    value = answers["columns"].index("value")
    answers["rows"][-1][value] = "seven"  # breaks a constraint in the last table written
    target = app_on(target_url)
    result = run(target, "restore", str(write(tmp_path / "bad.json", document)))
    one_line_error(result, "The backup could not be restored, so nothing was changed")
    assert not any(table["rows"] for table in tables_of(target).values())


def test_restore_needs_a_migrated_database(tmp_path: Path, app: Flask, app_on: AppFactory) -> None:
    out = tmp_path / "b.json"
    assert run(app, "backup", str(out)).exit_code == 0
    target = app_on(f"sqlite:///{tmp_path / 'blank.sqlite'}")
    one_line_error(run(target, "restore", str(out)), "run 'flask init-db' first")


def test_binary_values_travel_as_base64() -> None:
    encoded = backup._encode(b"\x00\xffworkbook")
    assert encoded == {"base64": "AP93b3JrYm9vaw=="}
    assert backup._decode_bytes(json.loads(json.dumps(encoded)), "t") == b"\x00\xffworkbook"
    with pytest.raises(backup.BackupError, match="binary data that is not valid"):
        backup._decode_bytes({"base64": "not base64!"}, "t")


# --- hostile text: NUL and other control characters ---------------------------------------------

NUL, BELL, ESCAPE = "\x00", "\x07", "\x1b"
CONTROL_ESCAPES = [f"\\u{code:04x}" for code in [*range(0x09), *range(0x0b, 0x20), 0x7f]]


def plant_hostile_text(app: Flask, nul: str = NUL) -> dict[str, int]:
    """The demo with control characters in names, a comment and an audit entry, written past the
    services (as an older version, an import or a hand-edited database would have left them)."""
    from sqlalchemy import select, update

    from assessment.extensions import db
    from assessment.models import Answer, AuditEvent, Department, Organisation, Response, Round

    load_demo(app)
    with app.app_context(), db.transaction() as session:
        department_id = session.scalars(select(Department.id).order_by(Department.id)).first()
        response_id = session.scalars(select(Response.id).order_by(Response.id)).first()
        answer_id = session.scalars(select(Answer.id).order_by(Answer.id)).first()
        session.execute(update(Organisation).values(name=f"Aberbrook{nul} Council{ESCAPE}"))
        session.execute(update(Round).values(name=f"2026{nul} baseline{BELL}"))
        session.execute(update(Department).where(Department.id == department_id)
                        .values(name=f"Adult{nul} Social Care{BELL}", directorate=f"{ESCAPE}People"))
        session.execute(update(Response).where(Response.id == response_id)
                        .values(respondent=f"Ann{nul}{ESCAPE} Jones"))
        session.execute(update(Answer).where(Answer.id == answer_id)
                        .values(comment=f"Good{nul} work{BELL}\n\tSecond line"))
        event = AuditEvent(event="invitation_created", user_email=f"lead@example.org{nul}",
                           details={"department": f"Parks{nul}", "note": f"a{ESCAPE}b"})
        session.add(event)
        session.flush()
        event_id = event.id
    return {"department": department_id, "response": response_id, "answer": answer_id,
            "audit_event": event_id}


def row_counts(app: Flask) -> dict[str, int]:
    return {name: len(table["rows"]) for name, table in tables_of(app).items()}


def assert_clean_copy(target: Flask, ids: dict[str, int], expected_counts: dict[str, int]) -> None:
    from assessment.extensions import db
    from assessment.models import Answer, AuditEvent, Department, Organisation, Response, Round

    assert row_counts(target) == expected_counts
    dumped = json.dumps(tables_of(target))
    assert not [code for code in CONTROL_ESCAPES if code in dumped]
    with target.app_context():
        assert db.session.get(Department, ids["department"]).name == "Adult Social Care"
        assert db.session.get(Department, ids["department"]).directorate == "People"
        assert db.session.get(Response, ids["response"]).respondent == "Ann Jones"
        assert db.session.get(Answer, ids["answer"]).comment == "Good work\n\tSecond line"
        event = db.session.get(AuditEvent, ids["audit_event"])
        assert event.user_email == "lead@example.org"
        assert event.details == {"department": "Parks", "note": "ab"}
        assert {r.name for r in db.session.query(Round)} == {"2026 baseline"}
        assert db.session.query(Organisation).one().name == "Aberbrook Council"


def test_sqlite_backup_with_hostile_text_is_restored_cleaned_into_postgresql(
        tmp_path: Path, fresh_postgres: str, app_on: AppFactory) -> None:
    out = tmp_path / "hostile.json"
    source = app_on(migrated_sqlite(tmp_path / "source.sqlite"))
    ids = plant_hostile_text(source)
    expected_counts = row_counts(source)
    assert run(source, "backup", str(out)).exit_code == 0
    assert "\\u0000" in out.read_text()
    target = app_on(fresh_postgres)
    result = run(target, "restore", str(out))
    assert result.exit_code == 0, result.output
    assert_clean_copy(target, ids, expected_counts)
    report = result.stderr
    assert "Removed control characters from" in report
    for table in ("organisation", "assessment_round", "department", "response", "answer",
                  "audit_event"):
        assert table in report, table
    assert f"department {ids['department']}" in report and f"answer {ids['answer']}" in report
    assert f"Restored {sum(expected_counts.values())} rows" in report


def test_postgresql_backup_with_hostile_text_is_restored_cleaned_into_sqlite(
        tmp_path: Path, postgres_url: str, app_on: AppFactory) -> None:
    from .support.databases import empty_postgres

    empty_postgres(postgres_url)
    out = tmp_path / "hostile.json"
    source = app_on(postgres_url)
    ids = plant_hostile_text(source, nul="")  # PostgreSQL cannot hold NUL
    expected_counts = row_counts(source)
    assert run(source, "backup", str(out)).exit_code == 0
    target = app_on(migrated_sqlite(tmp_path / "target.sqlite"))
    result = run(target, "restore", str(out))
    assert result.exit_code == 0, result.output
    assert_clean_copy(target, ids, expected_counts)


def test_hostile_text_restored_into_the_same_kind_of_database_is_cleaned(
        app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    nul = "" if target_url.startswith("postgresql") else NUL
    ids = plant_hostile_text(app, nul=nul)
    expected_counts = row_counts(app)
    out = tmp_path / "same.json"
    assert run(app, "backup", str(out)).exit_code == 0
    target = app_on(target_url)
    result = run(target, "restore", str(out))
    assert result.exit_code == 0, result.output
    assert_clean_copy(target, ids, expected_counts)


def test_rows_that_cleaning_would_make_duplicates_are_reported_and_nothing_is_restored(
        app: Flask, target_url: str, tmp_path: Path, app_on: AppFactory) -> None:
    load_demo(app)
    document = backup_of(app)
    departments = document["tables"]["department"]
    name = departments["columns"].index("name")
    first, second = departments["rows"][0], departments["rows"][1]
    second[name] = first[name] + NUL  # the same name as the first once cleaned
    target = app_on(target_url)
    result = run(target, "restore", str(write(tmp_path / "twins.json", document)))
    one_line_error(result, f"department {second[0]}")
    assert f"row {first[0]}" in result.output
    assert not any(table["rows"] for table in tables_of(target).values())
