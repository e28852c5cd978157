"""Each role finds every page it may use by following links from the home page, and never a refusal.

The walk parses each page's HTML, follows same-site GET links breadth-first (downloads
are recognised by their content type and not parsed), and is bounded.  What it must
reach comes from the app's url_map and the allow-list in tests/test_routes_allowlist.py,
so a new page for a role fails here until something links to it.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.navigation import ROUND_PAGES, SERVICE_PAGES, pages_for

from .support.people import signed_in_client
from .support.rounds import RoundFactory
from .test_routes_allowlist import ACCESS, ALLOWED

#: Endpoints a role may use that are not pages to arrive at by a link: files, forms'
#: targets, the API, background jobs, the respondents' pages, and pages that exist
#: only in the middle of a journey (checking an uploaded file).
NOT_PAGES = {
    "static", "health.healthz", "setup.set_up", "main.sign_in", "main.sign_out",
    "results.chart_file", "results.department_chart_file", "results.report_document",
    "workshop.export_xlsx", "workshop.answers_csv", "workshop.template_xlsx",
    "workshop.check_import", "workshop.cancel_import",
}
#: Pages linked only in a state this walk's installation is not in (each has its own test):
#: the email preview once sending is configured (tests/test_mail_pages.py), the removal of
#: the demonstration while demonstration rounds exist (tests/test_demo_removal.py).
#: In a regional service (issue 15, tests/test_regional_service.py): the trainers of other
#: organisations, linked when the installation holds several, and "Switch organisation",
#: in the navigation of a trainer given access to another organisation.
CONDITIONAL_PAGES = {"rounds.preview", "demo.remove", "admin.trainer_access", "switch.choose"}
NOT_PAGE_BLUEPRINTS = ("api.", "jobs.", "survey.")
MOST_PAGES = 400


class LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def expected_pages(app: Flask, role: str) -> set[str]:
    """Every GET page of the url_map this role is allowed, by the allow-list."""
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or set()) and rule.endpoint not in NOT_PAGES | CONDITIONAL_PAGES
            and not rule.endpoint.startswith(NOT_PAGE_BLUEPRINTS)
            and role in ALLOWED[ACCESS[rule.endpoint]]}


def same_site_links(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    links = []
    for href in parser.links:
        link = urldefrag(href)[0]
        parts = urlsplit(link)
        on_this_site = not parts.scheme and not parts.netloc and parts.path.startswith("/")
        if on_this_site and "lang=" not in parts.query:  # the language switch: same pages again
            links.append(link)
    return links


def walk(app: Flask, client: FlaskClient) -> tuple[set[str], list[str]]:
    """The endpoints reached from the home page, and every refusal met on the way."""
    reached: set[str] = set()
    refusals: list[str] = []
    seen = {"/"}
    queue = deque(["/"])
    adapter = app.url_map.bind("localhost")
    while queue and len(seen) <= MOST_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code in (401, 403, 404) or response.status_code >= 500:
            refusals.append(f"{url} -> {response.status_code}")
            continue
        reached.add(adapter.match(urlsplit(url).path, method="GET")[0])
        if response.status_code != 200 or response.mimetype != "text/html":
            continue  # a redirect or a download: nothing to parse
        for link in same_site_links(response.get_data(as_text=True)):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return reached, refusals


@pytest.mark.parametrize("role", ["admin", "lead", "trainer"])
def test_each_role_reaches_every_page_it_may_use_by_links_alone(
        app: Flask, round_factory: RoundFactory, role: str) -> None:
    round_factory("Answered round", departments={"Parks": "2", "Housing": ["1", "4"]})
    round_factory("Draft round", status="draft")
    reached, refusals = walk(app, signed_in_client(app, role))
    assert not refusals, f"{role} followed links to refusals: {refusals}"
    missing = expected_pages(app, role) - reached
    assert not missing, f"{role} cannot reach {sorted(missing)} by following links from the home page"


@pytest.mark.parametrize("role", ["admin", "lead", "trainer"])
def test_the_navigation_offers_only_pages_the_role_may_open(role: str) -> None:
    every_page = SERVICE_PAGES + ROUND_PAGES
    shown = pages_for(role, every_page)
    for page in every_page:
        if page.endpoint in CONDITIONAL_PAGES:
            continue  # offered by navigation_context only when it can be used
        allowed = role in ALLOWED[ACCESS[page.endpoint]]
        assert (page in shown) == allowed, f"{role}: {page.endpoint} shown {page in shown}, allowed {allowed}"
