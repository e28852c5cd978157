"""In a real browser: the Content-Security-Policy blocks nothing of ours, and the admin
pages pass axe."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import axe_violations, save_screenshot

PASSWORD = "correct horse battery"
PAGES = ["/", "/rounds/1", "/rounds/1/dashboard", "/rounds/1/compare", "/rounds/1/plan",
         "/rounds/1/print", "/admin/users", "/admin/users/new", "/admin/audit", "/account/password"]


def set_up_with_demo(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/setup")
    page.get_by_label("Name of your organisation", exact=True).fill("Aberbrook County Council")
    page.get_by_label("Your email address").fill("admin@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Enter the password again").fill(PASSWORD)
    page.get_by_label("Load the demonstration council").check()
    page.get_by_role("button", name="Set up Joined-Up").click()


def test_the_policy_blocks_nothing_of_ours_and_scripts_run(page, live_server):  # type: ignore[no-untyped-def]
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    set_up_with_demo(page, live_server)
    for path in PAGES:
        page.goto(live_server + path)
        classes = page.evaluate("document.body.className")
        assert "js-enabled" in classes and "govuk-frontend-supported" in classes, path
    assert blocked == []
    page.goto(live_server + "/account/password")
    # The "Show" button appears only once govuk-frontend's module script has run.
    assert page.get_by_role("button", name="Show").first.is_visible()


def test_admin_pages_are_accessible(page, live_server):  # type: ignore[no-untyped-def]
    set_up_with_demo(page, live_server)
    page.goto(live_server + "/admin/users/new")
    page.get_by_role("button", name="Add user").click()
    page.locator(".govuk-error-summary").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_label("Lead: runs rounds").check()
    page.get_by_label("Password", exact=True).fill("another good password")
    page.get_by_label("Enter the password again").fill("another good password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("lead@example.org can now sign in.")).to_be_visible()
    assert axe_violations(page) == []
    save_screenshot(page, "admin-users")
    page.get_by_role("link", name="Change lead@example.org").click()
    assert axe_violations(page) == []
    page.goto(live_server + "/admin/audit?since=not-a-date")
    page.locator(".govuk-error-summary").wait_for()
    assert axe_violations(page) == []
    page.goto(live_server + "/admin/audit")
    assert axe_violations(page) == []
    save_screenshot(page, "audit-log")
    page.goto(live_server + "/account/password")
    assert axe_violations(page) == []
