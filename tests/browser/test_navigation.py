"""Each role's navigation in a real browser: home page and a round page, 1280 and 390 px wide,
English and Welsh, with no axe-core violations; the header never overflows its bar.

Saves navigation-lead.png for the README (``make screenshots``).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessment.services import accounts, demo

from .conftest import save_screenshot
from .test_lead_pages import assert_accessible

PASSWORD = "correct horse battery"
ROLES = ("admin", "lead", "trainer")
WIDTHS = (1280, 390)


@pytest.fixture
def demo_round(live_app, round_factory) -> int:
    with live_app.app_context():
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
        for role in ROLES:
            accounts.create_user(f"{role}@example.org", PASSWORD, role)
    return round_factory.demo().round_id


def sign_in_as(page, live_server: str, role: str) -> None:
    page.goto(live_server + "/sign-in?lang=en")
    page.get_by_label("Email address").fill(f"{role}@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_be_visible()


def assert_header_fits(page) -> None:
    """Links that overflow the coloured bar would be white on white (axe color-contrast)."""
    overflow = page.evaluate(
        "() => { const h = document.querySelector('.app-header__container');"
        " return h.scrollWidth - h.clientWidth; }")
    assert overflow <= 0, f"the header overflows by {overflow}px"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_its_pages_accessibly(page, live_server, demo_round, role) -> None:
    sign_in_as(page, live_server, role)
    round_page = f"/rounds/{demo_round}" if role == "lead" else f"/rounds/{demo_round}/dashboard"
    for language in ("en", "cy"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server}/?lang={language}")
            expect(page.locator(".app-service-navigation")).to_be_attached()
            assert_header_fits(page)
            assert_accessible(page)
            page.goto(live_server + round_page)
            expect(page.locator(".app-round-navigation")).to_be_attached()
            assert_header_fits(page)
            assert_accessible(page)
    users_link = page.locator(".app-service-navigation a[href='/admin/users']")
    expect(users_link).to_have_count(1 if role == "admin" else 0)
    overview_link = page.locator(f".app-round-navigation a[href='/rounds/{demo_round}']")
    expect(overview_link).to_have_count(0 if role == "trainer" else 1)


def test_the_lead_moves_between_a_rounds_pages(page, live_server, demo_round) -> None:
    sign_in_as(page, live_server, "lead")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("main").get_by_role("link", name="2026 baseline").click()
    navigation = page.get_by_role("navigation", name="Pages of this round")
    navigation.get_by_role("link", name="Workshop materials").click()
    expect(page.get_by_role("heading", name="Workshop materials", level=1)).to_be_visible()
    assert_accessible(page)
    navigation.get_by_role("link", name="Import answers").click()
    expect(page.get_by_role("heading", name="Import answers", level=1)).to_be_visible()
    assert_accessible(page)
    navigation.get_by_role("link", name="Dashboard").click()
    expect(navigation.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    save_screenshot(page, "navigation-lead")
