"""Invitation links: strong tokens stored as hashes, revoke, replace, bulk, CSV, CLI."""

from __future__ import annotations

import base64
import csv
import hashlib
import io

from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent, Response
from assessment.services import importer, invitations, rounds
from assessment.services.results import round_bank

from .survey_helpers import answer, bank_of, invite, link_works, open_round, respondent_client, the_response


def token_of(path: str) -> str:
    return path.removeprefix("/r/")


def audit_events(app, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)))


def test_tokens_have_at_least_128_bits_and_only_their_hash_is_stored(app):
    round_id = open_round(app)
    tokens = {token_of(invite(app, round_id, respondent=f"Person {n}")) for n in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    with app.app_context():
        stored = {r.token_hash for r in db.session.scalars(select(Response))}
        details = [str(e.details) for e in db.session.scalars(select(AuditEvent))]
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert not any(token in detail for token in tokens for detail in details)


def test_the_invite_command_prints_one_new_link(app, runner):
    round_id = open_round(app)
    result = runner.invoke(args=["invite", str(round_id), "Housing", "--respondent", "Ann Example"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert result.stdout.count("\n") == 1
    assert link.startswith("http://joined-up.test/r/")
    assert link_works(app, link)
    assert len(audit_events(app, "invitation_created")) == 1


def test_the_invite_command_refuses_a_closed_round_in_one_sentence(app, runner):
    round_id = open_round(app, status="closed")
    result = runner.invoke(args=["invite", str(round_id), "Housing"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: The round is closed: reopen it before inviting anyone."


def test_unknown_revoked_and_expired_links_all_get_the_same_page(app):
    round_id = open_round(app)
    revoked, closed_later = invite(app, round_id, respondent="Ann"), invite(app, round_id, respondent="Bob")
    with app.app_context():
        invitations.revoke_link(round_id, the_response(app, "Ann").id)
    client = app.test_client()
    followed = [client.get(path) for path in (revoked, "/r/not-a-real-token", "/r/" + "x" * 500)]
    with app.app_context():
        rounds.set_status(round_id, "closed")
    followed.append(client.get(closed_later))
    assert {page.headers["Location"] for page in followed} == {"/respond/link-not-working"}
    shown = client.get("/respond/link-not-working")
    assert shown.status_code == 404
    assert "This link does not work" in shown.get_data(as_text=True)
    # A visitor with no session of the round is not shown its contact (issue 12, "Also").
    assert "Sam Jones" not in shown.get_data(as_text=True)
    assert "contact the person who sent you the link" in shown.get_data(as_text=True)
    assert len(audit_events(app, "invalid_token")) == len(followed)


def test_inviting_a_respondent_again_replaces_their_link_and_keeps_answers(app):
    round_id = open_round(app)
    old = invite(app, round_id)
    question = bank_of(app).questions[0]
    answer(respondent_client(app, old), question.id, "3", revision="0")
    new = invite(app, round_id)
    assert not link_works(app, old)
    client = respondent_client(app, new)
    assert 'value="3" checked' in client.get(f"/respond/questions/{question.id}").get_data(as_text=True)


def test_several_respondents_are_invited_at_once_and_unnamed_ones_are_numbered(app):
    round_id = open_round(app)
    with app.app_context():
        named = invitations.invite_many(round_id, "  Adult   Social Care ", ["Ann", "Bob", "Ann"], "People")
        first = invitations.invite(round_id, "Adult Social Care")
        second = invitations.invite(round_id, "Adult Social Care")
    assert [i.respondent for i in named] == ["Ann", "Bob"]
    assert {i.department for i in named} == {"Adult Social Care"}
    assert named[0].directorate == "People"
    assert (first.respondent, second.respondent) == ("Respondent 1", "Respondent 2")


def test_revoking_a_link_stops_it_and_is_audited(app):
    round_id = open_round(app)
    link = invite(app, round_id)
    with app.app_context():
        invitations.revoke_link(round_id, the_response(app).id)
    assert not link_works(app, link)
    [event] = audit_events(app, "invitation_revoked")
    assert event.round_id == round_id and event.details["respondent"] == "Ann Example"


def test_links_are_made_only_for_unsubmitted_respondents_without_one(app):
    round_id = open_round(app)
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        bank = round_bank(assessment_round)
        rows = [["department", "respondent", "question_id", "answer", "comment"]]
        rows += [["Housing", "Done Dana", q.id, "3", ""] for q in bank.questions]
        rows += [["Housing", "Half Hal", bank.questions[0].id, "2", ""]]
        rows += [["Libraries", "Lee", bank.questions[0].id, "", ""]]
        content = "\n".join(",".join(row) for row in rows).encode()
        importer.import_file(assessment_round, bank, "answers.csv", content)
    invite(app, round_id, "Libraries", "Already Linked")
    with app.app_context():
        created = invitations.links_for_respondents_without_one(round_id)
        again = invitations.links_for_respondents_without_one(round_id)
    assert sorted(i.respondent for i in created) == ["Half Hal", "Lee"]
    assert again == []
    assert all(link_works(app, i.link) for i in created)


def test_the_links_csv_cannot_run_formulas_in_a_spreadsheet(app):
    risky = ["=HYPERLINK(\"http://evil\")", "+44 1234", "-2", "@SUM(A1)", "\tTabbed", "\rReturn"]
    made = [invitations.Invitation(n, name, name, f"http://joined-up.test/r/t{n}", name)
            for n, name in enumerate(risky)]
    rows = list(csv.reader(io.StringIO(invitations.invitations_csv(made))))
    assert rows[0] == ["department", "directorate", "respondent", "link"]
    for row, name in zip(rows[1:], risky, strict=True):
        assert row[0] == row[1] == row[2] == "'" + name
    safe = invitations.invitations_csv([invitations.Invitation(1, "Housing", "Ann", "http://x/r/t")])
    assert list(csv.reader(io.StringIO(safe)))[1] == ["Housing", "", "Ann", "http://x/r/t"]


def test_names_are_stored_without_control_characters(app):
    # One text rule (core.text.clean_line): NUL would be a 500 on PostgreSQL.
    round_id = open_round(app)
    with app.app_context():
        made = invitations.invite(round_id, "Adult\x00 Social\tCare\x1b", "Ann\x07  Example",
                                  directorate="People\r\nServices")
    assert (made.department, made.respondent, made.directorate) == (
        "Adult Social Care", "Ann Example", "People Services")
