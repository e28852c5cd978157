"""Peer benchmarks (issue 15 item 3): contributing a round, the figures every output shows,
and that no other organisation's name, department or comment ever reaches a member.

The member is "Test Council" (the fixtures' organisation): its round has Parks answering 3
and Roads 4 to every question, so every dimension and question scores 3.5.  Each other
organisation has one closed round whose departments answer one level to every question:

    organisation        departments (level)           score
    Aberdyfi Borough    Harbourmaster (2)             2.0
    Brynmawr County     Lighthouse (1), Ferries (2)   1.5
    Cwmtawe Council     Quarry (3), Slate (2)         2.5
    Dinas Unitary       Observatory (3)               3.0
    Eglwys City         Aqueduct (4), Viaduct (5)     4.5

Six organisations, sorted 1.5 2.0 2.5 3.0 3.5 4.5 (tests/core/test_benchmark.py works
the same numbers): lower quartile 2.0 + 0.25 x 0.5 = 2.125, shown cut to "2.1"; median
(2.5 + 3.0) / 2 = 2.75, shown "2.7"; upper quartile 3.0 + 0.75 x 0.5 = 3.375, shown "3.3".
The member's 3.5 is above 3.375: in the highest quarter, with 4 of 6 organisations below.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from assessment.core.bank import bank_to_dict
from assessment.extensions import db
from assessment.models import AuditEvent, BenchmarkContribution
from assessment.queries import accounts as account_queries
from assessment.queries import responses as response_queries
from assessment.queries import rounds as round_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import benchmarks, rounds

PEERS = {
    "Aberdyfi Borough": {"Harbourmaster": "2"},
    "Brynmawr County": {"Lighthouse": "1", "Ferries": "2"},
    "Cwmtawe Council": {"Quarry": "3", "Slate": "2"},
    "Dinas Unitary": {"Observatory": "3"},
    "Eglwys City": {"Aqueduct": "4", "Viaduct": "5"},
}


def comment_of(department: str) -> str:
    return f"Confidential remark from {department}"


def peer_round(organisation: str, departments: dict[str, str], bank_version: str | None = None,
               name: str = "Peer round 2026") -> tuple[int, int]:
    """A new organisation with a closed round answered as given; (organisation id, round id)."""
    snapshot = bank_to_dict(rounds.current_bank())
    if bank_version:
        snapshot = {**snapshot, "version": bank_version}
    questions = [q["id"] for d in snapshot["dimensions"] for q in d["questions"]]
    with db.transaction() as session:
        organisation = account_queries.find_or_create_organisation(session, organisation)
        made = round_queries.create_round(session, organisation.id, name, "closed", snapshot)
        for department, level in departments.items():
            found = round_queries.get_or_create_department(session, organisation.id, department)
            response = response_queries.create_response(session, made.id, found.id,
                                                        f"{department} head", status="submitted")
            response_queries.upsert_answers(session, response.id, [
                AnswerWrite(question, level, comment_of(department)) for question in questions])
        return organisation.id, made.id


@pytest.fixture
def member(app, admin_client, round_factory):
    """The member's closed round (3.5 everywhere) in a new group; (round id, group id)."""
    made = round_factory("Member round", status="closed", departments={"Parks": "3", "Roads": "4"})
    with app.app_context():
        group = benchmarks.create_group("Welsh councils", "Cynghorau Cymru")
    response = admin_client.post(f"/rounds/{made.id}/benchmarks",
                                 data={"group": group.id, "action": "contribute"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return made.id, group.id


def contribute_peers(app, group_id: int, peers: dict[str, dict[str, str]]) -> None:
    with app.app_context():
        for organisation, departments in peers.items():
            organisation_id, round_id = peer_round(organisation, departments)
            benchmarks.contribute(organisation_id, round_id, group_id)


def page_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


SIX_ROW = "3.5 In the highest quarter 4 of 6 1.5 2.1 2.7 3.3 4.5"


def test_six_organisations_every_figure_on_the_dashboard_and_print_view(app, admin_client, member):
    round_id, group_id = member
    contribute_peers(app, group_id, PEERS)
    for path in (f"/rounds/{round_id}/dashboard", f"/rounds/{round_id}/print"):
        text = page_text(admin_client.get(path).get_data(as_text=True))
        assert "Compared with peers" in text and "Welsh councils" in text
        assert "6 organisations, yours included, have contributed a round" in text
        assert f"Objectives {SIX_ROW}" in text, path  # a dimension
        # Every question scores as its dimension: 6 dimensions and every question show the row.
        with app.app_context():
            bank = rounds.current_bank()
        assert text.count(SIX_ROW) == len(bank.dimensions) + len(bank.questions)


def test_the_round_in_welsh_shows_the_group_in_welsh(app, admin_client, member):
    round_id, group_id = member
    contribute_peers(app, group_id, PEERS)
    text = page_text(admin_client.get(f"/rounds/{round_id}/dashboard?lang=cy").get_data(as_text=True))
    assert "Cynghorau Cymru" in text and "Welsh councils" not in text


def test_four_organisations_show_nothing_but_how_many_have_contributed(app, admin_client, member):
    round_id, group_id = member
    contribute_peers(app, group_id, dict(list(PEERS.items())[:3]))
    for path in (f"/rounds/{round_id}/dashboard", f"/rounds/{round_id}/print"):
        text = page_text(admin_client.get(path).get_data(as_text=True))
        assert "Not enough organisations yet: 4 of 5 have contributed." in text
        assert "In the highest quarter" not in text and "Lower quartile" not in text
    document = Document(io.BytesIO(admin_client.get(f"/rounds/{round_id}/report.docx").data))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Not enough organisations yet: 4 of 5 have contributed." in paragraphs
    workbook = load_workbook(io.BytesIO(admin_client.get(f"/rounds/{round_id}/export.xlsx").data))
    values = [v for row in workbook["Peers"].iter_rows(values_only=True) for v in row if v]
    assert "Not enough organisations yet: 4 of 5 have contributed." in values
    assert "Lower quartile" not in values


def test_the_minimum_is_a_setting(make_app, round_factory, app, admin_client, member):
    round_id, group_id = member
    contribute_peers(app, group_id, dict(list(PEERS.items())[:3]))
    other = make_app(BENCHMARK_MINIMUM_ORGANISATIONS=4).test_client()
    other.post("/sign-in", data={"email": "admin@example.org", "password": "a long enough password"})
    text = page_text(other.get(f"/rounds/{round_id}/dashboard").get_data(as_text=True))
    assert "4 organisations, yours included" in text and "Not enough" not in text


def test_a_round_in_no_group_shows_nothing_of_peers(app, admin_client, round_factory):
    made = round_factory("Alone", status="closed", departments={"Parks": "3"})
    for path in (f"/rounds/{made.id}/dashboard", f"/rounds/{made.id}/print"):
        assert "peers" not in admin_client.get(path).get_data(as_text=True).lower()
    workbook = load_workbook(io.BytesIO(admin_client.get(f"/rounds/{made.id}/export.xlsx").data))
    assert "Peers" not in workbook.sheetnames
    document = Document(io.BytesIO(admin_client.get(f"/rounds/{made.id}/report.docx").data))
    assert not any("peers" in p.text.lower() for p in document.paragraphs)


def test_board_report_and_workbook_show_every_figure(app, admin_client, member):
    round_id, group_id = member
    contribute_peers(app, group_id, PEERS)
    document = Document(io.BytesIO(admin_client.get(f"/rounds/{round_id}/report.docx").data))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Objectives", "3.5", "In the highest quarter", "4 of 6", "1.5", "2.1", "2.7", "3.3",
            "4.5"] in rows
    workbook = load_workbook(io.BytesIO(admin_client.get(f"/rounds/{round_id}/export.xlsx").data))
    sheet = workbook["Peers"]
    found = [row for row in sheet.iter_rows(values_only=True) if row[0] == "Objectives"]
    assert found == [("Objectives", 3.5, "In the highest quarter", "4 of 6", 1.5, 2.1, 2.7, 3.3,
                      4.5)]
    # As every sheet: landscape A4, fitted to the width, its title repeated on each page.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1" and sheet["A1"].value == "Compared with peers"


def zip_text(data: bytes) -> bytes:
    """Every part of a .docx or .xlsx file, unpacked: their text is compressed in the file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_no_other_organisation_name_department_or_comment_reaches_a_member(app, admin_client,
                                                                            member):
    round_id, group_id = member
    contribute_peers(app, group_id, PEERS)
    outputs = {
        "dashboard": admin_client.get(f"/rounds/{round_id}/dashboard").data,
        "print view": admin_client.get(f"/rounds/{round_id}/print").data,
        "Word report": zip_text(admin_client.get(f"/rounds/{round_id}/report.docx").data),
        "workbook": zip_text(admin_client.get(f"/rounds/{round_id}/export.xlsx").data),
        "JSON API": admin_client.get(f"/api/v1/rounds/{round_id}/results").data,
        "benchmark page": admin_client.get(f"/rounds/{round_id}/benchmarks").data,
    }
    assert b"In the highest quarter" in outputs["workbook"]  # the peers are there ...
    secrets = [*PEERS, *(d for departments in PEERS.values() for d in departments),
               *(comment_of(d) for departments in PEERS.values() for d in departments)]
    for name, data in outputs.items():
        assert data, name
        for secret in secrets:  # ... and none of them by name
            assert secret.encode() not in data, f"{secret!r} in the {name}"


def test_each_organisation_counts_once_and_other_bank_versions_are_left_out(app, admin_client,
                                                                            member):
    round_id, group_id = member
    contribute_peers(app, group_id, PEERS)
    with app.app_context():
        # Dinas contributes a later round scoring 5: it replaces its 3.0, still 6 organisations.
        dinas = account_queries.find_or_create_organisation(db.session, "Dinas Unitary").id
        _same, later = peer_round("Dinas Unitary", {"Planetarium": "5"}, name="Dinas 2027")
        benchmarks.contribute(dinas, later, group_id)
        # Another bank version is never compared.
        other, other_round = peer_round("Ffestiniog Town", {"Tramway": "1"}, bank_version="other")
        benchmarks.contribute(other, other_round, group_id)
    text = page_text(admin_client.get(f"/rounds/{round_id}/dashboard").get_data(as_text=True))
    # Sorted 1.5 2.0 2.5 3.5 4.5 5.0: lower quartile 2.125, median 3.0, upper 4.25.
    assert "6 organisations, yours included" in text
    assert "Objectives 3.5 Above the median 3 of 6 1.5 2.1 3.0 4.2 5.0" in text


def test_admin_contributes_and_withdraws_a_round_audited(app, admin_client, member):
    round_id, group_id = member
    page = admin_client.get(f"/rounds/{round_id}/benchmarks").get_data(as_text=True)
    assert "Welsh councils" in page and "Contributed on" in page and "Withdraw" in page
    response = admin_client.post(f"/rounds/{round_id}/benchmarks",
                                 data={"group": group_id, "action": "withdraw"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(BenchmarkContribution)).all() == []
        events = db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.event.like("benchmark_%")).order_by(AuditEvent.id)).all()
    assert events == ["benchmark_contributed", "benchmark_withdrawn"]
    assert "Compared with peers" not in admin_client.get(f"/rounds/{round_id}/dashboard").get_data(
        as_text=True)


@pytest.mark.parametrize(("data", "message"), [
    ({"group": "1", "action": "contribute"}, "This round already contributes to Welsh councils."),
    ({"group": "999", "action": "withdraw"}, "There is no benchmark group 999."),
    ({"group": "x", "action": "withdraw"}, "Select a benchmark group"),
    ({"group": "1", "action": "delete"}, "Choose to contribute or to withdraw"),
])
def test_bad_requests_get_a_clear_error(admin_client, member, data, message):
    round_id, _group = member
    response = admin_client.post(f"/rounds/{round_id}/benchmarks", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_an_open_round_cannot_be_contributed(app, admin_client, round_factory, member):
    _round_id, group_id = member
    made = round_factory("Open round", status="open", departments={"Parks": "3"})
    response = admin_client.post(f"/rounds/{made.id}/benchmarks",
                                 data={"group": group_id, "action": "contribute"})
    assert response.status_code == 400
    assert "Close the round before contributing it" in response.get_data(as_text=True)


def test_another_organisations_round_is_not_found(app, admin_client, member):
    _round_id, group_id = member
    with app.app_context():
        _organisation, other_round = peer_round("Aberdyfi Borough", {"Harbourmaster": "2"})
    assert admin_client.get(f"/rounds/{other_round}/benchmarks").status_code == 404
    response = admin_client.post(f"/rounds/{other_round}/benchmarks",
                                 data={"group": group_id, "action": "contribute"})
    assert response.status_code == 404


def test_commands_create_and_list_groups(runner):
    created = runner.invoke(args=["create-benchmark-group", "NHS trusts", "--name-cy",
                                  "Ymddiriedolaethau GIG"])
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "1"
    again = runner.invoke(args=["create-benchmark-group", "nhs TRUSTS"])
    assert again.exit_code == 1
    assert "There is already a benchmark group called nhs TRUSTS." in again.stderr
    listed = runner.invoke(args=["benchmark-groups"])
    assert listed.exit_code == 0
    assert listed.stdout == "1\t0 rounds from 0 organisations\tNHS trusts / Ymddiriedolaethau GIG\n"


def test_benchmark_groups_lists_each_groups_contributions(app, runner, member):
    round_id, group_id = member
    contribute_peers(app, group_id, {"Aberdyfi Borough": {"Harbourmaster": "2"}})
    with app.app_context():
        version = rounds.current_bank().version
        today = db.session.scalars(select(BenchmarkContribution.contributed_at)).first()
    listed = runner.invoke(args=["benchmark-groups"])
    assert listed.exit_code == 0, listed.output
    peer_round_id = round_id + 1
    assert listed.stdout.splitlines() == [
        f"{group_id}\t2 rounds from 2 organisations\tWelsh councils / Cynghorau Cymru",
        f"\tAberdyfi Borough: round {peer_round_id} (Peer round 2026), questions version "
        f"{version}, contributed {today:%Y-%m-%d}",
        f"\tTest Council: round {round_id} (Member round), questions version {version}, "
        f"contributed {today:%Y-%m-%d}",
    ]
