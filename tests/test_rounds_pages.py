"""A lead's round pages: create, open and close, track responses, manage invitation links."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent, Round

from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    invite,
    link_works,
    respondent_client,
)

LINK = re.compile(r"http://joined-up\.test/r/[A-Za-z0-9_-]{43}")


def text_of(response) -> str:
    return response.get_data(as_text=True)


def the_round(app, round_id: int) -> Round:
    with app.app_context():
        return db.session.get(Round, round_id)


def events(app, event: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)))


def test_round_pages_are_for_leads_only(app, client_for, survey_round):
    anonymous = app.test_client().get(f"/rounds/{survey_round}")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    trainer = client_for("trainer")
    assert trainer.get(f"/rounds/{survey_round}").status_code == 403
    assert trainer.get("/rounds/new").status_code == 403
    assert trainer.post(f"/rounds/{survey_round}/invitations", data={"department": "X"}).status_code == 403
    overview = client_for("lead").get(f"/rounds/{survey_round}")
    assert overview.status_code == 200
    assert f'href="/rounds/{survey_round}/dashboard"' in text_of(overview)


def test_home_page_links_each_round_and_offers_to_create_one(app, client_for, round_factory):
    round_id = round_factory.survey("2027 baseline").id
    home = text_of(client_for("lead").get("/"))
    assert f'href="/rounds/{round_id}"' in home and "2027 baseline" in home
    assert 'href="/rounds/new"' in home and "Create a round" in home


def test_creating_a_round_keeps_its_questionnaire_settings(app, client_for):
    lead = client_for("lead")
    created = lead.post("/rounds/new", data={
        "name": "2027 baseline", "contact": "Sam Jones, 01234 567890", "show_department_radar": "y"})
    assert created.status_code == 302
    round_id = int(created.headers["Location"].rsplit("/", 1)[1])
    made = the_round(app, round_id)
    assert (made.name, made.status, made.ask_evidence, made.show_department_radar, made.contact) == (
        "2027 baseline", "draft", False, True, "Sam Jones, 01234 567890")
    assert made.bank_id == bank_of(app).id
    assert [e.round_id for e in events(app, "round_created")] == [round_id]
    overview = text_of(lead.get(created.headers["Location"]))
    assert "Round created" in overview and "Sam Jones, 01234 567890" in overview


def test_create_round_form_starts_with_both_options_on_and_keeps_input_on_error(app, client_for):
    lead = client_for("lead")
    form = text_of(lead.get("/rounds/new"))
    assert form.count("checked") == 2 and "required" not in form and "novalidate" in form
    refused = lead.post("/rounds/new", data={"name": "  ", "contact": "Typed contact"})
    assert "Enter a name for the round" in text_of(refused) and "Typed contact" in text_of(refused)
    with app.app_context():
        assert db.session.scalars(select(Round)).all() == []


def test_a_round_is_opened_closed_and_reopened_from_its_page(app, client_for, round_factory):
    round_id = round_factory.survey(status="draft").id
    lead = client_for("lead")
    assert "Open the round" in text_of(lead.get(f"/rounds/{round_id}"))
    for status, button in (("open", "Close the round"), ("closed", "Reopen the round"), ("open", None)):
        changed = lead.post(f"/rounds/{round_id}/status", data={"status": status})
        assert changed.status_code == 302
        assert the_round(app, round_id).status == status
        if button:
            assert button in text_of(lead.get(f"/rounds/{round_id}"))
    # A move the page did not offer changes nothing.
    lead.post(f"/rounds/{round_id}/status", data={"status": "draft"})
    assert the_round(app, round_id).status == "open"
    assert [e.details["status"] for e in events(app, "round_changed")] == ["open", "closed", "open"]


def test_new_links_are_shown_once_and_never_again(app, client_for, survey_round):
    lead = client_for("lead")
    made = lead.post(f"/rounds/{survey_round}/invitations", data={
        "department": "Housing", "directorate": "Place", "respondents": "Ann Example\r\nBob Example\r\n",
        "delivery": "screen"})
    page = text_of(made)
    links = LINK.findall(page)
    assert made.status_code == 200 and len(links) == 2
    assert made.headers["Cache-Control"] == "no-store"
    assert "shown only once" in page and "Copy link" in page
    overview = text_of(lead.get(f"/rounds/{survey_round}"))
    assert not LINK.search(overview)
    assert "keeps only a fingerprint" in overview
    assert "Ann Example" in overview and "Bob Example" in overview
    assert link_works(app, links[0])


def test_links_can_be_downloaded_as_a_csv_safe_for_spreadsheets(app, client_for, survey_round):
    made = client_for("lead").post(f"/rounds/{survey_round}/invitations", data={
        "department": "=cmd|' /C calc'!A0", "respondents": "@Ann\n+Bob", "delivery": "csv"})
    assert made.mimetype == "text/csv"
    assert "attachment" in made.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(made.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["department", "directorate", "respondent", "link"]
    assert [row[2] for row in rows[1:]] == ["'@Ann", "'+Bob"]
    assert all(row[0] == "'=cmd|' /C calc'!A0" and LINK.fullmatch(row[3]) for row in rows[1:])


def test_the_invitation_form_keeps_what_was_typed_when_something_is_missing(app, client_for, survey_round):
    refused = client_for("lead").post(f"/rounds/{survey_round}/invitations", data={
        "department": "", "respondents": "Ann Example", "delivery": "screen"})
    page = text_of(refused)
    assert "Enter the name of the department" in page and "Ann Example" in page
    assert 'href="#department"' in page


def test_the_tracker_counts_each_department_and_lists_who_to_chase(app, client_for, survey_round):
    bank = bank_of(app)
    invite(app, survey_round, "Housing", "Not Started Nia")
    partway = respondent_client(app, invite(app, survey_round, "Housing", "Partway Pat"))
    answer(partway, bank.questions[0].id, revision="0")
    done = respondent_client(app, invite(app, survey_round, "Housing", "Done Dee"))
    answer_everything(done, bank)
    complete_every_section(done, bank)
    done.post("/respond/submit")
    invite(app, survey_round, "Highways", "Hugh")

    page = text_of(client_for("lead").get(f"/rounds/{survey_round}"))
    housing = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">Housing</th>(.*?)</tr>", page, re.S)
    assert re.findall(r">(\d+)</td>", housing.group(1)) == ["3", "1", "1", "1"]
    assert "1 of 4 respondents have submitted" in page
    chase = page[page.index("Who to chase"):page.index("Invitation links")]
    assert "Not Started Nia" in chase and "Partway Pat" in chase and "Hugh" in chase
    assert "Done Dee" not in chase
    assert f"1 of {len(bank.questions)} questions answered" in chase


def test_a_link_is_revoked_or_replaced_from_the_round_page(app, client_for, survey_round):
    old = invite(app, survey_round)
    lead = client_for("lead")
    page = text_of(lead.get(f"/rounds/{survey_round}"))
    response_id = re.search(r"/invitations/(\d+)/revoke", page).group(1)

    revoked = lead.post(f"/rounds/{survey_round}/invitations/{response_id}/revoke")
    assert revoked.status_code == 302
    assert not link_works(app, old)
    assert "Revoked" in text_of(lead.get(f"/rounds/{survey_round}"))

    replaced = lead.post(f"/rounds/{survey_round}/invitations/{response_id}/replace")
    [new] = LINK.findall(text_of(replaced))
    assert link_works(app, new)
    assert lead.post(f"/rounds/{survey_round}/invitations/999/replace").status_code == 404


def test_links_for_everyone_without_one_come_as_a_csv(app, client_for, survey_round):
    lead = client_for("lead")
    nothing = lead.post(f"/rounds/{survey_round}/invitations/missing.csv")
    assert nothing.status_code == 302
    with app.app_context():
        from assessment.queries import rounds as round_queries
        from assessment.queries.responses import create_response

        with db.transaction() as session:
            department = round_queries.get_or_create_department(session, 1, "Libraries")
            create_response(session, survey_round, department.id, "Imported Ida")
    page = text_of(lead.get(f"/rounds/{survey_round}"))
    assert "Create links for every respondent without one, and download them as CSV" in page
    made = lead.post(f"/rounds/{survey_round}/invitations/missing.csv")
    rows = list(csv.reader(io.StringIO(made.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[2] for row in rows[1:]] == ["Imported Ida"]


def test_a_closed_round_offers_no_new_links(app, client_for, round_factory):
    round_id = round_factory.survey(status="closed").id
    lead = client_for("lead")
    page = text_of(lead.get(f"/rounds/{round_id}"))
    assert "Reopen the round to invite anyone" in page and "Add respondents" not in page
    refused = lead.post(f"/rounds/{round_id}/invitations",
                        data={"department": "Housing", "delivery": "screen"})
    assert "The round is closed" in text_of(refused)


def test_a_round_name_and_contact_are_stored_without_control_characters(app, round_factory):
    round_id = round_factory.survey("Spring\x00 2027\x1b", contact="Sam\tJones\x07, 01234").id
    stored = the_round(app, round_id)
    assert (stored.name, stored.contact) == ("Spring 2027", "Sam Jones, 01234")
