"""Isolation proved (issue 15): organisation A's users, API token, invitation link and command
lines never read or change organisation B's data, on every route of the url map.

Both organisations have the same department and round names.  Everything that is B's
alone carries a marker: its name and emails say "Bangor", its comments, evidence,
respondents and directorates say "Zebrafinch" (A's say "Yakbutter").  For every rule of
``app.url_map`` (CASES must name each endpoint: a new route without a case fails), each of
A's actors requests it

- with A's own objects (GET): no byte of the answer may hold a B marker (downloads are
  unzipped first);
- with B's objects, and with A's round holding B's department, answer or response: the
  answer must be exactly what the same address answers for an object that does not exist
  (404, or a refusal of the role that never depends on the object), for every method;

and B's rows must be unchanged at the end.  The service administrator is an actor too: it
must never see either organisation's answers, comments or respondents.  Every command of
``flask`` is in COMMANDS, run for A against B's round, users and tokens where it takes them.
One world per database, built once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from assessment.extensions import db
from assessment.models import (
    Answer,
    ApiToken,
    BackgroundJob,
    Department,
    Response,
    Round,
    TrainerAccess,
    User,
    utcnow,
)
from assessment.services import (
    accounts,
    api_tokens,
    demo,
    importer,
    invitations,
    results,
    rounds,
    staged_uploads,
)

from .support.people import PASSWORD

A, B = "Aberaeron Council", "Bangor Council"
ROUND = "2026 baseline"
DEPARTMENTS = ("Parks", "Housing")
MISSING = 999_999
B_MARKERS = (b"bangor", b"zebrafinch")
#: Both organisations' answer text (long enough that no random token or nonce spells it).
SECRETS = (b"zebrafinch", b"yakbutter")  # answers' text of both: never on a service administrator's page


@dataclass
class Tenant:
    """One organisation's ids: its round, a department, answer, response, lead, token and job."""

    key: str  # "yakbutter" or "zebrafinch"
    domain: str
    organisation_id: int = 0
    round_id: int = 0
    ids: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    token: str = ""


def _rows(bank: Any, tenant: Tenant) -> list[list[str]]:
    rows: list[list[str]] = [[*importer.REQUIRED_COLUMNS, "evidence", "directorate"]]
    for department in DEPARTMENTS:
        for question in bank.questions:
            rows.append([department, f"{tenant.key.title()} respondent", question.id, "4",
                         f"{tenant.key} comment on {department}", f"{tenant.key} evidence",
                         f"{tenant.key.title()} directorate"])
    return rows


def _build_tenant(name: str, tenant: Tenant) -> None:
    organisation, _admin = accounts.create_organisation(name, f"admin@{tenant.domain}", PASSWORD)
    tenant.organisation_id = organisation.id
    for role in ("lead", "trainer"):
        accounts.create_user(f"{role}@{tenant.domain}", PASSWORD, role, organisation.id)
    made = rounds.create_round(ROUND, "open", organisation_id=organisation.id)
    tenant.round_id = made.id
    assessment_round = rounds.require_round(made.id)
    bank = results.round_bank(assessment_round)
    importer.apply_import(assessment_round, importer.plan_import(assessment_round, bank, _rows(bank, tenant)))
    invited = invitations.invite(made.id, "Libraries", f"{tenant.key.title()} librarian")
    tenant.link = invited.link.removeprefix("http://joined-up.test")
    tenant.token = api_tokens.create_api_token(f"lead@{tenant.domain}")
    lead = db.session.scalars(select(User).where(User.email == f"lead@{tenant.domain}")).one()
    answer = db.session.scalars(select(Answer).join(Response).where(Response.round_id == made.id)).first()
    assert answer is not None
    response = db.session.get(Response, answer.response_id)
    assert response is not None
    job_id = ("a" if tenant.key == "yakbutter" else "b") * 32  # no marker: the address is echoed
    db.session.add(BackgroundJob(id=job_id, kind="export_xlsx", status="done", user_id=lead.id,
                                 round_id=made.id, details={}, done=1, total=1, file_name="x.xlsx",
                                 file_data=f"{tenant.key} workbook".encode(),
                                 expires_at=utcnow().replace(year=2999)))
    db.session.commit()
    upload = staged_uploads.stage(made.id, lead.id, "answers.csv", f"{tenant.key} file".encode(), None)
    token_id = db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == lead.id)).one()
    tenant.ids = {"round_id": made.id, "department_id": response.department_id, "answer_id": answer.id,
                  "response_id": response.id, "user_id": lead.id, "token_id": token_id,
                  "job_id": job_id, "upload_id": upload}


