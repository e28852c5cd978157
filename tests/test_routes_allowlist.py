"""Every route, as every kind of visitor, against an allow-list kept here.

A new route fails ``test_every_route_has_a_role_decision`` until someone adds
it to ACCESS below: that is where the decision "who may use this" is written
down.  Then the walk checks the decision holds for anonymous visitors,
department heads (who only have their invitation link), trainers, leads and
admins.

Kinds of access:
- public: anyone (sign-in page, health check, static files, invitation links);
- staff: any signed-in trainer, lead or admin (results, exports, imports);
- lead: leads and admins (rounds, departments, invitations, targets);
- admin: admins only (users, audit log);
- respondent: a department head whose session holds their invitation;
- nowhere: answers 404 to everyone;
- owner: only the signed-in user who asked for it (a background job); other staff get
  404.  The walk's sample job belongs to nobody, so staff must all get 404
  (tests/test_jobs.py checks that the owner gets in).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from .support.apps import WALK_SETTINGS
from .support.people import ClientFor
from .support.security import ROLES, World
from .support.snapshots import table_snapshot

pytestmark = pytest.mark.app_settings(**WALK_SETTINGS)

ACCESS: dict[str, str] = {
    "static": "public",
    "health.healthz": "public",
    "setup.set_up": "public",  # only until the first admin exists; then it redirects home
    "main.sign_in": "public",
    "main.home": "staff",
    "main.sign_out": "staff",
    "admin.change_password": "staff",
    "admin.list_users": "admin",
    "admin.add_user": "admin",
    "admin.edit_user": "admin",
    "admin.deactivate_user": "admin",
    "admin.reactivate_user": "admin",
    "admin.audit_log": "admin",
    "survey.follow_link": "public",
    "survey.link_not_working": "nowhere",  # the friendly 404 page for a link that does not work
    "survey.start": "respondent",
    "survey.tasks": "respondent",
    "survey.question": "respondent",
    "survey.section": "respondent",
    "survey.check": "respondent",
    "survey.submit": "respondent",
    "survey.confirmation": "respondent",
    "survey.challenge": "respondent",
    "rounds.new": "lead",
    "rounds.overview": "lead",
    "rounds.change_status": "lead",
    "rounds.invite": "lead",
    "rounds.replace": "lead",
    "rounds.revoke": "lead",
    "rounds.links_for_everyone_without_one": "lead",
    "rounds.details": "lead",
    "rounds.upload_respondents": "lead",
    "rounds.preview": "lead",
    "rounds.send": "lead",
    "results.dashboard_page": "staff",
    "results.print_page": "staff",
    "results.report_document": "staff",
    "results.department_page": "staff",
    "results.compare_page": "staff",
    "results.plan_page": "staff",
    "results.chart_file": "staff",
    "results.department_chart_file": "staff",
    "results.challenge_page": "lead",
    "results.targets_page": "lead",
    "workshop.export": "staff",
    "workshop.export_xlsx": "staff",
    "workshop.answers_csv": "staff",
    "workshop.template_xlsx": "staff",
    "workshop.import_answers": "staff",
    "workshop.check_import": "staff",
    "workshop.cancel_import": "staff",
    "jobs.job_page": "owner",
    "jobs.download_file": "owner",
    "api.openapi": "public",
    "api.round_results": "staff",  # or an API token (tests of the api blueprint)
    "api.unknown": "nowhere",
    "api_docs.docs": "staff",
    "api_docs.tokens": "staff",
    "api_docs.revoke": "owner",  # the token's user, or an admin: the sample token does not exist
    "demo.remove": "admin",  # the confirmation page and the removal itself
    "admin.trainer_access": "admin",  # trainers of other organisations (issue 15)
    "service.organisations": "service",
    "service.new_organisation": "service",
    "service.trainer_access": "service",
    "service.benchmark_groups": "service",
    # Only a trainer given another organisation has a choice; everyone else's is "not found"
    # (tests/test_regional_service.py switches).
    "switch.choose": "owner",
    "benchmarks.round_benchmarks": "admin",  # contribute a round to a benchmark group, or withdraw it
}

ALLOWED = {
    "public": set(ROLES),
    "staff": {"trainer", "lead", "admin"},
    "lead": {"lead", "admin"},
    "admin": {"admin"},
    "respondent": {"department_head"},
    "nowhere": set(),  # answers 404 to everyone (a catch-all, a "not found" page)
    "owner": set(),  # nobody owns the sample job: staff get 404, others the sign-in page
    # The service administrator's pages (issue 15): no walked role may use them; the
    # service administrator's own walk is in tests/test_tenant_isolation.py.
    "service": set(),
}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def sample_args(world: World) -> dict[str, Any]:
    """A value for every URL argument a route may take."""
    return {
        "round_id": world.round_id,
        "response_id": world.response_ids["parks"],
        "department_id": world.department_ids["parks"],
        "user_id": world.user_ids["lead"],
        "token": world.tokens["parks"],
        "question_id": world.first_question,
        "dimension_id": world.first_dimension,
        "filename": "icon.svg",
        "answer_id": world.extra["answer_id"],
        "name": "radar",
        "fmt": "svg",
        "_anything": "no-such-address",
        "job_id": "0" * 32,
        "token_id": 999_999,
        "kind": "invitation",
    }


def url_for_rule(rule: Rule, world: World) -> str:
    values = sample_args(world)
    missing = sorted(set(rule.arguments) - set(values))
    assert not missing, (
        f"Route {rule.endpoint} ({rule.rule}) takes {missing}: add a sample value to sample_args "
        "in tests/test_routes_allowlist.py"
    )
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def is_sign_in_redirect(response: TestResponse) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 302 and location.partition("?")[0] == "/sign-in"


def describe(role: str, method: str, url: str, response: TestResponse) -> str:
    return (f"{role} {method} {url} -> {response.status_code} "
            f"{response.headers.get('Location', '')}").strip()


def check_denied(role: str, access: str, method: str, url: str, response: TestResponse) -> None:
    what = describe(role, method, url, response)
    if method in STATE_CHANGING and response.status_code == 405:
        return  # a method refused to everyone (the JSON API answers other methods with 405)
    if access == "nowhere":
        assert response.status_code == 404, what
    elif role in ("anonymous", "department_head") and access != "respondent":
        assert is_sign_in_redirect(response) or response.status_code == 401, what
    elif access in ("respondent", "owner"):
        assert response.status_code == 404, what  # "link not working", or not your job
    else:
        assert response.status_code == 403, what


#: Pages whose sample address names nothing that exists for the allowed visitor: the sample
#: respondent has no challenge to answer, so that page is "not found" (never refused).
NOTHING_AT_SAMPLE = {"survey.challenge"}


def check_allowed(role: str, endpoint: str, method: str, url: str, response: TestResponse) -> None:
    what = describe(role, method, url, response)
    assert endpoint == "main.sign_out" or not is_sign_in_redirect(response), what
    assert response.status_code not in (401, 403) and response.status_code < 500, what
    if method == "GET":
        allowed_codes = {404} if endpoint in NOTHING_AT_SAMPLE else set()
        assert response.status_code < 400 or response.status_code in allowed_codes, what


def request(client: FlaskClient, method: str, url: str) -> TestResponse:
    response = client.open(url, method=method, data={} if method in STATE_CHANGING else None)
    response.get_data()  # read it all, then close: static files are streamed from an open file
    response.close()
    return response


def test_every_route_has_a_role_decision(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undecided = sorted(endpoints - set(ACCESS))
    assert not undecided, (
        "These routes have no role decision: add each to ACCESS in tests/test_routes_allowlist.py "
        f"(public, staff, lead, admin or respondent): {', '.join(undecided)}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_route_lets_in_only_the_roles_allowed(app: Flask, world: World, client_for: ClientFor,
                                                   role: str) -> None:
    walk = [(rule, method) for rule in rules(app) if rule.endpoint in ACCESS
            for method in methods(rule)]
    # Reads first, then writes, so a write (signing out, closing the round) cannot hide a read.
    walk.sort(key=lambda item: item[1] in STATE_CHANGING)
    for rule, method in walk:
        url = url_for_rule(rule, world)
        response = request(client_for(role, link=world.respondent_link), method, url)
        if role in ALLOWED[ACCESS[rule.endpoint]]:
            check_allowed(role, rule.endpoint, method, url, response)
        else:
            check_denied(role, ACCESS[rule.endpoint], method, url, response)


def test_no_get_request_changes_data(app: Flask, world: World, client_for: ClientFor) -> None:
    before = table_snapshot(app)
    for role in ROLES:
        for rule in rules(app):
            if "GET" in methods(rule) and rule.endpoint in ACCESS:
                request(client_for(role, link=world.respondent_link), "GET", url_for_rule(rule, world))
    after = table_snapshot(app)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"GET requests changed the tables {changed}"

