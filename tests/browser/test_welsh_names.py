"""Welsh names in a real browser (issue 17, item 3): a Welsh respondent and a Welsh lead
see the Welsh department and round names where they were given, English where not."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import update

from assessment.extensions import db
from assessment.models import Department, Round
from assessment.queries.rounds import WelshNames
from assessment.services import invitations

from .test_lead_pages import demo_round, sign_in  # noqa: F401 (a fixture)

ROUND_CY = "Llinell sylfaen 2026"
CARE, CARE_CY = "Adult Social Care", "Gofal Cymdeithasol i Oedolion"


def give_welsh_names(live_app, round_id: int) -> None:
    with live_app.app_context():
        db.session.execute(update(Round).where(Round.id == round_id).values(name_cy=ROUND_CY))
        db.session.execute(update(Department).where(Department.name == CARE)
                           .values(name_cy=CARE_CY))
        db.session.commit()


def test_a_welsh_lead_sees_welsh_names_where_given(page, live_app, live_server, demo_round):  # noqa: F811
    give_welsh_names(live_app, demo_round)
    sign_in(page, live_server)
    page.goto(f"{live_server}/rounds/{demo_round}/dashboard?lang=cy")
    expect(page.locator(".govuk-caption-l").first).to_have_text(ROUND_CY)
    heatmap = page.locator(".app-heatmap")
    expect(heatmap).to_contain_text(CARE_CY)
    expect(heatmap).not_to_contain_text(CARE)
    expect(heatmap).to_contain_text("Libraries")  # no Welsh name given: English
    page.goto(f"{live_server}/rounds/{demo_round}/dashboard?lang=en")
    expect(page.locator(".app-heatmap")).to_contain_text(CARE)


def test_a_welsh_respondent_sees_welsh_names_where_given(page, live_app, live_server, round_factory):
    round_id = round_factory("2027 follow-up", name_cy="Dilyniant 2027",
                             organisation="Aberbrook County Council").id
    with live_app.app_context():
        welsh = invitations.invite(round_id, CARE, "Ann", None, WelshNames(CARE_CY)).link
        english = invitations.invite(round_id, "Libraries", "Bob").link
    page.goto(welsh)
    page.goto(f"{live_server}/respond/?lang=cy")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Dilyniant 2027: {CARE_CY}")
    page.context.clear_cookies()
    page.goto(english)
    page.goto(f"{live_server}/respond/?lang=cy")
    expect(page.locator(".govuk-caption-l")).to_have_text("Dilyniant 2027: Libraries")
