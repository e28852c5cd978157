"""A regional service (issue 15): the service administrator, its commands and pages, trainers
who switch organisation, and a single-organisation installation left as it was.

Isolation across every route is tests/test_tenant_isolation.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from assessment.extensions import db
from assessment.models import Organisation, User
from assessment.queries import accounts as account_queries
from assessment.services import rounds

from .support.people import PASSWORD
from .support.rounds import RoundFactory

STDIN = PASSWORD + "\n"


def run(runner: FlaskCliRunner, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(args=list(args), input=stdin)


def regional(runner: FlaskCliRunner) -> None:
    """A service administrator and two organisations, each with its admin."""
    made = run(runner, "create-service-admin", "svc@example.org", "--password-stdin", stdin=STDIN)
    assert made.exit_code == 0, made.stderr
    for name, email in (("Ceredigion Council", "admin@ceredigion.example"),
                        ("Powys Council", "admin@powys.example")):
        made = run(runner, "create-organisation", name, "--admin", email, "--password-stdin", stdin=STDIN)
        assert made.exit_code == 0, made.stderr
        assert f"Created {name} with the administrator {email}." in made.stderr


def sign_in(app: Flask, email: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def test_the_service_administrator_belongs_to_no_organisation_and_the_database_holds_it_to_that(
        app: Flask, runner: FlaskCliRunner) -> None:
    regional(runner)
    with app.app_context():
        service = db.session.scalars(select(User).where(User.role == "service")).one()
        assert service.organisation_id is None
        names = sorted(db.session.scalars(select(Organisation.name)))
        assert names == ["Ceredigion Council", "Powys Council"]
        for role, organisation_id in (("lead", None), ("service", 1)):
            db.session.add(User(email=f"{role}-bad@example.org", password_hash="x", role=role,
                                organisation_id=organisation_id))
            try:
                db.session.flush()
                raise AssertionError(f"a {role} with organisation {organisation_id} was stored")
            except IntegrityError:
                db.session.rollback()


def test_create_organisation_refuses_a_duplicate_name_and_bad_input_clearly(
        app: Flask, runner: FlaskCliRunner) -> None:
    regional(runner)
    again = run(runner, "create-organisation", "Powys Council", "--admin", "new@powys.example",
                "--password-stdin", stdin=STDIN)
    assert again.exit_code == 1
    assert again.stderr == "Error: There is already an organisation called Powys Council.\n"
    short = run(runner, "create-organisation", "Gwynedd Council", "--admin", "a@g.example",
                "--password-stdin", stdin="short\n")
    assert short.exit_code == 1 and "12 characters or more" in short.stderr
    taken = run(runner, "create-service-admin", "svc@example.org", "--password-stdin", stdin=STDIN)
    assert taken.exit_code == 1 and "already a user with the email address" in taken.stderr
    with app.app_context():
        assert len(list(db.session.scalars(select(Organisation.id)))) == 2


def test_commands_need_organisation_only_when_there_are_several(app: Flask, runner: FlaskCliRunner) -> None:
    regional(runner)
    unnamed = run(runner, "create-round", "2026 baseline")
    assert unnamed.exit_code == 1
    assert unnamed.stderr == ("Error: This installation holds several organisations: "
                              "say which one with --organisation NAME.\n")
    unknown = run(runner, "create-round", "2026 baseline", "--organisation", "Nowhere")
    assert unknown.stderr == "Error: There is no organisation called Nowhere.\n"
    made = run(runner, "create-round", "2026 baseline", "--organisation", "Powys Council", "--open")
    assert made.exit_code == 0, made.stderr
    round_id = made.stdout.strip()
    # Another organisation's round is "no round", as pages answer 404.
    for args in (["results", round_id], ["invite", round_id, "Parks"]):
        wrong = run(runner, *args, "--organisation", "Ceredigion Council")
        assert (wrong.exit_code, wrong.stderr) == (1, f"Error: There is no round {round_id}.\n")
    assert run(runner, "results", round_id, "--organisation", "Powys Council").exit_code == 0
    user = run(runner, "create-user", "lead@powys.example", "--role", "lead", "--password-stdin",
               "--organisation", "Powys Council", stdin=STDIN)
    assert user.exit_code == 0, user.stderr
    token = run(runner, "create-api-token", "lead@powys.example", "--organisation", "Ceredigion Council")
    assert token.stderr == "Error: There is no user with the email address lead@powys.example.\n"


def test_a_single_organisation_needs_no_organisation_option(
        runner: FlaskCliRunner, round_factory: RoundFactory) -> None:
    made = round_factory(departments={"Parks": "3"})
    assert run(runner, "results", str(made.id)).exit_code == 0
    assert run(runner, "create-user", "t@example.org", "--role", "trainer", "--password-stdin",
               stdin=STDIN).exit_code == 0


def test_the_service_pages_list_organisations_and_rates_and_create_one(
        app: Flask, runner: FlaskCliRunner) -> None:
    regional(runner)
    round_id = run(runner, "create-round", "Digital 2026", "--organisation", "Powys Council",
                   "--open").stdout.strip()
    for department in ("Parks", "Housing"):
        assert run(runner, "invite", round_id, department, "--organisation", "Powys Council").exit_code == 0
    service = sign_in(app, "svc@example.org")
    assert service.get("/").headers["Location"] == "/service/"
    page = service.get("/service/").get_data(as_text=True)
    assert "Ceredigion Council" in page and "Digital 2026" in page and "Parks" not in page
    assert "0%" in page  # two responses, none submitted
    assert 'href="/service/organisations/new"' in page and 'href="/rounds/new"' not in page
    created = service.post("/service/organisations/new", data={
        "name": "Gwynedd Council", "email": "admin@gwynedd.example",
        "password": PASSWORD, "confirm": PASSWORD})
    assert created.status_code == 302
    duplicate = service.post("/service/organisations/new", data={
        "name": "Gwynedd Council", "email": "other@gwynedd.example",
        "password": PASSWORD, "confirm": PASSWORD})
    assert "There is already an organisation called Gwynedd Council." in duplicate.get_data(as_text=True)
    sign_in(app, "admin@gwynedd.example")
    # No organisation's pages: 404, never 403.
    for path in (f"/rounds/{round_id}/dashboard", f"/rounds/{round_id}", "/admin/users",
                 f"/api/v1/rounds/{round_id}/results", "/rounds/new"):
        assert service.get(path).status_code == 404, path


def test_a_trainer_given_access_switches_organisation_and_loses_it_when_revoked(
        app: Flask, runner: FlaskCliRunner) -> None:
    regional(runner)
    round_id = run(runner, "create-round", "Powys only", "--organisation", "Powys Council").stdout.strip()
    assert run(runner, "create-user", "t@ceredigion.example", "--role", "trainer", "--password-stdin",
               "--organisation", "Ceredigion Council", stdin=STDIN).exit_code == 0
    trainer = sign_in(app, "t@ceredigion.example")
    assert trainer.get("/switch-organisation").status_code == 404  # nothing to switch to yet
    assert "Switch organisation" not in trainer.get("/").get_data(as_text=True)
    admin = sign_in(app, "admin@powys.example")
    granted = admin.post("/admin/trainer-access", data={"email": "t@ceredigion.example", "grant": "y"})
    assert granted.status_code == 302
    assert "t@ceredigion.example" in admin.get("/admin/trainer-access").get_data(as_text=True)
    assert "Switch organisation" in trainer.get("/").get_data(as_text=True)
    assert trainer.get(f"/rounds/{round_id}/dashboard").status_code == 404
    choices = trainer.get("/switch-organisation").get_data(as_text=True)
    powys_id = 2
    assert "Powys Council" in choices and "Ceredigion Council" in choices
    assert trainer.post("/switch-organisation", data={"organisation": str(powys_id)}).status_code == 302
    assert "Powys only" in trainer.get("/").get_data(as_text=True)
    assert trainer.get(f"/rounds/{round_id}/dashboard").status_code == 200
    # A choice outside the list is refused.
    assert trainer.post("/switch-organisation", data={"organisation": "99"}).status_code == 200
    revoked = run(runner, "grant-trainer-access", "t@ceredigion.example", "--organisation",
                  "Powys Council", "--revoke")
    assert revoked.exit_code == 0, revoked.stderr
    assert trainer.get(f"/rounds/{round_id}/dashboard").status_code == 404  # checked every request
    assert "Powys only" not in trainer.get("/").get_data(as_text=True)


def test_an_existing_sqlite_database_migrates_with_its_accounts_tokens_and_audit_log(
        tmp_path: Path) -> None:
    """0013 rebuilds user_account on SQLite; with foreign keys on (as the app connects),
    accounts, tokens and the audit log survive, and the log is given its organisation."""
    from alembic import command
    from sqlalchemy import create_engine, event, text

    from assessment.migrate import alembic_config, upgrade

    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON"))
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, "0012_opened")
        for statement in (
            "INSERT INTO organisation (id, name, created_at) VALUES (1, 'Ours', '2026-01-01')",
            "INSERT INTO user_account (id, organisation_id, email, password_hash, role, active, "
            "session_version, created_at) "
            "VALUES (1, 1, 'lead@ours.example', 'x', 'lead', 1, 1, '2026-01-01')",
            "INSERT INTO api_token (id, user_id, token_hash, revoked, created_at) "
            "VALUES (1, 1, 'h', 0, '2026-01-01')",
            "INSERT INTO audit_event (id, created_at, event, user_id, details) "
            "VALUES (1, '2026-01-01', 'sign_in', 1, '{}')",
            "INSERT INTO audit_event (id, created_at, event, details) "
            "VALUES (2, '2026-01-01', 'sign_in_failed', '{}')",
            "INSERT INTO assessment_round (id, organisation_id, name, status, bank_id, bank_version, "
            "bank_snapshot, thresholds, targets, ask_evidence, show_department_radar, data_version, "
            "created_at) VALUES (1, 1, 'R', 'open', 'b', '1', '{}', '{}', '{}', 1, 1, 0, '2026-01-01')",
            "INSERT INTO background_job (id, kind, status, user_id, round_id, done, total, details, "
            "created_at, updated_at, expires_at) VALUES ('j', 'export_xlsx', 'done', 1, 1, 0, 0, '{}', "
            "'2026-01-01', '2026-01-01', '2999-01-01')",
        ):
            connection.execute(text(statement))
    upgrade(engine)  # as flask init-db does, on a connection with foreign keys on
    with engine.begin() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("SELECT user_id FROM background_job")).scalars().all() == [1]
        def column(query: str) -> list[object]:
            return list(connection.execute(text(query)).scalars())

        assert column("SELECT email FROM user_account") == ["lead@ours.example"]
        assert column("SELECT user_id FROM api_token") == [1]
        assert column("SELECT organisation_id FROM audit_event ORDER BY id") == [1, 1]
        connection.execute(text(
            "INSERT INTO user_account (email, password_hash, role, active, session_version, created_at) "
            "VALUES ('svc@ours.example', 'x', 'service', 1, 1, '2026-01-01')"))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, "0012_opened")
            emails = connection.execute(text("SELECT email FROM user_account")).scalars().all()
    assert emails == ["lead@ours.example"]
    engine.dispose()


def test_cache_keys_and_stored_results_carry_the_organisation(
        app: Flask, round_factory: RoundFactory) -> None:
    from assessment.services import results, results_store, rounds

    made = round_factory(departments={"Parks": "3"})
    with app.app_context():
        ours = rounds.require_round(made.id)
        key, digest = results.results_key(ours), results_store.inputs_digest(ours)
        assert ours.organisation_id in key[:3]
        db.session.expunge(ours)
        ours.organisation_id = ours.organisation_id + 1  # the same round, as another's
        assert results.results_key(ours) != key and results_store.inputs_digest(ours) != digest


def test_setup_after_the_service_administrator_makes_the_first_organisation(
        app: Flask, runner: FlaskCliRunner) -> None:
    service = run(runner, "create-service-admin", "svc@example.org", "--password-stdin", stdin=STDIN)
    assert service.exit_code == 0, service.stderr
    made = run(runner, "setup", "--organisation", "Ceredigion Council", "--admin", "a@c.example",
               "--password-stdin", stdin=STDIN)
    assert made.exit_code == 0, made.stderr
    with app.app_context():
        assert list(db.session.scalars(select(Organisation.name))) == ["Ceredigion Council"]


def test_the_service_administrator_defines_benchmark_groups_and_sees_who_contributed(
        app: Flask, runner: FlaskCliRunner) -> None:
    from assessment.services import benchmarks

    regional(runner)
    service = sign_in(app, "svc@example.org")
    page = service.get("/service/benchmark-groups").get_data(as_text=True)
    assert "Create a benchmark group" in page and "once 5 organisations have contributed" in page
    empty = service.post("/service/benchmark-groups", data={"name": "  ", "name_cy": ""})
    assert empty.status_code == 200
    assert "Enter a name for the benchmark group" in empty.get_data(as_text=True)
    created = service.post("/service/benchmark-groups",
                           data={"name": "Welsh councils", "name_cy": "Cynghorau Cymru"})
    assert created.status_code == 302
    again = service.post("/service/benchmark-groups", data={"name": "welsh COUNCILS", "name_cy": ""})
    assert "There is already a benchmark group called welsh COUNCILS." in again.get_data(as_text=True)
    round_id = int(run(runner, "create-round", "Digital 2026", "--organisation", "Powys Council")
                   .stdout.strip())
    with app.app_context():
        [group] = benchmarks.list_groups()
        organisation_id = next(o.id for o in account_queries.list_organisations()
                               if o.name == "Powys Council")
        rounds.set_status(round_id, "closed")
        with pytest.raises(benchmarks.BenchmarkSetupError):  # nothing scored: refused
            benchmarks.contribute(organisation_id, round_id, group.id)
    listed = service.get("/service/benchmark-groups").get_data(as_text=True)
    assert "Welsh councils" in listed and "Cynghorau Cymru" in listed
    assert "No round has been contributed yet." in listed
    # Only the service administrator: an organisation's admin is refused (no such page for them).
    admin = sign_in(app, "admin@powys.example")
    assert admin.get("/service/benchmark-groups").status_code in (403, 404)
