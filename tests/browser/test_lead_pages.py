"""A lead's visit to the results pages in a real browser: no accessibility violations.

Screenshots of the dashboard, a department, a comparison and the action plan are saved for
the README (``make screenshots``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.services import accounts, demo, rounds

from .conftest import axe_violations, save_screenshot

PASSWORD = "correct horse battery"


@pytest.fixture
def demo_round(live_app, round_factory) -> int:
    with live_app.app_context():
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
        accounts.create_user("lead@example.org", PASSWORD, "lead")
    return round_factory.demo().round_id


def assert_accessible(page) -> None:
    """No axe-core violations; otherwise name each rule and the elements that break it."""
    problems = [
        f"{violation['id']}: {node['html'][:160]}"
        for violation in axe_violations(page) for node in violation["nodes"]
    ]
    assert problems == [], "\n".join(problems)


def sign_in(page, live_server: str) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_lead_reads_dashboard_department_comparison_and_plan(page, live_app, live_server, demo_round):
    bank = live_app.extensions["question_bank"]
    demo_extremes = "governance" in bank.dimension_ids  # the real bank; a test bank has others
    sign_in(page, live_server)
    page.goto(f"{live_server}/rounds/{demo_round}/dashboard")
    expect(page.get_by_role("heading", name="Where the organisation is not joined up")).to_be_visible()
    if demo_extremes:
        expect(page.get_by_text("Governance is inconsistent: Adult Social Care is at 1.0")).to_be_visible()
    expect(page.get_by_role("img", name="2026 baseline: organisation scores")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "dashboard")

    sorted_by = bank.dimension("governance" if demo_extremes else bank.dimension_ids[-1]).name.en
    page.get_by_role("link", name=f"{sorted_by} (sort lowest first)").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text(sorted_by)
    if demo_extremes:
        expect(page.locator(".app-heatmap tbody tr").first).to_contain_text("Adult Social Care")

    page.get_by_role("link", name="Adult Social Care").first.click()
    expect(page.get_by_role("heading", name="Adult Social Care", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Adult Social Care against the organisation")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "department")

    page.get_by_role("link", name="Compare departments").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    for name in ("Adult Social Care", "Libraries", "Highways"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("img", name="2026 baseline: departments compared")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "compare")

    page.get_by_role("link", name="Action plan").click()
    page.get_by_role("link", name="Set target levels").click()
    page.get_by_label(bank.dimensions[0].name.en).select_option("3")
    page.get_by_role("button", name="Save targets").click()
    expect(page.get_by_text("The targets are saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps for the organisation")).to_be_visible()
    if demo_extremes:
        expect(page.get_by_text("On Governance, Adult Social Care (1.0, Beginning) could learn from "
                                "Libraries")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "plan")


def test_challenge_and_print_pages_have_no_accessibility_violations(page, live_server, live_app,
                                                                  demo_round):
    with live_app.app_context():  # answers are challenged while the round is open
        rounds.set_status(demo_round, "open")
    sign_in(page, live_server)
    page.goto(f"{live_server}/rounds/{demo_round}/dashboard")
    page.get_by_role("link", name="Libraries").first.click()
    page.locator(".govuk-summary-list__actions a").first.click()
    page.get_by_role("button", name="Challenge this answer").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you challenging this answer?").fill("Which report shows this?")
    page.get_by_role("button", name="Challenge this answer").click()
    expect(page.get_by_text("Which report shows this?")).to_be_visible()

    page.goto(f"{live_server}/rounds/{demo_round}/print")
    assert_accessible(page)


def test_dashboard_fits_a_phone_screen(browser, live_server, demo_round):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, live_server)
        page.goto(f"{live_server}/rounds/{demo_round}/dashboard")
        chart = page.get_by_role("img", name="2026 baseline: organisation scores")
        assert chart.bounding_box()["width"] <= 375
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 375
        assert_accessible(page)
    finally:
        context.close()
