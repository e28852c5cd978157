"""In a real browser: the API documentation page draws the API's operations from our own
files under the app's strict Content-Security-Policy, and the API tokens page passes axe
in English and Welsh (issue 11 item 7)."""

from __future__ import annotations

from playwright.sync_api import expect

from assessment.services import api_tokens

from .conftest import axe_violations, save_screenshot
from .test_security_csp import set_up_with_demo


def test_the_docs_page_shows_the_operations_with_nothing_blocked(page, live_server):  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text or message.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((live_server, "data:", "blob:")) else None)
    set_up_with_demo(page, live_server)
    page.get_by_role("link", name="API documentation").click()
    path = page.locator(".opblock-summary-path", has_text="/rounds/{round_id}/results")
    path.wait_for()
    assert path.first.is_visible()
    assert page.get_by_text("Joined-Up results API").first.is_visible()
    assert problems == [] and outside == []
    save_screenshot(page, "api-docs")


def test_the_tokens_page_is_accessible_in_english_and_welsh(page, live_server, live_app):  # type: ignore[no-untyped-def]
    set_up_with_demo(page, live_server)
    with live_app.app_context():
        api_tokens.create_api_token("admin@example.org")
    for language in ("en", "cy"):
        page.goto(f"{live_server}/account/api-tokens?lang={language}")
        assert page.locator("table.govuk-table").is_visible()
        assert axe_violations(page) == [], language
        page.goto(f"{live_server}/account/api-tokens/1/revoke?lang={language}")
        assert axe_violations(page) == [], language
    page.goto(f"{live_server}/account/api-tokens?lang=en")
    page.get_by_role("link", name="Revoke token 1 of admin@example.org").click()
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("The API token of admin@example.org is revoked")).to_be_visible()
    expect(page.get_by_text("Nobody has an API token.")).to_be_visible()
    assert axe_violations(page) == []
