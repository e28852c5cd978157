"""The department heads' questionnaire, through the test client.

Start page, task list, question pages, section and final check answers,
submission and the confirmation record; nothing typed is ever lost; one
respondent's session can neither read nor write another's answers; Welsh.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import AuditEvent
from assessment.services import invitations, rounds

from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    data_version,
    invite,
    link_works,
    respondent_client,
    stored_answers,
    the_response,
)


@pytest.fixture
def respondent(app, invitation):
    return respondent_client(app, invitation)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def first_section(app):
    return bank_of(app).dimensions[0]


# --- the link, the start page and the task list --------------------------------------


def test_a_link_binds_the_session_and_redirects_to_a_page_without_the_token(app, survey_round):
    link = invite(app, survey_round)
    client = app.test_client()
    followed = client.get(link)
    assert followed.status_code == 302
    assert followed.headers["Location"] == "/respond/"
    assert link.removeprefix("/r/") not in followed.headers["Location"]
    assert followed.headers["Referrer-Policy"] == "no-referrer"
    with client.session_transaction() as session:
        assert session["respondent_response_id"] == the_response(app).id
    start = client.get("/respond/")
    assert start.status_code == 200
    assert start.headers["Cache-Control"] == "no-store"


def test_start_page_says_what_it_is_how_long_it_takes_and_who_sees_the_answers(app, respondent):
    text = page_text(respondent.get("/respond/"))
    bank = bank_of(app)
    assert f"There are {len(bank.questions)} questions in {len(bank.dimensions)} sections" in text
    assert "It takes about" in text
    assert "Your answers are saved as you go" in text
    assert "The people running this assessment see your answers" in text
    assert 'href="/respond/tasks"' in text


def test_task_list_shows_each_section_and_when_submitting_can_start(app, respondent):
    bank = bank_of(app)
    text = page_text(respondent.get("/respond/tasks"))
    assert f"You have completed 0 of {len(bank.dimensions)} sections" in text
    assert text.count("Not yet started") == len(bank.dimensions)
    assert "Cannot start yet" in text
    assert 'href="/respond/check"' not in text

    section = first_section(app)
    answer(respondent, section.questions[0].id, revision="0")
    assert "In progress" in page_text(respondent.get("/respond/tasks"))
    for question in section.questions[1:]:
        answer(respondent, question.id, revision="0")
    respondent.post(f"/respond/sections/{section.id}", data={"completed": "yes"})
    text = page_text(respondent.get("/respond/tasks"))
    assert f"You have completed 1 of {len(bank.dimensions)} sections" in text
    assert "Completed" in text

    answer_everything(respondent, bank)
    complete_every_section(respondent, bank)
    text = page_text(respondent.get("/respond/tasks"))
    assert 'href="/respond/check"' in text
    assert "Cannot start yet" not in text


def test_returning_through_the_link_lands_on_the_task_list(app, survey_round):
    link = invite(app, survey_round)
    client = respondent_client(app, link)
    answer(client, bank_of(app).questions[0].id, revision="0", action="later")
    again = app.test_client().get(link)
    assert again.headers["Location"] == "/respond/tasks"


# --- question pages ---------------------------------------------------------------------


def test_question_page_follows_the_design_system_pattern(app, respondent):
    section = first_section(app)
    question = section.questions[0]
    text = page_text(respondent.get(f"/respond/questions/{question.id}"))
    assert f"Question 1 of {len(section.questions)}" in text
    assert section.name.en in text
    heading = re.search(r'<h1 class="govuk-fieldset__heading">(.*?)</h1>', text, re.S).group(1)
    assert question.text.en.replace("'", "&#39;") in heading
    for level in range(1, 6):
        assert question.descriptor(level).en.replace("'", "&#39;") in text
    assert '<div class="govuk-radios__divider">or</div>' in text
    assert 'value="dont_know"' in text and 'value="not_applicable"' in text
    assert "I do not know" in text and "Not applicable to my department" in text
    assert " checked" not in text
    assert "required" not in text
    assert "<form" in text and "novalidate" in text
    assert 'data-maxlength="2000"' in text
    assert "Save and continue" in text and "Save and come back later" in text
    assert 'type="range"' not in text


def test_evidence_is_asked_for_only_when_the_round_asks(app, round_factory):
    asking = respondent_client(app, invite(app, round_factory.survey("Asks").id))
    question = bank_of(app).questions[0]
    text = page_text(asking.get(f"/respond/questions/{question.id}"))
    assert 'name="evidence"' in text and "If you chose level 4 or 5" in text

    quiet = round_factory.survey("Does not ask", ask_evidence=False).id
    not_asking = respondent_client(app, invite(app, quiet, respondent="Bob"))
    assert 'name="evidence"' not in page_text(not_asking.get(f"/respond/questions/{question.id}"))


def test_save_and_continue_stores_the_answer_and_moves_on(app, respondent):
    section = first_section(app)
    first = section.questions[0]
    saved = answer(respondent, first.id, "4", comment="We have a plan.", evidence="Service plan p.4")
    expected = (f"/respond/questions/{section.questions[1].id}" if len(section.questions) > 1
                else f"/respond/sections/{section.id}")
    assert saved.headers["Location"] == expected
    stored = stored_answers(app)[(the_response(app).id, first.id)]
    assert (stored.value, stored.comment, stored.evidence, stored.revision) == (
        "4", "We have a plan.", "Service plan p.4", 1)
    # The page shows the saved answer when revisited.
    text = page_text(respondent.get(f"/respond/questions/{first.id}"))
    assert re.search(r'value="4" checked', text)
    assert "We have a plan." in text


def test_last_question_of_a_section_leads_to_its_check_page(app, respondent):
    section = first_section(app)
    saved = answer(respondent, section.questions[-1].id, revision="0")
    assert saved.headers["Location"] == f"/respond/sections/{section.id}"


def test_save_and_come_back_later_stores_and_returns_to_the_task_list(app, respondent):
    question = bank_of(app).questions[0]
    saved = answer(respondent, question.id, "dont_know", comment="Ask comms", action="later")
    assert saved.headers["Location"] == "/respond/tasks"
    assert stored_answers(app)[(the_response(app).id, question.id)].value == "dont_know"
    assert "Your answers have been saved" in page_text(respondent.get("/respond/tasks"))


def test_save_and_come_back_later_with_nothing_chosen_saves_nothing(app, respondent):
    question = bank_of(app).questions[0]
    left = answer(respondent, question.id, "", revision="0", action="later")
    assert left.headers["Location"] == "/respond/tasks"
    assert stored_answers(app) == {}


def test_no_answer_chosen_re_shows_the_page_with_what_was_typed(app, respondent):
    question = bank_of(app).questions[0]
    shown = answer(respondent, question.id, "", comment="Half a thought", evidence="A link",
                   revision="0")
    text = page_text(shown)
    assert shown.status_code == 200
    assert "There is a problem" in text and 'href="#answer"' in text
    assert "<title>Error:" in text
    assert '<span class="govuk-visually-hidden">Error:</span> Select the level' in text
    assert "Half a thought" in text and "A link" in text
    assert stored_answers(app) == {}


@pytest.mark.parametrize("value", [" 3", "٣", "+3", "6", "0_3", "dont-know"])
def test_answers_must_be_exactly_one_of_the_choices(app, respondent, value):
    question = bank_of(app).questions[0]
    shown = answer(respondent, question.id, value, revision="0")
    assert "Select the level" in page_text(shown)
    assert stored_answers(app) == {}


def test_a_comment_over_2000_characters_is_refused_and_kept(app, respondent):
    question = bank_of(app).questions[0]
    long_comment = "x" * 2001
    shown = answer(respondent, question.id, "3", comment=long_comment, revision="0")
    assert "Your comment must be 2,000 characters or fewer" in page_text(shown)
    assert long_comment in page_text(shown)
    assert stored_answers(app) == {}
    # Line breaks count as one character, as the browser's counter counts them.
    exactly = "y\r\n" * 1000
    assert answer(respondent, question.id, "3", comment=exactly, revision="0").status_code == 302


def test_evidence_is_kept_only_with_levels_4_and_5(app, respondent):
    first, second = bank_of(app).questions[:2]
    answer(respondent, first.id, "2", evidence="Not relevant", revision="0")
    answer(respondent, second.id, "5", evidence="Board minutes", revision="0")
    stored = stored_answers(app)
    response_id = the_response(app).id
    assert stored[(response_id, first.id)].evidence is None
    assert stored[(response_id, second.id)].evidence == "Board minutes"


def test_comments_and_evidence_are_stored_without_control_characters(app, respondent):
    # One text rule (core.text.clean_text): NUL would be a 500 on PostgreSQL.
    question = bank_of(app).questions[0]
    saved = answer(respondent, question.id, "5", comment="Board\x00 paper\r\nline two\x1b",
                   evidence="\x07Minutes", revision="0")
    assert saved.status_code == 302
    stored = stored_answers(app)[(the_response(app).id, question.id)]
    assert (stored.comment, stored.evidence) == ("Board paper\nline two", "Minutes")


def test_every_save_bumps_the_round_data_version(app, survey_round, respondent):
    before = data_version(app, survey_round)
    questions = bank_of(app).questions[:2]
    for question in questions:
        answer(respondent, question.id, revision="0")
    assert data_version(app, survey_round) == before + len(questions)


# --- two windows ------------------------------------------------------------------------


def test_an_answer_changed_in_another_window_is_shown_and_the_typed_one_kept(app, survey_round):
    link = invite(app, survey_round)
    first_tab, second_tab = respondent_client(app, link), respondent_client(app, link)
    question = bank_of(app).questions[0]
    assert answer(first_tab, question.id, "2", comment="From the first tab",
                  revision="0").status_code == 302

    clash = answer(second_tab, question.id, "4", comment="From the second tab", revision="0")
    text = page_text(clash)
    assert clash.status_code == 409
    assert "This answer was changed in another window" in text
    assert "From the first tab" in text                  # the saved version
    assert text.count("From the second tab") >= 2        # yours, and still in the form
    assert re.search(r'value="4" checked', text)
    assert 'name="revision" type="hidden" value="1"' in text
    assert stored_answers(app)[(the_response(app).id, question.id)].comment == "From the first tab"

    kept = answer(second_tab, question.id, "4", comment="From the second tab", revision="1")
    assert kept.status_code == 302
    stored = stored_answers(app)[(the_response(app).id, question.id)]
    assert (stored.value, stored.comment, stored.revision) == ("4", "From the second tab", 2)


def test_a_double_click_on_save_is_not_a_conflict(app, respondent):
    question = bank_of(app).questions[0]
    for _ in range(2):
        assert answer(respondent, question.id, "3", comment="Same", revision="0").status_code == 302
    assert stored_answers(app)[(the_response(app).id, question.id)].revision == 1


# --- check answers, submit, confirmation ------------------------------------------------


def test_section_check_page_asks_whether_the_section_is_complete(app, respondent):
    section = first_section(app)
    text = page_text(respondent.get(f"/respond/sections/{section.id}"))
    assert "Not answered yet" in text and "Have you completed this section?" not in text
    for question in section.questions:
        answer(respondent, question.id, revision="0")
    text = page_text(respondent.get(f"/respond/sections/{section.id}"))
    assert "Have you completed this section?" in text
    assert f'/respond/questions/{section.questions[0].id}?return_to=section' in text
    refused = respondent.post(f"/respond/sections/{section.id}", data={})
    assert "Select whether you have completed this section" in page_text(refused)
    later = respondent.post(f"/respond/sections/{section.id}", data={"completed": "no"})
    assert later.headers["Location"] == "/respond/tasks"
    assert "In progress" in page_text(respondent.get("/respond/tasks"))


def test_change_links_on_check_answers_come_back_to_it(app, respondent):
    bank = bank_of(app)
    answer_everything(respondent, bank)
    assert respondent.get("/respond/check").headers["Location"] == "/respond/tasks"
    complete_every_section(respondent, bank)
    text = page_text(respondent.get("/respond/check"))
    assert text.count("govuk-summary-card") >= len(bank.dimensions)
    question = bank.questions[-1]
    assert f"/respond/questions/{question.id}?return_to=check" in text
    changed = respondent.post(f"/respond/questions/{question.id}?return_to=check", data={
        "answer": "5", "revision": "1", "action": "continue"})
    assert changed.headers["Location"] == "/respond/check"


def test_submitting_twice_makes_one_submission(app, survey_round, respondent):
    bank = bank_of(app)
    answer_everything(respondent, bank)
    complete_every_section(respondent, bank)
    before = data_version(app, survey_round)
    first = respondent.post("/respond/submit")
    submitted_at = the_response(app).submitted_at
    second = respondent.post("/respond/submit")
    assert first.headers["Location"] == second.headers["Location"] == "/respond/confirmation"
    response = the_response(app)
    assert response.status == "submitted"
    assert response.submitted_at == submitted_at is not None
    assert data_version(app, survey_round) == before + 1
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "response_submitted")).all()
    assert len(events) == 1


def test_submitting_with_unanswered_questions_is_refused(app, respondent):
    answer(respondent, bank_of(app).questions[0].id, revision="0")
    refused = respondent.post("/respond/submit")
    assert refused.headers["Location"] == "/respond/tasks"
    assert the_response(app).status == "in_progress"


def test_confirmation_shows_a_printable_record_and_the_department_radar(app, respondent):
    bank = bank_of(app)
    answer_everything(respondent, bank, "4")
    complete_every_section(respondent, bank)
    respondent.post("/respond/submit")
    text = page_text(respondent.get("/respond/confirmation"))
    assert "Answers submitted" in text
    for question in bank.questions:
        assert question.text.en.replace("'", "&#39;") in text
    assert text.count("Level 4:") == len(bank.questions)
    assert 'role="img"' in text and "<svg" in text
    assert "Scores by section" in text
    assert "Change" not in re.sub(r"<script.*?</script>", "", text, flags=re.S)
    # Once submitted, every page leads to the record and answers cannot change.
    question = bank.questions[0]
    assert respondent.get("/respond/tasks").headers["Location"] == "/respond/confirmation"
    late = answer(respondent, question.id, "1", revision="1")
    assert late.headers["Location"] == "/respond/confirmation"
    assert stored_answers(app)[(the_response(app).id, question.id)].value == "4"


def test_the_radar_is_left_out_when_the_round_says_so(app, round_factory):
    quiet = round_factory.survey("No radar", show_department_radar=False).id
    client = respondent_client(app, invite(app, quiet))
    bank = bank_of(app)
    answer_everything(client, bank)
    complete_every_section(client, bank)
    client.post("/respond/submit")
    text = page_text(client.get("/respond/confirmation"))
    assert "Answers submitted" in text and "<svg" not in text


# --- one respondent, one session ------------------------------------------------------


def test_one_respondent_can_neither_read_nor_write_anothers_answers(app, survey_round):
    ann = respondent_client(app, invite(app, survey_round, "Housing", "Ann Example"))
    bob = respondent_client(app, invite(app, survey_round, "Highways", "Bob Example"))
    question = bank_of(app).questions[0]
    answer(ann, question.id, "5", comment="Ann's private note", revision="0")
    ann_id, bob_id = the_response(app, "Ann Example").id, the_response(app, "Bob Example").id

    for path in ("/respond/tasks", f"/respond/questions/{question.id}",
                 f"/respond/sections/{question.dimension}"):
        assert "private note" not in page_text(bob.get(path))
    answer(bob, question.id, "1", comment="Bob's note", revision="0")
    assert stored_answers(app)[(ann_id, question.id)].comment == "Ann's private note"

    # A session pointed at Ann's response without Ann's link is refused.
    with bob.session_transaction() as session:
        session["respondent_response_id"] = ann_id
    refused = bob.get(f"/respond/questions/{question.id}")
    assert refused.status_code == 404 and "This link does not work" in page_text(refused)
    forged = answer(bob, question.id, "2", comment="Forged", revision="1")
    assert forged.status_code == 404
    assert stored_answers(app)[(ann_id, question.id)].comment == "Ann's private note"
    assert stored_answers(app)[(bob_id, question.id)].comment == "Bob's note"


def test_a_session_without_a_link_sees_the_link_page(client):
    shown = client.get("/respond/tasks")
    assert shown.status_code == 404
    assert "This link does not work" in page_text(shown)


def test_a_revoked_link_ends_an_open_session_and_says_whom_to_ask(app, survey_round, respondent):
    with app.app_context():
        invitations.revoke_link(survey_round, the_response(app).id)
    shown = respondent.get("/respond/tasks")
    assert shown.status_code == 404
    assert "Sam Jones, sam.jones@example.org" in page_text(shown)


def test_closing_the_round_keeps_what_was_typed_on_the_page(app, survey_round, respondent):
    with app.app_context():
        rounds.set_status(survey_round, "closed")
    shown = answer(respondent, bank_of(app).questions[0].id, "3",
                   comment="Typed before the round closed", revision="0")
    assert shown.status_code == 404
    assert "Typed before the round closed" in page_text(shown)
    assert stored_answers(app) == {}


def test_replacing_a_link_keeps_the_answers_and_moves_the_session_to_the_new_link(app, survey_round):
    old = invite(app, survey_round)
    client = respondent_client(app, old)
    question = bank_of(app).questions[0]
    answer(client, question.id, "3", revision="0")
    with app.app_context():
        new = invitations.replace_link(survey_round, the_response(app).id).link
    assert client.get("/respond/tasks").status_code == 404
    assert not link_works(app, old)
    fresh = respondent_client(app, new.removeprefix(app.config["BASE_URL"]))
    assert re.search(r'value="3" checked', page_text(fresh.get(f"/respond/questions/{question.id}")))


# --- Welsh ----------------------------------------------------------------------------------


def welsh(app, text: str) -> str:
    from flask_babel import gettext

    with app.test_request_context("/?lang=cy"):
        translated = gettext(text)
    assert translated != text, f"no Welsh for {text!r}"
    return translated


def test_question_page_in_welsh_has_welsh_text_lang_and_error_prefix(app, respondent):
    question = bank_of(app).questions[0]
    text = page_text(respondent.get(f"/respond/questions/{question.id}?lang=cy"))
    assert '<html lang="cy"' in text
    assert question.text.get("cy").replace("'", "&#39;") in text
    assert welsh(app, "Save and continue") in text
    assert welsh(app, "I do not know") in text
    shown = answer(respondent, question.id, "", revision="0")
    text = page_text(shown)
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in text
    assert "<title>Gwall:" in text
    # The choice stays until changed: the next page is Welsh too.
    assert '<html lang="cy"' in page_text(respondent.get("/respond/tasks"))
    assert '<html lang="en"' in page_text(respondent.get("/respond/tasks?lang=en"))


# --- an expired form -----------------------------------------------------------------------


#: CSRF protection on, and forms that expire after one second.
EXPIRING_FORMS = {"WTF_CSRF_ENABLED": True, "WTF_CSRF_TIME_LIMIT": 1}


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


@pytest.mark.app_settings(**EXPIRING_FORMS)
def test_an_expired_form_re_shows_the_question_with_what_was_typed(app, invitation):
    client = respondent_client(app, invitation)
    question = bank_of(app).questions[0]
    token = csrf_token(page_text(client.get(f"/respond/questions/{question.id}")))
    time.sleep(2.1)  # longer than WTF_CSRF_TIME_LIMIT
    typed = {"answer": "5", "comment": "Typed over lunch", "evidence": "Our dashboard",
             "revision": "0", "action": "continue", "csrf_token": token}
    expired = client.post(f"/respond/questions/{question.id}", data=typed)
    text = page_text(expired)
    assert expired.status_code == 400
    assert "Not saved yet: this page was open for a long time" in text
    assert "&lt;p" not in expired.get_data(as_text=True)  # the banner's markup is not shown as text
    assert "Typed over lunch" in text and "Our dashboard" in text
    assert re.search(r'value="5" checked', text)
    assert stored_answers(app) == {}

    saved = client.post(f"/respond/questions/{question.id}",
                        data={**typed, "csrf_token": csrf_token(text)})
    assert saved.status_code == 302
    assert stored_answers(app)[(the_response(app).id, question.id)].comment == "Typed over lunch"


@pytest.mark.app_settings(**EXPIRING_FORMS)
def test_a_form_without_its_token_is_refused_and_kept(app, invitation):
    client = respondent_client(app, invitation)
    section = bank_of(app).dimensions[0]
    refused = client.post(f"/respond/sections/{section.id}", data={"completed": "yes"})
    assert refused.status_code == 400
    assert the_response(app).completed_sections == []
