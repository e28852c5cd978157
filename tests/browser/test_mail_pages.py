"""A lead emails invitations in a real browser (issue 16): CSV, preview, send, states; axe clean.

The send job runs in the request (huey's immediate mode) against an aiosmtpd
server started by the test, so the overview shows the states at once.
"""

from __future__ import annotations

from playwright.sync_api import expect

from assessment import jobs
from assessment.services import accounts

from ..support.mail import smtp_server, smtp_settings
from .conftest import save_screenshot
from .test_lead_pages import PASSWORD, assert_accessible, sign_in

PEOPLE = ("department,name,email,language\n"
          "Parks,Ann Jones,ann@example.org,en\n"
          "Roads,Bethan Rhys,bethan@example.org,both\n"
          "Roads,Carys Ifans,carys@example.org,cy\n")


def test_lead_adds_respondents_by_csv_previews_sends_and_sees_states(page, live_app, live_server,
                                                                      round_factory):
    with live_app.app_context():
        accounts.ensure_organisation("Test Council")
        accounts.create_user("lead@example.org", PASSWORD, "lead")
    round_id = round_factory.survey("Digital skills 2026", contact="Jo Bloggs, jo@council.example").id
    with smtp_server() as (server, port):
        live_app.config.update(smtp_settings(port), JOBS_IMMEDIATE=True)
        jobs.init_app(live_app)
        sign_in(page, live_server)
        page.goto(f"{live_server}/rounds/{round_id}")
        page.locator("input[type=file][name=file]").set_input_files(
            files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": PEOPLE.encode()}])
        page.get_by_role("button", name="Add respondents").click()
        expect(page.get_by_role("heading", name="Preview the invitation")).to_be_visible()
        expect(page.get_by_text("Digital skills 2026").first).to_be_visible()
        assert_accessible(page)
        page.goto(f"{live_server}/rounds/{round_id}/email/invitation?lang=cy")
        assert_accessible(page)
        page.goto(f"{live_server}/rounds/{round_id}/email/invitation?lang=en")
        page.get_by_role("button", name="Send the invitations").click()
        page.goto(f"{live_server}/rounds/{round_id}")
        expect(page.locator(".govuk-tag", has_text="Emailed")).to_have_count(3)
        assert_accessible(page)
        save_screenshot(page, "round-email-states")
        page.goto(f"{live_server}/rounds/{round_id}?lang=cy")
        assert_accessible(page)
    assert sorted(server.recipients) == ["ann@example.org", "bethan@example.org",
                                         "carys@example.org"]
