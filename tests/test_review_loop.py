"""The review loop through the test client: a lead challenges, the respondent sees the
challenge through their link and keeps or changes the answer, the lead resolves or
keeps it open; every step audited; read-only once the round is closed.  And the
confirmation page's rules: the respondent's own answers, scores that never reveal
one colleague's answers, and no analysis of the round.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from assessment.extensions import db
from assessment.models import Answer, AuditEvent
from assessment.queries import results as result_queries
from assessment.queries.responses import AnswerWrite
from assessment.services import exports, invitations, results, rounds, survey

from .support.rounds import RoundFactory
from .support.survey import (
    answer,
    answer_everything,
    bank_of,
    complete_every_section,
    invite,
    respondent_client,
    stored_answers,
    the_response,
)


def body(response) -> str:
    return response.get_data(as_text=True)


def submitted_client(app: Flask, round_id: int, department: str = "Housing",
                     name: str = "Ann Example", value: str = "3") -> FlaskClient:
    """A respondent who answered everything with ``value`` and submitted, through the pages."""
    link = invite(app, round_id, department, name)
    client = respondent_client(app, link)
    client.invitation_link = link  # type: ignore[attr-defined]
    bank = bank_of(app)
    answer_everything(client, bank, value)
    complete_every_section(client, bank)
    assert client.post("/respond/submit").headers["Location"] == "/respond/confirmation"
    return client


def submitted_by_service(app: Flask, round_id: int, department: str, name: str,
                         value: str = "3") -> str:
    """A submitted response made through the services; its link as a path."""
    bank = bank_of(app)
    with app.app_context():
        invited = invitations.invite(round_id, department, name)
        for question in bank.questions:
            survey.save_answer(invited.response_id, AnswerWrite(question.id, value), 0)
        survey.submit(invited.response_id, bank)
    return invited.link.removeprefix(app.config["BASE_URL"])


def answer_ids(app: Flask, round_id: int, department: str) -> tuple[int, dict[str, int]]:
    """The department's id and its answers' ids by question id."""
    with app.test_request_context():
        found = next(d for d in result_queries.round_departments(round_id) if d.name == department)
        rows = result_queries.department_answer_rows(round_id, found.id)
        return found.id, {row.question_id: row.id for row in rows}


def stored(app: Flask, answer_id: int) -> Answer:
    with app.app_context():
        return db.session.get(Answer, answer_id)


def events(app: Flask, *names: str) -> list[tuple[str, dict[str, Any]]]:
    with app.app_context():
        found = db.session.scalars(select(AuditEvent).where(AuditEvent.event.in_(names))
                                   .order_by(AuditEvent.id)).all()
        return [(e.event, e.details) for e in found]


@pytest.fixture
def loop(app, survey_round, lead_client):
    """An open round where Ann (Housing) has submitted "3" everywhere, and a lead."""
    ann = submitted_client(app, survey_round)
    department_id, answers = answer_ids(app, survey_round, "Housing")
    return survey_round, ann, lead_client, department_id, answers


def challenge_url(round_id: int, department_id: int, answer_id: int) -> str:
    return f"/rounds/{round_id}/departments/{department_id}/answers/{answer_id}/challenge"


def test_the_whole_loop_challenge_reply_change_resolve_and_reopen(app, loop):
    round_id, ann, lead, department_id, answers = loop
    bank = bank_of(app)
    kept_q, changed_q, other_q = (q.id for q in bank.questions[:3])
    kept_url = challenge_url(round_id, department_id, answers[kept_q])
    changed_url = challenge_url(round_id, department_id, answers[changed_q])

    # The lead's form shows what the chosen level means, not only its name.
    form = body(lead.get(kept_url))
    assert bank.question(kept_q).descriptor(3).en in form and "What this level means" in form
    assert lead.post(kept_url, data={"note": "Which report shows this?"}).status_code == 302
    assert lead.post(changed_url, data={"note": "Level 3 seems high."}).status_code == 302
    assert stored(app, answers[kept_q]).challenge_state == "open"

    # The respondent's link now opens their challenges, not the record.
    again = app.test_client()
    assert again.get(ann.invitation_link).headers["Location"] == "/respond/tasks"
    tasks = body(ann.get("/respond/tasks"))
    assert "Challenges from your lead" in tasks and tasks.count("Waiting for your reply") == 2
    page = body(ann.get(f"/respond/challenges/{kept_q}"))
    assert "Which report shows this?" in page and "Keep my answer and reply" in page
    assert '<p class="govuk-body app-note">Which report shows this?</p>' in page  # markup, not text
    assert "&lt;p" not in page

    # Keep with a reply: a reply is required.
    refused = ann.post(f"/respond/challenges/{kept_q}", data={"outcome": "keep", "reply": " "})
    assert refused.status_code == 200 and "Enter your reply to your lead" in body(refused)
    assert stored(app, answers[kept_q]).challenge_state == "open"
    kept = ann.post(f"/respond/challenges/{kept_q}",
                    data={"outcome": "keep", "reply": "The annual report, page 4."})
    assert kept.headers["Location"] == "/respond/tasks"
    saved = stored(app, answers[kept_q])
    assert (saved.challenge_state, saved.challenge_reply, saved.value) == (
        "kept", "The annual report, page 4.", "3")

    # Change: through the normal question page, which shows the challenge.
    chosen = ann.post(f"/respond/challenges/{changed_q}", data={"outcome": "change", "reply": ""})
    assert chosen.headers["Location"] == f"/respond/questions/{changed_q}"
    question = body(ann.get(f"/respond/questions/{changed_q}"))
    assert "Level 3 seems high." in question and "Save and come back later" not in question
    changed = answer(ann, changed_q, "2", comment="Lowered after review")
    assert changed.headers["Location"] == "/respond/tasks"
    saved = stored(app, answers[changed_q])
    assert (saved.value, saved.comment, saved.challenge_state) == ("2", "Lowered after review", "changed")

    # An answer nobody challenged cannot change after submitting; nor can a replied one.
    assert answer(ann, other_q, "5", revision="1").status_code == 302
    assert stored(app, answers[other_q]).value == "3"
    assert answer(ann, kept_q, "5", revision="1").headers["Location"] == "/respond/tasks"
    assert stored(app, answers[kept_q]).value == "3"
    again_kept = ann.post(f"/respond/challenges/{kept_q}", data={"outcome": "keep", "reply": "New"})
    assert again_kept.status_code == 200 and stored(app, answers[kept_q]).challenge_reply != "New"

    # The lead reads the reply and the change, and resolves one, keeps the other open.
    department = body(lead.get(f"/rounds/{round_id}/departments/{department_id}"))
    assert "The annual report, page 4." in department
    assert "Answer kept: reply to read" in department and "Answer changed: to check" in department
    assert "The annual report, page 4." in body(lead.get(kept_url))
    assert lead.post(kept_url, data={"decision": "resolved", "resolve": "Save decision"}).status_code == 302
    assert lead.post(changed_url, data={"decision": "open", "resolve": "Save decision"}).status_code == 302
    assert stored(app, answers[kept_q]).challenge_state == "resolved"
    assert stored(app, answers[changed_q]).challenge_state == "open"
    tasks = body(ann.get("/respond/tasks"))
    assert tasks.count("Waiting for your reply") == 1 and "Resolved" in tasks

    # Workbook and CSV carry the challenge, the reply and the state.
    with app.app_context():
        out = io.StringIO()
        exports.write_answers_csv(round_id, out)
    rows = {row["question_id"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows[kept_q]["challenge_note"], rows[kept_q]["challenge_state"],
            rows[kept_q]["challenge_reply"]) == ("Which report shows this?", "resolved",
                                                 "The annual report, page 4.")
    assert rows[other_q]["challenge_state"] == ""

    logged = events(app, "answer_challenged", "challenge_replied", "challenge_resolved",
                    "challenge_reopened")
    assert [name for name, _details in logged] == [
        "answer_challenged", "answer_challenged", "challenge_replied", "challenge_replied",
        "challenge_resolved", "challenge_reopened"]
    assert [d["outcome"] for n, d in logged if n == "challenge_replied"] == ["kept", "changed"]


def test_after_the_round_closes_challenges_are_read_only(app, loop):
    round_id, ann, lead, department_id, answers = loop
    first = bank_of(app).questions[0].id
    url = challenge_url(round_id, department_id, answers[first])
    assert lead.post(url, data={"note": "Show me"}).status_code == 302
    with app.app_context():
        rounds.set_status(round_id, "closed")
    page = body(lead.get(url))
    assert "The round is closed" in page and "Show me" in page and 'name="note"' not in page
    for data in ({"note": "Changed"}, {"withdraw": "Withdraw the challenge"},
                 {"decision": "resolved", "resolve": "Save decision"}):
        assert lead.post(url, data=data).status_code == 409
    saved = stored(app, answers[first])
    assert (saved.challenged, saved.challenge_note, saved.challenge_state) == (True, "Show me", "open")
    # The respondent's link no longer works, so nothing can be replied either.
    assert ann.get(f"/respond/challenges/{first}").status_code == 404
    assert ann.post(f"/respond/challenges/{first}",
                    data={"outcome": "keep", "reply": "Late"}).status_code == 404
    assert stored(app, answers[first]).challenge_reply is None


def test_a_respondent_cannot_reach_another_respondents_challenge(app, loop):
    round_id, _ann, lead, department_id, answers = loop
    first = bank_of(app).questions[0].id
    bob = submitted_client(app, round_id, "Highways", "Bob Example")
    assert lead.post(challenge_url(round_id, department_id, answers[first]),
                     data={"note": "Ann only"}).status_code == 302
    assert bob.get(f"/respond/challenges/{first}").status_code == 404
    assert bob.get("/respond/tasks").headers["Location"] == "/respond/confirmation"
    assert bob.post(f"/respond/challenges/{first}", data={"outcome": "keep", "reply": "x"}).status_code == 404
    assert stored(app, answers[first]).challenge_state == "open"


def test_the_lead_cannot_resolve_before_the_respondent_replies(app, loop):
    round_id, _ann, lead, department_id, answers = loop
    url = challenge_url(round_id, department_id, answers[bank_of(app).questions[0].id])
    lead.post(url, data={"note": "Why?"})
    refused = lead.post(url, data={"decision": "resolved", "resolve": "Save decision"})
    assert refused.status_code == 200 and "has not replied to this challenge yet" in body(refused)
    assert "govuk-error-summary" in body(refused)


# --- the confirmation page ---------------------------------------------------------------


def test_the_record_names_who_what_and_when_and_has_no_dead_print_button(app, survey_round):
    ann = submitted_client(app, survey_round)
    page = body(ann.get("/respond/confirmation"))
    for shown in ("Test Council", "Test round", "Housing", "Ann Example", "Submitted on",
                  "What happens next"):
        assert shown in page
    assert "Print this page" not in page and "<button" not in page.split("<footer")[0]


def test_the_first_submitter_sees_their_own_department_score_and_no_organisation_line(app, survey_round):
    ann = submitted_client(app, survey_round, value="4")
    page = body(ann.get("/respond/confirmation"))
    assert "Housing: scores by section" in page and "<svg" in page
    assert "against the organisation" not in page
    assert page.count(">4.0</td>") == len(bank_of(app).dimensions)


def test_a_department_score_of_two_respondents_is_withheld_and_of_three_shown(app, survey_round):
    submitted_by_service(app, survey_round, "Housing", "Ann Example", "5")
    bob = submitted_client(app, survey_round, "Housing", "Bob Example", "1")
    page = body(bob.get("/respond/confirmation"))
    assert "Your department’s score is not shown yet" in page
    assert ">3.0</td>" not in page and "<svg" not in page  # 3.0 would give away Ann's 5s
    cat = submitted_client(app, survey_round, "Housing", "Cat Example", "3")
    page = body(cat.get("/respond/confirmation"))
    assert "Housing: scores by section" in page and ">3.0</td>" in page


def test_the_organisation_score_needs_three_departments_and_results_already_worked_out(app, round_factory):
    round_id = round_factory.survey().id
    for department in ("Highways", "Parks"):
        submitted_by_service(app, round_id, department, f"Head of {department}", "2")
    ann = submitted_client(app, round_id, "Housing", "Ann Example", "5")
    page = body(ann.get("/respond/confirmation"))
    assert "The organisation’s score is not shown here yet" in page
    with app.app_context():
        results.analyse(rounds.require_round(round_id))  # a lead's view works the results out
    page = body(ann.get("/respond/confirmation"))
    assert "Housing against the organisation" in page and ">3.0</td>" in page  # (5 + 2 + 2) / 3

    lonely = round_factory.survey("Two departments").id
    submitted_by_service(app, lonely, "Parks", "Pat Example", "1")
    zoe = submitted_client(app, lonely, "Housing", "Zoe Example", "5")
    with app.app_context():
        results.analyse(rounds.require_round(lonely))
    page = body(zoe.get("/respond/confirmation"))
    assert "against the organisation" not in page and ">3.0</td>" not in page  # would reveal Pat's 1s


def test_no_scores_at_all_when_the_round_says_so(app, round_factory):
    quiet = round_factory.survey("No radar", show_department_radar=False).id
    ann = submitted_client(app, quiet, value="4")
    page = body(ann.get("/respond/confirmation"))
    assert "<svg" not in page and ">4.0</td>" not in page and "Scores by section" not in page


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args: Any) -> None:
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def confirmation_statements(app: Flask, departments: int, monkeypatch) -> list[str]:
    round_id = RoundFactory(app).survey(f"{departments} departments").id
    for number in range(departments):
        submitted_by_service(app, round_id, f"Department {number:03d}", "Head")
    ann = submitted_client(app, round_id, "Housing", "Ann Example")

    def never(*_args: Any) -> None:
        raise AssertionError("the confirmation page analysed the round")

    monkeypatch.setattr(results, "_compute", never)
    monkeypatch.setattr(results, "analyse", never)
    with statements(app) as seen:
        page = ann.get("/respond/confirmation")
    monkeypatch.undo()
    assert page.status_code == 200 and "Answers submitted" in body(page)
    return seen


def test_the_confirmation_page_never_analyses_the_round(app, monkeypatch):
    few = confirmation_statements(app, 2, monkeypatch)
    many = confirmation_statements(app, 30, monkeypatch)
    assert len(many) == len(few) <= 12, many
    # Only this department's answers are read, never the whole round's.
    assert not [s for s in many if "answer" in s.lower() and "department_id" not in s.lower()
                and "response_id =" not in s.lower() and "response.id =" not in s.lower()]


def test_stored_answers_are_unchanged_by_reading_the_record(app, survey_round):
    ann = submitted_client(app, survey_round)
    before = {key: a.value for key, a in stored_answers(app).items()}
    ann.get("/respond/confirmation")
    assert {key: a.value for key, a in stored_answers(app).items()} == before
    assert the_response(app).status == "submitted"