@dataclass
class World:
    app: Flask
    a: Tenant
    b: Tenant
    actors: dict[str, FlaskClient]


def sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, (email, response.get_data(as_text=True))
    return client


def build_world(app: Flask) -> World:
    a, b = Tenant("yakbutter", "aberaeron.example"), Tenant("zebrafinch", "bangor.example")
    with app.app_context():
        accounts.create_service_admin("service@region.example", PASSWORD)
        _build_tenant(A, a)
        _build_tenant(B, b)
    actors = {role: sign_in(app, f"{role}@{a.domain}") for role in ("admin", "lead", "trainer")}
    actors["service"] = sign_in(app, "service@region.example")
    respondent = app.test_client()
    assert respondent.get(a.link).status_code == 302
    actors["respondent"] = respondent
    token_client = app.test_client()
    token_client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {a.token}"
    actors["token"] = token_client
    return World(app, a, b, actors)


# --- the cases: every endpoint of the url map ------------------------------------------------

#: What each endpoint's URL is built from.  "objects": ids of an organisation's objects
#: (round, department, answer ...), tried with A's, with B's, mixed, and with missing ones;
#: "own": nothing of an organisation in the address (it shows the caller's own, or nothing);
#: "respondent": the pages behind an invitation link (the session says whose).
CASES: dict[str, str] = {
    "static": "own", "health.healthz": "own", "setup.set_up": "own", "main.sign_in": "own",
    "main.home": "own", "main.sign_out": "own", "admin.change_password": "own",
    "admin.list_users": "own", "admin.add_user": "own", "admin.edit_user": "objects",
    "admin.deactivate_user": "objects", "admin.reactivate_user": "objects",
    "admin.audit_log": "own", "admin.trainer_access": "own",
    "survey.follow_link": "respondent", "survey.link_not_working": "respondent",
    "survey.start": "respondent", "survey.tasks": "respondent", "survey.question": "respondent",
    "survey.section": "respondent", "survey.check": "respondent", "survey.submit": "respondent",
    "survey.confirmation": "respondent", "survey.challenge": "respondent",
    "rounds.new": "own", "rounds.overview": "objects", "rounds.change_status": "objects",
    "rounds.invite": "objects", "rounds.replace": "objects", "rounds.revoke": "objects",
    "rounds.links_for_everyone_without_one": "objects", "rounds.details": "objects",
    "rounds.upload_respondents": "objects", "rounds.preview": "objects", "rounds.send": "objects",
    "results.dashboard_page": "objects", "results.print_page": "objects",
    "results.report_document": "objects", "results.department_page": "objects",
    "results.compare_page": "objects", "results.plan_page": "objects",
    "results.chart_file": "objects", "results.department_chart_file": "objects",
    "results.challenge_page": "objects", "results.targets_page": "objects",
    "workshop.export": "objects", "workshop.export_xlsx": "objects", "workshop.answers_csv": "objects",
    "workshop.template_xlsx": "objects", "workshop.import_answers": "objects",
    "workshop.check_import": "objects", "workshop.cancel_import": "objects",
    "jobs.job_page": "objects", "jobs.download_file": "objects",
    "api.openapi": "own", "api.round_results": "objects", "api.unknown": "own",
    "api_docs.docs": "own", "api_docs.tokens": "own", "api_docs.revoke": "objects",
    "demo.remove": "own", "service.organisations": "own", "service.new_organisation": "own",
    "service.trainer_access": "own", "switch.choose": "own",
    "benchmarks.round_benchmarks": "objects", "service.benchmark_groups": "own",
}

#: Values for the arguments that name no organisation's object.
FIXED = {"filename": "icon.svg", "name": "radar", "fmt": "svg", "_anything": "no-such-address",
         "kind": "invitation", "question_id": None, "dimension_id": None, "token": None}
#: Requests that would end the actor's own session, left to the end of nothing: never sent.
SKIPPED = {("main.sign_out", "POST")}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def readable(body: bytes) -> bytes:
    """The bytes to search, lower-cased: a workbook or document is unzipped first."""
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.lower()


def url(rule: Rule, values: dict[str, Any]) -> str:
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def fixed_values(world: World) -> dict[str, Any]:
    with world.app.app_context():
        bank = results.round_bank(rounds.require_round(world.a.round_id))
    return {**FIXED, "question_id": bank.questions[0].id, "dimension_id": bank.dimensions[0].id,
            "token": world.a.link.rsplit("/", 1)[1]}


