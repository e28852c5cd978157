"""Several app hosts behind a reverse proxy, with no sticky sessions.

Two gunicorn instances (the project's ``gunicorn.conf.py``) on different ports
share one PostgreSQL database and one Redis (job queue, rate-limit counts,
stored results); one job consumer runs beside them; a reverse proxy alternates
between them: HAProxy where it is installed (``.ci/run`` installs it; under
``CI=true`` it must be there), else a small round-robin proxy in a thread.
Every journey goes through the proxy, and each host's access log proves that
both hosts served part of it, so whatever one request leaves behind (a
session, a staged upload, a job's file, a rate-limit count, a cached result)
must be found by the other host.

One world and one set of servers serve the whole module (about 20 s).
"""

from __future__ import annotations

import csv
import io
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
import redis
from openpyxl import load_workbook

from assessment import create_app
from assessment.core.bank import QuestionBank
from assessment.extensions import db
from assessment.services import accounts, importer

from .support.apps import app_settings
from .support.ci import in_ci, skip_or_fail_in_ci
from .support.databases import empty_postgres
from .support.hosts import Browser, Host, Hosts, RoundRobinProxy, haproxy_path, hidden_fields
from .support.people import ORGANISATION, PASSWORD
from .support.rounds import RoundFactory

#: A Redis database of this module's own, flushed when the module ends.
REDIS_URL = "redis://127.0.0.1:6379/11"
LEAD = "lead@example.org"
TRAINER = "trainer@example.org"  # the rate-limit test's target: the lead is never slowed
JOB_SECONDS = 60
# One world for the module: under ``make test`` (pytest -n 2 --dist loadgroup) its tests
# all run in one worker, so one set of servers serves them.
pytestmark = pytest.mark.xdist_group("multi_host")


@dataclass(frozen=True)
class World:
    """The running servers and what the tests need to know about the data."""

    base: str
    hosts: list[Host]
    servers: Hosts
    bank: QuestionBank
    survey_round: int
    import_round: int
    link: str


def reachable_redis() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail_in_ci(f"Redis not reachable at {REDIS_URL}: {error}")
    return client


def shared_settings(database_url: str) -> dict[str, object]:
    """What every host and the consumer read (``JOINED_UP_SETTINGS``): the same everything."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "the-same-secret-key-on-every-host-0123456789",
        "REDIS_URL": REDIS_URL,
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_NAME": f"joined-up-multi-host-{uuid.uuid4().hex[:8]}",
        "RATELIMIT_KEY_PREFIX": f"joined-up-multi-host-{uuid.uuid4().hex[:8]}",
        "PROXY_FIX_X_FOR": 1,
        # Every workbook is written by the consumer, however small the round.
        "BACKGROUND_EXPORT_MIN_ANSWERS": 1,
    }


def build_data(database_url: str) -> tuple[QuestionBank, int, int, str]:
    """A lead, an open round with two departments' answers and one invitation, an empty round."""
    app = create_app(app_settings(database_url))
    try:
        made = RoundFactory(app)("Regional round", departments={"Parks": "2", "Housing": ["3", "4"]},
                                 invited=["Libraries"])
        empty = RoundFactory(app)("Import round")
        with app.app_context():
            accounts.ensure_organisation(ORGANISATION)
            accounts.create_user(LEAD, PASSWORD, "lead")
            accounts.create_user(TRAINER, PASSWORD, "trainer")
        return app.extensions["question_bank"], made.id, empty.id, made.links["Libraries"]
    finally:
        with app.app_context():
            db.dispose()


