"""A department head answers the whole questionnaire in Debian's Chromium, as a new user would.

Through the invitation link: start, answer some questions, leave, come back
through the link, finish, check answers, change one, submit and print the
record, in English and in Welsh.  axe-core must find nothing on any
respondent page, error states included.  The question page screenshot goes
for the README (``make screenshots``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask_babel import gettext
from playwright.sync_api import expect

from assessment.services import accounts

from ..support.survey import bank_of, invite
from .conftest import axe_violations, save_screenshot

Translate = Callable[[str], str]


def assert_accessible(page) -> None:
    """No axe-core violations; otherwise name each rule and the elements that break it."""
    problems = [f"{violation['id']}: {node['html'][:160]}"
                for violation in axe_violations(page) for node in violation["nodes"]]
    assert problems == [], f"{page.url}\n" + "\n".join(problems)


def translator(app, language: str) -> Translate:
    def translate(text: str, **values: object) -> str:
        with app.test_request_context(f"/?lang={language}"):
            return gettext(text, **values)
    return translate


def answer_page(page, t: Translate, value: str, comment: str = "") -> None:
    page.locator(f'input[name="answer"][value="{value}"]').check()
    if comment:
        page.get_by_label(t("Comment (optional)")).fill(comment)
    page.get_by_role("button", name=t("Save and continue")).click()


def finish_sections(page, t: Translate, bank, language: str) -> None:
    """From the task list: every unfinished section answered and marked completed."""
    for dimension in bank.dimensions:
        page.get_by_role("link", name=dimension.name.get(language), exact=True).click()
        first_question = True
        while "/respond/questions/" in page.url:
            if first_question:
                assert_accessible(page)
                first_question = False
            answer_page(page, t, "3")
        expect(page.get_by_text(t("Have you completed this section?"))).to_be_visible()
        page.get_by_label(t("Yes, I’ve completed this section")).check()
        page.get_by_role("button", name=t("Continue")).click()
        expect(page.get_by_role("heading", name=t("Social media self-assessment"))).to_be_visible()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_department_head_completes_the_questionnaire_through_a_link(browser, page, live_app,
                                                                      live_server, language, round_factory):
    t = translator(live_app, language)
    bank = bank_of(live_app)
    round_id = round_factory.survey().id
    link = live_server + invite(live_app, round_id, "Housing", "Ann Example")

    # Start page, then the task list.
    page.goto(link + ("?lang=cy" if language == "cy" else ""))
    assert "/r/" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", name=t("Social media self-assessment"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=t("Start now")).click()
    expect(page.get_by_text(t("You have completed %(completed)s of %(total)s sections",
                              completed=0, total=len(bank.dimensions)))).to_be_visible()
    assert_accessible(page)

    # The first question: an error first, then a level 4 answer with evidence.
    first = bank.dimensions[0]
    page.get_by_role("link", name=first.name.get(language), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.questions[0].text.get(language))
    assert_accessible(page)
    page.get_by_role("button", name=t("Save and continue")).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator(".govuk-error-message")).to_contain_text("Gwall:" if language == "cy" else "Error:")
    assert_accessible(page)
    page.goto(page.url)  # the question again, without the error, for the README screenshot
    page.locator('input[name="answer"][value="4"]').check()
    evidence = page.get_by_label(t("Evidence (optional)"))
    expect(evidence).to_be_visible()
    evidence.fill("Our service plan, section 3")
    page.get_by_label(t("Comment (optional)")).fill("Agreed with the team in March.")
    if language == "en":
        save_screenshot(page, "question-page")
    page.get_by_role("button", name=t("Save and continue")).click()

    # One more answer, then leave and come back through the link in a new browser session.
    if len(first.questions) > 1:
        answer_page(page, t, "dont_know")
    if "/respond/questions/" in page.url:
        page.get_by_role("button", name=t("Save and come back later")).click()
    else:
        page.goto(live_server + "/respond/tasks")
    page.close()
    later = browser.new_context().new_page()
    later.goto(link)
    if language == "cy":
        later.get_by_role("link", name="Cymraeg").click()
    assert later.url.endswith("/respond/tasks") or "/respond/tasks?" in later.url
    expect(later.get_by_text(t("In progress")).first).to_be_visible()

    finish_sections(later, t, bank, language)
    later.get_by_role("link", name=t("Check and submit")).click()
    assert_accessible(later)

    # Change one answer from check answers, and come back to it.
    changed = bank.questions[-1]
    later.locator(f'a[href^="/respond/questions/{changed.id}?return_to=check"]').click()
    answer_page(later, t, "1", comment="Changed on the check page")
    assert later.url.endswith("/respond/check")
    expect(later.get_by_text("Changed on the check page")).to_be_visible()

    later.get_by_role("button", name=t("Submit your answers")).click()
    expect(later.get_by_role("heading", name=t("Answers submitted"))).to_be_visible()
    expect(later.get_by_text("Our service plan, section 3")).to_be_visible()
    expect(later.locator(".app-radar svg")).to_be_visible()
    assert_accessible(later)

    # The printable record: no header or buttons, every answer there.
    later.emulate_media(media="print")
    expect(later.locator(".app-header")).to_be_hidden()
    expect(later.locator(".app-print-button")).to_be_hidden()
    pdf = later.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    if language == "en":
        save_screenshot(later, "confirmation-print")
    later.context.close()


def test_link_page_errors_and_a_clash_are_accessible_in_both_languages(page, live_app,
                                                                             live_server, round_factory):
    bank = bank_of(live_app)
    round_id = round_factory.survey().id
    link = live_server + invite(live_app, round_id)
    for language in ("en", "cy"):
        t = translator(live_app, language)
        page.goto(live_server + f"/r/not-a-real-link?lang={language}")
        expect(page.get_by_role("heading", name=t("This link does not work"))).to_be_visible()
        assert_accessible(page)
    page.goto(link)
    for question in bank.dimensions[0].questions:
        page.goto(f"{live_server}/respond/questions/{question.id}?lang=en")
        answer_page(page, translator(live_app, "en"), "2")
    for language in ("en", "cy"):
        t = translator(live_app, language)
        page.goto(f"{live_server}/respond/sections/{bank.dimensions[0].id}?lang={language}")
        page.get_by_role("button", name=t("Continue")).click()
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_accessible(page)

    # An answer changed in another window meanwhile.
    question = bank.dimensions[1].questions[0]
    other_window = page.context.browser.new_context().new_page()
    other_window.goto(link)
    other_window.goto(f"{live_server}/respond/questions/{question.id}?lang=cy")
    page.goto(f"{live_server}/respond/questions/{question.id}?lang=en")
    answer_page(page, translator(live_app, "en"), "2", comment="Saved first")
    answer_page(other_window, translator(live_app, "cy"), "4", comment="Saved second")
    expect(other_window.get_by_text(translator(live_app, "cy")(
        "This answer was changed in another window"))).to_be_visible()
    expect(other_window.get_by_label(translator(live_app, "cy")("Comment (optional)"))).to_have_value(
        "Saved second")
    assert_accessible(other_window)
    other_window.context.close()


def test_the_questionnaire_works_without_javascript(browser, live_app, live_server, round_factory):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    t = translator(live_app, "en")
    question = bank_of(live_app).questions[0]
    page.goto(live_server + invite(live_app, round_factory.survey().id))
    page.goto(f"{live_server}/respond/questions/{question.id}")
    expect(page.get_by_label(t("Evidence (optional)"))).to_be_visible()
    expect(page.get_by_text(t("If you chose level 4 or 5: what shows it, or a link to it. "
                              "The people running this assessment will see it."))).to_be_visible()
    answer_page(page, t, "5", comment="No script needed")
    page.goto(f"{live_server}/respond/questions/{question.id}")
    expect(page.locator('input[name="answer"][value="5"]')).to_be_checked()
    expect(page.get_by_label(t("Comment (optional)"))).to_have_value("No script needed")
    context.close()


def test_a_lead_creates_a_round_and_invitation_links(page, live_app, live_server):
    with live_app.app_context():
        accounts.ensure_organisation("Aberbrook County Council")
        accounts.create_user("lead@example.org", "correct horse battery", "lead")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_role("textbox", name="Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("button", name="Create a round").click()
    page.get_by_role("button", name="Create the round").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Name of the round", exact=True).fill("2027 baseline")
    page.get_by_label("Whom should respondents ask if they need help?").fill("Sam Jones, 01234 567890")
    page.get_by_role("button", name="Create the round").click()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_text("The round is open")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Department", exact=True).fill("Housing")
    page.get_by_label("Respondents (optional)").fill("Ann Example\nBob Example")
    page.get_by_role("button", name="Create links").click()
    expect(page.get_by_role("heading", name="Copy the new links now")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link for Ann Example, Housing")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "invitation-links")
    link = page.locator(".app-invitation-link").first.inner_text()

    page.get_by_role("link", name="Back to the round").first.click()
    expect(page.get_by_text("0 of 2 respondents have submitted their answers.")).to_be_visible()
    assert_accessible(page)
    visitor = page.context.browser.new_context().new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="Social media self-assessment")).to_be_visible()
    visitor.context.close()
