"""The honest states of an invitation link (issues 11 and 16): created, downloaded, emailed,
opened, started, submitted, recorded as they happen and shown one per respondent."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from assessment.extensions import db
from assessment.models import Response

from .support.mail import smtp_server, smtp_settings
from .support.mail import text_of as mail_text
from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    invite,
    respondent_client,
    the_response,
)

TAG = re.compile(r'<strong class="govuk-tag govuk-tag--[a-z-]+">([^<]+)</strong>')


def state_of(lead, round_id: int, respondent: str) -> str:
    """The link state the overview shows for ``respondent`` (the first tag of their row)."""
    page = lead.get(f"/rounds/{round_id}").get_data(as_text=True)
    links_table = page[page.index("Respondents and their links"):]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', links_table, re.S)
    row = next(r for r in rows if f'<td class="govuk-table__cell">{respondent}</td>' in r)
    return TAG.search(row).group(1)


def opened_at(app, respondent: str = "Ann Example"):
    return the_response(app, respondent).opened_at


def test_following_a_link_records_the_first_opening_only(app, invitation):
    assert opened_at(app) is None
    respondent_client(app, invitation)
    first = opened_at(app)
    assert first is not None
    respondent_client(app, invitation)  # a later visit, from another browser
    again = respondent_client(app, invitation)
    assert opened_at(app) == first
    assert again.get("/respond/").status_code == 200


def test_a_link_that_does_not_work_records_nothing(app, round_factory, survey_round, invitation, lead_client):
    unknown = app.test_client().get("/r/" + "x" * 43)
    assert unknown.headers["Location"].endswith("/respond/link-not-working")
    assert app.test_client().get("/r/" + "y" * 150).status_code in (302, 404)
    lead_client.post(f"/rounds/{survey_round}/invitations/{the_response(app).id}/revoke")
    revoked = app.test_client().get(invitation)
    assert revoked.headers["Location"].endswith("/respond/link-not-working")
    waiting_round = round_factory.survey("Next year", status="draft").id
    early = invite(app, waiting_round, respondent="Bob Early")
    assert app.test_client().get(early).status_code == 200  # "not open yet" page
    with app.app_context():
        assert list(db.session.scalars(select(Response.opened_at))) == [None, None]


def test_the_overview_shows_each_state_as_it_is_reached(app, survey_round, lead_client, invitation):
    assert state_of(lead_client, survey_round, "Ann Example") == "Created"
    downloaded = lead_client.post(f"/rounds/{survey_round}/invitations", data={
        "department": "Parks", "respondents": "Dan Download", "delivery": "csv"})
    assert downloaded.mimetype == "text/csv" and "Dan Download" in downloaded.get_data(as_text=True)
    assert the_response(app, "Dan Download").downloaded_at is not None
    assert state_of(lead_client, survey_round, "Dan Download") == "Downloaded"
    respondent = respondent_client(app, invitation)
    assert state_of(lead_client, survey_round, "Ann Example") == "Opened"
    bank = bank_of(app)
    assert answer(respondent, bank.questions[0].id, revision="0").status_code == 302
    assert state_of(lead_client, survey_round, "Ann Example") == "Started"
    answer_everything(respondent, bank)
    complete_every_section(respondent, bank)
    assert respondent.post("/respond/submit").status_code == 302
    assert state_of(lead_client, survey_round, "Ann Example") == "Submitted"
    assert state_of(lead_client, survey_round, "Dan Download") == "Downloaded"


def test_a_new_link_starts_again_from_created(app, survey_round, lead_client, invitation):
    respondent_client(app, invitation)
    assert state_of(lead_client, survey_round, "Ann Example") == "Opened"
    replaced = lead_client.post(f"/rounds/{survey_round}/invitations/{the_response(app).id}/replace")
    assert replaced.status_code == 200
    assert opened_at(app) is None
    assert state_of(lead_client, survey_round, "Ann Example") == "Created"


def test_an_emailed_link_shows_emailed_until_it_is_opened(app, survey_round, lead_client):
    added = lead_client.post(f"/rounds/{survey_round}/respondents", data={
        "file": (io.BytesIO(b"department,name,email\nParks,Ann Mail,ann@example.org\n"), "p.csv")},
        content_type="multipart/form-data")
    assert added.status_code == 302
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        assert lead_client.post(f"/rounds/{survey_round}/email/invitation").status_code == 302
    assert server.recipients == ["ann@example.org"]
    assert state_of(lead_client, survey_round, "Ann Mail") == "Emailed"
    link = re.search(r"http://\S+/r/[A-Za-z0-9_-]{43}", mail_text(server.messages[0])).group(0)
    respondent_client(app, link.removeprefix(app.config["BASE_URL"]))
    assert state_of(lead_client, survey_round, "Ann Mail") == "Opened"