@pytest.fixture(scope="module")
def world(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    store = reachable_redis()
    store.flushdb()
    folder = tmp_path_factory.mktemp("hosts")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JOINED_UP_INSTANCE_PATH", str(folder / "test-instance"))
        empty_postgres(postgres_url)
        bank, survey_round, import_round, link = build_data(postgres_url)
    settings = folder / "settings.py"
    settings.write_text("".join(f"{k} = {v!r}\n" for k, v in shared_settings(postgres_url).items()))
    servers = Hosts(folder, settings)
    try:
        hosts = [servers.start_host("one"), servers.start_host("two")]
        servers.start_consumer()
        haproxy = haproxy_path()
        if haproxy is None and in_ci():
            skip_or_fail_in_ci("HAProxy is not installed (apt-get install haproxy)")
        port = servers.start_haproxy(haproxy) if haproxy else servers.start_thread_proxy()
        for host in hosts:
            servers.wait_until_up(host.port)
        servers.wait_until_up(port)
        yield World(f"http://127.0.0.1:{port}", hosts, servers, bank, survey_round,
                    import_round, link)
    finally:
        servers.stop()
        store.flushdb()
        store.close()
        empty_postgres(postgres_url)


@contextmanager
def on_both_hosts(world: World) -> Iterator[None]:
    """Asserts that both hosts served requests of the block."""
    before = [host.requests_seen() for host in world.hosts]
    yield
    after = [host.requests_seen() for host in world.hosts]
    assert all(a > b for a, b in zip(after, before, strict=True)), (before, after, world.servers.logs())


def signed_in_lead(world: World) -> Browser:
    lead = Browser(world.base)
    signed_in = lead.submit("/sign-in", email=LEAD, password=PASSWORD)
    assert signed_in.headers["Location"] == "/"
    return lead


def departments_scored(browser: Browser, round_id: int) -> list[int]:
    """The results API's count, asked twice (so of each host in turn)."""
    return [browser.get(f"/api/v1/rounds/{round_id}/results").json()["organisation"]
            ["departments_scored"] for _ in range(2)]


def test_a_respondent_answers_and_submits_through_both_hosts(world: World) -> None:
    lead = signed_in_lead(world)
    assert departments_scored(lead, world.survey_round) == [2, 2]  # both hosts have results cached
    respondent = Browser(world.base)
    with on_both_hosts(world):
        assert respondent.get(world.link, expect=302).headers["Location"] == "/respond/"
        assert "Libraries" in respondent.get("/respond/").text
        for question in world.bank.questions:
            respondent.submit(f"/respond/questions/{question.id}", answer="4", action="continue")
        for dimension in world.bank.dimensions:
            respondent.submit(f"/respond/sections/{dimension.id}", completed="yes")
        respondent.get("/respond/tasks")
        submitted = respondent.submit("/respond/check", to="/respond/submit")
        assert submitted.headers["Location"] == "/respond/confirmation"
        confirmation = respondent.get("/respond/confirmation").text
    assert "submitted" in confirmation.lower()
    # A cached result on either host never hides the new submission.
    assert departments_scored(lead, world.survey_round) == [3, 3]


def test_a_lead_signs_in_and_sees_the_dashboard_through_both_hosts(world: World) -> None:
    with on_both_hosts(world):
        lead = signed_in_lead(world)
        pages = [lead.get(f"/rounds/{world.survey_round}/dashboard").text for _ in range(2)]
    for page in pages:
        assert "Parks" in page and "Housing" in page
    signed_out = lead.submit("/", to="/sign-out")
    assert signed_out.status_code == 302
    for _ in range(2):  # signed out on both hosts
        assert lead.get(f"/rounds/{world.survey_round}/dashboard", expect=302)


def import_file(bank: QuestionBank) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(importer.REQUIRED_COLUMNS)
    for question in bank.questions:
        writer.writerow(["Transport", "Kim Example", question.id, "3", ""])
    return out.getvalue().encode()


def test_an_import_is_checked_on_one_host_and_confirmed_on_the_other(world: World) -> None:
    lead = signed_in_lead(world)
    page = f"/rounds/{world.import_round}/import"
    with on_both_hosts(world):
        checked = lead.submit(page, files={"file": ("answers.csv", import_file(world.bank), "text/csv")})
        assert checked.headers["Location"] == f"{page}/check"
        check_pages = [lead.get(f"{page}/check").text for _ in range(2)]
        confirmed = lead.submit(f"{page}/check")
    assert all("Transport" in text for text in check_pages)
    assert confirmed.headers["Location"] == f"/rounds/{world.import_round}"
    assert departments_scored(lead, world.import_round) == [1, 1]
    lead.get(f"{page}/check", expect=302)  # the staged file is gone, from both hosts


def wait_for_download(lead: Browser, job_page: str) -> str:
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        page = lead.get(job_page + "?updates=off").text
        found = re.search(r'href="(/jobs/[0-9a-f]+/download)"', page)
        if found:
            return found.group(1)
        time.sleep(0.3)
    raise AssertionError("The workbook was not written in time:\n" + page)


def test_a_workbook_is_written_in_the_background_and_downloaded_from_either_host(world: World) -> None:
    lead = signed_in_lead(world)
    export = f"/rounds/{world.survey_round}/export"
    with on_both_hosts(world):
        asked = lead.submit(export, to=f"{export}.xlsx")
        job_page = asked.headers["Location"]
        assert re.fullmatch(r"/jobs/[0-9a-f]{32}", job_page), job_page
        download = wait_for_download(lead, job_page)
        files = [lead.get(download).content for _ in range(2)]
    assert files[0] == files[1]
    workbook = load_workbook(io.BytesIO(files[0]), read_only=True)
    assert workbook.sheetnames[:2] == ["Summary", "Heatmap"]
    workbook.close()


def test_failed_sign_ins_are_counted_once_whichever_host_they_reach(world: World) -> None:
    attacker = Browser(world.base)
    form = hidden_fields(attacker.get("/sign-in").text)
    with on_both_hosts(world):
        # Posted one after another, so the proxy sends them to each host in turn.
        statuses = [attacker.session.post(f"{world.base}/sign-in", allow_redirects=False, timeout=60,
                                          data={**form, "email": TRAINER, "password": f"guess {n}"})
                    .status_code for n in range(11)]
    # 10 failures per account and address in 15 minutes, however they were spread.
    assert statuses == [200] * 10 + [429]


def test_the_round_robin_proxy_used_without_haproxy_alternates_too(world: World) -> None:
    proxy = RoundRobinProxy([host.port for host in world.hosts])
    try:
        with on_both_hosts(world):
            lead = signed_in_lead(replace(world, base=f"http://127.0.0.1:{proxy.port}"))
            pages = [lead.get(f"/rounds/{world.survey_round}/dashboard").text for _ in range(2)]
    finally:
        proxy.stop()
    assert all("Parks" in page for page in pages)
