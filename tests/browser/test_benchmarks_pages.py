"""An admin contributes a closed round to a benchmark group in a real browser, then reads
where the organisation sits among its peers on the dashboard: no accessibility violations.

Screenshots of the round's benchmark page and of the dashboard's "Compared with peers"
section are saved for docs/benchmarks.md and the README (``make screenshots``).
"""

from __future__ import annotations

from playwright.sync_api import expect

from assessment.services import accounts, benchmarks

from ..support.people import ORGANISATION
from ..support.rounds import RoundFactory
from ..test_benchmarks import PEERS, contribute_peers
from .conftest import save_screenshot, screenshots_folder
from .test_lead_pages import assert_accessible

PASSWORD = "correct horse battery"


def test_admin_contributes_a_round_and_reads_the_peers_on_the_dashboard(page, live_app, live_server):
    with live_app.app_context():
        accounts.ensure_organisation(ORGANISATION)
        accounts.create_user("admin@example.org", PASSWORD, "admin")
        group = benchmarks.create_group("Welsh councils", "Cynghorau Cymru")
    made = RoundFactory(live_app)("2026 baseline", status="closed",
                                  departments={"Parks": "3", "Roads": "4"})
    contribute_peers(live_app, group.id, PEERS)

    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/rounds/{made.id}")
    page.get_by_role("link", name="Benchmark groups").click()
    page.get_by_role("button", name="Contribute to Welsh councils").click()
    expect(page.get_by_text("The round's scores are contributed to the group.")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw from Welsh councils")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "benchmarks-round")

    page.goto(f"{live_server}/rounds/{made.id}/dashboard")
    section = page.locator("section", has=page.get_by_role("heading", name="Compared with peers"))
    expect(section.get_by_role("table", name="Welsh councils: dimensions")).to_contain_text(
        "In the highest quarter")
    questions = section.get_by_role("table", name="Welsh councils: questions")
    expect(questions).to_be_hidden()
    assert_accessible(page)
    section.screenshot(path=str(screenshots_folder() / "benchmarks-dashboard.png"))
    section.get_by_text("Show each question").click()
    expect(questions).to_be_visible()
    expect(questions).to_contain_text("In the highest quarter")
