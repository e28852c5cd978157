"""Issue 11, item 8: plural forms, the audit log in words, and a link opened before its round opens."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from assessment.services import rounds

from .support.people import sign_in
from .support.rounds import RoundFactory


def test_one_respondent_is_not_respondents(app: Flask, lead_client: FlaskClient,
                                           round_factory: RoundFactory) -> None:
    made = round_factory("One person", invited=["Parks"])
    page = lead_client.get(f"/rounds/{made.id}").get_data(as_text=True)
    assert "0 of 1 respondent has submitted their answers." in page
    assert "1 respondents" not in page


def test_the_audit_log_reads_as_words_with_details_as_a_list(
        app: Flask, admin_client: FlaskClient, round_factory: RoundFactory) -> None:
    sign_in(app.test_client(), "admin@example.org")  # through the page, which audits it
    round_factory("Audited", invited=["Parks"])
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert '<td class="govuk-table__cell">Link created</td>' in page
    assert '<td class="govuk-table__cell">Signed in</td>' in page
    assert "invitation_created</td>" not in page and "{&#34;" not in page  # no raw names, no JSON
    assert '<dl class="app-audit-details">' in page and "<dt>Department</dt><dd>Parks</dd>" in page
    assert '<option value="invitation_created">Link created</option>' in page


def test_the_audit_log_in_welsh_uses_no_raw_event_names(app: Flask, admin_client: FlaskClient) -> None:
    sign_in(app.test_client(), "admin@example.org")  # through the page, which audits it
    page = admin_client.get("/admin/audit?lang=cy").get_data(as_text=True)
    assert '<td class="govuk-table__cell">sign_in</td>' not in page


def test_a_link_opened_before_the_round_opens_says_so(app: Flask, client: FlaskClient,
                                                     round_factory: RoundFactory) -> None:
    made = round_factory("Not yet", status="draft", invited=["Parks"])
    round_id, link = made.id, made.links["Parks"]
    early = client.get(link)
    text = early.get_data(as_text=True)
    assert early.status_code == 200
    assert "This assessment has not opened yet" in text and "may have ended" not in text
    with app.app_context():
        rounds.set_status(round_id, "open")
    opened = client.get(link)
    assert opened.status_code == 302 and "/respond/" in opened.headers["Location"]


def test_an_unknown_link_still_says_it_does_not_work(client: FlaskClient) -> None:
    page = client.get("/r/no-such-link", follow_redirects=True)
    assert page.status_code == 404 and "This link does not work" in page.get_data(as_text=True)