def variants(rule: Rule, world: World, fixed: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """B's objects, A's round with B's other objects, and the same with missing ones."""
    ids = set(rule.arguments) - set(FIXED)
    missing = {name: ("0" * 32 if name == "job_id" else MISSING) for name in ids}
    found = {"b": {**fixed, **{n: world.b.ids[n] for n in ids}},
             "missing": {**fixed, **missing}}
    if "round_id" in ids and len(ids) > 1:
        found["a_round_b_rest"] = {**found["b"], "round_id": world.a.round_id}
        found["a_round_missing_rest"] = {**found["missing"], "round_id": world.a.round_id}
    return found


def send(client: FlaskClient, method: str, address: str) -> tuple[int, bytes]:
    response = client.open(address, method=method, data={} if method in STATE_CHANGING else None)
    body = response.get_data()
    response.close()
    return response.status_code, body


def leaks(actor: str, body: bytes) -> list[bytes]:
    markers = SECRETS if actor == "service" else B_MARKERS
    text = readable(body)
    return [marker for marker in markers if marker in text]


def check_route(world: World, rule: Rule, fixed: dict[str, Any], problems: list[str]) -> None:
    kind = CASES[rule.endpoint]
    actors = ["respondent"] if kind == "respondent" else ["admin", "lead", "trainer", "service"]
    if rule.endpoint.startswith("api."):
        actors.append("token")
    own = {**fixed, **world.a.ids}
    for method in methods(rule):
        if (rule.endpoint, method) in SKIPPED:
            continue
        for actor in actors:
            client = world.actors[actor]
            if method == "GET" or kind != "objects":
                status, body = send(client, method, url(rule, own))
                if status >= 500 or leaks(actor, body):
                    problems.append(f"{actor} {method} {url(rule, own)} -> {status} {leaks(actor, body)}")
            if kind != "objects":
                continue
            found = variants(rule, world, fixed)
            for name in ("b", "a_round_b_rest"):
                if name not in found:
                    continue
                missing = found["missing" if name == "b" else "a_round_missing_rest"]
                expected, _body = send(client, method, url(rule, missing))
                status, body = send(client, method, url(rule, found[name]))
                if status != expected or status < 400 or leaks(actor, body):
                    problems.append(f"{actor} {method} {url(rule, found[name])} -> {status}, "
                                    f"as missing -> {expected} {leaks(actor, body)}")


def snapshot(app: Flask, tenant: Tenant) -> list[tuple[Any, ...]]:
    """Every row of the organisation that a request could change, as plain values."""
    with app.app_context():
        rows: list[tuple[Any, ...]] = []
        organisation = tenant.organisation_id
        round_ids = select(Round.id).where(Round.organisation_id == organisation)
        response_ids = select(Response.id).where(Response.round_id.in_(round_ids))
        queries: list[tuple[Any, Callable[[Any], tuple[Any, ...]]]] = [
            (select(Round).where(Round.organisation_id == organisation),
             lambda r: (r.id, r.name, r.status, r.data_version, r.targets, r.contact, r.purpose)),
            (select(Department).where(Department.organisation_id == organisation),
             lambda d: (d.id, d.name, d.directorate)),
            (select(Response).where(Response.id.in_(response_ids)),
             lambda r: (r.id, r.status, r.token_hash, r.token_revoked, r.respondent)),
            (select(Answer).where(Answer.response_id.in_(response_ids)),
             lambda a: (a.id, a.value, a.comment, a.challenged, a.revision)),
            (select(User).where(User.organisation_id == organisation),
             lambda u: (u.id, u.role, u.active, u.session_version, u.password_hash)),
            (select(ApiToken).join(User).where(User.organisation_id == organisation),
             lambda t: (t.id, t.revoked)),
            (select(TrainerAccess).where(TrainerAccess.organisation_id == organisation),
             lambda t: (t.user_id,)),
        ]
        for query, shape in queries:
            rows += sorted(shape(row) for row in db.session.scalars(query))
        return rows


def test_the_cases_cover_every_route_of_the_url_map(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(CASES), (
        f"add a case to CASES in tests/test_tenant_isolation.py for {sorted(endpoints - set(CASES))}; "
        f"remove {sorted(set(CASES) - endpoints)}")


def test_no_route_lets_organisation_a_read_or_change_organisation_b(app: Flask) -> None:
    world = build_world(app)
    before = snapshot(app, world.b)
    fixed = fixed_values(world)
    problems: list[str] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        check_route(world, rule, fixed, problems)
    # B's staged upload, slipped into A's lead's session with A's round, is not A's to import.
    from assessment.views.workshop.imports import SESSION_KEY

    lead = world.actors["lead"]
    with lead.session_transaction() as session:
        session[SESSION_KEY] = {"id": world.b.ids["upload_id"], "round_id": world.a.round_id}
    status, body = send(lead, "GET", f"/rounds/{world.a.round_id}/import/check")
    if status != 302 or leaks("lead", body):
        problems.append(f"B's staged upload in A's session -> {status}")
    assert not problems, "\n".join(problems)
    assert snapshot(app, world.b) == before, "a request of organisation A changed organisation B's data"
    # The search finds what is there: A's own comments, in a page and inside a workbook.
    admin = world.actors["admin"]
    for address in (f"/rounds/{world.a.round_id}/answers.csv", f"/rounds/{world.a.round_id}/export.xlsx",
                    f"/rounds/{world.a.round_id}/departments/{world.a.ids['department_id']}"):
        status, body = send(admin, "GET", address)
        assert status == 200 and b"yakbutter comment" in readable(body), address


# --- the command line ------------------------------------------------------------------------

#: Every ``flask`` command: the arguments aimed at B's data that A's operator may try, or why
#: it names no organisation (it acts on the whole installation, or creates one).
COMMANDS: dict[str, Callable[[Tenant, Path], list[list[str]]] | str] = {
    "results": lambda b, tmp: [["results", str(b.round_id)]],
    "invite": lambda b, tmp: [["invite", str(b.round_id), "Parks"]],
    "import-responses": lambda b, tmp: [["import-responses", str(b.round_id), str(tmp / "in.csv")]],
    "export-xlsx": lambda b, tmp: [["export-xlsx", str(b.round_id), str(tmp / "out.xlsx")]],
    "create-api-token": lambda b, tmp: [["create-api-token", f"lead@{b.domain}"]],
    "revoke-api-token": lambda b, tmp: [["revoke-api-token", "--id", str(b.ids["token_id"])],
                                        ["revoke-api-token", "--email", f"lead@{b.domain}"]],
    "create-user": lambda b, tmp: [["create-user", f"admin@{b.domain}", "--role", "lead",
                                    "--password-stdin"]],
    "grant-trainer-access": lambda b, tmp: [["grant-trainer-access", f"lead@{b.domain}"]],
    "remove-demo": lambda b, tmp: [["remove-demo"]],  # B's demonstration stays (snapshot)
    "create-round": "creates a round of --organisation only (tests/test_regional_service.py)",
    "demo": "loads the demonstration into --organisation only (tests/test_regional_service.py)",
    "init-db": "the whole installation's schema",
    "check-questions": "reads a question bank, no organisation's data",
    "setup": "refused once anyone is set up (tests/test_cli_setup.py)",
    "create-service-admin": "an account of no organisation",
    "create-organisation": "a new organisation; a taken name is refused",
    "create-benchmark-group": "a new benchmark group of the service: no organisation's data",
    "benchmark-groups": "the operator's list of groups and who contributed; never a score",
    "backup": "the operator's copy of the whole installation",
    "restore": "the operator's restore of the whole installation",
}


def test_every_command_is_decided_and_none_reaches_organisation_b(app: Flask, tmp_path: Path) -> None:
    assert set(app.cli.commands) == set(COMMANDS), (
        f"add {sorted(set(app.cli.commands) - set(COMMANDS))} to COMMANDS in tests/test_tenant_isolation.py")
    world = build_world(app)
    with app.app_context():
        demo.load_demo(app.extensions["question_bank"], world.b.organisation_id)
    (tmp_path / "in.csv").write_text(",".join(importer.REQUIRED_COLUMNS) + "\nParks,Yak,q,1,yakbutter\n")
    before = snapshot(app, world.b)
    runner = app.test_cli_runner()
    for command, case in COMMANDS.items():
        if isinstance(case, str):
            continue
        for args in case(world.b, tmp_path):
            result = runner.invoke(args=[*args, "--organisation", A], input=PASSWORD + "\n")
            assert result.exit_code == (0 if command == "remove-demo" else 1), (args, result.output)
            assert not [m for m in B_MARKERS[1:] if m in (result.stdout + result.stderr).lower().encode()]
            unnamed = runner.invoke(args=args, input=PASSWORD + "\n")
            assert unnamed.exit_code == 1 and "--organisation NAME" in unnamed.stderr, (args, unnamed.output)
    assert not (tmp_path / "out.xlsx").exists()
    assert snapshot(app, world.b) == before
