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

from .support.survey import answer, bank_of, invite, link_works, respondent_client, the_response


def token_of(path: str) -> str:
    return path.removeprefix("/r/")


def audit_events(app, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)))


def test_tokens_have_at_least_128_bits_and_only_their_hash_is_stored(app, survey_round):
    tokens = {token_of(invite(app, survey_round, respondent=f"Person {n}")) for n in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    with app.app_context():
        stored = {r.token_hash for r in db.session.scalars(select(Response))}
        details = [str(e.details) for e in db.session.scalars(select(AuditEvent))]
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert not any(token in detail for token in tokens for detail in details)


def test_the_invite_command_prints_one_new_link(app, runner, survey_round):
    result = runner.invoke(args=["invite", str(survey_round), "Housing", "--respondent", "Ann Example"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert result.stdout.count("\n") == 1
    assert link.startswith("http://joined-up.test/r/")
    assert link_works(app, link)
    assert len(audit_events(app, "invitation_created")) == 1


def test_the_invite_command_refuses_a_closed_round_in_one_sentence(app, runner, round_factory):
    round_id = round_factory.survey(status="closed").id
    result = runner.invoke(args=["invite", str(round_id), "Housing"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: The round is closed: reopen it before inviting anyone."


def test_unknown_revoked_and_expired_links_all_get_the_same_page(app, survey_round):
    revoked = invite(app, survey_round, respondent="Ann")
    closed_later = invite(app, survey_round, respondent="Bob")
    with app.app_context():
        invitations.revoke_link(survey_round, the_response(app, "Ann").id)
    client = app.test_client()
    followed = [client.get(path) for path in (revoked, "/r/not-a-real-token", "/r/" + "x" * 500)]
    with app.app_context():
        rounds.set_status(survey_round, "closed")
    followed.append(client.get(closed_later))
    assert {page.headers["Location"] for page in followed} == {"/respond/link-not-working"}
    shown = client.get("/respond/link-not-working")
    assert shown.status_code == 404
    assert "This link does not work" in shown.get_data(as_text=True)
    # A visitor with no session of the round is not shown its contact (issue 12, "Also").
    assert "Sam Jones" not in shown.get_data(as_text=True)
    assert "contact the person who sent you the link" in shown.get_data(as_text=True)
    assert len(audit_events(app, "invalid_token")) == len(followed)


def test_inviting_a_respondent_again_replaces_their_link_and_keeps_answers(app, survey_round):
    old = invite(app, survey_round)
    question = bank_of(app).questions[0]
    answer(respondent_client(app, old), question.id, "3", revision="0")
    new = invite(app, survey_round)
    assert not link_works(app, old)
    client = respondent_client(app, new)
    assert 'value="3" checked' in client.get(f"/respond/questions/{question.id}").get_data(as_text=True)


def test_several_respondents_are_invited_at_once_and_unnamed_ones_are_numbered(app, survey_round):
    with app.app_context():
        named = invitations.invite_many(survey_round, "  Adult   Social Care ", ["Ann", "Bob", "Ann"],
                                        "People")
        first = invitations.invite(survey_round, "Adult Social Care")
        second = invitations.invite(survey_round, "Adult Social Care")
    assert [i.respondent for i in named] == ["Ann", "Bob"]
    assert {i.department for i in named} == {"Adult Social Care"}
    assert named[0].directorate == "People"
    assert (first.respondent, second.respondent) == ("Respondent 1", "Respondent 2")


def test_revoking_a_link_stops_it_and_is_audited(app, survey_round):
    link = invite(app, survey_round)
    with app.app_context():
        invitations.revoke_link(survey_round, the_response(app).id)
    assert not link_works(app, link)
    [event] = audit_events(app, "invitation_revoked")
    assert event.round_id == survey_round and event.details["respondent"] == "Ann Example"


def test_links_are_made_only_for_unsubmitted_respondents_without_one(app, survey_round):
    with app.app_context():
        assessment_round = rounds.require_round(survey_round)
        bank = round_bank(assessment_round)
        rows = [["department", "respondent", "question_id", "answer", "comment"]]
        rows += [["Housing", "Done Dana", q.id, "3", ""] for q in bank.questions]
        rows += [["Housing", "Half Hal", bank.questions[0].id, "2", ""]]
        rows += [["Libraries", "Lee", bank.questions[0].id, "", ""]]
        content = "\n".join(",".join(row) for row in rows).encode()
        importer.import_file(assessment_round, bank, "answers.csv", content)
    invite(app, survey_round, "Libraries", "Already Linked")
    with app.app_context():
        created = invitations.links_for_respondents_without_one(survey_round)
        again = invitations.links_for_respondents_without_one(survey_round)
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


def test_names_are_stored_without_control_characters(app, survey_round):
    # One text rule (core.text.clean_line): NUL would be a 500 on PostgreSQL.
    with app.app_context():
        made = invitations.invite(survey_round, "Adult\x00 Social\tCare\x1b", "Ann\x07  Example",
                                  directorate="People\r\nServices")
    assert (made.department, made.respondent, made.directorate) == (
        "Adult Social Care", "Ann Example", "People Services")
