"""The review loop in Debian's Chromium, in English and Welsh: a lead challenges two
answers, the respondent keeps one with a reply and changes the other through their
link, the lead resolves one and keeps the other open, and the closed round's
challenge is read-only.  axe-core must find nothing on any page or state of the
loop; the printed confirmation record stays a few A4 pages.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from assessment.queries import results as result_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import accounts, invitations, rounds, survey

from ..support.survey import bank_of
from .conftest import save_screenshot
from .test_survey_journey import assert_accessible, translator

PASSWORD = "correct horse battery"
#: The printed record of the whole questionnaire fits in this many A4 pages.
MAX_PRINTED_PAGES = 4


def submitted_link(app, round_id: int) -> tuple[str, int, dict[str, int]]:
    """Ann (Housing) has answered 3 everywhere and submitted: her link, the
    department's id and her answers' ids by question."""
    bank = bank_of(app)
    with app.app_context():
        invited = invitations.invite(round_id, "Housing", "Ann Example")
        for question in bank.questions:
            survey.save_answer(invited.response_id, AnswerWrite(question.id, "3"), 0)
        survey.submit(invited.response_id, bank)
        accounts.create_user("lead@example.org", PASSWORD, "lead")
    with app.test_request_context():
        department = result_queries.round_departments(round_id)[0]
        rows = result_queries.department_answer_rows(round_id, department.id)
    return invited.link, department.id, {row.question_id: row.id for row in rows}


def sign_in(page, live_server: str, language: str) -> None:
    page.goto(f"{live_server}/sign-in?lang=en")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/?lang={language}")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_review_loop_end_to_end(browser, page, live_app, live_server, language, round_factory):
    t = translator(live_app, language)
    bank = bank_of(live_app)
    round_id = round_factory.survey().id
    link, department_id, answers = submitted_link(live_app, round_id)
    kept_q, changed_q = bank.questions[0], bank.questions[1]

    def challenge_url(question) -> str:
        return (f"{live_server}/rounds/{round_id}/departments/{department_id}"
                f"/answers/{answers[question.id]}/challenge")

    # The lead challenges two answers; the form says what level 3 means.
    sign_in(page, live_server, language)
    page.goto(challenge_url(kept_q))
    expect(page.get_by_text(kept_q.descriptor(3).get(language))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=t("Challenge this answer")).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(t("Why are you challenging this answer?")).fill("Which report shows this?")
    page.get_by_role("button", name=t("Challenge this answer")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Housing")
    page.goto(challenge_url(changed_q))
    page.get_by_label(t("Why are you challenging this answer?")).fill("Level 3 seems high.")
    page.get_by_role("button", name=t("Challenge this answer")).click()
    assert_accessible(page)  # the department page with two open challenges

    # The respondent's link opens the challenges.
    ann = browser.new_context().new_page()
    ann.goto(link)
    ann.goto(f"{live_server}/respond/tasks?lang={language}")
    expect(ann.get_by_role("heading", name=t("Challenges from your lead"))).to_be_visible()
    assert_accessible(ann)
    if language == "en":
        save_screenshot(ann, "review-respondent-tasks")

    # Keep the first answer with a reply (an error first).
    ann.get_by_role("link", name=kept_q.text.get(language)).click()
    expect(ann.get_by_text("Which report shows this?")).to_be_visible()
    assert_accessible(ann)
    if language == "en":
        save_screenshot(ann, "review-respondent-reply")
    ann.get_by_label(t("Keep my answer and reply")).check()
    ann.get_by_role("button", name=t("Continue")).click()
    expect(ann.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(ann)
    ann.get_by_label(t("Keep my answer and reply")).check()
    ann.get_by_label(t("Your reply")).fill("The annual report, page 4.")
    ann.get_by_role("button", name=t("Continue")).click()
    expect(ann.get_by_role("heading", name=t("Challenges from your lead"))).to_be_visible()

    # Change the second through the question page, which shows the challenge.
    ann.get_by_role("link", name=changed_q.text.get(language)).click()
    ann.get_by_label(t("Change my answer")).check()
    ann.get_by_role("button", name=t("Continue")).click()
    expect(ann.get_by_text("Level 3 seems high.")).to_be_visible()
    assert_accessible(ann)
    ann.locator('input[name="answer"][value="2"]').check()
    ann.get_by_role("button", name=t("Save and continue")).click()
    expect(ann.get_by_text(t("Replied")).first).to_be_visible()
    assert_accessible(ann)

    # The lead reads the reply, resolves the first and keeps the second open.
    page.goto(challenge_url(kept_q))
    expect(page.get_by_text("The annual report, page 4.")).to_be_visible()
    assert_accessible(page)
    if language == "en":
        save_screenshot(page, "review-lead-decision")
    page.get_by_label(t("Yes, mark it as resolved")).check()
    page.get_by_role("button", name=t("Save decision")).click()
    page.goto(challenge_url(changed_q))
    page.get_by_label(t("No, keep it open and ask again")).check()
    page.get_by_role("button", name=t("Save decision")).click()
    expect(page.get_by_text(t("Resolved")).first).to_be_visible()
    assert_accessible(page)  # the department page: replies and states

    # The respondent sees both states, then their record, printed compactly.
    ann.goto(f"{live_server}/respond/tasks?lang={language}")
    expect(ann.get_by_text(t("Waiting for your reply"))).to_be_visible()
    assert_accessible(ann)
    ann.goto(f"{live_server}/respond/confirmation?lang={language}")
    expect(ann.get_by_role("heading", name=t("Answers submitted"))).to_be_visible()
    expect(ann.get_by_text("Ann Example")).to_be_visible()
    assert_accessible(ann)
    ann.emulate_media(media="print")
    pdf = ann.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= MAX_PRINTED_PAGES, pages
    ann.context.close()

    # Once the round is closed, the challenge is read-only.
    with live_app.app_context():
        rounds.set_status(round_id, "closed")
    page.goto(challenge_url(changed_q))
    expect(page.get_by_text(t("The round is closed, so this challenge can no longer change. "
                              "You can still read it."))).to_be_visible()
    expect(page.get_by_role("button", name=t("Challenge this answer"))).to_have_count(0)
    assert_accessible(page)


def test_the_confirmation_page_has_no_dead_control_without_javascript(
        browser, live_app, live_server, round_factory):
    round_id = round_factory.survey().id
    link, _department, _answers = submitted_link(live_app, round_id)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Answers submitted")).to_be_visible()
    expect(page.locator("main button")).to_have_count(0)
    context.close()
