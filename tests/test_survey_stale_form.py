"""A page left open from one invitation link never saves into another link's response.

One browser follows department A's link and opens a page, then follows
department B's link (the session now belongs to B), then sends A's page.
Every form of the questionnaire carries which response it was shown for, so
A's page is refused with a clear message and nothing is written to A or B.
"""

from __future__ import annotations

import re

import pytest

from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    data_version,
    invite,
    respondent_client,
    stored_answers,
    the_response,
)

REFUSED = "Your answers on that page were not saved"


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page, as a browser would send them back."""
    return dict(re.findall(r'<input[^>]*name="([^"]+)" type="hidden" value="([^"]*)"', page))


@pytest.fixture
def links(app, survey_round, invitation):
    """Ann Example's link (Housing), then Bob Example's (Highways), to the same round."""
    return invitation, invite(app, survey_round, "Highways", "Bob Example")


def test_every_form_says_which_response_it_belongs_to(app, links):
    client = respondent_client(app, links[0])
    bank = bank_of(app)
    question = client.get(f"/respond/questions/{bank.questions[0].id}").get_data(as_text=True)
    reference = hidden_fields(question).get("response_ref")
    assert reference
    # Not the response's number and not anything of the link.
    assert reference != str(the_response(app).id)
    assert reference not in links[0] and links[0].removeprefix("/r/") not in question
    answer_everything(client, bank)
    section = client.get(f"/respond/sections/{bank.dimensions[0].id}").get_data(as_text=True)
    assert hidden_fields(section)["response_ref"] == reference
    complete_every_section(client, bank)
    check = client.get("/respond/check").get_data(as_text=True)
    assert hidden_fields(check)["response_ref"] == reference
    # Another respondent's pages carry another reference.
    other = respondent_client(app, links[1])
    page = other.get(f"/respond/questions/{bank.questions[0].id}").get_data(as_text=True)
    assert hidden_fields(page)["response_ref"] != reference


def test_a_question_page_from_another_link_is_refused_and_nothing_written(app, survey_round, links):
    client = respondent_client(app, links[0])
    question = bank_of(app).questions[0]
    housing_page = client.get(f"/respond/questions/{question.id}").get_data(as_text=True)
    followed = client.get(links[1])  # the same browser follows B's link
    assert followed.status_code == 302
    before = data_version(app, survey_round)

    sent = client.post(f"/respond/questions/{question.id}", data={
        **hidden_fields(housing_page), "answer": "4", "comment": "Housing's own note",
        "evidence": "Housing plan", "action": "continue"})
    text = sent.get_data(as_text=True)
    assert sent.status_code == 409
    assert REFUSED in text
    assert "Highways" in text                            # whose link the browser has now
    assert "Housing's own note" in text.replace("&#39;", "'")  # kept to copy
    assert "Housing plan" in text
    assert stored_answers(app) == {}
    assert data_version(app, survey_round) == before

    # "Save and come back later" from the old page is refused the same way.
    later = client.post(f"/respond/questions/{question.id}", data={
        **hidden_fields(housing_page), "answer": "4", "action": "later"})
    assert later.status_code == 409 and REFUSED in later.get_data(as_text=True)
    assert stored_answers(app) == {}

    # B's own page still saves.
    highways_page = client.get(f"/respond/questions/{question.id}").get_data(as_text=True)
    saved = client.post(f"/respond/questions/{question.id}", data={
        **hidden_fields(highways_page), "answer": "2", "action": "continue"})
    assert saved.status_code == 302
    bob = the_response(app, "Bob Example").id
    assert {key: a.value for key, a in stored_answers(app).items()} == {(bob, question.id): "2"}


def test_a_section_page_from_another_link_is_refused(app, links):
    client = respondent_client(app, links[0])
    bank = bank_of(app)
    section = bank.dimensions[0]
    for question in section.questions:
        answer(client, question.id, revision="0")
    housing_page = client.get(f"/respond/sections/{section.id}").get_data(as_text=True)
    client.get(links[1])
    for question in section.questions:
        answer(client, question.id, revision="0")

    sent = client.post(f"/respond/sections/{section.id}",
                       data={**hidden_fields(housing_page), "completed": "yes"})
    assert sent.status_code == 409 and REFUSED in sent.get_data(as_text=True)
    assert the_response(app, "Bob Example").completed_sections == []
    assert the_response(app, "Ann Example").completed_sections == []


def test_a_submit_button_from_another_link_submits_nothing(app, links):
    client = respondent_client(app, links[0])
    bank = bank_of(app)
    answer_everything(client, bank)
    complete_every_section(client, bank)
    housing_check = client.get("/respond/check").get_data(as_text=True)
    client.get(links[1])
    answer_everything(client, bank)
    complete_every_section(client, bank)

    sent = client.post("/respond/submit", data=hidden_fields(housing_check))
    assert sent.status_code == 409 and REFUSED in sent.get_data(as_text=True)
    assert the_response(app, "Bob Example").status == "in_progress"
    assert the_response(app, "Ann Example").status == "in_progress"


@pytest.mark.app_settings(WTF_CSRF_ENABLED=True)  # as in production
def test_another_links_page_is_refused_whether_or_not_its_form_has_expired(app, survey_round, invitation):
    housing, highways = invitation, invite(app, survey_round, "Highways", "Bob")
    client = respondent_client(app, housing)
    question = bank_of(app).questions[0]
    housing_page = hidden_fields(client.get(f"/respond/questions/{question.id}").get_data(as_text=True))
    assert housing_page["csrf_token"]
    client.get(highways)
    typed = {"answer": "3", "comment": "For Housing", "action": "continue"}

    # The session's CSRF token still matches: the reference alone refuses the page.
    fresh = client.post(f"/respond/questions/{question.id}", data={**housing_page, **typed})
    # An expired or missing token goes to the "form expired" page, which must not
    # re-show Housing's typed answer in a form that now saves into Highways.
    expired = client.post(f"/respond/questions/{question.id}",
                          data={**housing_page, **typed, "csrf_token": "expired"})
    for sent in (fresh, expired):
        assert sent.status_code == 409 and REFUSED in sent.get_data(as_text=True)
        assert "For Housing" in sent.get_data(as_text=True)
    assert stored_answers(app) == {}
