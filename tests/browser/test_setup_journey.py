"""First visit: the one-time set-up page, demo data, then signing in again."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import axe_violations, save_screenshot


def test_first_visit_sets_up_the_organisation_with_demo_data(page, live_server):
    page.goto(live_server + "/")
    assert page.url.endswith("/setup")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Set up Joined-Up").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Name of your organisation", exact=True).fill("Aberbrook County Council")
    page.get_by_label("Your email address").fill("admin@example.org")
    page.get_by_label("Create a password").fill("correct horse battery")
    page.get_by_label("Enter the password again").fill("correct horse battery")
    page.get_by_label("Load the demonstration council").check()
    save_screenshot(page, "setup")
    page.get_by_role("button", name="Set up Joined-Up").click()

    expect(page.get_by_role("heading", name="Rounds")).to_be_visible()
    expect(page.get_by_text("2026 baseline")).to_be_visible()
    assert axe_violations(page) == []

    # The set-up page has gone for good once a user exists.
    page.goto(live_server + "/setup")
    assert page.get_by_role("heading", name="Rounds").is_visible()


def test_sign_in_page_has_no_accessibility_violations(page, live_server):
    page.goto(live_server + "/sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []
